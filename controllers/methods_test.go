/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Tests of the operator's faithfulness to the methods, against the real API
// server: PRINCE2 tolerances both ways, M_o_R opportunities, OGC's Gate 0
// at a programme's decision points and the IPA's Delivery Confidence
// scales.

// exceptionKinds lists the kinds of a project's tolerance exceptions.
func exceptionKinds(p *v1alpha1.Project) []v1alpha1.ToleranceExceptionKind {
	var kinds []v1alpha1.ToleranceExceptionKind
	for _, e := range p.Status.ToleranceExceptions {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

// An underspend beyond the cost tolerance is an Underspend exception, never
// an overrun; it lowers health only when the office's underrunHealth says
// so, and the office can change its mind.
func TestUnderspendIsAnExceptionOfItsOwnKind(t *testing.T) {
	o := newOrganisation(t)
	// 1M budget, 700k forecast: 300k under it, beyond the 10% (100k)
	// tolerance.
	under := reporting(newProject(o.ns, "under", refPtr("cloud")), "1M", "700k")
	create(t, under)

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, under)
		g.Expect(under.Status.ObservedGeneration).To(Equal(under.Generation))
		g.Expect(under.Status.ToleranceExceptions).To(Equal([]v1alpha1.ToleranceException{{
			Kind: v1alpha1.ExceptionUnderspend, Health: v1alpha1.HealthGreen,
			Message: "cost forecast 700k is below budget 1M beyond the 10% tolerance (underspend 300k)",
		}}))
		// Shown, not counted: the office sets no underrunHealth (Green).
		g.Expect(under.Status.Health).To(Equal(v1alpha1.HealthGreen))
		g.Expect(under.Status.HealthReasons).To(BeEmpty())
	}).Should(Succeed())

	update(t, o.office, func(off *v1alpha1.Office) { off.Spec.Governance.UnderrunHealth = v1alpha1.RAG(v1alpha1.HealthAmber) })
	g.Eventually(func(g Gomega) {
		get(g, under)
		g.Expect(exceptionKinds(under)).To(Equal([]v1alpha1.ToleranceExceptionKind{v1alpha1.ExceptionUnderspend}))
		g.Expect(under.Status.ToleranceExceptions[0].Health).To(Equal(v1alpha1.HealthAmber))
		g.Expect(under.Status.Health).To(Equal(v1alpha1.HealthAmber))
		g.Expect(under.Status.HealthReasons).To(Equal([]string{"cost forecast 700k is below budget 1M beyond the 10% tolerance (underspend 300k)"}))
	}).Should(Succeed())

	// Within tolerance below the budget is no exception at all.
	update(t, under, func(p *v1alpha1.Project) { p.Spec.Progress.ForecastCost = quantity("950k") })
	g.Eventually(func(g Gomega) {
		get(g, under)
		g.Expect(under.Status.ObservedGeneration).To(Equal(under.Generation))
		g.Expect(under.Status.ToleranceExceptions).To(BeEmpty())
		g.Expect(under.Status.Health).To(Equal(v1alpha1.HealthGreen))
	}).Should(Succeed())
}

// An opportunity's exposure is reported apart from the threats' and never
// triggers the high-severity rule or the risk exposure tolerance.
func TestOpportunitiesAreReportedApartFromThreats(t *testing.T) {
	o := newOrganisation(t)
	p := reporting(newProject(o.ns, "opp", refPtr("cloud")), "1M", "1M")
	exposure := int32(10)
	p.Spec.Tolerances.RiskExposure = &exposure
	p.Spec.Risks = []v1alpha1.Risk{
		{Name: "T-1", Probability: 2, Impact: 3, Owner: "Ann", Response: v1alpha1.ResponseReduce},
		// 5 × 5 = 25: above the high-risk severity (15) and the exposure
		// tolerance (10), were it a threat.
		{Name: "O-1", Kind: v1alpha1.RiskOpportunity, Probability: 5, Impact: 5, Owner: "Bob",
			Proximity: "2027-03-31", Response: v1alpha1.ResponseExploit},
	}
	create(t, p)

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, p)
		g.Expect(p.Status.ObservedGeneration).To(Equal(p.Generation))
		g.Expect(p.Status.Risks).To(Equal(v1alpha1.RiskSummary{Open: 1, Exposure: 6, Opportunities: 1, OpportunityExposure: 25}))
		g.Expect(p.Status.Health).To(Equal(v1alpha1.HealthGreen), "reasons: %v", p.Status.HealthReasons)
		g.Expect(p.Status.ToleranceExceptions).To(BeEmpty())
		get(g, o.programme)
		g.Expect(o.programme.Status.Rollup.Risks).To(Equal(v1alpha1.RiskSummary{Open: 1, Exposure: 6, Opportunities: 1, OpportunityExposure: 25}))
	}).Should(Succeed())

	// The same figures as a threat are high and beyond the tolerance.
	update(t, p, func(p *v1alpha1.Project) {
		p.Spec.Risks[1].Kind = v1alpha1.RiskThreat
		p.Spec.Risks[1].Response = v1alpha1.ResponseAvoid
	})
	g.Eventually(func(g Gomega) {
		get(g, p)
		g.Expect(p.Status.Risks).To(Equal(v1alpha1.RiskSummary{Open: 2, High: 1, Exposure: 31}))
		g.Expect(exceptionKinds(p)).To(Equal([]v1alpha1.ToleranceExceptionKind{v1alpha1.ExceptionRiskExposure}))
		g.Expect(p.Status.Health).To(Equal(v1alpha1.HealthRed))
		g.Expect(p.Status.HealthReasons).To(ContainElement("1 open threat at or above severity 15: O-1 (25)"))
	}).Should(Succeed())
}

