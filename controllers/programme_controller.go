/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/status"
)

// ProgrammeReconciler reconciles Programmes: it resolves their portfolio and
// governing office, and rolls up their projects.
type ProgrammeReconciler struct {
	parents
	// rules compiles and evaluates the gates' CEL rules.
	rules *policy.Rules
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=programmes,verbs=list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=programmes/status,verbs=patch

// Reconcile brings one Programme's status up to date.
func (r *ProgrammeReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, r.recorder, req.NamespacedName, &v1alpha1.Programme{}, func(ctx context.Context, p *v1alpha1.Programme) (step, error) {
		return reconcileParent(ctx, r.parents, p, programmeKind{r})
	})
}

// programmeKind is how a Programme rolls up: its projects; it is also a
// subject of gates of its own.
type programmeKind struct{ r *ProgrammeReconciler }

func (programmeKind) waitsFor() string { return "projects" }

func (k programmeKind) gather(ctx context.Context, programme *v1alpha1.Programme) (status.Children[*v1alpha1.Project], int, error) {
	var projects status.Children[*v1alpha1.Project]
	var err error
	projects.Admitted, projects.Refused, err = governance.Reader{Reader: k.r.Client}.ProgrammeChildren(ctx, programme)
	return projects, countPending(projects.Admitted, projectObserved, false), err
}

func (k programmeKind) set(ctx context.Context, programme *v1alpha1.Programme, projects status.Children[*v1alpha1.Project], now time.Time) (status.Outcome, error) {
	reader := governance.Reader{Reader: k.r.Client}
	facts, err := reader.SubjectFacts(ctx, programme)
	if err != nil {
		return status.Outcome{}, err
	}
	if facts.Dependencies, err = reader.Dependencies(ctx, programme); err != nil {
		return status.Outcome{}, err
	}
	return status.SetProgramme(programme, facts, projects, k.r.rules, now), nil
}

func (programmeKind) report(programme *v1alpha1.Programme, projects status.Children[*v1alpha1.Project]) publish.Request {
	return publish.Request{Kind: "Programme", Settings: programme.Spec.Reports,
		Figures: []any{programme.Status.Rollup, programme.Status.Health},
		Build: func(_ context.Context, obj publish.Object) (report.Input, error) {
			programme := obj.(*v1alpha1.Programme)
			return report.Input{Kind: "Programme", Namespace: programme.Namespace, Name: programme.Name, Health: programme.Status.Health,
				Rollup: programme.Status.Rollup, Projects: projects.Admitted}, nil
		}}
}

// SetupWithManager registers the reconciler and its watches: a Programme is
// requeued when it changes; when any of its Projects changes
// (spec or status: that is what it rolls up); when its Portfolio appears,
// goes, or changes its spec; when its governing Office
// changes its spec; when a Project or Programme it depends on appears,
// goes, or changes what its consumers read (providerChanged, found through
// IndexDependsOn); and when the labels of its namespace change.
func (r *ProgrammeReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.ProgrammeList{} }
	specChanged := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	rollups := newCoalescer(RollupWindow, r.deferrals)
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Programme{}).
		Watches(&v1alpha1.Project{}, rollups.toParents(parentsOf(projectProgramme))).
		Watches(&v1alpha1.Portfolio{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, governance.IndexPortfolioRef, governance.Key)), specChanged).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(governedBy(r.Client, func(b governance.Beneath) []types.NamespacedName { return b.Programmes })), specOrPolicyChanged).
		Watches(&v1alpha1.GatewayReview{}, handler.EnqueueRequestsFromMapFunc(parentsOf(reviewSubject(v1alpha1.SubjectKindProgramme))), specChanged).
		Watches(&v1alpha1.Project{}, handler.EnqueueRequestsFromMapFunc(consumersOf(r.Client, newList, v1alpha1.SubjectKindProject)), providerChanged).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(consumersOf(r.Client, newList, v1alpha1.SubjectKindProgramme)), providerChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Owns(&corev1.ConfigMap{}).
		WatchesRawSource(r.reports.Rebuilt("Programme")).
		Named("programme").
		WithOptions(opts).
		Complete(r)
}
