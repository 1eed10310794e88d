/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"fmt"
	"strings"
	"time"

	"p3o.dev/p3o-operator/internal/travel"
	"p3o.dev/p3o-operator/internal/words"
)

// travel writes the Direction of travel section: how the object moved,
// the counts by direction, each project's health then and now with the
// movement of its forecast, variance and Delivery Confidence, and the
// projects that left.
func (m *markdown) travel(r Report) {
	d, rows := r.DirectionOfTravel, r.Projects
	m.p("\n## Direction of travel\n\n")
	if d.Since == "" {
		m.p("No sealed snapshot of an earlier period is held: nothing to compare with yet.\n")
		return
	}
	m.p("Since the period of %s. Health %s then, %s now (%s)", text(periodText(d.Since)), text(orDash(string(d.HealthThen))), text(string(r.Health)), text(string(d.Direction)))
	if d.PeriodsRedOrAmber >= 2 {
		m.p("; Red or Amber for %d periods in a row", d.PeriodsRedOrAmber)
	}
	m.p(". Forecast %s then (%s); variance %s then (%s).\n\n", human(d.ForecastCostThen), change(d.ForecastCostChange),
		human(d.VarianceThen), change(d.VarianceChange))
	c := d.Counts
	m.p("| Improved | Declined | Unchanged | Joined | Left | Not comparable | Red or Amber two periods or more |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	m.p("| %d | %d | %d | %d | %d | %d | %d |\n\n", c.Improved, c.Declined, c.Unchanged, c.Joined, c.Left, c.NotComparable, c.PersistentlyRedOrAmber)
	markdownTable(m, "No project is reported now.\n",
		"| Project | Health then | Health now | Direction | Periods Red or Amber | Forecast change | Variance change | Delivery Confidence |\n|---|---|---|---|---:|---:|---:|---|\n",
		rows, markdownTravelRow)
	if len(d.Left) > 0 {
		m.p("\nReported then and no more (%s):\n\n| Project | Health then |\n|---|---|\n", words.Count(int(c.Left), "project", "projects"))
		for _, l := range d.Left {
			m.p("| %s | %s |\n", markdownName(l.Namespace, l.Name), text(orDash(string(l.HealthThen))))
		}
	}
}

// markdownTravelRow is a project's row of the direction of travel table.
func markdownTravelRow(row ProjectRow) string {
	return fmt.Sprintf("| %s | %s | %s | %s | %d | %s | %s | %s |\n", markdownName(row.Namespace, row.Name), text(orDash(string(row.HealthThen))),
		text(string(row.Health)), text(string(row.Direction)), row.PeriodsRedOrAmber, change(row.ForecastCostChange), change(row.VarianceChange),
		text(confidenceMove(row)))
}

// periodText names a period-start annotation as people read it: its day
// when it starts at midnight UTC, else its time too.
func periodText(start string) string {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return start
	}
	return PeriodName(t, NeedsTime(0, t))
}

// change writes a change of an amount for people: signed, rounded for
// reading; "–" when unknown.
func change(s string) string {
	if s == "" {
		return "–"
	}
	if strings.HasPrefix(s, "-") {
		return "−" + human(strings.TrimPrefix(s, "-"))
	}
	if s == "0" {
		return "±0"
	}
	return "+" + human(s)
}

// confidenceMove writes a project's Delivery Confidence then and now.
func confidenceMove(row ProjectRow) string {
	switch {
	case row.DeliveryConfidence == "" && row.DeliveryConfidenceThen == "":
		return "–"
	case row.DeliveryConfidenceDirection == "" || row.DeliveryConfidenceDirection == travel.Unchanged:
		return orDash(string(row.DeliveryConfidenceThen)) + " → " + orDash(string(row.DeliveryConfidence))
	}
	return fmt.Sprintf("%s → %s (%s)", row.DeliveryConfidenceThen, row.DeliveryConfidence, row.DeliveryConfidenceDirection)
}
