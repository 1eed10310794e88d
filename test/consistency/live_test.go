/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

// What the operator published, read back: status, the live reports
// (report.json, report.md, projects.csv) and the metrics of one scrape,
// each compared with the twin's figures.

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/inf.v0"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/report"
)

// live is one reading of the published state.
type live struct {
	offices    map[string]*v1alpha1.Office
	portfolios map[string]*v1alpha1.Portfolio
	programmes map[string]*v1alpha1.Programme
	projects   map[string]*v1alpha1.Project
	// reports are the live report ConfigMaps' data by "Kind/namespace/name".
	reports map[string]map[string]string
}

func readLive(ctx context.Context, c client.Client) (*live, error) {
	l := &live{offices: map[string]*v1alpha1.Office{}, portfolios: map[string]*v1alpha1.Portfolio{},
		programmes: map[string]*v1alpha1.Programme{}, projects: map[string]*v1alpha1.Project{}, reports: map[string]map[string]string{}}
	offices, portfolios := &v1alpha1.OfficeList{}, &v1alpha1.PortfolioList{}
	programmes, projects := &v1alpha1.ProgrammeList{}, &v1alpha1.ProjectList{}
	cms := &corev1.ConfigMapList{}
	for _, list := range []client.ObjectList{offices, portfolios, programmes, projects} {
		if err := c.List(ctx, list); err != nil {
			return nil, err
		}
	}
	if err := c.List(ctx, cms, client.MatchingLabels{v1alpha1.LabelReport: "live"}); err != nil {
		return nil, err
	}
	for i := range offices.Items {
		l.offices[key(&offices.Items[i])] = &offices.Items[i]
	}
	for i := range portfolios.Items {
		l.portfolios[key(&portfolios.Items[i])] = &portfolios.Items[i]
	}
	for i := range programmes.Items {
		l.programmes[key(&programmes.Items[i])] = &programmes.Items[i]
	}
	for i := range projects.Items {
		l.projects[key(&projects.Items[i])] = &projects.Items[i]
	}
	for _, cm := range cms.Items {
		var head struct{ Kind, Namespace, Name string }
		if err := json.Unmarshal([]byte(cm.Data["report.json"]), &head); err != nil {
			return nil, fmt.Errorf("report.json of ConfigMap %s/%s: %w", cm.Namespace, cm.Name, err)
		}
		l.reports[head.Kind+"/"+head.Namespace+"/"+head.Name] = cm.Data
	}
	return l, nil
}

func key(o client.Object) string { return o.GetNamespace() + "/" + o.GetName() }

// observed takes from status what only the health model and the gates say.
func (l *live) observed() observed {
	obs := observed{health: map[string]string{}, ownHealth: map[string]string{}, compliant: map[string]string{}}
	orUnknown := func(h v1alpha1.Health) string {
		if h == "" {
			return "Unknown"
		}
		return string(h)
	}
	compliant := func(conds []metav1.Condition) string {
		for _, c := range conds {
			if c.Type == string(v1alpha1.ConditionCompliant) {
				return string(c.Status)
			}
		}
		return "Unknown"
	}
	for k, p := range l.projects {
		obs.health[k] = orUnknown(p.Status.Health)
		obs.compliant[k] = compliant(p.Status.Conditions)
	}
	for k, p := range l.programmes {
		obs.ownHealth[k] = string(p.Status.OwnHealth)
		if obs.ownHealth[k] == "" {
			obs.ownHealth[k] = "Green" // as a portfolio counts a programme not assessed yet
		}
		obs.compliant[k] = compliant(p.Status.Conditions)
	}
	return obs
}

// diffs collects disagreements, each naming where it was seen.
type diffs []string

func (d *diffs) add(format string, args ...any) { *d = append(*d, fmt.Sprintf(format, args...)) }

// eq records a disagreement when got and want differ as printed.
func (d *diffs) eq(where string, got, want any) {
	if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
		d.add("%s: %s, want %s", where, g, w)
	}
}

