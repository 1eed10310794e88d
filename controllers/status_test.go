/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/policy"
)

// Rules that do not compile reach the controller only when the webhook was
// bypassed (it fails open); the Office then says which, and is not Ready.
func TestOfficeWithBrokenRuleIsNotReady(t *testing.T) {
	o := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Name: "central", Generation: 3}}
	setOfficeStatus(o, officeObservation{
		policy:     policy.Policy{Enforcement: v1alpha1.EnforcementAudit},
		ruleErrors: []string{"gate owners: rule does not compile: ERROR: <input>:1:26: Syntax error"},
	})
	c := conditions.Get(o, v1alpha1.ConditionPolicyValid)
	if c.Status != metav1.ConditionFalse || c.Reason != v1alpha1.ReasonInvalidRule || c.Message != "gate owners: rule does not compile: ERROR: <input>:1:26: Syntax error" {
		t.Errorf("PolicyValid = %+v", c)
	}
	if r := conditions.Get(o, v1alpha1.ConditionReady); r.Status != metav1.ConditionFalse || r.Reason != v1alpha1.ReasonInvalidRule {
		t.Errorf("Ready = %+v; want False with the rule's reason", r)
	}
	if o.Status.ObservedGeneration != 3 || o.Status.PolicyDigest == "" {
		t.Errorf("observedGeneration %d digest %q", o.Status.ObservedGeneration, o.Status.PolicyDigest)
	}
}
