/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package rollup

import (
	"fmt"
	"math/rand"
	"strconv"
	"testing"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// randomBenefit is a benefit with whole-number levels, and what the test
// expects of it computed with integers: the improvement planned and
// realised, and the financial year (April start) it falls due in.
type randomBenefit struct {
	b                 v1alpha1.Benefit
	planned, realised int64
	year              int32
}

func randomBenefits(r *rand.Rand, prefix string, programmeBenefits []string) []randomBenefit {
	var out []randomBenefit
	for i := range r.Intn(4) {
		baseline, target, realised := int64(r.Intn(3))*1000, int64(r.Intn(50))*1000, int64(r.Intn(50))*1000
		b := v1alpha1.Benefit{Name: fmt.Sprintf("%s-%d", prefix, i), Target: qty(strconv.FormatInt(target, 10)), Realised: qty(strconv.FormatInt(realised, 10))}
		if r.Intn(2) == 0 {
			b.Baseline = qty(strconv.FormatInt(baseline, 10))
		} else {
			baseline = 0
		}
		if r.Intn(4) == 0 {
			b.Measure.Unit = v1alpha1.BenefitUnitHours
		}
		rb := randomBenefit{b: b}
		if r.Intn(5) > 0 {
			y, m := 2025+r.Intn(4), 1+r.Intn(12)
			b.Due = v1alpha1.Date(fmt.Sprintf("%04d-%02d-15", y, m))
			rb.year = int32(y)
			if m < 4 {
				rb.year--
			}
		}
		sign := int64(1)
		if target < baseline {
			sign = -1
		}
		rb.planned, rb.realised = sign*(target-baseline), sign*(realised-baseline)
		if len(programmeBenefits) > 0 && r.Intn(3) == 0 {
			// A contribution: its figures (which the schema refuses) must
			// count for nothing all the same.
			b.ProgrammeBenefit = programmeBenefits[r.Intn(len(programmeBenefits))]
		}
		rb.b = b
		out = append(out, rb)
	}
	return out
}

func plain(rbs []randomBenefit) []v1alpha1.Benefit {
	out := make([]v1alpha1.Benefit, len(rbs))
	for i, rb := range rbs {
		out[i] = rb.b
	}
	return out
}

// expected sums, with integers, the money benefits counted once (not
// contributions), in total and by year, and counts the others.
type expected struct {
	planned, realised int64
	byYear            map[int32][2]int64
	money, measured   int
}

func (e *expected) add(rbs []randomBenefit) {
	for _, rb := range rbs {
		if rb.b.ProgrammeBenefit != "" {
			continue
		}
		if rb.b.Measure.Unit == v1alpha1.BenefitUnitHours {
			e.measured++
			continue
		}
		e.money++
		e.planned += rb.planned
		e.realised += rb.realised
		y := e.byYear[rb.year]
		e.byYear[rb.year] = [2]int64{y[0] + rb.planned, y[1] + rb.realised}
	}
}

func sameInt(t *testing.T, what string, got v1alpha1.Amount, want int64) {
	t.Helper()
	if v := money.Value(got); v == nil || v.Cmp(inf.NewDec(want, 0)) != 0 {
		t.Fatalf("%s = %q, want %d", what, got, want)
	}
}

// TestBenefitsCountedOnce builds many random portfolios of programmes that
// own benefits, projects beneath them that hold their own or contribute to
// their programme's, and projects directly in the portfolio, and checks
// the portfolio's totals and totals by due year against a sum computed
// with integers: every benefit counts exactly once, a contribution never.
func TestBenefitsCountedOnce(t *testing.T) {
	r := rand.New(rand.NewSource(24))
	for iter := range 500 {
		want := expected{byYear: map[int32][2]int64{}}
		pf := New("EUR").WithFinancialYearStart(4)
		for g := range r.Intn(4) {
			own := randomBenefits(r, fmt.Sprintf("prog%d", g), nil)
			want.add(own)
			names := make([]string, len(own))
			for i, b := range own {
				names[i] = b.b.Name
			}
			prog := New("EUR").WithFinancialYearStart(4)
			prog.AddOwnBenefits(fmt.Sprintf("Programme ns/prog%d", g), plain(own))
			for j := range r.Intn(4) {
				p := project(fmt.Sprintf("p%d-%d", g, j), v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "1", "0", "1")
				bs := randomBenefits(r, p.Name, names)
				want.add(bs)
				p.Benefits = plain(bs)
				prog.AddProject(p)
			}
			pf.AddProgramme(Programme{Namespace: "ns", Name: fmt.Sprintf("prog%d", g), Currency: "EUR", Rollup: prog.Build().Rollup})
		}
		for j := range r.Intn(3) {
			p := project(fmt.Sprintf("direct%d", j), v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "1", "0", "1")
			bs := randomBenefits(r, p.Name, nil)
			want.add(bs)
			p.Benefits = plain(bs)
			pf.AddProject(p)
		}
		got := pf.Build().Rollup.Benefits
		where := fmt.Sprintf("iteration %d", iter)
		if want.money == 0 {
			if got.Planned != "" || got.Realised != "" || len(got.ByYear) != 0 {
				t.Fatalf("%s: no money benefits, got %+v", where, got)
			}
		} else {
			sameInt(t, where+" planned", got.Planned, want.planned)
			sameInt(t, where+" realised", got.Realised, want.realised)
			sameInt(t, where+" forecast (planned: none forecast)", got.Forecast, want.planned)
		}
		if len(got.ByYear) != len(want.byYear) {
			t.Fatalf("%s: %d years, want %d: %+v", where, len(got.ByYear), len(want.byYear), got.ByYear)
		}
		var counted int32
		for i, y := range got.ByYear {
			w := want.byYear[y.Year]
			sameInt(t, fmt.Sprintf("%s year %d planned", where, y.Year), y.Planned, w[0])
			sameInt(t, fmt.Sprintf("%s year %d realised", where, y.Year), y.Realised, w[1])
			counted += y.Benefits
			if i > 0 && y.Year != 0 && y.Year <= got.ByYear[i-1].Year {
				t.Fatalf("%s: years out of order: %+v", where, got.ByYear)
			}
		}
		if int(counted) != want.money {
			t.Fatalf("%s: years count %d benefits, want %d", where, counted, want.money)
		}
		if n := len(got.Measured) + int(got.MeasuredNotListed); n != want.measured {
			t.Fatalf("%s: %d measured benefits listed or counted, want %d", where, n, want.measured)
		}
	}
}

// TestMeasuredListed lists benefits in other units, never summed, and
// bounds the list.
func TestMeasuredListed(t *testing.T) {
	b := New("EUR")
	hours := func(name, due string) v1alpha1.Benefit {
		q := resource.MustParse("1200")
		return v1alpha1.Benefit{Name: name, Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitHours, Label: "staff hours saved a year"},
			Target: &q, Due: v1alpha1.Date(due)}
	}
	b.AddOwnBenefits("Programme ns/p", []v1alpha1.Benefit{hours("later", "2028-01-01"), hours("undated", ""), hours("sooner", "2027-01-01")})
	s := b.Build().Rollup.Benefits
	if s.Planned != "" || len(s.ByYear) != 0 {
		t.Fatalf("hours were summed as money: %+v", s)
	}
	var names []string
	for _, m := range s.Measured {
		names = append(names, m.Name)
	}
	if fmt.Sprint(names) != "[sooner later undated]" || s.Measured[0].Target != "1200" || s.Measured[0].Year != 2027 || s.Measured[0].Holder != "Programme ns/p" {
		t.Fatalf("measured = %+v", s.Measured)
	}
	many := New("EUR")
	for i := range 20 {
		many.AddOwnBenefits("Programme ns/p", []v1alpha1.Benefit{hours(fmt.Sprintf("h%02d", i), "2027-01-01")})
	}
	if s := many.Build().Rollup.Benefits; len(s.Measured) != 16 || s.MeasuredNotListed != 4 {
		t.Fatalf("listed %d, not listed %d; want 16 and 4", len(s.Measured), s.MeasuredNotListed)
	}
}
