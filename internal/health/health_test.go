/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package health

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func qty(s string) *resource.Quantity {
	q := resource.MustParse(s)
	return &q
}

func pct(v int32) *int32 { return &v }

// project is a Delivering project on plan: budget 1M (10% tolerance), end
// 2027-06-30 (4w tolerance), reported last week.
func project(change func(*v1alpha1.ProjectSpec)) v1alpha1.ProjectSpec {
	s := v1alpha1.ProjectSpec{
		Phase:      v1alpha1.ProjectDelivering,
		Plan:       v1alpha1.Plan{Budget: qty("1M"), Start: "2026-01-01", End: "2027-06-30"},
		Tolerances: v1alpha1.Tolerances{CostPercent: pct(10), Time: "4w"},
		Progress:   &v1alpha1.Progress{AsOf: "2026-11-19", ForecastCost: qty("1M"), ForecastEnd: "2027-06-30"},
	}
	if change != nil {
		change(&s)
	}
	return s
}

func TestAssess(t *testing.T) {
	cases := []struct {
		name        string
		spec        v1alpha1.ProjectSpec
		wantDerived v1alpha1.Health
		wantOverall v1alpha1.Health
		wantReasons []string
	}{
		{"on plan", project(nil), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"under budget and early", project(func(s *v1alpha1.ProjectSpec) {
			s.Progress.ForecastCost = qty("900k")
			s.Progress.ForecastEnd = "2027-05-01"
		}), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"cost overrun within the warning share", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("1.074M") }),
			v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"cost overrun at the warning share", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("1.075M") }),
			v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"cost forecast 1.08M uses 75% of the 10% tolerance on budget 1M"}},
		{"cost overrun exactly at tolerance", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("1.1M") }),
			v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"uses 100% of the 10% tolerance"}},
		{"cost overrun beyond tolerance", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("1.12M") }),
			v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"cost forecast 1.12M exceeds budget 1M beyond 10% tolerance (overrun 120k)"}},
		{"zero cost tolerance", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.CostPercent = pct(0)
			s.Progress.ForecastCost = qty("1000001")
		}), v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"beyond 0% tolerance"}},
		{"cost tolerance defaults to 10%", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.CostPercent = nil
			s.Progress.ForecastCost = qty("1.11M")
		}), v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"beyond 10% tolerance"}},
		{"late within the warning share", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastEnd = "2027-07-14" }),
			v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"late at the warning share", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastEnd = "2027-07-21" }),
			v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"forecast end 2027-07-21 uses 75% of the 4w time tolerance after planned end 2027-06-30"}},
		{"late beyond tolerance", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastEnd = "2027-09-08" }),
			v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"forecast end 2027-09-08 is 10w after planned end 2027-06-30, beyond the 4w time tolerance"}},
		{"high open risk", project(func(s *v1alpha1.ProjectSpec) {
			s.Risks = []v1alpha1.Risk{
				{Name: "R-1", Probability: 4, Impact: 5, Status: v1alpha1.RiskOpen},
				{Name: "R-2", Probability: 5, Impact: 5, Status: v1alpha1.RiskClosed},
				{Name: "R-3", Probability: 2, Impact: 2, Status: v1alpha1.RiskOpen},
				{Name: "R-4", Probability: 3, Impact: 5, Status: v1alpha1.RiskMitigating},
			}
		}), v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"2 open risks at or above severity 15: R-1 (20), R-4 (15)"}},
		{"stale report", project(func(s *v1alpha1.ProjectSpec) { s.Progress.AsOf = "2026-09-18" }),
			v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"last progress report of 2026-09-18 is 69d old, beyond the 4w reporting cadence"}},
		{"no report while delivering", project(func(s *v1alpha1.ProjectSpec) { s.Progress = nil }),
			v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"no progress reported"}},
		{"no report while starting up", project(func(s *v1alpha1.ProjectSpec) {
			s.Phase = v1alpha1.ProjectStartingUp
			s.Progress = nil
		}), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"closed projects are not stale", project(func(s *v1alpha1.ProjectSpec) {
			s.Phase = v1alpha1.ProjectClosed
			s.Progress.AsOf = "2026-01-01"
		}), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"declared worse than derived", project(func(s *v1alpha1.ProjectSpec) { s.DeclaredRAG = "Amber" }),
			v1alpha1.HealthGreen, v1alpha1.HealthAmber, []string{"the project manager declares Amber"}},
		{"declared better than derived does not count", project(func(s *v1alpha1.ProjectSpec) {
			s.DeclaredRAG = "Green"
			s.Progress.ForecastCost = qty("2M")
		}), v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"exceeds budget 1M"}},
		{"reasons worst first", project(func(s *v1alpha1.ProjectSpec) {
			s.Progress.AsOf = "2026-09-18"
			s.Progress.ForecastCost = qty("2M")
		}), v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"cost forecast 2M exceeds", "last progress report"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(tc.spec, DefaultPolicy, now)
			if got.Derived != tc.wantDerived || got.Overall != tc.wantOverall {
				t.Errorf("Assess() derived %s overall %s; want %s and %s (reasons %q)", got.Derived, got.Overall, tc.wantDerived, tc.wantOverall, got.Reasons)
			}
			if len(got.Reasons) != len(tc.wantReasons) {
				t.Fatalf("reasons %q; want %d like %q", got.Reasons, len(tc.wantReasons), tc.wantReasons)
			}
			for i, want := range tc.wantReasons {
				if !strings.Contains(got.Reasons[i], want) {
					t.Errorf("reason %d = %q; want it to contain %q", i, got.Reasons[i], want)
				}
			}
		})
	}
}

