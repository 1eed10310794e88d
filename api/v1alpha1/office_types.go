/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OfficeType is one of the five P3O office types.
// +kubebuilder:validation:Enum=PortfolioOffice;Satellite;Temporary;Virtual;ProjectSupport
type OfficeType string

const (
	// OfficeTypePortfolioOffice is the permanent, central office that supports
	// strategic portfolio planning and owns the governance policy everything
	// beneath it inherits. It is a root: it names no hub.
	OfficeTypePortfolioOffice OfficeType = "PortfolioOffice"
	// OfficeTypeSatellite serves one department, location or business unit and
	// names its hub Office. It may tighten the hub's policy, never loosen it.
	OfficeTypeSatellite OfficeType = "Satellite"
	// OfficeTypeTemporary exists for the duration of one Programme or Project
	// and is retired when that closes.
	OfficeTypeTemporary OfficeType = "Temporary"
	// OfficeTypeVirtual performs office functions through people in the line
	// organisation; it behaves as an office without a location.
	OfficeTypeVirtual OfficeType = "Virtual"
	// OfficeTypeProjectSupport is a small unit or one person standardising
	// methods and tools for exactly one Project.
	OfficeTypeProjectSupport OfficeType = "ProjectSupport"
)

// OfficeSpec is the desired state of an Office.
// +kubebuilder:validation:XValidation:rule="self.type == 'Satellite' ? has(self.hubRef) : !has(self.hubRef)",message="hubRef is required when type is Satellite and not allowed for other types"
// +kubebuilder:validation:XValidation:rule="self.type in ['Temporary', 'ProjectSupport'] ? has(self.supportedObjectRef) : !has(self.supportedObjectRef)",message="supportedObjectRef is required when type is Temporary or ProjectSupport and not allowed for other types"
// +kubebuilder:validation:XValidation:rule="self.type == 'ProjectSupport' && has(self.supportedObjectRef) ? self.supportedObjectRef.kind == 'Project' : true",message="a ProjectSupport office supports exactly one Project: supportedObjectRef.kind must be Project"
// +kubebuilder:validation:XValidation:rule="self.type == 'Virtual' ? !has(self.location) : true",message="a Virtual office has no location"
type OfficeSpec struct {
	// type is the P3O office type: PortfolioOffice, Satellite, Temporary,
	// Virtual or ProjectSupport.
	// +required
	Type OfficeType `json:"type,omitempty"`

	// description says what the office is for.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// location is where the office sits, e.g. a site or building. A Virtual
	// office has none.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Location string `json:"location,omitempty"`

	// hubRef names the hub Office of a Satellite. Required for, and only
	// allowed on, type Satellite. The hub must admit the satellite's
	// namespace through its spec.allowedChildren.
	// +optional
	HubRef *ParentReference `json:"hubRef,omitempty"`

	// supportedObjectRef names the Programme or Project a Temporary office
	// exists for, or the Project a ProjectSupport office supports. Required
	// for, and only allowed on, those two types. The office is marked Retired
	// when the supported object reaches phase Closed.
	// +optional
	SupportedObjectRef *SubjectReference `json:"supportedObjectRef,omitempty"`

	// currency in which every amount governed by this office is expressed,
	// as an ISO 4217 code. Defaults to EUR. A rollup that meets amounts in
	// another currency reports an error instead of adding them.
	// +optional
	// +kubebuilder:default=EUR
	Currency Currency `json:"currency,omitempty"`

	// financialYearStart is the month (1 to 12) in which the office's
	// financial year starts; defaults to 1, January. A financial year is
	// named by the calendar year in which it starts: with 4 (April), 2026
	// is April 2026 to March 2027. It decides the year into which dated
	// money (a programme tranche's budget) falls.
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=12
	FinancialYearStart int32 `json:"financialYearStart,omitempty"`

	// governance is the policy Programmes and Projects under this office are
	// held to. A Satellite inherits its hub's policy and may only tighten it.
	// +optional
	Governance GovernancePolicy `json:"governance,omitzero"`

	// reports controls the report ConfigMaps published for this office.
	// Enabled by default.
	// +optional
	Reports ReportSettings `json:"reports,omitzero"`

	// allowedChildren says from which namespaces Portfolios, Programmes,
	// Projects and satellite Offices may attach to this office. Defaults to
	// the office's own namespace only.
	// +optional
	AllowedChildren AllowedChildren `json:"allowedChildren,omitzero"`
}

