/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package strategy

import (
	"reflect"
	"testing"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func dec(s string) *inf.Dec {
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		panic(s)
	}
	return d
}

func contrib(pairs ...string) []v1alpha1.Contribution {
	var out []v1alpha1.Contribution
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, v1alpha1.Contribution{Objective: pairs[i], Strength: v1alpha1.ContributionStrength(pairs[i+1])})
	}
	return out
}

// three objectives weighing 3, 2 and 1: Σ weights 6, so the most a
// contribution can add up to is 3 × 6 = 18.
var declared = Declared{
	Objectives: []Objective{{"growth", 3}, {"resilience", 2}, {"compliance", 1}},
	Categories: []string{"Run", "Grow", "Transform"},
	Targets:    map[string]int64{"Run": 30, "Grow": 40, "Transform": 30},
}

func TestAlignScore(t *testing.T) {
	for _, tc := range []struct {
		name          string
		d             Declared
		category      string
		contributions []v1alpha1.Contribution
		score         *int32
		unknown       []string
		unknownCat    string
		contributes   bool
	}{
		// 100 × 3×3 / 18 = 50.
		{name: "high to the heaviest", d: declared, contributions: contrib("growth", "High"), score: ptr(50), contributes: true},
		// 100 × (3×3 + 2×3 + 1×3) / 18 = 100.
		{name: "high to all", d: declared, contributions: contrib("growth", "High", "resilience", "High", "compliance", "High"), score: ptr(100), contributes: true},
		// unset strength is Medium: 100 × 2×2 / 18 = 22.2 → 22.
		{name: "medium by default", d: declared, contributions: contrib("resilience", ""), score: ptr(22), contributes: true},
		// 100 × 1×1 / 18 = 5.56 → 6 (half up).
		{name: "low to the lightest rounds", d: declared, contributions: contrib("compliance", "Low"), score: ptr(6), contributes: true},
		// 100 × 1×3 / 18 = 16.67 → 17; the unknown one counts for nothing.
		{name: "unknown objective", d: declared, category: "Run", contributions: contrib("compliance", "High", "moonshot", "High"), score: ptr(17), unknown: []string{"moonshot"}, contributes: true},
		{name: "unknown category, no contributions", d: declared, category: "Moonshots", score: ptr(0), unknownCat: "Moonshots"},
		{name: "no objectives declared", d: Declared{Categories: []string{"Run"}}, category: "Run", contributions: contrib("growth", "High"), unknown: []string{"growth"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Align(tc.d, tc.category, tc.contributions)
			want := Alignment{Score: tc.score, UnknownObjectives: tc.unknown, UnknownCategory: tc.unknownCat, Contributes: tc.contributes}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Align = %+v (score %v), want %+v (score %v)", got, deref(got.Score), want, deref(want.Score))
			}
		})
	}
}

func TestRankOrder(t *testing.T) {
	components := []Component{
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "low", Open: true, Contributions: contrib("compliance", "Low")},
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "tie-unset", Open: true, Contributions: contrib("growth", "High")},
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "tie-p2", Open: true, Priority: 2, Contributions: contrib("growth", "High")},
		{Kind: v1alpha1.SubjectKindProgramme, Namespace: "a", Name: "tie-p1", Open: true, Priority: 1, Contributions: contrib("growth", "High")},
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "a-tie-unset", Open: true, Contributions: contrib("resilience", "High", "compliance", "High")},
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "closed", Open: false, Contributions: contrib("growth", "High")},
	}
	r := Assess(declared, components, true)
	var got []string
	for _, x := range r.Ranking {
		got = append(got, x.Name)
		if int(x.Rank) != len(got) {
			t.Errorf("%s has rank %d, want %d", x.Name, x.Rank, len(got))
		}
	}
	// 50 each for the four ties (growth High; resilience+compliance High
	// is 100 × 9/18 = 50 too): priority 1, 2, then unset by name.
	want := []string{"tie-p1", "tie-p2", "a-tie-unset", "tie-unset", "low"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ranking = %v, want %v", got, want)
	}
}

