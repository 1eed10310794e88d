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
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/status"
)

// ProgrammeReconciler reconciles Programmes: it resolves their portfolio and
// governing office, and rolls up their projects.
type ProgrammeReconciler struct {
	client.Client
	Recorder recorder.EventRecorder
	// Rules compiles and evaluates the gates' CEL rules.
	Rules *policy.Rules
	// Now is the clock: gates depend on how old reviews are.
	Now func() time.Time
	// Reports publishes the report ConfigMaps.
	Reports *publisher
	// Deferrals hold rollups back while projects are pending.
	Deferrals *deferrals
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=programmes,verbs=list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=programmes/status,verbs=patch

// Reconcile brings one Programme's status up to date.
func (r *ProgrammeReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, r.Recorder, req.NamespacedName, &v1alpha1.Programme{}, r.update)
}

func (r *ProgrammeReconciler) update(ctx context.Context, programme *v1alpha1.Programme) (ctrl.Result, error) {
	read := governance.Reader{Reader: r.Client}
	shown := showsFigures(programme)
	var projects status.Children[*v1alpha1.Project]
	var err error
	projects.Admitted, projects.Refused, err = governance.Children[*v1alpha1.Project](ctx, r.Client, programme, &v1alpha1.ProjectList{}, governance.IndexProgrammeRef)
	if err != nil {
		return ctrl.Result{}, err
	}
	now := r.Now()
	pending := countPending(projects.Admitted, projectObserved, false)
	if r.Deferrals.wait(ctx, governance.Key(programme), pending, now) {
		// Projects are still being reconciled: roll them up once they are.
		status.MarkPending(programme, v1alpha1.ReasonChildrenPending, pendingMessage("projects"))
		return ctrl.Result{RequeueAfter: DeferralRecheck}, nil
	}
	facts, err := read.SubjectFacts(ctx, programme)
	if err != nil {
		return ctrl.Result{}, err
	}
	outcome := status.SetProgramme(programme, facts, projects, r.Rules, now)
	record(r.Recorder, programme, outcome.Events)

	figures := []any{programme.Status.Rollup, programme.Status.Health}
	published, err := r.Reports.publish(ctx, programme, "Programme", programme.Spec.Reports, false, figures, pending == 0, shown, func(ctx context.Context, obj reportedObject) (report.Input, error) {
		programme := obj.(*v1alpha1.Programme)
		return report.Input{Kind: "Programme", Namespace: programme.Namespace, Name: programme.Name, Health: programme.Status.Health,
			Rollup: programme.Status.Rollup, Projects: projects.Admitted}, nil
	})
	status.Summarise(programme, v1alpha1.ConditionParentResolved, v1alpha1.ConditionCurrencyMatched, v1alpha1.ConditionRolledUp)
	if err != nil {
		return ctrl.Result{}, err
	}
	res := requeueAt(outcome.RecheckAt, now)
	res.RequeueAfter = minPositive(res.RequeueAfter, markPending(programme, pending, "projects", published))
	return res, nil
}

// SetupWithManager registers the reconciler and its watches: a Programme is
// requeued when it changes; when any of its Projects changes
// (spec or status: that is what it rolls up); when its Portfolio appears,
// goes, or changes its spec; when its governing Office
// changes its spec; and when the labels of its namespace change.
func (r *ProgrammeReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.ProgrammeList{} }
	specChanged := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	rollups := newCoalescer(RollupWindow, r.Deferrals)
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Programme{}).
		Watches(&v1alpha1.Project{}, rollups.toParents(parentsOf(projectProgramme))).
		Watches(&v1alpha1.Portfolio{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, governance.IndexPortfolioRef, governance.Key)), specChanged).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(governedBy(r.Client, func(b governance.Beneath) []types.NamespacedName { return b.Programmes })), specOrPolicyChanged).
		Watches(&v1alpha1.GatewayReview{}, handler.EnqueueRequestsFromMapFunc(parentsOf(reviewSubject(v1alpha1.SubjectKindProgramme))), specChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Owns(&corev1.ConfigMap{}).
		WatchesRawSource(r.Reports.rebuiltSource("Programme")).
		Named("programme").
		WithOptions(opts).
		Complete(r)
}
