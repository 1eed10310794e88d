/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// EvidencePerspective is one of the seven perspectives of P3M3® under which
// the operator groups its indicators of practice. The indicators evidence
// practice; they are not a maturity level or an assessment
// (docs/evidence.md).
// +kubebuilder:validation:Enum=OrganisationalGovernance;ManagementControl;BenefitsManagement;RiskManagement;StakeholderEngagement;FinanceManagement;ResourceManagement
type EvidencePerspective string

const (
	// PerspectiveOrganisationalGovernance: how change is directed and
	// controlled (gates, reviews).
	PerspectiveOrganisationalGovernance EvidencePerspective = "OrganisationalGovernance"
	// PerspectiveManagementControl: how work is planned, reported and
	// kept within its tolerances.
	PerspectiveManagementControl EvidencePerspective = "ManagementControl"
	// PerspectiveBenefitsManagement: how benefits are defined, owned and
	// tracked.
	PerspectiveBenefitsManagement EvidencePerspective = "BenefitsManagement"
	// PerspectiveRiskManagement: how risks are owned and responded to.
	PerspectiveRiskManagement EvidencePerspective = "RiskManagement"
	// PerspectiveStakeholderEngagement: how stakeholders are engaged.
	PerspectiveStakeholderEngagement EvidencePerspective = "StakeholderEngagement"
	// PerspectiveFinanceManagement: how costs are forecast and kept.
	PerspectiveFinanceManagement EvidencePerspective = "FinanceManagement"
	// PerspectiveResourceManagement: how people and other resources are
	// planned and deployed.
	PerspectiveResourceManagement EvidencePerspective = "ResourceManagement"
)

// EvidenceIndicatorID names an indicator of practice (docs/evidence.md
// defines each).
// +kubebuilder:validation:Enum=GatesMet;NoReviewOverdue;ReportingCurrent;HealthAgreement;BenefitsDefined;BenefitsForecast;ThreatsOwnedWithResponse;RiskToleranceSet;ForecastReported;ForecastAccuracy
type EvidenceIndicatorID string

const (
	// IndicatorGatesMet: open projects whose gates for their phase are met.
	IndicatorGatesMet EvidenceIndicatorID = "GatesMet"
	// IndicatorNoReviewOverdue: open projects and programmes with no gate
	// review overdue.
	IndicatorNoReviewOverdue EvidenceIndicatorID = "NoReviewOverdue"
	// IndicatorReportingCurrent: projects held to a reporting cadence whose
	// progress is current.
	IndicatorReportingCurrent EvidenceIndicatorID = "ReportingCurrent"
	// IndicatorHealthAgreement: open projects whose declared RAG agrees
	// with the derived health.
	IndicatorHealthAgreement EvidenceIndicatorID = "HealthAgreement"
	// IndicatorBenefitsDefined: benefits with an owner, a baseline, a
	// target and a due date.
	IndicatorBenefitsDefined EvidenceIndicatorID = "BenefitsDefined"
	// IndicatorBenefitsForecast: benefits with a target that state a
	// forecast.
	IndicatorBenefitsForecast EvidenceIndicatorID = "BenefitsForecast"
	// IndicatorThreatsOwnedWithResponse: open threats with an owner and a
	// response.
	IndicatorThreatsOwnedWithResponse EvidenceIndicatorID = "ThreatsOwnedWithResponse"
	// IndicatorRiskToleranceSet: open projects with a risk tolerance set.
	IndicatorRiskToleranceSet EvidenceIndicatorID = "RiskToleranceSet"
	// IndicatorForecastReported: open projects past starting up that
	// report a forecast cost.
	IndicatorForecastReported EvidenceIndicatorID = "ForecastReported"
	// IndicatorForecastAccuracy: projects closed since the last sealed
	// period whose actual cost lies within their cost tolerance of the
	// forecast that period's report held.
	IndicatorForecastAccuracy EvidenceIndicatorID = "ForecastAccuracy"
)

// EvidenceState says whether an indicator has a value.
// +kubebuilder:validation:Enum=Measured;NothingToMeasure;NotEvidenced
type EvidenceState string

const (
	// EvidenceMeasured: the indicator has a denominator above zero, and so
	// a share.
	EvidenceMeasured EvidenceState = "Measured"
	// EvidenceNothingToMeasure: nothing beneath the office is in the
	// indicator's scope (its denominator is zero): no share.
	EvidenceNothingToMeasure EvidenceState = "NothingToMeasure"
	// EvidenceNotEvidenced: the operator's resources hold nothing that
	// evidences the perspective: it has no indicator and no figure.
	EvidenceNotEvidenced EvidenceState = "NotEvidenced"
)

// EvidenceTrend is how an indicator's share moved since the last sealed
// period.
// +kubebuilder:validation:Enum=Improved;Declined;Unchanged;NotComparable
type EvidenceTrend string

const (
	// EvidenceImproved: a higher share than then.
	EvidenceImproved EvidenceTrend = "Improved"
	// EvidenceDeclined: a lower share than then.
	EvidenceDeclined EvidenceTrend = "Declined"
	// EvidenceUnchanged: the same share as then.
	EvidenceUnchanged EvidenceTrend = "Unchanged"
	// EvidenceNotComparable: no sealed period is held, or the indicator
	// was not measured then or is not now.
	EvidenceNotComparable EvidenceTrend = "NotComparable"
)

// EvidenceIndicator is one indicator of practice of an office, or a
// perspective the data cannot evidence.
type EvidenceIndicator struct {
	// perspective is the P3M3 perspective the indicator evidences.
	// +required
	Perspective EvidencePerspective `json:"perspective,omitempty"`

	// indicator names the indicator (docs/evidence.md); unset when state
	// is NotEvidenced.
	// +optional
	Indicator EvidenceIndicatorID `json:"indicator,omitempty"`

	// state is Measured, NothingToMeasure (nothing in scope) or
	// NotEvidenced (the perspective has no indicator).
	// +required
	State EvidenceState `json:"state,omitempty"`

	// numerator counts what is in scope and shows the practice, e.g. the
	// open threats with an owner and a response. Unset is zero.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Numerator int32 `json:"numerator,omitempty"`

	// denominator counts what is in scope, e.g. the open threats. The
	// share is numerator / denominator. Unset is zero.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Denominator int32 `json:"denominator,omitempty"`

	// trend is how the share moved since the last sealed period: Improved,
	// Declined, Unchanged or NotComparable. Unset when state is
	// NotEvidenced.
	// +optional
	Trend EvidenceTrend `json:"trend,omitempty"`
}

// Evidence is an office's indicators of practice, grouped by the seven
// P3M3 perspectives: evidence of practice drawn from the objects beneath
// it, never a maturity level or an assessment (P3M3 assessments are made by
// accredited assessors). report.json's evidence section holds the same
// figures with their shares.
type Evidence struct {
	// since is the start of the sealed period the trends compare with;
	// unset when none is held.
	// +optional
	Since *metav1.Time `json:"since,omitempty"`

	// indicators are the office's indicators in the order docs/evidence.md
	// gives them, with an entry per perspective the data cannot evidence.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=32
	Indicators []EvidenceIndicator `json:"indicators,omitempty"`
}

// EvidenceReporter is an object whose status shows its evidence of
// practice (Office).
// +kubebuilder:object:generate=false
type EvidenceReporter interface {
	SetEvidence(Evidence)
}

// SetEvidence sets status.evidence.
func (o *Office) SetEvidence(e Evidence) { o.Status.Evidence = e }
