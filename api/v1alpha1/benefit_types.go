/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
)

// Benefit is a measurable improvement an outcome is expected to bring (MSP).
type Benefit struct {
	// name identifies the benefit, e.g. "Reduced processing time".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name,omitempty"`

	// owner is the person accountable for realising the benefit.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Owner string `json:"owner,omitempty"`

	// planned is the value the benefit is expected to bring, in the governing
	// Office's currency.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Planned *resource.Quantity `json:"planned,omitempty"`

	// realised is the value realised so far, in the governing Office's
	// currency.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Realised *resource.Quantity `json:"realised,omitempty"`

	// due is the date by which the benefit is expected to be realised.
	// +optional
	Due Date `json:"due,omitempty"`
}

// BenefitsSummary sums planned and realised benefits.
// +kubebuilder:validation:MinProperties=1
type BenefitsSummary struct {
	// planned is the sum of planned benefit values, written as an Amount.
	// Unset when no benefit states one.
	// +optional
	Planned Amount `json:"planned,omitempty"`
	// realised is the sum of realised benefit values, written as an Amount.
	// Unset when no benefit states one.
	// +optional
	Realised Amount `json:"realised,omitempty"`
}
