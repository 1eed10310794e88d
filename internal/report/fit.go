/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"

	"p3o.dev/p3o-operator/internal/shorten"
)

// shortenCells shortens every long free-text cell (a project's reason, an
// exception's reasons, a gate's message, a risk's description) to
// cellRunes characters ending in shortenedMark, and names the shortened
// fields in the item's Shortened list. Lists are copied, never changed in
// place: the full report is shared by every level.
func shortenCells(r Report) Report {
	count := 0
	shorten := func(s *string) bool {
		short, cut := shortenCell(*s, cellRunes)
		if cut {
			*s = short
			count++
		}
		return cut
	}
	r.Projects = mapItems(r.Projects, func(p *ProjectRow) {
		if shorten(&p.Reason) {
			p.Shortened = []string{"reason"}
		}
	})
	r.Red = mapItems(r.Red, func(e *RedItem) {
		before := count
		e.Reasons = mapItems(e.Reasons, func(s *string) { shorten(s) })
		if count > before {
			e.Shortened = []string{"reasons"}
		}
	})
	r.Gates = mapItems(r.Gates, func(g *GateItem) {
		if shorten(&g.Message) {
			g.Shortened = []string{"message"}
		}
	})
	r.ToleranceExceptions = mapItems(r.ToleranceExceptions, func(e *ToleranceExceptionItem) {
		if shorten(&e.Message) {
			e.Shortened = []string{"message"}
		}
	})
	risk := func(k *RiskItem) {
		if shorten(&k.Description) {
			k.Shortened = []string{"description"}
		}
	}
	r.TopRisks = mapItems(r.TopRisks, risk)
	r.TopOpportunities = mapItems(r.TopOpportunities, risk)
	if count > 0 {
		r.Truncated = true
		r.Notes = append(r.Notes, fmt.Sprintf("shortened: %d long text cells cut to %d characters, each ending in %s", count, cellRunes, shortenedMark))
	}
	return r
}

// mapItems returns a copy of items with change applied to each.
func mapItems[T any](items []T, change func(*T)) []T {
	out := make([]T, len(items))
	copy(out, items)
	for i := range out {
		change(&out[i])
	}
	return out
}

// shortenCell cuts s to at most max characters, the last being
// shortenedMark, and says whether it did (shorten.Cut).
func shortenCell(s string, max int) (string, bool) {
	return shorten.Cut(s, max)
}

// fitRows keeps as many project rows (worst health first) as fit within
// MaxBytes. It estimates the count from what each row adds to the three
// keys and confirms it by rendering; the rendering decides.
func fitRows(r Report) Report {
	n := rowsThatFit(r.Projects, cutRows(r, 0), cutRows(r, 1))
	if !fits(cutRows(r, n)) {
		return cutRows(r, largestFitting(0, n-1, r))
	}
	if n < len(r.Projects) && fits(cutRows(r, n+1)) {
		return cutRows(r, largestFitting(n+1, len(r.Projects)-1, r))
	}
	return cutRows(r, n)
}

// allRowsFit says whether r fits with every project row, from what each
// row adds, without rendering them all.
func allRowsFit(r Report) bool {
	none, one := r, r
	none.Projects = []ProjectRow{}
	one.Projects = r.Projects[:min(1, len(r.Projects))]
	return rowsThatFit(r.Projects, none, one) == len(r.Projects)
}

// largestFitting searches [lo, hi] for the largest row count that fits,
// assuming that counts that fit form a prefix (every row adds bytes); lo
// when none does.
func largestFitting(lo, hi int, r Report) int {
	tooMany := sort.Search(hi-lo+1, func(i int) bool { return !fits(cutRows(r, lo+i+1)) })
	return lo + tooMany
}

// rowsThatFit is how many of rows fit, estimated from the report with none
// of them, what the first adds beyond its own bytes (the Markdown table's
// head) and each row's bytes. Rows are measured only until the budget is
// spent. The estimate is exact but for the digits of a note's count.
func rowsThatFit(rows []ProjectRow, none, one Report) int {
	if len(rows) == 0 {
		return 0
	}
	base := size(renderStep(none).Data)
	if base > MaxBytes {
		return 0
	}
	travelled := none.DirectionOfTravel.Since != ""
	used := size(renderStep(one).Data) - rowBytes(rows[0], travelled) // base and the heads
	for i, row := range rows {
		if used += rowBytes(row, travelled); used > MaxBytes {
			return i
		}
	}
	return len(rows)
}

// rowBytes is what one project row adds to report.json, report.md and
// projects.csv, rendered as renderJSON, renderMarkdown and renderCSV do;
// travelled says the Markdown has a direction of travel table, with a
// row per project too.
func rowBytes(row ProjectRow, travelled bool) int {
	js, err := json.MarshalIndent(row, "    ", "  ")
	if err != nil {
		panic(fmt.Sprintf("rendering a project row: %v", err))
	}
	var c bytes.Buffer
	w := csv.NewWriter(&c)
	_ = w.Write(csvRecord(row))
	w.Flush()
	n := len(js) + len(",\n    ") + len(markdownProjectRow(row)) + c.Len()
	if travelled {
		n += len(markdownTravelRow(row))
	}
	return n
}
