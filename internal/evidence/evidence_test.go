/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package evidence

import (
	"testing"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func qty(s string) *resource.Quantity { q := resource.MustParse(s); return &q }

func dec(s string) *inf.Dec {
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		panic(s)
	}
	return d
}

func ptr[T any](v T) *T { return &v }

func gate(state v1alpha1.GateState, due bool) v1alpha1.GateStatus {
	g := v1alpha1.GateStatus{Name: "g", State: state}
	if due {
		g.DueAt = &metav1.Time{}
	}
	return g
}

func project(name string, phase v1alpha1.ProjectPhase, edit func(*v1alpha1.Project)) *v1alpha1.Project {
	p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name},
		Spec: v1alpha1.ProjectSpec{Phase: phase, Plan: v1alpha1.Plan{Budget: qty("1M")}}}
	if edit != nil {
		edit(p)
	}
	return p
}

func programme(name string, phase v1alpha1.ProgrammePhase, edit func(*v1alpha1.Programme)) *v1alpha1.Programme {
	p := &v1alpha1.Programme{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}, Spec: v1alpha1.ProgrammeSpec{Phase: phase}}
	if edit != nil {
		edit(p)
	}
	return p
}

// indicator finds an indicator of an evidence.
func indicator(t *testing.T, e Evidence, id v1alpha1.EvidenceIndicatorID) v1alpha1.EvidenceIndicator {
	t.Helper()
	for _, i := range e.Indicators {
		if i.Indicator == id {
			return i
		}
	}
	t.Fatalf("no indicator %s", id)
	return v1alpha1.EvidenceIndicator{}
}

// sample is a small organisation with one thing of each kind in and out
// of each indicator's scope.
func sample() Input {
	const closed, delivering, startingUp = v1alpha1.ProjectClosed, v1alpha1.ProjectDelivering, v1alpha1.ProjectStartingUp
	return Input{Currency: "GBP", Projects: []*v1alpha1.Project{
		project("met", delivering, func(p *v1alpha1.Project) {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{gate(v1alpha1.GateMet, false), gate(v1alpha1.GateNotYetRequired, true)}
			p.Status.Reporting = v1alpha1.ReportingCurrent
			p.Spec.DeclaredRAG, p.Status.DerivedHealth = v1alpha1.RAG("Amber"), v1alpha1.HealthAmber
			p.Spec.Progress = &v1alpha1.Progress{ForecastCost: qty("1.1M")}
			p.Spec.Tolerances.RiskSeverity = 12
			p.Spec.Risks = []v1alpha1.Risk{{Name: "r1", Owner: "A", Response: v1alpha1.ResponseReduce},
				{Name: "r2", Owner: "A"}, {Name: "r3", Kind: v1alpha1.RiskOpportunity}, {Name: "r4", Status: v1alpha1.RiskClosed}}
			p.Spec.Benefits = []v1alpha1.Benefit{{Name: "b1", Owner: "A", Target: qty("1"), Due: "2027-01-01"},
				{Name: "b2", ProgrammeBenefit: "x"}}
		}),
		project("overdue", delivering, func(p *v1alpha1.Project) {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{gate(v1alpha1.GateMet, false), gate(v1alpha1.GateUnmet, true)}
			p.Status.Reporting = v1alpha1.ReportingStale
			p.Spec.DeclaredRAG, p.Status.DerivedHealth = v1alpha1.RAG("Green"), v1alpha1.HealthRed
			p.Spec.Tolerances.RiskExposure = ptr(int32(40))
		}),
		project("unknown-gate", v1alpha1.ProjectInitiating, func(p *v1alpha1.Project) {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{gate(v1alpha1.GateUnknown, false)}
			p.Spec.DeclaredRAG, p.Status.DerivedHealth = v1alpha1.RAG("Green"), v1alpha1.HealthUnknown
		}),
		project("new", startingUp, func(p *v1alpha1.Project) {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{gate(v1alpha1.GateNotYetRequired, false)}
			p.Status.Reporting = v1alpha1.ReportingNotRequired
		}),
		project("closed-kept", closed, func(p *v1alpha1.Project) {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{gate(v1alpha1.GateUnmet, true)}
			p.Spec.Progress = &v1alpha1.Progress{ActualCost: qty("1.08M")}
			p.Spec.Risks = []v1alpha1.Risk{{Name: "r"}}
		}),
		project("closed-missed", closed, func(p *v1alpha1.Project) {
			p.Spec.Progress = &v1alpha1.Progress{ActualCost: qty("1.3M")}
			p.Spec.Tolerances.CostPercent = ptr(int32(20))
		}),
		project("closed-long-ago", closed, func(p *v1alpha1.Project) { p.Spec.Progress = &v1alpha1.Progress{ActualCost: qty("1M")} }),
		project("closed-no-actual", closed, nil),
	}, Programmes: []*v1alpha1.Programme{
		programme("prog", v1alpha1.ProgrammeDelivering, func(p *v1alpha1.Programme) {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{gate(v1alpha1.GateUnmet, false)}
			p.Spec.Risks = []v1alpha1.Risk{{Name: "p1", Response: v1alpha1.ResponseAccept}}
			p.Spec.Benefits = []v1alpha1.Benefit{
				{Name: "hours", Owner: "B", Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitHours}, Target: qty("100"), Due: "2027-01-01", Forecast: qty("90")},
				{Name: "hours-with-baseline", Owner: "B", Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitHours}, Baseline: qty("400"), Target: qty("100"), Due: "2027-01-01"},
				{Name: "no-target", Owner: "B", Due: "2027-01-01"},
			}
		}),
		programme("closed-prog", v1alpha1.ProgrammeClosed, func(p *v1alpha1.Programme) {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{gate(v1alpha1.GateUnmet, true)}
			p.Spec.Risks = []v1alpha1.Risk{{Name: "c"}}
		}),
	}, Previous: &Previous{Start: "2026-11-23T00:00:00Z", Currency: "GBP", Projects: []ProjectThen{
		{Namespace: "ns", Name: "closed-kept", Phase: v1alpha1.ProjectClosing, Forecast: dec("1000000")},
		{Namespace: "ns", Name: "closed-missed", Phase: v1alpha1.ProjectDelivering, Forecast: dec("1000000")},
		{Namespace: "ns", Name: "closed-long-ago", Phase: v1alpha1.ProjectClosed, Forecast: dec("1000000")},
		{Namespace: "ns", Name: "closed-no-actual", Phase: v1alpha1.ProjectDelivering, Forecast: dec("1000000")},
	}}}
}

