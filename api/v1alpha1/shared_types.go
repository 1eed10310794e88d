/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"fmt"
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ObjectName is the name of a referenced object: a DNS subdomain.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=253
// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
type ObjectName string

// Namespace is the name of a namespace: a DNS label.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=63
// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
type Namespace string

// ParentReference points up the hierarchy, from a child to the object that
// governs it (a Project to its Programme, a Programme to its Portfolio, a
// GatewayReview to its subject, ...).
type ParentReference struct {
	// name of the referenced object.
	// +required
	Name ObjectName `json:"name,omitempty"`

	// namespace of the referenced object. Defaults to the namespace of the
	// referring object. A reference into another namespace only attaches when
	// the referenced object's spec.allowedChildren admits the referring
	// namespace.
	// +optional
	Namespace Namespace `json:"namespace,omitempty"`
}

// SubjectKind is a kind that governance applies to: Project or Programme.
// +kubebuilder:validation:Enum=Project;Programme
type SubjectKind string

const (
	// SubjectKindProject is a PRINCE2 project.
	SubjectKindProject SubjectKind = "Project"
	// SubjectKindProgramme is an MSP programme.
	SubjectKindProgramme SubjectKind = "Programme"
)

// SubjectReference points at a Project or a Programme.
type SubjectReference struct {
	// kind of the referenced object: Project or Programme.
	// +required
	Kind SubjectKind `json:"kind,omitempty"`

	ParentReference `json:",inline"`
}

// FromNamespaces says which namespaces may attach children to a parent.
// +kubebuilder:validation:Enum=Same;All;Selector
type FromNamespaces string

const (
	// NamespacesFromSame admits children from the parent's own namespace only.
	NamespacesFromSame FromNamespaces = "Same"
	// NamespacesFromAll admits children from every namespace.
	NamespacesFromAll FromNamespaces = "All"
	// NamespacesFromSelector admits children from namespaces whose labels match
	// a selector (and from the parent's own namespace).
	NamespacesFromSelector FromNamespaces = "Selector"
)

// AllowedChildren is a parent's opt-in for children that reference it from
// other namespaces, in the style of Gateway API's allowedRoutes. Without it,
// only children in the parent's own namespace attach.
// +kubebuilder:validation:MinProperties=1
type AllowedChildren struct {
	// namespaces says from which namespaces children may attach.
	// +optional
	// +kubebuilder:default={from: Same}
	Namespaces *ChildNamespaces `json:"namespaces,omitempty"`
}

// ChildNamespaces selects the namespaces children may attach from.
// +kubebuilder:validation:XValidation:rule="self.from == 'Selector' ? has(self.selector) : !has(self.selector)",message="selector is required when from is Selector and not allowed otherwise"
type ChildNamespaces struct {
	// from is Same (default: the parent's own namespace only), All (every
	// namespace) or Selector (namespaces whose labels match selector, plus the
	// parent's own namespace).
	// +optional
	// +kubebuilder:default=Same
	From FromNamespaces `json:"from,omitempty"`

	// selector matches the labels of the namespaces admitted when from is
	// Selector. Removing a label from a namespace detaches its children again.
	// +optional
	Selector *metav1.LabelSelector `json:"selector,omitempty"`
}

// Date is a calendar date, formatted YYYY-MM-DD, from 1900-01-01 on (an
// earlier date, such as 0000-01-01, is a slip, never a plan). Dates compare
// in order as strings.
// +kubebuilder:validation:Format=date
// +kubebuilder:validation:XValidation:rule="self >= timestamp('1900-01-01T00:00:00Z')",message="must be a date from 1900-01-01 on"
// +kubebuilder:validation:MinLength=10
// +kubebuilder:validation:MaxLength=10
type Date string

// Time parses the date as midnight UTC.
func (d Date) Time() (time.Time, error) {
	return time.Parse(time.DateOnly, string(d))
}

