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
	"p3o.dev/p3o-operator/internal/hierarchy"
)

// ProjectReconciler reconciles Projects: it resolves their programme or
// portfolio and office, and summarises their status.
type ProjectReconciler struct {
	client.Client
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=projects,verbs=get;list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=projects/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get;list;watch

// Reconcile brings one Project's status up to date.
func (r *ProjectReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, req.NamespacedName, &v1alpha1.Project{}, r.update)
}

func (r *ProjectReconciler) update(ctx context.Context, project *v1alpha1.Project) (ctrl.Result, error) {
	resolutions, err := r.resolveParents(ctx, project)
	if err != nil {
		return ctrl.Result{}, err
	}
	setProjectStatus(project, resolutions)
	return ctrl.Result{}, nil
}

func (r *ProjectReconciler) resolveParents(ctx context.Context, project *v1alpha1.Project) ([]hierarchy.Resolution, error) {
	return resolver{r.Client}.resolveAll(ctx, project.Namespace,
		parentRef{"spec.programmeRef", "Programme", project.Spec.ProgrammeRef, &v1alpha1.Programme{}},
		parentRef{"spec.portfolioRef", "Portfolio", project.Spec.PortfolioRef, &v1alpha1.Portfolio{}},
		parentRef{"spec.officeRef", "Office", project.Spec.OfficeRef, &v1alpha1.Office{}},
	)
}

// SetupWithManager registers the reconciler and its watches: a Project is
// requeued when its own spec changes, when a Programme, Portfolio or Office
// it references appears, changes its spec or goes, and when the labels of its
// namespace change.
func (r *ProjectReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.ProjectList{} }
	specChanged := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Project{}, specChanged).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexProgrammeRef, byKey)), specChanged).
		Watches(&v1alpha1.Portfolio{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexPortfolioRef, byKey)), specChanged).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexOfficeRef, byKey)), specChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Named("project").
		WithOptions(opts).
		Complete(r)
}
