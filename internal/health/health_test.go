/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package health

import (
	"fmt"
	"math/big"
	"regexp"
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
			v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"cost forecast 1.075M uses 75% of the 10% tolerance on budget 1M"}},
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
				{Name: "O-1", Kind: v1alpha1.RiskOpportunity, Probability: 5, Impact: 5, Status: v1alpha1.RiskOpen},
			}
		}), v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"2 open threats at or above severity 15: R-1 (20), R-4 (15)"}},
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
		// Long time tolerances: 204w × 75 overflowed int64 nanoseconds, and
		// 9999w (the longest the API admits) is 191 years.
		{"204w tolerance, a week late", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "204w"
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 1)
		}), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"204w tolerance, 160w late", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "204w"
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 160)
		}), v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"forecast end 2030-07-24 uses 78% of the 204w time tolerance after planned end 2027-06-30"}},
		{"204w tolerance, 205w late", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "204w"
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 205)
		}), v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"forecast end 2031-06-04 is 205w after planned end 2027-06-30, beyond the 204w time tolerance"}},
		{"9999w tolerance, a week late", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "9999w"
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 1)
		}), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"9999w tolerance, just under the warning share", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "9999w"
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 7499) // 74.997%
		}), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"9999w tolerance, at the warning share", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "9999w"
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 7500) // 75.008%
		}), v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"forecast end 2171-03-27 uses 75% of the 9999w time tolerance after planned end 2027-06-30"}},
		{"9999w tolerance, 10000w late", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "9999w"
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 10000)
		}), v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"is 10000w after planned end 2027-06-30, beyond the 9999w time tolerance"}},
		{"forecast end 8000 years late", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "9999w"
			s.Progress.ForecastEnd = "9999-12-31"
		}), v1alpha1.HealthRed, v1alpha1.HealthRed, []string{"forecast end 9999-12-31 is 2911897d after planned end 2027-06-30"}},
		{"a tolerance the API refuses is not used", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "99999w" // time.Duration would wrap to a negative tolerance
			s.Progress.ForecastEnd = weeksAfter("2027-06-30", 1)
		}), v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
		{"progress dated ahead", project(func(s *v1alpha1.ProjectSpec) { s.Progress.AsOf = "2099-01-01" }),
			v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"progress reported as of 2099-01-01, after today (2026-11-27)"}},
		{"progress dated ahead, while closed", project(func(s *v1alpha1.ProjectSpec) {
			s.Phase = v1alpha1.ProjectClosed
			s.Progress.AsOf = "2026-11-28"
		}), v1alpha1.HealthAmber, v1alpha1.HealthAmber, []string{"progress reported as of 2026-11-28, after today"}},
		{"progress dated today east of UTC is not ahead", project(func(s *v1alpha1.ProjectSpec) { s.Progress.AsOf = "2026-11-27" }),
			v1alpha1.HealthGreen, v1alpha1.HealthGreen, nil},
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