// A manifest written before opportunities and PRINCE2 7 (no risk kind,
// response Fallback) still applies: its risks are threats and Fallback
// means Prepare.
func TestOldRiskManifestStillApplies(t *testing.T) {
	o := newOrganisation(t)
	manifest := `
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata:
  name: old
  namespace: ` + o.ns + `
spec:
  programmeRef:
    name: cloud
  plan:
    budget: 1M
  risks:
    - name: R-1
      probability: 4
      impact: 4
      owner: Ann
      status: Open
      response: Fallback
`
	var old unstructured.Unstructured
	if err := yaml.Unmarshal([]byte(manifest), &old.Object); err != nil {
		t.Fatal(err)
	}
	if err := k8sClient.Create(context.Background(), &old); err != nil {
		t.Fatalf("an old manifest is refused: %v", err)
	}
	p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: o.ns, Name: "old"}}
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, p)
		g.Expect(p.Spec.Risks[0].Kind).To(BeEmpty(), "no kind is defaulted into the stored object")
		g.Expect(p.Spec.Risks[0].Response.Canonical()).To(Equal(v1alpha1.ResponsePrepare))
		g.Expect(p.Status.ObservedGeneration).To(Equal(p.Generation))
		g.Expect(p.Status.Risks).To(Equal(v1alpha1.RiskSummary{Open: 1, High: 1, Exposure: 16}))
		g.Expect(p.Status.HealthReasons).To(ContainElement("1 open threat at or above severity 15: R-1 (16)"))
	}).Should(Succeed())
}

// day is a date relative to today, as the API writes dates.
func day(offset int) v1alpha1.Date {
	return v1alpha1.Date(time.Now().UTC().AddDate(0, 0, offset).Format(time.DateOnly))
}

// Under the OGCGateway profile a programme's Gate 0 falls due again once a
// tranche has ended: a review held before the decision point preceding the
// last tranche end reached no longer satisfies it; one held after does.
func TestGateZeroFallsDueAgainAtATrancheEnd(t *testing.T) {
	o := newOrganisation(t)
	update(t, o.office, func(off *v1alpha1.Office) { off.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway })
	// Tranche 1 has ended; tranche 2 has not.
	update(t, o.programme, func(p *v1alpha1.Programme) {
		p.Spec.Phase = v1alpha1.ProgrammeDelivering
		p.Spec.Tranches = []v1alpha1.Tranche{
			{Name: "t1", Start: day(-400), End: day(-200)},
			{Name: "t2", Start: day(-199), End: day(100)},
		}
	})
	subject := v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProgramme, ParentReference: ref("cloud")}
	during1 := newReview(o.ns, "cloud-gate-0-t1", subject, 0)
	during1.Spec.Date = day(-300)
	create(t, during1)
	// The review held during tranche 1 satisfies the decision point at its
	// end.
	expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)
	gate0 := func(g Gomega) v1alpha1.GateStatus {
		get(g, o.programme)
		for _, gs := range o.programme.Status.Compliance.Gates {
			if gs.Name == "gate-0" {
				return gs
			}
		}
		g.Expect(o.programme.Status.Compliance.Gates).To(ContainElement(HaveField("Name", "gate-0")))
		return v1alpha1.GateStatus{}
	}
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		gs := gate0(g)
		g.Expect(gs.Cause).To(Equal(v1alpha1.CauseReviewMet))
		g.Expect(gs.Message).To(HaveSuffix("for the decision point at the end of t1 (" + string(day(-200)) + ")"))
	}).Should(Succeed())

	// Tranche 2 ends: Gate 0 falls due again, and the tranche-1 review, held
	// before tranche 1 ended, no longer satisfies it.
	update(t, o.programme, func(p *v1alpha1.Programme) {
		p.Spec.Tranches[1].End = day(-10)
		p.Spec.Tranches = append(p.Spec.Tranches, v1alpha1.Tranche{Name: "t3", Start: day(-9), End: day(200)})
	})
	msg := expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet)
	g.Expect(msg).To(Equal("Gate 0 Strategic assessment: due again at the end of t2 (" + string(day(-10)) +
		"): the latest review, of " + string(day(-300)) + ", was held before " + string(day(-200))))
	g.Eventually(func(g Gomega) {
		g.Expect(gate0(g).Cause).To(Equal(v1alpha1.CauseReviewBeforeDecisionPoint))
	}).Should(Succeed())

	// A review held after tranche 1's end (here after tranche 2's) meets it.
	after := newReview(o.ns, "cloud-gate-0-t2", subject, 0)
	after.Spec.Date = day(-5)
	create(t, after)
	expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)
	g.Eventually(func(g Gomega) {
		gs := gate0(g)
		g.Expect(gs.Cause).To(Equal(v1alpha1.CauseReviewMet))
		g.Expect(gs.Message).To(HaveSuffix("for the decision point at the end of t2 (" + string(day(-10)) + ")"))
	}).Should(Succeed())
}

