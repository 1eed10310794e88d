/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"math"
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/policy"
)

// The policy is admissible, near the limits, and holds on the edited
// projects, so that every edit of the measurement is admitted.
func TestHeavyPolicy(t *testing.T) {
	governance, estimate, err := heavyPolicy()
	if err != nil {
		t.Fatal(err)
	}
	if estimate < policy.CostBudget*9/10 || estimate > policy.CostBudget {
		t.Errorf("the rules are estimated at %d together; want within 10%% under the budget %d", estimate, policy.CostBudget)
	}
	rules, _ := policy.NewRules()
	for _, g := range governance.Gates {
		if _, err := rules.CheckGate(g); err != nil {
			t.Errorf("gate %s would be refused: %v", g.Name, err)
		}
	}
	for _, o := range admissionObjects(governance) {
		if p, ok := o.(*v1alpha1.Project); ok {
			cost, err := rulesCost(rules, governance, p)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: estimated %d, costs %d", p.Name, estimate, cost)
			return
		}
	}
	t.Fatal("no project among the admission objects")
}

// quantile interpolates within buckets as PromQL's histogram_quantile.
func TestQuantile(t *testing.T) {
	before := histogram{0.005: 10, 0.01: 10, 0.025: 10, math.Inf(1): 10}
	// 100 new observations: 50 up to 5 ms, 40 in (5, 10] ms, 10 in (10, 25] ms.
	after := histogram{0.005: 60, 0.01: 100, 0.025: 110, math.Inf(1): 110}
	for _, c := range []struct{ q, want float64 }{{0.5, 5}, {0.7, 7.5}, {0.95, 17.5}} {
		got, n := quantile(before, after, c.q)
		if n != 100 || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("quantile %.2f = %.3f ms of %d; want %.3f ms of 100", c.q, got, n, c.want)
		}
	}
	if got, want := bucketOf(before, after, 0.95), "(0.01 s, 0.025 s]"; got != want {
		t.Errorf("bucket of the 0.95-quantile: %s; want %s", got, want)
	}
}

// What the rules cost in time on one edited project, evaluated once on one
// core (the webhook evaluates a change under the policy before and after).
func BenchmarkRulesCost(b *testing.B) {
	governance, _, err := heavyPolicy()
	if err != nil {
		b.Fatal(err)
	}
	rules, _ := policy.NewRules()
	for _, o := range admissionObjects(governance) {
		if p, ok := o.(*v1alpha1.Project); ok {
			for b.Loop() {
				if _, err := rulesCost(rules, governance, p); err != nil {
					b.Fatal(err)
				}
			}
			return
		}
	}
}
