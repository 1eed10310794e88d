/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
)

// BenefitUnit is the unit a benefit is measured in.
// +kubebuilder:validation:Enum=Money;Hours;Days;Percent;Count;Score
type BenefitUnit string

const (
	// BenefitUnitMoney: an amount in the governing Office's currency. Money
	// benefits add up in totals.
	BenefitUnitMoney BenefitUnit = "Money"
	// BenefitUnitHours: hours, e.g. staff hours saved a year.
	BenefitUnitHours BenefitUnit = "Hours"
	// BenefitUnitDays: days, e.g. the days a process takes.
	BenefitUnitDays BenefitUnit = "Days"
	// BenefitUnitPercent: a percentage, e.g. a share of cases handled
	// first time.
	BenefitUnitPercent BenefitUnit = "Percent"
	// BenefitUnitCount: a number of things, e.g. calls a month.
	BenefitUnitCount BenefitUnit = "Count"
	// BenefitUnitScore: a score on a scale the label names, e.g. customer
	// satisfaction out of 10.
	BenefitUnitScore BenefitUnit = "Score"
)

// BenefitMeasure says how a benefit is measured.
// +kubebuilder:validation:MinProperties=1
type BenefitMeasure struct {
	// unit is what the benefit's baseline, target, forecast and realised
	// are counted in: Money (default; the governing Office's currency),
	// Hours, Days, Percent, Count or Score. Only money benefits add up;
	// the others are listed, never summed.
	// +optional
	// +kubebuilder:default=Money
	Unit BenefitUnit `json:"unit,omitempty"`

	// label says in words what is measured, e.g. "staff hours saved a
	// year" or "customer satisfaction out of 10".
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Label string `json:"label,omitempty"`
}

// Benefit is a measurable improvement an outcome is expected to bring (MSP).
// Its figures are levels of its measure: the benefit is the change from
// baseline towards target (a target below the baseline is a reduction, e.g.
// days a process takes). Planned is target minus baseline; realised and
// forecast count the same way (README "Benefits").
// +kubebuilder:validation:XValidation:rule="!has(self.target) || !has(self.planned)",message="planned is the former name of target: set one of them"
// +kubebuilder:validation:XValidation:rule="!has(self.programmeBenefit) || !has(self.target) && !has(self.planned) && !has(self.baseline) && !has(self.forecast) && !has(self.realised)",message="a contribution to a programme benefit (programmeBenefit) carries no figures of its own: the programme's benefit holds them, so that nothing is counted twice"
type Benefit struct {
	// name identifies the benefit, e.g. "Reduced processing time".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name,omitempty"`

	// owner is the person accountable for realising the benefit (MSP's
	// benefit owner).
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Owner string `json:"owner,omitempty"`

	// measure is the benefit's unit and what it measures. Defaults to
	// Money in the governing Office's currency.
	// +optional
	Measure BenefitMeasure `json:"measure,omitzero"`

	// baseline is the measure's level before the change. Defaults to zero
	// (nothing saved yet, the usual case for money).
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Baseline *resource.Quantity `json:"baseline,omitempty"`

	// target is the measure's level the benefit is expected to reach by the
	// due date.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Target *resource.Quantity `json:"target,omitempty"`

	// planned is the former name of target, still read as target.
	// Deprecated: write target.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Planned *resource.Quantity `json:"planned,omitempty"`

	// forecast is the level now expected by the due date. Compared with
	// target under the benefits tolerance (tolerances.benefitsPercent).
	// Unset, the benefit is not forecast and no tolerance applies.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Forecast *resource.Quantity `json:"forecast,omitempty"`

	// realised is the level reached so far. Unset is nothing realised
	// (the baseline).
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Realised *resource.Quantity `json:"realised,omitempty"`

	// due is the date by which the benefit is expected to be realised. Past
	// it, a benefit realised too little lowers health (README "Benefits").
	// +optional
	Due Date `json:"due,omitempty"`

	// cashable says whether the benefit releases money that can be taken
	// out of a budget (MSP's cashable benefit) rather than value that
	// cannot (time saved, satisfaction). Unset is not stated.
	// +optional
	Cashable *bool `json:"cashable,omitempty"`

	// programmeBenefit names, on a Project's benefit, the benefit of the
	// project's Programme it contributes to. The programme's benefit holds
	// the figures and is counted once; the project's entry carries none. A
	// name the programme does not declare, or a project outside a
	// programme, is reported on the project (condition BenefitsLinked),
	// never refused. Not used on a Programme's benefits.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	ProgrammeBenefit string `json:"programmeBenefit,omitempty"`
}

// TargetLevel is the benefit's target: spec target, else its former name
// planned.
func (b Benefit) TargetLevel() *resource.Quantity {
	if b.Target != nil {
		return b.Target
	}
	return b.Planned
}

