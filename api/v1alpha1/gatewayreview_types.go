/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RecommendationPriority is how urgent a Gateway Review recommendation is.
// +kubebuilder:validation:Enum=Critical;Essential;Recommended
type RecommendationPriority string

const (
	// RecommendationCritical: do now, to increase the likelihood of success.
	RecommendationCritical RecommendationPriority = "Critical"
	// RecommendationEssential: do soon, before further key decisions.
	RecommendationEssential RecommendationPriority = "Essential"
	// RecommendationRecommended: would benefit from this.
	RecommendationRecommended RecommendationPriority = "Recommended"
)

// Recommendation is one recommendation of a Gateway Review.
type Recommendation struct {
	// priority is Critical, Essential or Recommended.
	// +required
	Priority RecommendationPriority `json:"priority,omitempty"`

	// text of the recommendation.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	Text string `json:"text,omitempty"`
}

// Findings are what a Gateway Review concluded. Once recorded they cannot be
// changed: a later review supersedes them instead.
// +kubebuilder:validation:XValidation:rule="!has(self.scale) || self.scale != 'ThreePoint' || self.deliveryConfidence in ['Green', 'Amber', 'Red']",message="deliveryConfidence must be Green, Amber or Red on the ThreePoint scale",fieldPath=".deliveryConfidence"
type Findings struct {
	// deliveryConfidence is the Delivery Confidence Assessment: Green,
	// AmberGreen, Amber, AmberRed or Red (Green, Amber or Red on the
	// three-point scale).
	// +required
	DeliveryConfidence DeliveryConfidence `json:"deliveryConfidence,omitempty"`

	// scale is the Delivery Confidence scale the review team rated on:
	// FivePoint or ThreePoint. Unset means the scale of the office
	// governing the subject, as reviews recorded before this field are
	// read. A review rated on another scale than the office's satisfies no
	// gate (cause OffScale): a three-point Amber spans the five-point
	// AmberGreen, Amber and AmberRed, so it cannot be held to a five-point
	// minimum, nor a five-point AmberGreen to a three-point one.
	// +optional
	Scale ConfidenceScale `json:"scale,omitempty"`

	// summary of the review's conclusions.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Summary string `json:"summary,omitempty"`

	// recommendations made by the review team.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	Recommendations []Recommendation `json:"recommendations,omitempty"`
}

// GatewayReviewSpec is the record of one OGC Gateway Review.
// +kubebuilder:validation:XValidation:rule="self.subjectRef == oldSelf.subjectRef",message="subjectRef is immutable"
// +kubebuilder:validation:XValidation:rule="self.gate == oldSelf.gate",message="gate is immutable"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.findings) || (has(self.findings) && self.findings == oldSelf.findings)",message="findings are immutable once recorded; record a new GatewayReview instead"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.findings) || self.date == oldSelf.date",message="date is immutable once findings are recorded"
type GatewayReviewSpec struct {
	// subjectRef names the Project or Programme reviewed. A subject in
	// another namespace must admit the review's namespace through its
	// spec.allowedChildren.
	// +required
	SubjectRef SubjectReference `json:"subjectRef,omitzero"`

	// gate is the OGC Gateway Review number: 0 Strategic assessment,
	// 1 Business justification, 2 Delivery strategy, 3 Investment decision,
	// 4 Readiness for service, 5 Operations review and benefits realisation.
	// Gate 0 is a gate like the others; a missing gate is rejected rather
	// than read as 0.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=5
	Gate *int32 `json:"gate,omitempty"`

	// date the review was (or is to be) held.
	// +required
	Date Date `json:"date,omitempty"`

	// reviewTeamLead is the person who led the review team.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	ReviewTeamLead string `json:"reviewTeamLead,omitempty"`

	// findings are the review's conclusions. A review may be recorded before
	// it is held and its findings added once; they are immutable after that.
	// +optional
	Findings *Findings `json:"findings,omitempty"`
}

// GatewayReviewStatus is the observed state of a GatewayReview.
// +kubebuilder:validation:MinProperties=1
type GatewayReviewStatus struct {
	// conditions are Ready (Succeeded, or the reason of ParentResolved when
	// that is not True) and ParentResolved (the subject: Resolved,
	// ParentNotFound, NotPermitted).
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the metadata.generation last reconciled.
	// +optional
	// +kubebuilder:validation:Minimum=1
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// satisfies lists the gates of the subject's effective policy this review
	// satisfies.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	Satisfies []string `json:"satisfies,omitempty"`

	// supersededBy names a newer review of the same gate and subject that
	// replaces this one.
	// +optional
	SupersededBy *ObjectReference `json:"supersededBy,omitempty"`

	// expiresAt is when the review passes the maximum age of the gate it
	// satisfies.
	// +optional
	ExpiresAt *metav1.Time `json:"expiresAt,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=gr,categories=p3o
// +kubebuilder:printcolumn:name="Kind",type=string,JSONPath=`.spec.subjectRef.kind`
// +kubebuilder:printcolumn:name="Subject",type=string,JSONPath=`.spec.subjectRef.name`
// +kubebuilder:printcolumn:name="Gate",type=integer,JSONPath=`.spec.gate`
// +kubebuilder:printcolumn:name="Date",type=string,JSONPath=`.spec.date`
// +kubebuilder:printcolumn:name="Confidence",type=string,JSONPath=`.spec.findings.deliveryConfidence`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// GatewayReview records one OGC Gateway Review of a Project or Programme: an
// independent review at a gate, with a Delivery Confidence Assessment and
// recommendations. Reviews are their own kind so that the assurance team can
// be allowed to write them and the teams they review cannot.
type GatewayReview struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the record of the review.
	// +required
	Spec GatewayReviewSpec `json:"spec,omitzero"`

	// status is the observed state of the review.
	// +optional
	Status GatewayReviewStatus `json:"status,omitzero"`
}

// +kubebuilder:object:root=true

// GatewayReviewList is a list of GatewayReviews.
type GatewayReviewList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []GatewayReview `json:"items"`
}
