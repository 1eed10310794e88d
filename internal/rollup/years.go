/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package rollup

import (
	"sort"
	"time"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// FinancialYear is the financial year t falls in, named by the calendar
// year in which that financial year starts, for financial years starting
// on the first day of startMonth (1 to 12; anything else reads as 1,
// January). With April, 2026-04-01 and 2027-03-31 are in 2026.
func FinancialYear(t time.Time, startMonth int) int {
	if startMonth < 1 || startMonth > 12 {
		startMonth = 1
	}
	year := t.Year()
	if int(t.Month()) < startMonth {
		year--
	}
	return year
}

// ByYear is money phased by financial year. The zero value (nil) holds
// nothing and may be added to only through Add on a made map; Merge and
// the constructors make one when needed.
type ByYear map[int32]*inf.Dec

// Add adds v (nil adds nothing) to a year.
func (b ByYear) Add(year int32, v *inf.Dec) {
	if v == nil {
		return
	}
	total := b[year]
	money.Accumulate(&total, v)
	b[year] = total
}

// Merge adds o into *b, making *b when o holds anything.
func (b *ByYear) Merge(o ByYear) {
	if len(o) == 0 {
		return
	}
	if *b == nil {
		*b = ByYear{}
	}
	for y, v := range o {
		(*b).Add(y, v)
	}
}

// Years are the years held, earliest first.
func (b ByYear) Years() []int32 {
	years := make([]int32, 0, len(b))
	for y := range b {
		years = append(years, y)
	}
	sort.Slice(years, func(i, j int) bool { return years[i] < years[j] })
	return years
}

// Phased writes the money by year as status writes it, earliest first, at
// most v1alpha1.MaxCommittedYears years (the earliest); nil when empty.
func (b ByYear) Phased() []v1alpha1.PhasedAmount {
	var out []v1alpha1.PhasedAmount
	for _, y := range b.Years() {
		if len(out) == v1alpha1.MaxCommittedYears {
			break
		}
		out = append(out, v1alpha1.PhasedAmount{Year: y, Amount: money.Amount(b[y])})
	}
	return out
}

// FromPhased reads money by year back from status; nil when empty.
func FromPhased(phased []v1alpha1.PhasedAmount) ByYear {
	var b ByYear
	for _, p := range phased {
		b.Merge(ByYear{p.Year: money.Value(p.Amount)})
	}
	return b
}

// FromYears reads amounts by year from a spec (a project's
// plan.budgetByYear, a portfolio's capacityByYear); nil when empty.
func FromYears(years []v1alpha1.YearAmount) ByYear {
	var b ByYear
	for _, y := range years {
		b.Merge(ByYear{y.Year: money.Of(y.Amount)})
	}
	return b
}

// Tranches phases a programme's own budget by its tranches: each tranche's
// budget falls in the financial year of its start (startMonth as
// FinancialYear reads it). A tranche without a start or a budget phases
// nothing, and a programme that states no budget of its own phases
// nothing: its tranches would commit money that committed does not count.
func Tranches(budget *resource.Quantity, tranches []v1alpha1.Tranche, startMonth int) ByYear {
	if budget == nil {
		return nil
	}
	var b ByYear
	for _, t := range tranches {
		start, err := t.Start.Time()
		if t.Start == "" || err != nil || t.Budget == nil {
			continue
		}
		b.Merge(ByYear{int32(FinancialYear(start, startMonth)): money.Of(t.Budget)})
	}
	return b
}
