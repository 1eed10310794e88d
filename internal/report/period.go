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
