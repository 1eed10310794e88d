/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Parent is implemented by every kind that children may attach to.
// +kubebuilder:object:generate=false
type Parent interface {
	// ChildPolicy is the parent's opt-in for children from other namespaces.
	ChildPolicy() AllowedChildren
}

// ChildPolicy implements Parent.
func (o *Office) ChildPolicy() AllowedChildren { return o.Spec.AllowedChildren }

// ChildPolicy implements Parent.
func (p *Portfolio) ChildPolicy() AllowedChildren { return p.Spec.AllowedChildren }

// ChildPolicy implements Parent.
func (p *Programme) ChildPolicy() AllowedChildren { return p.Spec.AllowedChildren }

// ChildPolicy implements Parent.
func (p *Project) ChildPolicy() AllowedChildren { return p.Spec.AllowedChildren }

// GateNumber is the review's OGC gate, 0 to 5 (0 when unset, which the API
// rejects).
func (s GatewayReviewSpec) GateNumber() int32 { return gateNumber(s.Gate) }

// GateNumber is the OGC gate the requirement asks a review of, 0 to 5 (0
// when unset, which the API rejects).
func (r ReviewRequirement) GateNumber() int32 { return gateNumber(r.Gate) }

func gateNumber(g *int32) int32 {
	if g == nil {
		return 0
	}
	return *g
}

// Conditioned is implemented by every kind: its status conditions.
// +kubebuilder:object:generate=false
type Conditioned interface {
	GetConditions() []metav1.Condition
	SetConditions([]metav1.Condition)
}

// GetConditions implements Conditioned.
func (o *Office) GetConditions() []metav1.Condition { return o.Status.Conditions }

// SetConditions implements Conditioned.
func (o *Office) SetConditions(c []metav1.Condition) { o.Status.Conditions = c }

// GetConditions implements Conditioned.
func (p *Portfolio) GetConditions() []metav1.Condition { return p.Status.Conditions }

// SetConditions implements Conditioned.
func (p *Portfolio) SetConditions(c []metav1.Condition) { p.Status.Conditions = c }

// GetConditions implements Conditioned.
func (p *Programme) GetConditions() []metav1.Condition { return p.Status.Conditions }

// SetConditions implements Conditioned.
func (p *Programme) SetConditions(c []metav1.Condition) { p.Status.Conditions = c }

// GetConditions implements Conditioned.
func (p *Project) GetConditions() []metav1.Condition { return p.Status.Conditions }

// SetConditions implements Conditioned.
func (p *Project) SetConditions(c []metav1.Condition) { p.Status.Conditions = c }

// GetConditions implements Conditioned.
func (g *GatewayReview) GetConditions() []metav1.Condition { return g.Status.Conditions }

// SetConditions implements Conditioned.
func (g *GatewayReview) SetConditions(c []metav1.Condition) { g.Status.Conditions = c }

// Forecast is the project's forecast cost at completion: spec.progress's
// forecastCost once reported, else its budget (a project that has not
// reported a forecast is expected to cost what was approved). Every total,
// report, metric and view reads a project's forecast through it.
func (p *Project) Forecast() *resource.Quantity {
	if p.Spec.Progress != nil && p.Spec.Progress.ForecastCost != nil {
		return p.Spec.Progress.ForecastCost
	}
	return p.Spec.Plan.Budget
}

// Meaning is what a Delivery Confidence rating says, in the words of the
// Infrastructure and Projects Authority's definitions; "" for no rating.
func (c DeliveryConfidence) Meaning() string {
	switch c {
	case ConfidenceGreen:
		return "Successful delivery appears highly likely"
	case ConfidenceAmberGreen:
		return "Successful delivery appears probable"
	case ConfidenceAmber:
		return "Successful delivery appears feasible but significant issues already exist"
	case ConfidenceAmberRed:
		return "Successful delivery is in doubt, with major risks or issues apparent"
	case ConfidenceRed:
		return "Successful delivery appears to be unachievable"
	}
	return ""
}

// NeedsAttention says whether a gate belongs in a list of gates to act on:
// unmet, not known, or not yet required but with a date it falls due.
func (g GateStatus) NeedsAttention() bool {
	return g.State == GateUnmet || g.State == GateUnknown || (g.State == GateNotYetRequired && g.DueAt != nil)
}

// ForecastEnd is when the project is expected to end, as those who depend
// on it read it: its closing date once Closed (spec.closedOn), else
// spec.progress's forecastEnd once reported, else its planned end; "" when
// it states none.
func (p *Project) ForecastEnd() Date {
	switch {
	case p.Spec.Phase == ProjectClosed && p.Spec.ClosedOn != "":
		return p.Spec.ClosedOn
	case p.Spec.Progress != nil && p.Spec.Progress.ForecastEnd != "":
		return p.Spec.Progress.ForecastEnd
	}
	return p.Spec.Plan.End
}

// ClosedUndelivered says whether the project closed without delivering:
// it is Closed and its last progress report states percentComplete below
// 100. Nothing else in the API records an outcome at closure, so a project
// closed without a percentComplete, or at 100, counts as delivered.
func (p *Project) ClosedUndelivered() bool {
	return p.Spec.Phase == ProjectClosed && p.Spec.Progress != nil &&
		p.Spec.Progress.PercentComplete != nil && *p.Spec.Progress.PercentComplete < 100
}

// ForecastEnd is when the programme is expected to end, as those who
// depend on it read it: its closing date once Closed (spec.closedOn), else
// the figure it publishes (status.forecastEnd, the latest end of its
// projects), else the end of its last tranche; "" when it states none.
func (p *Programme) ForecastEnd() Date {
	switch {
	case p.Spec.Phase == ProgrammeClosed && p.Spec.ClosedOn != "":
		return p.Spec.ClosedOn
	case p.Status.ForecastEnd != "":
		return p.Status.ForecastEnd
	}
	var end Date
	for _, t := range p.Spec.Tranches {
		end = max(end, t.End)
	}
	return end
}

// ClosedUndelivered says whether the programme closed without delivering:
// it is Closed while its published rollup counts projects that are not
// Closed (work it was to deliver was left open).
func (p *Programme) ClosedUndelivered() bool {
	if p.Spec.Phase != ProgrammeClosed {
		return false
	}
	for _, c := range p.Status.Rollup.ByPhase {
		if c.Kind == SubjectKindProject && c.Phase != string(ProjectClosed) && c.Count > 0 {
			return true
		}
	}
	return false
}

// Words is a balance weight as people read it: over-weight, under-weight,
// balanced or no target.
func (w BalanceWeight) Words() string {
	switch w {
	case BalanceOverWeight:
		return "over-weight"
	case BalanceUnderWeight:
		return "under-weight"
	case BalanceBalanced:
		return "balanced"
	}
	return "no target"
}

// OffTarget says whether a balance weight is beyond its tolerance.
func (w BalanceWeight) OffTarget() bool { return w == BalanceOverWeight || w == BalanceUnderWeight }

// OverCommittedWords is a year's (or a portfolio's) overCommitted as people
// read it: over-committed, within capacity, or no capacity stated when it
// is unset.
func OverCommittedWords(over *bool) string {
	switch {
	case over == nil:
		return "no capacity stated"
	case *over:
		return "over-committed"
	}
	return "within capacity"
}