// Tolerances apply both ways: an underspend or early finish beyond
// tolerance is an exception of its own kind, shown whatever it does to
// health, and lowers health as far as the Office says; zero tolerances
// hold; risk tolerance is computed from the open threats; scope and
// quality exceptions are only ever declared.
func TestToleranceExceptions(t *testing.T) {
	type want struct {
		kind   v1alpha1.ToleranceExceptionKind
		health v1alpha1.Health
		text   string
	}
	cases := []struct {
		name    string
		spec    v1alpha1.ProjectSpec
		policy  Policy
		derived v1alpha1.Health
		want    []want
	}{
		{"on plan", project(nil), DefaultPolicy, v1alpha1.HealthGreen, nil},
		{"underspend within tolerance", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("900k") }),
			DefaultPolicy, v1alpha1.HealthGreen, nil},
		{"underspend beyond tolerance, shown but Green by default", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("899999") }),
			DefaultPolicy, v1alpha1.HealthGreen, []want{{v1alpha1.ExceptionUnderspend, v1alpha1.HealthGreen, "cost forecast 899.999k is below budget 1M beyond the 10% tolerance (underspend 100.001k)"}}},
		{"underspend beyond tolerance, Amber when the office says", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("700k") }),
			underrunAmber, v1alpha1.HealthAmber, []want{{v1alpha1.ExceptionUnderspend, v1alpha1.HealthAmber, "underspend 300k"}}},
		{"early finish beyond tolerance", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastEnd = "2027-05-01" }),
			underrunAmber, v1alpha1.HealthAmber, []want{{v1alpha1.ExceptionEarlyFinish, v1alpha1.HealthAmber, "forecast end 2027-05-01 is 60d before planned end 2027-06-30, beyond the 4w time tolerance"}}},
		{"early within tolerance", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastEnd = "2027-06-02" }),
			underrunAmber, v1alpha1.HealthGreen, nil},
		{"overrun is its own kind", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastCost = qty("1.2M") }),
			DefaultPolicy, v1alpha1.HealthRed, []want{{v1alpha1.ExceptionCostOverrun, v1alpha1.HealthRed, "overrun 200k"}}},
		{"late is its own kind", project(func(s *v1alpha1.ProjectSpec) { s.Progress.ForecastEnd = "2027-09-08" }),
			DefaultPolicy, v1alpha1.HealthRed, []want{{v1alpha1.ExceptionLateFinish, v1alpha1.HealthRed, "10w after"}}},
		{"zero time tolerance, a day late", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time = "0d"
			s.Progress.ForecastEnd = "2027-07-01"
		}), DefaultPolicy, v1alpha1.HealthRed, []want{{v1alpha1.ExceptionLateFinish, v1alpha1.HealthRed, "beyond the 0d time tolerance"}}},
		{"zero time tolerance, on the day", project(func(s *v1alpha1.ProjectSpec) { s.Tolerances.Time = "0w" }),
			DefaultPolicy, v1alpha1.HealthGreen, nil},
		{"zero tolerances, a day early and a penny under", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Time, s.Tolerances.CostPercent = "0h", pct(0)
			s.Progress.ForecastEnd, s.Progress.ForecastCost = "2027-06-29", qty("999999.99")
		}), underrunAmber, v1alpha1.HealthAmber, []want{{v1alpha1.ExceptionUnderspend, v1alpha1.HealthAmber, "underspend 0.01"}, {v1alpha1.ExceptionEarlyFinish, v1alpha1.HealthAmber, "1d before"}}},
		{"risk exposure beyond tolerance, opportunities apart", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.RiskExposure = pct(20)
			s.Risks = []v1alpha1.Risk{
				{Name: "T-1", Probability: 3, Impact: 4},
				{Name: "T-2", Probability: 3, Impact: 3, Status: v1alpha1.RiskMitigating},
				{Name: "T-3", Probability: 5, Impact: 5, Status: v1alpha1.RiskClosed},
				{Name: "O-1", Kind: v1alpha1.RiskOpportunity, Probability: 5, Impact: 5},
			}
		}), DefaultPolicy, v1alpha1.HealthRed, []want{{v1alpha1.ExceptionRiskExposure, v1alpha1.HealthRed, "open threat exposure 21 is beyond the risk tolerance of 20"}}},
		{"risk exposure at tolerance", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.RiskExposure = pct(21)
			s.Risks = []v1alpha1.Risk{{Name: "T-1", Probability: 3, Impact: 4}, {Name: "T-2", Probability: 3, Impact: 3}}
		}), DefaultPolicy, v1alpha1.HealthGreen, nil},
		{"a threat beyond the severity tolerance", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.RiskSeverity = 11
			s.Risks = []v1alpha1.Risk{{Name: "T-1", Probability: 3, Impact: 4}, {Name: "T-2", Probability: 3, Impact: 3}, {Name: "O-1", Kind: v1alpha1.RiskOpportunity, Probability: 4, Impact: 4}}
		}), DefaultPolicy, v1alpha1.HealthRed, []want{{v1alpha1.ExceptionRiskSeverity, v1alpha1.HealthRed, "1 open threat is beyond the risk severity tolerance of 11: T-1 (12)"}}},
		{"scope declared beyond tolerance", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Scope = v1alpha1.DeclaredTolerance{State: v1alpha1.ToleranceBeyond, Reason: "card payments move to phase 2"}
			s.Tolerances.Quality = v1alpha1.DeclaredTolerance{State: v1alpha1.ToleranceWithin}
		}), DefaultPolicy, v1alpha1.HealthRed, []want{{v1alpha1.ExceptionScope, v1alpha1.HealthRed, "the project manager declares scope beyond tolerance: card payments move to phase 2"}}},
		{"quality declared beyond tolerance", project(func(s *v1alpha1.ProjectSpec) {
			s.Tolerances.Quality = v1alpha1.DeclaredTolerance{State: v1alpha1.ToleranceBeyond, Reason: "load tests fail at 80% of peak"}
		}), DefaultPolicy, v1alpha1.HealthRed, []want{{v1alpha1.ExceptionQuality, v1alpha1.HealthRed, "quality beyond tolerance"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(tc.spec, tc.policy, now)
			if got.Derived != tc.derived {
				t.Errorf("derived %s; want %s (reasons %q)", got.Derived, tc.derived, got.Reasons)
			}
			if len(got.Exceptions) != len(tc.want) {
				t.Fatalf("exceptions %+v; want %d", got.Exceptions, len(tc.want))
			}
			for i, w := range tc.want {
				e := got.Exceptions[i]
				if e.Kind != w.kind || e.Health != w.health || !strings.Contains(e.Message, w.text) {
					t.Errorf("exception %d = %+v; want %s %s containing %q", i, e, w.kind, w.health, w.text)
				}
				inReasons := strings.Contains(strings.Join(got.Reasons, "\n"), e.Message)
				if lowers := e.Health != v1alpha1.HealthGreen; inReasons != lowers {
					t.Errorf("exception %q in the health reasons: %v; want %v (only what lowers health is a reason)", e.Message, inReasons, lowers)
				}
			}
		})
	}
}

