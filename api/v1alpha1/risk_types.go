/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// RiskStatus is the state of a risk in a register.
// +kubebuilder:validation:Enum=Open;Mitigating;Closed
type RiskStatus string

const (
	// RiskOpen is an identified risk without an active response.
	RiskOpen RiskStatus = "Open"
	// RiskMitigating is a risk whose response is being carried out.
	RiskMitigating RiskStatus = "Mitigating"
	// RiskClosed is a risk that no longer applies.
	RiskClosed RiskStatus = "Closed"
)

// RiskResponse is an M_o_R risk response.
// +kubebuilder:validation:Enum=Avoid;Reduce;Fallback;Transfer;Share;Accept
type RiskResponse string

// Risk is one entry of an M_o_R risk register.
type Risk struct {
	// name identifies the risk within its register, e.g. "R-014".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name,omitempty"`

	// description of the risk: cause, event and effect.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// probability on a scale of 1 (very low) to 5 (very high).
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	Probability int32 `json:"probability,omitempty"`

	// impact on a scale of 1 (very low) to 5 (very high). Severity is
	// probability × impact (1–25).
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	Impact int32 `json:"impact,omitempty"`

	// owner is the person accountable for managing the risk.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Owner string `json:"owner,omitempty"`

	// status of the risk: Open (default), Mitigating or Closed. Closed risks
	// do not count towards exposure.
	// +optional
	// +kubebuilder:default=Open
	Status RiskStatus `json:"status,omitempty"`

	// response chosen for the risk: Avoid, Reduce, Fallback, Transfer, Share
	// or Accept.
	// +optional
	Response RiskResponse `json:"response,omitempty"`
}

// Severity is probability × impact, from 1 to 25.
func (r Risk) Severity() int32 { return r.Probability * r.Impact }

// RiskSummary summarises the open risks of a register or a rollup. A figure
// of zero is omitted.
// +kubebuilder:validation:MinProperties=1
type RiskSummary struct {
	// open is the number of risks not Closed.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Open int32 `json:"open,omitempty"`
	// high is the number of open risks at or above the governing Office's
	// severity threshold.
	// +optional
	// +kubebuilder:validation:Minimum=0
	High int32 `json:"high,omitempty"`
	// exposure is the sum of the severities (probability × impact) of open
	// risks.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Exposure int32 `json:"exposure,omitempty"`
}
