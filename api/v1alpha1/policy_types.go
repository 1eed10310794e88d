/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// GateProfile is a built-in set of gates.
// +kubebuilder:validation:Enum=None;OGCGateway
type GateProfile string

const (
	// GateProfileNone starts from no gates: only spec.governance.gates apply.
	GateProfileNone GateProfile = "None"
	// GateProfileOGCGateway gives the standard OGC Gateway Review gates 0–5.
	GateProfileOGCGateway GateProfile = "OGCGateway"
)

// Enforcement says what happens when a gate is not met.
// +kubebuilder:validation:Enum=Audit;Warn;Enforce
type Enforcement string

const (
	// EnforcementAudit records unmet gates in conditions and events only.
	EnforcementAudit Enforcement = "Audit"
	// EnforcementWarn also returns admission warnings on changes to
	// non-compliant objects.
	EnforcementWarn Enforcement = "Warn"
	// EnforcementEnforce also denies moving an object into a phase whose
	// required gates are unmet.
	EnforcementEnforce Enforcement = "Enforce"
)

// GovernancePolicy is the method an office holds its Programmes and Projects
// to: compliance gates, how they are enforced, and the thresholds that derive
// health.
// +kubebuilder:validation:MinProperties=1
type GovernancePolicy struct {
	// profile is a built-in set of gates: None or OGCGateway (the standard
	// Gateway Review gates 0–5, see the README). Gates listed in gates are
	// added to the profile; a gate with the name of a profile gate replaces
	// it. Unset means None on a root office and the hub's on a Satellite.
	// +optional
	Profile GateProfile `json:"profile,omitempty"`

	// enforcement is Audit (conditions and events), Warn (also admission
	// warnings) or Enforce (also deny entering a phase whose required gates
	// are unmet). Unset means Audit on a root office and the hub's on a
	// Satellite, which may only make it stronger.
	// +optional
	Enforcement Enforcement `json:"enforcement,omitempty"`

	// gates are compliance gates of the office's own, in addition to the
	// profile's.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=32
	Gates []Gate `json:"gates,omitempty"`

	// reportingCadence is how often Projects must report progress
	// (spec.progress.asOf). A Project whose last report is older is stale,
	// which lowers its health. Unset means 4w on a root office and the hub's
	// on a Satellite, which may only shorten it.
	// +optional
	ReportingCadence Duration `json:"reportingCadence,omitempty"`

	// toleranceWarningPercent is the share of a tolerance that, once used by a
	// forecast, turns health Amber. Unset means 75 on a root office and the
	// hub's on a Satellite, which may only lower it.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	ToleranceWarningPercent int32 `json:"toleranceWarningPercent,omitempty"`

	// underrunHealth is the health an underspend or early finish beyond
	// tolerance gives a project: Green (the exception is shown, health is
	// left alone), Amber or Red (as an overrun). PRINCE2 makes either an
	// exception for the project board; whether it counts against the RAG
	// is the organisation's choice. Unset means Green on a root office and
	// the hub's on a Satellite, which may only raise it.
	// +optional
	UnderrunHealth RAG `json:"underrunHealth,omitempty"`

	// confidenceScale is the Delivery Confidence scale the office's Gateway
	// Reviews use: FivePoint (Green, AmberGreen, Amber, AmberRed, Red; OGC's
	// and the IPA's long-standing scale) or ThreePoint (Green, Amber, Red;
	// the simplified rating of the Government Major Projects Portfolio). A review rated off the
	// scale does not satisfy a gate (cause OffScale). Unset means FivePoint
	// on a root office and the hub's on a Satellite, which may not change
	// it.
	// +optional
	ConfidenceScale ConfidenceScale `json:"confidenceScale,omitempty"`

	// highRiskSeverity is the severity (probability × impact, 1–25) from which
	// an open threat counts as high and lowers health to Amber. Unset means 15
	// on a root office and the hub's on a Satellite, which may only lower it.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=25
	HighRiskSeverity int32 `json:"highRiskSeverity,omitempty"`
}

// Phase is a Project phase (StartingUp, Initiating, Delivering, Closing,
// Closed) or a Programme phase (Identifying, Defining, Delivering, Closing,
// Closed).
// +kubebuilder:validation:Enum=StartingUp;Initiating;Identifying;Defining;Delivering;Closing;Closed
type Phase string

// DeliveryConfidence is a Gateway Review's Delivery Confidence Assessment,
// from Green (best) to Red (worst): on the five-point scale all five values,
// on the three-point scale Green, Amber and Red (see the office's
// confidenceScale).
// +kubebuilder:validation:Enum=Green;AmberGreen;Amber;AmberRed;Red
type DeliveryConfidence string

const (
	// ConfidenceGreen: successful delivery appears highly likely.
	ConfidenceGreen DeliveryConfidence = "Green"
	// ConfidenceAmberGreen: successful delivery appears probable.
	ConfidenceAmberGreen DeliveryConfidence = "AmberGreen"
	// ConfidenceAmber: successful delivery appears feasible, with significant
	// issues.
	ConfidenceAmber DeliveryConfidence = "Amber"
	// ConfidenceAmberRed: successful delivery is in doubt.
	ConfidenceAmberRed DeliveryConfidence = "AmberRed"
	// ConfidenceRed: successful delivery appears unachievable.
	ConfidenceRed DeliveryConfidence = "Red"
)

