/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ProjectPhase is a PRINCE2 project phase.
// +kubebuilder:validation:Enum=StartingUp;Initiating;Delivering;Closing;Closed
type ProjectPhase string

const (
	// ProjectStartingUp: starting up a project (mandate, brief).
	ProjectStartingUp ProjectPhase = "StartingUp"
	// ProjectInitiating: initiating the project (business case, plan).
	ProjectInitiating ProjectPhase = "Initiating"
	// ProjectDelivering: delivering the products, stage by stage.
	ProjectDelivering ProjectPhase = "Delivering"
	// ProjectClosing: closing the project (handover, lessons).
	ProjectClosing ProjectPhase = "Closing"
	// ProjectClosed: the project has closed.
	ProjectClosed ProjectPhase = "Closed"
)

// Stage is the PRINCE2 management stage a project is in.
// +kubebuilder:validation:XValidation:rule="self.current <= self.total",message="current must not exceed total"
type Stage struct {
	// current is the number of the stage the project is in, from 1.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	Current int32 `json:"current,omitempty"`

	// total is the number of management stages planned.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	Total int32 `json:"total,omitempty"`

	// name of the current stage, e.g. "Build".
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name,omitempty"`
}

// Plan is the baseline a project is measured against.
// +kubebuilder:validation:XValidation:rule="!has(self.start) || !has(self.end) || self.start <= self.end",message="end must not be before start"
type Plan struct {
	// budget is the approved budget at completion, in the governing Office's
	// currency, e.g. "1.2M" or 250000. 0 is a valid budget; a missing one is
	// rejected rather than read as 0.
	// +required
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self < 1000000000000000 : self.matches('^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$') && quantity(self).compareTo(quantity('1000T')) < 0",message="must be an amount such as 1500000, 2.5M or 750k: digits, at most two decimals, an optional k, M, G or T, and below 1000T (1m would mean a thousandth: write 1M for a million; no exponents, no binary suffixes such as Mi; quote amounts with decimals)"
	Budget *resource.Quantity `json:"budget,omitempty"`

	// start is the planned start date.
	// +optional
	Start Date `json:"start,omitempty"`

	// end is the planned end date.
	// +optional
	End Date `json:"end,omitempty"`

	// budgetByYear phases the budget by financial year (at most 16), each
	// year named by the calendar year in which it starts (see the Office's
	// financialYearStart). Optional: what it leaves of the budget is not
	// phased. The webhook refuses years that add up to more than the budget.
	// A portfolio adds them up by year against its spec.capacityByYear.
	// +optional
	// +listType=map
	// +listMapKey=year
	// +kubebuilder:validation:MaxItems=16
	BudgetByYear []YearAmount `json:"budgetByYear,omitempty"`
}

// Tolerances are the PRINCE2 project tolerances: how far forecasts may
// deviate from the plan, above or below it, before the project is in
// exception (PRINCE2 7, the Progress practice). Time and cost tolerances
// apply both ways: a forecast beyond them above the plan is an overrun, one
// beyond them below it an underspend or an early finish, each an exception
// of its own kind (status.toleranceExceptions). Risk tolerance is computed
// from the risk register; scope and quality tolerances are declared by a
// person, never derived.
// +kubebuilder:validation:MinProperties=1
type Tolerances struct {
	// costPercent is how far the cost forecast may lie above or below the
	// budget, as a percentage of the budget. Defaults to 10; 0 allows no
	// deviation.
	// +optional
	// +kubebuilder:default=10
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	CostPercent *int32 `json:"costPercent,omitempty"`

	// time is how far the forecast end may lie after or before the planned
	// end, e.g. "4w". Defaults to 4w; "0d" allows no deviation.
	// +optional
	// +kubebuilder:default="4w"
	Time ToleranceDuration `json:"time,omitempty"`

	// benefitsPercent is how far a benefit's forecast may fall short of its
	// planned improvement (target minus baseline), as a percentage of it,
	// before the project is in exception; and how far a benefit past its
	// due date may have fallen short in what it realised. Applies to the
	// benefits the project holds itself (not its contributions to a
	// programme's benefits, which the programme's tolerance governs).
	// Defaults to 10.
	// +optional
	// +kubebuilder:default=10
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	BenefitsPercent *int32 `json:"benefitsPercent,omitempty"`

	// riskExposure is the most open threat exposure (the sum of probability
	// × impact of the threats not Closed) the project may carry; more is an
	// exception. Unset means no risk exposure tolerance.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=3200
	RiskExposure *int32 `json:"riskExposure,omitempty"`

	// riskSeverity is the highest severity (probability × impact, 1–25) a
	// single open threat may have; a threat above it is an exception. Unset
	// means no risk severity tolerance.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=25
	RiskSeverity int32 `json:"riskSeverity,omitempty"`

	// scope is the project manager's declaration of whether the products
	// to be delivered are within their scope tolerance (PRINCE2: the
	// permitted variation of the plan's products). The operator never
	// derives it.
	// +optional
	Scope DeclaredTolerance `json:"scope,omitzero"`

	// quality is the project manager's declaration of whether the products
	// meet their quality tolerance (the acceptance criteria's permitted
	// range). The operator never derives it.
	// +optional
	Quality DeclaredTolerance `json:"quality,omitzero"`
}

