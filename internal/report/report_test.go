/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/rollup"
	"p3o.dev/p3o-operator/internal/strategy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func qty(s string) *resource.Quantity {
	q := resource.MustParse(s)
	return &q
}

func pct(v int32) *int32 { return &v }

func project(name string, h v1alpha1.Health, budget, forecast string, reasons ...string) *v1alpha1.Project {
	p := &v1alpha1.Project{
		ObjectMeta: metav1.ObjectMeta{Namespace: "p3o-central", Name: name},
		Spec: v1alpha1.ProjectSpec{
			ProgrammeRef: &v1alpha1.ParentReference{Name: "cloud-migration"},
			Phase:        v1alpha1.ProjectDelivering, Manager: "Sam de Vries",
			Plan:     v1alpha1.Plan{Budget: qty(budget)},
			Progress: &v1alpha1.Progress{AsOf: "2026-11-20", ActualCost: qty("400k"), ForecastCost: qty(forecast), PercentComplete: pct(40)},
		},
		Status: v1alpha1.ProjectStatus{Health: h, HealthReasons: reasons,
			Conditions: []metav1.Condition{{Type: string(v1alpha1.ConditionCompliant), Status: metav1.ConditionTrue}}},
	}
	return p
}

// sampleInput is a portfolio with a Red, an Amber and a Green project, an
// unmet gate, a gate falling due and risks.
func sampleInput() Input {
	erp := project("erp-migration", v1alpha1.HealthRed, "1.2M", "1.45M", "cost forecast 1.45M exceeds budget 1.2M beyond 10% tolerance (overrun 250k)")
	erp.Spec.Risks = []v1alpha1.Risk{{Name: "R-001", Description: "Data quality | legacy", Probability: 4, Impact: 5, Owner: "Finance lead"}}
	erp.Status.Conditions[0].Status = metav1.ConditionFalse
	erp.Status.CostVariance, erp.Status.DeliveryConfidence = "250000", v1alpha1.ConfidenceAmberRed
	erp.Status.Compliance.Gates = []v1alpha1.GateStatus{
		{Name: "gate-3", Description: "Gate 3 Investment decision", State: v1alpha1.GateUnmet, Message: "review of 2026-10-14 gave AmberRed, worse than the minimum Amber"},
	}
	portal := project("customer-portal", v1alpha1.HealthAmber, "2.5M", "2.7M", "cost forecast 2.7M uses 80% of the 10% tolerance on budget 2.5M")
	portal.Status.CostVariance = "200000"
	erp.Status.ToleranceExceptions = []v1alpha1.ToleranceException{{Kind: v1alpha1.ExceptionCostOverrun, Health: v1alpha1.HealthRed, Message: erp.Status.HealthReasons[0]}}
	portal.Spec.Risks = []v1alpha1.Risk{{Name: "R-7", Probability: 2, Impact: 3}, {Name: "R-8", Probability: 5, Impact: 5, Status: v1alpha1.RiskClosed},
		{Name: "O-1", Kind: v1alpha1.RiskOpportunity, Description: "Partner | co-funding", Probability: 4, Impact: 4, Proximity: "2027-01-31", Owner: "Laura Fischer", Response: v1alpha1.ResponseExploit},
		{Name: "O-2", Kind: v1alpha1.RiskOpportunity, Probability: 2, Impact: 2, Status: v1alpha1.RiskClosed}}
	// An open project forecasting under budget beyond tolerance under an
	// office that only shows it.
	portal.Status.ToleranceExceptions = []v1alpha1.ToleranceException{{Kind: v1alpha1.ExceptionEarlyFinish, Health: v1alpha1.HealthGreen,
		Message: "forecast end 2027-01-15 is 6w before planned end 2027-02-26, beyond the 4w time tolerance"}}
	portal.Status.Dependencies = []v1alpha1.DependencyStatus{
		{Kind: v1alpha1.SubjectKindProject, Provider: v1alpha1.ObjectReference{Namespace: "p3o-central", Name: "erp-migration"}, NeededBy: "2027-03-01",
			State: v1alpha1.DependencyAtRisk, Cause: v1alpha1.CauseProviderRed, ProviderForecastEnd: "2027-02-15", Impact: v1alpha1.HealthAmber},
		{Kind: v1alpha1.SubjectKindProject, Provider: v1alpha1.ObjectReference{Namespace: "p3o-central", Name: "legacy-crm"}, NeededBy: "2026-06-01",
			State: v1alpha1.DependencyOnTrack, Cause: v1alpha1.CauseDelivered},
	}
	closed := project("legacy-crm", v1alpha1.HealthGreen, "300k", "285k")
	closed.Spec.Phase = v1alpha1.ProjectClosed
	// A closed project's last forecast is its outturn: no exception to act on.
	closed.Status.ToleranceExceptions = []v1alpha1.ToleranceException{{Kind: v1alpha1.ExceptionUnderspend, Health: v1alpha1.HealthGreen,
		Message: "cost forecast 200k is below budget 300k beyond the 10% tolerance (underspend 100k)"}}
	closed.Status.Compliance.Gates = []v1alpha1.GateStatus{{Name: "gate-5", Description: "Gate 5 Operations review and benefits realisation",
		State: v1alpha1.GateNotYetRequired, Message: "due by 2027-04-01; no review", DueAt: mustDay("2027-04-01")}}

	// Benefits: the closed project realised its own; erp contributes to
	// the programme's hosting savings (counted there, once) and holds a
	// benefit of its own; the portal saves hours (listed, never summed).
	closed.Spec.Benefits = []v1alpha1.Benefit{{Name: "CRM licence savings", Owner: "Sophie Martin", Target: qty("180k"), Realised: qty("90k"), Due: "2026-12-31"}}
	erp.Spec.Benefits = []v1alpha1.Benefit{
		{Name: "Hosting contribution", ProgrammeBenefit: "Hosting savings"},
		{Name: "Financial close shortened", Owner: "Ingrid Larsen", Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitDays, Label: "days to close the books"},
			Baseline: qty("8"), Target: qty("4"), Forecast: qty("5"), Due: "2027-12-31"},
	}
	portal.Spec.Benefits = []v1alpha1.Benefit{{Name: "Self-service revenue", Owner: "Sophie Martin", Planned: qty("800k"), Forecast: qty("650k"), Due: "2028-06-30", Cashable: ptrTo(true)}}
	b := rollup.New("EUR").WithFinancialYearStart(4)
	b.AddOwnBenefits("Programme p3o-central/cloud-migration", []v1alpha1.Benefit{
		{Name: "Hosting savings", Owner: "Helen Carter", Target: qty("420k"), Realised: qty("100k"), Due: "2027-06-30", Cashable: ptrTo(true)},
		{Name: "Staff hours saved", Owner: "Helen Carter", Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitHours, Label: "staff hours saved a year"},
			Target: qty("12000"), Realised: qty("3000")},
	})
	for _, p := range []*v1alpha1.Project{erp, portal, closed} {
		b.AddProject(rollup.Project{Namespace: p.Namespace, Name: p.Name, Phase: p.Spec.Phase, Health: p.Status.Health, Currency: "EUR",
			Budget: money.Of(p.Spec.Plan.Budget), ActualCost: money.Of(p.Spec.Progress.ActualCost), ForecastCost: money.Of(p.Spec.Progress.ForecastCost),
			Risks: rollup.Risks(p.Spec.Risks, 15), Benefits: p.Spec.Benefits})
	}
	res := b.Build()

	// Strategy: the portal is a direct project of the portfolio, the other
	// two are within the cloud-migration programme, which is ranked for them.
	portal.Spec.ProgrammeRef, portal.Spec.PortfolioRef = nil, &v1alpha1.ParentReference{Name: "digital-transformation"}
	portal.Spec.Category, portal.Spec.Priority = "Grow", 2
	portal.Spec.Contributions = []v1alpha1.Contribution{{Objective: "digital-by-default", Strength: v1alpha1.StrengthHigh}}
	portal.Status.Score = pct(67)
	erp.Spec.Category = "Transform"
	erp.Spec.Contributions = []v1alpha1.Contribution{{Objective: "moonshot", Strength: v1alpha1.StrengthLow}}
	declared := strategy.Declared{
		Objectives: []strategy.Objective{{Name: "digital-by-default", Weight: 2}, {Name: "resilient-operations", Weight: 1}},
		Categories: []string{"Transform", "Grow", "Run"},
		Targets:    map[string]int64{"Transform": 50, "Grow": 30, "Run": 20},
	}
	components := []strategy.Component{
		{Kind: v1alpha1.SubjectKindProgramme, Namespace: "p3o-central", Name: "cloud-migration", Open: true, Priority: 1, Category: "Transform",
			Contributions: []v1alpha1.Contribution{{Objective: "resilient-operations", Strength: v1alpha1.StrengthHigh}}, Committed: money.Of(qty("1.5M"))},
		{Kind: v1alpha1.SubjectKindProject, Namespace: "p3o-central", Name: "customer-portal", Open: true, Priority: 2, Category: "Grow",
			Contributions: portal.Spec.Contributions, Committed: money.Of(qty("2.5M"))},
	}
	return Input{Kind: "Portfolio", Namespace: "p3o-central", Name: "digital-transformation", Health: res.Rollup.Health, Rollup: res.Rollup,
		Capacity: money.Of(qty("3.5M")), Committed: res.Committed, OverCommitted: ptrTo(true),
		// 100k of the 4M committed is in no year.
		CapacityByYear: []v1alpha1.YearAmount{{Year: 2026, Amount: qty("2M")}, {Year: 2025, Amount: qty("1.5M")}},
		CommittedByYear: []v1alpha1.YearCommitment{
			{Year: 2025, Committed: "1500000", OverCommitted: ptrTo(false)},
			{Year: 2026, Committed: "2100000", OverCommitted: ptrTo(true)},
			{Year: 2027, Committed: "300000"},
		},
		Strategy: &StrategyInput{Result: strategy.Assess(declared, components, true), Declared: declared},
		Projects: []*v1alpha1.Project{erp, portal, closed},
		Previous: previousPeriod()}
}

