/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package benefits

import (
	"strings"
	"testing"
	"time"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func qty(s string) *resource.Quantity {
	q := resource.MustParse(s)
	return &q
}

func dec(s string) *inf.Dec {
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		panic(s)
	}
	return d
}

func sameDec(t *testing.T, what string, got *inf.Dec, want string) {
	t.Helper()
	switch {
	case want == "" && got == nil:
	case want == "" || got == nil:
		t.Errorf("%s = %v, want %q", what, got, want)
	case got.Cmp(dec(want)) != 0:
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		name                        string
		b                           v1alpha1.Benefit
		planned, forecast, realised string
	}{
		{"money from zero, old name planned", v1alpha1.Benefit{Planned: qty("350k"), Realised: qty("90k")}, "350000", "", "90000"},
		{"target wins over nothing", v1alpha1.Benefit{Target: qty("1.2k"), Forecast: qty("1000")}, "1200", "1000", ""},
		{"rise from a baseline", v1alpha1.Benefit{Baseline: qty("60"), Target: qty("80"), Forecast: qty("75"), Realised: qty("70")}, "20", "15", "10"},
		{"reduction: days 8 to 4", v1alpha1.Benefit{Baseline: qty("8"), Target: qty("4"), Forecast: qty("5"), Realised: qty("6.5")}, "4", "3", "1.5"},
		{"reduction gone the wrong way", v1alpha1.Benefit{Baseline: qty("8"), Target: qty("4"), Realised: qty("9")}, "4", "", "-1"},
		{"no target", v1alpha1.Benefit{Realised: qty("5")}, "", "", "5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Of(tc.b)
			sameDec(t, "planned", f.Planned, tc.planned)
			sameDec(t, "forecast", f.Forecast, tc.forecast)
			sameDec(t, "realised", f.Realised, tc.realised)
		})
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAssess(t *testing.T) {
	today := day("2026-12-07")
	money := func(target, forecast, realised string, due v1alpha1.Date) v1alpha1.Benefit {
		b := v1alpha1.Benefit{Name: "b", Target: qty(target), Due: due}
		if forecast != "" {
			b.Forecast = qty(forecast)
		}
		if realised != "" {
			b.Realised = qty(realised)
		}
		return b
	}
	for _, tc := range []struct {
		name      string
		b         v1alpha1.Benefit
		tolerance int32
		want      Shortfall // "" when none
		health    v1alpha1.Health
		reason    string
	}{
		{"not due, no forecast", money("100k", "", "", "2027-01-01"), 10, "", "", ""},
		{"forecast within tolerance", money("100k", "90k", "", "2027-01-01"), 10, "", "", ""},
		{"forecast beyond tolerance", money("100k", "89999", "", "2027-01-01"), 10, ForecastBeyondTolerance, v1alpha1.HealthRed,
			"benefit b: forecast 89.999k below planned 100k beyond 10% benefits tolerance (exception)"},
		{"zero tolerance: any shortfall", money("100k", "99999", "", "2027-01-01"), 0, ForecastBeyondTolerance, v1alpha1.HealthRed, ""},
		{"due today is not late", money("100k", "", "", "2026-12-07"), 10, "", "", ""},
		{"past due, nothing realised", money("100k", "", "", "2026-12-06"), 10, NothingRealised, v1alpha1.HealthRed,
			"benefit b: due 2026-12-06, nothing realised of planned 100k"},
		{"past due, zero realised", money("100k", "", "0", "2026-12-06"), 10, NothingRealised, v1alpha1.HealthRed, ""},
		{"past due, realised short", money("100k", "", "89k", "2026-12-06"), 10, RealisedShort, v1alpha1.HealthAmber,
			"benefit b: due 2026-12-06, realised 89k of planned 100k, short beyond 10% benefits tolerance"},
		{"past due, realised within tolerance", money("100k", "", "90k", "2026-12-06"), 10, "", "", ""},
		{"past due, 100% tolerance still needs something", money("100k", "", "", "2026-12-06"), 100, NothingRealised, v1alpha1.HealthRed, ""},
		{"forecast exception outranks lateness", money("100k", "10k", "", "2026-12-06"), 10, ForecastBeyondTolerance, v1alpha1.HealthRed, ""},
		{"hours, reduction", v1alpha1.Benefit{Name: "days", Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitDays},
			Baseline: qty("8"), Target: qty("4"), Realised: qty("7"), Due: "2026-01-01"}, 10, RealisedShort, v1alpha1.HealthAmber,
			"benefit days: due 2026-01-01, realised 1 days of planned 4 days, short beyond 10% benefits tolerance"},
		{"no target, nothing to judge", v1alpha1.Benefit{Name: "x", Due: "2020-01-01"}, 10, "", "", ""},
		{"a contribution is the programme's to judge", v1alpha1.Benefit{Name: "c", ProgrammeBenefit: "p", Due: "2020-01-01"}, 10, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess([]v1alpha1.Benefit{tc.b}, tc.tolerance, today)
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("got %+v, want no finding", got)
				}
				return
			}
			if len(got) != 1 || got[0].Kind != tc.want || got[0].Health != tc.health {
				t.Fatalf("got %+v, want %s %s", got, tc.want, tc.health)
			}
			if tc.reason != "" && got[0].Reason() != tc.reason {
				t.Errorf("reason %q, want %q", got[0].Reason(), tc.reason)
			}
		})
	}
}