// ToleranceState is a person's declaration about a tolerance.
// +kubebuilder:validation:Enum=Within;Beyond
type ToleranceState string

const (
	// ToleranceWithin: the forecast is within the tolerance.
	ToleranceWithin ToleranceState = "Within"
	// ToleranceBeyond: the forecast is beyond the tolerance, an exception.
	ToleranceBeyond ToleranceState = "Beyond"
)

// DeclaredTolerance is a tolerance a person judges (scope, quality): its
// state and why.
// +kubebuilder:validation:XValidation:rule="self.state != 'Beyond' || has(self.reason)",message="reason is required when state is Beyond: say what is beyond tolerance",fieldPath=".reason"
type DeclaredTolerance struct {
	// state is Within or Beyond. Beyond is an exception: health is Red.
	// +required
	State ToleranceState `json:"state,omitempty"`

	// reason says why, e.g. "the card-payment module is descoped to
	// phase 2". Required when state is Beyond.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	Reason string `json:"reason,omitempty"`
}

// ToleranceExceptionKind is the kind of a forecast beyond tolerance.
// +kubebuilder:validation:Enum=CostOverrun;Underspend;LateFinish;EarlyFinish;RiskExposure;RiskSeverity;Benefits;Scope;Quality
type ToleranceExceptionKind string

const (
	// ExceptionCostOverrun: the cost forecast is above budget beyond the
	// cost tolerance.
	ExceptionCostOverrun ToleranceExceptionKind = "CostOverrun"
	// ExceptionUnderspend: the cost forecast is below budget beyond the
	// cost tolerance (money that could be released, or a padded budget).
	ExceptionUnderspend ToleranceExceptionKind = "Underspend"
	// ExceptionLateFinish: the forecast end is after the planned end
	// beyond the time tolerance.
	ExceptionLateFinish ToleranceExceptionKind = "LateFinish"
	// ExceptionEarlyFinish: the forecast end is before the planned end
	// beyond the time tolerance.
	ExceptionEarlyFinish ToleranceExceptionKind = "EarlyFinish"
	// ExceptionRiskExposure: the open threat exposure is above
	// tolerances.riskExposure.
	ExceptionRiskExposure ToleranceExceptionKind = "RiskExposure"
	// ExceptionRiskSeverity: an open threat is above
	// tolerances.riskSeverity.
	ExceptionRiskSeverity ToleranceExceptionKind = "RiskSeverity"
	// ExceptionBenefits: a benefit's forecast improvement falls short of
	// the planned one beyond tolerances.benefitsPercent.
	ExceptionBenefits ToleranceExceptionKind = "Benefits"
	// ExceptionScope: the project manager declares scope beyond tolerance.
	ExceptionScope ToleranceExceptionKind = "Scope"
	// ExceptionQuality: the project manager declares quality beyond
	// tolerance.
	ExceptionQuality ToleranceExceptionKind = "Quality"
)

// IsUnderrun reports whether the exception is a forecast below the plan
// (an underspend or an early finish), whose bearing on health the Office
// decides (spec.governance.underrunHealth).
func (k ToleranceExceptionKind) IsUnderrun() bool {
	return k == ExceptionUnderspend || k == ExceptionEarlyFinish
}

// ToleranceExceptionKinds are the kinds of tolerance exception in the
// order they are listed: cost, time, risk, benefits, scope, quality.
var ToleranceExceptionKinds = []ToleranceExceptionKind{ExceptionCostOverrun, ExceptionUnderspend, ExceptionLateFinish,
	ExceptionEarlyFinish, ExceptionRiskExposure, ExceptionRiskSeverity, ExceptionBenefits, ExceptionScope, ExceptionQuality}

