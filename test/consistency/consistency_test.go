/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package consistency checks that every figure the operator publishes
// agrees with a twin computed another way (habit 17 of the style guide).
// The operator binary runs against a real control plane; the sample
// organisation of config/samples, plus a small organisation of edge cases
// made here, is applied with a real kubectl. Every aggregate is then
// recomputed by this package from the YAML that was applied and compared
// with each object's status rollup, each live report (report.json,
// report.md, projects.csv), the metrics of a real authorised HTTPS scrape,
// and the Grafana dashboard's queries evaluated by Prometheus's own PromQL
// engine over that scrape.
package consistency

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"gopkg.in/inf.v0"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/storage"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
)

// edgeCases is an organisation of its own (namespaces p3o-consistency and
// p3o-consistency-team) for what the samples do not show: an office with a
// 2-week reporting cadence; a Delivering project that never reported (stale,
// forecast at its budget) under a programme; an Initiating project whose
// report is 20 days old (stale under 2w, not under 4w) with no forecast; a
// project attached across namespaces to a programme that admits All; and a
// project refused by a portfolio that admits only its own namespace
// (counted nowhere; it is not Ready, so it is labelled to be left out of
// the wait). Some amounts have cents, so that every total with cents is
// compared as status, reports and metrics write it. {{.Recent}} and
// {{.Old}} are dates relative to today.
const edgeCases = `apiVersion: v1
kind: Namespace
metadata: {name: p3o-consistency}
---
apiVersion: v1
kind: Namespace
metadata: {name: p3o-consistency-team}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Office
metadata: {name: edge-office, namespace: p3o-consistency}
spec:
  type: PortfolioOffice
  location: Test lab
  currency: EUR
  financialYearStart: 7
  governance: {reportingCadence: 2w}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Portfolio
metadata: {name: edge-portfolio, namespace: p3o-consistency}
spec:
  officeRef: {name: edge-office}
  capacity: 300k
  objectives: [{name: build, weight: 3}, {name: keep, weight: 1}, {name: idle}]
  categories: [Build, Keep]
  categoryTargets: [{category: Build, sharePercent: 60}]
  capacityByYear: [{year: 2025, amount: 40k}, {year: 2026, amount: 90k}]
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Programme
metadata: {name: edge-programme, namespace: p3o-consistency}
spec:
  portfolioRef: {name: edge-portfolio}
  phase: Delivering
  budget: 50k
  category: Build
  contributions: [{objective: build, strength: High}, {objective: keep, strength: Low}]
  tranches:
    - {name: t1, start: "2026-06-30", end: "2026-12-31", budget: "30000.10"}
    - {name: t2, start: "2026-07-01", end: "2027-03-31", budget: 20k}
  benefits: [{name: Edge benefit, planned: 120k, realised: 5k}]
  risks: [{name: R-E-1, probability: 4, impact: 4, owner: Someone}]
  reports: {mode: Enabled}
  allowedChildren: {namespaces: {from: All}}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: unreported, namespace: p3o-consistency}
spec:
  programmeRef: {name: edge-programme}
  phase: Delivering
  plan:
    budget: 100k
    budgetByYear: [{year: 2026, amount: 60k}]
  dependsOn: [{kind: Project, name: starting, neededBy: "2030-01-01"}]
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: fortnight-old, namespace: p3o-consistency}
spec:
  portfolioRef: {name: edge-portfolio}
  phase: Initiating
  category: Elsewhere
  contributions: [{objective: undeclared}]
  declaredRAG: Red
  plan:
    budget: "200000.40"
    budgetByYear: [{year: 2026, amount: "33333.33"}, {year: 2027, amount: 50k}]
  progress: {asOf: "{{.Old}}", actualCost: "10000.05"}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: starting, namespace: p3o-consistency}
spec:
  portfolioRef: {name: edge-portfolio}
  phase: StartingUp
  category: Keep
  priority: 1
  contributions: [{objective: keep, strength: High}, {objective: build}, {objective: idle, strength: Low}]
  plan: {budget: "30000.01", end: "2027-01-31"}
  dependsOn:
    - {kind: Project, name: ghost, neededBy: "2030-01-01"}
    - {kind: Project, name: team-project, namespace: p3o-consistency-team, neededBy: "2030-01-01"}
    - {kind: Project, name: fortnight-old, neededBy: "2030-01-01"}
    - {kind: Programme, name: edge-programme, neededBy: "{{.Old}}"}
    - {kind: Project, name: unreported, neededBy: "2030-01-01"}
    - {kind: Project, name: finished, neededBy: "2030-01-01"}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: finished, namespace: p3o-consistency}
spec:
  portfolioRef: {name: edge-portfolio}
  phase: Closed
  closedOn: "2026-01-15"
  category: Build
  contributions: [{objective: build, strength: Low}]
  plan: {budget: 10k, budgetByYear: [{year: 2025, amount: 10k}]}
  progress: {asOf: "2026-01-15", percentComplete: 80}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: team-project, namespace: p3o-consistency-team}
spec:
  programmeRef: {name: edge-programme, namespace: p3o-consistency}
  phase: Delivering
  plan: {budget: 80k}
  progress: {asOf: "{{.Recent}}", actualCost: "20000.10", forecastCost: "90000.55"}
  risks: [{name: R-T-1, probability: 2, impact: 2, status: Closed}]
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata:
  name: outsider
  namespace: p3o-consistency-team
  labels: {consistency.p3o.dev/not-ready: "true"}
spec:
  portfolioRef: {name: edge-portfolio, namespace: p3o-consistency}
  phase: Delivering
  plan: {budget: 40k}
  progress: {asOf: "{{.Recent}}"}
`

