/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// A GitOps tool applies a folder in any order: children applied before their
// parents wait with ParentNotFound and heal when the parents arrive.
func TestChildAppliedBeforeParentHeals(t *testing.T) {
	ns := newNamespace(t, nil)
	project := newProject(ns, "erp-migration", refPtr("finance"))
	create(t, project)

	msg := expectCondition(t, project, v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)
	NewWithT(t).Expect(msg).To(ContainSubstring("Programme " + ns + "/finance (spec.programmeRef) not found"))
	expectCondition(t, project, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)

	programme := newProgramme(ns, "finance", ref("digital"))
	create(t, programme)
	expectReady(t, project)
	expectCondition(t, programme, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)

	portfolio := newPortfolio(ns, "digital", "central")
	office := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	create(t, portfolio, office)
	expectReady(t, programme, portfolio, office)
	NewWithT(t).Expect(conditionOf(NewWithT(t), office, v1alpha1.ConditionParentResolved).Reason).To(Equal(string(v1alpha1.ReasonNoParent)))
}

// Deleting a parent turns its children back to ParentNotFound, and its
// return heals them again.
func TestDeletedParentIsNoticedAndReturns(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	portfolio := newPortfolio(ns, "digital", "central")
	project := newProject(ns, "portal", nil)
	project.Spec.PortfolioRef = refPtr("digital")
	create(t, office, portfolio, project)
	expectReady(t, portfolio, project)

	NewWithT(t).Expect(k8sClient.Delete(context.Background(), portfolio)).To(Succeed())
	expectCondition(t, project, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)

	create(t, newPortfolio(ns, "digital", "central"))
	expectReady(t, project)
}

// A child in another namespace does not attach under the default (Same); the
// parent opts in with All or with a namespace selector, and removing the
// namespace label revokes the attachment.
func TestCrossNamespaceAttachmentIsOptInByTheParent(t *testing.T) {
	central := newNamespace(t, nil)
	retail := newNamespace(t, map[string]string{"p3o.dev/business-unit": "retail"})
	office := newOffice(central, "central", v1alpha1.OfficeTypePortfolioOffice)
	portfolio := newPortfolio(retail, "retail-growth", "central")
	portfolio.Spec.OfficeRef = ref("central", central)
	create(t, office, portfolio)

	msg := expectCondition(t, portfolio, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted)
	NewWithT(t).Expect(msg).To(ContainSubstring("does not admit children from namespace " + retail))

	update(t, office, func(o *v1alpha1.Office) {
		o.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{
			From:     v1alpha1.NamespacesFromSelector,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"p3o.dev/business-unit": "retail"}},
		}
	})
	expectReady(t, portfolio)

	namespace := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: retail}}
	update(t, namespace, func(n *corev1.Namespace) { delete(n.Labels, "p3o.dev/business-unit") })
	msg = expectCondition(t, portfolio, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted)
	NewWithT(t).Expect(msg).To(ContainSubstring("does not match spec.allowedChildren.namespaces.selector"))

	update(t, office, func(o *v1alpha1.Office) {
		o.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}
	})
	expectReady(t, portfolio)
}

// GatewayReviews written by an assurance team in its own namespace attach to
// a subject that admits that namespace.
func TestGatewayReviewResolvesItsSubject(t *testing.T) {
	delivery := newNamespace(t, nil)
	assurance := newNamespace(t, nil)
	project := newProject(delivery, "portal", refPtr("digital-programme"))
	programme := newProgramme(delivery, "digital-programme", ref("digital"))
	review := newReview(assurance, "portal-gate-1", v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: ref("portal", delivery)}, 1)
	create(t, project, programme, review)

	expectCondition(t, review, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted)
	update(t, project, func(p *v1alpha1.Project) {
		p.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}
	})
	expectReady(t, review)

	// A review of a Programme that does not exist names the kind it looked for.
	missing := newReview(delivery, "missing-gate-0", v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProgramme, ParentReference: ref("nope")}, 0)
	create(t, missing)
	msg := expectCondition(t, missing, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)
	NewWithT(t).Expect(msg).To(ContainSubstring("Programme " + delivery + "/nope (spec.subjectRef) not found"))
}