func TestStaleAtTellsWhenToLookAgain(t *testing.T) {
	got := Assess(project(nil), DefaultPolicy, now)
	if want := time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC); !got.StaleAt.Equal(want) {
		t.Errorf("StaleAt = %v; want %v (asOf + 4w)", got.StaleAt, want)
	}
	if got := Assess(project(nil), DefaultPolicy, time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC)); got.Derived != v1alpha1.HealthAmber {
		t.Errorf("at StaleAt the project is %s; want Amber", got.Derived)
	}
}

// FuzzAssess feeds arbitrary figures: Assess never panics, always gives a
// known health, gives a reason for anything below Green, and never rates
// better than the project manager declares.
func FuzzAssess(f *testing.F) {
	f.Add("1M", "1.2M", int32(10), "2027-06-30", "2027-09-01", "4w", "2026-11-01", int32(4), int32(5), "Amber")
	f.Add("0", "0", int32(0), "2026-01-01", "2026-01-01", "1h", "2020-01-01", int32(1), int32(1), "")
	f.Fuzz(func(t *testing.T, budget, forecast string, costPct int32, end, forecastEnd, timeTol, asOf string, prob, impact int32, declared string) {
		b, err := resource.ParseQuantity(budget)
		if err != nil {
			return
		}
		fc, err := resource.ParseQuantity(forecast)
		if err != nil {
			return
		}
		spec := v1alpha1.ProjectSpec{
			Phase:       v1alpha1.ProjectDelivering,
			Plan:        v1alpha1.Plan{Budget: &b, End: v1alpha1.Date(end)},
			Tolerances:  v1alpha1.Tolerances{CostPercent: &costPct, Time: v1alpha1.Duration(timeTol)},
			Progress:    &v1alpha1.Progress{AsOf: v1alpha1.Date(asOf), ForecastCost: &fc, ForecastEnd: v1alpha1.Date(forecastEnd)},
			Risks:       []v1alpha1.Risk{{Name: "r", Probability: prob, Impact: impact}},
			DeclaredRAG: v1alpha1.RAG(declared),
		}
		got := Assess(spec, DefaultPolicy, now)
		if Rank(got.Derived) == 0 || Rank(got.Overall) == 0 {
			t.Fatalf("unknown health %s/%s", got.Derived, got.Overall)
		}
		if got.Overall != v1alpha1.HealthGreen && len(got.Reasons) == 0 {
			t.Fatalf("%s without a reason", got.Overall)
		}
		if Rank(got.Overall) < Rank(v1alpha1.Health(declared)) {
			t.Fatalf("overall %s is better than declared %s", got.Overall, declared)
		}
	})
}

// BenchmarkAssess10000 assesses 10,000 projects.
func BenchmarkAssess10000(b *testing.B) {
	specs := make([]v1alpha1.ProjectSpec, 10000)
	for i := range specs {
		specs[i] = project(func(s *v1alpha1.ProjectSpec) {
			s.Progress.ForecastCost = qty(fmt.Sprintf("%dk", 900+i%300))
			s.Risks = []v1alpha1.Risk{{Name: "r", Probability: int32(1 + i%5), Impact: 4}}
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range specs {
			_ = Assess(specs[i], DefaultPolicy, now)
		}
	}
}
