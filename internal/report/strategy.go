/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/strategy"
)

// Strategy is a portfolio's priorities and balance (MoP), whole: the
// portfolio's status.strategy holds the compact form of the same figures.
type Strategy struct {
	// Ranking is every open programme and direct project in rank order.
	Ranking []RankedItem `json:"ranking"`
	// Balanced is false when the balance is unknown (the committed total
	// is unknown: amounts in another currency) or nothing is committed;
	// the balance lists are then empty.
	Balanced bool `json:"balanced"`
	// Committed is the committed money balanced (status.committed).
	Committed  string        `json:"committed"`
	ByCategory []BalanceItem `json:"byCategory"`
	// Uncategorised is the money of work in no declared category.
	Uncategorised string        `json:"uncategorised"`
	ByObjective   []BalanceItem `json:"byObjective"`
	// Unaligned is the money of work contributing to no declared objective.
	Unaligned string `json:"unaligned"`
	// ObjectivesWithoutWork are declared objectives no open work
	// contributes to.
	ObjectivesWithoutWork []string `json:"objectivesWithoutWork"`
	// UnalignedWork is the open work contributing to no declared objective.
	UnalignedWork []WorkRef `json:"unalignedWork"`
	// Unknown are references to objectives and categories the portfolio
	// does not declare, by its programmes and every project beneath it.
	Unknown []UnknownRef `json:"unknown"`
}

// RankedItem is an open programme or direct project with its rank.
type RankedItem struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Rank      int32  `json:"rank"`
	Score     int32  `json:"score"`
	// Priority is spec.priority; null when unset.
	Priority *int32 `json:"priority"`
	Category string `json:"category"`
}

// BalanceItem is the committed money of one category or objective.
type BalanceItem struct {
	Name          string `json:"name"`
	Committed     string `json:"committed"`
	ActualPercent int64  `json:"actualPercent"`
	// TargetPercent is null when there is no target.
	TargetPercent *int64                 `json:"targetPercent"`
	Weight        v1alpha1.BalanceWeight `json:"weight"`
}

// WorkRef names a programme or project.
type WorkRef struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// UnknownRef is a reference to an undeclared objective or category.
type UnknownRef struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Reason is UnknownObjective or UnknownCategory.
	Reason v1alpha1.ConditionReason `json:"reason"`
	// Reference is the objective's or category's name.
	Reference string `json:"reference"`
}

// StrategyInput is what a portfolio's report shows of its strategy: the
// assessment its status was set from, and its declarations to check the
// projects within its programmes against.
type StrategyInput struct {
	Result   strategy.Result
	Declared strategy.Declared
}

// newStrategy writes the assessment for report.json, with the references
// of projects within programmes to undeclared objectives and categories.
func newStrategy(in *StrategyInput, projects []*v1alpha1.Project) *Strategy {
	r := in.Result
	s := &Strategy{Ranking: []RankedItem{}, Balanced: r.Balanced, Committed: decimal(r.Total), ByCategory: balanceItems(r.ByCategory),
		Uncategorised: decimal(r.Uncategorised), ByObjective: balanceItems(r.ByObjective), Unaligned: decimal(r.Unaligned),
		ObjectivesWithoutWork: nonNil(r.ObjectivesWithoutWork), UnalignedWork: []WorkRef{}, Unknown: []UnknownRef{}}
	for _, w := range r.Ranking {
		item := RankedItem{Kind: string(w.Kind), Namespace: w.Namespace, Name: w.Name, Rank: w.Rank, Score: w.Score, Category: w.Category}
		if w.Priority > 0 {
			item.Priority = new(w.Priority)
		}
		s.Ranking = append(s.Ranking, item)
	}
	for _, w := range r.UnalignedWork {
		s.UnalignedWork = append(s.UnalignedWork, WorkRef{Kind: string(w.Kind), Namespace: w.Namespace, Name: w.Name})
	}
	for _, u := range r.Unknown {
		s.Unknown = append(s.Unknown, UnknownRef{Kind: string(u.Kind), Namespace: u.Namespace, Name: u.Name, Reason: u.Reason, Reference: u.What})
	}
	for _, p := range projects {
		if p.Spec.ProgrammeRef == nil {
			continue // a direct project: among the components above
		}
		a := strategy.Align(in.Declared, p.Spec.Category, p.Spec.Contributions)
		for _, o := range a.UnknownObjectives {
			s.Unknown = append(s.Unknown, UnknownRef{Kind: "Project", Namespace: p.Namespace, Name: p.Name, Reason: v1alpha1.ReasonUnknownObjective, Reference: o})
		}
		if a.UnknownCategory != "" {
			s.Unknown = append(s.Unknown, UnknownRef{Kind: "Project", Namespace: p.Namespace, Name: p.Name, Reason: v1alpha1.ReasonUnknownCategory, Reference: a.UnknownCategory})
		}
	}
	slices.SortStableFunc(s.Unknown, func(a, b UnknownRef) int {
		return cmp.Or(byName(a.Namespace, a.Name, b.Namespace, b.Name), cmp.Compare(a.Kind, b.Kind))
	})
	return s
}