// Duration is a period written as a whole number and a unit: h (hours),
// d (days) or w (weeks), for example "12h", "14d" or "4w".
// +kubebuilder:validation:Pattern=`^[1-9][0-9]{0,3}(h|d|w)$`
// +kubebuilder:validation:MinLength=2
// +kubebuilder:validation:MaxLength=5
type Duration string

// Duration converts the period to a time.Duration.
func (d Duration) Duration() (time.Duration, error) {
	s := string(d)
	if len(s) < 2 {
		return 0, fmt.Errorf("invalid duration %q: want a number and a unit h, d or w", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid duration %q: want a positive whole number before the unit", s)
	}
	unit := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("invalid duration %q: unit must be h, d or w", s)
	}
	return time.Duration(n) * unit, nil
}

// Currency is an ISO 4217 currency code such as EUR, GBP or USD.
// +kubebuilder:validation:Pattern=`^[A-Z]{3}$`
// +kubebuilder:validation:MinLength=3
type Currency string

// DefaultCurrency is the currency of an Office that names none.
const DefaultCurrency Currency = "EUR"

// Amount is an amount of money the operator writes in status: a plain
// decimal in the currency the status names, with no suffix and no exponent,
// whole amounts without decimals and others with two, e.g. "4500001500",
// "4123050433.40", "-250000" (a negative variance is an underrun). A
// non-negative amount below the bound of spec amounts is accepted as input
// as written. The operator writes it with money.Amount and reads it with
// money.Value.
// +kubebuilder:validation:Pattern=`^-?[0-9]+([.][0-9]{2})?$`
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=40
type Amount string

// RAG is a Red, Amber or Green rating given by a person.
// +kubebuilder:validation:Enum=Green;Amber;Red
type RAG string

// Health is a RAG status computed by the operator, or Unknown.
// +kubebuilder:validation:Enum=Green;Amber;Red;Unknown
type Health string

const (
	// HealthGreen is on track: forecasts within the warning share of tolerance.
	HealthGreen Health = "Green"
	// HealthAmber needs attention: forecasts within tolerance but beyond the
	// warning share, or a lesser issue such as stale reporting.
	HealthAmber Health = "Amber"
	// HealthRed is an exception: a forecast beyond tolerance.
	HealthRed Health = "Red"
	// HealthUnknown is used in status when health cannot be determined yet.
	HealthUnknown Health = "Unknown"
)

// RiskStatus is the state of a risk in a register.
// +kubebuilder:validation:Enum=Open;Mitigating;Closed
type RiskStatus string

const (
	// RiskOpen is an identified risk without an active response.
	RiskOpen RiskStatus = "Open"
	// RiskMitigating is a risk whose response is being carried out.
	RiskMitigating RiskStatus = "Mitigating"
	// RiskClosed is a risk that no longer applies.
	RiskClosed RiskStatus = "Closed"
)

// RiskResponse is an M_o_R risk response.
// +kubebuilder:validation:Enum=Avoid;Reduce;Fallback;Transfer;Share;Accept
type RiskResponse string

// Risk is one entry of an M_o_R risk register.
type Risk struct {
	// name identifies the risk within its register, e.g. "R-014".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name,omitempty"`

	// description of the risk: cause, event and effect.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// probability on a scale of 1 (very low) to 5 (very high).
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	Probability int32 `json:"probability,omitempty"`

	// impact on a scale of 1 (very low) to 5 (very high). Severity is
	// probability × impact (1–25).
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	Impact int32 `json:"impact,omitempty"`

	// owner is the person accountable for managing the risk.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Owner string `json:"owner,omitempty"`

	// status of the risk: Open (default), Mitigating or Closed. Closed risks
	// do not count towards exposure.
	// +optional
	// +kubebuilder:default=Open
	Status RiskStatus `json:"status,omitempty"`

	// response chosen for the risk: Avoid, Reduce, Fallback, Transfer, Share
	// or Accept.
	// +optional
	Response RiskResponse `json:"response,omitempty"`
}

// Severity is probability × impact, from 1 to 25.
func (r Risk) Severity() int32 { return r.Probability * r.Impact }

