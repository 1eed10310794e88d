/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
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
	"p3o.dev/p3o-operator/internal/status"
)

// GatewayReviewReconciler reconciles GatewayReviews: it resolves their
// subject and summarises their status.
type GatewayReviewReconciler struct {
	client.Client
	Recorder recorder.EventRecorder
	// Rules and Now evaluate the subject's gates.
	Rules *policy.Rules
	Now   func() time.Time
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=gatewayreviews,verbs=list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=gatewayreviews/status,verbs=patch

// Reconcile brings one GatewayReview's status up to date.
func (r *GatewayReviewReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, r.Recorder, req.NamespacedName, &v1alpha1.GatewayReview{}, r.update)
}

func (r *GatewayReviewReconciler) update(ctx context.Context, review *v1alpha1.GatewayReview) (step, error) {
	read := governance.Reader{Reader: r.Client}
	ref := governance.SubjectRef(governance.FieldSubjectRef, &review.Spec.SubjectRef)
	resolutions, err := read.ResolveAll(ctx, review.Namespace, ref)
	if err != nil {
		return step{}, err
	}
	var subject status.ReviewSubject
	if _, ok := governance.Resolved(resolutions, ref.Field); ok {
		subject.Object = ref.Parent
		if subject.Facts, err = read.SubjectFacts(ctx, ref.Parent); err != nil {
			return step{}, err
		}
		switch s := ref.Parent.(type) {
		case *v1alpha1.Project:
			subject.Previous = s.Status.Compliance
		case *v1alpha1.Programme:
			subject.Previous = s.Status.Compliance
		}
	}
	record(r.Recorder, review, status.SetGatewayReview(review, resolutions, subject, r.Rules, r.Now()).Events)
	return step{}, nil
}

// SetupWithManager registers the reconciler and its watches: a review is
// requeued when it changes, when its subject appears, changes (its
// compliance says which gates the review satisfies) or goes, and when the
// labels of its namespace change.
func (r *GatewayReviewReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.GatewayReviewList{} }
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.GatewayReview{}).
		Watches(&v1alpha1.Project{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, governance.IndexSubjectRef, governance.SubjectKeyOf(v1alpha1.SubjectKindProject)))).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, governance.IndexSubjectRef, governance.SubjectKeyOf(v1alpha1.SubjectKindProgramme)))).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Named("gatewayreview").
		WithOptions(opts).
		Complete(r)
}
