/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/shorten"
)

// statusSchemas are the status schemas of the generated CRDs, by kind.
func statusSchemas(t *testing.T) map[string]apiextensionsv1.JSONSchemaProps {
	t.Helper()
	files, err := filepath.Glob("../../config/crd/bases/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs found: %v", err)
	}
	out := map[string]apiextensionsv1.JSONSchemaProps{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(data, crd); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out[crd.Spec.Names.Kind] = crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["status"]
	}
	return out
}

// boundedText lists the free-text strings (maxLength, no enum, pattern or
// format) of a schema by path.
func boundedText(s apiextensionsv1.JSONSchemaProps, path string, out map[string]int64) {
	if s.Type == "string" && s.MaxLength != nil && len(s.Enum) == 0 && s.Pattern == "" && s.Format == "" {
		out[path] = *s.MaxLength
	}
	for name, p := range s.Properties {
		boundedText(p, path+"."+name, out)
	}
	if s.Items != nil && s.Items.Schema != nil {
		boundedText(*s.Items.Schema, path+"[]", out)
	}
}

// Names of objects and namespaces, as Kubernetes bounds them.
const (
	objectName = 253
	namespace  = 63
)

// fittedBy are the bounded status texts the operator derives, with the
// constant it shortens each to (internal/shorten).
var fittedBy = map[string]int64{
	"status.conditions[].message":             v1alpha1.ConditionMessageMaxLength,
	"status.compliance.gates[].description":   v1alpha1.GateDescriptionMaxLength,
	"status.compliance.gates[].message":       v1alpha1.GateMessageMaxLength,
	"status.toleranceExceptions[].message":    v1alpha1.ToleranceExceptionMessageMaxLength,
	"status.display.budget":                   v1alpha1.MoneyDisplayMaxLength,
	"status.display.forecast":                 v1alpha1.MoneyDisplayMaxLength,
	"status.display.capacity":                 v1alpha1.MoneyDisplayMaxLength,
	"status.display.committed":                v1alpha1.MoneyDisplayMaxLength,
	"status.rollup.money.display.budget":      v1alpha1.MoneyDisplayMaxLength,
	"status.rollup.money.display.forecast":    v1alpha1.MoneyDisplayMaxLength,
	"status.rollup.money.display.capacity":    v1alpha1.MoneyDisplayMaxLength,
	"status.rollup.money.display.committed":   v1alpha1.MoneyDisplayMaxLength,
	"status.rollup.money.leftOut[].objects[]": v1alpha1.LeftOutObjectMaxLength,
	// amountText shortens each (a portfolio's year shows capacity and
	// committed; the other two are never set).
	"status.committedByYear[].display.budget":    v1alpha1.MoneyDisplayMaxLength,
	"status.committedByYear[].display.forecast":  v1alpha1.MoneyDisplayMaxLength,
	"status.committedByYear[].display.capacity":  v1alpha1.MoneyDisplayMaxLength,
	"status.committedByYear[].display.committed": v1alpha1.MoneyDisplayMaxLength,
	// benefits.Tally shortens each.
	"status.rollup.benefits.measured[].holder":   v1alpha1.MeasuredHolderMaxLength,
	"status.rollup.benefits.measured[].baseline": v1alpha1.MeasuredLevelMaxLength,
	"status.rollup.benefits.measured[].target":   v1alpha1.MeasuredLevelMaxLength,
	"status.rollup.benefits.measured[].forecast": v1alpha1.MeasuredLevelMaxLength,
	"status.rollup.benefits.measured[].realised": v1alpha1.MeasuredLevelMaxLength,
}

// copied are the bounded status texts copied whole from a value bounded
// elsewhere, with the longest that value can be.
var copied = map[string]int64{
	"status.hub.name": objectName, "status.hub.namespace": namespace,
	"status.office.name": objectName, "status.office.namespace": namespace,
	"status.supersededBy.name": objectName, "status.supersededBy.namespace": namespace,
	"status.heldTo[].name": objectName, "status.heldTo[].namespace": namespace,
	"status.dependencies[].provider.name": objectName, "status.dependencies[].provider.namespace": namespace,
	"status.rollup.causes[].name": objectName, "status.rollup.causes[].namespace": namespace,
	"status.compliance.gates[].review.name": objectName, "status.compliance.gates[].review.namespace": namespace,
	// A gate's name (Gate.name's MaxLength).
	"status.compliance.gates[].name": 63, "status.compliance.nextGate": 63,
	// A phase's name (the longest Phase).
	"status.rollup.byPhase[].phase":  int64(len(v1alpha1.ProgrammeIdentifying)),
	"status.strategy.ranking[].name": objectName, "status.strategy.ranking[].namespace": namespace,
	// A category's or objective's name (spec.categories[], spec.objectives[].name).
	"status.strategy.byCategory[].name": 63, "status.strategy.byObjective[].name": 63,
	"status.strategy.objectivesWithoutWork[]": 63,
	// A SHA-256 in hex.
	"status.policyDigest": 64,
	// A benefit's name and measure label (Benefit.name, measure.label).
	"status.rollup.benefits.measured[].name": 128, "status.rollup.benefits.measured[].label": 128,
}

