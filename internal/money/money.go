/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package money does exact arithmetic on amounts written as Kubernetes
// quantities ("250000", "850k", "1.2M") and formats them for people.
package money

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Of returns the exact value of q, or nil when q is nil. It never modifies
// q (Quantity.AsDec does), so it is safe on objects shared through a cache.
func Of(q *resource.Quantity) *inf.Dec {
	if q == nil {
		return nil
	}
	c := q.DeepCopy()
	return c.AsDec()
}

// Accumulate adds v to *total in place, allocating only for the first
// amount; a nil v is absent.
func Accumulate(total **inf.Dec, v *inf.Dec) {
	if v == nil {
		return
	}
	if *total == nil {
		*total = new(inf.Dec).Set(v)
		return
	}
	(*total).Add(*total, v)
}

// Sub returns a - b; nil when either is nil.
func Sub(a, b *inf.Dec) *inf.Dec {
	if a == nil || b == nil {
		return nil
	}
	return new(inf.Dec).Sub(a, b)
}

// Percent returns a × p / 100.
func Percent(a *inf.Dec, p int32) *inf.Dec {
	return new(inf.Dec).Mul(a, inf.NewDec(int64(p), 2))
}

// Exact writes an amount for machines (report.json, CSV, status): a plain
// decimal with no suffix and no exponent, whole amounts without decimals and
// others with two (the minor unit of every currency the grammar accepts):
// "4500001500", "4123050433.40", "-250000". An amount with more than two
// decimals (never one the schema accepts or a sum of those) keeps them all,
// so Exact never rounds. Every result of a non-negative amount below Bound
// is accepted by Check; "" only for nil.
func Exact(d *inf.Dec) string {
	if d == nil {
		return ""
	}
	s := d.String() // a negative scale is written with zeros: 15000, not 15e3
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 < 2 {
		s += strings.Repeat("0", 2-(len(s)-i-1))
	}
	return s
}

// Display writes an amount for people, rounded to three significant digits
// (half away from zero) with the SI suffixes quantities use: 950, 130k,
// 1.45M, 4.45G, 1.2T. It is for reading (status.display, report.md, the
// plugin's tables), never for arithmetic: use Exact for that.
func Display(d *inf.Dec) string {
	if d == nil {
		return "-"
	}
	v := new(inf.Dec).Set(d)
	sign := ""
	if v.Sign() < 0 {
		sign = "-"
		v.Neg(v)
	}
	v.Round(v, inf.Scale(3-intDigits(v)), inf.RoundHalfUp)
	return sign + withSuffix(v)
}

// intDigits is the number of digits of v (v ≥ 0) before the decimal point,
// or minus the number of zeros after it for v < 1 (0.05 has -1), so that
// rounding v to scale 3 - intDigits(v) keeps three significant digits.
func intDigits(v *inf.Dec) int {
	if v.Sign() == 0 {
		return 1
	}
	unscaled := v.UnscaledBig().String()
	return len(unscaled) - int(v.Scale())
}

// Format writes an amount exactly with the SI suffixes quantities use (950,
// 130k, 1.45M, 8.435M): for sentences that compare figures (health
// reasons), so that figures shown side by side add up (8.435M − 8M is
// 435k). Tables and summaries use Display; machines use Exact.
func Format(d *inf.Dec) string {
	if d == nil {
		return "-"
	}
	v := new(inf.Dec).Set(d)
	sign := ""
	if v.Sign() < 0 {
		sign = "-"
		v.Neg(v)
	}
	return sign + withSuffix(v)
}

// withSuffix writes v (v ≥ 0) with the largest of k, M, G, T that keeps it
// at one or more, and no trailing zeros after the point.
func withSuffix(v *inf.Dec) string {
	suffix := ""
	for _, s := range []struct {
		suffix string
		exp    inf.Scale
	}{{"T", 12}, {"G", 9}, {"M", 6}, {"k", 3}} {
		if v.Cmp(inf.NewDec(1, -s.exp)) >= 0 {
			v.SetScale(v.Scale() + s.exp)
			suffix = s.suffix
			break
		}
	}
	exact := v.String()
	if strings.Contains(exact, ".") {
		exact = strings.TrimRight(strings.TrimRight(exact, "0"), ".")
	}
	return exact + suffix
}

// Amount writes an amount for status: Exact's text as the API's Amount
// type, "" (unset) for nil. Every status amount is written by Amount and
// read back by Value.
func Amount(d *inf.Dec) v1alpha1.Amount {
	return v1alpha1.Amount(Exact(d))
}

