/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1_test

import (
	"testing"
	"time"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func TestDuration(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		in      v1alpha1.Duration
		want    time.Duration
		wantErr bool
	}{
		{"12h", 12 * time.Hour, false},
		{"14d", 14 * day, false},
		{"4w", 28 * day, false},
		{"9999w", 9999 * 7 * day, false},
		{"", 0, true},
		{"w", 0, true},
		{"0d", 0, true},
		{"3m", 0, true},
		{"-1d", 0, true},
	}
	for _, tc := range cases {
		got, err := tc.in.Duration()
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("Duration(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := v1alpha1.Date("2026-02-28").Time()
	if err != nil || !d.Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date.Time() = %v, %v", d, err)
	}
	if _, err := v1alpha1.Date("2026-02-30").Time(); err == nil {
		t.Error("Date(2026-02-30).Time() gave no error")
	}
}
