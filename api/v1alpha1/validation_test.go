/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// These tests send manifests, as a user writes them, to a real API server
// with the generated CRDs, and assert that every schema and CEL rule rejects
// its bad input with a message that names the field.

var (
	k8sClient  client.Client
	restConfig *rest.Config
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	cp, err := controlplane.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = cp.Stop() }()
	restConfig = cp.Config
	k8sClient, err = client.New(cp.Config, client.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "cel-"}}
	if err := k8sClient.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = k8sClient.Delete(context.Background(), ns) })
	return ns.Name
}

func parse(t *testing.T, ns, manifest string) *unstructured.Unstructured {
	t.Helper()
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(manifest), &u.Object); err != nil {
		t.Fatalf("parsing manifest: %v\n%s", err, manifest)
	}
	u.SetNamespace(ns)
	return u
}

// expectRejected asserts that err is an admission error containing want.
func expectRejected(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want an error containing %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q\ndoes not contain %q", err, want)
	}
}

const (
	project = `
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: portal}
spec:
  programmeRef: {name: digital}
  plan: {budget: 1.2M, start: "2026-01-01", end: "2026-12-31"}
`
	office = `
apiVersion: governance.p3o.dev/v1alpha1
kind: Office
metadata: {name: central}
spec:
  type: PortfolioOffice
`
	programme = `
apiVersion: governance.p3o.dev/v1alpha1
kind: Programme
metadata: {name: digital}
spec:
  portfolioRef: {name: transformation}
`
	portfolio = `
apiVersion: governance.p3o.dev/v1alpha1
kind: Portfolio
metadata: {name: transformation}
spec:
  officeRef: {name: central}
`
	review = `
apiVersion: governance.p3o.dev/v1alpha1
kind: GatewayReview
metadata: {name: portal-gate-3}
spec:
  subjectRef: {kind: Project, name: portal}
  gate: 3
  date: "2026-06-01"
`
)

