/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package webhooks

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/policy"
)

// heaviestPolicy is the OGC Gateway profile, enforced, with as many rules
// over every risk of a project as fit in one object's budget: the policy
// make bench times admission with.
func heaviestPolicy(tb testing.TB) v1alpha1.GovernancePolicy {
	tb.Helper()
	p := v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: v1alpha1.EnforcementEnforce}
	var total uint64
	for i := 0; ; i++ {
		expression := fmt.Sprintf("object.spec.risks.all(r, r.name.startsWith('R-') && r.probability * r.impact <= %d && (!has(r.owner) || r.owner.size() > 0))", 25+i)
		cost, err := rules.Estimate(expression, []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject})
		if err != nil {
			tb.Fatal(err)
		}
		if total+cost > policy.CostBudget {
			return p
		}
		total += cost
		p.Gates = append(p.Gates, v1alpha1.Gate{Name: fmt.Sprintf("rule-%d", i), AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject},
			RequiredFrom: "Initiating", Rule: &v1alpha1.GateRule{Expression: expression, Message: "the risk register is consistent"}})
	}
}

// withMostRisks gives a project the most risks it may hold, under the
// longest names.
func withMostRisks(p *v1alpha1.Project) {
	p.Spec.Plan.Budget = resource.NewQuantity(100_000, resource.DecimalSI)
	p.Spec.Risks = make([]v1alpha1.Risk, 128)
	for i := range p.Spec.Risks {
		p.Spec.Risks[i] = v1alpha1.Risk{Name: fmt.Sprintf("R-%03d-%s", i, strings.Repeat("x", 57)), Probability: int32(1 + i%5), Impact: int32(1 + i%4), Owner: "Someone"}
	}
}

// BenchmarkJudgedPhaseChange is one admission of a project with the most
// risks moving into Delivering under the heaviest policy, its gates met:
// the request make bench's editors send every other time, handled in
// process over the fake client.
func BenchmarkJudgedPhaseChange(b *testing.B) {
	o := office("enforcer", v1alpha1.EnforcementEnforce)
	o.Spec.Governance = heaviestPolicy(b)
	old := project("edited", v1alpha1.ProjectInitiating, withMostRisks, heldTo("enforcer"))
	moved := project("edited", v1alpha1.ProjectDelivering, withMostRisks, heldTo("enforcer"))
	h := newHandlers(b, o, portfolio("pf", "enforcer"), old,
		review("edited", v1alpha1.SubjectKindProject, 1), review("edited", v1alpha1.SubjectKindProject, 2), review("edited", v1alpha1.SubjectKindProject, 3))
	body := reviewBody(b, h, old, moved)
	for _, c := range []struct {
		name   string
		server http.Handler
	}{
		{"one pass", reviewServer{&admission.Webhook{Handler: h.project}}},
		// controller-runtime's own handler, as before: each document read
		// once more for its kind, the stored object decoded whole.
		{"controller-runtime decoding", admission.WithValidator[*v1alpha1.Project](h.scheme, &projectValidator{h.gates})},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if resp := serve(b, c.server, body); !resp.Allowed {
					b.Fatalf("denied: %+v", resp.Result)
				}
			}
		})
	}
}