func TestEveryFigureAgrees(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	start := time.Now()

	run := startOperator(ctx, t)
	root, cp, op, c := run.root, run.cp, run.op, run.client
	dir := t.TempDir()
	today := time.Now().UTC()
	fixture := filepath.Join(dir, "edge-cases.yaml")
	edge := strings.NewReplacer("{{.Recent}}", today.AddDate(0, 0, -1).Format(time.DateOnly),
		"{{.Old}}", today.AddDate(0, 0, -20).Format(time.DateOnly)).Replace(edgeCases)
	if err := os.WriteFile(fixture, []byte(edge), 0o600); err != nil {
		t.Fatal(err)
	}
	samples, err := filepath.Glob(filepath.Join(root, "config", "samples", "*.yaml"))
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples in config/samples: %v", err)
	}
	twin, err := readOrg(append(samples, fixture)...)
	if err != nil {
		t.Fatal(err)
	}

	token, err := cp.MetricsReaderToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kubectl := func(args ...string) {
		t.Helper()
		if _, err := cp.Kubectl(ctx, args...); err != nil {
			t.Fatal(err)
		}
	}
	kubectl("apply", "-k", "config/samples")
	kubectl("apply", "-f", fixture)
	kubectl("wait", "--for=condition=Ready", "--timeout=120s", "-A", "-l", "!consistency.p3o.dev/not-ready",
		"offices,portfolios,programmes,projects")
	t.Logf("the organisation is Ready after %s", time.Since(start).Round(time.Second))

	board, err := readDashboard(filepath.Join(root, "config", "grafana", "p3o-overview.json"))
	if err != nil {
		t.Fatal(err)
	}
	engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 1_000_000, Timeout: 10 * time.Second, LookbackDelta: 5 * time.Minute})

	// Ready means the figures are final, but a scrape and the reports are
	// read separately: look until everything agrees, or report what does
	// not.
	var last diffs
	var table string
	deadline := time.Now().Add(30 * time.Second)
	for {
		last, table = compareAll(ctx, t, c, op, token, twin, board, engine)
		if len(last) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	t.Logf("the figures, recomputed from the specs (all agree unless listed below):\n%s", table)
	for _, d := range last {
		t.Error(d)
	}
	t.Logf("checked in %s", time.Since(start).Round(time.Second))
}

