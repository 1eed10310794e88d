/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package strategy scores a portfolio's work against its weighted
// objectives, ranks it, and balances its committed money by category and by
// objective against the targets (MoP: prioritisation and balancing). It is
// pure: callers pass the portfolio's declarations and its components.
//
// The score of a Programme or Project is
//
//	score = round(100 × Σ weight(o) × strength(c) / (3 × Σ weight(all objectives)))
//
// summed over its contributions c to declared objectives o, with strength
// Low 1, Medium 2, High 3: 100 is High to every objective, 0 contributes to
// none. Ties of score are broken by spec.priority (set before unset, 1
// first), then namespace and name. The balance splits each component's
// committed money to its category, and between its objectives by the share
// of each contribution's strength; an actual share more than Tolerance
// percentage points above or below the target is over- or under-weight.
package strategy

import (
	"cmp"
	"slices"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Tolerance is how many percentage points an actual share may differ from
// its target before it is flagged over- or under-weight.
const Tolerance = 5

// maxStrength is the strength of a High contribution, the most there is.
const maxStrength = 3

// MaxRanking bounds the ranking a Portfolio's status lists.
const MaxRanking = 20

// Strength is what a contribution's strength counts in the score: Low 1,
// Medium 2 (also when unset), High 3.
func Strength(s v1alpha1.ContributionStrength) int64 {
	switch s {
	case v1alpha1.StrengthLow:
		return 1
	case v1alpha1.StrengthHigh:
		return 3
	default:
		return 2
	}
}

// Objective is a declared objective with its weight (at least 1).
type Objective struct {
	Name   string
	Weight int64
}

// Declared is what a portfolio declares: its objectives, its categories and
// their target shares in percent.
type Declared struct {
	Objectives []Objective
	Categories []string
	// Targets are the target shares of categories, in percent.
	Targets map[string]int64
}

// FromPortfolio reads a portfolio's declarations. An objective's weight
// defaults to 1.
func FromPortfolio(spec *v1alpha1.PortfolioSpec) Declared {
	d := Declared{Categories: spec.Categories, Targets: map[string]int64{}}
	for _, o := range spec.Objectives {
		w := int64(o.Weight)
		if w < 1 {
			w = 1
		}
		d.Objectives = append(d.Objectives, Objective{Name: o.Name, Weight: w})
	}
	for _, t := range spec.CategoryTargets {
		if t.SharePercent != nil {
			d.Targets[t.Category] = int64(*t.SharePercent)
		}
	}
	return d
}

func (d Declared) weight(objective string) (int64, bool) {
	for _, o := range d.Objectives {
		if o.Name == objective {
			return o.Weight, true
		}
	}
	return 0, false
}

func (d Declared) totalWeight() int64 {
	var w int64
	for _, o := range d.Objectives {
		w += o.Weight
	}
	return w
}

// HasCategory reports whether the portfolio declares category.
func (d Declared) HasCategory(category string) bool {
	return slices.Contains(d.Categories, category)
}

// Alignment is how one Programme or Project aligns with its portfolio.
type Alignment struct {
	// Score is 0 to 100; nil when the portfolio declares no objectives.
	Score *int32
	// UnknownObjectives are the objectives it names that the portfolio does
	// not declare, in the order named.
	UnknownObjectives []string
	// UnknownCategory is its category when the portfolio does not declare
	// it.
	UnknownCategory string
	// Contributes is true when it contributes to a declared objective.
	Contributes bool
}

// Align scores one Programme or Project and finds its references to
// objectives and a category the portfolio does not declare.
func Align(d Declared, category string, contributions []v1alpha1.Contribution) Alignment {
	var a Alignment
	var sum int64
	for _, c := range contributions {
		w, ok := d.weight(c.Objective)
		if !ok {
			a.UnknownObjectives = append(a.UnknownObjectives, c.Objective)
			continue
		}
		a.Contributes = true
		sum += w * Strength(c.Strength)
	}
	if category != "" && !d.HasCategory(category) {
		a.UnknownCategory = category
	}
	if total := d.totalWeight(); total > 0 {
		score := int32(roundDiv(100*sum, maxStrength*total))
		a.Score = &score
	}
	return a
}

// roundDiv is n/d rounded half up, for n ≥ 0 and d > 0.
func roundDiv(n, d int64) int64 {
	return (2*n + d) / (2 * d)
}

// Component is a Programme or direct Project of a portfolio.
type Component struct {
	Kind            v1alpha1.SubjectKind
	Namespace, Name string
	// Open is false once the component is Closed: closed work is balanced
	// (its money stays committed) but not ranked.
	Open          bool
	Priority      int32
	Category      string
	Contributions []v1alpha1.Contribution
	// Committed is the component's committed money (internal/rollup:
	// a project's budget, a programme's own budget plus its projects'); nil
	// for none.
	Committed *inf.Dec
}

// Ranked is an open component with its score and rank.
type Ranked struct {
	Kind            v1alpha1.SubjectKind
	Namespace, Name string
	Priority        int32
	Score           int32
	Rank            int32
	Category        string
}

// Line is the committed money of one category or objective.
type Line struct {
	Name      string
	Committed *inf.Dec
	// Actual is the share of the total, in percent, rounded half up.
	Actual int64
	// Target is the target share in percent rounded half up; nil for none.
	Target *int64
	Weight v1alpha1.BalanceWeight
}

// Unknown is a reference to an objective or category the portfolio does
// not declare.
type Unknown struct {
	Kind            v1alpha1.SubjectKind
	Namespace, Name string
	// Reason is UnknownObjective or UnknownCategory.
	Reason v1alpha1.ConditionReason
	// What is the objective's or category's name.
	What string
}

// Result is a portfolio's ranking and balance.
type Result struct {
	// Ranking lists every open component in rank order.
	Ranking []Ranked
	// Balanced is false when the balance is not known: the committed total
	// is unknown (amounts in another currency) or nothing is committed.
	Balanced bool
	// Total is the committed money balanced: the sum of the components'.
	Total *inf.Dec
	// ByCategory and ByObjective follow the declaration order.
	ByCategory, ByObjective []Line
	// Uncategorised is the money of components in no declared category;
	// Unaligned of those contributing to no declared objective. Nil for
	// none.
	Uncategorised, Unaligned *inf.Dec
	// ObjectivesWithoutWork are declared objectives no open component
	// contributes to.
	ObjectivesWithoutWork []string
	// UnalignedWork are the open components contributing to no declared
	// objective (by namespace and name).
	UnalignedWork []Ranked
	// Unknown are the components' references to undeclared objectives and
	// categories, by namespace, name and reference.
	Unknown []Unknown
}

// Assess ranks the open components and, when moneyKnown (the portfolio's
// committed total is known: no amounts in another currency), balances
// their committed money.
func Assess(d Declared, components []Component, moneyKnown bool) Result {
	t := tally{d: d, covered: map[string]bool{}, byCategory: map[string]*inf.Dec{}, byObjective: map[string]*inf.Dec{}}
	for _, c := range components {
		t.add(c)
	}
	t.order()
	if !moneyKnown || t.total == nil || t.total.Sign() == 0 {
		t.r.Uncategorised, t.r.Unaligned = nil, nil
		return t.r
	}
	t.r.Balanced, t.r.Total = true, t.total
	t.balance()
	return t.r
}

// tally gathers a portfolio's assessment one component at a time.
type tally struct {
	d       Declared
	r       Result
	covered map[string]bool
	total   *inf.Dec
	// byCategory and byObjective are the committed money of each.
	byCategory, byObjective map[string]*inf.Dec
}

// add counts one component: its undeclared references, its place in the
// ranking when open, and its committed money.
func (t *tally) add(c Component) {
	a := Align(t.d, c.Category, c.Contributions)
	for _, o := range a.UnknownObjectives {
		t.r.Unknown = append(t.r.Unknown, Unknown{Kind: c.Kind, Namespace: c.Namespace, Name: c.Name, Reason: v1alpha1.ReasonUnknownObjective, What: o})
	}
	if a.UnknownCategory != "" {
		t.r.Unknown = append(t.r.Unknown, Unknown{Kind: c.Kind, Namespace: c.Namespace, Name: c.Name, Reason: v1alpha1.ReasonUnknownCategory, What: a.UnknownCategory})
	}
	if c.Open {
		item := Ranked{Kind: c.Kind, Namespace: c.Namespace, Name: c.Name, Priority: c.Priority, Category: c.Category}
		if a.Score != nil {
			item.Score = *a.Score
		}
		t.r.Ranking = append(t.r.Ranking, item)
		if !a.Contributes {
			t.r.UnalignedWork = append(t.r.UnalignedWork, item)
		}
		for _, ct := range c.Contributions {
			t.covered[ct.Objective] = true
		}
	}
	if c.Committed == nil {
		return
	}
	t.total = add(t.total, c.Committed)
	if t.d.HasCategory(c.Category) {
		t.byCategory[c.Category] = add(t.byCategory[c.Category], c.Committed)
	} else {
		t.r.Uncategorised = add(t.r.Uncategorised, c.Committed)
	}
	split(t.d, c, t.byObjective, &t.r.Unaligned)
}

// order ranks the work and puts the lists in their order.
func (t *tally) order() {
	slices.SortFunc(t.r.Ranking, rankOrder)
	for i := range t.r.Ranking {
		t.r.Ranking[i].Rank = int32(i + 1)
	}
	slices.SortFunc(t.r.UnalignedWork, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	for _, o := range t.d.Objectives {
		if !t.covered[o.Name] {
			t.r.ObjectivesWithoutWork = append(t.r.ObjectivesWithoutWork, o.Name)
		}
	}
	slices.SortStableFunc(t.r.Unknown, func(a, b Unknown) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Kind, b.Kind))
	})
}

