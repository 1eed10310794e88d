/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import "k8s.io/apimachinery/pkg/api/resource"

// MaxYears bounds the financial years a list of amounts by year holds, as
// the MaxItems markers of budgetByYear and capacityByYear do.
const MaxYears = 16

// MaxCommittedYears bounds a portfolio's status.committedByYear and a
// programme's status.committedByYear, as their MaxItems markers do: the
// earliest years are kept.
const MaxCommittedYears = 32

// YearAmount is an amount of money for one financial year.
type YearAmount struct {
	// year is the financial year, named by the calendar year in which it
	// starts: under an Office whose financialYearStart is 4 (April), 2026
	// is April 2026 to March 2027 (often written 2026/27); under the
	// default January start it is the calendar year 2026.
	// +required
	// +kubebuilder:validation:Minimum=1900
	// +kubebuilder:validation:Maximum=9999
	Year int32 `json:"year,omitempty"`

	// amount is the money of that year, in the governing Office's currency,
	// written like every spec amount ("2.5M", 750000).
	// +required
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Amount *resource.Quantity `json:"amount,omitempty"`
}

// PhasedAmount is an amount the operator computed for one financial year.
type PhasedAmount struct {
	// year is the financial year, named by the calendar year in which it
	// starts (see YearAmount).
	// +required
	// +kubebuilder:validation:Minimum=1900
	// +kubebuilder:validation:Maximum=9999
	Year int32 `json:"year,omitempty"`

	// amount is the money of that year, written as an Amount.
	// +required
	Amount Amount `json:"amount,omitempty"`
}

// YearCommitment is what a portfolio commits in one financial year against
// its capacity for that year.
type YearCommitment struct {
	// year is the financial year, named by the calendar year in which it
	// starts (see YearAmount).
	// +required
	// +kubebuilder:validation:Minimum=1900
	// +kubebuilder:validation:Maximum=9999
	Year int32 `json:"year,omitempty"`

	// committed is the money phased into the year, written as an Amount;
	// unset when nothing is phased into it.
	// +optional
	Committed Amount `json:"committed,omitempty"`

	// display is the year's capacity and committed written for people.
	// +optional
	Display MoneyDisplay `json:"display,omitzero"`

	// overCommitted is true when committed exceeds the year's capacity in
	// spec.capacityByYear and false when it does not; unset when the
	// portfolio states no capacity for the year.
	// +optional
	OverCommitted *bool `json:"overCommitted,omitempty"`
}