// ConfidenceScale is a Delivery Confidence Assessment scale.
// +kubebuilder:validation:Enum=FivePoint;ThreePoint
type ConfidenceScale string

const (
	// ConfidenceScaleFivePoint: Green, AmberGreen, Amber, AmberRed, Red.
	ConfidenceScaleFivePoint ConfidenceScale = "FivePoint"
	// ConfidenceScaleThreePoint: Green, Amber, Red.
	ConfidenceScaleThreePoint ConfidenceScale = "ThreePoint"
)

// Rates reports whether a rating belongs to the scale: every rating is on
// the five-point scale; AmberGreen and AmberRed are not on the three-point
// one.
func (s ConfidenceScale) Rates(c DeliveryConfidence) bool {
	if s == ConfidenceScaleThreePoint {
		return c == ConfidenceGreen || c == ConfidenceAmber || c == ConfidenceRed
	}
	return true
}

// DecisionPoints says when a review gate falls due again.
// +kubebuilder:validation:Enum=Once;TrancheEnds
type DecisionPoints string

const (
	// DecisionPointsOnce: the gate falls due once, on entering requiredFrom.
	DecisionPointsOnce DecisionPoints = "Once"
	// DecisionPointsTrancheEnds: for a Programme, the gate falls due on
	// entering requiredFrom and again at the end of each tranche
	// (spec.tranches[].end): once a tranche has ended, only a review held
	// after the decision point before it satisfies the gate (OGC: Gate 0
	// is repeated at a programme's key decision points). For a Project, as
	// Once.
	DecisionPointsTrancheEnds DecisionPoints = "TrancheEnds"
)

// Gate is one compliance gate: from a phase on, an object must have a
// satisfying Gateway Review, pass a rule, or both.
// +kubebuilder:validation:XValidation:rule="has(self.review) || has(self.rule)",message="a gate needs a review, a rule, or both"
type Gate struct {
	// name identifies the gate within the policy, e.g. "gate-3" or
	// "security-sign-off". A gate named like a profile gate replaces it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name,omitempty"`

	// description is the gate's title as people know it, e.g. "Investment
	// decision".
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Description string `json:"description,omitempty"`

	// appliesTo lists the kinds the gate applies to: Project, Programme or
	// both.
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=2
	AppliesTo []SubjectKind `json:"appliesTo,omitempty"`

	// requiredFrom is the phase from which the gate must be met: an object
	// may not enter this phase, or any later one, without it.
	// +required
	RequiredFrom Phase `json:"requiredFrom,omitempty"`

	// dueWithin makes the gate due a period after requiredFrom is entered
	// instead of before it, e.g. a benefits review "8w" after a Project
	// closes. An overdue gate is unmet. Unset means the gate is due on
	// entering requiredFrom.
	// +optional
	DueWithin Duration `json:"dueWithin,omitempty"`

	// review is a Gateway Review that satisfies the gate.
	// +optional
	Review *ReviewRequirement `json:"review,omitempty"`

	// rule is a CEL expression over the object that must hold.
	// +optional
	Rule *GateRule `json:"rule,omitempty"`
}

// ReviewRequirement says which Gateway Review satisfies a gate.
type ReviewRequirement struct {
	// gate is the OGC Gateway Review number, 0 to 5. Gate 0 (strategic
	// assessment) is a gate like the others; a missing gate is rejected
	// rather than read as 0.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=5
	Gate *int32 `json:"gate,omitempty"`

	// minimumConfidence is the worst Delivery Confidence that still satisfies
	// the gate. Unset means Amber. Ratings compare in the five-point order
	// (Green, AmberGreen, Amber, AmberRed, Red) on either scale: on the
	// three-point scale a minimum of AmberGreen needs Green, and one of
	// AmberRed needs Amber.
	// +optional
	MinimumConfidence DeliveryConfidence `json:"minimumConfidence,omitempty"`

	// maxAge is how long a review satisfies the gate, e.g. "26w". A review
	// older than that has expired. Unset means it does not expire.
	// +optional
	MaxAge Duration `json:"maxAge,omitempty"`

	// decisionPoints is Once (default) or TrancheEnds: a programme's gate
	// falls due again at the end of each of its tranches, and a review
	// satisfies it only if held after the decision point before the last
	// one reached.
	// +optional
	DecisionPoints DecisionPoints `json:"decisionPoints,omitempty"`
}

// GateRule is a CEL expression that must evaluate to true for an object.
type GateRule struct {
	// expression is a CEL expression over `object` (the Project or Programme)
	// that must evaluate to true, e.g.
	// "object.spec.risks.all(r, r.status == 'Closed' || has(r.owner))".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Expression string `json:"expression,omitempty"`

	// message says what is wrong when the expression is false.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	Message string `json:"message,omitempty"`
}
