/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/cel-go/cel"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// declarations lists an environment's functions with their overloads, and
// its macros.
func declarations(env *cel.Env) []string {
	var out []string
	for name, fn := range env.Functions() {
		for _, o := range fn.OverloadDecls() {
			out = append(out, "function "+name+" "+o.ID())
		}
	}
	for _, m := range env.Macros() {
		out = append(out, fmt.Sprintf("macro %s/%d receiver=%v", m.Function(), m.ArgCount(), m.IsReceiverStyle()))
	}
	slices.Sort(out)
	return out
}

// The environment rules run in uncounted declares what the API server's
// does, overload for overload: a new k8s.io/apiserver that adds, removes or
// changes a library fails here until newUncountedEnv follows it.
func TestUncountedEnvironmentIsTheAPIServers(t *testing.T) {
	rules, err := NewRules()
	if err != nil {
		t.Fatal(err)
	}
	apiServer, uncounted := declarations(rules.env), declarations(rules.uncounted)
	if len(apiServer) < 300 {
		t.Fatalf("the API server's environment declares %d functions and macros; the comparison is not looking at it", len(apiServer))
	}
	for _, d := range apiServer {
		if _, found := slices.BinarySearch(uncounted, d); !found {
			t.Errorf("the API server's environment has %s; the uncounted one does not", d)
		}
	}
	for _, d := range uncounted {
		if _, found := slices.BinarySearch(apiServer, d); !found {
			t.Errorf("the uncounted environment has %s; the API server's does not", d)
		}
	}
}

// randomProject is a project's JSON form with up to 12 risks and benefits,
// fields present or not at random.
func randomProject(rng *rand.Rand) map[string]any {
	risks := make([]any, rng.IntN(13))
	for i := range risks {
		r := map[string]any{"name": fmt.Sprintf("R-%d", rng.IntN(8)), "probability": int64(1 + rng.IntN(5)), "impact": int64(1 + rng.IntN(5))}
		if rng.IntN(2) == 0 {
			r["owner"] = []string{"ann@pmo.example", "Bob", ""}[rng.IntN(3)]
		}
		if rng.IntN(2) == 0 {
			r["description"] = []string{"Mitigated by a fallback", "supplier late", "Ãœ"}[rng.IntN(3)]
		}
		risks[i] = r
	}
	spec := map[string]any{"phase": []string{"Initiating", "Delivering"}[rng.IntN(2)], "plan": map[string]any{"budget": []any{"2.5M", int64(900000), "1M"}[rng.IntN(3)]}}
	if len(risks) > 0 || rng.IntN(2) == 0 {
		spec["risks"] = risks
	}
	if rng.IntN(2) == 0 {
		spec["category"] = []string{"IT", "run", "Grow"}[rng.IntN(3)]
	}
	if rng.IntN(2) == 0 {
		spec["manager"] = "Ann"
	}
	if rng.IntN(3) == 0 {
		spec["benefits"] = []any{map[string]any{"name": "R-1"}, map[string]any{"name": "B"}}
	}
	return map[string]any{"metadata": map[string]any{"name": "erp", "labels": map[string]any{"unit": "retail"}}, "spec": spec}
}

