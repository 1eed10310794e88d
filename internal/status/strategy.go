/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/strategy"
)

// setStrategyAligned sets a Programme's or Project's StrategyAligned
// condition against its portfolio (nil while none is resolved) and returns
// its score (nil while there is none to give). A project within a
// programme (programme names it) that names no contributions contributes
// through its programme, which is what the portfolio ranks.
func setStrategyAligned(obj conditions.Object, portfolio *v1alpha1.Portfolio, programme, category string, contributions []v1alpha1.Contribution) *int32 {
	if portfolio == nil {
		conditions.Set(obj, v1alpha1.ConditionStrategyAligned, metav1.ConditionUnknown, v1alpha1.ReasonNoPortfolio, "no portfolio resolved yet")
		return nil
	}
	d := strategy.FromPortfolio(&portfolio.Spec)
	a := strategy.Align(d, category, contributions)
	name := "portfolio " + portfolio.Name
	switch {
	case len(a.UnknownObjectives) > 0:
		msg := fmt.Sprintf("%s declares no objective %s", name, quoteList(a.UnknownObjectives))
		if a.UnknownCategory != "" {
			msg += fmt.Sprintf(", nor category %q", a.UnknownCategory)
		}
		conditions.Set(obj, v1alpha1.ConditionStrategyAligned, metav1.ConditionFalse, v1alpha1.ReasonUnknownObjective, msg)
	case a.UnknownCategory != "":
		conditions.Set(obj, v1alpha1.ConditionStrategyAligned, metav1.ConditionFalse, v1alpha1.ReasonUnknownCategory,
			fmt.Sprintf("%s declares no category %q", name, a.UnknownCategory))
	case len(d.Objectives) > 0 && len(contributions) == 0 && programme != "":
		conditions.Set(obj, v1alpha1.ConditionStrategyAligned, metav1.ConditionTrue, v1alpha1.ReasonAligned,
			fmt.Sprintf("contributes to %s through programme %s", name, programme))
	case len(d.Objectives) > 0 && !a.Contributes:
		conditions.Set(obj, v1alpha1.ConditionStrategyAligned, metav1.ConditionFalse, v1alpha1.ReasonNoContribution,
			fmt.Sprintf("contributes to none of the objectives of %s", name))
	case len(d.Objectives) == 0:
		conditions.Set(obj, v1alpha1.ConditionStrategyAligned, metav1.ConditionTrue, v1alpha1.ReasonAligned,
			fmt.Sprintf("%s declares no objectives", name))
	default:
		conditions.Set(obj, v1alpha1.ConditionStrategyAligned, metav1.ConditionTrue, v1alpha1.ReasonAligned,
			fmt.Sprintf("score %d in %s", *a.Score, name))
	}
	return a.Score
}

// quoteList writes "a" or "a", "b" and "c" quoted.
func quoteList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return joinList(quoted, "and")
}

// Components are a portfolio's programmes and direct projects as its
// strategy ranks and balances them, each with the money it commits as
// the rollup counts it.
func Components(children PortfolioChildren) []strategy.Component {
	out := make([]strategy.Component, 0, len(children.Programmes)+len(children.Projects))
	for _, p := range children.Programmes {
		out = append(out, strategy.Component{
			Kind: v1alpha1.SubjectKindProgramme, Namespace: p.Namespace, Name: p.Name,
			Open: p.Spec.Phase != v1alpha1.ProgrammeClosed, Priority: p.Spec.Priority,
			Category: p.Spec.Category, Contributions: p.Spec.Contributions, Committed: ProgrammeItem(p).Committed(),
		})
	}
	for _, p := range children.Projects {
		out = append(out, strategy.Component{
			Kind: v1alpha1.SubjectKindProject, Namespace: p.Namespace, Name: p.Name,
			Open: p.Spec.Phase != v1alpha1.ProjectClosed, Priority: p.Spec.Priority,
			Category: p.Spec.Category, Contributions: p.Spec.Contributions, Committed: ProjectItem(p).Committed(),
		})
	}
	return out
}

// Strategy is a portfolio's ranking and balance, from its spec, its
// children and its rollup in status: its status and its report both come
// from it. The balance is known only when the committed total is (no
// amounts in another currency were left out).
func Strategy(p *v1alpha1.Portfolio, children PortfolioChildren) strategy.Result {
	return strategy.Assess(strategy.FromPortfolio(&p.Spec), Components(children), len(p.Status.Rollup.Money.LeftOut) == 0)
}

// strategyStatus is the compact form of a portfolio's strategy in status.
func strategyStatus(r strategy.Result) v1alpha1.PortfolioStrategy {
	var s v1alpha1.PortfolioStrategy
	for i, w := range r.Ranking {
		if i == strategy.MaxRanking {
			break
		}
		s.Ranking = append(s.Ranking, v1alpha1.RankedWork{Kind: w.Kind, Namespace: w.Namespace, Name: w.Name, Rank: w.Rank, Score: new(w.Score), Priority: w.Priority})
	}
	s.Ranked = int32(len(r.Ranking))
	s.ByCategory = balanceLines(r.ByCategory)
	s.ByObjective = balanceLines(r.ByObjective)
	s.Uncategorised = money.Amount(r.Uncategorised)
	s.Unaligned = money.Amount(r.Unaligned)
	s.ObjectivesWithoutWork = r.ObjectivesWithoutWork
	s.UnalignedWork = int32(len(r.UnalignedWork))
	return s
}

func balanceLines(lines []strategy.Line) []v1alpha1.BalanceLine {
	var out []v1alpha1.BalanceLine
	for _, l := range lines {
		b := v1alpha1.BalanceLine{Name: l.Name, Committed: money.Amount(l.Committed), ActualPercent: new(int32(l.Actual)), Weight: l.Weight}
		if l.Target != nil {
			b.TargetPercent = new(int32(*l.Target))
		}
		out = append(out, b)
	}
	return out
}
