/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// StrategicObjective is an objective the portfolio contributes to (MoP).
type StrategicObjective struct {
	// name identifies the objective, e.g. "digital-by-default".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name,omitempty"`

	// description of the objective.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// weight is the objective's weight in the portfolio's strategy, 1 to
	// 100; defaults to 1 (objectives of equal weight). It weighs each
	// contribution in the score of the work, and its share of all weights
	// is the objective's target share of the committed money.
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	Weight int32 `json:"weight,omitempty"`
}

// PortfolioSpec is the desired state of a Portfolio.
// +kubebuilder:validation:XValidation:rule="!has(self.categoryTargets) || self.categoryTargets.all(t, has(self.categories) && t.category in self.categories)",message="each categoryTargets[].category must be one of spec.categories",fieldPath=".categoryTargets"
type PortfolioSpec struct {
	// officeRef names the Office that governs this portfolio. The office must
	// admit the portfolio's namespace through its spec.allowedChildren.
	// +required
	OfficeRef ParentReference `json:"officeRef,omitzero"`

	// currency is the currency the portfolio's amounts are written in (ISO 4217,
	// e.g. GBP). Optional: unset, the amounts are in the currency of the
	// Office that governed the portfolio when its governance was first fully
	// resolved, and they keep that currency when the portfolio moves under an
	// office of another one (they are never relabelled). Setting it restates
	// the amounts in that currency. Amounts in a currency other than the
	// governing office's are left out of its totals (MixedCurrency).
	// +optional
	Currency Currency `json:"currency,omitempty"`

	// description says what the portfolio covers.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// objectives are the strategic objectives the portfolio serves.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=32
	Objectives []StrategicObjective `json:"objectives,omitempty"`

	// capacity is the budget the portfolio can commit, in the governing
	// Office's currency, e.g. "12M". Committed budgets above it are flagged
	// as over-commitment.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self < 1000000000000000 : self.matches('^-?[0-9]+([.][0-9]{1,2})?[kMGT]?$') && quantity(self).compareTo(quantity('1000T')) < 0",message="must be an amount such as 1500000, 2.5M or 750k: digits, at most two decimals, an optional k, M, G or T, and below 1000T (1m would mean a thousandth: write 1M for a million; no exponents, no binary suffixes such as Mi; quote amounts with decimals)"
	Capacity *resource.Quantity `json:"capacity,omitempty"`

	// capacityByYear is the budget the portfolio can commit in each
	// financial year (at most 16), named by the calendar year in which the
	// year starts (see the Office's financialYearStart). What is committed
	// in a year above its capacity is flagged in status.committedByYear.
	// +optional
	// +listType=map
	// +listMapKey=year
	// +kubebuilder:validation:MaxItems=16
	CapacityByYear []YearAmount `json:"capacityByYear,omitempty"`

	// categories are the portfolio's investment categories, e.g. "Run",
	// "Grow", "Transform" or "Regulatory". Programmes and Projects name one
	// in spec.category.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=63
	Categories []string `json:"categories,omitempty"`

	// --- Strategy (MoP balance): target shares of the categories. ---

	// categoryTargets are the target shares of the committed money per
	// category, in percent, each naming one of spec.categories; together
	// at most 100. A category without a target is shown without a flag.
	// Actual shares more than 5 percentage points above or below the target
	// are flagged OverWeight or UnderWeight in status.strategy.
	// +optional
	// +listType=map
	// +listMapKey=category
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:XValidation:rule="self.map(t, t.sharePercent).sum() <= 100",message="the target shares add up to more than 100 percent"
	CategoryTargets []CategoryTarget `json:"categoryTargets,omitempty"`

	// reports controls the report ConfigMaps published for this portfolio.
	// Enabled by default.
	// +optional
	Reports ReportSettings `json:"reports,omitzero"`

	// allowedChildren says from which namespaces Programmes and Projects may
	// attach to this portfolio. Defaults to its own namespace only.
	// +optional
	AllowedChildren AllowedChildren `json:"allowedChildren,omitzero"`
}

