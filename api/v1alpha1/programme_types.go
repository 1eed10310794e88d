/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ProgrammePhase is an MSP programme lifecycle phase.
// +kubebuilder:validation:Enum=Identifying;Defining;Delivering;Closing;Closed
type ProgrammePhase string

const (
	// ProgrammeIdentifying: identifying the programme (mandate, brief).
	ProgrammeIdentifying ProgrammePhase = "Identifying"
	// ProgrammeDefining: defining the programme (blueprint, business case).
	ProgrammeDefining ProgrammePhase = "Defining"
	// ProgrammeDelivering: delivering tranches of capability.
	ProgrammeDelivering ProgrammePhase = "Delivering"
	// ProgrammeClosing: closing the programme.
	ProgrammeClosing ProgrammePhase = "Closing"
	// ProgrammeClosed: the programme has closed.
	ProgrammeClosed ProgrammePhase = "Closed"
)

// Tranche is a step of an MSP programme that delivers a set of capabilities.
// +kubebuilder:validation:XValidation:rule="!has(self.start) || !has(self.end) || self.start <= self.end",message="end must not be before start"
type Tranche struct {
	// name identifies the tranche, e.g. "tranche-1".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name,omitempty"`

	// start is the planned start date.
	// +optional
	Start Date `json:"start,omitempty"`

	// end is the planned end date.
	// +optional
	End Date `json:"end,omitempty"`

	// budget of the tranche, in the governing Office's currency.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Budget *resource.Quantity `json:"budget,omitempty"`
}

// ProgrammeSpec is the desired state of a Programme.
// +kubebuilder:validation:XValidation:rule="self.phase != 'Closed' || has(self.closedOn)",message="closedOn is required once phase is Closed: the date the programme closed, from which Gate 5 falls due",fieldPath=".closedOn"
type ProgrammeSpec struct {
	// portfolioRef names the Portfolio the programme belongs to. The
	// portfolio must admit the programme's namespace.
	// +required
	PortfolioRef ParentReference `json:"portfolioRef,omitzero"`

	// currency is the currency the programme's amounts are written in (ISO 4217,
	// e.g. GBP). Optional: unset, the amounts are in the currency of the
	// Office that governed the programme when its governance was first fully
	// resolved, and they keep that currency when the programme moves under an
	// office of another one (they are never relabelled). Setting it restates
	// the amounts in that currency. Amounts in a currency other than the
	// governing office's are left out of its totals (MixedCurrency).
	// +optional
	Currency Currency `json:"currency,omitempty"`

	// officeRef names the Office that governs the programme, e.g. a Temporary
	// office set up for it. Defaults to the portfolio's office.
	// +optional
	OfficeRef *ParentReference `json:"officeRef,omitempty"`

	// description says what change the programme brings about.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// sro is the Senior Responsible Owner, accountable for the programme.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	SRO string `json:"sro,omitempty"`

	// phase is the MSP lifecycle phase: Identifying (default), Defining,
	// Delivering, Closing or Closed.
	// +optional
	// +kubebuilder:default=Identifying
	Phase ProgrammePhase `json:"phase,omitempty"`

	// closedOn is the date the programme closed (YYYY-MM-DD): required once
	// phase is Closed, and never after today. Gate 5 falls due its
	// dueWithin (26 weeks in the OGCGateway profile) after it.
	// +optional
	ClosedOn Date `json:"closedOn,omitempty"`

	// category is one of the portfolio's spec.categories: the portfolio's
	// balance counts the programme's committed money under it. A category the
	// portfolio does not declare is reported on the object
	// (StrategyAligned=False, reason UnknownCategory), never refused.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Category string `json:"category,omitempty"`

	// priority is the rank a person gives the programme within its portfolio:
	// 1 is the highest. Unset means none. Shown beside the rank the operator
	// computes (the Portfolio's status.strategy.ranking), where it breaks
	// ties of score.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	Priority int32 `json:"priority,omitempty"`

	// --- Strategy (MoP): contributions to the portfolio's objectives. ---

	// contributions are the portfolio objectives the programme contributes to,
	// each with a strength: they give its strategic score and split its
	// committed money between objectives in the portfolio's balance.
	// +optional
	// +listType=map
	// +listMapKey=objective
	// +kubebuilder:validation:MaxItems=32
	Contributions []Contribution `json:"contributions,omitempty"`
	// --- end of strategy. ---

	// budget is the programme's own budget (its management costs), in the
	// governing Office's currency. Project budgets roll up separately.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self < 1000000000000000 : self.matches('^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$') && quantity(self).compareTo(quantity('1000T')) < 0",message="must be an amount such as 1500000, 2.5M or 750k: digits, at most two decimals, an optional k, M, G or T, and below 1000T (1m would mean a thousandth: write 1M for a million; no exponents, no binary suffixes such as Mi; quote amounts with decimals)"
	Budget *resource.Quantity `json:"budget,omitempty"`

	// tranches are the programme's planned steps, in order. Each tranche's
	// budget phases the programme's own spec.budget into the financial year
	// of the tranche's start (status.committedByYear).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=24
	Tranches []Tranche `json:"tranches,omitempty"`

	// benefits the programme is expected to realise (MSP: a programme owns
	// its benefits; a project contributes by naming one in its own
	// spec.benefits[].programmeBenefit, and each is counted once).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=24
	Benefits []Benefit `json:"benefits,omitempty"`

	// tolerances are the programme's tolerances: benefitsPercent (default
	// 10).
	// +optional
	// +kubebuilder:default={benefitsPercent: 10}
	Tolerances ProgrammeTolerances `json:"tolerances,omitzero"`

	// risks is the programme's risk register.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=128
	Risks []Risk `json:"risks,omitempty"`

	// reports controls the report ConfigMaps published for this programme.
	// Disabled unless mode is Enabled.
	// +optional
	Reports ReportSettings `json:"reports,omitzero"`

	// allowedChildren says from which namespaces Projects and GatewayReviews
	// may attach to this programme. Defaults to its own namespace only.
	// +optional
	AllowedChildren AllowedChildren `json:"allowedChildren,omitzero"`

	// Dependencies (see dependency_types.go).

	// dependsOn lists the Projects and Programmes this programme depends on,
	// each with the date it is needed by. Order does not matter and a
	// provider may be applied later: until it exists the dependency is at
	// risk (Missing). At most 32, each provider (kind, namespace and name
	// as written) once.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:XValidation:rule="self.all(x, self.exists_one(y, y.kind == x.kind && y.name == x.name && (has(y.__namespace__) ? y.__namespace__ : '') == (has(x.__namespace__) ? x.__namespace__ : '')))",message="must name each provider (kind, namespace and name) once"
	DependsOn []Dependency `json:"dependsOn,omitempty"`
}

