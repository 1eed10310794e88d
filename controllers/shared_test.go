/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// A status patch holds the status fields that changed (null for one
// removed) and the resourceVersion it was computed against, never the spec;
// no patch at all when the status is the same.
func TestStatusPatchHoldsOnlyWhatChanged(t *testing.T) {
	before := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Name: "p", ResourceVersion: "41"},
		Spec:   v1alpha1.ProjectSpec{Manager: "Sam"},
		Status: v1alpha1.ProjectStatus{Health: v1alpha1.HealthGreen, HealthReasons: []string{"on plan"}, ObservedGeneration: 1}}
	after := before.DeepCopy()
	after.Spec.Manager = "Alex" // not status: never sent
	if data, err := statusPatch(before, after); err != nil || data != nil {
		t.Fatalf("unchanged status: patch %s, %v; want none", data, err)
	}
	after.Status.Health, after.Status.HealthReasons = v1alpha1.HealthRed, nil
	data, err := statusPatch(before, after)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"metadata":{"resourceVersion":"41"},"status":{"health":"Red","healthReasons":null}}`; string(data) != want {
		t.Errorf("patch %s\nwant  %s", data, want)
	}
}