// Uncounted, a rule gives what it gives counted, errors included, on
// random projects (unless it is estimated beyond the limit, and then it
// only runs counted): the rules of TestRulesHaveTheKubernetesLibraries, the
// cost cases, and rules that fail on a missing key or use optional types.
func TestUncountedEvaluationGivesTheCountedResult(t *testing.T) {
	rules, err := NewRules()
	if err != nil {
		t.Fatal(err)
	}
	expressions := []string{
		"quantity(string(object.spec.plan.budget)).compareTo(quantity('1M')) <= 0 || has(object.spec.manager)",
		"object.spec.category.lowerAscii() in ['run', 'grow', 'transform']",
		"object.spec.risks.map(r, r.name).isSorted()",
		"sets.contains(['IT', 'Finance'], [object.spec.category])",
		"object.spec.category.matches('^[A-Z]+$')",
		"object.spec.risks.all(r, has(r.owner) && r.owner.contains('@'))",
		"object.?spec.?manager.orValue('') != ''",
		"object.spec.risks.exists(r, r.name.startsWith('R-') && r.probability * r.impact >= 12)",
		"object.metadata.labels.unit == 'retail' && url('https://pmo.example/' + object.metadata.name).getHost() == 'pmo.example'",
		"object.spec.risks.transformMap(i, r, r.probability).size() >= 0",
		// The API server reads times in UTC, whatever their offset.
		"timestamp('2026-01-01T00:00:00+01:00').getHours() == 23 && object.spec.phase != ''",
	}

	for _, c := range costCases {
		expressions = append(expressions, c.expression)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	errorsSeen, trueSeen, falseSeen := 0, 0, 0
	for i := range 400 {
		object := randomProject(rng)
		for _, e := range expressions {
			counted, _, countedErr := rules.Eval(e, object)
			if countedErr != nil && strings.Contains(countedErr.Error(), "cost limit exceeded") {
				// Only a rule estimated beyond the limit can reach it, and
				// such a rule never runs uncounted.
				if estimate, err := rules.Estimate(e, []v1alpha1.SubjectKind{"Project"}); err != nil || estimate <= CostLimit {
					t.Fatalf("%s reached the cost limit, estimated at %d (%v)", e, estimate, err)
				}
				continue
			}
			got, err := rules.evalUncounted(e, object)
			if got != counted || (err == nil) != (countedErr == nil) {
				t.Fatalf("object %d, %s: uncounted %v, %v; counted %v, %v\n%v", i, e, got, err, counted, countedErr, object)
			}
			switch {
			case err != nil:
				errorsSeen++
			case got:
				trueSeen++
			default:
				falseSeen++
			}
		}
	}
	if errorsSeen == 0 || trueSeen == 0 || falseSeen == 0 {
		t.Errorf("errors %d, true %d, false %d: the objects do not exercise every outcome", errorsSeen, trueSeen, falseSeen)
	}
}

// Rules run uncounted only when their estimated worst case together fits
// the budget: a rule set beyond it runs counted, and what it may not spend
// is not run (TestRulesShareOneBudgetPerObject).
func TestRulesRunUncountedOnlyWithinTheBudget(t *testing.T) {
	rules, err := NewRules()
	if err != nil {
		t.Fatal(err)
	}
	rule := func(expression string, kinds ...v1alpha1.SubjectKind) v1alpha1.Gate {
		return v1alpha1.Gate{AppliesTo: kinds, Rule: &v1alpha1.GateRule{Expression: expression}}
	}
	owners := "object.spec.risks.all(r, has(r.owner))"
	cost, err := rules.Estimate(owners, []v1alpha1.SubjectKind{"Project"})
	if err != nil || cost == 0 {
		t.Fatalf("estimate %d, %v", cost, err)
	}
	fitting := make([]v1alpha1.Gate, CostBudget/cost)
	for i := range fitting {
		fitting[i] = rule(owners, "Project")
	}
	if !rules.fitsBudget(fitting, "Project") {
		t.Errorf("%d rules of %d each fit %d", len(fitting), cost, CostBudget)
	}
	if rules.fitsBudget(append(fitting, rule(owners, "Project")), "Project") {
		t.Errorf("%d rules of %d each do not fit %d", len(fitting)+1, cost, CostBudget)
	}
	if !rules.fitsBudget(append(fitting, rule(owners, "Programme")), "Project") {
		t.Error("a Programme's rule counts against a Project's budget")
	}
	if rules.fitsBudget([]v1alpha1.Gate{rule("object.spec.nosuchfield == 1", "Project")}, "Project") {
		t.Error("a rule that cannot be estimated runs uncounted")
	}
}