func TestNextDue(t *testing.T) {
	bs := []v1alpha1.Benefit{{Due: "2026-12-01"}, {Due: "2027-03-31"}, {Due: "2026-12-31"}, {}}
	if got, want := NextDue(bs, day("2026-12-07")), day("2027-01-01"); !got.Equal(want) {
		t.Errorf("NextDue = %s, want %s", got, want)
	}
	if got := NextDue(bs[:1], day("2026-12-07")); !got.IsZero() {
		t.Errorf("NextDue with all past = %s, want zero", got)
	}
}

func TestLink(t *testing.T) {
	prog := &v1alpha1.Programme{}
	prog.Namespace, prog.Name = "ns", "p"
	prog.Spec.Benefits = []v1alpha1.Benefit{{Name: "Hours saved"}, {Name: "Savings"}}
	own := v1alpha1.Benefit{Name: "own", Target: qty("1")}
	to := func(name string) v1alpha1.Benefit { return v1alpha1.Benefit{Name: "c-" + name, ProgrammeBenefit: name} }
	for _, tc := range []struct {
		name      string
		bs        []v1alpha1.Benefit
		programme *v1alpha1.Programme
		reason    v1alpha1.ConditionReason
		unknown   []string
		message   string
	}{
		{"none", []v1alpha1.Benefit{own}, prog, v1alpha1.ReasonNoContributions, nil, "no benefit names a programme benefit"},
		{"linked", []v1alpha1.Benefit{own, to("Savings"), to("Hours saved")}, prog, v1alpha1.ReasonBenefitsLinked, nil, "2 contributions to benefits of programme ns/p"},
		{"unknown", []v1alpha1.Benefit{to("Savings"), to("Nope")}, prog, v1alpha1.ReasonUnknownBenefit, []string{"Nope"},
			`programme ns/p declares no benefit "Nope" (spec.benefits); the contribution counts for nothing until it does`},
		{"no programme", []v1alpha1.Benefit{to("Savings")}, nil, v1alpha1.ReasonNoProgramme, []string{"Savings"},
			`programmeBenefit "Savings" named, but the project belongs to no resolved programme`},
		{"no programme, no contribution", []v1alpha1.Benefit{own}, nil, v1alpha1.ReasonNoContributions, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := Link(tc.bs, tc.programme)
			if l.Reason != tc.reason || strings.Join(l.Unknown, ",") != strings.Join(tc.unknown, ",") || l.OK() != (len(tc.unknown) == 0) {
				t.Fatalf("got %+v, want %s %v", l, tc.reason, tc.unknown)
			}
			name := ""
			if tc.programme != nil {
				name = "ns/p"
			}
			if tc.message != "" && l.Message(name) != tc.message {
				t.Errorf("message %q, want %q", l.Message(name), tc.message)
			}
		})
	}
}

func TestLevel(t *testing.T) {
	if got := Level(nil); got != "" {
		t.Errorf("Level(nil) = %q, want empty", got)
	}
	for in, want := range map[string]string{"1.2k": "1200", "12.50": "12.5", "0": "0", "7": "7", "0.25": "0.25", "3M": "3000000", "100.0": "100"} {
		q := resource.MustParse(in)
		if got := Level(q.AsDec()); got != want {
			t.Errorf("Level(quantity %s) = %q, want %q", in, got, want)
		}
	}
}
