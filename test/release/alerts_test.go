/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package release

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/internal/metrics"
)

// The rules' unit tests, in promtool's format. Each names rules.yaml, which
// runPromtool writes beside it from the rendered PrometheusRule.
var ruleTestFiles = map[string]string{
	"p3o-governance": "testdata/alerts-governance.test.yaml",
	"p3o-operator":   "testdata/alerts-operator.test.yaml",
}

// rule is an alerting rule as the PrometheusRule holds it.
type rule struct {
	Alert       string            `json:"alert"`
	Expr        string            `json:"expr"`
	For         string            `json:"for"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

type ruleGroups struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []rule `json:"rules"`
	} `json:"groups"`
}

// alertRules renders config/overlays/alerts and returns the spec (the
// rule groups) of its PrometheusRule: what a cluster gets.
func alertRules(t *testing.T) map[string]any {
	t.Helper()
	rules := only(render(t, "config/overlays/alerts"), "PrometheusRule")
	if len(rules) != 1 {
		t.Fatalf("config/overlays/alerts renders %d PrometheusRules, want 1", len(rules))
	}
	spec, _, _ := unstructured.NestedMap(rules[0].Object, "spec")
	return spec
}

func parseRules(t *testing.T, spec map[string]any) ruleGroups {
	t.Helper()
	var groups ruleGroups
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(spec, &groups); err != nil {
		t.Fatal(err)
	}
	return groups
}

var promtoolPath string

// promtool returns Prometheus's promtool, built once by hack/promtool.sh
// from the release pinned in hack/tools/promtool.
func promtool(t *testing.T) string {
	t.Helper()
	if promtoolPath == "" {
		cmd := exec.Command("bash", "hack/promtool.sh")
		cmd.Dir = repo
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("hack/promtool.sh: %v", err)
		}
		promtoolPath = strings.TrimSpace(string(out))
	}
	return promtoolPath
}

// runPromtool writes spec as rules.yaml beside copies of the test files and
// runs `promtool test rules` on them.
func runPromtool(t *testing.T, spec map[string]any, testFiles ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	data, err := yaml.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules.yaml"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"test", "rules"}
	for _, f := range testFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, filepath.Base(f))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, promtool(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Prometheus's own rule unit tests (promtool test rules) pass on the rules
// as config/overlays/alerts deploys them: each alert fires on the breaching
// series, after its `for`, and on none of the healthy series beside them.
func TestAlertRuleUnitTests(t *testing.T) {
	spec := alertRules(t)
	dir := t.TempDir()
	data, err := yaml.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	rulesFile := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rulesFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool(t), "check", "rules", rulesFile).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	out, err := runPromtool(t, spec, slices.Sorted(maps.Values(ruleTestFiles))...)
	if err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
	t.Logf("promtool test rules:\n%s", out)
}

// mutation changes one alert so that it fires where it must not or stays
// silent where it must fire.
type mutation struct {
	alert, what string
	change      func(r map[string]any) bool
}

// replace changes old into new in the alert's expression (every time).
func replace(old, new string) func(map[string]any) bool {
	return func(r map[string]any) bool {
		expr, _ := r["expr"].(string)
		r["expr"] = strings.ReplaceAll(expr, old, new)
		return strings.Contains(expr, old)
	}
}

func dropFor(r map[string]any) bool {
	_, ok := r["for"]
	delete(r, "for")
	return ok
}

// The mutations the rule unit tests must catch: per alert, a looser
// condition (so that a healthy series beside a breaching one fires) and, where
// the threshold or the `for` is the point, a shorter one.
var mutations = []mutation{
	{"P3OProjectRedTooLong", "any health counts", replace(`health="Red"`, `health=~".+"`)},
	{"P3OProjectRedTooLong", "fires without waiting 7 days", dropFor},
	{"P3OProjectGateUnmet", "compliant projects count", replace(`status="false"`, `status=~".+"`)},
	{"P3OProjectGateUnmet", "fires without waiting a day", dropFor},
	{"P3OProgrammeGateUnmet", "compliant programmes count", replace(`status="false"`, `status=~".+"`)},
	{"P3OProgrammeGateUnmet", "fires without waiting a day", dropFor},
	{"P3OProjectProgressStale", "projects reporting in time count", replace(`p3o_project_stale == 1`, `p3o_project_stale >= 0`)},
	{"P3OProjectProgressStale", "fires without waiting a day", dropFor},
	{"P3OPortfolioOverCapacity", "at capacity counts", replace(`> 0`, `>= 0`)},
	{"P3OPortfolioOverCapacity", "fires without waiting an hour", dropFor},
	{"P3OOperatorDown", "any job counts", replace(`job=~".*p3o.*"`, `job=~".+"`)},
	{"P3OOperatorDown", "fires without waiting 10 minutes", dropFor},
	{"P3OOperatorReconcileErrors", "any job counts", replace(`job=~".*p3o.*"`, `job=~".+"`)},
	{"P3OOperatorReconcileErrors", "fires on a short burst", dropFor},
}

// The unit tests can fail: every alert made to fire nowhere, or looser as
// in mutations, fails them. Every alert has a loosening mutation.
func TestAlertRuleUnitTestsCatchBrokenRules(t *testing.T) {
	spec := alertRules(t)
	groups := parseRules(t, spec)
	groupOf := map[string]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			groupOf[r.Alert] = g.Name
		}
	}
	all := slices.Clone(mutations)
	for alert := range groupOf {
		if !slices.ContainsFunc(mutations, func(m mutation) bool { return m.alert == alert }) {
			t.Errorf("%s: no mutation in the table; add one that a healthy series would make fire", alert)
		}
		all = append(all, mutation{alert, "fires nowhere", func(r map[string]any) bool {
			r["expr"] = "vector(1) == 0"
			return true
		}})
	}
	for _, m := range all {
		t.Run(m.alert+": "+m.what, func(t *testing.T) {
			t.Parallel()
			group, ok := groupOf[m.alert]
			if !ok {
				t.Fatalf("no alert %s in the rules", m.alert)
			}
			mutated := runtime.DeepCopyJSON(spec)
			changed := false
			for _, g := range mutated["groups"].([]any) {
				for _, r := range g.(map[string]any)["rules"].([]any) {
					if r := r.(map[string]any); r["alert"] == m.alert {
						changed = m.change(r)
					}
				}
			}
			if !changed {
				t.Fatalf("the mutation does not apply to %s any more: update the table", m.alert)
			}
			out, err := runPromtool(t, mutated, ruleTestFiles[group])
			if err == nil {
				t.Errorf("promtool test rules passes with %s broken (%s):\n%s", m.alert, m.what, out)
			} else if !strings.Contains(out, "alertname: "+m.alert+",") {
				t.Errorf("promtool test rules fails, but not on a case of %s:\n%s", m.alert, out)
			}
		})
	}
}

// Every alert names its severity and audience, says what happened and has a
// runbook, in the annotation and in docs/alerts.md; every test file case
// names an alert of the rules, each alert is tested both firing and silent;
// and the rules use only the metrics the operator exports.
func TestAlertsDocumentedAndTested(t *testing.T) {
	groups := parseRules(t, alertRules(t))
	doc, err := os.ReadFile(filepath.Join(repo, "docs", "alerts.md"))
	if err != nil {
		t.Fatal(err)
	}
	headings := regexp.MustCompile(`(?m)^### (P3O[A-Za-z]+)$`).FindAllStringSubmatch(string(doc), -1)
	var documented []string
	for _, h := range headings {
		documented = append(documented, h[1])
	}
	fired, silent := testedAlerts(t)

	var alerts []string
	metric := regexp.MustCompile(`\bp3o_[a-z0-9_]+\b`)
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			alerts = append(alerts, r.Alert)
			if !slices.Contains([]string{"warning", "critical"}, r.Labels["severity"]) {
				t.Errorf("%s: severity %q", r.Alert, r.Labels["severity"])
			}
			if want := map[string]string{"p3o-governance": "governance", "p3o-operator": "operator"}[g.Name]; r.Labels["category"] != want {
				t.Errorf("%s: category %q, want %q", r.Alert, r.Labels["category"], want)
			}
			for _, a := range []string{"summary", "description", "runbook"} {
				if strings.TrimSpace(r.Annotations[a]) == "" {
					t.Errorf("%s: no %s annotation", r.Alert, a)
				}
			}
			if want := "https://github.com/p3o-dev/p3o-operator/blob/main/docs/alerts.md#" + strings.ToLower(r.Alert); r.Annotations["runbook_url"] != want {
				t.Errorf("%s: runbook_url %q, want %q", r.Alert, r.Annotations["runbook_url"], want)
			}
			if !slices.Contains(documented, r.Alert) {
				t.Errorf("%s: docs/alerts.md has no section ### %s", r.Alert, r.Alert)
			}
			if !fired[r.Alert] || !silent[r.Alert] {
				t.Errorf("%s: the rule tests expect it to fire: %t, to stay silent: %t; want both", r.Alert, fired[r.Alert], silent[r.Alert])
			}
			for _, name := range metric.FindAllString(r.Expr, -1) {
				if !slices.Contains(metrics.MetricNames, name) {
					t.Errorf("%s uses %s, which the operator does not export", r.Alert, name)
				}
			}
		}
	}
	for _, d := range documented {
		if !slices.Contains(alerts, d) {
			t.Errorf("docs/alerts.md documents %s, which is not a rule", d)
		}
	}
	for alert := range fired {
		if !slices.Contains(alerts, alert) {
			t.Errorf("the rule tests test %s, which is not a rule", alert)
		}
	}
	for _, want := range []string{"P3OProjectRedTooLong", "P3OProjectGateUnmet", "P3OProgrammeGateUnmet", "P3OProjectProgressStale",
		"P3OPortfolioOverCapacity", "P3OOperatorDown", "P3OOperatorReconcileErrors"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s", want)
		}
	}
}