// compareAll reads everything once and compares it with the twin; it
// returns the disagreements and the figures as a table.
func compareAll(ctx context.Context, t *testing.T, c client.Client, op *controlplane.Operator, token string,
	twin *org, board dashboard, engine *promql.Engine) (diffs, string) {
	t.Helper()
	var d diffs
	state, err := readLive(ctx, c)
	if err != nil {
		d.add("reading the published state: %v", err)
		return d, ""
	}
	obs := state.observed()
	now := time.Now()

	// Every object applied is there, and nothing else.
	d.eq("offices", ordered(setOf(keysOf(state.offices))), ordered(setOf(keysOf(twin.offices))))
	d.eq("portfolios", ordered(setOf(keysOf(state.portfolios))), ordered(setOf(keysOf(twin.portfolios))))
	d.eq("programmes", ordered(setOf(keysOf(state.programmes))), ordered(setOf(keysOf(twin.programmes))))
	d.eq("projects", ordered(setOf(keysOf(state.projects))), ordered(setOf(keysOf(twin.projects))))

	byScope := map[string]figures{}
	var rows []string
	wantReports := map[string]bool{}
	for _, s := range twin.scopes() {
		f := twin.figures(s, obs)
		id := s.kind + "/" + s.key
		byScope[id] = f
		where := s.kind + " " + s.key
		switch s.kind {
		case "Office":
			if o, ok := state.offices[s.key]; ok {
				checkRollup(&d, where, o.Status.Rollup, f)
				if twin.reportsEnabled(s.kind, s.key) {
					checkEvidence(&d, where, twin.evidenceTwin(s, now), o, state.reports[id])
				}
			}
		case "Portfolio":
			if p, ok := state.portfolios[s.key]; ok {
				checkRollup(&d, where, p.Status.Rollup, f)
				d.amount(where+" committed", p.Status.Committed, f.Committed)
				d.eq(where+" overCommitted", boolPtr(p.Status.OverCommitted), boolPtr(f.OverCommitted))
				d.eq(where+" office", p.Status.Office.String(), first(twin.officesAbovePortfolio(s.key)))
			}
		case "Programme":
			if p, ok := state.programmes[s.key]; ok {
				checkRollup(&d, where, p.Status.Rollup, f)
				d.eq(where+" health", p.Status.Health, worse(obs.ownHealth[s.key], f.Health))
				d.eq(where+" office", p.Status.Office.String(), first(twin.officesAboveProgramme(s.key)))
			}
		}
		if twin.reportsEnabled(s.kind, s.key) {
			wantReports[id] = true
			if data, ok := state.reports[id]; !ok {
				d.add("%s: no live report", where)
			} else {
				checkReport(&d, twin, s, f, obs, data)
			}
		}
		rows = append(rows, tableRow(s, f))
	}
	d.eq("live reports", ordered(setOf(keysOf(state.reports))), ordered(wantReports))
	for k, p := range state.projects {
		d.eq("Project "+k+" office", p.Status.Office.String(), first(twin.officesAboveProject(k)))
		if tp, ok := twin.projects[k]; ok {
			d.amount("Project "+k+" costVariance", p.Status.CostVariance, tp.costVariance())
		}
		// A project counted in no programme or portfolio says why.
		if twin.programmeOfProject(k) == "" && twin.directPortfolioOfProject(k) == "" {
			spec := twin.projects[k].Spec
			_, programmeExists := twin.programmes[spec.ProgrammeRef.key(p.Namespace)]
			_, portfolioExists := twin.portfolios[spec.PortfolioRef.key(p.Namespace)]
			want := v1alpha1.ReasonParentNotFound
			if programmeExists || portfolioExists {
				want = v1alpha1.ReasonNotPermitted
			}
			reason := ""
			for _, c := range p.Status.Conditions {
				if c.Type == string(v1alpha1.ConditionParentResolved) {
					reason = c.Reason
				}
			}
			d.eq("Project "+k+" ParentResolved reason", reason, want)
		}
	}

	code, body, err := op.Scrape(ctx, token)
	if err != nil || code != http.StatusOK {
		d.add("scraping the operator: %d %v", code, err)
		return d, strings.Join(rows, "")
	}
	scrapedAt := time.Now()
	metrics, err := parseScrape(strings.NewReader(body))
	if err != nil {
		d.add("parsing the scrape: %v", err)
		return d, strings.Join(rows, "")
	}
	checkMetrics(&d, twin, obs, byScope, metrics, now)
	for _, s := range twin.scopes() {
		if s.kind == "Office" && twin.reportsEnabled(s.kind, s.key) {
			ns, name := splitOrEmpty(s.key)
			checkEvidenceMetrics(&d, ns, name, twin.evidenceTwin(s, now), metrics)
		}
	}
	checkDecisions(&d, twin, state, obs, byScope, metrics, now.UTC().Format(time.DateOnly))

	store := storageOf(metrics, scrapedAt, "p3o-operator", op.MetricsAddress)
	panels := checkDashboard(ctx, &d, twin, obs, byScope, board, engine, store, scrapedAt)
	return d, renderTable(rows, panels, twin, obs, now) + decisionsTable(twin, obs, byScope, now.UTC().Format(time.DateOnly))
}

// dashboardNamespaces are the values of the dashboard's namespace variable
// the queries are evaluated with: All, and single namespaces.
var dashboardNamespaces = []string{".*", "p3o-retail", "p3o-consistency-team"}