// Benefit is a measurable improvement an outcome is expected to bring (MSP).
type Benefit struct {
	// name identifies the benefit, e.g. "Reduced processing time".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Name string `json:"name,omitempty"`

	// owner is the person accountable for realising the benefit.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Owner string `json:"owner,omitempty"`

	// planned is the value the benefit is expected to bring, in the governing
	// Office's currency.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Planned *resource.Quantity `json:"planned,omitempty"`

	// realised is the value realised so far, in the governing Office's
	// currency.
	// +optional
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 0 : !self.startsWith('-')",message="must not be negative"
	Realised *resource.Quantity `json:"realised,omitempty"`

	// due is the date by which the benefit is expected to be realised.
	// +optional
	Due Date `json:"due,omitempty"`
}

// ReportMode switches report ConfigMaps on or off.
// +kubebuilder:validation:Enum=Enabled;Disabled
type ReportMode string

const (
	// ReportsEnabled publishes report ConfigMaps.
	ReportsEnabled ReportMode = "Enabled"
	// ReportsDisabled publishes none.
	ReportsDisabled ReportMode = "Disabled"
)

// ReportSettings controls the report ConfigMaps published for an object: a
// live report kept current, and periodic snapshots.
// +kubebuilder:validation:MinProperties=1
type ReportSettings struct {
	// mode is Enabled or Disabled. Offices and Portfolios publish by default;
	// Programmes publish only when set to Enabled.
	// +optional
	Mode ReportMode `json:"mode,omitempty"`

	// snapshotInterval is how often an immutable snapshot of the report is
	// taken, e.g. "1w" or "4w". No snapshots are taken when unset.
	// +optional
	SnapshotInterval Duration `json:"snapshotInterval,omitempty"`

	// snapshotRetention is how many snapshots are kept; the oldest are pruned.
	// Defaults to 12.
	// +optional
	// +kubebuilder:default=12
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=520
	SnapshotRetention int32 `json:"snapshotRetention,omitempty"`
}

// HealthCounts counts objects by health. A count of zero is omitted.
// +kubebuilder:validation:MinProperties=1
type HealthCounts struct {
	// green is the number of Green objects.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Green int32 `json:"green,omitempty"`
	// amber is the number of Amber objects.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Amber int32 `json:"amber,omitempty"`
	// red is the number of Red objects.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Red int32 `json:"red,omitempty"`
	// unknown is the number of objects whose health is not known yet.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Unknown int32 `json:"unknown,omitempty"`
}

// PhaseCount is the number of objects in one phase.
type PhaseCount struct {
	// kind of the objects counted: Project or Programme.
	// +required
	Kind SubjectKind `json:"kind,omitempty"`
	// phase counted: a Project or Programme phase.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Phase string `json:"phase,omitempty"`
	// count of objects of that kind in that phase, at least 1: phases
	// without objects are not listed.
	// +required
	// +kubebuilder:validation:Minimum=1
	Count int32 `json:"count,omitempty"`
}

// ComplianceCounts counts objects by gate compliance. A count of zero is
// omitted.
// +kubebuilder:validation:MinProperties=1
type ComplianceCounts struct {
	// compliant is the number of objects meeting every gate due.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Compliant int32 `json:"compliant,omitempty"`
	// nonCompliant is the number of objects with at least one unmet gate.
	// +optional
	// +kubebuilder:validation:Minimum=0
	NonCompliant int32 `json:"nonCompliant,omitempty"`
	// unknown is the number of objects whose compliance could not be
	// evaluated.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Unknown int32 `json:"unknown,omitempty"`
}

