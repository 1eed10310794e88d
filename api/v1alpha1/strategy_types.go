/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// Strategic contribution, priority and balance (MoP): a Portfolio declares
// weighted objectives (spec.objectives) and categories with target shares
// (spec.categories, spec.categoryTargets); a Programme or Project declares
// its contributions and its category. The operator scores and ranks the
// portfolio's work and balances its committed money against the targets
// (internal/strategy; the formula is in the README).

// ContributionStrength is how strongly a Programme or Project contributes to
// an objective: Low (counts 1), Medium (2) or High (3).
// +kubebuilder:validation:Enum=Low;Medium;High
type ContributionStrength string

const (
	// StrengthLow counts 1 in the score.
	StrengthLow ContributionStrength = "Low"
	// StrengthMedium counts 2 in the score.
	StrengthMedium ContributionStrength = "Medium"
	// StrengthHigh counts 3 in the score.
	StrengthHigh ContributionStrength = "High"
)

// Contribution is a Programme's or Project's contribution to one of its
// portfolio's objectives.
type Contribution struct {
	// objective names one of the portfolio's spec.objectives. A name the
	// portfolio does not declare is reported on the object
	// (StrategyAligned=False, reason UnknownObjective) and counts for
	// nothing; it is never refused at admission.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Objective string `json:"objective,omitempty"`

	// strength is how strongly the work contributes: Low, Medium or High
	// (counting 1, 2 or 3). Defaults to Medium.
	// +optional
	// +kubebuilder:default=Medium
	Strength ContributionStrength `json:"strength,omitempty"`
}

// CategoryTarget is the share of a portfolio's committed money it means to
// invest in one category.
type CategoryTarget struct {
	// category names one of the portfolio's spec.categories.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Category string `json:"category,omitempty"`

	// sharePercent is the target share of the committed money, in percent
	// (0 to 100).
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	SharePercent *int32 `json:"sharePercent,omitempty"`
}

// BalanceWeight says how a category's or objective's actual share of the
// committed money compares with its target, beyond the tolerance of 5
// percentage points: OverWeight, UnderWeight, Balanced, or NoTarget when
// the portfolio sets none.
// +kubebuilder:validation:Enum=OverWeight;UnderWeight;Balanced;NoTarget
type BalanceWeight string

const (
	// BalanceOverWeight: the actual share exceeds the target by more than
	// the tolerance.
	BalanceOverWeight BalanceWeight = "OverWeight"
	// BalanceUnderWeight: the actual share falls short of the target by more
	// than the tolerance.
	BalanceUnderWeight BalanceWeight = "UnderWeight"
	// BalanceBalanced: the actual share is within the tolerance of the
	// target.
	BalanceBalanced BalanceWeight = "Balanced"
	// BalanceNoTarget: the portfolio sets no target for it.
	BalanceNoTarget BalanceWeight = "NoTarget"
)

// RankedWork is one open Programme or direct Project of a portfolio, in
// rank order.
type RankedWork struct {
	// kind is Programme or Project.
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

	// rank is the position in the portfolio, 1 the first: by score, then
	// spec.priority (set before unset, 1 first), then namespace and name.
	// +required
	// +kubebuilder:validation:Minimum=1
	Rank int32 `json:"rank,omitempty"`

	// score is the strategic contribution, 0 to 100 (the README gives the
	// formula).
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	Score *int32 `json:"score,omitempty"`

	// priority is the object's spec.priority, set by a person, shown beside
	// the computed rank. Unset when the object sets none.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10000
	Priority int32 `json:"priority,omitempty"`
}

// BalanceLine is the committed money of one category or objective against
// its target.
type BalanceLine struct {
	// name of the category or objective.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name,omitempty"`

	// committed is the money committed to it, written as an Amount.
	// +required
	Committed Amount `json:"committed,omitempty"`

	// actualPercent is committed as a share of the portfolio's
	// status.committed, in percent, rounded half up.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	ActualPercent *int32 `json:"actualPercent,omitempty"`

	// targetPercent is the target share, in percent rounded half up: a
	// category's spec.categoryTargets sharePercent; an objective's weight
	// as a share of all objectives' weights. Unset when there is none.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	TargetPercent *int32 `json:"targetPercent,omitempty"`

	// weight compares the actual share with the target (computed from the
	// exact amounts, not the rounded percentages): OverWeight, UnderWeight,
	// Balanced or NoTarget.
	// +required
	Weight BalanceWeight `json:"weight,omitempty"`
}

// PortfolioStrategy is a portfolio's ranking and balance, compact: the
// report (report.json, report.md, projects.csv) holds them whole.
// +kubebuilder:validation:MinProperties=1
type PortfolioStrategy struct {
	// ranking lists the portfolio's open Programmes and direct Projects in
	// rank order, the first 20 of them.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	Ranking []RankedWork `json:"ranking,omitempty"`

	// ranked is how many open Programmes and direct Projects were ranked
	// (ranking lists the first 20). Unset when none was.
	// +optional
	// +kubebuilder:validation:Minimum=1
	Ranked int32 `json:"ranked,omitempty"`

	// byCategory is the committed money per declared category against its
	// target, in the order of spec.categories. Unset while status.committed
	// is unknown (amounts in another currency) or nothing is committed.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	ByCategory []BalanceLine `json:"byCategory,omitempty"`

	// uncategorised is the committed money of work that names no declared
	// category, written as an Amount. Unset when there is none.
	// +optional
	Uncategorised Amount `json:"uncategorised,omitempty"`

	// byObjective is the committed money per declared objective against its
	// weight's share, in the order of spec.objectives: work contributing to
	// several objectives is split by the share of each contribution's
	// strength. Unset like byCategory.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	ByObjective []BalanceLine `json:"byObjective,omitempty"`

	// unaligned is the committed money of work contributing to no declared
	// objective, written as an Amount. Unset when there is none.
	// +optional
	Unaligned Amount `json:"unaligned,omitempty"`

	// objectivesWithoutWork are the declared objectives no open Programme or
	// direct Project contributes to.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=63
	ObjectivesWithoutWork []string `json:"objectivesWithoutWork,omitempty"`

	// unalignedWork is the number of open Programmes and direct Projects
	// contributing to no declared objective. Unset when there is none.
	// +optional
	// +kubebuilder:validation:Minimum=1
	UnalignedWork int32 `json:"unalignedWork,omitempty"`
}