// testedAlerts reads the rule test files: which alerts a case expects to
// fire, and which a case expects to be silent.
func testedAlerts(t *testing.T) (fired, silent map[string]bool) {
	t.Helper()
	fired, silent = map[string]bool{}, map[string]bool{}
	for _, f := range ruleTestFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var file struct {
			Tests []struct {
				AlertRuleTest []struct {
					Alertname string `json:"alertname"`
					ExpAlerts []any  `json:"exp_alerts"`
				} `json:"alert_rule_test"`
			} `json:"tests"`
		}
		if err := yaml.Unmarshal(data, &file); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tg := range file.Tests {
			for _, c := range tg.AlertRuleTest {
				if len(c.ExpAlerts) > 0 {
					fired[c.Alertname] = true
				} else {
					silent[c.Alertname] = true
				}
			}
		}
	}
	return fired, silent
}

// The PrometheusRule follows the deployment into another namespace and
// name prefix, and the operator alerts' job selector matches the metrics
// Service, which is the job name the Prometheus Operator gives its target.
func TestAlertsFollowTheDeployment(t *testing.T) {
	groups := parseRules(t, alertRules(t))
	var jobRegexps []*regexp.Regexp
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			for _, m := range regexp.MustCompile(`job=~"([^"]+)"`).FindAllStringSubmatch(r.Expr, -1) {
				jobRegexps = append(jobRegexps, regexp.MustCompile("^(?:"+m[1]+")$"))
			}
		}
	}
	if len(jobRegexps) == 0 {
		t.Fatal("no job selector in the rules")
	}

	overlay := t.TempDir()
	config, err := filepath.Rel(overlay, filepath.Join(repo, "config"))
	if err != nil {
		t.Fatal(err)
	}
	kustomization := fmt.Sprintf("namespace: governance\nnamePrefix: acme-\nresources:\n- %[1]s/overlays/alerts\ntransformers:\n- %[1]s/default/references\n", filepath.ToSlash(config))
	if err := os.WriteFile(filepath.Join(overlay, "kustomization.yaml"), []byte(kustomization), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"config/overlays/alerts": "config/overlays/alerts", "renamed to governance/acme-": overlay} {
		t.Run(name, func(t *testing.T) {
			objs := render(t, dir)
			var metricsService *unstructured.Unstructured
			for _, s := range only(objs, "Service") {
				if s.GetLabels()["app.kubernetes.io/component"] == "metrics" {
					metricsService = s
				}
			}
			rules := only(objs, "PrometheusRule")
			if metricsService == nil || len(rules) != 1 {
				t.Fatalf("want a metrics Service and one PrometheusRule; found %v and %d", metricsService != nil, len(rules))
			}
			if rules[0].GetNamespace() != metricsService.GetNamespace() {
				t.Errorf("the PrometheusRule is in %q, the metrics Service in %q", rules[0].GetNamespace(), metricsService.GetNamespace())
			}
			for _, re := range jobRegexps {
				if !re.MatchString(metricsService.GetName()) {
					t.Errorf("job selector %s does not match the metrics Service %s", re, metricsService.GetName())
				}
			}
		})
	}
}

