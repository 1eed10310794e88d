/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import "p3o.dev/p3o-operator/api/v1alpha1"

// yearsView is a portfolio's committed money against its capacity in each
// financial year, as its status.committedByYear publishes them. The
// dashboard computes none of it.
type yearsView struct {
	// Withheld says the figures cover children the viewer may not see:
	// the page then shows none of them.
	Withheld bool
	Rows     []yearRow
}

// yearRow is one financial year, written for people.
type yearRow struct {
	Year                int32
	Capacity, Committed string
	OverCommitted       *bool
}

// Verdict is the year's over-commitment in words, as the report and the
// plugin write it.
func (y yearRow) Verdict() string { return v1alpha1.OverCommittedWords(y.OverCommitted) }

// VerdictClass is the CSS class of the verdict.
func (y yearRow) VerdictClass() string {
	switch {
	case y.OverCommitted == nil:
		return "weight-none"
	case *y.OverCommitted:
		return "weight-over"
	}
	return "weight-balanced"
}

// years is a portfolio's capacity by financial year as shown to the
// viewer; nil for any other kind and for a portfolio that publishes no
// year.
func (q *request) years(r ref, f *figures) *yearsView {
	pf, ok := q.picture.Object(r).(*v1alpha1.Portfolio)
	if !ok || len(pf.Status.CommittedByYear) == 0 {
		return nil
	}
	if f == nil {
		return &yearsView{Withheld: true}
	}
	v := &yearsView{}
	for _, y := range pf.Status.CommittedByYear {
		v.Rows = append(v.Rows, yearRow{Year: y.Year, Capacity: y.Display.Capacity, Committed: y.Display.Committed, OverCommitted: y.OverCommitted})
	}
	return v
}
