/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func benefit(name, target, realised string, due v1alpha1.Date) v1alpha1.Benefit {
	b := v1alpha1.Benefit{Name: name, Owner: "Helen Carter", Target: quantity(target), Due: due}
	if realised != "" {
		b.Realised = quantity(realised)
	}
	return b
}

// A programme's benefit that a project contributes to is counted once, in
// the programme's register; a benefit in days is listed, never summed; a
// contribution to a benefit the programme does not declare is a condition
// on the project; a project's own benefit forecast below plan beyond its
// tolerance is a Benefits exception.
func TestBenefitsAreCountedOnceAndLinked(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	portfolio := newPortfolio(ns, "digital", "central")
	platform := newProgramme(ns, "platform", ref("digital"))
	days := v1alpha1.Benefit{Name: "Provisioning time", Owner: "Raj Patel", Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitDays, Label: "days to provision"},
		Baseline: quantity("15"), Target: quantity("2"), Realised: quantity("6"), Due: inDays(200)}
	platform.Spec.Benefits = []v1alpha1.Benefit{benefit("Running costs avoided", "1M", "200k", inDays(300)), days}
	erp := newProject(ns, "erp", refPtr("platform"))
	licences := benefit("Licence savings", "100k", "", inDays(300))
	licences.Forecast = quantity("50k") // half the plan: beyond the 10% tolerance
	erp.Spec.Benefits = []v1alpha1.Benefit{{Name: "Colocation ended", ProgrammeBenefit: "Running costs avoided"}, licences}
	portal := newProject(ns, "portal", refPtr("platform"))
	portal.Spec.Benefits = []v1alpha1.Benefit{{Name: "Fewer calls", ProgrammeBenefit: "Calls avoided"}}
	create(t, office, portfolio, platform, erp, portal)

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, platform)
		b := platform.Status.Rollup.Benefits
		g.Expect([]v1alpha1.Amount{b.Planned, b.Realised}).To(Equal([]v1alpha1.Amount{"1100000", "200000"}), "the programme's 1M and erp's own 100k, erp's contribution not again")
		g.Expect(b.Measured).To(HaveLen(1))
		g.Expect(b.Measured[0].Name).To(Equal("Provisioning time"))
		g.Expect(b.Measured[0].Unit).To(Equal(v1alpha1.BenefitUnitDays))
	}).Should(Succeed())
	expectCondition(t, erp, v1alpha1.ConditionBenefitsLinked, metav1.ConditionTrue, v1alpha1.ReasonBenefitsLinked)
	msg := expectCondition(t, portal, v1alpha1.ConditionBenefitsLinked, metav1.ConditionFalse, v1alpha1.ReasonUnknownBenefit)
	g.Expect(msg).To(ContainSubstring("Calls avoided"))
	g.Eventually(func(g Gomega) {
		get(g, erp)
		g.Expect(erp.Status.Health).To(Equal(v1alpha1.HealthRed))
		var kinds []v1alpha1.ToleranceExceptionKind
		for _, e := range erp.Status.ToleranceExceptions {
			kinds = append(kinds, e.Kind)
		}
		g.Expect(kinds).To(Equal([]v1alpha1.ToleranceExceptionKind{v1alpha1.ExceptionBenefits}))
	}).Should(Succeed())

	// Past due with nothing realised: Red, the benefit named. Realised
	// within the tolerance (95% of plan): the benefit lowers nothing.
	update(t, platform, func(p *v1alpha1.Programme) {
		p.Spec.Benefits[0].Due, p.Spec.Benefits[0].Realised = inDays(-30), nil
	})
	g.Eventually(func(g Gomega) {
		get(g, platform)
		g.Expect(platform.Status.OwnHealth).To(Equal(v1alpha1.HealthRed))
		g.Expect(strings.Join(platform.Status.OwnHealthReasons, "\n")).To(ContainSubstring("benefit Running costs avoided: due"))
	}).Should(Succeed())
	update(t, platform, func(p *v1alpha1.Programme) { p.Spec.Benefits[0].Realised = quantity("950k") })
	g.Eventually(func(g Gomega) {
		get(g, platform)
		g.Expect(platform.Status.OwnHealth).To(Equal(v1alpha1.HealthGreen))
		g.Expect(platform.Status.Rollup.Benefits.Realised).To(Equal(v1alpha1.Amount("950000")))
	}).Should(Succeed())
}
