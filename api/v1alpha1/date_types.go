/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date, formatted YYYY-MM-DD, from 1900-01-01 on (an
// earlier date, such as 0000-01-01, is a slip, never a plan). Dates compare
// in order as strings.
// +kubebuilder:validation:Format=date
// +kubebuilder:validation:XValidation:rule="self >= timestamp('1900-01-01T00:00:00Z')",message="must be a date from 1900-01-01 on"
// +kubebuilder:validation:MinLength=10
// +kubebuilder:validation:MaxLength=10
type Date string

// Time parses the date as midnight UTC.
func (d Date) Time() (time.Time, error) {
	return time.Parse(time.DateOnly, string(d))
}

// Duration is a period written as a whole number and a unit: h (hours),
// d (days) or w (weeks), for example "12h", "14d" or "4w".
// +kubebuilder:validation:Pattern=`^[1-9][0-9]{0,3}(h|d|w)$`
// +kubebuilder:validation:MinLength=2
// +kubebuilder:validation:MaxLength=5
type Duration string

// Duration converts the period to a time.Duration.
func (d Duration) Duration() (time.Duration, error) {
	s := string(d)
	if len(s) < 2 {
		return 0, fmt.Errorf("invalid duration %q: want a number and a unit h, d or w", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid duration %q: want a positive whole number before the unit", s)
	}
	unit := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("invalid duration %q: unit must be h, d or w", s)
	}
	return time.Duration(n) * unit, nil
}

// ToleranceDuration is a time tolerance written as a whole number and a
// unit: h (hours), d (days) or w (weeks), for example "0d", "10d" or "4w".
// Unlike Duration it may be zero: PRINCE2 allows a zero tolerance.
// +kubebuilder:validation:Pattern=`^(0|[1-9][0-9]{0,3})(h|d|w)$`
// +kubebuilder:validation:MinLength=2
// +kubebuilder:validation:MaxLength=5
type ToleranceDuration string
