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