// Each indicator of the sample, counted by hand.
func TestIndicatorsOfASample(t *testing.T) {
	e := Compute(sample())
	for _, c := range []struct {
		id       v1alpha1.EvidenceIndicatorID
		num, den int32
		why      string
	}{
		{v1alpha1.IndicatorGatesMet, 1, 3, "met, overdue (an Unmet gate), unknown-gate (Unknown is not met); new has none required, closed ones are out"},
		{v1alpha1.IndicatorNoReviewOverdue, 4, 5, "met, unknown-gate, new and prog have none overdue (prog's Unmet gate has no due date); overdue has one; closed ones are out"},
		{v1alpha1.IndicatorReportingCurrent, 1, 2, "met Current, overdue Stale; NotRequired and unset are out"},
		{v1alpha1.IndicatorHealthAgreement, 1, 2, "met agrees, overdue does not; unknown-gate's derived health is Unknown"},
		{v1alpha1.IndicatorBenefitsDefined, 2, 4, "b1 (money: baseline zero) and hours-with-baseline; hours lacks a baseline, no-target a target; the contribution holds no figures"},
		{v1alpha1.IndicatorBenefitsForecast, 1, 3, "hours states a forecast; b1 and hours-with-baseline do not; no-target is out"},
		{v1alpha1.IndicatorThreatsOwnedWithResponse, 1, 3, "r1 owned with a response; r2 without response; p1 without owner; opportunities, closed risks and closed objects are out"},
		{v1alpha1.IndicatorRiskToleranceSet, 2, 4, "met (severity) and overdue (exposure) of the four open projects"},
		{v1alpha1.IndicatorForecastAccuracy, 1, 2, "closed-kept within 10%; closed-missed 30% beyond 20%; closed-long-ago was closed then; closed-no-actual states no actual"},
		{v1alpha1.IndicatorForecastReported, 1, 3, "met reports one; overdue and unknown-gate do not; new is starting up"},
	} {
		got := indicator(t, e, c.id)
		if got.Numerator != c.num || got.Denominator != c.den {
			t.Errorf("%s = %d/%d, want %d/%d: %s", c.id, got.Numerator, got.Denominator, c.num, c.den, c.why)
		}
		if got.State != v1alpha1.EvidenceMeasured || got.Trend != v1alpha1.EvidenceNotComparable {
			t.Errorf("%s: state %s trend %s, want Measured and NotComparable (the sealed period held no indicators)", c.id, got.State, got.Trend)
		}
	}
	if e.Since != "2026-11-23T00:00:00Z" {
		t.Errorf("since = %q", e.Since)
	}
}

