/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package conditions

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func office(generation int64, conds ...metav1.Condition) *v1alpha1.Office {
	o := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Generation: generation}}
	o.Status.Conditions = conds
	return o
}

func TestSetKeepsTransitionTimeUnlessStatusChanges(t *testing.T) {
	then := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	o := office(2, metav1.Condition{Type: "ParentResolved", Status: metav1.ConditionFalse, Reason: "ParentNotFound", LastTransitionTime: then, ObservedGeneration: 1})

	Set(o, "ParentResolved", metav1.ConditionFalse, "NotPermitted", "refused")
	c := Get(o, "ParentResolved")
	if !c.LastTransitionTime.Equal(&then) || c.Reason != "NotPermitted" || c.ObservedGeneration != 2 {
		t.Errorf("same status: got %+v; want the old transition time, the new reason and generation 2", c)
	}
	Set(o, "ParentResolved", metav1.ConditionTrue, "Resolved", "ok")
	if c := Get(o, "ParentResolved"); c.LastTransitionTime.Equal(&then) {
		t.Errorf("status change kept the old transition time: %+v", c)
	}
}

func TestSetSummary(t *testing.T) {
	cases := []struct {
		name        string
		conds       []metav1.Condition
		stalled     bool
		wantStatus  metav1.ConditionStatus
		wantReason  v1alpha1.ConditionReason
		wantStalled bool
	}{
		{"all true", []metav1.Condition{{Type: "A", Status: metav1.ConditionTrue, Reason: "Fine"}, {Type: "B", Status: metav1.ConditionTrue, Reason: "Fine"}},
			false, metav1.ConditionTrue, v1alpha1.ReasonSucceeded, false},
		{"first false wins", []metav1.Condition{{Type: "A", Status: metav1.ConditionTrue, Reason: "Fine"}, {Type: "B", Status: metav1.ConditionFalse, Reason: "Broken", Message: "b is broken"}},
			false, metav1.ConditionFalse, "Broken", false},
		{"missing is unknown", []metav1.Condition{{Type: "A", Status: metav1.ConditionTrue, Reason: "Fine"}},
			false, metav1.ConditionUnknown, v1alpha1.ReasonProgressing, false},
		{"stalled mirrors the failure", []metav1.Condition{{Type: "A", Status: metav1.ConditionFalse, Reason: "InvalidSpec"}, {Type: "B", Status: metav1.ConditionTrue}},
			true, metav1.ConditionFalse, "InvalidSpec", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := office(1, append(tc.conds,
				metav1.Condition{Type: string(v1alpha1.ConditionReconciling), Status: metav1.ConditionTrue, Reason: "Progressing"},
				metav1.Condition{Type: string(v1alpha1.ConditionStalled), Status: metav1.ConditionTrue, Reason: "Old"})...)
			SetSummary(o, tc.stalled, "A", "B")
			ready := Get(o, v1alpha1.ConditionReady)
			if ready.Status != tc.wantStatus || ready.Reason != string(tc.wantReason) {
				t.Errorf("Ready = %s/%s; want %s/%s", ready.Status, ready.Reason, tc.wantStatus, tc.wantReason)
			}
			if Get(o, v1alpha1.ConditionReconciling) != nil {
				t.Error("Reconciling survived a finished pass")
			}
			if got := IsTrue(o, v1alpha1.ConditionStalled); got != tc.wantStalled {
				t.Errorf("Stalled = %v; want %v", got, tc.wantStalled)
			}
			if !tc.wantStalled && Get(o, v1alpha1.ConditionStalled) != nil {
				t.Error("Stalled is present while False; kstatus wants it absent")
			}
		})
	}
}