// checkDashboard evaluates every query of every panel and compares it with
// what its title says, recomputed from the twin. A panel without a twin here
// fails: every figure a person sees has one.
func checkDashboard(ctx context.Context, d *diffs, o *org, obs observed, byScope map[string]figures, board dashboard,
	engine *promql.Engine, store storage.Queryable, at time.Time) []string {
	var shown []string
	for _, ns := range dashboardNamespaces {
		match := regexp.MustCompile("^(?:" + ns + ")$").MatchString
		for _, p := range board.Panels {
			for _, target := range p.Targets {
				where := fmt.Sprintf("dashboard %q %s (namespace %s)", p.Title, target.RefID, ns)
				want, names, ok := expected(o, obs, byScope, p.Title, target.RefID, match)
				if !ok {
					d.add("%s: no twin for this panel in the consistency test", where)
					continue
				}
				got, err := evaluate(ctx, engine, store, target.Expr, ns, at)
				if err != nil {
					d.add("%s: %v", where, err)
					continue
				}
				d.eq(where, got.byLabels(names...), want.byLabels(names...))
				if ns == ".*" {
					shown = append(shown, fmt.Sprintf("%s %s: %s", p.Title, target.RefID, got.byLabels(names...)))
				}
			}
		}
	}
	return shown
}

// expected is what a panel's query should return, from the twin, and the
// labels that identify its series.
func expected(o *org, obs observed, byScope map[string]figures, title, refID string, match func(string) bool) (result, []string, bool) {
	var out result
	projects := sorted(keysOf(o.projects))
	inNS := func(key string) bool { ns, _ := split(key); return match(ns) }
	switch title + "/" + refID {
	case "Open projects by health/A":
		// A series per health (zero included) once any open project matches.
		counts := map[string]int{}
		for _, k := range projects {
			if inNS(k) && o.projects[k].open() {
				if len(counts) == 0 {
					counts = map[string]int{"Green": 0, "Amber": 0, "Red": 0, "Unknown": 0}
				}
				counts[obs.health[k]]++
			}
		}
		for h, n := range counts {
			out = append(out, series{labels: map[string]string{"health": h}, value: float64(n)})
		}
		return out, []string{"health"}, true
	case "Portfolio health/A":
		for k := range o.portfolios {
			if inNS(k) {
				ns, name := split(k)
				out = append(out, series{labels: map[string]string{"namespace": ns, "portfolio": name, "health": byScope["Portfolio/"+k].Health}, value: 1})
			}
		}
		return out, []string{"namespace", "portfolio", "health"}, true
	case "Non-compliant projects and programmes/A":
		n := 0
		for k, c := range obs.compliant {
			if inNS(k) && c == "False" {
				n++
			}
		}
		return result{{labels: map[string]string{}, value: float64(n)}}, nil, true
	case "Budget vs forecast by portfolio/A", "Budget vs forecast by portfolio/B":
		sums := map[[3]string]*inf.Dec{}
		for _, k := range projects {
			if !inNS(k) {
				continue
			}
			pf := o.portfolioOfProject(k)
			currency := ""
			if gov := first(o.officesAboveProject(k)); gov != "" {
				currency = o.currency(gov)
			}
			pfNS, pfName := "", ""
			if pf != "" {
				pfNS, pfName = split(pf)
			}
			group := [3]string{pfNS, pfName, currency}
			amount := o.projects[k].Spec.Plan.Budget.dec()
			if refID == "B" {
				amount = o.projects[k].forecast()
			}
			sum := sums[group]
			add(&sum, amount)
			sums[group] = sum
		}
		for g, sum := range sums {
			out = append(out, series{labels: map[string]string{"portfolio_namespace": g[0], "portfolio": g[1], "currency": g[2]}, value: toFloat(sum)})
		}
		return out, []string{"portfolio_namespace", "portfolio", "currency"}, true
	case "Capacity vs committed/A":
		for k := range o.portfolios {
			f := byScope["Portfolio/"+k]
			if inNS(k) && f.Capacity != nil && f.Committed != nil {
				ns, name := split(k)
				out = append(out, series{labels: map[string]string{"namespace": ns, "portfolio": name}, value: toFloat(f.Committed) / toFloat(f.Capacity)})
			}
		}
		return out, []string{"namespace", "portfolio"}, true
	case "Stale reporting/A":
		for _, k := range projects {
			if inNS(k) && o.stale(k, time.Now()) {
				ns, name := split(k)
				out = append(out, series{labels: map[string]string{"namespace": ns, "project": name}, value: 1})
			}
		}
		return out, []string{"namespace", "project"}, true
	case "Red projects beneath each office/A":
		for k := range o.offices {
			if inNS(k) {
				ns, name := split(k)
				out = append(out, series{labels: map[string]string{"namespace": ns, "name": name}, value: float64(byScope["Office/"+k].ByHealth["Red"])})
			}
		}
		return out, []string{"namespace", "name"}, true
	case "Red projects/A":
		for _, k := range projects {
			if !inNS(k) || !o.projects[k].open() || obs.health[k] != "Red" {
				continue
			}
			ns, name := split(k)
			pfNS, pf := splitOrEmpty(o.portfolioOfProject(k))
			_, prog := splitOrEmpty(o.programmeOfProject(k))
			offNS, off := splitOrEmpty(first(o.officesAboveProject(k)))
			out = append(out, series{labels: map[string]string{"namespace": ns, "project": name, "programme": prog,
				"portfolio_namespace": pfNS, "portfolio": pf, "office_namespace": offNS, "office": off}, value: 1})
		}
		return out, []string{"namespace", "project", "programme", "portfolio_namespace", "portfolio", "office_namespace", "office"}, true
	}
	return nil, nil, false
}

