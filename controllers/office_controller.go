/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// OfficeReconciler reconciles Offices: it resolves a Satellite's hub and the
// object a Temporary or ProjectSupport office supports, marks such an office
// retired when that object closes, and summarises status.
type OfficeReconciler struct {
	client.Client
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=offices,verbs=get;list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=offices/status,verbs=get;update;patch

// Reconcile brings one Office's status up to date.
func (r *OfficeReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, req.NamespacedName, &v1alpha1.Office{}, r.update)
}

func (r *OfficeReconciler) update(ctx context.Context, office *v1alpha1.Office) (ctrl.Result, error) {
	supported := subjectRef("spec.supportedObjectRef", office.Spec.SupportedObjectRef)
	resolutions, err := resolver{r.Client}.resolveAll(ctx, office.Namespace,
		parentRef{"spec.hubRef", "Office", office.Spec.HubRef, &v1alpha1.Office{}},
		supported,
	)
	if err != nil {
		return ctrl.Result{}, err
	}
	obs := officeObservation{resolutions: resolutions}
	if resolvedKey(resolutions, supported.field) != "" {
		obs.supportedPhase = phaseOf(supported.parent)
	}
	setOfficeStatus(office, obs)
	return ctrl.Result{}, nil
}

// phaseOf returns the phase of a fetched Project or Programme.
func phaseOf(obj client.Object) string {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return string(o.Spec.Phase)
	case *v1alpha1.Programme:
		return string(o.Spec.Phase)
	}
	return ""
}

// SetupWithManager registers the reconciler and its watches: an Office is
// requeued when its own spec changes, when its hub or the object it supports
// appears, changes its spec or goes, and when the labels of its namespace
// change.
func (r *OfficeReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.OfficeList{} }
	specChanged := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Office{}, specChanged).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexHubRef, byKey)), specChanged).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexSupportedObjectRef, subjectKeyOf(v1alpha1.SubjectKindProgramme))), specChanged).
		Watches(&v1alpha1.Project{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexSupportedObjectRef, subjectKeyOf(v1alpha1.SubjectKindProject))), specChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Named("office").
		WithOptions(opts).
		Complete(r)
}
