/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/status"
)

func projectSubject(name, namespace string) v1alpha1.SubjectReference {
	return v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: ref(name, namespace)}
}

func eventReasons(g Gomega, ns, name string) []string {
	events := &eventsv1.EventList{}
	g.Expect(k8sClient.List(context.Background(), events, client.InNamespace(ns))).To(Succeed())
	var reasons []string
	for _, e := range events.Items {
		if e.Regarding.Name == name {
			reasons = append(reasons, e.Reason)
		}
	}
	return reasons
}

// Under the OGCGateway profile a Delivering project needs Gates 1–3; reviews
// recorded by an assurance team in its own namespace satisfy them, a newer
// review supersedes an older one, and non-compliance lowers health and rolls
// up.
func TestGatewayReviewsDecideCompliance(t *testing.T) {
	o := newOrganisation(t)
	assurance := newNamespace(t, nil)
	update(t, o.office, func(off *v1alpha1.Office) { off.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway })
	project := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	project.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}
	create(t, project,
		newReview(assurance, "erp-gate-1", projectSubject("erp", o.ns), 1),
		newReview(assurance, "erp-gate-2", projectSubject("erp", o.ns), 2))

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		c := conditionOf(g, project, v1alpha1.ConditionCompliant)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Reason).To(Equal(string(v1alpha1.ReasonGatesUnmet)))
		g.Expect(c.Message).To(Equal("Gate 3 Investment decision: no review"))
	}).Should(Succeed())
	get(g, project)
	g.Expect(project.Status.Health).To(Equal(v1alpha1.HealthAmber))
	g.Expect(project.Status.HealthReasons).To(ContainElement("gate unmet: Gate 3 Investment decision: no review"))
	g.Expect(project.Status.Compliance.NextGate).To(Equal("gate-4"))
	g.Expect(project.Status.Compliance.Enforcement).To(Equal(v1alpha1.EnforcementAudit))
	g.Eventually(func(g Gomega) {
		get(g, o.portfolio)
		// The project is non-compliant; the programme, still Identifying, has
		// no gate due and is compliant.
		g.Expect(o.portfolio.Status.Rollup.Compliance).To(Equal(v1alpha1.ComplianceCounts{Compliant: 1, NonCompliant: 1}))
	}).Should(Succeed())

	gate3 := newReview(assurance, "erp-gate-3", projectSubject("erp", o.ns), 3)
	create(t, gate3)
	expectCondition(t, project, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)
	g.Eventually(func(g Gomega) {
		get(g, gate3)
		g.Expect(gate3.Status.Satisfies).To(Equal([]string{"gate-3"}))
		get(g, project)
		g.Expect(project.Status.Health).To(Equal(v1alpha1.HealthGreen))
		g.Expect(eventReasons(g, o.ns, "erp")).To(ContainElement(status.EventGateMet))
	}).Should(Succeed())

	// A newer, worse review supersedes the older one.
	worse := newReview(assurance, "erp-gate-3-again", projectSubject("erp", o.ns), 3)
	worse.Spec.Date = "2026-11-01"
	worse.Spec.Findings.DeliveryConfidence = v1alpha1.ConfidenceRed
	create(t, worse)
	msg := expectCondition(t, project, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet)
	g.Expect(msg).To(Equal("Gate 3 Investment decision: review of 2026-11-01 gave Red, worse than the minimum Amber"))
	// The gate turning unmet is an event; its first evaluation (unmet, no
	// review) was the status only.
	g.Eventually(func(g Gomega) {
		unmet := 0
		for _, r := range eventReasons(g, o.ns, "erp") {
			if r == status.EventGateUnmet {
				unmet++
			}
		}
		g.Expect(unmet).To(Equal(1))
	}).Should(Succeed())
	g.Eventually(func(g Gomega) {
		get(g, gate3)
		g.Expect(gate3.Status.SupersededBy.String()).To(Equal(assurance + "/erp-gate-3-again"))
		g.Expect(gate3.Status.Satisfies).To(BeEmpty())
	}).Should(Succeed())
}

// A programme's Gate 0 review expires after 52 weeks when the office sets
// that age: OGC sets Gate 0 none (it falls due at decision points), so the
// office replaces the profile's gate-0 with one of its own that has it.
func TestExpiredReviewIsUnmet(t *testing.T) {
	o := newOrganisation(t)
	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway
		gate0 := int32(0)
		off.Spec.Governance.Gates = []v1alpha1.Gate{{Name: "gate-0", Description: "Strategic assessment",
			AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProgramme}, RequiredFrom: "Defining",
			Review: &v1alpha1.ReviewRequirement{Gate: &gate0, MaxAge: "52w", DecisionPoints: v1alpha1.DecisionPointsTrancheEnds}}}
	})
	old := newReview(o.ns, "cloud-gate-0", v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProgramme, ParentReference: ref("cloud")}, 0)
	old.Spec.Date = "2024-06-01"
	create(t, old)
	expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)

	update(t, o.programme, func(p *v1alpha1.Programme) { p.Spec.Phase = v1alpha1.ProgrammeDelivering })

	msg := expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet)
	NewWithT(t).Expect(msg).To(Equal("Gate 0 Strategic assessment: review of 2024-06-01 expired on 2025-05-31"))
	NewWithT(t).Eventually(func(g Gomega) {
		g.Expect(eventReasons(g, o.ns, "cloud")).To(ContainElement(status.EventReviewExpired))
	}).Should(Succeed())
}