// patchYAML merges a YAML fragment into a manifest (JSON merge patch rules).
func patchYAML(t *testing.T, base, fragment string) string {
	t.Helper()
	var b, f map[string]any
	if err := yaml.Unmarshal([]byte(base), &b); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(fragment), &f); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(merge(b, f))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func merge(base, patch map[string]any) map[string]any {
	for k, v := range patch {
		if v == nil {
			delete(base, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			if bm, ok := base[k].(map[string]any); ok {
				base[k] = merge(bm, pm)
				continue
			}
		}
		base[k] = v
	}
	return base
}

func TestValidManifestsAreAccepted(t *testing.T) {
	ns := newNamespace(t)
	for _, m := range []string{project, office, programme, portfolio, review,
		patchYAML(t, project, `{metadata: {name: with-int-budget}, spec: {plan: {budget: 250000}, progress: {asOf: "2026-11-01", actualCost: 0, forecastCost: "1.1M", percentComplete: 100}}}`),
		patchYAML(t, project, `{metadata: {name: with-money}, spec: {plan: {budget: "2.5M"}, progress: {asOf: "2026-11-01", actualCost: "750k", forecastCost: "999999999.99"}, benefits: [{name: b, planned: "12.5k", realised: 0}]}}`),
		patchYAML(t, project, `{metadata: {name: closed}, spec: {phase: Closed, closedOn: "2026-06-30"}}`),
		patchYAML(t, project, `{metadata: {name: from-1900}, spec: {plan: {start: "1900-01-01"}}}`),
		patchYAML(t, project, `{metadata: {name: with-dependencies}, spec: {dependsOn: [{kind: Project, name: a, neededBy: "2027-01-01"}, {kind: Programme, name: a, neededBy: "2027-01-01"}, {kind: Project, name: a, namespace: other, neededBy: "2027-01-01"}]}}`),
		patchYAML(t, programme, `{metadata: {name: with-dependencies}, spec: {dependsOn: [{kind: Project, name: a, neededBy: "2027-01-01"}, {kind: Project, name: b, neededBy: "2027-01-01"}]}}`),
		// Registers written before PRINCE2 7: no kind (a threat) and the old
		// name Fallback (an alias of Prepare).
		patchYAML(t, project, `{metadata: {name: old-register}, spec: {risks: [{name: r1, probability: 2, impact: 3, response: Fallback}, {name: r2, probability: 1, impact: 1, response: Share}]}}`),
		patchYAML(t, project, `{metadata: {name: opportunities}, spec: {risks: [{name: o1, kind: Opportunity, proximity: "2027-03-31", probability: 3, impact: 4, response: Exploit}, {name: t1, kind: Threat, probability: 2, impact: 2, response: Prepare}]}}`),
		patchYAML(t, project, `{metadata: {name: zero-tolerance}, spec: {tolerances: {costPercent: 0, time: "0d", riskExposure: 0, riskSeverity: 12, scope: {state: Beyond, reason: "card payments move to phase 2"}, quality: {state: Within}}}}`),
		patchYAML(t, office, `{metadata: {name: tailored}, spec: {governance: {underrunHealth: Amber, confidenceScale: ThreePoint, gates: [{name: g0, appliesTo: [Programme], requiredFrom: Defining, review: {gate: 0, decisionPoints: TrancheEnds}}]}}}`),
		patchYAML(t, office, `{metadata: {name: satellite}, spec: {type: Satellite, hubRef: {name: central}}}`),
		patchYAML(t, review, `{metadata: {name: three-point}, spec: {findings: {deliveryConfidence: Amber, scale: ThreePoint}}}`),
		patchYAML(t, review, `{metadata: {name: five-point}, spec: {findings: {deliveryConfidence: AmberGreen, scale: FivePoint}}}`),
		patchYAML(t, office, `{metadata: {name: support}, spec: {type: ProjectSupport, supportedObjectRef: {kind: Project, name: portal}}}`),
	} {
		if err := k8sClient.Create(context.Background(), parse(t, ns, m)); err != nil {
			t.Errorf("rejected a valid manifest: %v\n%s", err, m)
		}
	}
}

func TestCreateValidation(t *testing.T) {
	cases := []struct {
		name     string
		manifest string
		want     string
	}{
		// Project
		{"project with both parents", patchYAML(t, project, `{spec: {portfolioRef: {name: transformation}}}`),
			"exactly one of programmeRef or portfolioRef must be set"},
		{"project with no parent", patchYAML(t, project, `{spec: {programmeRef: null}}`),
			"exactly one of programmeRef or portfolioRef must be set"},
		{"plan ends before it starts", patchYAML(t, project, `{spec: {plan: {start: "2026-12-31", end: "2026-01-01"}}}`),
			"spec.plan: Invalid value: end must not be before start"},
		{"negative budget as a string", patchYAML(t, project, `{spec: {plan: {budget: "-1M"}}}`),
			"spec.plan.budget: Invalid value: \"-1M\": must not be negative"},
		{"negative budget as a number", patchYAML(t, project, `{spec: {plan: {budget: -5}}}`),
			"spec.plan.budget: Invalid value: -5: must not be negative"},
		{"negative forecast cost", patchYAML(t, project, `{spec: {progress: {asOf: "2026-11-01", forecastCost: "-1"}}}`),
			"spec.progress.forecastCost: Invalid value: \"-1\": must not be negative"},
		{"negative actual cost", patchYAML(t, project, `{spec: {progress: {asOf: "2026-11-01", actualCost: "-1"}}}`),
			"spec.progress.actualCost: Invalid value: \"-1\": must not be negative"},
		{"percent complete above 100", patchYAML(t, project, `{spec: {progress: {asOf: "2026-11-01", percentComplete: 101}}}`),
			"spec.progress.percentComplete: Invalid value: 101: spec.progress.percentComplete in body should be less than or equal to 100"},
		{"stage beyond total", patchYAML(t, project, `{spec: {stage: {current: 4, total: 3}}}`),
			"spec.stage: Invalid value: current must not exceed total"},
		{"unknown phase", patchYAML(t, project, `{spec: {phase: Finished}}`),
			"spec.phase: Unsupported value: \"Finished\""},
		{"date not a date", patchYAML(t, project, `{spec: {plan: {start: "next monday"}}}`),
			"spec.plan.start in body must be of type date"},
		{"plan starting in year 0", patchYAML(t, project, `{spec: {plan: {start: "0000-01-01"}}}`),
			"spec.plan.start: Invalid value: \"0000-01-01\": must be a date from 1900-01-01 on"},
		{"progress reported in 1899", patchYAML(t, project, `{spec: {progress: {asOf: "1899-12-31"}}}`),
			"spec.progress.asOf: Invalid value: \"1899-12-31\": must be a date from 1900-01-01 on"},
		{"benefit due in year 1", patchYAML(t, project, `{spec: {benefits: [{name: b1, due: "0001-06-30"}]}}`),
			"spec.benefits[0].due: Invalid value: \"0001-06-30\": must be a date from 1900-01-01 on"},
		{"review dated in year 0", patchYAML(t, review, `{spec: {date: "0000-01-01"}}`),
			"spec.date: Invalid value: \"0000-01-01\": must be a date from 1900-01-01 on"},
		{"risk probability out of range", patchYAML(t, project, `{spec: {risks: [{name: r1, probability: 6, impact: 1}]}}`),
			"spec.risks[0].probability in body should be less than or equal to 5"},
		{"negative planned benefit", patchYAML(t, project, `{spec: {benefits: [{name: b1, planned: "-10k"}]}}`),
			"spec.benefits[0].planned: Invalid value: \"-10k\": must not be negative"},
		{"negative realised benefit", patchYAML(t, project, `{spec: {benefits: [{name: b1, realised: -1}]}}`),
			"spec.benefits[0].realised: Invalid value: -1: must not be negative"},
		{"cost tolerance above 100", patchYAML(t, project, `{spec: {tolerances: {costPercent: 150}}}`),
			"spec.tolerances.costPercent in body should be less than or equal to 100"},
		{"time tolerance without a unit", patchYAML(t, project, `{spec: {tolerances: {time: "30"}}}`),
			"spec.tolerances.time in body should match"},
		{"time tolerance of zero with two zeros", patchYAML(t, project, `{spec: {tolerances: {time: "00d"}}}`),
			"spec.tolerances.time in body should match"},
		{"an opportunity's response on a threat", patchYAML(t, project, `{spec: {risks: [{name: r1, probability: 2, impact: 3, response: Exploit}]}}`),
			"spec.risks[0].response: Invalid value: response must be Exploit, Enhance, Share or Reject for an Opportunity, and Avoid, Reduce, Prepare (formerly Fallback), Transfer, Share or Accept for a Threat"},
		{"a threat's response on an opportunity", patchYAML(t, project, `{spec: {risks: [{name: o1, kind: Opportunity, probability: 2, impact: 3, response: Fallback}]}}`),
			"spec.risks[0].response: Invalid value: response must be Exploit, Enhance, Share or Reject for an Opportunity"},
		{"unknown risk kind", patchYAML(t, project, `{spec: {risks: [{name: r1, kind: Issue, probability: 2, impact: 3}]}}`),
			"spec.risks[0].kind: Unsupported value: \"Issue\""},
		{"scope beyond tolerance without a reason", patchYAML(t, project, `{spec: {tolerances: {scope: {state: Beyond}}}}`),
			"spec.tolerances.scope.reason: Invalid value: reason is required when state is Beyond"},
		{"risk severity tolerance above 25", patchYAML(t, project, `{spec: {tolerances: {riskSeverity: 26}}}`),
			"spec.tolerances.riskSeverity in body should be less than or equal to 25"},
		{"unknown confidence scale", patchYAML(t, office, `{spec: {governance: {confidenceScale: SevenPoint}}}`),
			"spec.governance.confidenceScale: Unsupported value: \"SevenPoint\""},
		{"selector missing", patchYAML(t, project, `{spec: {allowedChildren: {namespaces: {from: Selector}}}}`),
			"selector is required when from is Selector and not allowed otherwise"},
		{"selector with Same", patchYAML(t, project, `{spec: {allowedChildren: {namespaces: {from: Same, selector: {matchLabels: {a: b}}}}}}`),
			"selector is required when from is Selector and not allowed otherwise"},

		// Office
		{"satellite without hub", patchYAML(t, office, `{spec: {type: Satellite}}`),
			"hubRef is required when type is Satellite and not allowed for other types"},
		{"hub on a portfolio office", patchYAML(t, office, `{spec: {hubRef: {name: other}}}`),
			"hubRef is required when type is Satellite and not allowed for other types"},
		{"temporary without supported object", patchYAML(t, office, `{spec: {type: Temporary}}`),
			"supportedObjectRef is required when type is Temporary or ProjectSupport and not allowed for other types"},
		{"supported object on a virtual office", patchYAML(t, office, `{spec: {type: Virtual, supportedObjectRef: {kind: Project, name: x}}}`),
			"supportedObjectRef is required when type is Temporary or ProjectSupport and not allowed for other types"},
		{"project support for a programme", patchYAML(t, office, `{spec: {type: ProjectSupport, supportedObjectRef: {kind: Programme, name: x}}}`),
			"a ProjectSupport office supports exactly one Project: supportedObjectRef.kind must be Project"},
		{"virtual office with a location", patchYAML(t, office, `{spec: {type: Virtual, location: Utrecht}}`),
			"a Virtual office has no location"},
		{"unknown office type", patchYAML(t, office, `{spec: {type: Tijdelijk}}`),
			"spec.type: Unsupported value: \"Tijdelijk\""},
		{"gate with neither review nor rule", patchYAML(t, office, `{spec: {governance: {gates: [{name: sign-off, appliesTo: [Project], requiredFrom: Delivering}]}}}`),
			"a gate needs a review, a rule, or both"},
		{"gate review number above 5", patchYAML(t, office, `{spec: {governance: {gates: [{name: g, appliesTo: [Project], requiredFrom: Delivering, review: {gate: 6}}]}}}`),
			"spec.governance.gates[0].review.gate in body should be less than or equal to 5"},
		{"currency not ISO 4217", patchYAML(t, office, `{spec: {currency: euro}}`),
			"spec.currency in body should match '^[A-Z]{3}$'"},

		// Money is unambiguous: a finance person's amounts only.
		{"1m is a thousandth, not a million", patchYAML(t, project, `{spec: {plan: {budget: "1m"}}}`),
			"spec.plan.budget: Invalid value: \"1m\": must be an amount such as 1500000, 2.5M or 750k: digits, at most two decimals, an optional k, M, G or T, and below 1000T (1m would mean a thousandth: write 1M for a million"},
		{"binary suffix", patchYAML(t, project, `{spec: {plan: {budget: "1Mi"}}}`), "spec.plan.budget: Invalid value: \"1Mi\": must be an amount such as 1500000"},
		{"huge exponent", patchYAML(t, project, `{spec: {plan: {budget: "1e400"}}}`), "spec.plan.budget: Invalid value: \"1e400\": must be an amount such as 1500000"},
		{"tiny exponent", patchYAML(t, project, `{spec: {progress: {asOf: "2026-11-01", forecastCost: "1e-400"}}}`), "spec.progress.forecastCost: Invalid value: \"1e-400\": must be an amount such as 1500000"},
		{"three decimals", patchYAML(t, project, `{spec: {progress: {asOf: "2026-11-01", actualCost: "10.001"}}}`), "spec.progress.actualCost: Invalid value: \"10.001\": must be an amount such as 1500000"},
		{"beyond the bound", patchYAML(t, portfolio, `{spec: {capacity: "1000T"}}`), "spec.capacity: Invalid value: \"1000T\": must be an amount such as 1500000"},
		{"a suffix with three decimals", patchYAML(t, project, `{spec: {plan: {budget: "1.234M"}}}`), "spec.plan.budget: Invalid value: \"1.234M\": must be an amount"},
		{"an exponent as a string", patchYAML(t, project, `{spec: {plan: {budget: "1.5e6"}}}`), "spec.plan.budget: Invalid value: \"1.5e6\": must be an amount"},
		// An unquoted decimal never reaches a rule: the type check refuses it.
		{"an unquoted decimal", patchYAML(t, project, `{spec: {plan: {budget: 2.5}}}`), "spec.plan.budget in body must be of type integer,string"},
		{"beyond the bound as a number", patchYAML(t, programme, `{spec: {budget: 1000000000000000}}`), "spec.budget: Invalid value: 1000000000000000: must be an amount such as 1500000"},

		// Closing
		{"closed without a closing date", patchYAML(t, project, `{spec: {phase: Closed}}`),
			"spec.closedOn: Invalid value: closedOn is required once phase is Closed: the date the project closed"},
		{"closed programme without a closing date", patchYAML(t, programme, `{spec: {phase: Closed}}`),
			"spec.closedOn: Invalid value: closedOn is required once phase is Closed: the date the programme closed"},

		// Portfolio and Programme
		{"category target of an undeclared category", patchYAML(t, portfolio, `{spec: {categories: [Run], categoryTargets: [{category: Grow, sharePercent: 40}]}}`),
			"spec.categoryTargets: Invalid value: each categoryTargets[].category must be one of spec.categories"},
		{"category targets above 100 percent", patchYAML(t, portfolio, `{spec: {categories: [Run, Grow], categoryTargets: [{category: Run, sharePercent: 60}, {category: Grow, sharePercent: 50}]}}`),
			"the target shares add up to more than 100 percent"},
		{"contribution strength not an enum", patchYAML(t, project, `{spec: {contributions: [{objective: growth, strength: Huge}]}}`),
			"spec.contributions[0].strength: Unsupported value: \"Huge\""},
		{"objective weight above 100", patchYAML(t, portfolio, `{spec: {objectives: [{name: growth, weight: 101}]}}`),
			"spec.objectives[0].weight in body should be less than or equal to 100"},
		{"negative capacity", patchYAML(t, portfolio, `{spec: {capacity: "-2M"}}`),
			"spec.capacity: Invalid value: \"-2M\": must not be negative"},
		{"tranche ends before it starts", patchYAML(t, programme, `{spec: {tranches: [{name: t1, start: "2027-01-01", end: "2026-01-01"}]}}`),
			"spec.tranches[0]: Invalid value: end must not be before start"},
		{"negative tranche budget", patchYAML(t, programme, `{spec: {tranches: [{name: t1, budget: "-1"}]}}`),
			"spec.tranches[0].budget: Invalid value: \"-1\": must not be negative"},
		{"negative programme budget", patchYAML(t, programme, `{spec: {budget: "-1"}}`),
			"spec.budget: Invalid value: \"-1\": must not be negative"},

		// Dependencies: each provider once, as written.
		{"project naming a provider twice", patchYAML(t, project, `{spec: {dependsOn: [{kind: Project, name: a, neededBy: "2027-01-01"}, {kind: Programme, name: a, neededBy: "2027-01-01"}, {kind: Project, name: a, neededBy: "2027-06-30"}]}}`),
			"spec.dependsOn: Invalid value: must name each provider (kind, namespace and name) once"},
		{"programme naming a provider in another namespace twice", patchYAML(t, programme, `{spec: {dependsOn: [{kind: Project, name: a, namespace: other, neededBy: "2027-01-01"}, {kind: Project, name: a, namespace: other, neededBy: "2027-01-01"}]}}`),
			"spec.dependsOn: Invalid value: must name each provider (kind, namespace and name) once"},

		// GatewayReview
		{"gate above 5", patchYAML(t, review, `{spec: {gate: 6}}`),
			"spec.gate in body should be less than or equal to 5"},
		{"unknown delivery confidence", patchYAML(t, review, `{spec: {findings: {deliveryConfidence: Purple}}}`),
			"spec.findings.deliveryConfidence: Unsupported value: \"Purple\""},
		{"unknown recommendation priority", patchYAML(t, review, `{spec: {findings: {deliveryConfidence: Green, recommendations: [{priority: Nice, text: t}]}}}`),
			"spec.findings.recommendations[0].priority: Unsupported value: \"Nice\""},
		{"five-point rating on the three-point scale", patchYAML(t, review, `{spec: {findings: {deliveryConfidence: AmberRed, scale: ThreePoint}}}`),
			"spec.findings.deliveryConfidence: Invalid value: deliveryConfidence must be Green, Amber or Red on the ThreePoint scale"},
		{"unknown scale", patchYAML(t, review, `{spec: {findings: {deliveryConfidence: Green, scale: SevenPoint}}}`),
			"spec.findings.scale: Unsupported value: \"SevenPoint\""},
	}
	ns := newNamespace(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectRejected(t, k8sClient.Create(context.Background(), parse(t, ns, tc.manifest)), tc.want)
		})
	}
}