// balance sets the balance by category and by objective against their
// targets.
func (t *tally) balance() {
	for _, name := range t.d.Categories {
		var target *inf.Dec
		if share, ok := t.d.Targets[name]; ok {
			target = inf.NewDec(share, 0)
		}
		t.r.ByCategory = append(t.r.ByCategory, line(name, t.byCategory[name], t.total, target))
	}
	if w := t.d.totalWeight(); w > 0 {
		for _, o := range t.d.Objectives {
			// The target share is the weight's share: 100 × weight / Σ weights.
			target := new(inf.Dec).QuoRound(inf.NewDec(100*o.Weight, 0), inf.NewDec(w, 0), 12, inf.RoundHalfUp)
			t.r.ByObjective = append(t.r.ByObjective, line(o.Name, t.byObjective[o.Name], t.total, target))
		}
	}
}

// rankOrder orders by score (highest first), then priority (set before
// unset, 1 first), then namespace and name.
func rankOrder(a, b Ranked) int {
	return cmp.Or(
		-cmp.Compare(a.Score, b.Score),
		cmp.Compare(priorityKey(a.Priority), priorityKey(b.Priority)),
		cmp.Compare(a.Namespace, b.Namespace),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Kind, b.Kind))
}

func priorityKey(p int32) int64 {
	if p <= 0 {
		return 1 << 40 // unset ranks after every set priority
	}
	return int64(p)
}

