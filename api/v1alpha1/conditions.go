/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// ConditionType is the type of a status condition the operator sets.
type ConditionType string

// ConditionReason is the reason of a status condition the operator sets.
type ConditionReason string

// ConditionMessageMaxLength bounds a condition's message, as
// metav1.Condition's schema does: internal/conditions shortens longer
// messages to it (internal/shorten).
const ConditionMessageMaxLength = 32768

// Each condition type below is followed by the reasons it is set with.
// Ready is False with the reason of the first condition it depends on that
// is not True, so it carries their reasons too. Reasons that more than one
// condition is set with are listed together at the end.

// Ready, shared by every kind, and its own reasons.
const (
	// ConditionReady summarises the object: True when its references resolve
	// and its status (and, for kinds that roll up, its rollup and report)
	// is complete.
	ConditionReady ConditionType = "Ready"
	// ReasonSucceeded means the last reconciliation succeeded.
	ReasonSucceeded ConditionReason = "Succeeded"
	// ReasonProgressing means reconciliation is in progress.
	ReasonProgressing ConditionReason = "Progressing"
)

// Reconciling, shared by every kind, and its reasons (Ready's too while
// Reconciling is True): why an object's figures are not final yet. kstatus
// reads the object as InProgress.
const (
	// ConditionReconciling is present and True while the controller is
	// working towards the desired state (kstatus).
	ConditionReconciling ConditionType = "Reconciling"
	// ReasonChildrenPending: some children have not been reconciled at their
	// current generation (or are themselves still reconciling), so the
	// rollup does not reflect them yet.
	ReasonChildrenPending ConditionReason = "ChildrenPending"
	// ReasonReportPending: the rollup changed and the live report has not
	// been rebuilt with it yet (reports are rebuilt at most every few
	// seconds).
	ReasonReportPending ConditionReason = "ReportPending"
	// ReasonReconcileFailed: the last reconciliation failed with an error
	// that is retried (the message says which); status may be out of date.
	ReasonReconcileFailed ConditionReason = "ReconcileFailed"
)

// Stalled, shared by every kind, and the reason of its own that every kind
// may carry (Ready's too while Stalled is True). kstatus reads the object
// as Failed. Stalled is also True, with Ready's reason, when Ready is False
// for a reason only a person can help with: NotPermitted, HubLoop,
// MixedCurrency, InvalidRule or ReportNameTaken.
const (
	// ConditionStalled is present and True when the controller cannot make
	// progress without a change to the spec (kstatus).
	ConditionStalled ConditionType = "Stalled"
	// ReasonStatusRejected: the API server refused the status the operator
	// computed (the message says why). Status then holds only these
	// conditions beside what it held before; parents count the object as
	// failed, not pending. The object is reconciled again when it or what
	// it derives from changes.
	ReasonStatusRejected ConditionReason = "StatusRejected"
)

// ParentResolved, shared by every kind, and its reasons (HubLoop is set on
// Offices only). ParentNotFound, which it shares with Retired, is among the
// shared reasons below.
const (
	// ConditionParentResolved is True when every reference the object makes
	// points at an existing object that admits it.
	ConditionParentResolved ConditionType = "ParentResolved"
	// ReasonResolved means every reference resolved and was admitted.
	ReasonResolved ConditionReason = "Resolved"
	// ReasonNoParent means the object makes no reference (a root).
	ReasonNoParent ConditionReason = "NoParent"
	// ReasonNotPermitted means a referenced object exists in another namespace
	// that does not admit this object's namespace.
	ReasonNotPermitted ConditionReason = "NotPermitted"
	// ReasonHubLoop: following hubRef leads back to this office.
	ReasonHubLoop ConditionReason = "HubLoop"
)

// CurrencyMatched and its reasons. MixedCurrency, which it shares with
// RolledUp, is among the shared reasons below.
const (
	// ConditionCurrencyMatched says whether the object's amounts are in the
	// currency of its governing Office (SameCurrency, NoGoverningOffice) or
	// not (MixedCurrency: they are left out of that office's totals until
	// restated with spec.currency).
	ConditionCurrencyMatched ConditionType = "CurrencyMatched"
	// ReasonSameCurrency: the amounts are in the governing Office's currency.
	ReasonSameCurrency ConditionReason = "SameCurrency"
	// ReasonNoGoverningOffice: no governing Office is resolved yet, so no
	// currency to compare with.
	ReasonNoGoverningOffice ConditionReason = "NoGoverningOffice"
)

