/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"testing"
	"time"
)

func TestPeriodsAlignToMondays(t *testing.T) {
	start, next := Period(time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC), 7*24*time.Hour)
	if start != time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) || next != time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) {
		t.Errorf("week of 2026-11-26: %v – %v", start, next)
	}
	start, _ = Period(time.Date(2026, 11, 26, 15, 30, 0, 0, time.UTC), 6*time.Hour)
	if start != time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) {
		t.Errorf("6h period: %v", start)
	}
}

func TestPeriodSuffixNamesTheStart(t *testing.T) {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if got := PeriodSuffix(start, 7*24*time.Hour); got != "20261123" {
		t.Errorf("weekly suffix %q", got)
	}
	if got := PeriodSuffix(start.Add(6*time.Hour), 6*time.Hour); got != "20261123t06" {
		t.Errorf("6-hourly suffix %q", got)
	}
}

// One list of periods takes one form: dates for whole days, start times
// for every period as soon as one needs its time.
func TestPeriodNamesTakeOneForm(t *testing.T) {
	midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	six := midnight.Add(6 * time.Hour)
	for _, tc := range []struct {
		interval time.Duration
		starts   []time.Time
		want     bool
	}{
		{7 * 24 * time.Hour, []time.Time{midnight, midnight.Add(-7 * 24 * time.Hour)}, false},
		{24 * time.Hour, []time.Time{midnight}, false},
		{0, []time.Time{midnight}, false},
		{12 * time.Hour, []time.Time{midnight}, true}, // the noon one is still to come
		{36 * time.Hour, []time.Time{midnight}, true},
		{0, []time.Time{six, midnight}, true},
		{7 * 24 * time.Hour, []time.Time{midnight, six}, true}, // the interval was 6h once
	} {
		if got := NeedsTime(tc.interval, tc.starts...); got != tc.want {
			t.Errorf("NeedsTime(%v, %v) = %v, want %v", tc.interval, tc.starts, got, tc.want)
		}
	}
	if got := PeriodName(midnight, false); got != "2026-11-23" {
		t.Errorf("a week: %s", got)
	}
	if got := PeriodName(midnight, true); got != "2026-11-23T00:00:00Z" {
		t.Errorf("midnight among 6h periods: %s", got)
	}
	if got := PeriodName(six.In(time.FixedZone("CET", 3600)), true); got != "2026-11-23T06:00:00Z" {
		t.Errorf("a period named in another zone: %s", got)
	}
}
