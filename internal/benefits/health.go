/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package benefits

import (
	"fmt"
	"time"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// DefaultTolerancePercent is the benefits tolerance when none is set.
const DefaultTolerancePercent = 10

// Shortfall is why a benefit lowers health.
type Shortfall string

const (
	// ForecastBeyondTolerance: the forecast improvement falls short of the
	// planned one by more than the benefits tolerance, an exception in
	// PRINCE2's sense (a forecast beyond tolerance). Red.
	ForecastBeyondTolerance Shortfall = "ForecastBeyondTolerance"
	// NothingRealised: the due date has passed and nothing of a planned
	// improvement is realised. Red.
	NothingRealised Shortfall = "NothingRealised"
	// RealisedShort: the due date has passed and what is realised falls
	// short of the planned improvement by more than the benefits tolerance.
	// Amber.
	RealisedShort Shortfall = "RealisedShort"
)

// Finding is a benefit that lowers health, and why.
type Finding struct {
	Benefit string
	Unit    v1alpha1.BenefitUnit
	Kind    Shortfall
	Health  v1alpha1.Health
	// Planned is the planned improvement; Got the forecast or realised one
	// compared with it (zero when nothing is realised).
	Planned, Got *inf.Dec
	Tolerance    int32
	Due          v1alpha1.Date
}

// Reason is the finding written for people, e.g. "benefit Hours saved:
// forecast 500 hours short of planned 1200 hours beyond 10% benefits
// tolerance (exception)".
func (f Finding) Reason() string {
	switch f.Kind {
	case ForecastBeyondTolerance:
		return fmt.Sprintf("benefit %s: forecast %s below planned %s beyond %d%% benefits tolerance (exception)",
			f.Benefit, quantity(f.Got, f.Unit), quantity(f.Planned, f.Unit), f.Tolerance)
	case NothingRealised:
		return fmt.Sprintf("benefit %s: due %s, nothing realised of planned %s", f.Benefit, f.Due, quantity(f.Planned, f.Unit))
	default:
		return fmt.Sprintf("benefit %s: due %s, realised %s of planned %s, short beyond %d%% benefits tolerance",
			f.Benefit, f.Due, quantity(f.Got, f.Unit), quantity(f.Planned, f.Unit), f.Tolerance)
	}
}

// quantity writes an improvement with its unit: money as reasons write it
// (money.Format, "350k"), others as a level and the unit in lower case.
func quantity(d *inf.Dec, unit v1alpha1.BenefitUnit) string {
	if unit == v1alpha1.BenefitUnitMoney || unit == "" {
		return money.Format(d)
	}
	return Level(d) + " " + UnitWord(unit)
}

// UnitWord is a unit as a sentence writes it ("hours", "%").
func UnitWord(unit v1alpha1.BenefitUnit) string {
	switch unit {
	case v1alpha1.BenefitUnitPercent:
		return "%"
	case v1alpha1.BenefitUnitHours, v1alpha1.BenefitUnitDays:
		return map[v1alpha1.BenefitUnit]string{v1alpha1.BenefitUnitHours: "hours", v1alpha1.BenefitUnitDays: "days"}[unit]
	case v1alpha1.BenefitUnitCount:
		return "count"
	case v1alpha1.BenefitUnitScore:
		return "points"
	}
	return string(unit)
}

// Tolerance reads a benefits tolerance, DefaultTolerancePercent when unset.
func Tolerance(p *int32) int32 {
	if p == nil {
		return DefaultTolerancePercent
	}
	return *p
}

// Assess applies the benefits rule to the benefits an object holds itself
// (contributions to a programme's benefit are the programme's to assess),
// on the day today: for each benefit with a positive planned improvement,
// the worst of
//   - Red: a forecast below planned by more than tolerance percent of it;
//   - Red: past its due date (today after due) with nothing realised;
//   - Amber: past its due date with the realised improvement below planned
//     by more than tolerance percent of it.
//
// Findings are in the order of the benefits.
func Assess(bs []v1alpha1.Benefit, tolerance int32, today time.Time) []Finding {
	var out []Finding
	for _, b := range bs {
		if !Counted(b) {
			continue
		}
		if f, ok := assessOne(b, tolerance, today); ok {
			out = append(out, f)
		}
	}
	return out
}

func assessOne(b v1alpha1.Benefit, tolerance int32, today time.Time) (Finding, bool) {
	fig := Of(b)
	if fig.Planned == nil || fig.Planned.Sign() <= 0 {
		return Finding{}, false
	}
	f := Finding{Benefit: b.Name, Unit: b.MeasureUnit(), Planned: fig.Planned, Tolerance: tolerance, Due: b.Due}
	floor := money.Percent(fig.Planned, 100-tolerance)
	if fig.Forecast != nil && fig.Forecast.Cmp(floor) < 0 {
		f.Kind, f.Health, f.Got = ForecastBeyondTolerance, v1alpha1.HealthRed, fig.Forecast
		return f, true
	}
	if !PastDue(b.Due, today) {
		return Finding{}, false
	}
	realised := fig.Realised
	if realised == nil {
		realised = new(inf.Dec)
	}
	f.Got = realised
	switch {
	case realised.Sign() <= 0:
		f.Kind, f.Health = NothingRealised, v1alpha1.HealthRed
	case realised.Cmp(floor) < 0:
		f.Kind, f.Health = RealisedShort, v1alpha1.HealthAmber
	default:
		return Finding{}, false
	}
	return f, true
}

// PastDue reports whether today is after the due date (a benefit due today
// is not late yet); false without a (valid) due date.
func PastDue(due v1alpha1.Date, today time.Time) bool {
	t, err := due.Time()
	if due == "" || err != nil {
		return false
	}
	return today.UTC().Format(time.DateOnly) > t.Format(time.DateOnly)
}

// NextDue is when Assess may next change its verdict by the passing of time
// alone: the start of the day after the earliest due date not yet passed;
// zero when none is ahead.
func NextDue(bs []v1alpha1.Benefit, today time.Time) time.Time {
	var next time.Time
	for _, b := range bs {
		t, err := b.Due.Time()
		if b.Due == "" || err != nil || PastDue(b.Due, today) {
			continue
		}
		if at := t.AddDate(0, 0, 1); next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}