// MoneySummary holds budget figures in one currency.
// +kubebuilder:validation:MinProperties=1
type MoneySummary struct {
	// currency of every amount in this summary.
	// +optional
	Currency Currency `json:"currency,omitempty"`
	// budget is the sum of planned budgets, written as an Amount
	// ("1500000.50"). Unset when nothing beneath states a budget.
	// +optional
	Budget Amount `json:"budget,omitempty"`
	// actualCost is the sum of costs incurred so far, written as an Amount.
	// Unset when nothing beneath reports a cost.
	// +optional
	ActualCost Amount `json:"actualCost,omitempty"`
	// forecastCost is the sum of forecast costs at completion, written as an
	// Amount. Unset when nothing beneath states a budget or a forecast.
	// +optional
	ForecastCost Amount `json:"forecastCost,omitempty"`
	// variance is forecastCost minus budget, written as an Amount: positive
	// is an overrun, negative an underrun. Unset when either is unset.
	// +optional
	Variance Amount `json:"variance,omitempty"`

	// leftOut lists, per currency, the objects beneath whose amounts are in
	// another currency than this one. When it is set the totals are
	// incomplete, so none is shown (no silent sum); objects above say so too.
	// +optional
	// +listType=map
	// +listMapKey=currency
	// +kubebuilder:validation:MaxItems=8
	LeftOut []LeftOutAmounts `json:"leftOut,omitempty"`

	// display is budget and forecast written for people.
	// +optional
	Display MoneyDisplay `json:"display,omitzero"`
}

// MoneyDisplayMaxLength bounds each amount of a MoneyDisplay, as its
// MaxLength markers do: a longer text is shortened (internal/shorten).
const MoneyDisplayMaxLength = 64

// LeftOutObjectMaxLength bounds each of LeftOutAmounts.objects, as its
// items:MaxLength marker does: a longer text is shortened.
const LeftOutObjectMaxLength = 330

// MoneyDisplay holds amounts written for people, exactly, with SI suffixes
// and the currency (e.g. "18.32M EUR"), as reports write them: the columns
// of kubectl get show these, so that every kind shows money one way.
// +kubebuilder:validation:MinProperties=1
type MoneyDisplay struct {
	// budget is the budget, e.g. "1.2M EUR"; "incomplete" when amounts in another currency
	// were left out.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Budget string `json:"budget,omitempty"`

	// forecast is the forecast at completion (the budget while no forecast
	// is reported).
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Forecast string `json:"forecast,omitempty"`

	// capacity is the capacity of a portfolio.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Capacity string `json:"capacity,omitempty"`

	// committed is the committed budget of a portfolio; "unknown" while totals are
	// incomplete.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Committed string `json:"committed,omitempty"`
}

// LeftOutAmounts are amounts left out of totals because they are in another
// currency.
type LeftOutAmounts struct {
	// currency of the amounts left out.
	// +required
	Currency Currency `json:"currency,omitempty"`

	// objects whose amounts were left out, as "Kind namespace/name" (the
	// first few).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=330
	Objects []string `json:"objects,omitempty"`

	// count is how many objects' amounts were left out; it may exceed the
	// objects listed.
	// +required
	// +kubebuilder:validation:Minimum=1
	Count int32 `json:"count,omitempty"`
}

// BenefitsSummary sums planned and realised benefits.
// +kubebuilder:validation:MinProperties=1
type BenefitsSummary struct {
	// planned is the sum of planned benefit values, written as an Amount.
	// Unset when no benefit states one.
	// +optional
	Planned Amount `json:"planned,omitempty"`
	// realised is the sum of realised benefit values, written as an Amount.
	// Unset when no benefit states one.
	// +optional
	Realised Amount `json:"realised,omitempty"`
}

// RiskSummary summarises the open risks of a register or a rollup. A figure
// of zero is omitted.
// +kubebuilder:validation:MinProperties=1
type RiskSummary struct {
	// open is the number of risks not Closed.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Open int32 `json:"open,omitempty"`
	// high is the number of open risks at or above the governing Office's
	// severity threshold.
	// +optional
	// +kubebuilder:validation:Minimum=0
	High int32 `json:"high,omitempty"`
	// exposure is the sum of the severities (probability × impact) of open
	// risks.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Exposure int32 `json:"exposure,omitempty"`
}

// HealthCause names a descendant that lowers a rollup's health.
type HealthCause struct {
	// kind of the object: Project or Programme.
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
	// health of the object.
	// +required
	Health Health `json:"health,omitempty"`
	// reason is the first reason the object gives for its health.
	// +optional
	// +kubebuilder:validation:MinLength=1
	Reason string `json:"reason,omitempty"`
}

