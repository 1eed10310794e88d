/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"html/template"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// prioritiesView is a portfolio's priorities and balance as its
// status.strategy publishes them: the ranking of its open programmes and
// direct projects and its committed money by category and by objective
// against the targets. The dashboard computes none of it.
type prioritiesView struct {
	// Withheld says the figures cover children the viewer may not see:
	// the page then shows none of them.
	Withheld bool
	// Ranking are the ranked rows the viewer may see, in rank order; Ranked
	// is how many were ranked (the status lists the first 20).
	Ranking []rankedRow
	Ranked  int32
	// Known says the balance is known: the committed total is known and
	// not zero. Committed is status.committed, written for people.
	Known     bool
	Committed string
	// ByCategory and ByObjective are the balance tables, each with its
	// picture.
	ByCategory, ByObjective balanceTable
	// ObjectivesWithoutWork are the declared objectives no open work
	// contributes to; UnalignedWork how many open programmes and direct
	// projects contribute to none (the status counts them, the report
	// names them).
	ObjectivesWithoutWork []string
	UnalignedWork         int32
}

// rankedRow is one ranked programme or direct project.
type rankedRow struct {
	link
	// Linked says the object is in the picture, so that its page exists.
	Linked bool
	Rank   int32
	// Score is status.strategy's score; Priority the person-set
	// spec.priority, 0 when unset.
	Score    *int32
	Priority int32
	// Category is the object's spec.category.
	Category string
}

// balanceTable is the committed money of a portfolio's categories or
// objectives against their targets.
type balanceTable struct {
	Lines []balanceRow
	// Rest is the money in no declared category (uncategorised) or
	// contributing to no declared objective (unaligned), written for
	// people; "" when there is none.
	Rest  string
	Chart template.HTML
}

// balanceRow is one balance line, written for people.
type balanceRow struct {
	Name      string
	Committed string
	Actual    *int32
	Target    *int32
	Weight    v1alpha1.BalanceWeight
}

// Flag is the balance flag in words.
func (b balanceRow) Flag() string { return b.Weight.Words() }

// FlagClass is the CSS class of the flag.
func (b balanceRow) FlagClass() string { return weightClass(b.Weight) }

// weightClass is the CSS class of a balance weight.
func weightClass(w v1alpha1.BalanceWeight) string {
	switch w {
	case v1alpha1.BalanceOverWeight:
		return "weight-over"
	case v1alpha1.BalanceUnderWeight:
		return "weight-under"
	case v1alpha1.BalanceBalanced:
		return "weight-balanced"
	}
	return "weight-none"
}

// priorities is the priorities and balance of a portfolio, as shown to the
// viewer; nil for any other kind.
func (q *request) priorities(r ref, f *figures) *prioritiesView {
	pf, ok := q.picture.Object(r).(*v1alpha1.Portfolio)
	if !ok {
		return nil
	}
	if f == nil {
		return &prioritiesView{Withheld: true}
	}
	s := pf.Status.Strategy
	currency := f.amounts.currency
	v := &prioritiesView{Ranked: s.Ranked, Committed: f.Committed, ObjectivesWithoutWork: s.ObjectivesWithoutWork, UnalignedWork: s.UnalignedWork}
	for _, w := range s.Ranking {
		c := ref{Kind: string(w.Kind), Namespace: w.Namespace, Name: w.Name}
		if !q.sees(c) {
			continue
		}
		row := rankedRow{link: linkOf(c), Rank: w.Rank, Score: w.Score, Priority: w.Priority}
		switch o := q.picture.Object(c).(type) {
		case *v1alpha1.Programme:
			row.Linked, row.Category = true, o.Spec.Category
		case *v1alpha1.Project:
			row.Linked, row.Category = true, o.Spec.Category
		}
		v.Ranking = append(v.Ranking, row)
	}
	v.Known = !f.Incomplete && f.amounts.committed != nil && f.amounts.committed.Sign() != 0
	if v.Known {
		v.ByCategory = balanceOf("category", s.ByCategory, s.Uncategorised, currency)
		v.ByObjective = balanceOf("objective", s.ByObjective, s.Unaligned, currency)
	}
	return v
}

// balanceOf is the balance table of one dimension (category or
// objective), with its picture when it has lines.
func balanceOf(dimension string, lines []v1alpha1.BalanceLine, rest v1alpha1.Amount, currency v1alpha1.Currency) balanceTable {
	t := balanceTable{Rest: amountText(rest, currency)}
	for _, l := range lines {
		t.Lines = append(t.Lines, balanceRow{Name: l.Name, Committed: amountText(l.Committed, currency),
			Actual: l.ActualPercent, Target: l.TargetPercent, Weight: l.Weight})
	}
	if len(t.Lines) > 0 {
		t.Chart = balanceBars(dimension, t.Lines)
	}
	return t
}

// MoreRanked says the ranking lists fewer than were ranked.
func (v *prioritiesView) MoreRanked() bool { return int(v.Ranked) > len(v.Ranking) }

// balanceSection is what a page shows of one balance table.
type balanceSection struct {
	// Dimension is "category" or "objective"; Heading its column's name;
	// RestName what the money in none of them is called.
	Dimension, Heading, RestName string
	Committed                    string
	Table                        balanceTable
}

// CategoryBalance is the balance by category.
func (v *prioritiesView) CategoryBalance() balanceSection {
	return balanceSection{"category", "Category", "uncategorised", v.Committed, v.ByCategory}
}

// ObjectiveBalance is the balance by objective.
func (v *prioritiesView) ObjectiveBalance() balanceSection {
	return balanceSection{"objective", "Objective", "contributing to no objective", v.Committed, v.ByObjective}
}
