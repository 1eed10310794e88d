/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"context"
	"errors"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	crdcel "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/model"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/cel/environment"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/config/crd"
	"p3o.dev/p3o-operator/internal/controlplane"
)

const projectsCRD = "bases/governance.p3o.dev_projects.yaml"

// costCases are Project rules: the README's examples, string functions
// inside comprehensions, and nested comprehensions cheap and costly.
var costCases = []struct{ name, expression string }{
	{"issue: owners are e-mail addresses", "!has(object.spec.risks) || object.spec.risks.all(r, !has(r.owner) || r.owner.contains('@'))"},
	{"README: budget above 1M has a manager", "quantity(string(object.spec.plan.budget)).compareTo(quantity('1M')) <= 0 || has(object.spec.manager)"},
	{"README: severe risks have owners", "!has(object.spec.risks) || object.spec.risks.all(r, r.probability * r.impact < 15 || has(r.owner))"},
	{"README: category from a list", "object.spec.category.lowerAscii() in ['run', 'grow', 'transform']"},
	{"string functions in a comprehension", "object.spec.risks.all(r, !has(r.description) || r.description.lowerAscii().contains('mitigat') || r.description.matches('^[A-Z]'))"},
	{"nested comprehension", "object.spec.risks.all(a, object.spec.risks.exists_one(b, a.name == b.name))"},
	{"nested comprehension over strings", "object.spec.risks.all(a, object.spec.risks.all(b, a == b || a.description != b.description))"},
	{"fourfold nested comprehension", "object.spec.risks.all(a, object.spec.risks.all(b, object.spec.risks.all(c, object.spec.benefits.all(d, a.name != d.name))))"},
}

// asRootRule is a gate rule as a validation rule at the root of a CRD:
// `object` is the root's `self`.
func asRootRule(expression string) string { return strings.ReplaceAll(expression, "object.", "self.") }

// apiServerLibraryEstimate is what the API server's CRD validation code
// estimates for the rule at the root of the Project CRD's schema, with
// every amount given the maxLength that its validation rule implies
// (MaxAmountLength), which the schema cannot state: controller-gen puts
// no maxLength on a quantity.
func apiServerLibraryEstimate(t *testing.T, expression string) uint64 {
	t.Helper()
	s, err := ObjectSchema(projectsCRD)
	if err != nil {
		t.Fatal(err)
	}
	if bounded := BoundAmounts(s); bounded != 3 {
		t.Fatalf("%d amounts in the Project schema carry AmountRule; the budget, actual cost and forecast cost do", bounded)
	}
	s.XValidations = apiextensionsv1.ValidationRules{{Rule: asRootRule(expression)}}
	results, err := crdcel.Compile(s, model.SchemaDeclType(s, true), celconfig.PerCallLimit,
		environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion()), crdcel.NewExpressionsEnvLoader())
	if err != nil || len(results) != 1 || results[0].Error != nil {
		t.Fatalf("%s: the API server's compiler: %v %v", expression, err, results)
	}
	return results[0].MaxCost
}

// The longest amount AmountRule admits fits MaxAmountLength.
func TestMaxAmountLengthBoundsEveryAdmissibleAmount(t *testing.T) {
	longest := []string{"999999999999999.99", "999999999999999", "999.99T", "0.01k", "999999999999999.9M"}
	for _, a := range longest {
		if len(a) > MaxAmountLength {
			t.Errorf("%q is %d characters, over %d", a, len(a), MaxAmountLength)
		}
	}
	if !strings.Contains(AmountRule, "self < 1000000000000000") || !strings.Contains(AmountRule, "'^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$'") || !strings.Contains(AmountRule, "compareTo(quantity('1000T')) < 0") {
		t.Errorf("AmountRule changed (%s): check MaxAmountLength against it", AmountRule)
	}
}