func splitOrEmpty(key string) (string, string) {
	if key == "" {
		return "", ""
	}
	return split(key)
}

// tableRow is one object's figures for the log.
func tableRow(s scope, f figures) string {
	phases := make([]string, 0, len(f.ByPhase))
	for _, k := range sorted(keysOf(f.ByPhase)) {
		kind, phase, _ := strings.Cut(k, "/")
		phases = append(phases, fmt.Sprintf("%s%s %d", kind[:4], "/"+phase, f.ByPhase[k]))
	}
	committed := "–"
	if s.kind == "Portfolio" {
		committed = human(f.Committed) + " / " + human(f.Capacity)
	}
	return fmt.Sprintf("%s\t%s\t%s\t%d/%d/%d/%d\t%d\t%d\t%d/%d/%d/%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d/%d/%d\t%d/%d/%d\t%s\n",
		s.kind, s.key, f.Health, f.Portfolios, f.Satellites, f.Programmes, f.Projects, f.Refused, openCount(f),
		f.ByHealth["Green"], f.ByHealth["Amber"], f.ByHealth["Red"], f.ByHealth["Unknown"],
		human(f.Budget), human(f.Actual), human(f.Forecast), human(f.Variance), committed,
		human(f.BenefitsPlanned), human(f.BenefitsRealised), f.RisksOpen, f.RisksHigh, f.Exposure,
		f.Compliant, f.NonCompliant, f.Unknown, strings.Join(phases, ", "))
}

func openCount(f figures) int {
	return f.ByHealth["Green"] + f.ByHealth["Amber"] + f.ByHealth["Red"] + f.ByHealth["Unknown"]
}

// renderTable lays out the figures of every object, the projects'
// reporting and the dashboard's panels.
func renderTable(rows, panels []string, o *org, obs observed, now time.Time) string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "KIND\tOBJECT\tHEALTH\tPF/SAT/PROG/PROJ\tREFUSED\tOPEN\tG/A/R/U\tBUDGET\tACTUAL\tFORECAST\tVARIANCE\tCOMMITTED/CAPACITY\tBENEFITS PLANNED\tREALISED\tRISKS OPEN/HIGH/EXP\tCOMPLIANT/NON/UNKNOWN\tBY PHASE")
	for _, r := range rows {
		fmt.Fprint(w, r)
	}
	w.Flush()
	b.WriteString("\n")
	w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PROJECT\tPHASE\tHEALTH\tPROGRAMME\tPORTFOLIO\tOFFICE\tCADENCE\tLAST REPORT\tSTALE\tBUDGET\tFORECAST")
	for _, k := range sorted(keysOf(o.projects)) {
		p := o.projects[k]
		asOf := "none"
		if p.Spec.Progress != nil {
			asOf = p.Spec.Progress.AsOf
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%v\t%s\t%s\n", k, p.phase(), obs.health[k], orDash(o.programmeOfProject(k)),
			orDash(o.portfolioOfProject(k)), orDash(first(o.officesAboveProject(k))), cadence(o.projectCadence(k)), asOf, o.stale(k, now),
			human(p.Spec.Plan.Budget.dec()), human(p.forecast()))
	}
	w.Flush()
	b.WriteString("\nDashboard (namespace All), as Prometheus's engine evaluated it:\n")
	sort.Strings(panels)
	for _, p := range panels {
		b.WriteString("  " + p + "\n")
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func cadence(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	if days%7 == 0 {
		return fmt.Sprintf("%dw", days/7)
	}
	return fmt.Sprintf("%dd", days)
}