// previousPeriod is the sealed report of the period before sampleInput's:
// the ERP migration was Amber (Red for a period before that), the portal
// Red, and a data platform since gone was Amber.
func previousPeriod() *Previous {
	erp := project("erp-migration", v1alpha1.HealthAmber, "1.2M", "1.3M")
	erp.Status.CostVariance = "100000"
	erp.Status.DeliveryConfidence = v1alpha1.ConfidenceAmber
	portal := project("customer-portal", v1alpha1.HealthRed, "2.5M", "2.9M")
	portal.Status.CostVariance = "400000"
	platform := project("data-platform", v1alpha1.HealthAmber, "800k", "800k")
	closed := project("legacy-crm", v1alpha1.HealthGreen, "300k", "285k")
	b := rollup.New("EUR")
	for _, p := range []*v1alpha1.Project{erp, portal, platform, closed} {
		b.AddProject(rollup.Project{Namespace: p.Namespace, Name: p.Name, Phase: p.Spec.Phase, Health: p.Status.Health, Currency: "EUR",
			Budget: money.Of(p.Spec.Plan.Budget), ForecastCost: money.Of(p.Spec.Progress.ForecastCost)})
	}
	res := b.Build()
	earlier := Build(Input{Kind: "Portfolio", Namespace: "p3o-central", Name: "digital-transformation", Health: res.Rollup.Health, Rollup: res.Rollup,
		Projects: []*v1alpha1.Project{erp, portal, platform, closed}})
	earlier.Projects[slices.IndexFunc(earlier.Projects, func(r ProjectRow) bool { return r.Name == "customer-portal" })].PeriodsRedOrAmber = 2
	return &Previous{Start: "2026-11-23T00:00:00Z", Report: earlier}
}

