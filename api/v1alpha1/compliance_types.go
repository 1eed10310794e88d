/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// GateState is the state of one compliance gate for one object.
// +kubebuilder:validation:Enum=Met;Unmet;NotYetRequired;Unknown
type GateState string

const (
	// GateMet: the gate is satisfied.
	GateMet GateState = "Met"
	// GateUnmet: the gate is required (or overdue) and not satisfied.
	GateUnmet GateState = "Unmet"
	// GateNotYetRequired: the object has not reached the gate's phase, or the
	// gate is not due yet.
	GateNotYetRequired GateState = "NotYetRequired"
	// GateUnknown: the gate could not be evaluated, e.g. its rule failed to
	// compile.
	GateUnknown GateState = "Unknown"
)

// GateCause is the typed reason a gate has its state.
// +kubebuilder:validation:Enum=ReviewMet;RuleHolds;NoReview;ReviewPlanned;ReviewExpired;BelowMinimum;OffScale;ReviewBeforeDecisionPoint;RuleFailed;RuleError;PhaseNotReached
type GateCause string

const (
	// CauseReviewMet: a current review good enough satisfies the gate.
	CauseReviewMet GateCause = "ReviewMet"
	// CauseRuleHolds: the gate has only a rule, and it holds.
	CauseRuleHolds GateCause = "RuleHolds"
	// CauseNoReview: no review of the gate has findings yet.
	CauseNoReview GateCause = "NoReview"
	// CauseReviewPlanned: a review is planned but has no findings yet.
	CauseReviewPlanned GateCause = "ReviewPlanned"
	// CauseReviewExpired: the latest review is older than the gate's maxAge.
	CauseReviewExpired GateCause = "ReviewExpired"
	// CauseBelowMinimum: the latest review's Delivery Confidence is worse
	// than the gate's minimum.
	CauseBelowMinimum GateCause = "BelowMinimum"
	// CauseOffScale: the latest review's rating is not on the governing
	// office's Delivery Confidence scale (AmberGreen or AmberRed under
	// ThreePoint), or the review says it was rated on the other scale
	// (findings.scale), so it satisfies no gate.
	CauseOffScale GateCause = "OffScale"
	// CauseReviewBeforeDecisionPoint: a programme's decision point (a
	// tranche end) has passed, and the latest review was held before the
	// decision point preceding it: a new review is due.
	CauseReviewBeforeDecisionPoint GateCause = "ReviewBeforeDecisionPoint"
	// CauseRuleFailed: the gate's rule does not hold for the object.
	CauseRuleFailed GateCause = "RuleFailed"
	// CauseRuleError: the gate's rule could not be evaluated.
	CauseRuleError GateCause = "RuleError"
	// CausePhaseNotReached: the object has not reached the gate's phase.
	CausePhaseNotReached GateCause = "PhaseNotReached"
)

// Bounds of the GateStatus strings the operator derives, equal to their
// MaxLength markers (a test of internal/status checks them against the
// CRDs): what goes in is shortened to them (internal/shorten), never
// refused.
const (
	// GateDescriptionMaxLength bounds status.compliance.gates[].description.
	GateDescriptionMaxLength = 256
	// GateMessageMaxLength bounds status.compliance.gates[].message.
	GateMessageMaxLength = 1024
)

// GateStatus is the compliance of one object with one gate of its effective
// policy.
type GateStatus struct {
	// name of the gate in the effective policy.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name,omitempty"`

	// description is the gate's title, e.g. "Gate 3 Investment decision",
	// shortened to fit (ending in "…").
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Description string `json:"description,omitempty"`

	// state is Met, Unmet, NotYetRequired or Unknown.
	// +required
	State GateState `json:"state,omitempty"`

	// cause says why the gate is in its state: ReviewMet or RuleHolds
	// (Met); NoReview, ReviewPlanned, ReviewExpired, BelowMinimum or
	// RuleFailed (Unmet, or NotYetRequired while not due); RuleError
	// (Unknown); PhaseNotReached (NotYetRequired). An Unmet gate with a
	// dueAt in the past is overdue.
	// +optional
	Cause GateCause `json:"cause,omitempty"`

	// review names the GatewayReview that satisfies the gate or, for an
	// Unmet gate, the one that did not satisfy it.
	// +optional
	Review *ObjectReference `json:"review,omitempty"`

	// expiresAt is when the satisfying review passes its maximum age.
	// +optional
	ExpiresAt *metav1.Time `json:"expiresAt,omitempty"`

	// dueAt is when a gate that is due after entering a phase falls due.
	// +optional
	DueAt *metav1.Time `json:"dueAt,omitempty"`

	// message says why the gate is in its state, e.g. "no review" or
	// "review of 2025-01-10 expired", shortened to fit (ending in "…").
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Message string `json:"message,omitempty"`
}

// GatesMaxItems is how many gates a status lists (the MaxItems of
// status.compliance.gates and of an Office's status.gates).
const GatesMaxItems = 64

// ComplianceStatus is the compliance of a Project or Programme with the gates
// of its effective policy.
// +kubebuilder:validation:MinProperties=1
type ComplianceStatus struct {
	// enforcement of the effective policy: Audit, Warn or Enforce.
	// +optional
	Enforcement Enforcement `json:"enforcement,omitempty"`

	// gates lists the gates of the effective policy that apply to the
	// object's kind, at most 64: when there are more, the unmet and unknown
	// ones first, and gatesNotListed counts the rest (every gate is still
	// evaluated; the Compliant condition names every unmet one).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=64
	Gates []GateStatus `json:"gates,omitempty"`

	// gatesNotListed is how many gates of the effective policy did not fit
	// in gates.
	// Unset when every gate is listed.
	// +optional
	// +kubebuilder:validation:Minimum=1
	GatesNotListed int32 `json:"gatesNotListed,omitempty"`

	// nextGate names the next gate that will become required.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	NextGate string `json:"nextGate,omitempty"`

	// phaseSince is when the operator first observed the object in its
	// current phase; gates due a period after a phase is entered count from
	// it.
	// +optional
	PhaseSince *metav1.Time `json:"phaseSince,omitempty"`

	// phase is the phase phaseSince refers to.
	// +optional
	Phase Phase `json:"phase,omitempty"`
}
