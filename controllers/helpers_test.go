/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Builders of valid objects; tests change what they are about.

func ref(name string, namespace ...string) v1alpha1.ParentReference {
	r := v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name)}
	if len(namespace) > 0 {
		r.Namespace = v1alpha1.Namespace(namespace[0])
	}
	return r
}

func refPtr(name string, namespace ...string) *v1alpha1.ParentReference {
	r := ref(name, namespace...)
	return &r
}

func newOffice(ns, name string, officeType v1alpha1.OfficeType) *v1alpha1.Office {
	return &v1alpha1.Office{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.OfficeSpec{Type: officeType},
	}
}

func newPortfolio(ns, name, office string) *v1alpha1.Portfolio {
	return &v1alpha1.Portfolio{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.PortfolioSpec{OfficeRef: ref(office)},
	}
}

func newProgramme(ns, name string, portfolio v1alpha1.ParentReference) *v1alpha1.Programme {
	return &v1alpha1.Programme{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.ProgrammeSpec{PortfolioRef: portfolio},
	}
}

func newProject(ns, name string, programme *v1alpha1.ParentReference) *v1alpha1.Project {
	return &v1alpha1.Project{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.ProjectSpec{
			ProgrammeRef: programme,
			Plan:         v1alpha1.Plan{Budget: quantity("1M")},
		},
	}
}

func newReview(ns, name string, subject v1alpha1.SubjectReference, gate int32) *v1alpha1.GatewayReview {
	return &v1alpha1.GatewayReview{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.GatewayReviewSpec{
			SubjectRef: subject,
			Gate:       &gate,
			Date:       "2026-10-01",
			Findings:   &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmberGreen},
		},
	}
}

func create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, obj := range objs {
		if err := k8sClient.Create(context.Background(), obj); err != nil {
			t.Fatalf("creating %T %s: %v", obj, obj.GetName(), err)
		}
	}
}

// conditionOf fetches obj afresh and returns its condition of the given type
// (nil when absent).
func conditionOf(g Gomega, obj client.Object, conditionType v1alpha1.ConditionType) *metav1.Condition {
	g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj)).To(Succeed())
	return meta.FindStatusCondition(obj.(v1alpha1.Conditioned).GetConditions(), string(conditionType))
}

// expectCondition waits until obj's condition has the given status and
// reason, and returns its message.
func expectCondition(t *testing.T, obj client.Object, conditionType v1alpha1.ConditionType, status metav1.ConditionStatus, reason v1alpha1.ConditionReason) string {
	t.Helper()
	var message string
	NewWithT(t).Eventually(func(g Gomega) {
		c := conditionOf(g, obj, conditionType)
		g.Expect(c).NotTo(BeNil(), "condition %s missing on %s", conditionType, obj.GetName())
		g.Expect(c.Status).To(Equal(status), "%s/%s %s: %s", obj.GetNamespace(), obj.GetName(), conditionType, c.Message)
		g.Expect(c.Reason).To(Equal(string(reason)), "%s/%s %s: %s", obj.GetNamespace(), obj.GetName(), conditionType, c.Message)
		message = c.Message
	}).Should(Succeed())
	return message
}

func expectReady(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, obj := range objs {
		expectCondition(t, obj, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
	}
}

// update re-reads obj, applies change and writes it, retrying on conflicts.
func update[T client.Object](t *testing.T, obj T, change func(T)) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		if err := k8sClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		change(obj)
		return k8sClient.Update(context.Background(), obj)
	}).Should(Succeed())
}
