/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package travel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

const (
	green   = v1alpha1.HealthGreen
	amber   = v1alpha1.HealthAmber
	red     = v1alpha1.HealthRed
	unknown = v1alpha1.HealthUnknown
)

func TestHealthDirection(t *testing.T) {
	for _, c := range []struct {
		then, now v1alpha1.Health
		want      Direction
	}{
		{green, green, Unchanged}, {red, red, Unchanged}, {unknown, unknown, Unchanged},
		{red, amber, Improved}, {amber, green, Improved}, {red, green, Improved},
		{green, amber, Declined}, {amber, red, Declined}, {green, red, Declined},
		{unknown, green, NotComparable}, {red, unknown, NotComparable}, {"", amber, NotComparable},
	} {
		if got := HealthDirection(c.then, c.now); got != c.want {
			t.Errorf("HealthDirection(%q, %q) = %q, want %q", c.then, c.now, got, c.want)
		}
	}
}

func TestConfidenceDirection(t *testing.T) {
	for _, c := range []struct {
		then, now v1alpha1.DeliveryConfidence
		want      Direction
	}{
		{v1alpha1.ConfidenceAmber, v1alpha1.ConfidenceAmberGreen, Improved},
		{v1alpha1.ConfidenceAmberGreen, v1alpha1.ConfidenceAmberRed, Declined},
		{v1alpha1.ConfidenceRed, v1alpha1.ConfidenceRed, Unchanged},
		{"", v1alpha1.ConfidenceRed, ""},
		{v1alpha1.ConfidenceGreen, "", ""},
	} {
		if got := ConfidenceDirection(c.then, c.now); got != c.want {
			t.Errorf("ConfidenceDirection(%q, %q) = %q, want %q", c.then, c.now, got, c.want)
		}
	}
}

func dec(s string) *inf.Dec {
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		panic(s)
	}
	return d
}

func TestCompareProjects(t *testing.T) {
	then := &Period{Start: "2026-11-23T00:00:00Z", Currency: "EUR", Complete: true,
		Object: State{Health: amber, Forecast: dec("1000"), Variance: dec("100"), RedOrAmberPeriods: 2},
		Projects: []State{
			{Namespace: "a", Name: "billing", Health: red, Forecast: dec("500"), Variance: dec("50"), Confidence: v1alpha1.ConfidenceAmberRed, RedOrAmberPeriods: 3},
			{Namespace: "a", Name: "crm", Health: green, Forecast: dec("300"), Variance: dec("0")},
			{Namespace: "a", Name: "gone", Health: amber},
		}}
	now := Period{Currency: "EUR", Complete: true,
		Object: State{Health: red, Forecast: dec("1200"), Variance: dec("250")},
		Projects: []State{
			{Namespace: "a", Name: "billing", Health: amber, Forecast: dec("450"), Variance: dec("0"), Confidence: v1alpha1.ConfidenceAmber},
			{Namespace: "a", Name: "crm", Health: red, Forecast: dec("400"), Variance: dec("100")},
			{Namespace: "a", Name: "new", Health: green},
		}}
	got := Compare(then, now)
	if got.Since != then.Start {
		t.Errorf("Since = %q", got.Since)
	}
	check := func(what string, m Movement, dir Direction, periods int32, forecast, variance string) {
		t.Helper()
		if m.Direction != dir || m.RedOrAmberPeriods != periods || fmt.Sprint(m.ForecastChange) != forecast || fmt.Sprint(m.VarianceChange) != variance {
			t.Errorf("%s: %+v, want %s, %d periods, forecast %s, variance %s", what, m, dir, periods, forecast, variance)
		}
	}
	check("object", got.Object, Declined, 3, "200", "150")
	check("billing", got.Projects[0], Improved, 4, "-50", "-50")
	if got.Projects[0].Confidence != Improved || got.Projects[0].ConfidenceThen != v1alpha1.ConfidenceAmberRed {
		t.Errorf("billing's confidence: %+v", got.Projects[0])
	}
	check("crm", got.Projects[1], Declined, 1, "100", "100")
	check("new", got.Projects[2], Joined, 0, "<nil>", "<nil>")
	if len(got.Left) != 1 || got.Left[0].Name != "gone" {
		t.Errorf("Left = %+v", got.Left)
	}
	want := Counts{Improved: 1, Declined: 1, Joined: 1, Left: 1, PersistentlyRedOrAmber: 1}
	if got.Counts != want {
		t.Errorf("Counts = %+v, want %+v", got.Counts, want)
	}

	// Another currency: money is not compared.
	now.Currency = "GBP"
	if m := Compare(then, now).Projects[0]; m.ForecastChange != nil || m.VarianceChange != nil {
		t.Errorf("money compared across currencies: %+v", m)
	}
	// A summarised earlier report: a project missing from it cannot be
	// said to have joined.
	then.Complete = false
	if m := Compare(then, now).Projects[2]; m.Direction != NotComparable {
		t.Errorf("missing from a summarised report: %s", m.Direction)
	}
}