// split shares a component's committed money between the declared
// objectives it contributes to, by the share of each contribution's
// strength; money of a component contributing to none is unaligned. The
// shares are exact to the cent and add up to the whole: the last
// objective takes what rounding left.
func split(d Declared, c Component, byObjective map[string]*inf.Dec, unaligned **inf.Dec) {
	var declared []v1alpha1.Contribution
	var strengths int64
	for _, ct := range c.Contributions {
		if _, ok := d.weight(ct.Objective); ok {
			declared = append(declared, ct)
			strengths += Strength(ct.Strength)
		}
	}
	if len(declared) == 0 {
		*unaligned = add(*unaligned, c.Committed)
		return
	}
	rest := new(inf.Dec).Set(c.Committed)
	for i, ct := range declared {
		share := rest
		if i < len(declared)-1 {
			share = new(inf.Dec).Mul(c.Committed, inf.NewDec(Strength(ct.Strength), 0))
			share.QuoRound(share, inf.NewDec(strengths, 0), 2, inf.RoundHalfUp)
			rest = new(inf.Dec).Sub(rest, share)
		}
		byObjective[ct.Objective] = add(byObjective[ct.Objective], share)
	}
}

// line compares the money of one category or objective with its target
// share (in percent; nil for none): over- or under-weight when the actual
// share differs from it by more than Tolerance points, compared exactly.
func line(name string, amount, total, target *inf.Dec) Line {
	if amount == nil {
		amount = new(inf.Dec)
	}
	l := Line{Name: name, Committed: amount, Actual: percent(amount, total), Weight: v1alpha1.BalanceNoTarget}
	if target == nil {
		return l
	}
	t := new(inf.Dec).Round(target, 0, inf.RoundHalfUp).UnscaledBig().Int64()
	l.Target = &t
	// actual% = 100 × amount / total; compare 100 × amount with
	// (target ± Tolerance) × total, exactly.
	hundredFold := new(inf.Dec).Mul(amount, inf.NewDec(100, 0))
	upper := new(inf.Dec).Mul(new(inf.Dec).Add(target, inf.NewDec(Tolerance, 0)), total)
	lower := new(inf.Dec).Mul(new(inf.Dec).Sub(target, inf.NewDec(Tolerance, 0)), total)
	switch {
	case hundredFold.Cmp(upper) > 0:
		l.Weight = v1alpha1.BalanceOverWeight
	case hundredFold.Cmp(lower) < 0:
		l.Weight = v1alpha1.BalanceUnderWeight
	default:
		l.Weight = v1alpha1.BalanceBalanced
	}
	return l
}

// percent is 100 × amount / total rounded half up to a whole percent.
func percent(amount, total *inf.Dec) int64 {
	p := new(inf.Dec).Mul(amount, inf.NewDec(100, 0))
	p.QuoRound(p, total, 0, inf.RoundHalfUp)
	return p.UnscaledBig().Int64()
}

func add(sum, d *inf.Dec) *inf.Dec {
	if sum == nil {
		return new(inf.Dec).Set(d)
	}
	return sum.Add(sum, d)
}
