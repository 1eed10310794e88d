/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"time"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/evidence"
	"p3o.dev/p3o-operator/internal/report"
)

// evidenceView is an office's indicators of practice, as its
// status.evidence publishes them. The dashboard computes none of it.
type evidenceView struct {
	// Withheld says the indicators cover objects the viewer may not see:
	// the page then shows none of them.
	Withheld bool
	// Since is the day of the sealed period the trends compare with; ""
	// when none is held.
	Since string
	Rows  []evidenceRow
	// Statement and Notice say what the indicators are not, and whose
	// trade mark P3M3 is.
	Statement, Notice string
}

// evidenceRow is one indicator, written for people, or a perspective the
// data cannot evidence with why.
type evidenceRow struct {
	ID                     v1alpha1.EvidenceIndicatorID
	Perspective, Title     string
	NotEvidenced           bool
	Numerator, Denominator int32
	Share, Trend           string
}

// evidenceOf is an office's evidence as shown to the viewer; nil for any
// other kind and for an office that publishes none (reports off).
func (q *request) evidenceOf(r ref, f *figures) *evidenceView {
	o, ok := q.picture.Object(r).(*v1alpha1.Office)
	if !ok || len(o.Status.Evidence.Indicators) == 0 {
		return nil
	}
	v := &evidenceView{Statement: report.NotAnAssessment, Notice: report.TrademarkNotice}
	if f == nil {
		v.Withheld = true
		return v
	}
	if s := o.Status.Evidence.Since; s != nil {
		v.Since = periodDay(s.UTC().Format(time.RFC3339))
	}
	for _, i := range o.Status.Evidence.Indicators {
		row := evidenceRow{ID: i.Indicator, Perspective: evidence.PerspectiveName(i.Perspective), Title: evidence.Title(i.Indicator),
			Numerator: i.Numerator, Denominator: i.Denominator, Share: evidence.ShareWords(i), Trend: evidence.TrendWords(i.Trend)}
		if i.State == v1alpha1.EvidenceNotEvidenced {
			row.NotEvidenced, row.Title = true, evidence.NotEvidenced(i.Perspective)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}
