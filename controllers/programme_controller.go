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

// ProgrammeReconciler reconciles Programmes: it resolves their portfolio and
// office, and summarises their status.
type ProgrammeReconciler struct {
	client.Client
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=programmes,verbs=get;list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=programmes/status,verbs=get;update;patch

// Reconcile brings one Programme's status up to date.
func (r *ProgrammeReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, req.NamespacedName, &v1alpha1.Programme{}, r.update)
}

func (r *ProgrammeReconciler) update(ctx context.Context, programme *v1alpha1.Programme) (ctrl.Result, error) {
	resolutions, err := resolver{r.Client}.resolveAll(ctx, programme.Namespace,
		parentRef{"spec.portfolioRef", "Portfolio", &programme.Spec.PortfolioRef, &v1alpha1.Portfolio{}},
		parentRef{"spec.officeRef", "Office", programme.Spec.OfficeRef, &v1alpha1.Office{}},
	)
	if err != nil {
		return ctrl.Result{}, err
	}
	setProgrammeStatus(programme, resolutions)
	return ctrl.Result{}, nil
}

// SetupWithManager registers the reconciler and its watches: a Programme is
// requeued when its own spec changes, when a Portfolio or Office it
// references appears, changes its spec or goes, and when the labels of its
// namespace change.
func (r *ProgrammeReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.ProgrammeList{} }
	specChanged := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Programme{}, specChanged).
		Watches(&v1alpha1.Portfolio{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexPortfolioRef, byKey)), specChanged).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexOfficeRef, byKey)), specChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Named("programme").
		WithOptions(opts).
		Complete(r)
}
