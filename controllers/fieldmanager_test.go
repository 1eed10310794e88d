/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/controllers"
)

// Every write of the operator is recorded under the field manager
// p3o-operator, whatever its binary is called (this one is
// controllers.test), so that a GitOps tool can be told to ignore it: the
// status of each kind and the report ConfigMaps alike.
func TestWritesNameTheFieldManager(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "pmo", v1alpha1.OfficeTypePortfolioOffice)
	pf := newPortfolio(ns, "change", "pmo")
	prog := newProgramme(ns, "digital", ref("change"))
	proj := newProject(ns, "portal", refPtr("digital"))
	create(t, office, pf, prog, proj)
	expectReady(t, office, pf, prog, proj)

	for _, obj := range []client.Object{office, pf, prog, proj} {
		var status, spec []string
		for _, m := range obj.GetManagedFields() {
			if m.Subresource == "status" {
				status = append(status, m.Manager)
			} else {
				spec = append(spec, m.Manager)
			}
		}
		if len(status) == 0 {
			t.Errorf("%T %s: no status write recorded in managedFields", obj, obj.GetName())
		}
		for _, m := range status {
			if m != controllers.FieldManager {
				t.Errorf("%T %s: status written by %q, want %q", obj, obj.GetName(), m, controllers.FieldManager)
			}
		}
		// The test's own client, created as usual, is named after the
		// binary: the fixed name comes from the operator's settings.
		for _, m := range spec {
			if m == controllers.FieldManager {
				t.Errorf("%T %s: the test's spec write is recorded as %q too", obj, obj.GetName(), m)
			}
		}
	}

	NewWithT(t).Eventually(func(g Gomega) {
		var cms corev1.ConfigMapList
		g.Expect(k8sClient.List(context.Background(), &cms, client.InNamespace(ns), client.HasLabels{v1alpha1.LabelReport})).To(Succeed())
		g.Expect(cms.Items).NotTo(BeEmpty(), "no report ConfigMap yet")
		for _, cm := range cms.Items {
			g.Expect(managers(cm.ManagedFields)).To(HaveEach(controllers.FieldManager), "ConfigMap %s", cm.Name)
		}
	}).Should(Succeed())
}

func managers(fields []metav1.ManagedFieldsEntry) []string {
	var out []string
	for _, m := range fields {
		out = append(out, m.Manager)
	}
	return out
}
