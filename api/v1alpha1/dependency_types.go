/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"fmt"
	"strings"
)

// Dependencies between Projects and Programmes (MoP's and MSP's dependency
// management): a consumer lists in spec.dependsOn what it needs from a
// provider and by when; the operator judges each dependency from the
// provider's published figures and records the verdict in
// status.dependencies and the DependenciesOnTrack condition.

// DependenciesMaxItems bounds spec.dependsOn and status.dependencies (their
// MaxItems markers).
const DependenciesMaxItems = 32

// Dependency is one thing a Project or Programme needs another Project or
// Programme (its provider) to deliver, and by when.
type Dependency struct {
	// kind, name and namespace name the provider: kind Project or
	// Programme; namespace defaults to the consumer's. A provider in another
	// namespace must admit the consumer's namespace in its
	// spec.allowedChildren, as a parent admits a child; one that does not
	// leaves the dependency at risk (NotAdmitted). A provider that does not
	// exist (yet) leaves it at risk (Missing) until it is applied.
	SubjectReference `json:",inline"`

	// neededBy is the date (YYYY-MM-DD) by which the consumer needs what
	// the provider delivers. The dependency is at risk when the provider is
	// forecast to end after it.
	// +required
	NeededBy Date `json:"neededBy,omitempty"`

	// description says what is needed, e.g. "the new customer database".
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Description string `json:"description,omitempty"`
}

// DependencyState is the verdict on one dependency.
// +kubebuilder:validation:Enum=OnTrack;AtRisk
type DependencyState string

const (
	// DependencyOnTrack: the provider is forecast to deliver by the
	// needed-by date, or has delivered.
	DependencyOnTrack DependencyState = "OnTrack"
	// DependencyAtRisk: the provider may not deliver by the needed-by date
	// (the cause says why).
	DependencyAtRisk DependencyState = "AtRisk"
)

// DependencyCause is the typed reason a dependency is at risk, or how one
// on track is met.
// +kubebuilder:validation:Enum=ForecastOnTime;Delivered;ForecastLate;ProviderRed;ClosedUndelivered;Missing;NotAdmitted;Cycle
type DependencyCause string

const (
	// CauseForecastOnTime (OnTrack): the open provider's forecast end is on
	// or before the needed-by date, or it states no end.
	CauseForecastOnTime DependencyCause = "ForecastOnTime"
	// CauseDelivered (OnTrack): the provider has closed and delivered.
	CauseDelivered DependencyCause = "Delivered"
	// CauseForecastLate (AtRisk): the open provider's forecast end is after
	// the needed-by date, or the needed-by date has passed and the provider
	// is still open.
	CauseForecastLate DependencyCause = "ForecastLate"
	// CauseProviderRed (AtRisk): the open provider's health is Red.
	CauseProviderRed DependencyCause = "ProviderRed"
	// CauseClosedUndelivered (AtRisk): the provider closed without
	// delivering (Project.ClosedUndelivered, Programme.ClosedUndelivered).
	CauseClosedUndelivered DependencyCause = "ClosedUndelivered"
	// CauseMissing (AtRisk): the provider does not exist (yet).
	CauseMissing DependencyCause = "Missing"
	// CauseNotAdmitted (AtRisk): the provider is in another namespace and
	// its spec.allowedChildren does not admit the consumer's.
	CauseNotAdmitted DependencyCause = "NotAdmitted"
	// CauseCycle (AtRisk): the provider depends, through its own
	// dependencies, on the consumer.
	CauseCycle DependencyCause = "Cycle"
)

// DependencyStatus is the operator's verdict on one entry of
// spec.dependsOn.
type DependencyStatus struct {
	// kind of the provider: Project or Programme.
	// +required
	Kind SubjectKind `json:"kind,omitempty"`

	// provider names the provider, with its namespace.
	// +required
	Provider ObjectReference `json:"provider,omitzero"`

	// neededBy is the date the consumer needs the provider's delivery by,
	// as spec.dependsOn states it.
	// +required
	NeededBy Date `json:"neededBy,omitempty"`

	// state is OnTrack or AtRisk.
	// +required
	State DependencyState `json:"state,omitempty"`

	// cause says why: ForecastOnTime or Delivered (OnTrack); ForecastLate,
	// ProviderRed, ClosedUndelivered, Missing, NotAdmitted or Cycle
	// (AtRisk). When several apply, the first in this order counts:
	// Missing, NotAdmitted, Cycle, ClosedUndelivered, ProviderRed,
	// ForecastLate.
	// +required
	Cause DependencyCause `json:"cause,omitempty"`

	// providerForecastEnd is the provider's end date as the operator reads
	// it (Project.ForecastEnd, Programme.ForecastEnd): its closing date
	// once Closed, else its forecast, else its plan. Unset when the provider
	// states none or is not resolved.
	// +optional
	ProviderForecastEnd Date `json:"providerForecastEnd,omitempty"`

	// impact is the health the dependency lowers the consumer's to: Amber
	// while it is at risk, Red once the needed-by date has passed with it
	// still at risk (the risk has become an issue). Unset while on track.
	// +optional
	Impact Health `json:"impact,omitempty"`
}

// Key is the provider as "Kind/namespace/name".
func (d DependencyStatus) Key() string {
	return string(d.Kind) + "/" + d.Provider.Namespace + "/" + d.Provider.Name
}

// AtRisk reports whether the dependency is at risk.
func (d DependencyStatus) AtRisk() bool { return d.State == DependencyAtRisk }

// Text says, for people, why a dependency is in its state, naming the
// provider: what health reasons, the condition, reports, the kubectl
// plugin and the dashboard show. It is rendered from the typed fields
// only, and never parsed back.
func (d DependencyStatus) Text() string {
	verdict := "is on track"
	switch {
	case d.Impact == HealthRed:
		verdict = "is overdue"
	case d.AtRisk():
		verdict = "is at risk"
	}
	return fmt.Sprintf("dependency on %s %s/%s, needed by %s, %s: %s", d.Kind, d.Provider.Namespace, d.Provider.Name, d.NeededBy, verdict, d.Detail())
}

// Detail says what the verdict rests on, e.g. "it is forecast to end
// 2027-02-15", without naming the provider.
func (d DependencyStatus) Detail() string {
	switch d.Cause {
	case CauseMissing:
		return "the " + strings.ToLower(string(d.Kind)) + " does not exist"
	case CauseNotAdmitted:
		return "its spec.allowedChildren does not admit this namespace"
	case CauseCycle:
		return "it depends on this object in turn (a dependency cycle)"
	case CauseClosedUndelivered:
		return "it closed without delivering"
	case CauseDelivered:
		return "it has delivered"
	case CauseProviderRed:
		return "its health is Red"
	case CauseForecastLate:
		if d.ProviderForecastEnd > d.NeededBy {
			return "it is forecast to end " + string(d.ProviderForecastEnd)
		}
		return "it has not delivered yet"
	}
	if d.ProviderForecastEnd != "" {
		return "it is forecast to end " + string(d.ProviderForecastEnd)
	}
	return "it states no end date"
}