// dec records a disagreement between a published amount (a decimal string,
// "" for none) and the twin's (nil for none).
func (d *diffs) dec(where, got string, want *inf.Dec) {
	if got == "" || want == nil {
		if got != "" || want != nil {
			d.add("%s: %q, want %s", where, got, decString(want))
		}
		return
	}
	g, ok := new(inf.Dec).SetString(got)
	if !ok || g.Cmp(want) != 0 {
		d.add("%s: %s, want %s", where, got, decString(want))
	}
}

// amount compares a status amount with the twin's figure exactly; an amount
// that is not written as status writes amounts is a difference too.
func (d *diffs) amount(where string, got v1alpha1.Amount, want *inf.Dec) {
	v := money.Value(got)
	switch {
	case got != "" && v == nil:
		d.add("%s: %q is not an amount as status writes it, want %s", where, got, decString(want))
	case v == nil || want == nil:
		if v != nil || want != nil {
			d.add("%s: %q, want %s", where, got, decString(want))
		}
	case v.Cmp(want) != 0:
		d.add("%s: %s, want %s", where, got, decString(want))
	}
}

func (d *diffs) float(where string, got float64, want *inf.Dec) {
	w := toFloat(want)
	if math.Abs(got-w) > 1e-9*math.Max(1, math.Abs(w)) {
		d.add("%s: %g, want %g", where, got, w)
	}
}

func decString(d *inf.Dec) string {
	if d == nil {
		return "none"
	}
	return d.String()
}

