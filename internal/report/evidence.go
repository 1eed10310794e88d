/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"fmt"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/evidence"
)

// TrademarkNotice is the notice every output that names P3M3 carries.
const TrademarkNotice = "P3M3® is a registered trade mark of AXELOS Limited, part of the PeopleCert group."

// NotAnAssessment says what the indicators are and are not.
const NotAnAssessment = "Evidence of practice drawn from the objects beneath the office, grouped by the P3M3 perspectives: " +
	"not a maturity level and not an assessment (P3M3 assessments are made by accredited assessors)."

// Evidence is an office's indicators of practice under the seven P3M3
// perspectives (internal/evidence defines each; docs/evidence.md).
type Evidence struct {
	// Since is the start of the sealed period the trends compare with
	// (RFC 3339, UTC); "" when none is held.
	Since string `json:"since"`
	// Indicators are in the order of the perspectives, a perspective the
	// data cannot evidence as one entry in state NotEvidenced.
	Indicators []EvidenceIndicator `json:"indicators"`
}

// EvidenceIndicator is one indicator of practice, or a perspective the
// data cannot evidence.
type EvidenceIndicator struct {
	Perspective v1alpha1.EvidencePerspective `json:"perspective"`
	// Indicator is "" when State is NotEvidenced.
	Indicator v1alpha1.EvidenceIndicatorID `json:"indicator"`
	// Title says in words what is counted, or why the perspective is not
	// evidenced.
	Title       string                 `json:"title"`
	State       v1alpha1.EvidenceState `json:"state"`
	Numerator   int32                  `json:"numerator"`
	Denominator int32                  `json:"denominator"`
	// Percent is the share as a whole percentage rounded half up; null
	// unless State is Measured.
	Percent *int32                 `json:"percent"`
	Trend   v1alpha1.EvidenceTrend `json:"trend"`
}

// addEvidence computes an office's indicators and writes them into the
// report.
func (r *Report) addEvidence(in Input) {
	e := evidence.Compute(evidence.Input{Projects: in.Projects, Programmes: in.Programmes, Currency: r.Currency,
		Previous: previousEvidence(in.Previous)})
	out := &Evidence{Since: e.Since, Indicators: make([]EvidenceIndicator, len(e.Indicators))}
	for i, ind := range e.Indicators {
		row := EvidenceIndicator{Perspective: ind.Perspective, Indicator: ind.Indicator, Title: evidence.Title(ind.Indicator),
			State: ind.State, Numerator: ind.Numerator, Denominator: ind.Denominator, Trend: ind.Trend}
		if ind.State == v1alpha1.EvidenceNotEvidenced {
			row.Title = evidence.NotEvidenced(ind.Perspective)
		}
		if p, ok := evidence.Percent(ind); ok {
			row.Percent = &p
		}
		out.Indicators[i] = row
	}
	r.Evidence = out
}

// previousEvidence is what the last sealed snapshot's report said, as the
// indicators read it; nil when none is held.
func previousEvidence(p *Previous) *evidence.Previous {
	if p == nil {
		return nil
	}
	out := &evidence.Previous{Start: p.Start, Currency: p.Report.Currency, Projects: make([]evidence.ProjectThen, len(p.Report.Projects))}
	for i, row := range p.Report.Projects {
		out.Projects[i] = evidence.ProjectThen{Namespace: row.Namespace, Name: row.Name, Phase: v1alpha1.ProjectPhase(row.Phase),
			Forecast: parseAmount(row.ForecastCost)}
	}
	if p.Report.Evidence != nil {
		for _, ind := range p.Report.Evidence.Indicators {
			out.Indicators = append(out.Indicators, ind.status())
		}
	}
	return out
}

// status is the indicator as status.evidence holds it.
func (i EvidenceIndicator) status() v1alpha1.EvidenceIndicator {
	return v1alpha1.EvidenceIndicator{Perspective: i.Perspective, Indicator: i.Indicator, State: i.State,
		Numerator: i.Numerator, Denominator: i.Denominator, Trend: i.Trend}
}

// Status is the evidence as an Office's status.evidence shows it; empty
// for a report without evidence (not an office's).
func (e *Evidence) Status() v1alpha1.Evidence {
	if e == nil {
		return v1alpha1.Evidence{}
	}
	out := v1alpha1.Evidence{Indicators: make([]v1alpha1.EvidenceIndicator, len(e.Indicators))}
	for i, ind := range e.Indicators {
		out.Indicators[i] = ind.status()
	}
	if since, err := parseTime(e.Since); err == nil {
		out.Since = &since
	}
	return out
}

// evidence writes the Evidence of practice section: a row per indicator
// with its counts, share and trend in words, a row per perspective the
// data cannot evidence with why, what the indicators are not, and the
// trade mark notice.
func (m *markdown) evidence(e *Evidence) {
	if e == nil {
		return
	}
	m.p("\n## Evidence of practice (P3M3-aligned indicators)\n\n%s", text(NotAnAssessment))
	if e.Since != "" {
		m.p(" Trends compare with the period of %s.", text(periodText(e.Since)))
	} else {
		m.p(" No sealed snapshot of an earlier period is held: no trend yet.")
	}
	m.p("\n\n| Perspective | Indicator | Showing the practice | In scope | Share | Trend |\n|---|---|---:|---:|---:|---|\n")
	for _, i := range e.Indicators {
		m.p("%s", markdownEvidenceRow(i))
	}
	m.p("\n%s\n", text(TrademarkNotice))
}

// markdownEvidenceRow is one indicator's row: its counts, share and trend
// in words, or for a perspective not evidenced, why.
func markdownEvidenceRow(i EvidenceIndicator) string {
	perspective := text(evidence.PerspectiveName(i.Perspective))
	if i.State == v1alpha1.EvidenceNotEvidenced {
		return fmt.Sprintf("| %s | %s | – | – | – | – |\n", perspective, text(i.Title))
	}
	s := i.status()
	return fmt.Sprintf("| %s | %s | %d | %d | %s | %s |\n", perspective, text(i.Title), i.Numerator, i.Denominator,
		text(evidence.ShareWords(s)), text(evidence.TrendWords(i.Trend)))
}
