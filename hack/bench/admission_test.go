/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
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
