/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package evidence defines an office's indicators of practice, grouped by
// the seven perspectives of P3M3®: each a share of what is in scope beneath
// the office that shows a practice (gates met, progress reported within the
// cadence, threats owned with a response, forecasts kept), with its trend
// since the last sealed period. Evidence of practice, never a maturity
// level or an assessment: P3M3 assessments are made by accredited
// assessors. A perspective the resources cannot evidence says so rather
// than showing a number. docs/evidence.md gives every definition; this
// package is the one place it is computed, and status, report.json,
// report.md, the metrics and the dashboard show what it returns. Pure.
package evidence

import (
	"strconv"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Input is what the indicators are computed from: everything beneath the
// office, as the report builder has it, and what the last sealed period's
// report said.
type Input struct {
	Projects   []*v1alpha1.Project
	Programmes []*v1alpha1.Programme
	// Currency is the office's currency now.
	Currency string
	// Previous is the last sealed period; nil when none is held.
	Previous *Previous
}

// Previous is what the last sealed period's report said.
type Previous struct {
	// Start is the period's start (RFC 3339, UTC).
	Start    string
	Currency string
	// Indicators are that report's indicators (nil when it had none).
	Indicators []v1alpha1.EvidenceIndicator
	// Projects are that report's project rows.
	Projects []ProjectThen
}

// ProjectThen is a project as the sealed period's report listed it.
type ProjectThen struct {
	Namespace, Name string
	Phase           v1alpha1.ProjectPhase
	// Forecast is the forecast cost at completion the report held (the
	// budget when none was reported); nil when unknown.
	Forecast *inf.Dec
}

// Evidence is an office's indicators of practice.
type Evidence struct {
	// Since is the compared period's start; "" when none is held.
	Since string
	// Indicators are in the order of Perspectives, each perspective's in
	// the order of its definitions; a perspective with none has one entry
	// in state NotEvidenced.
	Indicators []v1alpha1.EvidenceIndicator
}

// Compute is the office's indicators of practice.
func Compute(in Input) Evidence {
	e := Evidence{Indicators: make([]v1alpha1.EvidenceIndicator, 0, len(definitions)+2)}
	if in.Previous != nil {
		e.Since = in.Previous.Start
	}
	for _, p := range Perspectives {
		defs := definitionsOf(p)
		if len(defs) == 0 {
			e.Indicators = append(e.Indicators, v1alpha1.EvidenceIndicator{Perspective: p, State: v1alpha1.EvidenceNotEvidenced})
			continue
		}
		for _, d := range defs {
			num, den := d.count(in)
			i := v1alpha1.EvidenceIndicator{Perspective: p, Indicator: d.id, Numerator: num, Denominator: den,
				State: v1alpha1.EvidenceNothingToMeasure}
			if den > 0 {
				i.State = v1alpha1.EvidenceMeasured
			}
			i.Trend = Trend(then(in.Previous, d.id), i)
			e.Indicators = append(e.Indicators, i)
		}
	}
	return e
}

// then is the indicator as the previous period measured it; nil when there
// is none.
func then(p *Previous, id v1alpha1.EvidenceIndicatorID) *v1alpha1.EvidenceIndicator {
	if p == nil {
		return nil
	}
	for i := range p.Indicators {
		if p.Indicators[i].Indicator == id {
			return &p.Indicators[i]
		}
	}
	return nil
}

// Trend is how an indicator's share moved from then to now, compared
// exactly (never through rounded percentages): NotComparable when there is
// no then, or either was not measured.
func Trend(then *v1alpha1.EvidenceIndicator, now v1alpha1.EvidenceIndicator) v1alpha1.EvidenceTrend {
	if then == nil || then.State != v1alpha1.EvidenceMeasured || now.State != v1alpha1.EvidenceMeasured ||
		then.Denominator <= 0 || now.Denominator <= 0 {
		return v1alpha1.EvidenceNotComparable
	}
	a := int64(now.Numerator) * int64(then.Denominator)
	b := int64(then.Numerator) * int64(now.Denominator)
	switch {
	case a > b:
		return v1alpha1.EvidenceImproved
	case a < b:
		return v1alpha1.EvidenceDeclined
	}
	return v1alpha1.EvidenceUnchanged
}

// Percent is an indicator's share as a whole percentage, rounded half up;
// false when it has no share (nothing in scope, or not evidenced).
func Percent(i v1alpha1.EvidenceIndicator) (int32, bool) {
	if i.State != v1alpha1.EvidenceMeasured || i.Denominator <= 0 {
		return 0, false
	}
	n, d := int64(i.Numerator), int64(i.Denominator)
	return int32((200*n + d) / (2 * d)), true
}

// Share is an indicator's share from 0 to 1, for metrics; false when it
// has none.
func Share(i v1alpha1.EvidenceIndicator) (float64, bool) {
	if i.State != v1alpha1.EvidenceMeasured || i.Denominator <= 0 {
		return 0, false
	}
	return float64(i.Numerator) / float64(i.Denominator), true
}

// TrendWords says a trend as people read it; "Not comparable" for
// NotComparable and for none.
func TrendWords(t v1alpha1.EvidenceTrend) string {
	switch t {
	case v1alpha1.EvidenceImproved:
		return "Improved"
	case v1alpha1.EvidenceDeclined:
		return "Declined"
	case v1alpha1.EvidenceUnchanged:
		return "Unchanged"
	}
	return "Not comparable"
}

// ShareWords is an indicator's share as people read it: "75%", or
// "nothing in scope", or "–" for a perspective not evidenced.
func ShareWords(i v1alpha1.EvidenceIndicator) string {
	if p, ok := Percent(i); ok {
		return strconv.Itoa(int(p)) + "%"
	}
	if i.State == v1alpha1.EvidenceNothingToMeasure {
		return "nothing in scope"
	}
	return "–"
}
