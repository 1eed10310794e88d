/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
)

// Event reasons. Events are recorded on transitions only, never on every
// pass.
const (
	// EventHealthRed: health turned Red.
	EventHealthRed = "HealthRed"
	// EventHealthRecovered: health left Red.
	EventHealthRecovered = "HealthRecovered"
	// EventNotPermitted: a parent refused the object's attachment.
	EventNotPermitted = "NotPermitted"
	// EventGateUnmet: a gate started failing.
	EventGateUnmet = "GateUnmet"
	// EventReviewExpired: the review satisfying a gate passed its maximum age.
	EventReviewExpired = "ReviewExpired"
	// EventGateMet: a gate became satisfied.
	EventGateMet = "GateMet"
)

// recordGateTransitions records an event for each gate that starts failing
// (or whose review expired) or becomes satisfied.
func recordGateTransitions(rec recorder.EventRecorder, obj client.Object, before, after v1alpha1.ComplianceStatus) {
	if rec == nil {
		return
	}
	was := map[string]v1alpha1.GateState{}
	for _, g := range before.Gates {
		was[g.Name] = g.State
	}
	for _, g := range after.Gates {
		switch prev := was[g.Name]; {
		case g.State == v1alpha1.GateUnmet && prev != v1alpha1.GateUnmet:
			reason := EventGateUnmet
			if strings.Contains(g.Message, "expired") {
				reason = EventReviewExpired
			}
			rec.Eventf(obj, nil, corev1.EventTypeWarning, reason, "Evaluate", "%s: %s", g.Description, g.Message)
		case g.State == v1alpha1.GateMet && prev == v1alpha1.GateUnmet:
			rec.Eventf(obj, nil, corev1.EventTypeNormal, EventGateMet, "Evaluate", "%s: %s", g.Description, g.Message)
		}
	}
}

// conditionedObject is any governance object.
type conditionedObject interface {
	client.Object
	v1alpha1.Conditioned
}

// recordTransitions records events for what changed between before and
// after: health turning Red or recovering, and a refused attachment.
func recordTransitions(rec recorder.EventRecorder, before, after conditionedObject, oldHealth, newHealth v1alpha1.Health, reason string) {
	if rec == nil {
		return
	}
	obj := after
	switch {
	case newHealth == v1alpha1.HealthRed && oldHealth != v1alpha1.HealthRed:
		rec.Eventf(obj, nil, corev1.EventTypeWarning, EventHealthRed, "Assess", "Health is Red: %s", reason)
	case oldHealth == v1alpha1.HealthRed && newHealth != v1alpha1.HealthRed && newHealth != "":
		rec.Eventf(obj, nil, corev1.EventTypeNormal, EventHealthRecovered, "Assess", "Health recovered from Red to %s", newHealth)
	}
	was, now := conditions.Get(before, v1alpha1.ConditionParentResolved), conditions.Get(after, v1alpha1.ConditionParentResolved)
	if now != nil && now.Reason == v1alpha1.ReasonNotPermitted && (was == nil || was.Reason != v1alpha1.ReasonNotPermitted) {
		rec.Eventf(obj, nil, corev1.EventTypeWarning, EventNotPermitted, "Attach", "%s", now.Message)
	}
}