// MeasureUnit is the benefit's unit, Money while none is written.
func (b Benefit) MeasureUnit() BenefitUnit {
	if b.Measure.Unit == "" {
		return BenefitUnitMoney
	}
	return b.Measure.Unit
}

// ProgrammeTolerances are a Programme's tolerances (PRINCE2 applies them at
// every level of management; MSP holds benefits at the programme).
// +kubebuilder:validation:MinProperties=1
type ProgrammeTolerances struct {
	// benefitsPercent is how far a benefit's forecast may fall short of its
	// planned improvement (target minus baseline), as a percentage of it,
	// before the programme is in exception; and how far a benefit past its
	// due date may have fallen short in what it realised. Defaults to 10.
	// +optional
	// +kubebuilder:default=10
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	BenefitsPercent *int32 `json:"benefitsPercent,omitempty"`
}

// BenefitsSummary sums the money benefits counted beneath an object, each
// once, and lists the others.
// +kubebuilder:validation:MinProperties=1
type BenefitsSummary struct {
	// planned is the sum of the planned improvements (target minus
	// baseline) of money benefits, written as an Amount. Unset when no
	// benefit states one.
	// +optional
	Planned Amount `json:"planned,omitempty"`
	// realised is the sum of the improvements realised so far (realised
	// minus baseline) of money benefits, written as an Amount. Unset when
	// no benefit states one.
	// +optional
	Realised Amount `json:"realised,omitempty"`

	// forecast is the sum of the forecast improvements of money benefits,
	// a benefit that states no forecast counting its planned improvement,
	// written as an Amount. Unset when no benefit states a target.
	// +optional
	Forecast Amount `json:"forecast,omitempty"`

	// byYear is planned, forecast and realised money by the financial year
	// the benefits fall due in (the governing Office's
	// financialYearStart), earliest first, the benefits with no due date
	// last (no year). At most 32 years (the earliest) and the undated.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=33
	ByYear []BenefitYear `json:"byYear,omitempty"`

	// measured lists the benefits measured in units other than money, by
	// due date then name, at most 16; they are never summed.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	Measured []MeasuredBenefit `json:"measured,omitempty"`

	// measuredNotListed counts the benefits in units other than money left
	// out of measured by its bound.
	// +optional
	// +kubebuilder:validation:Minimum=1
	MeasuredNotListed int32 `json:"measuredNotListed,omitempty"`
}

// BenefitYear is the money benefits falling due in one financial year.
type BenefitYear struct {
	// year is the financial year, named by the calendar year it starts in;
	// unset for the benefits with no due date.
	// +optional
	// +kubebuilder:validation:Minimum=1900
	// +kubebuilder:validation:Maximum=9999
	Year int32 `json:"year,omitempty"`
	// benefits counts the money benefits due in the year.
	// +required
	// +kubebuilder:validation:Minimum=1
	Benefits int32 `json:"benefits,omitempty"`
	// planned is their planned improvement, written as an Amount.
	// +optional
	Planned Amount `json:"planned,omitempty"`
	// forecast is their forecast improvement (planned where none is
	// forecast), written as an Amount.
	// +optional
	Forecast Amount `json:"forecast,omitempty"`
	// realised is their improvement realised so far, written as an Amount.
	// +optional
	Realised Amount `json:"realised,omitempty"`
}

// MeasuredHolderMaxLength bounds MeasuredBenefit.holder and
// MeasuredLevelMaxLength its levels, as their MaxLength markers do: the
// operator shortens longer texts (internal/shorten); the webhook's amount
// grammar keeps levels far shorter.
const (
	MeasuredHolderMaxLength = 330
	MeasuredLevelMaxLength  = 40
)

// MeasuredBenefit is a benefit measured in a unit other than money.
type MeasuredBenefit struct {
	// holder is the object holding the benefit, as "Kind namespace/name".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=330
	Holder string `json:"holder,omitempty"`
	// name is the benefit's name.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name,omitempty"`
	// unit is the benefit's unit.
	// +required
	Unit BenefitUnit `json:"unit,omitempty"`
	// label says what is measured.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Label string `json:"label,omitempty"`
	// year is the financial year the benefit falls due in; unset with no
	// due date.
	// +optional
	// +kubebuilder:validation:Minimum=1900
	// +kubebuilder:validation:Maximum=9999
	Year int32 `json:"year,omitempty"`
	// due is the benefit's due date.
	// +optional
	Due Date `json:"due,omitempty"`
	// baseline is the level before the change, as written (a decimal
	// number); unset when not stated, as are target, forecast and realised.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	Baseline string `json:"baseline,omitempty"`
	// target is the level planned by the due date.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	Target string `json:"target,omitempty"`
	// forecast is the level now expected by the due date.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	Forecast string `json:"forecast,omitempty"`
	// realised is the level reached so far.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=40
	Realised string `json:"realised,omitempty"`
}
