/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/policy"
)

// SubjectOf is the kind and phase of a Project or Programme as its gates
// see it.
func SubjectOf(obj client.Object) (v1alpha1.SubjectKind, string) {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return v1alpha1.SubjectKindProject, string(o.Spec.Phase)
	case *v1alpha1.Programme:
		return v1alpha1.SubjectKindProgramme, string(o.Spec.Phase)
	}
	return "", ""
}

// DecisionPoints are a Programme's decision points as its gates see them:
// the start of its earliest tranche, and each tranche's end in date order
// (tranches without an end date are left out). A Project has none.
func DecisionPoints(obj client.Object) (time.Time, []policy.DecisionPoint) {
	p, ok := obj.(*v1alpha1.Programme)
	if !ok {
		return time.Time{}, nil
	}
	var start time.Time
	var points []policy.DecisionPoint
	for _, t := range p.Spec.Tranches {
		if s, err := t.Start.Time(); err == nil && (start.IsZero() || s.Before(start)) {
			start = s
		}
		if end, err := t.End.Time(); err == nil {
			points = append(points, policy.DecisionPoint{Name: t.Name, End: end})
		}
	}
	sort.SliceStable(points, func(i, j int) bool { return points[i].End.Before(points[j].End) })
	return start, points
}

// ClosedOn is the recorded closing date of a Project or Programme; "" when
// none.
func ClosedOn(obj client.Object) v1alpha1.Date {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return o.Spec.ClosedOn
	case *v1alpha1.Programme:
		return o.Spec.ClosedOn
	}
	return ""
}

// Compliance evaluates a Project's or Programme's gates under the facts
// read for it, at time now. previous is the compliance the object last
// reported: phaseSince carries over from it while the phase stays the
// same. The reconcilers report this result and the webhooks decide on it.
// It is pure.
func Compliance(facts Facts, rules *policy.Rules, subject client.Object, previous v1alpha1.ComplianceStatus, now time.Time) (v1alpha1.ComplianceStatus, policy.Result) {
	kind, phase := SubjectOf(subject)
	status := v1alpha1.ComplianceStatus{Phase: v1alpha1.Phase(phase)}
	closed, closedErr := ClosedOn(subject).Time()
	switch {
	case phase == string(v1alpha1.ProjectClosed) && closedErr == nil:
		// A closed object's gates (Gate 5) count from its recorded closing
		// date, not from when the operator first saw it closed.
		t := metav1.NewTime(closed)
		status.PhaseSince = &t
	case previous.Phase == status.Phase && previous.PhaseSince != nil:
		status.PhaseSince = previous.PhaseSince
	default:
		t := metav1.NewTime(now.UTC().Truncate(time.Second))
		status.PhaseSince = &t
	}
	p := facts.Policy
	if p == nil {
		return status, policy.Result{}
	}
	// Rules see the object as JSON; converting is the costliest step, so
	// it is skipped when no gate has a rule.
	object := map[string]any{}
	if hasRules(*p) {
		if o, err := runtime.DefaultUnstructuredConverter.ToUnstructured(subject); err == nil {
			object = o
		}
	}
	start, points := DecisionPoints(subject)
	res := policy.Evaluate(*p, rules, policy.Subject{
		Kind: kind, Phase: phase, PhaseSince: status.PhaseSince.Time, Reviews: facts.Reviews, Object: object,
		Start: start, DecisionPoints: points,
	}, now)
	status.Enforcement = p.Enforcement
	status.Gates, status.GatesNotListed = listed(res.Gates)
	status.NextGate = res.NextGate
	return status, res
}

// listed keeps the gates a status can list: all of them when they fit,
// else the unmet and unknown first, in order, and counts the rest.
func listed(gates []v1alpha1.GateStatus) ([]v1alpha1.GateStatus, int32) {
	if len(gates) <= v1alpha1.GatesMaxItems {
		return gates, 0
	}
	open := func(g v1alpha1.GateStatus) bool {
		return g.State == v1alpha1.GateUnmet || g.State == v1alpha1.GateUnknown
	}
	out := make([]v1alpha1.GateStatus, 0, len(gates))
	for _, first := range []bool{true, false} {
		for _, g := range gates {
			if open(g) == first {
				out = append(out, g)
			}
		}
	}
	return out[:v1alpha1.GatesMaxItems], int32(len(gates) - v1alpha1.GatesMaxItems)
}

func hasRules(p policy.Policy) bool {
	for _, g := range p.Gates {
		if g.Rule != nil {
			return true
		}
	}
	return false
}
