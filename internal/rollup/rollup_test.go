/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package rollup

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

func dec(s string) *inf.Dec {
	q := resource.MustParse(s)
	return money.Of(&q)
}

func qty(s string) *resource.Quantity {
	q := resource.MustParse(s)
	return &q
}

func project(name string, phase v1alpha1.ProjectPhase, h v1alpha1.Health, budget, actual, forecast string) Project {
	return Project{Namespace: "ns", Name: name, Phase: phase, Health: h, Reason: name + " reason", Currency: "EUR",
		Budget: dec(budget), ActualCost: dec(actual), ForecastCost: dec(forecast)}
}

// equalAmount says whether a status amount reads back as exactly want.
func equalAmount(t *testing.T, what string, got v1alpha1.Amount, want string) {
	t.Helper()
	if v := money.Value(got); v == nil || v.Cmp(dec(want)) != 0 {
		t.Errorf("%s = %q; want %s", what, got, want)
	}
}

func TestProgrammeOfProjects(t *testing.T) {
	b := New("EUR")
	b.AddProject(project("portal", v1alpha1.ProjectDelivering, v1alpha1.HealthRed, "1.2M", "800k", "1.45M"))
	b.AddProject(project("crm", v1alpha1.ProjectClosed, v1alpha1.HealthRed, "300k", "285k", "285k"))
	b.AddProject(project("erp", v1alpha1.ProjectDelivering, v1alpha1.HealthAmber, "500k", "100k", "520k"))
	b.AddProject(project("hr", v1alpha1.ProjectInitiating, v1alpha1.HealthGreen, "250k", "0", "250k"))
	p := project("new", v1alpha1.ProjectStartingUp, v1alpha1.HealthUnknown, "100k", "0", "100k")
	p.Benefits = []v1alpha1.Benefit{{Name: "b", Planned: qty("2M"), Realised: qty("0.5M")}}
	p.Risks = v1alpha1.RiskSummary{Open: 2, High: 1, Exposure: 24}
	b.AddProject(p)
	b.Refuse()
	res := b.Build()
	r := res.Rollup

	if res.MixedCurrency != nil {
		t.Fatalf("unexpected mixed currency: %v", res.MixedCurrency)
	}
	if r.Projects != 5 || r.Refused != 1 {
		t.Errorf("projects %d refused %d; want 5 and 1", r.Projects, r.Refused)
	}
	if r.Health != v1alpha1.HealthRed {
		t.Errorf("health %s; want Red", r.Health)
	}
	// The closed Red project counts in totals but not in health.
	if want := (v1alpha1.HealthCounts{Green: 1, Amber: 1, Red: 1, Unknown: 1}); r.ByHealth != want {
		t.Errorf("byHealth %+v; want %+v", r.ByHealth, want)
	}
	if len(r.Causes) != 1 || r.Causes[0].Name != "portal" || r.Causes[0].Reason != "portal reason" {
		t.Errorf("causes %+v; want only portal", r.Causes)
	}
	equalAmount(t, "budget", r.Money.Budget, "2.35M")
	equalAmount(t, "actual", r.Money.ActualCost, "1.185M")
	equalAmount(t, "forecast", r.Money.ForecastCost, "2.605M")
	equalAmount(t, "variance", r.Money.Variance, "255k")
	equalAmount(t, "benefits planned", r.Benefits.Planned, "2M")
	equalAmount(t, "benefits realised", r.Benefits.Realised, "500k")
	if r.Money.Currency != "EUR" || r.Risks != p.Risks {
		t.Errorf("currency %s risks %+v", r.Money.Currency, r.Risks)
	}
	wantPhases := []v1alpha1.PhaseCount{
		{Kind: "Project", Phase: "StartingUp", Count: 1}, {Kind: "Project", Phase: "Initiating", Count: 1},
		{Kind: "Project", Phase: "Delivering", Count: 2}, {Kind: "Project", Phase: "Closed", Count: 1},
	}
	if fmt.Sprint(r.ByPhase) != fmt.Sprint(wantPhases) {
		t.Errorf("byPhase %v; want %v", r.ByPhase, wantPhases)
	}
}