// Rollup is the aggregate picture of everything beneath an object. It is
// rebuilt from the children on every pass. A count of zero is omitted.
// +kubebuilder:validation:MinProperties=1
type Rollup struct {
	// health is the worst health of the counted descendants: Unknown while
	// none of them has one (none assessed yet, or all closed). A Programme
	// with no projects has none here (its RolledUp condition says
	// NoChildren); its status.health is its own.
	// +optional
	Health Health `json:"health,omitempty"`

	// causes are the descendants that give the worst health, most severe
	// first, at most 10.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Causes []HealthCause `json:"causes,omitempty"`

	// portfolios is the number of Portfolios counted (Offices only).
	// +optional
	// +kubebuilder:validation:Minimum=0
	Portfolios int32 `json:"portfolios,omitempty"`

	// programmes is the number of Programmes counted.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Programmes int32 `json:"programmes,omitempty"`

	// projects is the number of Projects counted, directly or through
	// Programmes.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Projects int32 `json:"projects,omitempty"`

	// satellites is the number of satellite Offices counted (hub Offices only).
	// +optional
	// +kubebuilder:validation:Minimum=0
	Satellites int32 `json:"satellites,omitempty"`

	// byHealth counts the open (not Closed) Projects beneath by health, so
	// that it adds up to the open projects; programmes are counted in
	// programmes and byPhase.
	// +optional
	ByHealth HealthCounts `json:"byHealth,omitzero"`

	// byPhase counts Projects and Programmes by phase.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=16
	ByPhase []PhaseCount `json:"byPhase,omitempty"`

	// money totals budgets, actual and forecast cost of the counted Projects.
	// +optional
	Money MoneySummary `json:"money,omitzero"`

	// benefits totals the planned and realised benefits.
	// +optional
	Benefits BenefitsSummary `json:"benefits,omitzero"`

	// risks summarises the open risks.
	// +optional
	Risks RiskSummary `json:"risks,omitzero"`

	// compliance counts Projects and Programmes by gate compliance.
	// +optional
	Compliance ComplianceCounts `json:"compliance,omitzero"`

	// refused is the number of children that reference this object but are
	// not admitted by spec.allowedChildren, and so are not counted.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Refused int32 `json:"refused,omitempty"`
}

// ObjectReference names an object in status: always with its namespace.
type ObjectReference struct {
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
}

// String is "namespace/name", or "" for a nil reference.
func (r *ObjectReference) String() string {
	if r == nil {
		return ""
	}
	return r.Namespace + "/" + r.Name
}

// Labels on report ConfigMaps.
const (
	// LabelReport is on every report ConfigMap ("live" or "snapshot").
	LabelReport = "governance.p3o.dev/report"
	// LabelReportKind is the kind of the reported object.
	LabelReportKind = "governance.p3o.dev/report-kind"
	// LabelReportName is the name of the reported object (shortened with a
	// hash when longer than a label value may be).
	LabelReportName = "governance.p3o.dev/report-name"
	// AnnotationPeriodStart is the start of a snapshot's period (RFC 3339).
	AnnotationPeriodStart = "governance.p3o.dev/period-start"
	// AnnotationSnapshotState is SnapshotOpen while a snapshot's period is
	// open (it then holds the latest settled report) and SnapshotSealed
	// once the period has ended (it is then immutable).
	AnnotationSnapshotState = "governance.p3o.dev/snapshot-state"
	// AnnotationBuiltAt is when a snapshot's content was built (RFC 3339).
	AnnotationBuiltAt = "governance.p3o.dev/built-at"
	// AnnotationContentDigest is the SHA-256 of a report ConfigMap's data,
	// written with it: the operator compares reports by it instead of
	// keeping their content in memory.
	AnnotationContentDigest = "governance.p3o.dev/content-sha256"
	// SnapshotOpen is the state of the current period's snapshot.
	SnapshotOpen = "open"
	// SnapshotSealed is the state of the snapshot of an ended period.
	SnapshotSealed = "sealed"
)