// Every perspective is listed, in order; the two the resources cannot
// evidence say so with a sentence and carry no figure.
func TestPerspectivesAndNotEvidenced(t *testing.T) {
	e := Compute(Input{})
	seen := map[v1alpha1.EvidencePerspective]bool{}
	last := -1
	order := map[v1alpha1.EvidencePerspective]int{}
	for i, p := range Perspectives {
		order[p] = i
	}
	for _, i := range e.Indicators {
		if order[i.Perspective] < last {
			t.Errorf("%s listed out of order", i.Perspective)
		}
		last = order[i.Perspective]
		seen[i.Perspective] = true
		switch i.Perspective {
		case v1alpha1.PerspectiveStakeholderEngagement, v1alpha1.PerspectiveResourceManagement:
			if i.State != v1alpha1.EvidenceNotEvidenced || i.Indicator != "" || i.Numerator != 0 || i.Denominator != 0 || i.Trend != "" || NotEvidenced(i.Perspective) == "" {
				t.Errorf("%s: %+v, want NotEvidenced with a sentence and no figure", i.Perspective, i)
			}
		default:
			if i.State != v1alpha1.EvidenceNothingToMeasure || Title(i.Indicator) == "" || NotEvidenced(i.Perspective) != "" {
				t.Errorf("%s: %+v, want NothingToMeasure with a title", i.Perspective, i)
			}
			if _, ok := Percent(i); ok {
				t.Errorf("%s has a percentage with nothing in scope", i.Indicator)
			}
		}
	}
	if len(seen) != 7 || len(e.Indicators) != len(definitions)+2 {
		t.Errorf("perspectives %d, indicators %d", len(seen), len(e.Indicators))
	}
	for _, p := range Perspectives {
		if PerspectiveName(p) == "" {
			t.Errorf("%s has no name", p)
		}
	}
}

func TestTrend(t *testing.T) {
	m := func(n, d int32) *v1alpha1.EvidenceIndicator {
		return &v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceMeasured, Numerator: n, Denominator: d}
	}
	nothing := &v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceNothingToMeasure}
	for _, c := range []struct {
		then, now *v1alpha1.EvidenceIndicator
		want      v1alpha1.EvidenceTrend
	}{
		{m(1, 2), m(2, 3), v1alpha1.EvidenceImproved},
		{m(2, 3), m(1, 2), v1alpha1.EvidenceDeclined},
		{m(1, 2), m(3, 6), v1alpha1.EvidenceUnchanged},
		{m(2, 3), m(667, 1000), v1alpha1.EvidenceImproved}, // the same whole percentage, still a higher share
		{nil, m(1, 2), v1alpha1.EvidenceNotComparable},
		{nothing, m(1, 2), v1alpha1.EvidenceNotComparable},
		{m(1, 2), nothing, v1alpha1.EvidenceNotComparable},
	} {
		if got := Trend(c.then, *c.now); got != c.want {
			t.Errorf("Trend(%+v, %+v) = %s, want %s", c.then, c.now, got, c.want)
		}
	}
}