func TestPortfolioOfProgrammesAndProjects(t *testing.T) {
	inner := New("EUR")
	inner.AddProject(project("portal", v1alpha1.ProjectDelivering, v1alpha1.HealthRed, "1M", "0", "1.5M"))
	programme := Programme{Namespace: "ns", Name: "digital", Phase: v1alpha1.ProgrammeDelivering, Currency: "EUR",
		Health: v1alpha1.HealthRed, OwnHealth: v1alpha1.HealthAmber, OwnReason: "risk", Budget: dec("200k"), Rollup: inner.Build().Rollup}

	b := New("EUR")
	b.AddProgramme(programme)
	b.AddProject(project("standalone", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "300k", "0", "300k"))
	res := b.Build()
	r := res.Rollup
	if r.Programmes != 1 || r.Projects != 2 || r.Health != v1alpha1.HealthRed {
		t.Errorf("programmes %d projects %d health %s", r.Programmes, r.Projects, r.Health)
	}
	if want := (v1alpha1.HealthCounts{Green: 1, Red: 1}); r.ByHealth != want {
		t.Errorf("byHealth %+v; want %+v (projects only: the counts add up to the project count)", r.ByHealth, want)
	}
	// The Red project is the cause; the programme's own Amber is not the worst.
	if len(r.Causes) != 1 || r.Causes[0].Kind != v1alpha1.SubjectKindProject || r.Causes[0].Name != "portal" {
		t.Errorf("causes %+v", r.Causes)
	}
	equalAmount(t, "budget", r.Money.Budget, "1.3M")
	if res.Committed.Cmp(dec("1.5M")) != 0 {
		t.Errorf("committed %s; want 1.5M (projects plus the programme's own budget)", res.Committed)
	}

	office := New("EUR")
	office.AddPortfolio(r, res.Committed)
	office.AddSatellite(v1alpha1.Rollup{Portfolios: 2, Projects: 3, Health: v1alpha1.HealthGreen, Money: v1alpha1.MoneySummary{Currency: "EUR", Budget: "1000000"}}, dec("1M"))
	o := office.Build()
	if o.Rollup.Portfolios != 3 || o.Rollup.Satellites != 1 || o.Rollup.Projects != 5 || o.Rollup.Programmes != 1 {
		t.Errorf("office counts %+v", o.Rollup)
	}
	equalAmount(t, "office budget", o.Rollup.Money.Budget, "2.3M")
	if len(o.Rollup.Causes) != 1 || o.Rollup.Causes[0].Name != "portal" {
		t.Errorf("the office names the Red project as its cause: %+v", o.Rollup.Causes)
	}
}

// Totals with cents are written as input accepts them (never 4500001500m)
// and a parent that merges its children's rollups reads them back exactly;
// an underrun is a negative variance.
func TestCentsRollUpExactly(t *testing.T) {
	inner := New("EUR")
	inner.AddProject(project("a", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "4500000000.75", "1.5", "4499999000.25"))
	inner.AddProject(project("b", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "1000.75", "0.1", "1000.75"))
	r := inner.Build().Rollup
	want := v1alpha1.MoneySummary{Currency: "EUR", Budget: "4500001001.50", ActualCost: "1.60", ForecastCost: "4500000001", Variance: "-1000.50"}
	if r.Money.Budget != want.Budget || r.Money.ActualCost != want.ActualCost || r.Money.ForecastCost != want.ForecastCost || r.Money.Variance != want.Variance {
		t.Errorf("money %+v; want %+v", r.Money, want)
	}

	b := New("EUR")
	b.AddProgramme(Programme{Namespace: "ns", Name: "p", Phase: v1alpha1.ProgrammeDelivering, Currency: "EUR", Budget: dec("0.25"), Rollup: r})
	b.AddProject(project("c", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "0.25", "0", "0.25"))
	res := b.Build()
	equalAmount(t, "portfolio budget", res.Rollup.Money.Budget, "4500001001.75")
	equalAmount(t, "portfolio variance", res.Rollup.Money.Variance, "-1000.50")
	if got := money.Exact(res.Committed); got != "4500001002" {
		t.Errorf("committed %s; want 4500001002 (the programme's 0.25, its projects' and the direct project's)", got)
	}
}

func TestMixedCurrencyIsAnErrorNotASum(t *testing.T) {
	b := New("EUR")
	b.AddProject(project("a", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "1M", "0", "1M"))
	gbp := project("london", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "1M", "0", "1M")
	gbp.Currency = "GBP"
	b.AddProject(gbp)
	res := b.Build()
	if res.MixedCurrency == nil {
		t.Fatal("no mixed-currency error")
	}
	if msg := res.MixedCurrency.Error(); !strings.Contains(msg, "GBP (Project ns/london)") || !strings.Contains(msg, "totals in EUR") {
		t.Errorf("message %q does not name the currencies and the child", msg)
	}
	if res.Rollup.Money.Budget != "" || res.Committed != nil {
		t.Errorf("money was summed anyway: %+v", res.Rollup.Money)
	}
	if res.Rollup.Projects != 2 {
		t.Errorf("counts still count: projects %d", res.Rollup.Projects)
	}
}