// Words names the exception in PRINCE2's words, as every output shows it:
// "Underspend beyond tolerance", never an overrun. An unknown kind is
// written as it is.
func (k ToleranceExceptionKind) Words() string {
	switch k {
	case ExceptionCostOverrun:
		return "Cost overrun beyond tolerance"
	case ExceptionUnderspend:
		return "Underspend beyond tolerance"
	case ExceptionLateFinish:
		return "Late finish beyond time tolerance"
	case ExceptionEarlyFinish:
		return "Early finish beyond time tolerance"
	case ExceptionRiskExposure:
		return "Threat exposure beyond risk tolerance"
	case ExceptionRiskSeverity:
		return "Threat severity beyond risk tolerance"
	case ExceptionBenefits:
		return "Benefits short of plan beyond tolerance"
	case ExceptionScope:
		return "Scope beyond tolerance (declared)"
	case ExceptionQuality:
		return "Quality beyond tolerance (declared)"
	}
	return string(k)
}

// ToleranceExceptionMessageMaxLength bounds
// status.toleranceExceptions[].message, equal to its MaxLength marker.
const ToleranceExceptionMessageMaxLength = 1024

// ToleranceException is one forecast beyond tolerance: a PRINCE2 exception.
type ToleranceException struct {
	// kind of the exception: CostOverrun, Underspend, LateFinish,
	// EarlyFinish, RiskExposure, RiskSeverity, Benefits, Scope or Quality.
	// +required
	Kind ToleranceExceptionKind `json:"kind,omitempty"`

	// health is what the exception does to the project's health: Red for
	// an overrun, a risk or a declared exception; for an underspend or an
	// early finish, the governing Office's underrunHealth (Green leaves
	// health alone).
	// +required
	Health Health `json:"health,omitempty"`

	// message says what is beyond which tolerance, e.g. "cost forecast 700k
	// is below budget 1M beyond the 10% tolerance (underspend 300k)".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Message string `json:"message,omitempty"`
}

// Progress is the project manager's latest report (a PRINCE2 highlight
// report in figures).
type Progress struct {
	// asOf is the date the figures were reported. A report older than the
	// governing Office's reporting cadence is stale.
	// +required
	AsOf Date `json:"asOf,omitempty"`

	// actualCost incurred so far, in the governing Office's currency.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self < 1000000000000000 : self.matches('^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$') && quantity(self).compareTo(quantity('1000T')) < 0",message="must be an amount such as 1500000, 2.5M or 750k: digits, at most two decimals, an optional k, M, G or T, and below 1000T (1m would mean a thousandth: write 1M for a million; no exponents, no binary suffixes such as Mi; quote amounts with decimals)"
	ActualCost *resource.Quantity `json:"actualCost,omitempty"`

	// forecastCost is the forecast cost at completion, in the governing
	// Office's currency.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self < 1000000000000000 : self.matches('^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$') && quantity(self).compareTo(quantity('1000T')) < 0",message="must be an amount such as 1500000, 2.5M or 750k: digits, at most two decimals, an optional k, M, G or T, and below 1000T (1m would mean a thousandth: write 1M for a million; no exponents, no binary suffixes such as Mi; quote amounts with decimals)"
	ForecastCost *resource.Quantity `json:"forecastCost,omitempty"`

	// forecastEnd is the forecast end date.
	// +optional
	ForecastEnd Date `json:"forecastEnd,omitempty"`

	// percentComplete is the share of work done, 0 to 100.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	PercentComplete *int32 `json:"percentComplete,omitempty"`
}

