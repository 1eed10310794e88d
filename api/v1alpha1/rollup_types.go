/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// HealthCounts counts objects by health. A count of zero is omitted.
// +kubebuilder:validation:MinProperties=1
type HealthCounts struct {
	// green is the number of Green objects.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Green int32 `json:"green,omitempty"`
	// amber is the number of Amber objects.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Amber int32 `json:"amber,omitempty"`
	// red is the number of Red objects.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Red int32 `json:"red,omitempty"`
	// unknown is the number of objects whose health is not known yet.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Unknown int32 `json:"unknown,omitempty"`
}

// PhaseCount is the number of objects in one phase.
type PhaseCount struct {
	// kind of the objects counted: Project or Programme.
	// +required
	Kind SubjectKind `json:"kind,omitempty"`
	// phase counted: a Project or Programme phase.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Phase string `json:"phase,omitempty"`
	// count of objects of that kind in that phase, at least 1: phases
	// without objects are not listed.
	// +required
	// +kubebuilder:validation:Minimum=1
	Count int32 `json:"count,omitempty"`
}

// ComplianceCounts counts objects by gate compliance. A count of zero is
// omitted.
// +kubebuilder:validation:MinProperties=1
type ComplianceCounts struct {
	// compliant is the number of objects meeting every gate due.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Compliant int32 `json:"compliant,omitempty"`
	// nonCompliant is the number of objects with at least one unmet gate.
	// +optional
	// +kubebuilder:validation:Minimum=0
	NonCompliant int32 `json:"nonCompliant,omitempty"`
	// unknown is the number of objects whose compliance could not be
	// evaluated.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Unknown int32 `json:"unknown,omitempty"`
}

// HealthCause names a descendant that lowers a rollup's health.
type HealthCause struct {
	// kind of the object: Project or Programme.
	// +required
	Kind SubjectKind `json:"kind,omitempty"`
	// namespace of the object.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace,omitempty"`
	// name of the object.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name,omitempty"`
	// health of the object.
	// +required
	Health Health `json:"health,omitempty"`
	// reason is the first reason the object gives for its health.
	// +optional
	// +kubebuilder:validation:MinLength=1
	Reason string `json:"reason,omitempty"`
}

// Rollup is the aggregate picture of everything beneath an object. It is
// rebuilt from the children on every pass. A count of zero is omitted.
// +kubebuilder:validation:MinProperties=1
type Rollup struct {
	// health is the worst health of the counted descendants: Unknown while
	// none of them has one (none assessed yet, or all closed). A Programme
	// with no projects has none here (its RolledUp condition says
	// NoChildren); its status.health is its own.
	// +optional
	Health Health `json:"health,omitempty"`

	// causes are the descendants that give the worst health, most severe
	// first, at most 10.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Causes []HealthCause `json:"causes,omitempty"`

	// portfolios is the number of Portfolios counted (Offices only).
	// +optional
	// +kubebuilder:validation:Minimum=0
	Portfolios int32 `json:"portfolios,omitempty"`

	// programmes is the number of Programmes counted.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Programmes int32 `json:"programmes,omitempty"`

	// projects is the number of Projects counted, directly or through
	// Programmes.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Projects int32 `json:"projects,omitempty"`

	// satellites is the number of satellite Offices counted (hub Offices only).
	// +optional
	// +kubebuilder:validation:Minimum=0
	Satellites int32 `json:"satellites,omitempty"`

	// byHealth counts the open (not Closed) Projects beneath by health, so
	// that it adds up to the open projects; programmes are counted in
	// programmes and byPhase.
	// +optional
	ByHealth HealthCounts `json:"byHealth,omitzero"`

	// byPhase counts Projects and Programmes by phase.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	ByPhase []PhaseCount `json:"byPhase,omitempty"`

	// money totals budgets, actual and forecast cost of the counted Projects.
	// +optional
	Money MoneySummary `json:"money,omitzero"`

	// benefits totals the planned and realised benefits.
	// +optional
	Benefits BenefitsSummary `json:"benefits,omitzero"`

	// risks summarises the open risks.
	// +optional
	Risks RiskSummary `json:"risks,omitzero"`

	// compliance counts Projects and Programmes by gate compliance.
	// +optional
	Compliance ComplianceCounts `json:"compliance,omitzero"`

	// refused is the number of children that reference this object but are
	// not admitted by spec.allowedChildren, and so are not counted.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Refused int32 `json:"refused,omitempty"`
}