// RolledUp and its reasons. MixedCurrency, which it shares with
// CurrencyMatched, is among the shared reasons below.
const (
	// ConditionRolledUp is True when every admitted child was added up
	// (Offices, Portfolios, Programmes).
	ConditionRolledUp ConditionType = "RolledUp"
	// ReasonAggregated: the children were added up.
	ReasonAggregated ConditionReason = "Aggregated"
	// ReasonNoChildren: nothing references the object yet.
	ReasonNoChildren ConditionReason = "NoChildren"
)

// ReportPublished and its reasons.
const (
	// ConditionReportPublished is True when the live report ConfigMap holds
	// the current report. Absent when reports are disabled.
	ConditionReportPublished ConditionType = "ReportPublished"
	// ReasonPublished: the report is published in full.
	ReasonPublished ConditionReason = "Published"
	// ReasonTruncated: the report is published but summarised to fit.
	ReasonTruncated ConditionReason = "Truncated"
	// ReasonPublishFailed: the report could not be written (retried).
	ReasonPublishFailed ConditionReason = "PublishFailed"
	// ReasonReportNameTaken: the report's ConfigMap name is held by a
	// ConfigMap another object controls; only a person can free it, so the
	// object is Stalled.
	ReasonReportNameTaken ConditionReason = "ReportNameTaken"
)

// Condition type and reasons for compliance (Projects and Programmes).
const (
	// ConditionCompliant is True when every gate due for the object is met,
	// False when one is not, Unknown when one could not be evaluated or no
	// policy governs the object.
	ConditionCompliant ConditionType = "Compliant"
	// ReasonGatesMet: every gate due is met.
	ReasonGatesMet ConditionReason = "GatesMet"
	// ReasonGatesUnmet: at least one gate due is not met.
	ReasonGatesUnmet ConditionReason = "GatesUnmet"
	// ReasonNoPolicy: no governing Office policy applies (yet).
	ReasonNoPolicy ConditionReason = "NoPolicy"
	// ReasonRuleError: a gate's rule could not be evaluated, so the gate's
	// state is Unknown.
	ReasonRuleError ConditionReason = "RuleError"
)

// Office condition Retired and its reasons. ParentNotFound, which it
// shares with ParentResolved, is among the shared reasons below.
const (
	// ConditionRetired is True when a Temporary or ProjectSupport office's
	// supported object has reached phase Closed.
	ConditionRetired ConditionType = "Retired"
	// ReasonSupportedObjectClosed: the supported object is Closed.
	ReasonSupportedObjectClosed ConditionReason = "SupportedObjectClosed"
	// ReasonSupportedObjectActive: the supported object is not Closed.
	ReasonSupportedObjectActive ConditionReason = "SupportedObjectActive"
)

// Office condition PolicyValid and its reasons.
const (
	// ConditionPolicyValid is True when the office's effective governance
	// policy is usable: every rule compiles.
	ConditionPolicyValid ConditionType = "PolicyValid"
	// ReasonPolicyValid: the policy is usable as written.
	ReasonPolicyValid ConditionReason = "Valid"
	// ReasonLooserSettingsIgnored: a Satellite tried to loosen its hub's
	// policy; those settings are ignored and the hub's apply.
	ReasonLooserSettingsIgnored ConditionReason = "LooserSettingsIgnored"
	// ReasonInvalidRule: a gate's CEL rule does not compile.
	ReasonInvalidRule ConditionReason = "InvalidRule"
)

