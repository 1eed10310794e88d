/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package benefits reads benefits as MSP manages them: each measured in a
// unit, from a baseline towards a target by a due date, with a forecast and
// the amount realised so far. It defines the figures every output shows
// (the improvement planned, forecast and realised), the rule by which a
// benefit lowers health, the benefits tolerance, the check of a project's
// contributions to its programme's benefits, and the summary a rollup
// carries (money by due year; other units listed, never summed). It is
// pure: callers pass the benefits and the date.
package benefits

import (
	"strings"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// Figures are a benefit's improvements: how far its measure moves from the
// baseline in the direction of the target. A target below the baseline is a
// reduction (days a process takes), and its improvements count downwards,
// so that an improvement is positive whichever way the measure moves.
type Figures struct {
	// Planned is the target's distance from the baseline; nil when no
	// target is stated.
	Planned *inf.Dec
	// Forecast is the forecast level's improvement; nil when no forecast is
	// stated.
	Forecast *inf.Dec
	// Realised is the realised level's improvement; nil when nothing is
	// reported realised.
	Realised *inf.Dec
}

// Of is the figures of a benefit. The baseline defaults to zero; target is
// spec.target, else its former name spec.planned.
func Of(b v1alpha1.Benefit) Figures {
	baseline := money.Of(b.Baseline)
	if baseline == nil {
		baseline = new(inf.Dec)
	}
	target := money.Of(b.TargetLevel())
	down := target != nil && target.Cmp(baseline) < 0
	improvement := func(level *inf.Dec) *inf.Dec {
		if level == nil {
			return nil
		}
		d := new(inf.Dec).Sub(level, baseline)
		if down {
			d.Neg(d)
		}
		return d
	}
	return Figures{
		Planned:  improvement(target),
		Forecast: improvement(money.Of(b.Forecast)),
		Realised: improvement(money.Of(b.Realised)),
	}
}

// ForecastOrPlanned is the improvement now expected: the forecast, else the
// planned improvement (a benefit not forecast is expected as planned).
func (f Figures) ForecastOrPlanned() *inf.Dec {
	if f.Forecast != nil {
		return f.Forecast
	}
	return f.Planned
}

// Counted reports whether a benefit's figures are the benefit's own: false
// for a project's contribution to a programme's benefit (programmeBenefit),
// whose figures the programme's benefit holds, so that no total counts a
// benefit twice.
func Counted(b v1alpha1.Benefit) bool { return b.ProgrammeBenefit == "" }

// Level writes a level or improvement of a measure for machines and people
// alike: a plain decimal with no exponent and no trailing zeros after the
// point ("1200", "12.5", "-3"); "" for nil.
func Level(d *inf.Dec) string {
	if d == nil {
		return ""
	}
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