func TestEmptyRollup(t *testing.T) {
	r := New("EUR").Build().Rollup
	if r.Health != v1alpha1.HealthUnknown || r.Projects != 0 || r.Money.Budget != "" || r.Causes != nil {
		t.Errorf("empty rollup %+v", r)
	}
}

func TestCausesAreBoundedAndStable(t *testing.T) {
	b := New("EUR")
	for i := range 50 {
		b.AddProject(project(fmt.Sprintf("p%02d", 49-i), v1alpha1.ProjectDelivering, v1alpha1.HealthRed, "1", "0", "2"))
	}
	r := b.Build().Rollup
	if len(r.Causes) != MaxCauses || r.Causes[0].Name != "p00" || r.Causes[9].Name != "p09" {
		t.Errorf("causes %v", r.Causes)
	}
}

func TestRisks(t *testing.T) {
	got := Risks([]v1alpha1.Risk{
		{Name: "a", Probability: 4, Impact: 5},
		{Name: "b", Probability: 1, Impact: 2, Status: v1alpha1.RiskMitigating},
		{Name: "c", Probability: 5, Impact: 5, Status: v1alpha1.RiskClosed},
	}, 15)
	if want := (v1alpha1.RiskSummary{Open: 2, High: 1, Exposure: 22}); got != want {
		t.Errorf("Risks = %+v; want %+v", got, want)
	}
}

// FuzzRollup adds arbitrary projects: the totals always equal the sum of the
// inputs, counts add up, and nothing panics.
func FuzzRollup(f *testing.F) {
	f.Add([]byte{1, 2, 3, 200, 17}, "1.5M", "EUR")
	f.Add([]byte{}, "0", "GBP")
	f.Fuzz(func(t *testing.T, shape []byte, amount, currency string) {
		q, err := resource.ParseQuantity(amount)
		if err != nil || q.Sign() < 0 {
			return
		}
		healths := []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed, v1alpha1.HealthUnknown}
		phases := []v1alpha1.ProjectPhase{v1alpha1.ProjectStartingUp, v1alpha1.ProjectDelivering, v1alpha1.ProjectClosed}
		b := New("EUR")
		want := new(inf.Dec)
		var foreign, open int32
		for i, s := range shape {
			p := Project{Namespace: "ns", Name: fmt.Sprint(i), Phase: phases[int(s)%3], Health: healths[int(s/3)%4],
				Currency: "EUR", Budget: money.Of(&q), ForecastCost: money.Of(&q)}
			if s%7 == 0 {
				p.Currency = v1alpha1.Currency(currency)
			}
			if p.Currency != "" && p.Currency != "EUR" {
				foreign++
			} else {
				want.Add(want, money.Of(&q))
			}
			if p.Phase != v1alpha1.ProjectClosed {
				open++
			}
			b.AddProject(p)
		}
		res := b.Build()
		r := res.Rollup
		if r.Projects != int32(len(shape)) {
			t.Fatalf("projects %d; want %d", r.Projects, len(shape))
		}
		if got := r.ByHealth.Green + r.ByHealth.Amber + r.ByHealth.Red + r.ByHealth.Unknown; got != open {
			t.Fatalf("byHealth adds up to %d; want %d open projects", got, open)
		}
		if len(r.Causes) > MaxCauses {
			t.Fatalf("%d causes", len(r.Causes))
		}
		if (foreign > 0) != (res.MixedCurrency != nil) {
			t.Fatalf("foreign %d but mixed currency %v", foreign, res.MixedCurrency)
		}
		if foreign == 0 && len(shape) > 0 && money.Value(r.Money.Budget).Cmp(want) != 0 {
			t.Fatalf("budget %s; want %s", r.Money.Budget, want)
		}
	})
}

// BenchmarkRollup10000 rolls up a programme of 10,000 projects.
func BenchmarkRollup10000(b *testing.B) {
	projects := make([]Project, 10000)
	healths := []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed}
	for i := range projects {
		projects[i] = project(fmt.Sprintf("project-%05d", i), v1alpha1.ProjectDelivering, healths[i%3], "1.2M", "400k", "1.25M")
		projects[i].Benefits = []v1alpha1.Benefit{{Name: "b", Planned: qty("2M")}}
	}
	b.ReportAllocs()
	for b.Loop() {
		bld := New("EUR")
		for _, p := range projects {
			bld.AddProject(p)
		}
		_ = bld.Build()
	}
}