// A review's findings are immutable once recorded; a review recorded before
// it is held may get its findings once.
func TestGatewayReviewFindingsAreImmutable(t *testing.T) {
	ns := newNamespace(t)
	ctx := context.Background()
	planned := parse(t, ns, review)
	if err := k8sClient.Create(ctx, planned); err != nil {
		t.Fatal(err)
	}

	updateWith := func(fragment string) error {
		current := &unstructured.Unstructured{}
		current.SetGroupVersionKind(planned.GroupVersionKind())
		if err := k8sClient.Get(ctx, client.ObjectKeyFromObject(planned), current); err != nil {
			t.Fatal(err)
		}
		var f map[string]any
		if err := yaml.Unmarshal([]byte(fragment), &f); err != nil {
			t.Fatal(err)
		}
		current.Object = merge(current.Object, f)
		return k8sClient.Update(ctx, current)
	}

	if err := updateWith(`{spec: {date: "2026-06-08"}}`); err != nil {
		t.Fatalf("moving the date of a planned review: %v", err)
	}
	if err := updateWith(`{spec: {findings: {deliveryConfidence: Amber, recommendations: [{priority: Critical, text: "Fund the test team"}]}}}`); err != nil {
		t.Fatalf("recording findings: %v", err)
	}
	expectRejected(t, updateWith(`{spec: {findings: {deliveryConfidence: Green}}}`),
		"findings are immutable once recorded; record a new GatewayReview instead")
	expectRejected(t, updateWith(`{spec: {findings: null}}`),
		"findings are immutable once recorded; record a new GatewayReview instead")
	expectRejected(t, updateWith(`{spec: {date: "2026-07-01"}}`),
		"date is immutable once findings are recorded")
	expectRejected(t, updateWith(`{spec: {gate: 4}}`), "gate is immutable")
	expectRejected(t, updateWith(`{spec: {subjectRef: {name: other}}}`), "subjectRef is immutable")
}