// Value reads back an amount that Amount wrote: its exact value, or nil when
// a is unset or is not an amount as AmountPattern writes it (the schema
// refuses such a status, so only an object built in Go can carry one).
func Value(a v1alpha1.Amount) *inf.Dec {
	if a == "" || len(a) > AmountMaxLength || !amountPattern.MatchString(string(a)) {
		return nil
	}
	d, ok := new(inf.Dec).SetString(string(a))
	if !ok {
		return nil
	}
	return d
}

// Ratio returns a / b as a percentage rounded down, or -1 when b is zero.
func Ratio(a, b *inf.Dec) int64 {
	if b.Sign() == 0 {
		return -1
	}
	num := new(big.Int).Mul(a.UnscaledBig(), big.NewInt(100))
	den := new(big.Int).Set(b.UnscaledBig())
	// Bring both to the same scale: a = ua × 10^-sa, b = ub × 10^-sb.
	if diff := int64(a.Scale()) - int64(b.Scale()); diff > 0 {
		den.Mul(den, new(big.Int).Exp(big.NewInt(10), big.NewInt(diff), nil))
	} else if diff < 0 {
		num.Mul(num, new(big.Int).Exp(big.NewInt(10), big.NewInt(-diff), nil))
	}
	return new(big.Int).Quo(num, den).Int64()
}

// Bound is the largest amount the operator accepts (exclusive): every sum of
// amounts and every metric stays exact or well within a float's range.
var Bound = resource.MustParse("1000T")

// The grammar of amounts, as the money fields of the CRDs enforce it with two
// CEL rules (the same rules and messages on every field; a test over the
// generated CRDs keeps them equal to these), and as Check repeats it in Go.
// An unquoted integer reaches the rules as an int; everything else as the
// string the user wrote. Amounts in lists (benefits, tranches) carry only
// NonNegativeRule: the API server estimates the cost of GrammarRule on an
// int-or-string from the largest request (it ignores maxLength there), which
// in a list of 24 items is 8.3 times its per-rule limit; the webhook checks
// those amounts with Check.
const (
	// Pattern is what a written amount looks like: digits, at most two
	// decimals, an optional k, M, G or T.
	Pattern = `^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$`
	// MaxLength bounds a written amount in Check (the longest amount below
	// Bound, 999999999999999.99, has 18 characters).
	MaxLength = 24
	// NonNegativeRule refuses negative amounts.
	NonNegativeRule = `type(self) == int ? self >= 0 : !self.startsWith('-')`
	// NonNegativeMessage is the message of NonNegativeRule.
	NonNegativeMessage = "must not be negative"
	// GrammarRule refuses what is not an amount as Pattern writes it, and
	// amounts from Bound on.
	GrammarRule = `type(self) == int ? self < 1000000000000000 : self.matches('` + Pattern + `') && quantity(self).compareTo(quantity('1000T')) < 0`
	// GrammarMessage is the message of GrammarRule.
	GrammarMessage = "must be an amount such as 1500000, 2.5M or 750k: digits, at most two decimals, an optional k, M, G or T, and below 1000T (1m would mean a thousandth: write 1M for a million; no exponents, no binary suffixes such as Mi; quote amounts with decimals)"
)

// The form of a status amount (v1alpha1.Amount), as its schema enforces it
// (a test over the generated CRDs keeps the two equal): what Exact writes for
// a sum or a difference of amounts the grammar accepts.
const (
	// AmountPattern is a plain decimal, negative for an underrun, with no
	// decimals or two.
	AmountPattern = `^-?[0-9]+([.][0-9]{2})?$`
	// AmountMaxLength bounds a status amount: room for sums of many amounts
	// each below Bound.
	AmountMaxLength = 40
)

var (
	pattern       = regexp.MustCompile(Pattern)
	amountPattern = regexp.MustCompile(AmountPattern)
)

// Check says, as the CRD's rules say it, what is wrong with an amount as a
// person wrote it (an unquoted integer as its digits): field names it in
// the error. The API server refuses the same before the operator sees an
// object; Check is the rules' twin for tests and for text that does not
// pass through the API server.
func Check(field, written string) error {
	switch {
	case strings.HasPrefix(written, "-"):
		return fmt.Errorf("%s: %s", field, NonNegativeMessage)
	case len(written) > MaxLength || !pattern.MatchString(written):
		return fmt.Errorf("%s: %s", field, GrammarMessage)
	}
	q, err := resource.ParseQuantity(written)
	if err != nil || q.Cmp(Bound) >= 0 {
		return fmt.Errorf("%s: %s", field, GrammarMessage)
	}
	return nil
}