// A Satellite resolves its hub; a Temporary office is retired (a condition,
// not a deletion) when the programme it exists for closes.
func TestOfficeTypes(t *testing.T) {
	ns := newNamespace(t, nil)
	hub := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	satellite := newOffice(ns, "retail", v1alpha1.OfficeTypeSatellite)
	satellite.Spec.HubRef = refPtr("central")
	temporary := newOffice(ns, "cloud-pmo", v1alpha1.OfficeTypeTemporary)
	temporary.Spec.SupportedObjectRef = &v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProgramme, ParentReference: ref("cloud")}
	create(t, satellite, temporary)

	expectCondition(t, satellite, v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)
	expectCondition(t, temporary, v1alpha1.ConditionRetired, metav1.ConditionUnknown, v1alpha1.ReasonParentNotFound)

	programme := newProgramme(ns, "cloud", ref("digital"))
	programme.Spec.Phase = v1alpha1.ProgrammeDelivering
	create(t, hub, programme)
	expectReady(t, satellite, temporary)
	expectCondition(t, temporary, v1alpha1.ConditionRetired, metav1.ConditionFalse, v1alpha1.ReasonSupportedObjectActive)

	update(t, programme, func(p *v1alpha1.Programme) {
		p.Spec.Phase, p.Spec.ClosedOn = v1alpha1.ProgrammeClosed, v1alpha1.Date(time.Now().UTC().Format(time.DateOnly))
	})
	expectCondition(t, temporary, v1alpha1.ConditionRetired, metav1.ConditionTrue, v1alpha1.ReasonSupportedObjectClosed)
	expectReady(t, temporary)
	NewWithT(t).Expect(conditionOf(NewWithT(t), hub, v1alpha1.ConditionRetired)).To(BeNil(), "only Temporary and ProjectSupport offices carry Retired")
}

// A settled object is Current for kstatus (what Flux, Argo CD and
// `kubectl wait` style tooling compute), with observedGeneration caught up,
// and its status is not rewritten when nothing changed.
func TestSettledObjectIsCurrentAndQuiet(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	create(t, office)
	expectReady(t, office)

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		u := &unstructured.Unstructured{}
		u.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind("Office"))
		g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(office), u)).To(Succeed())
		res, err := status.Compute(u)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(res.Status).To(Equal(status.CurrentStatus), res.Message)
	}).Should(Succeed())

	g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(office), office)).To(Succeed())
	g.Expect(office.Status.ObservedGeneration).To(Equal(office.Generation))
	for _, c := range office.Status.Conditions {
		g.Expect(c.Type).NotTo(BeElementOf(string(v1alpha1.ConditionReconciling), string(v1alpha1.ConditionStalled)), "kstatus conditions are present only while True")
	}

	// A metadata-only change reaches the cache but changes nothing: the
	// object keeps the resourceVersion of that change.
	update(t, office, func(o *v1alpha1.Office) { o.Labels = map[string]string{"team": "pmo"} })
	settled := office.ResourceVersion
	g.Consistently(func(g Gomega) {
		g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(office), office)).To(Succeed())
		g.Expect(office.ResourceVersion).To(Equal(settled))
	}).Should(Succeed())

	// A spec change is observed: generation and observedGeneration move together.
	update(t, office, func(o *v1alpha1.Office) { o.Spec.Description = "central portfolio office" })
	g.Eventually(func(g Gomega) {
		g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(office), office)).To(Succeed())
		g.Expect(office.Status.ObservedGeneration).To(Equal(office.Generation))
		g.Expect(conditionOf(g, office, v1alpha1.ConditionReady).ObservedGeneration).To(Equal(office.Generation))
	}).Should(Succeed())
}
