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
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/status"
)

// ProjectReconciler reconciles Projects: it resolves their programme or
// portfolio and governing office, and derives their health.
type ProjectReconciler struct {
	client.Client
	Recorder recorder.EventRecorder
	// Rules compiles and evaluates the gates' CEL rules.
	Rules *policy.Rules
	// Now is the clock: health and gates depend on how old reports and
	// reviews are.
	Now func() time.Time
	// holds lets projects wait for their providers to settle; nil never
	// holds.
	holds *holds
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=projects,verbs=list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=projects/status,verbs=patch
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile brings one Project's status up to date.
func (r *ProjectReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, r.Recorder, req.NamespacedName, &v1alpha1.Project{}, r.update)
}

func (r *ProjectReconciler) update(ctx context.Context, project *v1alpha1.Project) (step, error) {
	reader := governance.Reader{Reader: r.Client}
	facts, err := reader.SubjectFacts(ctx, project)
	if err != nil {
		return step{}, err
	}
	if facts.Dependencies, err = reader.Dependencies(ctx, project); err != nil {
		return step{}, err
	}
	if held, err := r.hold(ctx, project, facts.Dependencies); held || err != nil {
		return step{hold: held, requeue: HoldRecheck}, err
	}
	now := r.Now()
	outcome := status.SetProject(project, facts, r.Rules, now)
	record(r.Recorder, project, outcome.Events)
	return step{requeue: untilRecheck(outcome.RecheckAt, now)}, nil
}

// hold reports whether project, not yet judged at its generation, waits
// for providers that have not settled (see holds). A project judged before
// is never held: its verdict is written again only if it changes.
func (r *ProjectReconciler) hold(ctx context.Context, project *v1alpha1.Project, deps []governance.DependencyFact) (bool, error) {
	consumer := subjectNode(v1alpha1.SubjectKindProject, governance.Key(project))
	if r.holds == nil || len(deps) == 0 || project.Status.ObservedGeneration == project.Generation {
		r.holds.forget(consumer)
		return false, nil
	}
	unsettled, err := unsettledProviders(ctx, r.Client, deps)
	if err != nil {
		return false, err
	}
	return r.holds.wait(ctx, consumer, parentNode(project), unsettled, time.Now()), nil
}

// parentNode is the node of the programme or portfolio a project belongs
// to, as holds keeps it.
func parentNode(project *v1alpha1.Project) string {
	if ref := project.Spec.ProgrammeRef; ref != nil {
		return subjectNode(v1alpha1.SubjectKindProgramme, governance.Target(*ref, project.Namespace).String())
	}
	if ref := project.Spec.PortfolioRef; ref != nil {
		return "Portfolio/" + governance.Target(*ref, project.Namespace).String()
	}
	return ""
}

// SetupWithManager registers the reconciler and its watches: a Project is
// requeued when it changes; when a Programme or Portfolio it references (or
// the Portfolio of its Programme) appears, goes, or changes its spec; when
// its governing Office changes its spec or effective policy; when one of its
// GatewayReviews changes; when a Project or Programme it depends on
// appears, goes, or changes what its consumers read (providerChanged,
// found through IndexDependsOn); and when the labels of its namespace
// change.
func (r *ProjectReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.ProjectList{} }
	specChanged := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Project{}).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, governance.IndexProgrammeRef, governance.Key)), specChanged).
		Watches(&v1alpha1.Portfolio{}, handler.EnqueueRequestsFromMapFunc(projectsBeneathPortfolio(r.Client)), specChanged).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(governedBy(r.Client, func(b governance.Beneath) []types.NamespacedName { return b.Projects })), specOrPolicyChanged).
		Watches(&v1alpha1.GatewayReview{}, handler.EnqueueRequestsFromMapFunc(parentsOf(reviewSubject(v1alpha1.SubjectKindProject))), specChanged).
		Watches(&v1alpha1.Project{}, handler.EnqueueRequestsFromMapFunc(consumersOf(r.Client, newList, v1alpha1.SubjectKindProject)), providerChanged).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(consumersOf(r.Client, newList, v1alpha1.SubjectKindProgramme)), providerChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Named("project").
		WithOptions(opts).
		Complete(r)
}

// specOrPolicyChanged passes Office updates that change its spec or its
// effective policy (which a hub's change can alter).
var specOrPolicyChanged = builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		return e.ObjectOld.(*v1alpha1.Office).Status.PolicyDigest != e.ObjectNew.(*v1alpha1.Office).Status.PolicyDigest
	},
}))