// ProjectSpec is the desired state of a Project.
// +kubebuilder:validation:XValidation:rule="has(self.programmeRef) != has(self.portfolioRef)",message="exactly one of programmeRef or portfolioRef must be set"
// +kubebuilder:validation:XValidation:rule="self.phase != 'Closed' || has(self.closedOn)",message="closedOn is required once phase is Closed: the date the project closed, from which Gate 5 falls due",fieldPath=".closedOn"
type ProjectSpec struct {
	// programmeRef names the Programme the project belongs to. Exactly one
	// of programmeRef and portfolioRef is set.
	// +optional
	ProgrammeRef *ParentReference `json:"programmeRef,omitempty"`

	// portfolioRef names the Portfolio a stand-alone project belongs to.
	// Exactly one of programmeRef and portfolioRef is set.
	// +optional
	PortfolioRef *ParentReference `json:"portfolioRef,omitempty"`

	// currency is the currency the project's amounts are written in (ISO 4217,
	// e.g. GBP). Optional: unset, the amounts are in the currency of the
	// Office that governed the project when its governance was first fully
	// resolved, and they keep that currency when the project moves under an
	// office of another one (they are never relabelled). Setting it restates
	// the amounts in that currency. Amounts in a currency other than the
	// governing office's are left out of its totals (MixedCurrency).
	// +optional
	Currency Currency `json:"currency,omitempty"`

	// officeRef names the Office that governs the project, e.g. its Project
	// Support office. Defaults to the office of its programme or portfolio.
	// +optional
	OfficeRef *ParentReference `json:"officeRef,omitempty"`

	// description says what the project delivers.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// manager is the project manager.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Manager string `json:"manager,omitempty"`

	// phase is the PRINCE2 phase: StartingUp (default), Initiating,
	// Delivering, Closing or Closed.
	// +optional
	// +kubebuilder:default=StartingUp
	Phase ProjectPhase `json:"phase,omitempty"`

	// closedOn is the date the project closed (YYYY-MM-DD): required once
	// phase is Closed, and never after today. Gate 5 falls due its
	// dueWithin (26 weeks in the OGCGateway profile) after it.
	// +optional
	ClosedOn Date `json:"closedOn,omitempty"`

	// stage is the management stage the project is in.
	// +optional
	Stage Stage `json:"stage,omitzero"`

	// category is one of the portfolio's spec.categories: the portfolio's
	// balance counts the project's committed money under it. A category the
	// portfolio does not declare is reported on the object
	// (StrategyAligned=False, reason UnknownCategory), never refused.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Category string `json:"category,omitempty"`

	// priority is the rank a person gives the project within its portfolio:
	// 1 is the highest. Unset means none. Shown beside the rank the operator
	// computes (the Portfolio's status.strategy.ranking), where it breaks
	// ties of score.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	Priority int32 `json:"priority,omitempty"`

	// --- Strategy (MoP): contributions to the portfolio's objectives. ---

	// contributions are the portfolio objectives the project contributes to,
	// each with a strength: they give its strategic score and split its
	// committed money between objectives in the portfolio's balance.
	// +optional
	// +listType=map
	// +listMapKey=objective
	// +kubebuilder:validation:MaxItems=32
	Contributions []Contribution `json:"contributions,omitempty"`
	// --- end of strategy. ---

	// plan is the baseline: budget and planned dates.
	// +required
	Plan Plan `json:"plan,omitzero"`

	// tolerances on cost, time, risk, scope and quality before the project
	// is in exception. Defaults to costPercent 10 and time 4w.
	// +optional
	// +kubebuilder:default={costPercent: 10, time: "4w"}
	Tolerances Tolerances `json:"tolerances,omitzero"`

	// progress is the latest reported progress.
	// +optional
	Progress *Progress `json:"progress,omitempty"`

	// declaredRAG is the project manager's own RAG rating: Green, Amber or
	// Red. The worse of it and the derived health counts.
	// +optional
	DeclaredRAG RAG `json:"declaredRAG,omitempty"`

	// risks is the project's risk register.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=128
	Risks []Risk `json:"risks,omitempty"`

	// benefits the project is expected to enable: its own (a project
	// outside a programme, or one its programme does not hold), or, with
	// programmeBenefit, a contribution to a benefit its Programme holds.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=24
	Benefits []Benefit `json:"benefits,omitempty"`

	// allowedChildren says from which namespaces GatewayReviews may attach to
	// this project, e.g. the assurance team's. Defaults to its own namespace
	// only.
	// +optional
	AllowedChildren AllowedChildren `json:"allowedChildren,omitzero"`

	// Dependencies (see dependency_types.go).

	// dependsOn lists the Projects and Programmes this project depends on,
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

// ProjectStatus is the observed state of a Project.
// +kubebuilder:validation:MinProperties=1
type ProjectStatus struct {
	// conditions are Ready (reasons Succeeded, or the reason of
	// ParentResolved when that is not True), ParentResolved (programme or
	// portfolio, and office: Resolved, NoParent, ParentNotFound,
	// NotPermitted) and Compliant (GatesMet, GatesUnmet, RuleError,
	// NoPolicy), StrategyAligned (Aligned, UnknownObjective,
	// UnknownCategory, NoContribution, NoPortfolio), DependenciesOnTrack
	// (NoDependencies, OnTrack, DependenciesAtRisk, DependencyCycle) and
	// BenefitsLinked (NoContributions, Linked, UnknownBenefit,
	// NoProgramme). Ready depends on none of Compliant, StrategyAligned,
	// DependenciesOnTrack and BenefitsLinked: a project that misses a gate,
	// names an undeclared objective or benefit or whose dependency is at
	// risk is still fully observed.
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

	// currency is the currency of the project's amounts: spec.currency when
	// set; else the governing Office's currency, recorded when the project's
	// governance was first fully resolved and kept across moves. Unset while
	// neither is known.
	// +optional
	Currency Currency `json:"currency,omitempty"`

	// heldTo are the Offices whose policies the project is held to: those above
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

	// health is the RAG status that counts: the worse of the derived health
	// and spec.declaredRAG.
	// +optional
	Health Health `json:"health,omitempty"`

	// derivedHealth is the health computed from forecasts, tolerances,
	// risks, reporting and compliance.
	// +optional
	DerivedHealth Health `json:"derivedHealth,omitempty"`

	// healthReasons say, one line each, what lowers health, e.g. "cost
	// forecast 1.12M exceeds budget 1M beyond 10% tolerance".
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	HealthReasons []string `json:"healthReasons,omitempty"`

	// toleranceExceptions are the project's forecasts beyond tolerance
	// (PRINCE2 exceptions), each of its kind: an overrun, an underspend, a
	// late or early finish, a risk beyond tolerance, or a scope or quality
	// exception the project manager declares. Empty when there is none.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	ToleranceExceptions []ToleranceException `json:"toleranceExceptions,omitempty"`

	// reporting says whether the project's progress reporting keeps its
	// governing office's cadence (its policy's reportingCadence): Current,
	// Stale (no progress reported, or the last report is a cadence or more
	// old; health is Amber while it is), or NotRequired (StartingUp and
	// Closed projects are not held to a cadence).
	// +optional
	Reporting ReportingState `json:"reporting,omitempty"`

	// costVariance is forecast cost minus budget, written as an Amount:
	// positive is an overrun, negative an underrun. Unset while the project
	// states no budget or no forecast cost.
	// +optional
	CostVariance Amount `json:"costVariance,omitempty"`

	// display is the budget and forecast written for people, with the
	// governing Office's currency.
	// +optional
	Display MoneyDisplay `json:"display,omitzero"`

	// risks summarises the project's risk register.
	// +optional
	Risks RiskSummary `json:"risks,omitzero"`

	// compliance with the gates of the effective policy.
	// +optional
	Compliance ComplianceStatus `json:"compliance,omitzero"`

	// deliveryConfidence is the Delivery Confidence of the project's latest
	// GatewayReview with findings, dated today or earlier (the latest gate
	// on a tie); unset when there is none.
	// +optional
	DeliveryConfidence DeliveryConfidence `json:"deliveryConfidence,omitempty"`

	// --- Strategy (MoP): the project's strategic score. ---

	// score is the project's strategic contribution to its portfolio's
	// objectives, 0 to 100 (the README gives the formula). Unset while no
	// portfolio is resolved or it declares no objectives.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Score *int32 `json:"score,omitempty"`

	// Dependencies (see dependency_types.go).

	// dependencies is the verdict on each entry of spec.dependsOn, in its
	// order: its state (OnTrack or AtRisk), the cause, the provider's end
	// date, and the health it lowers this project's to. Summarised
	// by the DependenciesOnTrack condition.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	Dependencies []DependencyStatus `json:"dependencies,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=proj,categories=p3o
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.spec.phase`
// +kubebuilder:printcolumn:name="Health",type=string,JSONPath=`.status.health`
// +kubebuilder:printcolumn:name="Compliant",type=string,JSONPath=`.status.conditions[?(@.type=="Compliant")].status`
// +kubebuilder:printcolumn:name="Budget",type=string,JSONPath=`.status.display.budget`
// +kubebuilder:printcolumn:name="Forecast",type=string,JSONPath=`.status.display.forecast`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Office",type=string,JSONPath=`.status.office.name`,priority=1
// +kubebuilder:printcolumn:name="Programme",type=string,JSONPath=`.spec.programmeRef.name`,priority=1
// +kubebuilder:printcolumn:name="Portfolio",type=string,JSONPath=`.spec.portfolioRef.name`,priority=1
// +kubebuilder:printcolumn:name="Progress As Of",type=string,JSONPath=`.spec.progress.asOf`,priority=1
// +kubebuilder:printcolumn:name="Next Gate",type=string,JSONPath=`.status.compliance.nextGate`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// Project is a PRINCE2 project: a temporary organisation created to deliver
// products according to a business case, managed by stages and tolerances.
type Project struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired state of the project.
	// +required
	Spec ProjectSpec `json:"spec,omitzero"`

	// status is the observed state of the project.
	// +optional
	Status ProjectStatus `json:"status,omitzero"`
}

// +kubebuilder:object:root=true

// ProjectList is a list of Projects.
type ProjectList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Project `json:"items"`
}