func balanceItems(lines []strategy.Line) []BalanceItem {
	out := []BalanceItem{}
	for _, l := range lines {
		out = append(out, BalanceItem{Name: l.Name, Committed: decimal(l.Committed), ActualPercent: l.Actual, TargetPercent: l.Target, Weight: l.Weight})
	}
	return out
}

// rankOf is a direct project's rank and score in its portfolio's ranking.
func (s *Strategy) rankOf(p *v1alpha1.Project) (rank string) {
	if s == nil {
		return ""
	}
	for _, w := range s.Ranking {
		if w.Kind == "Project" && w.Namespace == p.Namespace && w.Name == p.Name {
			return itoa(int64(w.Rank))
		}
	}
	return ""
}

// weightText is a balance flag for people, in bold when off target.
func weightText(w v1alpha1.BalanceWeight) string {
	if w.OffTarget() {
		return "**" + w.Words() + "**"
	}
	return w.Words()
}

func percentText(p *int64) string {
	if p == nil {
		return "–"
	}
	return itoa(*p) + "%"
}

// priorities writes the section "Priorities and balance" (Portfolios).
func (m *markdown) priorities(s *Strategy) {
	if s == nil {
		return
	}
	m.p("\n## Priorities and balance\n\n")
	markdownTable(m, "No open programme or project to rank.\n", "| Rank | Kind | Name | Score | Priority | Category |\n|---:|---|---|---:|---:|---|\n", s.Ranking, func(w RankedItem) string {
		priority := "–"
		if w.Priority != nil {
			priority = itoa(int64(*w.Priority))
		}
		return fmt.Sprintf("| %d | %s | %s | %d | %s | %s |\n", w.Rank, text(w.Kind), markdownName(w.Namespace, w.Name), w.Score, priority, text(orDash(w.Category)))
	})
	if !s.Balanced {
		m.p("\nBalance unknown: nothing is committed, or the committed total is incomplete (amounts in another currency are left out, see Money).\n")
	} else {
		table := func(title string, items []BalanceItem, rest, restName string) {
			m.p("\n%s\n\n| %s | Committed | Actual | Target | Weight |\n|---|---:|---:|---:|---|\n", title, restName)
			for _, b := range items {
				m.p("| %s | %s | %d%% | %s | %s |\n", text(b.Name), human(b.Committed), b.ActualPercent, percentText(b.TargetPercent), weightText(b.Weight))
			}
			if rest != "" {
				m.p("| (none) | %s | | | |\n", human(rest))
			}
		}
		table(fmt.Sprintf("Committed %s by category (tolerance ±%d points):", human(s.Committed), strategy.Tolerance), s.ByCategory, s.Uncategorised, "Category")
		if len(s.ByObjective) > 0 {
			table("By objective (target: the weight's share; work split by strength):", s.ByObjective, s.Unaligned, "Objective")
		}
	}
	if len(s.ObjectivesWithoutWork) > 0 {
		quoted := make([]string, len(s.ObjectivesWithoutWork))
		for i, o := range s.ObjectivesWithoutWork {
			quoted[i] = text(o)
		}
		m.p("\nObjectives no open work contributes to: %s.\n", strings.Join(quoted, ", "))
	}
	if len(s.UnalignedWork) > 0 {
		names := make([]string, len(s.UnalignedWork))
		for i, w := range s.UnalignedWork {
			names[i] = strings.ToLower(text(w.Kind)) + " " + markdownName(w.Namespace, w.Name)
		}
		m.p("\nOpen work contributing to no objective: %s.\n", strings.Join(names, ", "))
	}
	markdownTable(m, "", "\nReferences to objectives and categories the portfolio does not declare:\n\n| Kind | Name | Names | Undeclared |\n|---|---|---|---|\n", s.Unknown, func(u UnknownRef) string {
		what := "objective"
		if u.Reason == v1alpha1.ReasonUnknownCategory {
			what = "category"
		}
		return fmt.Sprintf("| %s | %s | %s | %s |\n", text(u.Kind), markdownName(u.Namespace, u.Name), what, text(u.Reference))
	})
}
