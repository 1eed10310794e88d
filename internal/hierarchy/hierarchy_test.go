/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package hierarchy

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func policy(from v1alpha1.FromNamespaces, selector *metav1.LabelSelector) v1alpha1.AllowedChildren {
	return v1alpha1.AllowedChildren{Namespaces: &v1alpha1.ChildNamespaces{From: from, Selector: selector}}
}

func TestAdmits(t *testing.T) {
	retail := &metav1.LabelSelector{MatchLabels: map[string]string{"unit": "retail"}}
	cases := []struct {
		name    string
		a       Admission
		want    bool
		wantWhy string
	}{
		{"same namespace, no policy", Admission{ParentNamespace: "a", ChildNamespace: "a"}, true, ""},
		{"same namespace is admitted even by a selector it fails", Admission{Policy: policy(v1alpha1.NamespacesFromSelector, retail), ParentNamespace: "a", ChildNamespace: "a"}, true, ""},
		{"other namespace, no policy", Admission{ParentNamespace: "a", ChildNamespace: "b"}, false, "from is Same"},
		{"other namespace, empty from", Admission{Policy: policy("", nil), ParentNamespace: "a", ChildNamespace: "b"}, false, "from is Same"},
		{"other namespace, All", Admission{Policy: policy(v1alpha1.NamespacesFromAll, nil), ParentNamespace: "a", ChildNamespace: "b"}, true, ""},
		{"selector matches", Admission{Policy: policy(v1alpha1.NamespacesFromSelector, retail), ParentNamespace: "a", ChildNamespace: "b",
			ChildNamespaceLabels: map[string]string{"unit": "retail"}}, true, ""},
		{"selector does not match", Admission{Policy: policy(v1alpha1.NamespacesFromSelector, retail), ParentNamespace: "a", ChildNamespace: "b",
			ChildNamespaceLabels: map[string]string{"unit": "finance"}}, false, "namespace b does not match"},
		{"selector missing", Admission{Policy: policy(v1alpha1.NamespacesFromSelector, nil), ParentNamespace: "a", ChildNamespace: "b"}, false, "no selector is set"},
		{"selector invalid", Admission{Policy: policy(v1alpha1.NamespacesFromSelector, &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "unit", Operator: "Near"}}}), ParentNamespace: "a", ChildNamespace: "b"}, false, "selector is invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, why := tc.a.Admits()
			if got != tc.want || !strings.Contains(why, tc.wantWhy) {
				t.Errorf("Admits() = %v, %q; want %v, containing %q", got, why, tc.want, tc.wantWhy)
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	key := types.NamespacedName{Namespace: "central", Name: "digital"}
	resolved := AdmissionResolution("spec.portfolioRef", "Portfolio", key, Admission{ParentNamespace: "central", ChildNamespace: "central"})
	missing := NotFoundResolution("spec.officeRef", "Office", types.NamespacedName{Namespace: "central", Name: "pmo"})
	refused := AdmissionResolution("spec.portfolioRef", "Portfolio", key, Admission{ParentNamespace: "central", ChildNamespace: "retail"})

	cases := []struct {
		name        string
		in          []Resolution
		wantStatus  metav1.ConditionStatus
		wantReason  v1alpha1.ConditionReason
		wantMessage string
	}{
		{"no references", nil, metav1.ConditionTrue, v1alpha1.ReasonNoParent, "references no parent"},
		{"all resolved", []Resolution{resolved}, metav1.ConditionTrue, v1alpha1.ReasonResolved, "resolved Portfolio central/digital"},
		{"one missing", []Resolution{resolved, missing}, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound, "Office central/pmo (spec.officeRef) not found"},
		{"first failure gives the reason, every failure the message", []Resolution{refused, missing}, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted,
			"Portfolio central/digital (spec.portfolioRef) does not admit children from namespace retail: spec.allowedChildren.namespaces.from is Same; Office central/pmo (spec.officeRef) not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, reason, message := Summarise(tc.in)
			if status != tc.wantStatus || reason != tc.wantReason || !strings.Contains(message, tc.wantMessage) {
				t.Errorf("Summarise() = %s, %s, %q; want %s, %s, containing %q", status, reason, message, tc.wantStatus, tc.wantReason, tc.wantMessage)
			}
		})
	}
}