// A second period compares each indicator with the first's.
func TestComputeComparesWithThePreviousIndicators(t *testing.T) {
	in := sample()
	in.Previous.Indicators = []v1alpha1.EvidenceIndicator{
		{Perspective: v1alpha1.PerspectiveOrganisationalGovernance, Indicator: v1alpha1.IndicatorGatesMet, State: v1alpha1.EvidenceMeasured, Numerator: 1, Denominator: 4},
		{Perspective: v1alpha1.PerspectiveManagementControl, Indicator: v1alpha1.IndicatorReportingCurrent, State: v1alpha1.EvidenceMeasured, Numerator: 2, Denominator: 2},
		{Perspective: v1alpha1.PerspectiveManagementControl, Indicator: v1alpha1.IndicatorHealthAgreement, State: v1alpha1.EvidenceMeasured, Numerator: 3, Denominator: 6},
	}
	e := Compute(in)
	for id, want := range map[v1alpha1.EvidenceIndicatorID]v1alpha1.EvidenceTrend{
		v1alpha1.IndicatorGatesMet: v1alpha1.EvidenceImproved, v1alpha1.IndicatorReportingCurrent: v1alpha1.EvidenceDeclined,
		v1alpha1.IndicatorHealthAgreement: v1alpha1.EvidenceUnchanged, v1alpha1.IndicatorRiskToleranceSet: v1alpha1.EvidenceNotComparable,
	} {
		if got := indicator(t, e, id).Trend; got != want {
			t.Errorf("%s trend %s, want %s", id, got, want)
		}
	}
}

// Forecast accuracy needs a sealed period in the same currency.
func TestForecastAccuracyScope(t *testing.T) {
	in := sample()
	in.Previous.Currency = "EUR"
	if got := indicator(t, Compute(in), v1alpha1.IndicatorForecastAccuracy); got.State != v1alpha1.EvidenceNothingToMeasure {
		t.Errorf("another currency then: %+v", got)
	}
	in.Previous = nil
	got := indicator(t, Compute(in), v1alpha1.IndicatorForecastAccuracy)
	if got.State != v1alpha1.EvidenceNothingToMeasure || got.Trend != v1alpha1.EvidenceNotComparable {
		t.Errorf("no sealed period: %+v", got)
	}
}

func TestKept(t *testing.T) {
	for _, c := range []struct {
		actual, forecast string
		percent          int32
		want             bool
	}{
		{"110", "100", 10, true}, {"90", "100", 10, true}, {"110.01", "100", 10, false}, {"89.99", "100", 10, false},
		{"100", "100", 0, true}, {"100.01", "100", 0, false}, {"0", "0", 0, true}, {"1", "0", 100, false},
	} {
		if got := Kept(dec(c.actual), dec(c.forecast), c.percent); got != c.want {
			t.Errorf("Kept(%s, %s, %d) = %v", c.actual, c.forecast, c.percent, got)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct{ num, den, want int32 }{{1, 3, 33}, {2, 3, 67}, {1, 2, 50}, {1, 8, 13}, {0, 5, 0}, {5, 5, 100}, {1, 200, 1}, {1, 201, 0}} {
		got, ok := Percent(v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceMeasured, Numerator: c.num, Denominator: c.den})
		if !ok || got != c.want {
			t.Errorf("Percent(%d/%d) = %d, %v; want %d", c.num, c.den, got, ok, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct {
		i            v1alpha1.EvidenceIndicator
		share, trend string
	}{
		{v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceMeasured, Numerator: 2, Denominator: 3, Trend: v1alpha1.EvidenceImproved}, "67%", "Improved"},
		{v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceMeasured, Numerator: 0, Denominator: 3, Trend: v1alpha1.EvidenceDeclined}, "0%", "Declined"},
		{v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceMeasured, Numerator: 3, Denominator: 3, Trend: v1alpha1.EvidenceUnchanged}, "100%", "Unchanged"},
		{v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceNothingToMeasure, Trend: v1alpha1.EvidenceNotComparable}, "nothing in scope", "Not comparable"},
		{v1alpha1.EvidenceIndicator{State: v1alpha1.EvidenceNotEvidenced}, "–", "Not comparable"},
	} {
		if got := ShareWords(c.i); got != c.share {
			t.Errorf("ShareWords(%+v) = %q, want %q", c.i, got, c.share)
		}
		if got := TrendWords(c.i.Trend); got != c.trend {
			t.Errorf("TrendWords(%q) = %q, want %q", c.i.Trend, got, c.trend)
		}
	}
}
