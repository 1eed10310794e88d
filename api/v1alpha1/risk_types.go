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

// RiskKind says whether a risk is a threat (an uncertain event that would
// harm the objectives) or an opportunity (one that would favour them), as
// PRINCE2 7 and M_o_R 4 define a risk.
// +kubebuilder:validation:Enum=Threat;Opportunity
type RiskKind string

const (
	// RiskThreat is a risk with a negative effect on the objectives.
	RiskThreat RiskKind = "Threat"
	// RiskOpportunity is a risk with a positive effect on the objectives.
	RiskOpportunity RiskKind = "Opportunity"
)

// RiskResponse is a PRINCE2 7 risk response. For a threat: Avoid, Reduce,
// Prepare (contingent plans), Transfer, Share or Accept; for an
// opportunity: Exploit, Enhance, Share or Reject. Fallback, PRINCE2 2017's
// name for Prepare, is accepted as an alias and means Prepare.
// +kubebuilder:validation:Enum=Avoid;Reduce;Prepare;Fallback;Transfer;Share;Accept;Exploit;Enhance;Reject
type RiskResponse string

const (
	// ResponseAvoid removes the threat's cause or makes it unable to occur.
	ResponseAvoid RiskResponse = "Avoid"
	// ResponseReduce lowers a threat's probability or impact.
	ResponseReduce RiskResponse = "Reduce"
	// ResponsePrepare makes contingent plans to act if the threat occurs.
	ResponsePrepare RiskResponse = "Prepare"
	// ResponseFallback is PRINCE2 2017's name for Prepare, kept as an alias
	// so that registers written before PRINCE2 7 keep applying.
	ResponseFallback RiskResponse = "Fallback"
	// ResponseTransfer passes a threat's financial impact to a third party.
	ResponseTransfer RiskResponse = "Transfer"
	// ResponseShare shares a threat's pain or an opportunity's gain with a
	// partner.
	ResponseShare RiskResponse = "Share"
	// ResponseAccept takes the chance of a threat, with no action.
	ResponseAccept RiskResponse = "Accept"
	// ResponseExploit makes sure an opportunity happens.
	ResponseExploit RiskResponse = "Exploit"
	// ResponseEnhance raises an opportunity's probability or impact.
	ResponseEnhance RiskResponse = "Enhance"
	// ResponseReject decides not to pursue an opportunity.
	ResponseReject RiskResponse = "Reject"
)

// Canonical is the response by its PRINCE2 7 name: Fallback is Prepare.
func (r RiskResponse) Canonical() RiskResponse {
	if r == ResponseFallback {
		return ResponsePrepare
	}
	return r
}

// Risk is one entry of an M_o_R risk register: a threat or an opportunity.
// +kubebuilder:validation:XValidation:rule="!has(self.response) || (has(self.kind) && self.kind == 'Opportunity' ? self.response in ['Exploit', 'Enhance', 'Share', 'Reject'] : self.response in ['Avoid', 'Reduce', 'Prepare', 'Fallback', 'Transfer', 'Share', 'Accept'])",message="response must be Exploit, Enhance, Share or Reject for an Opportunity, and Avoid, Reduce, Prepare (formerly Fallback), Transfer, Share or Accept for a Threat",fieldPath=".response"
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

	// kind is Threat (default) or Opportunity. A register written before
	// opportunities existed has no kind: its risks are threats.
	// +optional
	Kind RiskKind `json:"kind,omitempty"`

	// proximity is the date by which the risk would occur, if it does
	// (PRINCE2's proximity): when a response must be in place.
	// +optional
	Proximity Date `json:"proximity,omitempty"`

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

	// response chosen for the risk, by its PRINCE2 7 name. For a threat:
	// Avoid, Reduce, Prepare, Transfer, Share or Accept; for an opportunity:
	// Exploit, Enhance, Share or Reject. Fallback (PRINCE2 2017) is accepted
	// for a threat and means Prepare. A response of the other kind is
	// refused.
	// +optional
	Response RiskResponse `json:"response,omitempty"`
}

// Severity is probability × impact, from 1 to 25.
func (r Risk) Severity() int32 { return r.Probability * r.Impact }

// IsOpportunity reports whether the risk is an opportunity; a risk of no
// kind is a threat.
func (r Risk) IsOpportunity() bool { return r.Kind == RiskOpportunity }

// IsOpenThreat reports whether the risk is a threat that is not Closed:
// what counts towards threat exposure and the high-risk rule.
func (r Risk) IsOpenThreat() bool { return !r.IsOpportunity() && r.Status != RiskClosed }

// RiskSummary summarises the open risks of a register or a rollup: threats
// and opportunities apart, as M_o_R reports them (an opportunity's
// exposure never offsets a threat's). A figure of zero is omitted.
// +kubebuilder:validation:MinProperties=1
type RiskSummary struct {
	// open is the number of threats not Closed.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Open int32 `json:"open,omitempty"`
	// high is the number of open threats at or above the governing Office's
	// severity threshold.
	// +optional
	// +kubebuilder:validation:Minimum=0
	High int32 `json:"high,omitempty"`
	// exposure is the sum of the severities (probability × impact) of open
	// threats.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Exposure int32 `json:"exposure,omitempty"`
	// opportunities is the number of opportunities not Closed.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Opportunities int32 `json:"opportunities,omitempty"`
	// opportunityExposure is the sum of the severities (probability ×
	// impact) of open opportunities.
	// +optional
	// +kubebuilder:validation:Minimum=0
	OpportunityExposure int32 `json:"opportunityExposure,omitempty"`
}
