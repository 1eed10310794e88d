/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

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

// Event is an event a status change calls for; the reconciler records it
// on the object.
type Event struct {
	// Type is corev1.EventTypeNormal or corev1.EventTypeWarning.
	Type string
	// Reason is one of the Event* reasons.
	Reason string
	// Action is what the operator did: Assess, Attach or Evaluate.
	Action string
	// Message is for people.
	Message string
}

// transitions lists the events for what changed between before and after:
// health turning Red or recovering, and a refused attachment. reason is
// the first reason of the new health. Events record changes of a state
// already assessed: an object's first assessment is its status (a sync of
// 10,000 new projects would otherwise post thousands of warnings at once).
func transitions(before, after conditions.Object, oldHealth, newHealth v1alpha1.Health, reason string) []Event {
	var out []Event
	switch {
	case oldHealth == "":
	case newHealth == v1alpha1.HealthRed && oldHealth != v1alpha1.HealthRed:
		out = append(out, Event{corev1.EventTypeWarning, EventHealthRed, "Assess", "Health is Red: " + reason})
	case oldHealth == v1alpha1.HealthRed && newHealth != v1alpha1.HealthRed && newHealth != "":
		out = append(out, Event{corev1.EventTypeNormal, EventHealthRecovered, "Assess", fmt.Sprintf("Health recovered from Red to %s", newHealth)})
	}
	was, now := conditions.Get(before, v1alpha1.ConditionParentResolved), conditions.Get(after, v1alpha1.ConditionParentResolved)
	notPermitted := string(v1alpha1.ReasonNotPermitted)
	if now != nil && now.Reason == notPermitted && (was == nil || was.Reason != notPermitted) {
		out = append(out, Event{corev1.EventTypeWarning, EventNotPermitted, "Attach", now.Message})
	}
	return out
}

// gateTransitions lists an event for each gate that starts failing (or
// whose review expired) or becomes satisfied; a gate evaluated for the first
// time records none (see transitions).
func gateTransitions(before, after v1alpha1.ComplianceStatus) []Event {
	was := map[string]v1alpha1.GateState{}
	for _, g := range before.Gates {
		was[g.Name] = g.State
	}
	var out []Event
	for _, g := range after.Gates {
		prev, evaluated := was[g.Name]
		switch {
		case !evaluated:
		case g.State == v1alpha1.GateUnmet && prev != v1alpha1.GateUnmet:
			reason := EventGateUnmet
			if g.Cause == v1alpha1.CauseReviewExpired {
				reason = EventReviewExpired
			}
			out = append(out, Event{corev1.EventTypeWarning, reason, "Evaluate", g.Description + ": " + g.Message})
		case g.State == v1alpha1.GateMet && prev == v1alpha1.GateUnmet:
			out = append(out, Event{corev1.EventTypeNormal, EventGateMet, "Evaluate", g.Description + ": " + g.Message})
		}
	}
	return out
}
