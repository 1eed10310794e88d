/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/hierarchy"
)

// The functions in this file compute status from what a reconciler fetched.
// They are pure: no client, no clock.

// setParentResolved records the outcome of an object's references.
func setParentResolved(obj conditions.Object, resolutions []hierarchy.Resolution) {
	status, reason, message := hierarchy.Summarise(resolutions)
	conditions.Set(obj, v1alpha1.ConditionParentResolved, status, reason, message)
}

// resolvedKey returns "namespace/name" of the first resolved reference made
// through field, or "".
func resolvedKey(resolutions []hierarchy.Resolution, field string) string {
	for _, r := range resolutions {
		if r.Field == field && r.Outcome == hierarchy.Resolved {
			return r.Key.String()
		}
	}
	return ""
}

// reviewObservation is what the GatewayReview reconciler fetched.
type reviewObservation struct {
	resolutions []hierarchy.Resolution
	// subjectCompliance is the resolved subject's compliance status.
	subjectCompliance v1alpha1.ComplianceStatus
	// supersededBy names a newer review of the same gate, if any.
	supersededBy string
}

func setGatewayReviewStatus(g *v1alpha1.GatewayReview, obs reviewObservation) {
	setParentResolved(g, obs.resolutions)
	g.Status.Satisfies, g.Status.ExpiresAt = nil, nil
	key := g.Namespace + "/" + g.Name
	for _, gate := range obs.subjectCompliance.Gates {
		if gate.Review != key || (gate.State != v1alpha1.GateMet && gate.State != v1alpha1.GateNotYetRequired) {
			continue
		}
		g.Status.Satisfies = append(g.Status.Satisfies, gate.Name)
		if gate.ExpiresAt != nil && (g.Status.ExpiresAt == nil || gate.ExpiresAt.Before(g.Status.ExpiresAt)) {
			g.Status.ExpiresAt = gate.ExpiresAt.DeepCopy()
		}
	}
	g.Status.SupersededBy = obs.supersededBy
	conditions.SetSummary(g, false, v1alpha1.ConditionParentResolved)
	g.Status.ObservedGeneration = g.Generation
}

// setRetired marks a Temporary or ProjectSupport office retired once the
// object it supports is Closed. Other types carry no Retired condition.
func setRetired(o *v1alpha1.Office, obs officeObservation) {
	if o.Spec.SupportedObjectRef == nil {
		conditions.Delete(o, v1alpha1.ConditionRetired)
		return
	}
	ref := o.Spec.SupportedObjectRef
	switch {
	case obs.supportedPhase == "":
		conditions.Set(o, v1alpha1.ConditionRetired, metav1.ConditionUnknown, v1alpha1.ReasonParentNotFound,
			"the supported "+string(ref.Kind)+" is not resolved")
	case obs.supportedPhase == string(v1alpha1.ProjectClosed):
		conditions.Set(o, v1alpha1.ConditionRetired, metav1.ConditionTrue, v1alpha1.ReasonSupportedObjectClosed,
			"the supported "+string(ref.Kind)+" "+string(ref.Name)+" is Closed")
	default:
		conditions.Set(o, v1alpha1.ConditionRetired, metav1.ConditionFalse, v1alpha1.ReasonSupportedObjectActive,
			"the supported "+string(ref.Kind)+" "+string(ref.Name)+" is "+obs.supportedPhase)
	}
}
