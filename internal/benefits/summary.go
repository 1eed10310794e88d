/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package benefits

import (
	"sort"
	"time"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/shorten"
)

// MaxMeasured bounds the non-money benefits a summary lists.
const MaxMeasured = 16

// Tally adds up the benefits beneath an object, each counted once: money
// benefits into totals and totals by the financial year they fall due in,
// benefits in other units into a list. The zero value is ready to use.
type Tally struct {
	total    yearTally
	years    map[int32]*yearTally // 0: no due date
	measured []v1alpha1.MeasuredBenefit
	more     int32
}

type yearTally struct {
	count                       int32
	planned, forecast, realised *inf.Dec
}

func (y *yearTally) add(planned, forecast, realised *inf.Dec, count int32) {
	y.count += count
	money.Accumulate(&y.planned, planned)
	money.Accumulate(&y.forecast, forecast)
	money.Accumulate(&y.realised, realised)
}

func (t *Tally) year(y int32) *yearTally {
	if t.years == nil {
		t.years = map[int32]*yearTally{}
	}
	if t.years[y] == nil {
		t.years[y] = &yearTally{}
	}
	return t.years[y]
}

// DueYear is the financial year a benefit falls due in (FinancialYear's
// rule for financial years starting in startMonth); 0 without a due date.
func DueYear(due v1alpha1.Date, startMonth int, financialYear func(time.Time, int) int) int32 {
	t, err := due.Time()
	if due == "" || err != nil {
		return 0
	}
	return int32(financialYear(t, startMonth))
}

// Add counts the benefits an object holds (holder is "Kind namespace/name"),
// each falling due in the year year gives for it; contributions to a
// programme's benefit are skipped (Counted).
func (t *Tally) Add(holder string, bs []v1alpha1.Benefit, year func(v1alpha1.Date) int32) {
	for _, b := range bs {
		if !Counted(b) {
			continue
		}
		f := Of(b)
		if b.MeasureUnit() == v1alpha1.BenefitUnitMoney {
			t.total.add(f.Planned, f.ForecastOrPlanned(), f.Realised, 1)
			t.year(year(b.Due)).add(f.Planned, f.ForecastOrPlanned(), f.Realised, 1)
			continue
		}
		t.measured = append(t.measured, v1alpha1.MeasuredBenefit{
			Holder: shorten.To(holder, v1alpha1.MeasuredHolderMaxLength), Name: b.Name, Unit: b.MeasureUnit(), Label: b.Measure.Label,
			Year: year(b.Due), Due: b.Due,
			Baseline: statusLevel(b.Baseline), Target: statusLevel(b.TargetLevel()),
			Forecast: statusLevel(b.Forecast), Realised: statusLevel(b.Realised),
		})
	}
}

// Merge adds a summary a child's rollup holds.
func (t *Tally) Merge(s v1alpha1.BenefitsSummary) {
	t.total.add(money.Value(s.Planned), money.Value(s.Forecast), money.Value(s.Realised), 0)
	for _, y := range s.ByYear {
		t.total.count += y.Benefits
		t.year(y.Year).add(money.Value(y.Planned), money.Value(y.Forecast), money.Value(y.Realised), y.Benefits)
	}
	t.measured = append(t.measured, s.Measured...)
	t.more += s.MeasuredNotListed
}

// Summary is what status writes: totals, money by due year (earliest
// first, at most MaxCommittedYears, then the undated), and the first
// MaxMeasured non-money benefits by year (undated last), due date, holder
// and name.
func (t *Tally) Summary() v1alpha1.BenefitsSummary {
	s := v1alpha1.BenefitsSummary{
		Planned: money.Amount(t.total.planned), Realised: money.Amount(t.total.realised), Forecast: money.Amount(t.total.forecast),
	}
	years := make([]int32, 0, len(t.years))
	for y := range t.years {
		if y != 0 {
			years = append(years, y)
		}
	}
	sort.Slice(years, func(i, j int) bool { return years[i] < years[j] })
	if len(years) > v1alpha1.MaxCommittedYears {
		years = years[:v1alpha1.MaxCommittedYears]
	}
	if t.years[0] != nil {
		years = append(years, 0)
	}
	for _, y := range years {
		v := t.years[y]
		s.ByYear = append(s.ByYear, v1alpha1.BenefitYear{Year: y, Benefits: v.count,
			Planned: money.Amount(v.planned), Forecast: money.Amount(v.forecast), Realised: money.Amount(v.realised)})
	}
	measured := append([]v1alpha1.MeasuredBenefit(nil), t.measured...)
	sort.SliceStable(measured, func(i, j int) bool { return measuredLess(measured[i], measured[j]) })
	s.MeasuredNotListed = t.more
	if len(measured) > MaxMeasured {
		s.MeasuredNotListed += int32(len(measured) - MaxMeasured)
		measured = measured[:MaxMeasured]
	}
	s.Measured = measured
	return s
}

func measuredLess(a, b v1alpha1.MeasuredBenefit) bool {
	ay, by := yearKey(a.Year), yearKey(b.Year)
	switch {
	case ay != by:
		return ay < by
	case a.Due != b.Due:
		return a.Due < b.Due
	case a.Holder != b.Holder:
		return a.Holder < b.Holder
	}
	return a.Name < b.Name
}

// yearKey sorts undated (0) last.
func yearKey(y int32) int32 {
	if y == 0 {
		return 1 << 30
	}
	return y
}

// statusLevel writes a level for status (Level), within its bound.
func statusLevel(q *resource.Quantity) string {
	return shorten.To(Level(money.Of(q)), v1alpha1.MeasuredLevelMaxLength)
}