func TestCompareWithoutEarlierPeriod(t *testing.T) {
	got := Compare(nil, Period{Object: State{Health: red}, Projects: []State{{Name: "a", Health: amber}, {Name: "b", Health: green}}})
	if got.Since != "" || got.Object.RedOrAmberPeriods != 1 || got.Projects[0].RedOrAmberPeriods != 1 || got.Projects[1].RedOrAmberPeriods != 0 {
		t.Errorf("%+v", got)
	}
	if got.Projects[0].Direction != "" || got.Counts != (Counts{}) {
		t.Errorf("directions without an earlier period: %+v", got)
	}
}

// Chained period by period, as each report compares itself with the last
// sealed one, the comparison agrees with one computed from the whole
// history at once: runs of Red or Amber counted back from now, joiners
// and leavers as set differences, directions from the two healths.
func TestChainedComparisonsAgreeWithTheWholeHistory(t *testing.T) {
	healths := []v1alpha1.Health{green, amber, red, unknown}
	names := []string{"a", "b", "c", "d", "e", "f"}
	for seed := range uint64(500) {
		rng := rand.New(rand.NewPCG(seed, 7))
		periods := 1 + rng.IntN(8)
		var history []map[string]v1alpha1.Health // per period, the projects listed
		var prev *Period
		for i := range periods {
			listed := map[string]v1alpha1.Health{}
			now := Period{Start: fmt.Sprint(i), Currency: "EUR", Complete: true}
			for _, n := range names {
				if rng.IntN(4) > 0 {
					listed[n] = healths[rng.IntN(len(healths))]
					now.Projects = append(now.Projects, State{Name: n, Health: listed[n]})
				}
			}
			history = append(history, listed)
			got := Compare(prev, now)
			for j, p := range now.Projects {
				now.Projects[j].RedOrAmberPeriods = got.Projects[j].RedOrAmberPeriods
				if want := runOf(history, p.Name); got.Projects[j].RedOrAmberPeriods != want {
					t.Fatalf("seed %d period %d %s: %d periods Red or Amber, the history says %d", seed, i, p.Name, got.Projects[j].RedOrAmberPeriods, want)
				}
				if prev != nil {
					if want := directionFrom(history[i-1], listed, p.Name); got.Projects[j].Direction != want {
						t.Fatalf("seed %d period %d %s: %s, want %s", seed, i, p.Name, got.Projects[j].Direction, want)
					}
				}
			}
			if prev != nil {
				left := 0
				for n := range history[i-1] {
					if _, ok := listed[n]; !ok {
						left++
					}
				}
				if int(got.Counts.Left) != left || len(got.Left) != left {
					t.Fatalf("seed %d period %d: %d left, want %d", seed, i, got.Counts.Left, left)
				}
			}
			prev = &now
		}
	}
}

// runOf counts back from the last period the periods in a row in which
// name was listed Red or Amber.
func runOf(history []map[string]v1alpha1.Health, name string) int32 {
	var n int32
	for i := len(history) - 1; i >= 0; i-- {
		h, ok := history[i][name]
		if !ok || (h != red && h != amber) {
			break
		}
		n++
	}
	return n
}

// directionFrom is a project's direction by a table of ranks of its own.
func directionFrom(then, now map[string]v1alpha1.Health, name string) Direction {
	before, ok := then[name]
	if !ok {
		return Joined
	}
	rank := map[v1alpha1.Health]int{green: 1, amber: 2, red: 3}
	a, b := rank[before], rank[now[name]]
	switch {
	case before == now[name]:
		return Unchanged
	case a == 0 || b == 0:
		return NotComparable
	case b < a:
		return Improved
	}
	return Declined
}
