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
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/status"
	"p3o.dev/p3o-operator/internal/strategy"
)

// PortfolioReconciler reconciles Portfolios: it resolves their office and
// rolls up their programmes and direct projects against capacity.
type PortfolioReconciler struct {
	parents
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=portfolios,verbs=list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=portfolios/status,verbs=patch

// Reconcile brings one Portfolio's status up to date.
func (r *PortfolioReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, r.recorder, req.NamespacedName, &v1alpha1.Portfolio{}, func(ctx context.Context, p *v1alpha1.Portfolio) (step, error) {
		return reconcileParent(ctx, r.parents, p, portfolioKind{r})
	})
}

// portfolioKind is how a Portfolio rolls up: its programmes and direct
// projects, against its capacity.
type portfolioKind struct{ r *PortfolioReconciler }

func (portfolioKind) waitsFor() string { return "programmes and projects" }

func (k portfolioKind) gather(ctx context.Context, portfolio *v1alpha1.Portfolio) (status.PortfolioChildren, int, error) {
	children, err := governance.Reader{Reader: k.r.Client}.PortfolioChildren(ctx, portfolio)
	pending := countPending(children.Programmes, programmeObserved, true) + countPending(children.Projects, projectObserved, false)
	return children, pending, err
}

func (k portfolioKind) set(ctx context.Context, portfolio *v1alpha1.Portfolio, children status.PortfolioChildren, _ time.Time) (status.Outcome, error) {
	facts, err := governance.Reader{Reader: k.r.Client}.PortfolioFacts(ctx, portfolio)
	if err != nil {
		return status.Outcome{}, err
	}
	return status.SetPortfolio(portfolio, facts, children), nil
}

func (k portfolioKind) report(portfolio *v1alpha1.Portfolio, children status.PortfolioChildren) publish.Request {
	read := governance.Reader{Reader: k.r.Client}
	return publish.Request{Kind: "Portfolio", Settings: portfolio.Spec.Reports, EnabledByDefault: true,
		Figures: []any{portfolio.Status.Rollup, portfolio.Status.Committed, portfolio.Status.OverCommitted,
			portfolio.Status.CommittedByYear, portfolio.Spec.CapacityByYear,
			portfolio.Status.Strategy, portfolio.Spec.Objectives, portfolio.Spec.Categories, portfolio.Spec.CategoryTargets},
		Build: func(ctx context.Context, obj publish.Object) (report.Input, error) {
			portfolio := obj.(*v1alpha1.Portfolio)
			projects, err := read.PortfolioRows(ctx, children)
			return report.Input{Kind: "Portfolio", Namespace: portfolio.Namespace, Name: portfolio.Name, Health: portfolio.Status.Rollup.Health,
				Rollup: portfolio.Status.Rollup, Capacity: money.Of(portfolio.Spec.Capacity), Committed: money.Value(portfolio.Status.Committed),
				OverCommitted: portfolio.Status.OverCommitted, Programmes: children.Programmes, Projects: projects,
				CapacityByYear: portfolio.Spec.CapacityByYear, CommittedByYear: portfolio.Status.CommittedByYear,
				Strategy: &report.StrategyInput{Result: status.Strategy(portfolio, children), Declared: strategy.FromPortfolio(&portfolio.Spec)}}, err
		}}
}

// SetupWithManager registers the reconciler and its watches: a Portfolio is
// requeued when it changes; when any of its Programmes or direct
// Projects changes (spec or status); when its Office appears, goes or
// changes its spec; and when the labels of its namespace change.
func (r *PortfolioReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.PortfolioList{} }
	rollups := newCoalescer(RollupWindow, r.deferrals)
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Portfolio{}).
		Watches(&v1alpha1.Programme{}, rollups.toParents(parentsOf(programmePortfolio))).
		Watches(&v1alpha1.Project{}, rollups.toParents(parentsOf(projectPortfolio))).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(governedBy(r.Client, func(b governance.Beneath) []types.NamespacedName { return b.Portfolios })), specOrPolicyChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Owns(&corev1.ConfigMap{}).
		WatchesRawSource(r.reports.Rebuilt("Portfolio")).
		Named("portfolio").
		WithOptions(opts).
		Complete(r)
}