// A rule that does not compile is rejected at admission with the field it
// is in; a rule that fails on an object makes the gate Unknown there —
// never a crash, never a stuck queue.
func TestBrokenRulesAreReportedNotFatal(t *testing.T) {
	o := newOrganisation(t)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		o.office.Spec.Governance.Gates = []v1alpha1.Gate{{Name: "owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "StartingUp",
			Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(r, ", Message: "risks need owners"}}}
		err := k8sClient.Update(context.Background(), o.office)
		g.Expect(err).To(MatchError(ContainSubstring("spec.governance.gates[0].rule.expression: does not compile")))
	}).Should(Succeed())

	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance.Gates = []v1alpha1.Gate{{Name: "owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "StartingUp",
			Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(r, has(r.owner))", Message: "risks need owners"}}}
	})
	project := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	create(t, project)
	msg := expectCondition(t, project, v1alpha1.ConditionCompliant, metav1.ConditionUnknown, v1alpha1.ReasonRuleError)
	g.Expect(msg).To(Equal("owners: rule failed: no such key: risks"))
	expectReady(t, project)

	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance.Gates[0].Rule.Expression = "!has(object.spec.risks) || object.spec.risks.all(r, has(r.owner))"
	})
	expectCondition(t, project, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)
}

// A Satellite may tighten its hub's policy but not loosen it; it says so.
func TestSatelliteCannotLoosenItsHub(t *testing.T) {
	o := newOrganisation(t)
	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway
		off.Spec.Governance.Enforcement = v1alpha1.EnforcementWarn
	})
	satellite := newOffice(o.ns, "retail", v1alpha1.OfficeTypeSatellite)
	satellite.Spec.HubRef = refPtr("central")
	satellite.Spec.Governance.Enforcement = v1alpha1.EnforcementAudit
	create(t, satellite)

	msg := expectCondition(t, satellite, v1alpha1.ConditionPolicyValid, metav1.ConditionTrue, v1alpha1.ReasonLooserSettingsIgnored)
	g := NewWithT(t)
	g.Expect(msg).To(ContainSubstring(o.ns + "/retail: enforcement Audit is weaker than the hub's Warn"))
	get(g, satellite)
	g.Expect(satellite.Status.Enforcement).To(Equal(v1alpha1.EnforcementWarn))
	g.Expect(satellite.Status.Gates).To(ContainElements("gate-0", "gate-5"))
}

// Gate definitions are checked when an Office is admitted: a rule whose
// estimated cost is beyond the limit is refused with its estimate, and a
// gate required from a phase its kinds do not have is refused naming the
// field, instead of silently never applying.
func TestOfficeGatesAreCheckedAtAdmission(t *testing.T) {
	o := newOrganisation(t)
	g := NewWithT(t)
	cases := []struct {
		gate v1alpha1.Gate
		want string
	}{
		{v1alpha1.Gate{Name: "nested", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Delivering",
			Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(a, object.spec.risks.all(b, object.spec.risks.all(c, object.spec.benefits.all(d, a.name != d.name))))", Message: "m"}},
			"spec.governance.gates[0].rule.expression: estimated cost"},
		{v1alpha1.Gate{Name: "defining", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Defining",
			Rule: &v1alpha1.GateRule{Expression: "true", Message: "m"}},
			"spec.governance.gates[0].requiredFrom: requiredFrom Defining is not a phase of [Project]"},
	}
	for _, tc := range cases {
		g.Eventually(func(g Gomega) {
			get(g, o.office)
			o.office.Spec.Governance.Gates = []v1alpha1.Gate{tc.gate}
			g.Expect(k8sClient.Update(context.Background(), o.office)).To(MatchError(ContainSubstring(tc.want)))
		}).Should(Succeed())
	}

	// Many rules each within the limit, together beyond the budget of one
	// object's rules (31 costly rules once pushed the webhook past its
	// timeout): refused, with the estimate.
	rules, err := policy.NewRules()
	g.Expect(err).NotTo(HaveOccurred())
	var costly v1alpha1.Gate
	var cost uint64
	for n := 10; cost <= policy.CostLimit/4; n += 5 {
		list := "[" + strings.Repeat("0,", n) + "0]"
		costly = v1alpha1.Gate{AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Delivering",
			Rule: &v1alpha1.GateRule{Expression: list + ".all(a, " + list + ".all(b, a + b >= 0))", Message: "m"}}
		cost, err = rules.CheckGate(costly)
		g.Expect(err).NotTo(HaveOccurred(), "a rule of %d elements", n)
	}
	var gates []v1alpha1.Gate
	for i := 0; uint64(len(gates))*cost <= policy.CostBudget; i++ {
		gate := *costly.DeepCopy()
		gate.Name = fmt.Sprintf("costly-%d", i)
		gates = append(gates, gate)
	}
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		o.office.Spec.Governance.Gates = gates
		g.Expect(k8sClient.Update(context.Background(), o.office)).To(MatchError(ContainSubstring("spec.governance.gates: the rules' estimated cost together")))
	}).Should(Succeed())
}

// A rule that fails on an object never lets it through under Enforce: the
// denial names the rule and its error.
func TestRuleErrorsBlockUnderEnforce(t *testing.T) {
	o := newOrganisation(t)
	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance.Enforcement = v1alpha1.EnforcementEnforce
		off.Spec.Governance.Gates = []v1alpha1.Gate{{Name: "owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Closing",
			Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(r, has(r.owner))", Message: "risks need owners"}}}
	})
	project := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	create(t, project)
	expectReady(t, project)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, project)
		g.Expect(project.Status.Compliance.Enforcement).To(Equal(v1alpha1.EnforcementEnforce))
		project.Spec.Phase = v1alpha1.ProjectClosing
		g.Expect(k8sClient.Update(context.Background(), project)).To(MatchError(ContainSubstring("owners: rule failed: no such key: risks")))
	}).Should(Succeed())
}
