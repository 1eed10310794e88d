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
	"strings"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"
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

// AccumulateQuantity adds q to *total in place; a nil q is absent. q is
// not modified.
func AccumulateQuantity(total **inf.Dec, q *resource.Quantity) {
	if q != nil {
		Accumulate(total, Of(q))
	}
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

// Quantity turns an amount into a quantity for status, or nil.
func Quantity(d *inf.Dec) *resource.Quantity {
	if d == nil {
		return nil
	}
	return resource.NewDecimalQuantity(*d, resource.DecimalSI)
}

// Format writes an amount for people, exactly, with the SI suffixes
// quantities use: 950, 130k, 1.45M, 8.435M, 2.5G, 1.2T. It never rounds, so
// that figures shown side by side add up (8.435M − 8M is 435k).
func Format(d *inf.Dec) string {
	if d == nil {
		return "-"
	}
	sign := ""
	v := new(inf.Dec).Set(d)
	if v.Sign() < 0 {
		sign = "-"
		v.Neg(v)
	}
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
	return sign + exact + suffix
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

// Check says what is wrong with an amount a person wrote: negative, beyond
// Bound, more than two decimals (so "1m", a thousandth, is refused), or
// written with an exponent or a binary suffix ("1e3", "1Mi"). field names
// it in the message. The CRD refuses the same for amounts outside lists,
// where the API server can bound the cost of the check.
func Check(field string, q *resource.Quantity) error {
	if q == nil {
		return nil
	}
	d := q.AsDec()
	switch {
	case q.Format == resource.BinarySI || q.Format == resource.DecimalExponent:
		return fmt.Errorf("%s must be an amount such as 1500000, 2.5M or 750k: %s uses an exponent or a binary suffix", field, q.String())
	case d.Sign() < 0:
		return fmt.Errorf("%s must not be negative", field)
	case d.Scale() > 2:
		return fmt.Errorf("%s must be an amount such as 1500000, 2.5M or 750k, with at most two decimals (1m would mean a thousandth: write 1M for a million)", field)
	case q.Cmp(Bound) >= 0:
		return fmt.Errorf("%s must be below 1000T", field)
	}
	return nil
}