func mustDay(s string) *metav1.Time {
	d, err := v1alpha1.Date(s).Time()
	if err != nil {
		panic(err)
	}
	t := metav1.NewTime(d)
	return &t
}

// TestGolden renders a sample portfolio and compares every key with
// testdata/; run `go test ./internal/report -update` to accept a change.
func TestGolden(t *testing.T) {
	rendered := Render(Build(sampleInput()))
	if rendered.Truncated {
		t.Error("a small report says it is truncated")
	}
	data := rendered.Data
	for _, key := range []string{KeyJSON, KeyMarkdown, KeyCSV} {
		path := filepath.Join("testdata", "portfolio."+key+".golden")
		if *update {
			if err := os.WriteFile(path, []byte(data[key]), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(data[key], "\n")); diff != "" {
			t.Errorf("%s differs from %s (-want +got):\n%s", key, path, diff)
		}
	}
}

func TestRenderingIsDeterministicAndParses(t *testing.T) {
	a, b := Render(Build(sampleInput())).Data, Render(Build(sampleInput())).Data
	if !cmp.Equal(a, b) {
		t.Fatal("two renderings of the same input differ")
	}
	var r Report
	if err := json.Unmarshal([]byte(a[KeyJSON]), &r); err != nil || r.SchemaVersion != SchemaVersion {
		t.Fatalf("report.json does not parse as the schema: %v (%q)", err, r.SchemaVersion)
	}
	rows, err := csv.NewReader(strings.NewReader(a[KeyCSV])).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "namespace" {
		t.Fatalf("projects.csv: %v, %d rows", err, len(rows))
	}
}

// A portfolio of 10,000 projects still publishes, under the size budget, and
// says it is summarised.
func TestTenThousandProjectsStayUnderTheLimit(t *testing.T) {
	in := sampleInput()
	for i := range 10000 {
		p := project(fmt.Sprintf("project-%05d-with-a-long-descriptive-name", i), v1alpha1.HealthRed, "1.2M", "1.45M",
			"cost forecast 1.45M exceeds budget 1.2M beyond 10% tolerance (overrun 250k)")
		p.Spec.Risks = []v1alpha1.Risk{{Name: "R-1", Probability: 5, Impact: 5, Owner: "someone", Description: strings.Repeat("x", 200)}}
		in.Projects = append(in.Projects, p)
	}
	rendered := Render(Build(in))
	data := rendered.Data
	if n := size(data); n > MaxBytes {
		t.Fatalf("report is %d bytes; budget %d", n, MaxBytes)
	}
	var r Report
	if err := json.Unmarshal([]byte(data[KeyJSON]), &r); err != nil {
		t.Fatal(err)
	}
	if !rendered.Truncated || !r.Truncated || len(r.Notes) == 0 || !strings.Contains(data[KeyMarkdown], "> **Note:** summarised:") {
		t.Errorf("truncated %v notes %q: the report does not say it is summarised", r.Truncated, r.Notes)
	}
	if len(r.Red) == 0 || len(r.Red) > 100 {
		t.Errorf("%d exceptions listed; want the top ones", len(r.Red))
	}
}

// Every field of report.json is documented in docs/report-schema.md, and a
// rendered report holds no field the schema lacks.
func TestSchemaIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/report-schema.md")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(typ reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct {
			return
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "" || name == "-" {
				continue
			}
			if !regexp.MustCompile("[`{ .,]" + name + "[`}, .?\\[]").Match(doc) {
				t.Errorf("field %s (%s.%s) is not documented", name, typ.Name(), f.Name)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Report{}))

	dec := json.NewDecoder(strings.NewReader(Render(Build(sampleInput())).Data[KeyJSON]))
	dec.DisallowUnknownFields()
	var r Report
	if err := dec.Decode(&r); err != nil {
		t.Errorf("report.json does not decode strictly into the schema: %v", err)
	}
}

