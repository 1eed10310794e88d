/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package conditions sets the status conditions of governance objects with
// kstatus semantics: Ready summarises, Reconciling and Stalled are present
// only while True, and LastTransitionTime moves only when a status changes.
package conditions

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/shorten"
)

// Object is an object with status conditions and a generation.
type Object interface {
	v1alpha1.Conditioned
	GetGeneration() int64
}

// Set records a condition at the object's generation, its message
// shortened to fit the API's bound. It leaves LastTransitionTime alone
// unless the status changes.
func Set(obj Object, conditionType v1alpha1.ConditionType, status metav1.ConditionStatus, reason v1alpha1.ConditionReason, message string) {
	conds := obj.GetConditions()
	meta.SetStatusCondition(&conds, metav1.Condition{
		Type:               string(conditionType),
		Status:             status,
		Reason:             string(reason),
		Message:            shorten.To(message, v1alpha1.ConditionMessageMaxLength),
		ObservedGeneration: obj.GetGeneration(),
	})
	obj.SetConditions(conds)
}

// Is reports whether c is present with the given status and reason.
func Is(c *metav1.Condition, status metav1.ConditionStatus, reason v1alpha1.ConditionReason) bool {
	return c != nil && c.Status == status && c.Reason == string(reason)
}

// Get returns the condition of the given type, or nil.
func Get(obj Object, conditionType v1alpha1.ConditionType) *metav1.Condition {
	return meta.FindStatusCondition(obj.GetConditions(), string(conditionType))
}

// IsTrue reports whether the condition is present and True.
func IsTrue(obj Object, conditionType v1alpha1.ConditionType) bool {
	return meta.IsStatusConditionTrue(obj.GetConditions(), string(conditionType))
}

// Delete removes the condition of the given type.
func Delete(obj Object, conditionType v1alpha1.ConditionType) {
	conds := obj.GetConditions()
	meta.RemoveStatusCondition(&conds, string(conditionType))
	obj.SetConditions(conds)
}

// SetSummary sets Ready from the given conditions, in order of importance:
// True when all of them are True; otherwise False with the reason and
// message of the first that is not. Missing conditions count as Unknown.
// It also settles the kstatus conditions: Reconciling is removed (a pass that
// reaches the summary has finished), and Stalled is removed unless stalled
// is true, in which case it is set with the Ready reason and message.
func SetSummary(obj Object, stalled bool, dependsOn ...v1alpha1.ConditionType) {
	status, reason, message := Summary(obj, dependsOn...)
	Set(obj, v1alpha1.ConditionReady, status, reason, message)
	Delete(obj, v1alpha1.ConditionReconciling)
	if stalled {
		Set(obj, v1alpha1.ConditionStalled, metav1.ConditionTrue, reason, message)
	} else {
		Delete(obj, v1alpha1.ConditionStalled)
	}
}

// Summary is what Ready says of the given conditions: True when all are
// True; else the first that is not, False with its reason and message, or
// Unknown when it has not been evaluated.
func Summary(obj Object, dependsOn ...v1alpha1.ConditionType) (metav1.ConditionStatus, v1alpha1.ConditionReason, string) {
	for _, t := range dependsOn {
		c := Get(obj, t)
		if c == nil {
			return metav1.ConditionUnknown, v1alpha1.ReasonProgressing, string(t) + " has not been evaluated yet"
		}
		if c.Status != metav1.ConditionTrue {
			return metav1.ConditionFalse, v1alpha1.ConditionReason(c.Reason), c.Message
		}
	}
	return metav1.ConditionTrue, v1alpha1.ReasonSucceeded, "all conditions are met"
}