// weeksAfter is the date n weeks after a date.
func weeksAfter(date string, n int) v1alpha1.Date {
	d, err := v1alpha1.Date(date).Time()
	if err != nil {
		panic(err)
	}
	return v1alpha1.Date(d.AddDate(0, 0, 7*n).Format(time.DateOnly))
}

// A report dated ahead is looked at again when its date arrives somewhere
// (UTC+14), and is fresh from then on.
func TestProgressDatedAheadIsLookedAtWhenItsDateArrives(t *testing.T) {
	spec := project(func(s *v1alpha1.ProjectSpec) { s.Progress.AsOf = "2099-01-01" })
	got := Assess(spec, DefaultPolicy, now)
	if want := time.Date(2098, 12, 31, 10, 0, 0, 0, time.UTC); !got.StaleAt.Equal(want) {
		t.Errorf("StaleAt = %v; want %v, when 2099-01-01 begins in UTC+14", got.StaleAt, want)
	}
	if got := Assess(spec, DefaultPolicy, got.StaleAt); got.Derived != v1alpha1.HealthGreen {
		t.Errorf("on its date the report is %s (%q); want Green", got.Derived, got.Reasons)
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

// FuzzAssess feeds arbitrary figures, extreme durations, dates and amounts
// included: Assess never panics, always gives a known health, gives a
// reason for anything below Green, never rates better than the project
// manager declares, flags a report dated ahead, and rates time and cost as
// a twin computed another way (math/big, exact) does.
func FuzzAssess(f *testing.F) {
	f.Add("1M", "1.2M", int32(10), "2027-06-30", "2027-09-01", "4w", "2026-11-01", int32(4), int32(5), "Amber")
	f.Add("0", "0", int32(0), "2026-01-01", "2026-01-01", "1h", "2020-01-01", int32(1), int32(1), "")
	f.Add("1M", "1M", int32(10), "2027-06-30", "2030-07-24", "204w", "2026-11-19", int32(1), int32(1), "")
	f.Add("1M", "1M", int32(10), "2027-06-30", "2171-03-27", "9999w", "2026-11-19", int32(1), int32(1), "")
	f.Add("1M", "1M", int32(10), "0000-01-01", "9999-12-31", "9999w", "2099-01-01", int32(5), int32(5), "Green")
	f.Add("1M", "1M", int32(10), "2027-06-30", "2027-07-07", "99999w", "2026-11-28", int32(1), int32(1), "")
	f.Add("999999999999999999999999", "1E", int32(100), "2027-06-30", "2027-06-29", "9999h", "0001-01-01", int32(2147483647), int32(2), "Red")
	f.Add("1n", "2n", int32(-5), "2027-06-30", "2027-06-30", "1d", "9999-12-31", int32(-1), int32(-2147483648), "")
	f.Add("-1", "1e300", int32(2147483647), "2027-06-30", "2027-06-30", "1w", "2026-11-27", int32(0), int32(0), "")
	f.Add("1M", "650k", int32(0), "2027-06-30", "2027-06-29", "0d", "2026-11-19", int32(1), int32(1), "")
	f.Add("1M", "1M", int32(5), "2027-06-30", "2027-01-01", "00d", "2026-11-19", int32(1), int32(1), "")
	f.Fuzz(func(t *testing.T, budget, forecast string, costPct int32, end, forecastEnd, timeTol, asOf string, prob, impact int32, declared string) {
		b, ok := amount(budget)
		if !ok {
			return
		}
		fc, ok := amount(forecast)
		if !ok {
			return
		}
		spec := v1alpha1.ProjectSpec{
			Phase:       v1alpha1.ProjectDelivering,
			Plan:        v1alpha1.Plan{Budget: b, End: v1alpha1.Date(end)},
			Tolerances:  v1alpha1.Tolerances{CostPercent: &costPct, Time: v1alpha1.ToleranceDuration(timeTol)},
			Progress:    &v1alpha1.Progress{AsOf: v1alpha1.Date(asOf), ForecastCost: fc, ForecastEnd: v1alpha1.Date(forecastEnd)},
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
		if d, err := time.Parse(time.DateOnly, asOf); err == nil && asOf > now.Add(14*time.Hour).Format(time.DateOnly) {
			if Rank(got.Derived) < Rank(v1alpha1.HealthAmber) || !strings.Contains(strings.Join(got.Reasons, "\n"), "progress reported as of "+asOf+", after today") {
				t.Fatalf("progress dated %s, ahead of %s, gives %s %q", d.Format(time.DateOnly), now, got.Derived, got.Reasons)
			}
		}

		// Time alone: a fresh report, no cost forecast, no risks.
		timeOnly := spec
		timeOnly.Progress = &v1alpha1.Progress{AsOf: "2026-11-26", ForecastEnd: spec.Progress.ForecastEnd}
		timeOnly.Risks, timeOnly.DeclaredRAG = nil, ""
		if got, want := Assess(timeOnly, underrunAmber, now).Derived, timeTwin(end, forecastEnd, timeTol, DefaultPolicy.WarningPercent); got != want {
			t.Fatalf("time: end %s, forecast end %s, tolerance %q gives %s; the exact twin gives %s", end, forecastEnd, timeTol, got, want)
		}

		// Cost alone: a fresh report, no forecast end, no risks.
		costOnly := spec
		costOnly.Progress = &v1alpha1.Progress{AsOf: "2026-11-26", ForecastCost: fc}
		costOnly.Risks, costOnly.DeclaredRAG = nil, ""
		if got, want := Assess(costOnly, underrunAmber, now).Derived, costTwin(b, fc, costPct, DefaultPolicy.WarningPercent); got != want {
			t.Fatalf("cost: budget %s, forecast %s, tolerance %d%% gives %s; the exact twin gives %s", budget, forecast, costPct, got, want)
		}
	})
}

// amount parses a quantity, leaving out the long exponents that make
// resource.ParseQuantity itself slow (it expands them digit by digit).
func amount(s string) (*resource.Quantity, bool) {
	if len(s) > 40 || regexp.MustCompile(`[eE][-+]?[0-9]{4,}`).MatchString(s) {
		return nil, false
	}
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return nil, false
	}
	return &q, true
}

// underrunAmber is an Office that makes an underspend or early finish
// beyond tolerance Amber.
var underrunAmber = func() Policy { p := DefaultPolicy; p.UnderrunHealth = v1alpha1.HealthAmber; return p }()

// timeTwin rates a schedule with math/big over nanoseconds, from a
// tolerance read with the API's own pattern.
func timeTwin(end, forecastEnd, tolerance string, warning int32) v1alpha1.Health {
	planned, err1 := time.Parse(time.DateOnly, end)
	forecast, err2 := time.Parse(time.DateOnly, forecastEnd)
	if tolerance == "" {
		tolerance = "4w"
	}
	m := regexp.MustCompile(`^(0|[1-9][0-9]{0,3})(h|d|w)$`).FindStringSubmatch(tolerance)
	if err1 != nil || err2 != nil || m == nil {
		return v1alpha1.HealthGreen
	}
	slip := new(big.Int).Mul(big.NewInt(forecast.Unix()-planned.Unix()), big.NewInt(1e9))
	n, _ := new(big.Int).SetString(m[1], 10)
	unit := map[string]int64{"h": 3600e9, "d": 24 * 3600e9, "w": 7 * 24 * 3600e9}[m[2]]
	tol := new(big.Int).Mul(n, big.NewInt(unit))
	switch {
	case new(big.Int).Neg(slip).Cmp(tol) > 0:
		return v1alpha1.HealthAmber // an early finish, under underrunAmber
	case slip.Sign() <= 0:
		return v1alpha1.HealthGreen
	case slip.Cmp(tol) > 0:
		return v1alpha1.HealthRed
	case new(big.Int).Mul(slip, big.NewInt(100)).Cmp(new(big.Int).Mul(tol, big.NewInt(int64(warning)))) >= 0:
		return v1alpha1.HealthAmber
	}
	return v1alpha1.HealthGreen
}

// costTwin rates a cost forecast with big.Rat.
func costTwin(budget, forecast *resource.Quantity, pct int32, warning int32) v1alpha1.Health {
	rat := func(q *resource.Quantity) *big.Rat {
		r, ok := new(big.Rat).SetString(q.AsDec().String())
		if !ok {
			panic("not a decimal: " + q.String())
		}
		return r
	}
	b, f := rat(budget), rat(forecast)
	overrun := new(big.Rat).Sub(f, b)
	tol := new(big.Rat).Mul(b, big.NewRat(int64(pct), 100))
	switch {
	case new(big.Rat).Neg(overrun).Cmp(tol) > 0:
		return v1alpha1.HealthAmber // an underspend, under underrunAmber
	case overrun.Sign() <= 0:
		return v1alpha1.HealthGreen
	case overrun.Cmp(tol) > 0:
		return v1alpha1.HealthRed
	case new(big.Rat).Mul(overrun, big.NewRat(100, 1)).Cmp(new(big.Rat).Mul(tol, big.NewRat(int64(warning), 1))) >= 0:
		return v1alpha1.HealthAmber
	}
	return v1alpha1.HealthGreen
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

// Only Initiating, Delivering and Closing projects are held to the
// cadence; no report at all is stale; a report is stale from asOf + cadence
// on. Health lowers exactly the stale projects for it (the metrics export
// the same Stale).
func TestStale(t *testing.T) {
	const day = 24 * time.Hour
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	reported := func(asOf string) *v1alpha1.Progress { return &v1alpha1.Progress{AsOf: v1alpha1.Date(asOf)} }
	for _, tc := range []struct {
		name     string
		phase    v1alpha1.ProjectPhase
		progress *v1alpha1.Progress
		cadence  time.Duration
		want     bool
	}{
		{"delivering, fresh", v1alpha1.ProjectDelivering, reported("2026-11-20"), 28 * day, false},
		{"delivering, 28 days old is stale", v1alpha1.ProjectDelivering, reported("2026-10-30"), 28 * day, true},
		{"delivering, just under 28 days", v1alpha1.ProjectDelivering, reported("2026-10-31"), 28 * day, false},
		{"initiating, beyond a 2w cadence", v1alpha1.ProjectInitiating, reported("2026-11-07"), 14 * day, true},
		{"closing, never reported", v1alpha1.ProjectClosing, nil, 28 * day, true},
		{"delivering, dated ahead", v1alpha1.ProjectDelivering, reported("2026-12-24"), 28 * day, false},
		{"starting up, never reported", v1alpha1.ProjectStartingUp, nil, 28 * day, false},
		{"starting up, old report", v1alpha1.ProjectStartingUp, reported("2026-01-01"), 28 * day, false},
		{"phase unset (StartingUp)", "", nil, 28 * day, false},
		{"closed, old report", v1alpha1.ProjectClosed, reported("2026-01-01"), 28 * day, false},
		{"unparsable date", v1alpha1.ProjectDelivering, reported("2026-13-01"), 28 * day, false},
	} {
		spec := v1alpha1.ProjectSpec{Phase: tc.phase, Progress: tc.progress}
		if got, _ := Stale(spec, tc.cadence, now); got != tc.want {
			t.Errorf("%s: Stale = %v, want %v", tc.name, got, tc.want)
		}
		findings, _ := reportingFindings(spec, Policy{ReportingCadence: tc.cadence}, now)
		lowered := len(findings) > 0 && !strings.Contains(findings[0].reason, "after today")
		if lowered != tc.want {
			t.Errorf("%s: health findings %v; want stale %v", tc.name, findings, tc.want)
		}
	}
}

// The reporting state published in status follows the same rule as the
// health reason: stale while no report is within the cadence, not
// required before Initiating or once Closed.
func TestReportingState(t *testing.T) {
	fresh := project(nil)
	if got := Assess(fresh, DefaultPolicy, now).Reporting; got != v1alpha1.ReportingCurrent {
		t.Errorf("a fresh report: %s, want Current", got)
	}
	old := Assess(fresh, DefaultPolicy, now.AddDate(0, 1, 0))
	if old.Reporting != v1alpha1.ReportingStale || old.Derived != v1alpha1.HealthAmber {
		t.Errorf("a report a month past its cadence: %s, %s; want Stale, Amber", old.Reporting, old.Derived)
	}
	none := project(func(s *v1alpha1.ProjectSpec) { s.Progress = nil })
	if got := Assess(none, DefaultPolicy, now).Reporting; got != v1alpha1.ReportingStale {
		t.Errorf("no report at all: %s, want Stale", got)
	}
	closed := project(func(s *v1alpha1.ProjectSpec) { s.Phase, s.Progress = v1alpha1.ProjectClosed, nil })
	if got := Assess(closed, DefaultPolicy, now).Reporting; got != v1alpha1.ReportingNotRequired {
		t.Errorf("a closed project: %s, want NotRequired", got)
	}
}