// A review rated off the office's Delivery Confidence scale is unmet with
// cause OffScale: AmberGreen under a three-point office, and a review that
// says it was rated on the three-point scale under a five-point office.
// A review that names no scale is read on the office's: under a five-point
// office AmberGreen counts, and so do Green, Amber and Red.
func TestReviewOffTheOfficesScaleIsUnmet(t *testing.T) {
	o := newOrganisation(t)
	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway
		off.Spec.Governance.ConfidenceScale = v1alpha1.ConfidenceScaleThreePoint
	})
	update(t, o.programme, func(p *v1alpha1.Programme) { p.Spec.Phase = v1alpha1.ProgrammeDefining })
	subject := v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProgramme, ParentReference: ref("cloud")}
	review := newReview(o.ns, "cloud-gate-0", subject, 0) // AmberGreen
	create(t, review)
	NewWithT(t).Eventually(func(g Gomega) {
		c := conditionOf(g, o.programme, v1alpha1.ConditionCompliant)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Reason).To(Equal(string(v1alpha1.ReasonGatesUnmet)))
		g.Expect(c.Message).To(Equal("Gate 0 Strategic assessment: review of 2026-10-01 gave AmberGreen, which is not on the office's three-point (Green, Amber, Red) Delivery Confidence scale"))
		g.Expect(o.programme.Status.Compliance.Gates).To(ContainElement(And(HaveField("Name", "gate-0"), HaveField("Cause", v1alpha1.CauseOffScale))))
	}).Should(Succeed())

	// Back on the five-point scale, AmberGreen is a rating like any other.
	update(t, o.office, func(off *v1alpha1.Office) { off.Spec.Governance.ConfidenceScale = v1alpha1.ConfidenceScaleFivePoint })
	expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)

	// A three-point rating under the three-point office is on its scale.
	update(t, o.office, func(off *v1alpha1.Office) { off.Spec.Governance.ConfidenceScale = v1alpha1.ConfidenceScaleThreePoint })
	expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet)
	newer := newReview(o.ns, "cloud-gate-0-again", subject, 0)
	newer.Spec.Date = "2026-10-15"
	newer.Spec.Findings.DeliveryConfidence = v1alpha1.ConfidenceAmber
	create(t, newer)
	expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)

	// Vice versa: a review that says it was rated on the three-point scale
	// is off a five-point office's scale (its Amber spans AmberGreen to
	// AmberRed), though Amber is a five-point rating too.
	update(t, o.office, func(off *v1alpha1.Office) { off.Spec.Governance.ConfidenceScale = v1alpha1.ConfidenceScaleFivePoint })
	expectCondition(t, o.programme, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)
	threePoint := newReview(o.ns, "cloud-gate-0-three-point", subject, 0)
	threePoint.Spec.Date = "2026-10-20"
	threePoint.Spec.Findings = &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmber, Scale: v1alpha1.ConfidenceScaleThreePoint}
	create(t, threePoint)
	NewWithT(t).Eventually(func(g Gomega) {
		c := conditionOf(g, o.programme, v1alpha1.ConditionCompliant)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Message).To(Equal("Gate 0 Strategic assessment: review of 2026-10-20 was rated Amber on the three-point (Green, Amber, Red) scale, not on the office's five-point Delivery Confidence scale"))
		get(g, o.programme)
		g.Expect(o.programme.Status.Compliance.Gates).To(ContainElement(And(HaveField("Name", "gate-0"), HaveField("Cause", v1alpha1.CauseOffScale))))
	}).Should(Succeed())
}
