/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"fmt"
	"testing"
	"unsafe"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/publish"
)

// decoded is a project as the API server's JSON gives it to the cache:
// every string its own copy.
func decoded(name string) *v1alpha1.Project {
	clone := func(s string) string { return string([]byte(s)) }
	return &v1alpha1.Project{
		ObjectMeta: metav1.ObjectMeta{Namespace: clone("portfolio-office"), Name: name,
			Annotations:   map[string]string{lastApplied: `{"apiVersion":"governance.p3o.dev/v1alpha1"}`, "team": "retail"},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl"}}},
		Spec: v1alpha1.ProjectSpec{Phase: v1alpha1.ProjectPhase(clone("Delivering"))},
		Status: v1alpha1.ProjectStatus{
			Conditions: []metav1.Condition{{Type: clone("Ready"), Reason: clone("Succeeded"), Message: clone("all conditions are met")}},
			Compliance: v1alpha1.ComplianceStatus{Gates: []v1alpha1.GateStatus{{Name: clone("gate-3"), Description: clone("Gate 3 Investment decision")}}},
		},
	}
}

func sameBytes(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }

// The cache keeps one copy of each string objects repeat, drops what the
// operator never reads, and keeps everything else as it was.
func TestCacheSharesRepeatedStringsAndDropsWhatIsNeverRead(t *testing.T) {
	transform := trimForCache()
	var cached []*v1alpha1.Project
	for i := range 3 {
		out, err := transform(decoded(fmt.Sprintf("project-%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		cached = append(cached, out.(*v1alpha1.Project))
	}
	a, b := cached[0], cached[2]
	for what, pair := range map[string][2]string{
		"namespace":         {a.Namespace, b.Namespace},
		"condition reason":  {a.Status.Conditions[0].Reason, b.Status.Conditions[0].Reason},
		"condition message": {a.Status.Conditions[0].Message, b.Status.Conditions[0].Message},
		"gate description":  {a.Status.Compliance.Gates[0].Description, b.Status.Compliance.Gates[0].Description},
		"phase":             {string(a.Spec.Phase), string(b.Spec.Phase)},
	} {
		if pair[0] != pair[1] || !sameBytes(pair[0], pair[1]) {
			t.Errorf("%s %q / %q: not one shared copy", what, pair[0], pair[1])
		}
	}
	if want := decoded("project-2"); b.Name != "project-2" || b.Status.Conditions[0] != want.Status.Conditions[0] || b.Annotations["team"] != "retail" {
		t.Errorf("the cached project changed: %+v", b)
	}
	if _, ok := b.Annotations[lastApplied]; ok || b.ManagedFields != nil {
		t.Errorf("kept what the operator never reads: annotations %v, managedFields %v", b.Annotations, b.ManagedFields)
	}
}

// Strings beyond the interner's bounds are kept as they are, not stored:
// input where every string differs cannot grow it without limit.
func TestInternerIsBounded(t *testing.T) {
	in := newInterner(2, 8)
	for _, s := range []string{"one", "two", "three", "a string longer than eight"} {
		in.intern(string([]byte(s)))
	}
	if len(in.strings) != 2 {
		t.Errorf("the interner holds %d strings; want its bound 2", len(in.strings))
	}
	three := string([]byte("three"))
	if got := in.intern(three); got != "three" || !sameBytes(got, three) {
		t.Error("a string beyond the bound is not returned as it is")
	}
}

// The cache keeps a report ConfigMap without its content, and its digest
// annotation only while it is the digest of that content: a report edited
// by hand no longer matches what the publisher would write, so it is
// written again.
func TestCacheKeepsReportsByDigest(t *testing.T) {
	data := map[string]string{"report.md": "# Office hub\n", "report.json": `{"projects":10000}`}
	digest := publish.ContentDigest(data, nil)
	report := func(data map[string]string, annotations map[string]string) *corev1.ConfigMap {
		return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "office-hub-report", Namespace: "pmo", Annotations: annotations}, Data: data}
	}
	transform := trimForCache()
	for _, tc := range []struct {
		name       string
		in         *corev1.ConfigMap
		wantDigest string
	}{
		{"as written", report(data, map[string]string{v1alpha1.AnnotationContentDigest: digest, "team": "pmo"}), digest},
		{"edited by hand", report(map[string]string{"report.md": "# Office hub, edited\n", "report.json": data["report.json"]},
			map[string]string{v1alpha1.AnnotationContentDigest: digest, "team": "pmo"}), ""},
		{"a key added by hand", report(map[string]string{"report.md": data["report.md"], "report.json": data["report.json"], "notes": "x"},
			map[string]string{v1alpha1.AnnotationContentDigest: digest, "team": "pmo"}), ""},
		{"written before digests", report(data, map[string]string{"team": "pmo"}), ""},
		{"emptied by hand", report(nil, map[string]string{v1alpha1.AnnotationContentDigest: digest, "team": "pmo"}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := transform(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			cm := out.(*corev1.ConfigMap)
			if len(cm.Data) > 0 || cm.BinaryData != nil {
				t.Errorf("the cache holds the report's content: %v", cm.Data)
			}
			if got := publish.HeldDigest(cm); got != tc.wantDigest {
				t.Errorf("digest held %q, want %q", got, tc.wantDigest)
			}
			// The informer may transform an object twice (a streamed
			// initial list): the second time changes nothing.
			if again, err := transform(cm); err != nil || publish.HeldDigest(again.(*corev1.ConfigMap)) != tc.wantDigest {
				t.Errorf("transformed twice: digest held %q (%v), want %q", publish.HeldDigest(again.(*corev1.ConfigMap)), err, tc.wantDigest)
			}
			if cm.Annotations["team"] != "pmo" || cm.Name != "office-hub-report" {
				t.Errorf("the cached ConfigMap changed: %+v", cm.ObjectMeta)
			}
		})
	}
	// The digest tells contents apart however they are split into keys.
	if publish.ContentDigest(map[string]string{"a": "bc"}, nil) == publish.ContentDigest(map[string]string{"ab": "c"}, nil) ||
		publish.ContentDigest(map[string]string{"a": "b"}, nil) == publish.ContentDigest(nil, map[string][]byte{"a": []byte("b")}) {
		t.Error("different contents share a digest")
	}
}
