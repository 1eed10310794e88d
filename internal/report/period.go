/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import "time"

// weekStart aligns periods to Mondays 00:00 UTC.
var weekStart = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)

// Period returns the start of the snapshot period holding now, and the
// start of the next one.
func Period(now time.Time, interval time.Duration) (time.Time, time.Time) {
	n := now.Sub(weekStart) / interval
	start := weekStart.Add(n * interval)
	return start, start.Add(interval)
}

// PeriodSuffix names a period: its start date, with the hour when periods
// are shorter than a day.
func PeriodSuffix(start time.Time, interval time.Duration) string {
	if interval < 24*time.Hour {
		return start.UTC().Format("20060102t15")
	}
	return start.UTC().Format("20060102")
}

// PeriodName names a period as people read and type it: its start date
// (2026-11-23) when periods last a day or longer, else its start in RFC 3339
// UTC (2026-11-23T06:00:00Z), the form of the period-start annotation. All
// the periods of one list take the same form, so withTime is decided once
// for the list.
func PeriodName(start time.Time, withTime bool) string {
	if withTime {
		return start.UTC().Format(time.RFC3339)
	}
	return start.UTC().Format(time.DateOnly)
}

// NeedsTime says whether periods of this length, starting at these times,
// must be named with their time: when the interval is not a whole number of
// days, or one of the periods does not start at midnight UTC (the interval
// was another once). An interval of 0 means unknown.
func NeedsTime(interval time.Duration, starts ...time.Time) bool {
	if interval%(24*time.Hour) != 0 {
		return true
	}
	for _, t := range starts {
		if !t.IsZero() && !t.Equal(t.Truncate(24*time.Hour)) {
			return true
		}
	}
	return false
}