// TestEveryBoundedStatusTextFits walks the generated CRDs' status schemas:
// every bounded free-text field is either shortened by the operator to the
// very bound the schema states, or copied from a value that cannot exceed
// it. A new bounded field fails here until it is one or the other.
func TestEveryBoundedStatusTextFits(t *testing.T) {
	for kind, schema := range statusSchemas(t) {
		fields := map[string]int64{}
		boundedText(schema, "status", fields)
		for path, max := range fields {
			if bound, ok := fittedBy[path]; ok {
				if bound != max {
					t.Errorf("%s %s: maxLength %d, but the operator shortens it to %d", kind, path, max, bound)
				}
				continue
			}
			longest, ok := copied[path]
			switch {
			case !ok:
				t.Errorf("%s %s (maxLength %d): the operator neither shortens it nor copies it from a bounded value", kind, path, max)
			case longest > max:
				t.Errorf("%s %s: maxLength %d, but the value it copies may have %d characters", kind, path, max, longest)
			}
		}
	}
}

// validateStatus checks a status against its kind's CRD schema, as the API
// server does for a status patch.
func validateStatus(t *testing.T, schema apiextensionsv1.JSONSchemaProps, status any) []string {
	t.Helper()
	internal := &apiextensions.JSONSchemaProps{}
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(&schema, internal, nil); err != nil {
		t.Fatal(err)
	}
	validator, _, err := crdvalidation.NewSchemaValidator(internal)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(status)
	if err != nil {
		t.Fatal(err)
	}
	var value any
	if err := json.Unmarshal(data, &value); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range crdvalidation.ValidateCustomResource(nil, value, validator) {
		out = append(out, e.Error())
	}
	return out
}

// padded is s repeated and cut to exactly n characters.
func padded(s string, n int) string {
	return string([]rune(strings.Repeat(s, n))[:n])
}

// maxOffice is an office whose own gates fill spec.governance.gates, each
// with the longest name, description and rule message the schema admits,
// in characters of two and three bytes.
func maxOffice(name, suffix string) *v1alpha1.Office {
	o := ogcOffice(name, v1alpha1.EnforcementAudit)
	for i := range 32 {
		gate := v1alpha1.Gate{
			Name:         padded(fmt.Sprintf("g%02d-", i), 60) + suffix,
			Description:  padded("Überprüfung ", 256),
			AppliesTo:    []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject},
			RequiredFrom: v1alpha1.Phase(v1alpha1.ProjectStartingUp),
			Rule:         &v1alpha1.GateRule{Expression: "false", Message: padded("要求を満たしていない", 512)},
		}
		o.Spec.Governance.Gates = append(o.Spec.Governance.Gates, gate)
	}
	return o
}

// TestProjectStatusAtMaximaFitsItsSchema computes the status of a Project
// governed by two offices at their schema maxima (its own and its
// portfolio's, whose gates of the same name combine their rules) and
// validates it against the
// Project CRD's status schema: long texts show cut, marked, and the API
// server would accept the status.
func TestProjectStatusAtMaximaFitsItsSchema(t *testing.T) {
	own, portfolios := maxOffice("own", "abc"), maxOffice("portfolios", "abc")
	for i := range portfolios.Spec.Governance.Gates {
		portfolios.Spec.Governance.Gates[i].Rule.Message = padded("другое требование ", 512)
	}
	facts := governed(own)
	p := policy.Combine(policy.Effective([]*v1alpha1.Office{own}), policy.Effective([]*v1alpha1.Office{portfolios}))
	facts.Policy = &p
	project := delivering(padded("p", 253))
	big := resource.MustParse("999999999999999.99")
	project.Spec.Plan.Budget = &big
	SetProject(project, facts, rules(t), now)

	if errs := validateStatus(t, statusSchemas(t)["Project"], project.Status); len(errs) > 0 {
		t.Fatalf("the API server would refuse the status: %s", strings.Join(errs, "\n"))
	}
	gates := project.Status.Compliance.Gates
	if len(gates) < 32 {
		t.Fatalf("%d gates in status, want the office's 32 and more", len(gates))
	}
	g := gates[slices.IndexFunc(gates, func(g v1alpha1.GateStatus) bool { return strings.HasPrefix(g.Name, "g00-") })]
	if n := utf8.RuneCountInString(g.Description); n != v1alpha1.GateDescriptionMaxLength || !strings.HasSuffix(g.Description, shorten.Mark) ||
		!strings.HasPrefix(g.Description, g.Name+" (Überprüfung") {
		t.Errorf("description %q (%d characters): want the gate's label cut to %d, marked", g.Description, n, v1alpha1.GateDescriptionMaxLength)
	}
	if !strings.HasSuffix(g.Message, shorten.Mark) || !strings.Contains(g.Message, "; другое требование") {
		t.Errorf("message %q: want both rules' messages, cut and marked", g.Message)
	}
	c := expectCondition(t, project, v1alpha1.ConditionCompliant, "False", v1alpha1.ReasonGatesUnmet)
	if n := utf8.RuneCountInString(c.Message); n != v1alpha1.ConditionMessageMaxLength || !strings.HasSuffix(c.Message, shorten.Mark) {
		t.Errorf("Compliant message has %d characters: want %d, marked", n, v1alpha1.ConditionMessageMaxLength)
	}
}