func toFloat(d *inf.Dec) float64 {
	if d == nil {
		return 0
	}
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// zeroIfNone is a total as the reports write it: 0 when nothing was added.
func zeroIfNone(d *inf.Dec) *inf.Dec {
	if d == nil {
		return new(inf.Dec)
	}
	return d
}

// human is an amount as report.md shows it.
func human(d *inf.Dec) string {
	if d == nil {
		return "–"
	}
	return money.Display(d)
}

func phases(byPhase []v1alpha1.PhaseCount) map[string]int {
	out := map[string]int{}
	for _, pc := range byPhase {
		out[string(pc.Kind)+"/"+pc.Phase] = int(pc.Count)
	}
	return out
}

func healthCounts(h v1alpha1.HealthCounts) map[string]int {
	return map[string]int{"Green": int(h.Green), "Amber": int(h.Amber), "Red": int(h.Red), "Unknown": int(h.Unknown)}
}

func ordered[V any](m map[string]V) string {
	ks := keysOf(m)
	sort.Strings(ks)
	parts := make([]string, 0, len(ks))
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s:%v", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// checkRollup compares an object's status rollup with its figures.
func checkRollup(d *diffs, where string, r v1alpha1.Rollup, f figures) {
	d.eq(where+" rollup.portfolios", r.Portfolios, f.Portfolios)
	d.eq(where+" rollup.satellites", r.Satellites, f.Satellites)
	d.eq(where+" rollup.programmes", r.Programmes, f.Programmes)
	d.eq(where+" rollup.projects", r.Projects, f.Projects)
	d.eq(where+" rollup.byHealth", ordered(healthCounts(r.ByHealth)), ordered(f.ByHealth))
	d.eq(where+" rollup.byPhase", ordered(phases(r.ByPhase)), ordered(f.ByPhase))
	d.eq(where+" rollup.health", r.Health, f.Health)
	d.eq(where+" rollup.money.currency", r.Money.Currency, f.Currency)
	d.amount(where+" rollup.money.budget", r.Money.Budget, f.Budget)
	d.amount(where+" rollup.money.actualCost", r.Money.ActualCost, f.Actual)
	d.amount(where+" rollup.money.forecastCost", r.Money.ForecastCost, f.Forecast)
	d.amount(where+" rollup.money.variance", r.Money.Variance, f.Variance)
	d.amount(where+" rollup.benefits.planned", r.Benefits.Planned, f.BenefitsPlanned)
	d.amount(where+" rollup.benefits.realised", r.Benefits.Realised, f.BenefitsRealised)
	d.eq(where+" rollup.risks", fmt.Sprint(r.Risks.Open, r.Risks.High, r.Risks.Exposure, r.Risks.Opportunities, r.Risks.OpportunityExposure),
		fmt.Sprint(f.RisksOpen, f.RisksHigh, f.Exposure, f.Opportunities, f.OpportunityExposure))
	d.eq(where+" rollup.compliance", fmt.Sprint(r.Compliance.Compliant, r.Compliance.NonCompliant, r.Compliance.Unknown),
		fmt.Sprint(f.Compliant, f.NonCompliant, f.Unknown))
	d.eq(where+" rollup.refused", r.Refused, f.Refused)
}

// reportJSON is report.json as docs/report-schema.md documents it (the
// fields compared here).
type reportJSON struct {
	SchemaVersion string `json:"schemaVersion"`
	Kind          string `json:"kind"`
	Namespace     string `json:"namespace"`
	Name          string `json:"name"`
	Health        string `json:"health"`
	Currency      string `json:"currency"`
	Totals        struct {
		Budget, ActualCost, ForecastCost, Variance, BenefitsPlanned, BenefitsRealised string
	} `json:"totals"`
	Counts struct {
		Portfolios, Programmes, Projects, Satellites, Refused int
		ByHealth                                              struct{ Green, Amber, Red, Unknown int } `json:"byHealth"`
		ByPhase                                               []struct {
			Kind, Phase string
			Count       int
		} `json:"byPhase"`
	} `json:"counts"`
	Capacity *struct {
		Capacity, Committed string
		OverCommitted       *bool `json:"overCommitted"`
	} `json:"capacity"`
	Compliance struct{ Compliant, NonCompliant, Unknown int } `json:"compliance"`
	Risks      struct {
		Open, High, Exposure, Opportunities, OpportunityExposure int64
	} `json:"risks"`
	Exceptions []struct{ Kind, Namespace, Name string } `json:"exceptions"`
	Projects   []struct {
		Namespace, Name, Programme, Phase, Health, Budget, ForecastCost string
	} `json:"projects"`
	Truncated bool `json:"truncated"`
}

// checkReport compares a live report's three keys with the figures.
func checkReport(d *diffs, o *org, s scope, f figures, obs observed, data map[string]string) {
	where := fmt.Sprintf("%s %s report", s.kind, s.key)
	var r reportJSON
	if err := json.Unmarshal([]byte(data["report.json"]), &r); err != nil {
		d.add("%s.json: %v", where, err)
		return
	}
	w := where + ".json"
	d.eq(w+" schemaVersion", r.SchemaVersion, "p3o.dev/report/v1")
	d.eq(w+" truncated", r.Truncated, false)
	wantHealth := f.Health
	if s.kind == "Programme" {
		wantHealth = worse(obs.ownHealth[s.key], f.Health)
	}
	d.eq(w+" health", r.Health, wantHealth)
	d.eq(w+" currency", r.Currency, f.Currency)
	d.eq(w+" counts", fmt.Sprint(r.Counts.Portfolios, r.Counts.Satellites, r.Counts.Programmes, r.Counts.Projects, r.Counts.Refused),
		fmt.Sprint(f.Portfolios, f.Satellites, f.Programmes, f.Projects, f.Refused))
	h := r.Counts.ByHealth
	d.eq(w+" counts.byHealth", ordered(map[string]int{"Green": h.Green, "Amber": h.Amber, "Red": h.Red, "Unknown": h.Unknown}), ordered(f.ByHealth))
	byPhase := map[string]int{}
	for _, pc := range r.Counts.ByPhase {
		byPhase[pc.Kind+"/"+pc.Phase] = pc.Count
	}
	d.eq(w+" counts.byPhase", ordered(byPhase), ordered(f.ByPhase))
	d.dec(w+" totals.budget", r.Totals.Budget, f.Budget)
	d.dec(w+" totals.actualCost", r.Totals.ActualCost, f.Actual)
	d.dec(w+" totals.forecastCost", r.Totals.ForecastCost, f.Forecast)
	d.dec(w+" totals.variance", r.Totals.Variance, f.Variance)
	// A total that nothing was added to is 0 (the organisations here keep
	// one currency, so no total is unknown).
	d.dec(w+" totals.benefitsPlanned", r.Totals.BenefitsPlanned, zeroIfNone(f.BenefitsPlanned))
	d.dec(w+" totals.benefitsRealised", r.Totals.BenefitsRealised, zeroIfNone(f.BenefitsRealised))
	d.eq(w+" compliance", fmt.Sprint(r.Compliance.Compliant, r.Compliance.NonCompliant, r.Compliance.Unknown),
		fmt.Sprint(f.Compliant, f.NonCompliant, f.Unknown))
	d.eq(w+" risks", fmt.Sprint(r.Risks.Open, r.Risks.High, r.Risks.Exposure, r.Risks.Opportunities, r.Risks.OpportunityExposure),
		fmt.Sprint(f.RisksOpen, f.RisksHigh, f.Exposure, f.Opportunities, f.OpportunityExposure))
	if s.kind == "Portfolio" {
		if r.Capacity == nil {
			d.add("%s capacity: missing", w)
		} else {
			d.dec(w+" capacity.capacity", r.Capacity.Capacity, f.Capacity)
			committed := f.Committed
			if committed == nil && f.OverCommitted != nil {
				committed = new(inf.Dec) // known, and nothing committed: 0
			}
			d.dec(w+" capacity.committed", r.Capacity.Committed, committed)
			d.eq(w+" capacity.overCommitted", boolPtr(r.Capacity.OverCommitted), boolPtr(f.OverCommitted))
		}
	}
	var exceptions, wantExceptions []string
	for _, e := range r.Exceptions {
		exceptions = append(exceptions, e.Kind+" "+e.Namespace+"/"+e.Name)
	}
	for _, k := range f.Red {
		wantExceptions = append(wantExceptions, "Project "+k)
	}
	for _, k := range s.programmes {
		if obs.ownHealth[k] == "Red" {
			wantExceptions = append(wantExceptions, "Programme "+k)
		}
	}
	sort.Strings(exceptions)
	sort.Strings(wantExceptions)
	d.eq(w+" exceptions", exceptions, wantExceptions)

	// One row per project in scope, in report.json and projects.csv alike,
	// with its budget and its forecast (the budget when none is reported).
	type row struct{ programme, phase, health, budget, forecast string }
	want := map[string]row{}
	for _, k := range s.projects {
		p := o.projects[k]
		programme := ""
		if p.Spec.ProgrammeRef != nil {
			programme = p.Spec.ProgrammeRef.Name
		}
		want[k] = row{programme, p.phase(), obs.health[k], p.Spec.Plan.Budget.dec().String(), p.forecast().String()}
	}
	compareRows := func(where string, got map[string]row) {
		d.eq(where+" projects", ordered(setOf(keysOf(got))), ordered(setOf(keysOf(want))))
		for k, g := range got {
			wr, ok := want[k]
			if !ok {
				continue
			}
			d.eq(where+" "+k+" programme/phase/health", g.programme+"/"+g.phase+"/"+g.health, wr.programme+"/"+wr.phase+"/"+wr.health)
			d.dec(where+" "+k+" budget", g.budget, mustDec(wr.budget))
			d.dec(where+" "+k+" forecast", g.forecast, mustDec(wr.forecast))
		}
	}
	got := map[string]row{}
	for _, p := range r.Projects {
		got[p.Namespace+"/"+p.Name] = row{p.Programme, p.Phase, p.Health, p.Budget, p.ForecastCost}
	}
	compareRows(w, got)

	records, err := csv.NewReader(strings.NewReader(data["projects.csv"])).ReadAll()
	if err != nil || len(records) == 0 {
		d.add("%s projects.csv: %v (%d rows)", where, err, len(records))
	} else {
		d.eq(where+" projects.csv header", strings.Join(records[0], ","),
			"namespace,name,programme,phase,health,compliant,budget,actual_cost,forecast_cost,percent_complete,manager,as_of,reason,category,priority,score,rank,dependencies_at_risk,"+
				"benefits_planned,benefits_realised,variance,delivery_confidence,health_then,direction,forecast_change,variance_change,delivery_confidence_then,periods_red_or_amber")
		got := map[string]row{}
		for _, rec := range records[1:] {
			got[rec[0]+"/"+rec[1]] = row{rec[2], rec[3], rec[4], rec[6], rec[8]}
		}
		if len(got) != len(records)-1 {
			d.add("%s projects.csv: %d rows for %d projects", where, len(records)-1, len(got))
		}
		compareRows(where+" projects.csv", got)
	}

	checkMarkdown(d, where+".md", s, f, data["report.md"])
	mdRows := markdownProjects(data["report.md"])
	d.eq(where+".md projects", ordered(setOf(keysOf(mdRows))), ordered(setOf(keysOf(want))))
	for k, cells := range mdRows {
		if wr, ok := want[k]; ok {
			d.eq(where+".md "+k+" budget/forecast", cells[3]+"/"+cells[4], human(mustDec(wr.budget))+"/"+human(mustDec(wr.forecast)))
		}
	}
}

func boolPtr(b *bool) string {
	if b == nil {
		return "null"
	}
	return strconv.FormatBool(*b)
}

func setOf(ks []string) map[string]bool {
	out := map[string]bool{}
	for _, k := range ks {
		out[k] = true
	}
	return out
}

func mustDec(s string) *inf.Dec {
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		panic("not a decimal: " + s)
	}
	return d
}

var (
	mdRow       = regexp.MustCompile(`(?m)^\| ([^|]+?) \| (.+?) \|$`)
	mdCapacity  = regexp.MustCompile(`(?m)^Capacity (\S+), committed (\S+): (.+)\.$`)
	mdBenefits  = regexp.MustCompile(`(?m)^Benefits: planned (\S+), realised (\S+)\.$`)
	mdRisks     = regexp.MustCompile(`(?m)^Open threats: (\d+), of which high: (\d+); exposure (\d+)\.$`)
	mdOpps      = regexp.MustCompile(`(?m)^Open opportunities: (\d+); exposure (\d+)\.$`)
	mdMoneyHead = "| Budget | Actual | Forecast | Variance |"
)

// checkMarkdown reads the figures of report.md's summary table, money
// table, capacity, benefits and risk lines and its by-phase table.
func checkMarkdown(d *diffs, where string, s scope, f figures, md string) {
	summary := map[string]string{}
	head, _, _ := strings.Cut(md, "\n## ")
	for _, m := range mdRow.FindAllStringSubmatch(head, -1) {
		summary[m[1]] = m[2]
	}
	count := func(label string, want int, shown bool) {
		got, ok := summary[label]
		switch {
		case ok:
			d.eq(where+" "+label, got, want)
		case shown:
			d.add("%s: no %q row", where, label)
		}
	}
	count("Portfolios", f.Portfolios, s.kind == "Office" || f.Portfolios > 0)
	count("Satellite offices", f.Satellites, f.Satellites > 0)
	count("Programmes", f.Programmes, true)
	count("Projects", f.Projects, true)
	count("Refused attachments", f.Refused, f.Refused > 0)
	d.eq(where+" Open projects Green / Amber / Red / Unknown", summary["Open projects Green / Amber / Red / Unknown"],
		fmt.Sprintf("%d / %d / %d / %d", f.ByHealth["Green"], f.ByHealth["Amber"], f.ByHealth["Red"], f.ByHealth["Unknown"]))
	d.eq(where+" "+report.ComplianceLabel, summary[report.ComplianceLabel],
		fmt.Sprintf("%d / %d / %d", f.Compliant, f.NonCompliant, f.Unknown))

	lines := strings.Split(md, "\n")
	moneyRow := ""
	for i, l := range lines {
		if l == mdMoneyHead && i+2 < len(lines) {
			moneyRow = lines[i+2]
		}
	}
	d.eq(where+" money", moneyRow, fmt.Sprintf("| %s | %s | %s | %s |", human(f.Budget), human(f.Actual), human(f.Forecast), human(f.Variance)))
	if m := mdBenefits.FindStringSubmatch(md); m == nil {
		d.add("%s: no benefits line", where)
	} else {
		d.eq(where+" benefits", m[1]+" "+m[2], human(zeroIfNone(f.BenefitsPlanned))+" "+human(zeroIfNone(f.BenefitsRealised)))
	}
	if m := mdRisks.FindStringSubmatch(md); m == nil {
		d.add("%s: no open risks line", where)
	} else {
		d.eq(where+" risks", m[1]+" "+m[2]+" "+m[3], fmt.Sprint(f.RisksOpen, f.RisksHigh, f.Exposure))
	}
	if m := mdOpps.FindStringSubmatch(md); m == nil {
		d.add("%s: no open opportunities line", where)
	} else {
		d.eq(where+" opportunities", m[1]+" "+m[2], fmt.Sprint(f.Opportunities, f.OpportunityExposure))
	}
	if s.kind == "Portfolio" {
		if m := mdCapacity.FindStringSubmatch(md); m == nil {
			d.add("%s: no capacity line", where)
		} else {
			over := map[string]string{"true": "**over-committed**", "false": "within capacity",
				"null": "committed unknown, so capacity cannot be compared"}[boolPtr(f.OverCommitted)]
			d.eq(where+" capacity", m[1]+" "+m[2]+" "+m[3], human(f.Capacity)+" "+human(f.Committed)+" "+over)
		}
	}
	byPhase := map[string]int{}
	if _, section, ok := strings.Cut(md, "\n## By phase\n"); ok {
		section, _, _ = strings.Cut(section, "\n## ")
		for _, l := range strings.Split(section, "\n") {
			cells := cellsOf(l)
			if len(cells) == 3 && cells[0] != "Kind" && !strings.HasPrefix(cells[0], "---") {
				n, _ := strconv.Atoi(cells[2])
				byPhase[cells[0]+"/"+cells[1]] = n
			}
		}
	}
	d.eq(where+" by phase", ordered(byPhase), ordered(f.ByPhase))
}

// markdownProjects reads report.md's project table: cells by
// "namespace/name".
func markdownProjects(md string) map[string][]string {
	out := map[string][]string{}
	_, section, ok := strings.Cut(md, "\n## Projects\n")
	if !ok {
		return out
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, l := range strings.Split(section, "\n") {
		cells := cellsOf(l)
		if len(cells) == 8 && cells[0] != "Project" && !strings.HasPrefix(cells[0], "---") {
			out[cells[0]] = cells[1:]
		}
	}
	return out
}

func cellsOf(line string) []string {
	if !strings.HasPrefix(line, "| ") || !strings.HasSuffix(line, " |") {
		return nil
	}
	cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
	for i := range cells {
		cells[i] = strings.ReplaceAll(cells[i], `\`, "")
	}
	return cells
}

// series is one scraped sample.
type series struct {
	labels map[string]string
	value  float64
}

// scraped holds the samples of one scrape by metric name.
type scraped map[string][]series

// one finds the series of a metric whose labels include match; it records
// a disagreement unless there is exactly one.
func (s scraped) one(d *diffs, name string, match map[string]string) (series, bool) {
	var found []series
	for _, x := range s[name] {
		if includes(x.labels, match) {
			found = append(found, x)
		}
	}
	if len(found) != 1 {
		d.add("metric %s %v: %d series, want 1", name, match, len(found))
		return series{}, false
	}
	return found[0], true
}

// none records a disagreement if a metric has a series whose labels
// include match.
func (s scraped) none(d *diffs, name string, match map[string]string) {
	for _, x := range s[name] {
		if includes(x.labels, match) {
			d.add("metric %s %v: a series (%v), want none", name, match, x.value)
		}
	}
}

func includes(labels, match map[string]string) bool {
	for k, v := range match {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// oneOf checks a series-per-state metric: the state with value 1.
func (s scraped) oneOf(d *diffs, name string, match map[string]string, label, want string) {
	current := []string{}
	n := 0
	for _, x := range s[name] {
		if includes(x.labels, match) {
			n++
			if x.value == 1 {
				current = append(current, x.labels[label])
			}
		}
	}
	if n == 0 {
		d.add("metric %s %v: no series", name, match)
		return
	}
	d.eq(fmt.Sprintf("metric %s %v %s", name, match, label), current, []string{want})
}

// checkRiskExposure compares a project's p3o_project_risk_exposure series
// with its register: the open threats' severities and, apart, the open
// opportunities'; no series when nothing is open.
func checkRiskExposure(d *diffs, k string, id map[string]string, risks []risk, m scraped) {
	exposure := map[string]int64{}
	open := false
	for _, r := range risks {
		if r.Status == "Closed" {
			continue
		}
		kind := "Threat"
		if r.Kind == "Opportunity" {
			kind = "Opportunity"
		}
		exposure[kind] += r.Probability * r.Impact
		open = true
	}
	for _, kind := range []string{"Threat", "Opportunity"} {
		match := map[string]string{"namespace": id["namespace"], "project": id["project"], "kind": kind}
		if !open {
			for _, x := range m["p3o_project_risk_exposure"] {
				if includes(x.labels, match) {
					d.add("metric p3o_project_risk_exposure %s %s: %g, want no series", k, kind, x.value)
				}
			}
			continue
		}
		if x, ok := m.one(d, "p3o_project_risk_exposure", match); ok {
			d.eq("metric p3o_project_risk_exposure "+k+" "+kind, int64(x.value), exposure[kind])
		}
	}
}

// checkMetrics compares the scrape with the twin.
func checkMetrics(d *diffs, o *org, obs observed, byScope map[string]figures, m scraped, now time.Time) {
	for _, name := range []string{"p3o_project_info", "p3o_programme_info", "p3o_portfolio_info", "p3o_project_stale", "p3o_project_reporting_cadence_seconds"} {
		want := map[string]int{"p3o_project_info": len(o.projects), "p3o_programme_info": len(o.programmes), "p3o_portfolio_info": len(o.portfolios),
			"p3o_project_stale": len(o.projects), "p3o_project_reporting_cadence_seconds": len(o.projects)}[name]
		d.eq("metric "+name+" series", len(m[name]), want)
	}
	ref := func(key string) (string, string) { ns, name := split(key); return name, ns }
	for k, p := range o.projects {
		id := map[string]string{"namespace": p.Namespace, "project": p.Name}
		prog, progNS := ref(o.programmeOfProject(k))
		pf, pfNS := ref(o.portfolioOfProject(k))
		gov := first(o.officesAboveProject(k))
		off, offNS := ref(gov)
		if info, ok := m.one(d, "p3o_project_info", id); ok {
			d.eq("metric p3o_project_info "+k, ordered(info.labels), ordered(map[string]string{
				"namespace": p.Namespace, "project": p.Name, "phase": p.phase(), "programme": prog, "programme_namespace": progNS,
				"portfolio": pf, "portfolio_namespace": pfNS, "office": off, "office_namespace": offNS}))
		}
		if x, ok := m.one(d, "p3o_project_stale", id); ok {
			d.eq("metric p3o_project_stale "+k, x.value == 1, o.stale(k, now))
		}
		if x, ok := m.one(d, "p3o_project_reporting_cadence_seconds", id); ok {
			d.eq("metric p3o_project_reporting_cadence_seconds "+k, x.value, o.projectCadence(k).Seconds())
		}
		m.oneOf(d, "p3o_project_health", id, "health", obs.health[k])
		m.oneOf(d, "p3o_project_compliant", id, "status", strings.ToLower(obs.compliant[k]))
		currency := ""
		if gov != "" {
			currency = o.currency(gov)
		}
		for name, want := range map[string]*inf.Dec{"p3o_project_budget": p.Spec.Plan.Budget.dec(), "p3o_project_forecast_cost": p.forecast(), "p3o_project_actual_cost": p.actual()} {
			if want == nil {
				for _, x := range m[name] {
					if includes(x.labels, id) {
						d.add("metric %s %s: %g, want no series", name, k, x.value)
					}
				}
				continue
			}
			if x, ok := m.one(d, name, id); ok {
				d.float("metric "+name+" "+k, x.value, want)
				d.eq("metric "+name+" "+k+" currency", x.labels["currency"], currency)
			}
		}
		if p.Spec.Progress != nil {
			asOf, _ := time.Parse(time.DateOnly, p.Spec.Progress.AsOf)
			if x, ok := m.one(d, "p3o_project_progress_report_timestamp_seconds", id); ok {
				d.eq("metric p3o_project_progress_report_timestamp_seconds "+k, int64(x.value), asOf.Unix())
			}
		}
		checkRiskExposure(d, k, id, p.Spec.Risks, m)
	}
	for k, p := range o.programmes {
		id := map[string]string{"namespace": p.Namespace, "programme": p.Name}
		pf, pfNS := ref(o.portfolioOfProgramme(k))
		off, offNS := ref(first(o.officesAboveProgramme(k)))
		if info, ok := m.one(d, "p3o_programme_info", id); ok {
			d.eq("metric p3o_programme_info "+k, ordered(info.labels), ordered(map[string]string{
				"namespace": p.Namespace, "programme": p.Name, "phase": p.phase(), "portfolio": pf, "portfolio_namespace": pfNS,
				"office": off, "office_namespace": offNS}))
		}
		m.oneOf(d, "p3o_programme_health", id, "health", worse(obs.ownHealth[k], byScope["Programme/"+k].Health))
		m.oneOf(d, "p3o_programme_compliant", id, "status", strings.ToLower(obs.compliant[k]))
	}
	for k, p := range o.portfolios {
		id := map[string]string{"namespace": p.Namespace, "portfolio": p.Name}
		off, offNS := ref(first(o.officesAbovePortfolio(k)))
		if info, ok := m.one(d, "p3o_portfolio_info", id); ok {
			d.eq("metric p3o_portfolio_info "+k, ordered(info.labels), ordered(map[string]string{
				"namespace": p.Namespace, "portfolio": p.Name, "office": off, "office_namespace": offNS}))
		}
		f := byScope["Portfolio/"+k]
		m.oneOf(d, "p3o_portfolio_health", id, "health", f.Health)
		if x, ok := m.one(d, "p3o_portfolio_capacity", id); ok {
			d.float("metric p3o_portfolio_capacity "+k, x.value, f.Capacity)
		}
		if x, ok := m.one(d, "p3o_portfolio_committed", id); ok {
			d.float("metric p3o_portfolio_committed "+k, x.value, f.Committed)
		}
	}
	for k, off := range o.offices {
		id := map[string]string{"namespace": off.Namespace, "office": off.Name}
		m.oneOf(d, "p3o_office_health", id, "health", byScope["Office/"+k].Health)
	}
	for sk, f := range byScope {
		kind, k, _ := strings.Cut(sk, "/")
		ns, name := split(k)
		id := map[string]string{"kind": kind, "namespace": ns, "name": name}
		for h, n := range f.ByHealth {
			if x, ok := m.one(d, "p3o_rollup_projects", map[string]string{"kind": kind, "namespace": ns, "name": name, "health": h}); ok {
				d.eq(fmt.Sprintf("metric p3o_rollup_projects %s %s", sk, h), x.value, float64(n))
			}
		}
		if x, ok := m.one(d, "p3o_rollup_noncompliant", id); ok {
			d.eq("metric p3o_rollup_noncompliant "+sk, x.value, float64(f.NonCompliant))
		}
		for figure, want := range map[string]*inf.Dec{"planned": f.BenefitsPlanned, "realised": f.BenefitsRealised} {
			labels := map[string]string{"kind": kind, "namespace": ns, "name": name, "figure": figure}
			if want == nil {
				m.none(d, "p3o_rollup_benefits", labels)
			} else if x, ok := m.one(d, "p3o_rollup_benefits", labels); ok {
				d.float("metric p3o_rollup_benefits "+sk+" "+figure, x.value, want)
			}
		}
	}
}