// PortfolioStatus is the observed state of a Portfolio.
// +kubebuilder:validation:MinProperties=1
type PortfolioStatus struct {
	// conditions are Ready (Succeeded, or the reason of the first of
	// ParentResolved, RolledUp, ReportPublished that is not True),
	// ParentResolved (the office: Resolved, ParentNotFound, NotPermitted),
	// RolledUp (Aggregated, NoChildren, MixedCurrency) and, when reports are
	// enabled, ReportPublished (Published, Truncated, PublishFailed, ReportNameTaken).
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

	// currency is the currency of the portfolio's amounts (its totals included): spec.currency when
	// set; else the governing Office's currency, recorded when the portfolio's
	// governance was first fully resolved and kept across moves. Unset while
	// neither is known.
	// +optional
	Currency Currency `json:"currency,omitempty"`

	// committed is the sum of the budgets of the portfolio's Programmes and
	// direct Projects, written as an Amount ("4500001500.25"). Unset while
	// nothing beneath states a budget or the totals are incomplete.
	// +optional
	Committed Amount `json:"committed,omitempty"`

	// display is capacity and committed written for people, with the
	// currency.
	// +optional
	Display MoneyDisplay `json:"display,omitzero"`

	// overCommitted is true when committed exceeds spec.capacity and false
	// when it does not. Unset when the portfolio sets no spec.capacity.
	// +optional
	OverCommitted *bool `json:"overCommitted,omitempty"`

	// committedByYear is the committed money by financial year, each year
	// of spec.capacityByYear and each year money is phased into, earliest
	// first (at most 32): projects' spec.plan.budgetByYear and programmes'
	// status.committedByYear, the same work as committed counts. Money not
	// phased counts in committed only. Unset while the totals are
	// incomplete (amounts in another currency) or there is nothing to show.
	// +optional
	// +listType=map
	// +listMapKey=year
	// +kubebuilder:validation:MaxItems=32
	CommittedByYear []YearCommitment `json:"committedByYear,omitempty"`

	// rollup is the aggregate of the portfolio's Programmes and direct
	// Projects.
	// +optional
	Rollup Rollup `json:"rollup,omitzero"`

	// --- Strategy (MoP prioritisation and balance). ---

	// strategy is the ranking of the portfolio's open Programmes and direct
	// Projects by strategic score, and its committed money by category and
	// by objective against the targets.
	// +optional
	Strategy PortfolioStrategy `json:"strategy,omitzero"`

	// directionOfTravel counts how the projects beneath moved since the last
	// sealed snapshot of the report; unset while reports are off or no
	// earlier period's snapshot is held.
	// +optional
	DirectionOfTravel DirectionOfTravel `json:"directionOfTravel,omitzero"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pf,categories=p3o
// +kubebuilder:printcolumn:name="Office",type=string,JSONPath=`.spec.officeRef.name`
// +kubebuilder:printcolumn:name="Health",type=string,JSONPath=`.status.rollup.health`
// +kubebuilder:printcolumn:name="Projects",type=integer,JSONPath=`.status.rollup.projects`
// +kubebuilder:printcolumn:name="Capacity",type=string,JSONPath=`.status.display.capacity`
// +kubebuilder:printcolumn:name="Committed",type=string,JSONPath=`.status.display.committed`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Programmes",type=integer,JSONPath=`.status.rollup.programmes`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// Portfolio is the set of Programmes and Projects an organisation invests in,
// balanced against capacity and ranked by priority (MoP).
type Portfolio struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired state of the portfolio.
	// +required
	Spec PortfolioSpec `json:"spec,omitzero"`

	// status is the observed state of the portfolio.
	// +optional
	Status PortfolioStatus `json:"status,omitzero"`
}

// +kubebuilder:object:root=true

// PortfolioList is a list of Portfolios.
type PortfolioList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Portfolio `json:"items"`
}
