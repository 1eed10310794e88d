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

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func q(s string) *resource.Quantity {
	v := resource.MustParse(s)
	return &v
}

// Format is exact: the figures of a sentence add up.
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

// Display rounds to three significant digits for reading.
func TestDisplay(t *testing.T) {
	cases := map[string]string{
		"0": "0", "950": "950", "999.4": "999", "999.5": "1k", "1000": "1k", "1450000": "1.45M", "1.2M": "1.2M",
		"4451102674.24": "4.45G", "4455000000": "4.46G", "1234567": "1.23M", "999999": "1M", "12.345": "12.3",
		"0.05": "0.05", "0.5": "0.5", "1.5T": "1.5T", "1234T": "1230T", "-1234567": "-1.23M", "-4455": "-4.46k",
	}
	for in, want := range cases {
		if got := Display(Of(q(in))); got != want {
			t.Errorf("Display(%s) = %s; want %s", in, got, want)
		}
	}
	if got := Display(nil); got != "-" {
		t.Errorf("Display(nil) = %s", got)
	}
}

// Exact is a plain decimal: no suffix, no exponent, no milli, whole amounts
// without decimals and others with two.
func TestExact(t *testing.T) {
	cases := map[string]string{
		"0": "0", "950": "950", "4.5G": "4500000000", "4500001.5k": "4500001500", "4123050433.4": "4123050433.40",
		"4123050433.400": "4123050433.40", "1.25": "1.25", "0.5": "0.50", "-250k": "-250000", "-0.5": "-0.50",
		"1m": "0.001", "123.4567": "123.4567", "999.99T": "999990000000000",
	}
	for in, want := range cases {
		if got := Exact(Of(q(in))); got != want {
			t.Errorf("Exact(%s) = %s; want %s", in, got, want)
		}
	}
	if got := Exact(nil); got != "" {
		t.Errorf("Exact(nil) = %q", got)
	}
}

// Whatever the operator writes for machines, input accepts as it is and
// reads back as the same amount: sums of accepted amounts, with and without
// cents and suffixes.
func TestExactIsAcceptedInput(t *testing.T) {
	amounts := []string{"0", "0.01", "0.1", "12.5k", "2.5M", "999.99", "1.25G", "750k", "3", "999T", "99.99T"}
	var sum *inf.Dec
	for i := range 200 {
		Accumulate(&sum, Of(q(amounts[(i*7)%len(amounts)])))
		if sum.Cmp(Of(&Bound)) >= 0 {
			break
		}
		text := Exact(sum)
		if err := Check("total", text); err != nil {
			t.Fatalf("Exact(%s) = %s, refused: %v", sum, text, err)
		}
		back, err := resource.ParseQuantity(text)
		if err != nil || Of(&back).Cmp(sum) != 0 {
			t.Fatalf("Exact(%s) = %s reads back as %s (%v)", sum, text, back.String(), err)
		}
	}
}

// A status amount for a total with cents is what input accepts, with no
// milli suffix, and reads back as exactly that total: what the API machinery
// writes for a quantity (4500001500m) is neither.
func TestStatusAmountIsInputAndRoundTrips(t *testing.T) {
	cents := []string{"0.01", "1500.50", "0.1", "999.99", "12.5k", "2.5M", "4500000000", "99.99T"}
	var sum *inf.Dec
	for i := range 300 {
		Accumulate(&sum, Of(q(cents[(i*5)%len(cents)])))
		if sum.Cmp(Of(&Bound)) >= 0 {
			break
		}
		a := Amount(sum)
		if strings.ContainsAny(string(a), "mkMGTe") || !amountPattern.MatchString(string(a)) {
			t.Fatalf("Amount(%s) = %q; want a plain decimal matching %s", sum, a, AmountPattern)
		}
		if err := Check("spec.plan.budget", string(a)); err != nil {
			t.Fatalf("Amount(%s) = %q, refused as input: %v", sum, a, err)
		}
		if back := Value(a); back == nil || back.Cmp(sum) != 0 {
			t.Fatalf("Value(Amount(%s)) = %v", sum, back)
		}
		if in, err := resource.ParseQuantity(string(a)); err != nil || Of(&in).Cmp(sum) != 0 {
			t.Fatalf("%q as input reads %s (%v); want %s", a, in.String(), err, sum)
		}
	}
	if a := Amount(Of(q("4500001.5k"))); a != "4500001500" {
		t.Errorf("Amount(4500001.5k) = %q", a)
	}
}

// A negative amount (an underrun) and zero are written and read back; an
// absent one is unset; what Amount never writes reads as absent.
func TestAmountSignsZeroAndAbsence(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want v1alpha1.Amount
	}{{"-250k", "-250000"}, {"-0.5", "-0.50"}, {"0", "0"}, {"0.00", "0"}, {"-1234.05", "-1234.05"}} {
		d := Of(q(tc.in))
		a := Amount(d)
		if a != tc.want {
			t.Errorf("Amount(%s) = %q; want %q", tc.in, a, tc.want)
		}
		if back := Value(a); back == nil || back.Cmp(d) != 0 {
			t.Errorf("Value(%q) = %v; want %s", a, back, d)
		}
	}
	if Amount(nil) != "" || Value("") != nil {
		t.Error("an absent amount must be unset both ways")
	}
	for _, bad := range []v1alpha1.Amount{"4500001500m", "1.5M", "1e3", "0.5", "1.234", " 1", "--1", "."} {
		if v := Value(bad); v != nil {
			t.Errorf("Value(%q) = %s; want nil (not a status amount)", bad, v)
		}
	}
}

func TestArithmeticIsExact(t *testing.T) {
	// 0.1 added ten times is exactly 1 (a float would not be).
	var sum *inf.Dec
	for range 10 {
		Accumulate(&sum, Of(q("0.1")))
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

// Amounts a finance person means, and nothing that only looks like one:
// the same verdicts as the CRD's rules (api/v1alpha1's tests send these to
// the API server).
func TestCheck(t *testing.T) {
	for _, ok := range []string{"0", "1500000", "2.5M", "750k", "999999999.99", "12.5k", "999T", "999.99T", "1.25M"} {
		if err := Check("budget", ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"1m":                       GrammarMessage,
		"10.001":                   GrammarMessage,
		"1.234M":                   GrammarMessage,
		"1Mi":                      GrammarMessage,
		"1e3":                      GrammarMessage,
		"1.5e6":                    GrammarMessage,
		"1e-400":                   GrammarMessage,
		"1,5M":                     GrammarMessage,
		" 1M":                      GrammarMessage,
		"":                         GrammarMessage,
		"1000000000000000000000.5": GrammarMessage,
		"-1":                       NonNegativeMessage,
		"-1m":                      NonNegativeMessage,
		"1000T":                    GrammarMessage,
		"1000000000000000":         GrammarMessage,
		"1E":                       GrammarMessage,
	} {
		err := Check("spec.plan.budget", in)
		if err == nil || err.Error() != "spec.plan.budget: "+want {
			t.Errorf("%q: %v; want %q", in, err, want)
		}
	}
}
