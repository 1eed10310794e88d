/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package chart

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/test/deploy"
)

// agreements are the kustomize renderings of config/ and the chart values
// that deploy the same thing.
var agreements = []struct {
	config, values string
}{
	{"config/default", ""},
	{"config/overlays/fail-closed", `webhook: {failurePolicy: Fail}`},
	{"config/overlays/prometheus", `metrics: {serviceMonitor: {enabled: true}}`},
	{"config/overlays/alerts", `{metrics: {serviceMonitor: {enabled: true}}, prometheusRule: {enabled: true}}`},
	{"config/overlays/dashboard", `dashboard: {enabled: true}`},
}

// The chart deploys what config/ deploys, object by object and field by
// field (kinds, names, RBAC rules, webhook rules and paths, container args,
// probes, ports, security context, certificates, ServiceMonitor, alert
// rules), except for the differences the chart's README lists under "The
// chart and config/default", which expect applies and nothing else.
func TestChartDeploysWhatConfigDeploys(t *testing.T) {
	for _, a := range agreements {
		t.Run(a.config, func(t *testing.T) {
			config := kustomize(t, a.config)
			chart, err := renderValues(t, a.values)
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range compare(t, config, chart.Objects) {
				t.Error(problem)
			}
		})
	}
}

// The comparison finds what drift looks like, so that a passing
// TestChartDeploysWhatConfigDeploys means something.
func TestComparisonFindsDrift(t *testing.T) {
	config := kustomize(t, "config/default")
	intact := renderScenario(t, "defaults").Objects
	if problems := compare(t, config, intact); len(problems) > 0 {
		t.Fatalf("the intact rendering differs: %v", problems)
	}
	drifts := map[string]func(objs []*unstructured.Unstructured){
		"a verb more in the manager's rules": func(objs []*unstructured.Unstructured) {
			role := get(t, objs, "ClusterRole", prefix+"-manager-role")
			rules, _, _ := unstructured.NestedSlice(role.Object, "rules")
			rule := rules[0].(map[string]any)
			rule["verbs"] = append(rule["verbs"].([]any), "patch")
			_ = unstructured.SetNestedSlice(role.Object, rules, "rules")
		},
		"a webhook path": func(objs []*unstructured.Unstructured) {
			w := get(t, objs, "ValidatingWebhookConfiguration", prefix+"-validating-webhook-configuration")
			hooks, _, _ := unstructured.NestedSlice(w.Object, "webhooks")
			_ = unstructured.SetNestedField(hooks[1].(map[string]any), "/validate-office", "clientConfig", "service", "path")
			_ = unstructured.SetNestedSlice(w.Object, hooks, "webhooks")
		},
		"a container arg": func(objs []*unstructured.Unstructured) {
			d, c := deployment(t, objs)
			c["args"] = append(c["args"].([]any)[1:], "--leader-elect")
			_ = unstructured.SetNestedSlice(d.Object, []any{c}, "spec", "template", "spec", "containers")
		},
		"a probe port": func(objs []*unstructured.Unstructured) {
			d, c := deployment(t, objs)
			_ = unstructured.SetNestedField(c, int64(8082), "readinessProbe", "httpGet", "port")
			_ = unstructured.SetNestedSlice(d.Object, []any{c}, "spec", "template", "spec", "containers")
		},
		"the security context": func(objs []*unstructured.Unstructured) {
			d, c := deployment(t, objs)
			_ = unstructured.SetNestedField(c, false, "securityContext", "readOnlyRootFilesystem")
			_ = unstructured.SetNestedSlice(d.Object, []any{c}, "spec", "template", "spec", "containers")
		},
		"a label of the chart's own": func(objs []*unstructured.Unstructured) {
			svc := get(t, objs, "Service", prefix+"-webhook-service")
			labels := svc.GetLabels()
			labels["tier"] = "control"
			svc.SetLabels(labels)
		},
		"a missing persona role": func(objs []*unstructured.Unstructured) {
			get(t, objs, "ClusterRole", prefix+"-governance-assurance").SetKind("Role")
		},
		"a CRD field": func(objs []*unstructured.Unstructured) {
			crd := get(t, objs, "CustomResourceDefinition", "projects.governance.p3o.dev")
			_ = unstructured.SetNestedStringSlice(crd.Object, []string{"p3o", "all"}, "spec", "names", "categories")
		},
		"the certificate Secret mounted": func(objs []*unstructured.Unstructured) {
			d, _ := deployment(t, objs)
			volumes, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "volumes")
			_ = unstructured.SetNestedField(volumes[0].(map[string]any), "webhook-server-cert", "secret", "secretName")
			_ = unstructured.SetNestedSlice(d.Object, volumes, "spec", "template", "spec", "volumes")
		},
		"the image": func(objs []*unstructured.Unstructured) {
			d, c := deployment(t, objs)
			c["image"] = "controller:latest"
			_ = unstructured.SetNestedSlice(d.Object, []any{c}, "spec", "template", "spec", "containers")
		},
	}
	for name, drift := range drifts {
		t.Run(name, func(t *testing.T) {
			objs := make([]*unstructured.Unstructured, len(intact))
			for i, obj := range intact {
				objs[i] = obj.DeepCopy()
			}
			drift(objs)
			if problems := compare(t, config, objs); len(problems) == 0 {
				t.Error("no difference found")
			} else {
				t.Logf("found: %v", problems)
			}
		})
	}
}