// BenchmarkRender10000 builds and renders the report of 10,000 projects.
func BenchmarkRender10000(b *testing.B) {
	in := sampleInput()
	healths := []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed}
	for i := range 10000 {
		// In no order, of every health: the sort does real work.
		n := (i * 7919) % 10000
		in.Projects = append(in.Projects, project(fmt.Sprintf("project-%05d", n), healths[n%3], "1.2M", "1.25M", "cost forecast uses 40% of the tolerance"))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Render(Build(in))
	}
}

func ptrTo[T any](v T) *T { return &v }

// Totals in another currency are never summed silently: the report says
// which amounts are missing, and never claims "within capacity" while what
// is committed is unknown.
func TestIncompleteTotalsAreSaid(t *testing.T) {
	in := sampleInput()
	in.Rollup.Money = v1alpha1.MoneySummary{Currency: "EUR", LeftOut: []v1alpha1.LeftOutAmounts{
		{Currency: "USD", Count: 2, Objects: []string{"Project ns/abroad", "Project ns/overseas"}}}}
	in.Committed, in.OverCommitted, in.CommittedByYear = nil, nil, nil // status leaves them unknown
	r := Build(in)
	if len(r.Totals.LeftOut) != 1 || r.Totals.Budget != "" {
		t.Errorf("totals %+v", r.Totals)
	}
	if y := r.CapacityByYear; y == nil || len(y.Years) != 2 || y.Years[0].Year != 2025 || y.Years[0].Capacity != "1500000" ||
		y.Years[0].Committed != "" || y.Years[0].OverCommitted != nil || y.NotPhased != "" {
		t.Errorf("capacity by year %+v; want the capacities with committed unknown", y)
	}
	md := Render(r).Data[KeyMarkdown]
	for _, want := range []string{"**Totals incomplete:** 2 objects' amounts are in USD, not EUR, and are not added (Project ns/abroad, Project ns/overseas); no total is shown.",
		"committed unknown, so capacity cannot be compared", "| 2025 | 1.5M | – | committed unknown |",
		"Committed by year unknown: amounts in another currency are left out."} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if strings.Contains(md, "within capacity") {
		t.Error("report.md claims within capacity while committed is unknown")
	}
}