func TestBalance(t *testing.T) {
	components := []Component{
		// Grow 5M split growth:resilience = 3:1 → 3.75M and 1.25M.
		{Kind: v1alpha1.SubjectKindProgramme, Namespace: "a", Name: "platform", Open: true, Category: "Grow", Committed: dec("5000000"), Contributions: contrib("growth", "High", "resilience", "Low")},
		// Run 2M to resilience.
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "payroll", Open: true, Category: "Run", Committed: dec("2000000"), Contributions: contrib("resilience", "Medium")},
		// Closed, Transform 1M: balanced, not ranked; unaligned money.
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "old", Open: false, Category: "Transform", Committed: dec("1000000")},
		// Unknown category 2M: uncategorised; unknown objective: unaligned.
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "stray", Open: true, Category: "Moonshots", Committed: dec("2000000"), Contributions: contrib("moonshot", "High")},
		// No budget at all: ranked, nothing committed.
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "idea", Open: true, Category: "Grow"},
	}
	r := Assess(declared, components, true)
	if !r.Balanced || r.Total.Cmp(dec("10000000")) != 0 {
		t.Fatalf("balanced %v total %v, want 10M", r.Balanced, r.Total)
	}
	// Run 2M = 20% vs 30: under by 10 points. Grow 5M = 50% vs 40: over
	// by 10. Transform 1M = 10% vs 30: under.
	wantCat := []Line{
		{Name: "Run", Committed: dec("2000000"), Actual: 20, Target: p64(30), Weight: v1alpha1.BalanceUnderWeight},
		{Name: "Grow", Committed: dec("5000000"), Actual: 50, Target: p64(40), Weight: v1alpha1.BalanceOverWeight},
		{Name: "Transform", Committed: dec("1000000"), Actual: 10, Target: p64(30), Weight: v1alpha1.BalanceUnderWeight},
	}
	compareLines(t, "category", r.ByCategory, wantCat)
	// growth 3.75M = 37.5% vs 50 (3/6): under. resilience 1.25M + 2M =
	// 32.5% vs 33.3: balanced. compliance 0% vs 16.7: under.
	wantObj := []Line{
		{Name: "growth", Committed: dec("3750000"), Actual: 38, Target: p64(50), Weight: v1alpha1.BalanceUnderWeight},
		{Name: "resilience", Committed: dec("3250000"), Actual: 33, Target: p64(33), Weight: v1alpha1.BalanceBalanced},
		{Name: "compliance", Committed: dec("0"), Actual: 0, Target: p64(17), Weight: v1alpha1.BalanceUnderWeight},
	}
	compareLines(t, "objective", r.ByObjective, wantObj)
	if r.Uncategorised.Cmp(dec("2000000")) != 0 || r.Unaligned.Cmp(dec("3000000")) != 0 {
		t.Errorf("uncategorised %v unaligned %v, want 2M and 3M", r.Uncategorised, r.Unaligned)
	}
	if !reflect.DeepEqual(r.ObjectivesWithoutWork, []string{"compliance"}) {
		t.Errorf("objectives without work = %v", r.ObjectivesWithoutWork)
	}
	var unaligned []string
	for _, u := range r.UnalignedWork {
		unaligned = append(unaligned, u.Name)
	}
	if !reflect.DeepEqual(unaligned, []string{"idea", "stray"}) {
		t.Errorf("unaligned work = %v, want idea and stray (old is closed)", unaligned)
	}
	wantUnknown := []Unknown{
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "stray", Reason: v1alpha1.ReasonUnknownObjective, What: "moonshot"},
		{Kind: v1alpha1.SubjectKindProject, Namespace: "a", Name: "stray", Reason: v1alpha1.ReasonUnknownCategory, What: "Moonshots"},
	}
	if !reflect.DeepEqual(r.Unknown, wantUnknown) {
		t.Errorf("unknown = %+v", r.Unknown)
	}
	// Every amount is counted once on each side.
	sum := new(inf.Dec).Set(r.Uncategorised)
	for _, l := range r.ByCategory {
		sum.Add(sum, l.Committed)
	}
	if sum.Cmp(r.Total) != 0 {
		t.Errorf("categories add up to %v, want %v", sum, r.Total)
	}
}

// A split to the cent: 100.01 shared 1:1:1 gives 33.34, 33.34 and the rest
// 33.33, adding up to the whole.
func TestSplitExact(t *testing.T) {
	d := Declared{Objectives: []Objective{{"a", 1}, {"b", 1}, {"c", 1}}}
	r := Assess(d, []Component{{Name: "x", Open: true, Committed: dec("100.01"), Contributions: contrib("a", "Low", "b", "Low", "c", "Low")}}, true)
	got := []string{r.ByObjective[0].Committed.String(), r.ByObjective[1].Committed.String(), r.ByObjective[2].Committed.String()}
	if !reflect.DeepEqual(got, []string{"33.34", "33.34", "33.33"}) {
		t.Errorf("split = %v", got)
	}
}

// The tolerance is exclusive: exactly 5 points off is still Balanced.
func TestToleranceEdge(t *testing.T) {
	d := Declared{Categories: []string{"Run", "Grow"}, Targets: map[string]int64{"Run": 30}}
	r := Assess(d, []Component{
		{Name: "a", Category: "Run", Committed: dec("35")},
		{Name: "b", Category: "Grow", Committed: dec("65")},
	}, true)
	if r.ByCategory[0].Weight != v1alpha1.BalanceBalanced || r.ByCategory[1].Weight != v1alpha1.BalanceNoTarget {
		t.Errorf("weights = %v, %v", r.ByCategory[0].Weight, r.ByCategory[1].Weight)
	}
	r = Assess(d, []Component{
		{Name: "a", Category: "Run", Committed: dec("35.01")},
		{Name: "b", Category: "Grow", Committed: dec("64.99")},
	}, true)
	if r.ByCategory[0].Weight != v1alpha1.BalanceOverWeight {
		t.Errorf("35.01%% of a 30%% target is %v", r.ByCategory[0].Weight)
	}
}

// Amounts in another currency leave the committed total unknown: no balance,
// but the ranking stands.
func TestMoneyUnknown(t *testing.T) {
	r := Assess(declared, []Component{{Name: "a", Open: true, Category: "Run", Committed: dec("1"), Contributions: contrib("growth", "High")}}, false)
	if r.Balanced || r.ByCategory != nil || r.Uncategorised != nil || len(r.Ranking) != 1 {
		t.Errorf("got %+v", r)
	}
}

func compareLines(t *testing.T, what string, got, want []Line) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s lines = %d, want %d", what, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.Committed.Cmp(w.Committed) != 0 || g.Actual != w.Actual || !reflect.DeepEqual(g.Target, w.Target) || g.Weight != w.Weight {
			t.Errorf("%s %s = {%v %d%% target %v %s}, want {%v %d%% target %v %s}", what, w.Name, g.Committed, g.Actual, deref64(g.Target), g.Weight, w.Committed, w.Actual, deref64(w.Target), w.Weight)
		}
	}
}

func ptr(v int32) *int32 { return &v }
func p64(v int64) *int64 { return &v }
func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}
func deref64(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