// Our estimate of each rule is the API server's, unit for unit, given the
// bound on amounts their validation rule implies.
func TestRuleCostsAreTheAPIServers(t *testing.T) {
	rules, err := NewRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range costCases {
		ours, err := rules.Estimate(c.expression, []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		theirs := apiServerLibraryEstimate(t, c.expression)
		t.Logf("%-40s ours %s, the API server's %d", c.name, costString(ours), theirs)
		if ours != theirs {
			t.Errorf("%s: estimated %d; the API server estimates %d", c.name, ours, theirs)
		}
	}
}

// The rule of the issue, refused before as unbounded, is accepted with its
// estimate; a rule the API server refuses at CostLimit is refused too.
func TestCheckGateAcceptsWhatTheAPIServerAccepts(t *testing.T) {
	rules, _ := NewRules()
	gate := func(expression string) v1alpha1.Gate {
		return v1alpha1.Gate{Name: "g", AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject}, RequiredFrom: "Delivering",
			Rule: &v1alpha1.GateRule{Expression: expression, Message: "m"}}
	}
	for _, c := range costCases {
		cost, err := rules.CheckGate(gate(c.expression))
		if accepted, want := err == nil, apiServerLibraryEstimate(t, c.expression) <= CostLimit; accepted != want {
			t.Errorf("%s: cost %d, %v; the API server accepts it at the limit %d: %v", c.name, cost, err, CostLimit, want)
		}
	}
	if _, err := rules.CheckGate(gate(costCases[0].expression)); err != nil {
		t.Errorf("the rule of the issue is refused: %v", err)
	}
	if _, err := rules.CheckGate(gate("object.spec.nope.size() > 0")); err == nil || !strings.Contains(err.Error(), "does not compile against the Project schema") {
		t.Errorf("a field the schema lacks: %v; want refused, as the API server refuses it", err)
	}
}

// A real kube-apiserver, asked to create (dry run) a CRD with the Project
// schema and the rule at its root, refuses exactly the rules whose
// estimate exceeds its per-rule limit.
func TestRuleCostsAgreeWithAKubeAPIServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	cp := controlplane.StartForTest(t)
	c, err := client.New(cp.Config, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := NewRules()
	refusedSome := false
	for _, tc := range costCases {
		ours, err := rules.Estimate(tc.expression, []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		refused, err := refusedForCost(t, c, asRootRule(tc.expression))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		refusedSome = refusedSome || refused
		t.Logf("%-40s ours %d, the API server refuses it: %v", tc.name, ours, refused)
		if want := ours > crdvalidation.StaticEstimatedCostLimit; refused != want {
			t.Errorf("%s: estimated %d, limit %d; the API server refuses it: %v", tc.name, ours, crdvalidation.StaticEstimatedCostLimit, refused)
		}
	}
	if !refusedSome {
		t.Error("the API server refused no rule: the cases do not test refusal")
	}
}

// refusedForCost creates (dry run) a copy of the Project CRD whose root
// carries rule, and says whether the API server refused the rule for its
// cost; any other refusal is an error.
func refusedForCost(t *testing.T, c client.Client, rule string) (bool, error) {
	t.Helper()
	data, err := crd.Bases.ReadFile(projectsCRD)
	if err != nil {
		return false, err
	}
	def := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(data, def); err != nil {
		return false, err
	}
	def.ObjectMeta = metav1.ObjectMeta{Name: "projects.costcheck.p3o.dev"}
	def.Spec.Group = "costcheck.p3o.dev"
	root := def.Spec.Versions[0].Schema.OpenAPIV3Schema
	root.XValidations = apiextensionsv1.ValidationRules{{Rule: rule, Message: "m"}}
	err = c.Create(context.Background(), def, client.DryRunAll)
	if err == nil {
		return false, nil
	}
	var status apierrors.APIStatus
	if !apierrors.IsInvalid(err) || !errors.As(err, &status) || status.Status().Details == nil {
		return false, err
	}
	// Refused for its cost: every cause is a cost refusal (the rule's own
	// and the total it pushes over the CRD's limit), one of them the rule's.
	ruleRefused := false
	for _, cause := range status.Status().Details.Causes {
		if cause.Type != metav1.CauseTypeForbidden {
			return false, err
		}
		ruleRefused = ruleRefused || cause.Field == "spec.validation.openAPIV3Schema.x-kubernetes-validations[0].rule"
	}
	if !ruleRefused {
		return false, err
	}
	return true, nil
}