// A portfolio with a capacity and nothing committed yet reports committed
// as 0, never an empty string (which means unknown).
func TestNothingCommittedIsZero(t *testing.T) {
	in := sampleInput()
	in.Rollup.Money = v1alpha1.MoneySummary{Currency: "EUR"}
	in.Committed, in.OverCommitted = nil, ptrTo(false)
	r := Build(in)
	if r.Capacity == nil || r.Capacity.Committed != "0" || r.Capacity.Capacity != "3500000" {
		t.Fatalf("capacity %+v; want committed 0 of 3500000", r.Capacity)
	}
	if md := Render(r).Data[KeyMarkdown]; !strings.Contains(md, "Capacity 3.5M, committed 0: within capacity.") {
		t.Errorf("report.md does not say nothing is committed:\n%s", md)
	}
}

// The summary's labels say what they count, in the singular for one.
func TestSummaryLabelsSayWhatTheyCount(t *testing.T) {
	in := sampleInput()
	in.Rollup.Programmes, in.Rollup.Projects = 2, 15
	in.Rollup.Compliance = v1alpha1.ComplianceCounts{Compliant: 15, NonCompliant: 2}
	in.Rollup.Money = v1alpha1.MoneySummary{Currency: "EUR", LeftOut: []v1alpha1.LeftOutAmounts{
		{Currency: "GBP", Count: 1, Objects: []string{"Project ns/abroad"}}}}
	md := Render(Build(in)).Data[KeyMarkdown]
	for _, want := range []string{
		"| Programmes | 2 |\n| Projects | 15 |\n",
		"| Projects and programmes compliant / non-compliant / unknown | 15 / 2 / 0 |",
		"**Totals incomplete:** 1 object's amounts are in GBP, not EUR",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
}

// A project that reports no forecast is forecast at its budget in its row,
// as in the totals: with no progress at all, and with progress but no
// forecastCost.
func TestProjectRowForecastIsTheBudgetWithoutAForecast(t *testing.T) {
	silent := project("silent", v1alpha1.HealthAmber, "100k", "100k")
	silent.Spec.Progress = nil
	partial := project("partial", v1alpha1.HealthGreen, "250k", "250k")
	partial.Spec.Progress.ForecastCost = nil
	for _, p := range []*v1alpha1.Project{silent, partial} {
		row := projectRow(p)
		if want := money.Of(p.Spec.Plan.Budget).String(); row.Budget != want || row.ForecastCost != want {
			t.Errorf("%s: budget %q, forecast %q; want both %q", p.Name, row.Budget, row.ForecastCost, want)
		}
	}
}

// A programme is an exception when it is Red on its own account, not when
// it is Red only through its projects (they are listed themselves), however
// many lesser reasons of its own it has.
func TestProgrammeExceptionsAreRedOnTheirOwn(t *testing.T) {
	programme := func(name string, health, own v1alpha1.Health, reasons ...string) *v1alpha1.Programme {
		return &v1alpha1.Programme{ObjectMeta: metav1.ObjectMeta{Namespace: "p3o-central", Name: name},
			Status: v1alpha1.ProgrammeStatus{Health: health, OwnHealth: own, OwnHealthReasons: reasons}}
	}
	in := sampleInput()
	in.Programmes = []*v1alpha1.Programme{
		programme("red-through-projects", v1alpha1.HealthRed, v1alpha1.HealthAmber, "latest Gate 0 review gave Amber"),
		programme("red-own", v1alpha1.HealthRed, v1alpha1.HealthRed, "benefits realised 10% of planned"),
		programme("amber-own", v1alpha1.HealthAmber, v1alpha1.HealthAmber, "latest Gate 0 review gave Amber"),
	}
	var got []string
	for _, e := range Build(in).Red {
		if e.Kind == "Programme" {
			got = append(got, e.Name+": "+strings.Join(e.Reasons, "; "))
		}
	}
	if want := []string{"red-own: benefits realised 10% of planned"}; !cmp.Equal(got, want) {
		t.Errorf("programme exceptions %q; want %q", got, want)
	}
}

// The report lists each open project's tolerance exceptions as its status
// holds them, in the method's words in report.md, and its threats and
// opportunities apart.
func TestToleranceExceptionsAndOpportunitiesAreListedApart(t *testing.T) {
	in := sampleInput()
	r := Build(in)
	var want []ToleranceExceptionItem
	var threats, opportunities []string
	for _, p := range in.Projects {
		for _, k := range p.Spec.Risks {
			switch {
			case k.Status == v1alpha1.RiskClosed:
			case k.Kind == v1alpha1.RiskOpportunity:
				opportunities = append(opportunities, k.Name)
			default:
				threats = append(threats, k.Name)
			}
		}
		if p.Spec.Phase == v1alpha1.ProjectClosed {
			continue
		}
		for _, e := range p.Status.ToleranceExceptions {
			want = append(want, ToleranceExceptionItem{Namespace: p.Namespace, Project: p.Name, Kind: e.Kind, Health: e.Health, Message: e.Message, Shortened: []string{}})
		}
	}
	slices.SortStableFunc(want, func(a, b ToleranceExceptionItem) int { return strings.Compare(a.Project, b.Project) })
	if diff := cmp.Diff(want, r.ToleranceExceptions); diff != "" {
		t.Errorf("toleranceExceptions (-status +report):\n%s", diff)
	}
	names := func(items []RiskItem, kind v1alpha1.RiskKind) []string {
		var out []string
		for _, k := range items {
			if k.Kind != kind {
				t.Errorf("%s listed as %s", k.Risk, kind)
			}
			out = append(out, k.Risk)
		}
		return out
	}
	if got := names(r.TopRisks, v1alpha1.RiskThreat); !sameSet(got, threats) {
		t.Errorf("topRisks %v; open threats %v", got, threats)
	}
	if got := names(r.TopOpportunities, v1alpha1.RiskOpportunity); !sameSet(got, opportunities) {
		t.Errorf("topOpportunities %v; open opportunities %v", got, opportunities)
	}
	md := Render(r).Data[KeyMarkdown]
	for _, e := range want {
		row := "| " + e.Kind.Words() + " | " + e.Namespace + "/" + e.Project + " | " + string(e.Health) + " |"
		if !strings.Contains(md, row) {
			t.Errorf("report.md has no row starting %q:\n%s", row, md)
		}
	}
	if want := fmt.Sprintf("Open opportunities: %d; exposure %d.", r.Risks.Opportunities, r.Risks.OpportunityExposure); !strings.Contains(md, want) || r.Risks.Opportunities != int32(len(opportunities)) {
		t.Errorf("report.md lacks %q (open opportunities %v):\n%s", want, opportunities, md)
	}
}

// sameSet reports whether a and b hold the same strings.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