// scrapeLabels are the labels Prometheus adds to a scraped series: job and
// instance, and the target labels the Prometheus Operator adds through a
// ServiceMonitor (its namespace displacing the series' own to
// exported_namespace).
var scrapeLabels = []string{"job", "instance", "namespace", "pod", "service", "endpoint", "container", "exported_namespace"}

// The rule tests' input series of the operator's metrics carry exactly the
// labels the operator exports (plus what scraping adds), so that a label
// the operator renames or adds cannot leave the tests passing on series
// that no longer exist. A reference label of an info series (programme,
// portfolio, office and their namespaces) may be missing: the operator
// exports it empty when there is no such referent.
func TestAlertRuleTestSeriesHaveTheExportedLabels(t *testing.T) {
	exported := metrics.Labels()
	seriesRE := regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$`)
	labelRE := regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="[^"]*"`)
	checked := 0
	for _, f := range ruleTestFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var file struct {
			Tests []struct {
				InputSeries []struct {
					Series string `json:"series"`
				} `json:"input_series"`
			} `json:"tests"`
		}
		if err := yaml.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		for _, tg := range file.Tests {
			for _, in := range tg.InputSeries {
				m := seriesRE.FindStringSubmatch(in.Series)
				if m == nil {
					t.Errorf("%s: cannot read series %s", f, in.Series)
					continue
				}
				want, ok := exported[m[1]]
				if !strings.HasPrefix(m[1], "p3o_") {
					continue
				}
				if !ok {
					t.Errorf("%s: %s is not a metric the operator exports", f, m[1])
					continue
				}
				var have []string
				for _, l := range labelRE.FindAllStringSubmatch(m[2], -1) {
					have = append(have, l[1])
				}
				scraped := slices.Contains(have, "exported_namespace")
				for _, l := range have {
					if !slices.Contains(want, l) && !slices.Contains(scrapeLabels, l) {
						t.Errorf("%s: %s has label %s, which the collector does not export (it exports %v)", f, m[1], l, want)
					}
				}
				for _, l := range want {
					if l == "namespace" && scraped {
						l = "exported_namespace"
					}
					kind := strings.TrimSuffix(strings.TrimPrefix(m[1], "p3o_"), "_info")
					optional := strings.HasSuffix(m[1], "_info") && l != kind &&
						(strings.HasSuffix(l, "_namespace") || slices.Contains([]string{"programme", "portfolio", "office"}, l))
					if !slices.Contains(have, l) && !optional {
						t.Errorf("%s: %s lacks label %s, which the collector exports", f, in.Series, l)
					}
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no input series of the operator's metrics")
	}
}

// The promtool that runs the rule tests is of the Prometheus release the
// operator's module uses (test/consistency evaluates the dashboard's
// queries with its engine): one Prometheus version in the repository.
func TestPromtoolIsTheModulesPrometheus(t *testing.T) {
	version := func(dir string) string {
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/prometheus/prometheus")
		cmd.Dir = filepath.Join(repo, dir)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -m github.com/prometheus/prometheus in %s: %v", dir, err)
		}
		return strings.TrimSpace(string(out))
	}
	if tool, module := version("hack/tools/promtool"), version("."); tool != module {
		t.Errorf("hack/tools/promtool pins Prometheus %s, go.mod %s", tool, module)
	}
}