// ProgrammeStatus is the observed state of a Programme.
// +kubebuilder:validation:MinProperties=1
type ProgrammeStatus struct {
	// conditions are Ready (Succeeded, or the reason of the first of
	// ParentResolved, RolledUp, ReportPublished that is not True),
	// ParentResolved (portfolio and office: Resolved, ParentNotFound,
	// NotPermitted), RolledUp (Aggregated, NoChildren, MixedCurrency),
	// Compliant (GatesMet, GatesUnmet, RuleError, NoPolicy) and, when
	// reports are enabled, ReportPublished (Published, Truncated,
	// PublishFailed, ReportNameTaken), StrategyAligned (Aligned,
	// UnknownObjective, UnknownCategory, NoContribution, NoPortfolio) and
	// DependenciesOnTrack (NoDependencies, OnTrack, DependenciesAtRisk,
	// DependencyCycle). Ready depends on none of Compliant, StrategyAligned
	// and DependenciesOnTrack.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the metadata.generation last reconciled.
	// +optional
	// +kubebuilder:validation:Minimum=1
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// office is the governing Office: the one spec.officeRef names, else the
	// one of the parent this object inherits it from. Unset while none is
	// resolved.
	// +optional
	Office *ObjectReference `json:"office,omitempty"`

	// currency is the currency of the programme's amounts (its totals included): spec.currency when
	// set; else the governing Office's currency, recorded when the programme's
	// governance was first fully resolved and kept across moves. Unset while
	// neither is known.
	// +optional
	Currency Currency `json:"currency,omitempty"`

	// heldTo are the Offices whose policies the programme is held to: those above
	// it when its references last all resolved, kept while a reference is
	// missing or points somewhere more lenient, and replaced only by a
	// governance at least as strict. Gates and Enforce apply under these and
	// the offices above it now together, so editing a reference never
	// loosens governance; an administrator who may write status can clear
	// it.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	HeldTo []ObjectReference `json:"heldTo,omitempty"`

	// health is the programme's RAG status: the worst of its Projects, its own
	// risks and its compliance.
	// +optional
	Health Health `json:"health,omitempty"`

	// ownHealth is the health of the programme's own risks and gates,
	// without its projects'.
	// +optional
	OwnHealth Health `json:"ownHealth,omitempty"`

	// ownHealthReasons say, one line each, what lowers ownHealth.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	OwnHealthReasons []string `json:"ownHealthReasons,omitempty"`

	// healthReasons say, one line each, what lowers health.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	HealthReasons []string `json:"healthReasons,omitempty"`

	// risks summarises the programme's own risk register.
	// +optional
	Risks RiskSummary `json:"risks,omitzero"`

	// compliance with the gates of the effective policy.
	// +optional
	Compliance ComplianceStatus `json:"compliance,omitzero"`

	// rollup is the aggregate of the programme's Projects.
	// +optional
	Rollup Rollup `json:"rollup,omitzero"`

	// --- Strategy (MoP): the programme's strategic score. ---

	// score is the programme's strategic contribution to its portfolio's
	// objectives, 0 to 100 (the README gives the formula). Unset while no
	// portfolio is resolved or it declares no objectives.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Score *int32 `json:"score,omitempty"`

	// Dependencies (see dependency_types.go).

	// dependencies is the verdict on each entry of spec.dependsOn, in its
	// order: its state (OnTrack or AtRisk), the cause, the provider's end
	// date, and the health it lowers this programme's to. Summarised
	// by the DependenciesOnTrack condition.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	Dependencies []DependencyStatus `json:"dependencies,omitempty"`

	// forecastEnd is the programme's forecast end, published for those who
	// depend on it: the latest end (Project.ForecastEnd) of its projects.
	// Unset while it has none that states an end.
	// +optional
	ForecastEnd Date `json:"forecastEnd,omitempty"`

	// committedByYear is what the programme commits by financial year
	// (earliest first, at most 32): its own spec.budget phased by its
	// tranches, each tranche's budget in the financial year of its start
	// under the governing Office's financialYearStart, plus its projects'
	// spec.plan.budgetByYear. A tranche without a start or budget, or a
	// programme without spec.budget, phases nothing. Unset while the
	// projects' totals are incomplete or nothing is phased.
	// +optional
	// +listType=map
	// +listMapKey=year
	// +kubebuilder:validation:MaxItems=32
	CommittedByYear []PhasedAmount `json:"committedByYear,omitempty"`

	// directionOfTravel counts how the projects beneath moved since the last
	// sealed snapshot of the report; unset while reports are off or no
	// earlier period's snapshot is held.
	// +optional
	DirectionOfTravel DirectionOfTravel `json:"directionOfTravel,omitzero"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=prog,categories=p3o
// +kubebuilder:printcolumn:name="Portfolio",type=string,JSONPath=`.spec.portfolioRef.name`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.spec.phase`
// +kubebuilder:printcolumn:name="Health",type=string,JSONPath=`.status.health`
// +kubebuilder:printcolumn:name="Compliant",type=string,JSONPath=`.status.conditions[?(@.type=="Compliant")].status`
// +kubebuilder:printcolumn:name="Budget",type=string,JSONPath=`.status.rollup.money.display.budget`
// +kubebuilder:printcolumn:name="Forecast",type=string,JSONPath=`.status.rollup.money.display.forecast`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Office",type=string,JSONPath=`.status.office.name`,priority=1
// +kubebuilder:printcolumn:name="Projects",type=integer,JSONPath=`.status.rollup.projects`,priority=1
// +kubebuilder:printcolumn:name="Next Gate",type=string,JSONPath=`.status.compliance.nextGate`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// Programme is an MSP programme: a temporary organisation that coordinates
// related Projects to deliver outcomes and benefits.
type Programme struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired state of the programme.
	// +required
	Spec ProgrammeSpec `json:"spec,omitzero"`

	// status is the observed state of the programme.
	// +optional
	Status ProgrammeStatus `json:"status,omitzero"`
}

// +kubebuilder:object:root=true

// ProgrammeList is a list of Programmes.
type ProgrammeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Programme `json:"items"`
}