// OfficeStatus is the observed state of an Office.
// +kubebuilder:validation:MinProperties=1
type OfficeStatus struct {
	// conditions are Ready (Succeeded, or the reason of the first of
	// ParentResolved, PolicyValid, RolledUp, ReportPublished that is not
	// True), ParentResolved (the hub or supported object: Resolved,
	// NoParent, ParentNotFound, NotPermitted, HubLoop), PolicyValid (Valid,
	// LooserSettingsIgnored, InvalidRule), RolledUp (Aggregated,
	// NoChildren, MixedCurrency), Retired (Temporary and ProjectSupport
	// offices: SupportedObjectClosed, SupportedObjectActive,
	// ParentNotFound) and, when reports are enabled, ReportPublished
	// (Published, Truncated, PublishFailed, ReportNameTaken).
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the metadata.generation last reconciled.
	// +optional
	// +kubebuilder:validation:Minimum=1
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// hub is the root Office this office's policy and rollup lead to. Unset
	// for a root.
	// +optional
	Hub *ObjectReference `json:"hub,omitempty"`

	// enforcement of the effective policy: Audit, Warn or Enforce.
	// +optional
	Enforcement Enforcement `json:"enforcement,omitempty"`

	// gates lists the names of the gates of the effective policy (the hub's,
	// the profile's and the office's own).
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	Gates []string `json:"gates,omitempty"`

	// gatesNotListed is how many gates of the effective policy did not fit
	// in gates (at most 64 are listed).
	// Unset when every gate is listed.
	// +optional
	// +kubebuilder:validation:Minimum=1
	GatesNotListed int32 `json:"gatesNotListed,omitempty"`

	// policyDigest identifies the effective policy: it changes exactly when
	// the policy does, so that governed objects are re-evaluated then.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	PolicyDigest string `json:"policyDigest,omitempty"`

	// rollup is the aggregate of the office's Portfolios, directly attached
	// Programmes and Projects, and satellite Offices.
	// +optional
	Rollup Rollup `json:"rollup,omitzero"`

	// directionOfTravel counts how the projects beneath moved since the last
	// sealed snapshot of the report; unset while reports are off or no
	// earlier period's snapshot is held.
	// +optional
	DirectionOfTravel DirectionOfTravel `json:"directionOfTravel,omitzero"`

	// evidence is the office's indicators of practice under the seven P3M3
	// perspectives (docs/evidence.md): evidence, never a maturity level or
	// an assessment. Unset while reports are off.
	// +optional
	Evidence Evidence `json:"evidence,omitzero"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=p3o
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Health",type=string,JSONPath=`.status.rollup.health`
// +kubebuilder:printcolumn:name="Projects",type=integer,JSONPath=`.status.rollup.projects`
// +kubebuilder:printcolumn:name="Budget",type=string,JSONPath=`.status.rollup.money.display.budget`
// +kubebuilder:printcolumn:name="Forecast",type=string,JSONPath=`.status.rollup.money.display.forecast`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Hub",type=string,JSONPath=`.spec.hubRef.name`,priority=1
// +kubebuilder:printcolumn:name="Portfolios",type=integer,JSONPath=`.status.rollup.portfolios`,priority=1
// +kubebuilder:printcolumn:name="Programmes",type=integer,JSONPath=`.status.rollup.programmes`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// Office is a P3O office: a Portfolio Office, a Satellite, a Temporary,
// Virtual or Project Support office. It owns the governance policy of the
// Portfolios, Programmes and Projects beneath it and reports on them.
type Office struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired state of the office.
	// +required
	Spec OfficeSpec `json:"spec,omitzero"`

	// status is the observed state of the office.
	// +optional
	Status OfficeStatus `json:"status,omitzero"`
}

// +kubebuilder:object:root=true

// OfficeList is a list of Offices.
type OfficeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Office `json:"items"`
}