// Condition type StrategyAligned (Projects and Programmes) and its reasons.
// Ready does not depend on it, as it does not on Compliant: work that names
// an objective its portfolio does not declare is still fully observed.
const (
	// ConditionStrategyAligned is True when every objective and the category
	// the object names are declared by its portfolio and it contributes to
	// at least one objective (or the portfolio declares none); False when
	// it names an undeclared one or contributes to none; Unknown while no
	// portfolio is resolved. It follows the portfolio's spec, whichever is
	// applied first.
	ConditionStrategyAligned ConditionType = "StrategyAligned"
	// ReasonAligned: every reference is declared by the portfolio.
	ReasonAligned ConditionReason = "Aligned"
	// ReasonUnknownObjective: spec.contributions names an objective the
	// portfolio does not declare in spec.objectives (it counts for nothing).
	ReasonUnknownObjective ConditionReason = "UnknownObjective"
	// ReasonUnknownCategory: spec.category names a category the portfolio
	// does not declare in spec.categories (the balance counts the object's
	// money as uncategorised).
	ReasonUnknownCategory ConditionReason = "UnknownCategory"
	// ReasonNoContribution: the portfolio declares objectives and the object
	// contributes to none of them.
	ReasonNoContribution ConditionReason = "NoContribution"
	// ReasonNoPortfolio: no portfolio is resolved (yet), directly or through
	// the project's programme, so there is nothing to align with.
	ReasonNoPortfolio ConditionReason = "NoPortfolio"
)

// Reasons shared by several conditions: ParentNotFound by ParentResolved
// and Retired, MixedCurrency by RolledUp and CurrencyMatched.
const (
	// ReasonParentNotFound means a referenced object does not exist (yet).
	// With ParentResolved: one of the object's references; with Retired
	// (Unknown): the office's supported object is not resolved.
	ReasonParentNotFound ConditionReason = "ParentNotFound"
	// ReasonMixedCurrency: some children's amounts are in another currency
	// and were left out of the totals (RolledUp). With CurrencyMatched it
	// means the object's own amounts are in another currency than its
	// governing Office's, and are left out of that office's totals.
	ReasonMixedCurrency ConditionReason = "MixedCurrency"
)

// DependenciesOnTrack (Projects and Programmes) and its reasons. Ready does
// not depend on it, cycles included: a dependency at risk (even one in a
// cycle) is a finding about the plan, like an unmet gate, and the figures
// are final all the same; a cycle is named in the message on every
// member of it.
const (
	// ConditionDependenciesOnTrack is True when every dependency in
	// spec.dependsOn is on track (or there are none), False when one is at
	// risk; status.dependencies holds the verdict on each.
	ConditionDependenciesOnTrack ConditionType = "DependenciesOnTrack"
	// ReasonNoDependencies: spec.dependsOn is empty.
	ReasonNoDependencies ConditionReason = "NoDependencies"
	// ReasonDependenciesOnTrack: every dependency is on track.
	ReasonDependenciesOnTrack ConditionReason = "OnTrack"
	// ReasonDependenciesAtRisk: at least one dependency is at risk; the
	// message names each with its provider and cause.
	ReasonDependenciesAtRisk ConditionReason = "DependenciesAtRisk"
	// ReasonDependencyCycle: following dependencies from this object leads
	// back to it; the message names the cycle (a → b → a). Takes
	// precedence over DependenciesAtRisk.
	ReasonDependencyCycle ConditionReason = "DependencyCycle"
)

// BenefitsLinked (Projects) and its reasons. Ready does not depend on it:
// a contribution to a benefit the programme does not declare is a finding,
// and the figures are final all the same.
const (
	// ConditionBenefitsLinked is True when every spec.benefits entry that
	// names a programmeBenefit names one the project's Programme declares
	// (or none names one), False when one does not.
	ConditionBenefitsLinked ConditionType = "BenefitsLinked"
	// ReasonNoContributions: no benefit of the project names a
	// programmeBenefit.
	ReasonNoContributions ConditionReason = "NoContributions"
	// ReasonBenefitsLinked: every programmeBenefit named is declared by the
	// project's programme.
	ReasonBenefitsLinked ConditionReason = "Linked"
	// ReasonUnknownBenefit: a programmeBenefit is not among the
	// programme's spec.benefits; the message names each.
	ReasonUnknownBenefit ConditionReason = "UnknownBenefit"
	// ReasonNoProgramme: a benefit names a programmeBenefit but the project
	// belongs to no Programme (or its programme is not resolved yet).
	ReasonNoProgramme ConditionReason = "NoProgramme"
)
