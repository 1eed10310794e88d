/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"math"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// expectedScore is the README's formula computed here on its own, in
// floating point: round(100 × Σ weight × strength / (3 × Σ weights)).
func expectedScore(weights map[string]float64, contributions []v1alpha1.Contribution) int32 {
	strength := map[v1alpha1.ContributionStrength]float64{v1alpha1.StrengthLow: 1, v1alpha1.StrengthMedium: 2, v1alpha1.StrengthHigh: 3}
	var sum, total float64
	for _, w := range weights {
		total += w
	}
	for _, c := range contributions {
		sum += weights[c.Objective] * strength[c.Strength]
	}
	return int32(math.Floor(100*sum/(3*total) + 0.5))
}

func contributions(pairs ...string) []v1alpha1.Contribution {
	var out []v1alpha1.Contribution
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, v1alpha1.Contribution{Objective: pairs[i], Strength: v1alpha1.ContributionStrength(pairs[i+1])})
	}
	return out
}

// A portfolio applied after its children ranks them by score and balances
// their committed money against its targets; an undeclared objective or
// category is a condition on the child that follows the portfolio's spec;
// changing a weight re-ranks.
func TestStrategyRanksAndBalances(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)

	// The children first: GitOps applies in any order.
	platform := newProgramme(ns, "platform", ref("digital"))
	platform.Spec.Budget, platform.Spec.Category = quantity("500k"), "Grow"
	platform.Spec.Contributions = contributions("growth", "High", "resilience", "Low")
	erp := newProject(ns, "erp", refPtr("platform")) // 1M, within the programme
	portal := newProject(ns, "portal", nil)
	portal.Spec.PortfolioRef, portal.Spec.Plan.Budget = refPtr("digital"), quantity("2M")
	portal.Spec.Category, portal.Spec.Priority = "Grow", 2
	portal.Spec.Contributions = contributions("growth", "Medium")
	payroll := newProject(ns, "payroll", nil)
	payroll.Spec.PortfolioRef, payroll.Spec.Plan.Budget = refPtr("digital"), quantity("1.5M")
	payroll.Spec.Category, payroll.Spec.Priority = "Run", 1
	payroll.Spec.Contributions = contributions("resilience", "High")
	stray := newProject(ns, "stray", nil)
	stray.Spec.PortfolioRef, stray.Spec.Plan.Budget = refPtr("digital"), quantity("500k")
	stray.Spec.Category = "Moonshots"
	stray.Spec.Contributions = contributions("moonshot", "High")
	create(t, platform, erp, portal, payroll, stray)
	expectCondition(t, stray, v1alpha1.ConditionStrategyAligned, metav1.ConditionUnknown, v1alpha1.ReasonNoPortfolio)

	portfolio := newPortfolio(ns, "digital", "central")
	portfolio.Spec.Objectives = []v1alpha1.StrategicObjective{{Name: "growth", Weight: 3}, {Name: "resilience", Weight: 1}}
	portfolio.Spec.Categories = []string{"Grow", "Run"}
	portfolio.Spec.CategoryTargets = []v1alpha1.CategoryTarget{{Category: "Grow", SharePercent: new(int32(50))}, {Category: "Run", SharePercent: new(int32(40))}}
	create(t, office, portfolio)

	weights := map[string]float64{"growth": 3, "resilience": 1}
	score := func(c []v1alpha1.Contribution) *int32 { return new(expectedScore(weights, c)) }
	g := NewWithT(t)
	// platform 83, portal 50, payroll 25, stray 0.
	g.Eventually(func(g Gomega) {
		get(g, portfolio)
		g.Expect(portfolio.Status.Committed).To(Equal(v1alpha1.Amount("5500000")))
		g.Expect(portfolio.Status.Strategy.Ranking).To(Equal([]v1alpha1.RankedWork{
			{Kind: v1alpha1.SubjectKindProgramme, Namespace: ns, Name: "platform", Rank: 1, Score: score(platform.Spec.Contributions)},
			{Kind: v1alpha1.SubjectKindProject, Namespace: ns, Name: "portal", Rank: 2, Score: score(portal.Spec.Contributions), Priority: 2},
			{Kind: v1alpha1.SubjectKindProject, Namespace: ns, Name: "payroll", Rank: 3, Score: score(payroll.Spec.Contributions), Priority: 1},
			{Kind: v1alpha1.SubjectKindProject, Namespace: ns, Name: "stray", Rank: 4, Score: new(int32(0))},
		}))
		g.Expect(portfolio.Status.Strategy.Ranked).To(BeEquivalentTo(4))
		// Committed 5.5M: Grow = platform 1.5M + portal 2M = 3.5M (63.6%
		// against 50: over); Run = payroll 1.5M (27.3% against 40: under);
		// stray's 500k names no declared category.
		g.Expect(portfolio.Status.Strategy.ByCategory).To(Equal([]v1alpha1.BalanceLine{
			{Name: "Grow", Committed: "3500000", ActualPercent: new(int32(64)), TargetPercent: new(int32(50)), Weight: v1alpha1.BalanceOverWeight},
			{Name: "Run", Committed: "1500000", ActualPercent: new(int32(27)), TargetPercent: new(int32(40)), Weight: v1alpha1.BalanceUnderWeight},
		}))
		g.Expect(portfolio.Status.Strategy.Uncategorised).To(Equal(v1alpha1.Amount("500000")))
		// Objectives: platform's 1.5M split 3:1 (High:Low) = 1.125M growth
		// and 375k resilience. growth 3.125M = 56.8% against 3/4 = 75%:
		// under; resilience 1.875M = 34.1% against 25%: over.
		g.Expect(portfolio.Status.Strategy.ByObjective).To(Equal([]v1alpha1.BalanceLine{
			{Name: "growth", Committed: "3125000", ActualPercent: new(int32(57)), TargetPercent: new(int32(75)), Weight: v1alpha1.BalanceUnderWeight},
			{Name: "resilience", Committed: "1875000", ActualPercent: new(int32(34)), TargetPercent: new(int32(25)), Weight: v1alpha1.BalanceOverWeight},
		}))
		g.Expect(portfolio.Status.Strategy.Unaligned).To(Equal(v1alpha1.Amount("500000")))
		g.Expect(portfolio.Status.Strategy.UnalignedWork).To(BeEquivalentTo(1))
		g.Expect(portfolio.Status.Strategy.ObjectivesWithoutWork).To(BeEmpty())

		get(g, portal)
		g.Expect(portal.Status.Score).To(Equal(score(portal.Spec.Contributions)))
	}).Should(Succeed())

	msg := expectCondition(t, stray, v1alpha1.ConditionStrategyAligned, metav1.ConditionFalse, v1alpha1.ReasonUnknownObjective)
	g.Expect(msg).To(Equal(`portfolio digital declares no objective "moonshot", nor category "Moonshots"`))
	expectCondition(t, portal, v1alpha1.ConditionStrategyAligned, metav1.ConditionTrue, v1alpha1.ReasonAligned)
	// A project within a programme contributes through it.
	expectCondition(t, erp, v1alpha1.ConditionStrategyAligned, metav1.ConditionTrue, v1alpha1.ReasonAligned)
	// Ready does not depend on StrategyAligned.
	expectReady(t, stray, portfolio)

	// The portfolio declares the objective: the child's condition follows.
	update(t, portfolio, func(p *v1alpha1.Portfolio) {
		p.Spec.Objectives = append(p.Spec.Objectives, v1alpha1.StrategicObjective{Name: "moonshot", Weight: 1})
	})
	expectCondition(t, stray, v1alpha1.ConditionStrategyAligned, metav1.ConditionFalse, v1alpha1.ReasonUnknownCategory)

	// Raising resilience's weight re-ranks: payroll passes portal.
	update(t, portfolio, func(p *v1alpha1.Portfolio) { p.Spec.Objectives[1].Weight = 4 })
	weights = map[string]float64{"growth": 3, "resilience": 4, "moonshot": 1}
	g.Eventually(func(g Gomega) {
		get(g, portfolio)
		var order []string
		for _, w := range portfolio.Status.Strategy.Ranking {
			order = append(order, w.Name)
		}
		g.Expect(order).To(Equal([]string{"platform", "payroll", "portal", "stray"}))
		g.Expect(portfolio.Status.Strategy.Ranking[1].Score).To(Equal(score(payroll.Spec.Contributions)))
		g.Expect(portfolio.Status.Strategy.Ranking[3].Score).To(Equal(score(stray.Spec.Contributions)))
	}).Should(Succeed())
}
