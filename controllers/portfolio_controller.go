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
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/status"
)

// PortfolioReconciler reconciles Portfolios: it resolves their office and
// rolls up their programmes and direct projects against capacity.
type PortfolioReconciler struct {
	client.Client
	Recorder recorder.EventRecorder
	// Reports publishes the report ConfigMaps.
	Reports *publisher
	// Deferrals hold rollups back while children are pending.
	Deferrals *deferrals
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=portfolios,verbs=list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=portfolios/status,verbs=patch

// Reconcile brings one Portfolio's status up to date.
func (r *PortfolioReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, r.Recorder, req.NamespacedName, &v1alpha1.Portfolio{}, r.update)
}

func (r *PortfolioReconciler) update(ctx context.Context, portfolio *v1alpha1.Portfolio) (ctrl.Result, error) {
	read := governance.Reader{Reader: r.Client}
	shown := showsFigures(portfolio)
	var children status.PortfolioChildren
	programmes, refusedProgrammes, err := governance.Children[*v1alpha1.Programme](ctx, r.Client, portfolio, &v1alpha1.ProgrammeList{}, governance.IndexPortfolioRef)
	if err != nil {
		return ctrl.Result{}, err
	}
	projects, refusedProjects, err := governance.Children[*v1alpha1.Project](ctx, r.Client, portfolio, &v1alpha1.ProjectList{}, governance.IndexPortfolioRef)
	if err != nil {
		return ctrl.Result{}, err
	}
	children = status.PortfolioChildren{Programmes: programmes, Projects: projects, Refused: refusedProgrammes + refusedProjects}
	pending := countPending(programmes, programmeObserved, true) + countPending(projects, projectObserved, false)
	if r.Deferrals.wait(ctx, governance.Key(portfolio), pending, time.Now()) {
		status.MarkPending(portfolio, v1alpha1.ReasonChildrenPending, pendingMessage("programmes and projects"))
		return ctrl.Result{RequeueAfter: DeferralRecheck}, nil
	}
	facts, err := read.PortfolioFacts(ctx, portfolio)
	if err != nil {
		return ctrl.Result{}, err
	}
	record(r.Recorder, portfolio, status.SetPortfolio(portfolio, facts, children).Events)

	figures := []any{portfolio.Status.Rollup, portfolio.Status.Committed, portfolio.Status.OverCommitted}
	published, err := r.Reports.publish(ctx, portfolio, "Portfolio", portfolio.Spec.Reports, true, figures, pending == 0, shown, func(ctx context.Context, obj reportedObject) (report.Input, error) {
		portfolio := obj.(*v1alpha1.Portfolio)
		beneath, err := read.ProjectsOf(ctx, programmes)
		return report.Input{Kind: "Portfolio", Namespace: portfolio.Namespace, Name: portfolio.Name, Health: portfolio.Status.Rollup.Health,
			Rollup: portfolio.Status.Rollup, Capacity: money.Of(portfolio.Spec.Capacity), Committed: money.Value(portfolio.Status.Committed),
			OverCommitted: portfolio.Status.OverCommitted, Programmes: programmes, Projects: append(append([]*v1alpha1.Project(nil), projects...), beneath...)}, err
	})
	status.Summarise(portfolio, v1alpha1.ConditionParentResolved, v1alpha1.ConditionCurrencyMatched, v1alpha1.ConditionRolledUp)
	return ctrl.Result{RequeueAfter: markPending(portfolio, pending, "programmes and projects", published)}, err
}

// SetupWithManager registers the reconciler and its watches: a Portfolio is
// requeued when it changes; when any of its Programmes or direct
// Projects changes (spec or status); when its Office appears, goes or
// changes its spec; and when the labels of its namespace change.
func (r *PortfolioReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.PortfolioList{} }
	rollups := newCoalescer(RollupWindow, r.Deferrals)
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Portfolio{}).
		Watches(&v1alpha1.Programme{}, rollups.toParents(parentsOf(programmePortfolio))).
		Watches(&v1alpha1.Project{}, rollups.toParents(parentsOf(projectPortfolio))).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(governedBy(r.Client, func(b governance.Beneath) []types.NamespacedName { return b.Portfolios })), specOrPolicyChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Owns(&corev1.ConfigMap{}).
		WatchesRawSource(r.Reports.rebuiltSource("Portfolio")).
		Named("portfolio").
		WithOptions(opts).
		Complete(r)
}
