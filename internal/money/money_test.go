/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package money

import (
	"strings"
	"testing"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"
)

func q(s string) *resource.Quantity {
	v := resource.MustParse(s)
	return &v
}

func TestFormat(t *testing.T) {
	cases := map[string]string{
		"0": "0", "950": "950", "999.5": "999.5", "1000": "1k", "130k": "130k", "1450000": "1.45M",
		"1.2M": "1.2M", "2.5G": "2.5G", "1234567": "1.234567M", "1235000": "1.235M", "8435000": "8.435M", "1234567.89": "1.23456789M", "1.5T": "1.5T", "-130k": "-130k", "0.5": "0.5",
	}
	for in, want := range cases {
		if got := Format(Of(q(in))); got != want {
			t.Errorf("Format(%s) = %s; want %s", in, got, want)
		}
	}
	if got := Format(nil); got != "-" {
		t.Errorf("Format(nil) = %s", got)
	}
}

func TestArithmeticIsExact(t *testing.T) {
	// 0.1 added ten times is exactly 1 (a float would not be).
	var sum *inf.Dec
	for range 10 {
		AccumulateQuantity(&sum, q("0.1"))
	}
	if sum.Cmp(Of(q("1"))) != 0 {
		t.Errorf("ten times 0.1 = %s", sum)
	}
	if got := Percent(Of(q("1.2M")), 10); got.Cmp(Of(q("120k"))) != 0 {
		t.Errorf("10%% of 1.2M = %s", got)
	}
	if got := Sub(Of(q("1.45M")), Of(q("1.2M"))); got.Cmp(Of(q("250k"))) != 0 {
		t.Errorf("1.45M - 1.2M = %s", got)
	}
	var none *inf.Dec
	Accumulate(&none, nil)
	if none != nil || Sub(nil, Of(q("1"))) != nil {
		t.Error("nil handling")
	}
	if got := Quantity(Of(q("1.45M"))); got.Cmp(*q("1450k")) != 0 {
		t.Errorf("Quantity = %s", got)
	}
}

func TestRatio(t *testing.T) {
	cases := []struct {
		a, b string
		want int64
	}{
		{"100k", "120k", 83}, {"120k", "120k", 100}, {"0", "5", 0}, {"1", "0", -1}, {"0.5", "2", 25}, {"3", "0.5", 600},
	}
	for _, tc := range cases {
		if got := Ratio(Of(q(tc.a)), Of(q(tc.b))); got != tc.want {
			t.Errorf("Ratio(%s, %s) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// Amounts a finance person means, and nothing that only looks like one.
func TestCheck(t *testing.T) {
	for _, ok := range []string{"0", "1500000", "2.5M", "750k", "999999999.99", "12.5k", "999T"} {
		q := resource.MustParse(ok)
		if err := Check("budget", &q); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"1m":     "at most two decimals (1m would mean a thousandth: write 1M for a million)",
		"10.001": "at most two decimals",
		"1Mi":    "uses an exponent or a binary suffix",
		"1e3":    "uses an exponent or a binary suffix",
		"1e-400": "uses an exponent or a binary suffix",
		"-1":     "must not be negative",
		"1000T":  "must be below 1000T",
		"1E":     "must be below 1000T",
	} {
		q := resource.MustParse(in)
		if err := Check("budget", &q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", in, err, want)
		}
	}
	if Check("budget", nil) != nil {
		t.Error("an absent amount is refused")
	}
}