// kustomize renders a folder of config/.
func kustomize(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	out, err := deploy.Kustomize(kubectl, repo, dir)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := deploy.DecodeObjects(out)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// compare returns a sentence for every object of config (a kustomize
// rendering in namespace p3o-system) that the chart's rendering chart (of
// the release p3o-operator in p3o-system) lacks or renders otherwise than
// expect says, and for every object the chart renders beyond them.
func compare(t *testing.T, config, chart []*unstructured.Unstructured) []string {
	t.Helper()
	ch, err := Load(chartPath)
	if err != nil {
		t.Fatal(err)
	}
	x := newExpectation(config, ch.Metadata.Version, ch.Metadata.AppVersion)
	var problems []string
	matched := map[*unstructured.Unstructured]bool{}
	for _, obj := range config {
		want := x.expect(obj)
		if want == nil {
			continue
		}
		got := find(chart, want.GetKind(), want.GetName())
		if got == nil || got.GetNamespace() != want.GetNamespace() {
			problems = append(problems, fmt.Sprintf("config/ renders %s %s; the chart has no %s %s", obj.GetKind(), obj.GetName(), want.GetKind(), strings.TrimPrefix(want.GetNamespace()+"/"+want.GetName(), "/")))
			continue
		}
		matched[got] = true
		if diff := cmp.Diff(want.Object, got.Object); diff != "" {
			problems = append(problems, fmt.Sprintf("%s %s differs from config/'s %s (-want +got):\n%s", got.GetKind(), got.GetName(), obj.GetName(), diff))
		}
	}
	for _, obj := range chart {
		if !matched[obj] {
			problems = append(problems, fmt.Sprintf("the chart renders %s %s, which config/ does not", obj.GetKind(), obj.GetName()))
		}
	}
	return problems
}

// expectation turns an object config/ renders into the object the chart
// renders with the same values for the release p3o-operator. It applies the
// differences the chart's README lists, and only those:
//
//   - config/default creates its Namespace; the chart is installed into one
//     (helm install --create-namespace);
//   - names: config/'s p3o-X is <prefix>-X; the names config/ does not
//     prefix (the certificate Secrets, the ServiceMonitor) get <prefix>- too;
//     the PrometheusRule is <prefix>-alerts; references follow;
//   - every object but the CRDs carries Helm's labels (helm.sh/chart and
//     app.kubernetes.io/name, instance, version and managed-by), the pods
//     too;
//   - the Deployment, the Services and the ServiceMonitor also select by
//     app.kubernetes.io/name and instance, so that the chart can share a
//     namespace with other operators;
//   - the image is image.repository:image.tag (config/ names
//     controller:latest, which make deploy and make release replace), with
//     imagePullPolicy image.pullPolicy.
type expectation struct {
	names          map[string]string
	labels         map[string]string
	selectorLabels map[string]string
	image          string
}

func newExpectation(config []*unstructured.Unstructured, chartVersion, appVersion string) *expectation {
	x := &expectation{
		names: map[string]string{},
		labels: map[string]string{
			"helm.sh/chart":                "p3o-operator-" + chartVersion,
			"app.kubernetes.io/name":       "p3o-operator",
			"app.kubernetes.io/instance":   releaseName,
			"app.kubernetes.io/version":    appVersion,
			"app.kubernetes.io/managed-by": "Helm",
		},
		selectorLabels: map[string]string{
			"app.kubernetes.io/name":     "p3o-operator",
			"app.kubernetes.io/instance": releaseName,
		},
		image: "ghcr.io/p3o-dev/p3o-operator:" + appVersion,
	}
	for _, obj := range config {
		switch kind, name := obj.GetKind(), obj.GetName(); {
		case kind == "Namespace" || kind == "CustomResourceDefinition":
		case kind == "PrometheusRule":
			x.names[name] = prefix + "-alerts"
		case strings.HasPrefix(name, "p3o-"):
			x.names[name] = prefix + "-" + strings.TrimPrefix(name, "p3o-")
		default:
			x.names[name] = prefix + "-" + name
		}
		if obj.GetKind() == "Certificate" {
			secret, _, _ := unstructured.NestedString(obj.Object, "spec", "secretName")
			x.names[secret] = prefix + "-" + secret
		}
	}
	return x
}

// nameToken is what can be a name inside a string: a reference
// (roleRef.name), a DNS name (SERVICE.NAMESPACE.svc), NAMESPACE/NAME.
var nameToken = regexp.MustCompile(`[a-z0-9-]+`)

// expect returns the object the chart renders for obj, nil for none.
func (x *expectation) expect(obj *unstructured.Unstructured) *unstructured.Unstructured {
	if obj.GetKind() == "Namespace" {
		return nil
	}
	want := &unstructured.Unstructured{Object: x.rename(obj.DeepCopy().Object).(map[string]any)}
	if want.GetKind() == "CustomResourceDefinition" {
		return want
	}
	want.SetLabels(merged(want.GetLabels(), x.labels))
	selectors := map[string][]string{
		"Deployment":     {"spec", "selector", "matchLabels"},
		"Service":        {"spec", "selector"},
		"ServiceMonitor": {"spec", "selector", "matchLabels"},
	}
	if path, ok := selectors[want.GetKind()]; ok {
		selector, _, _ := unstructured.NestedStringMap(want.Object, path...)
		_ = unstructured.SetNestedStringMap(want.Object, merged(selector, x.selectorLabels), path...)
	}
	if want.GetKind() == "Deployment" {
		pod, _, _ := unstructured.NestedStringMap(want.Object, "spec", "template", "metadata", "labels")
		_ = unstructured.SetNestedStringMap(want.Object, merged(pod, x.labels), "spec", "template", "metadata", "labels")
		containers, _, _ := unstructured.NestedSlice(want.Object, "spec", "template", "spec", "containers")
		for _, c := range containers {
			c.(map[string]any)["image"] = x.image
			c.(map[string]any)["imagePullPolicy"] = "IfNotPresent"
		}
		_ = unstructured.SetNestedSlice(want.Object, containers, "spec", "template", "spec", "containers")
	}
	return want
}

// rename replaces every name config/ gives an object by the chart's, in
// every string of value (map keys, such as label keys, are not names).
func (x *expectation) rename(value any) any {
	switch v := value.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = x.rename(e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = x.rename(e)
		}
		return v
	case string:
		return nameToken.ReplaceAllStringFunc(v, func(token string) string {
			if name, ok := x.names[token]; ok {
				return name
			}
			return token
		})
	default:
		return v
	}
}

// merged is base with extra added; a key of both keeps base's value, so
// that a conflict shows as a difference.
func merged(base, extra map[string]string) map[string]string {
	out := maps.Clone(extra)
	maps.Copy(out, base)
	if len(out) == 0 {
		return nil
	}
	return out
}

// The README documents the differences expect applies.
func TestReadmeListsTheDifferences(t *testing.T) {
	readme := readFile(t, Dir+"/README.md")
	_, section, ok := strings.Cut(readme, "## The chart and config/default")
	if !ok {
		t.Fatal("charts/p3o-operator/README.md has no section \"The chart and config/default\"")
	}
	for _, mention := range []string{"--create-namespace", "<prefix>-alerts", "helm.sh/chart", "app.kubernetes.io/instance", "image.repository", "imagePullPolicy", "webhook-server-cert"} {
		if !strings.Contains(section, mention) {
			t.Errorf("the README's differences do not mention %s", mention)
		}
	}
	if !strings.Contains(section, "TestChartDeploysWhatConfigDeploys") {
		t.Error("the README's differences do not name the test that holds the chart to them")
	}
}
