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
	"p3o.dev/p3o-operator/internal/policy"
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

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=gatewayreviews,verbs=get;list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=gatewayreviews/status,verbs=get;update;patch

// Reconcile brings one GatewayReview's status up to date.
func (r *GatewayReviewReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, req.NamespacedName, &v1alpha1.GatewayReview{}, r.update)
}

func (r *GatewayReviewReconciler) update(ctx context.Context, review *v1alpha1.GatewayReview) (ctrl.Result, error) {
	subject := subjectRef("spec.subjectRef", &review.Spec.SubjectRef)
	resolutions, err := resolver{r.Client}.resolveAll(ctx, review.Namespace, subject)
	if err != nil {
		return ctrl.Result{}, err
	}
	obs := reviewObservation{resolutions: resolutions}
	if resolvedKey(resolutions, subject.field) != "" {
		reviews, _, err := reviewsOf(ctx, r.Client, subject.parent, review.Spec.SubjectRef.Kind)
		if err != nil {
			return ctrl.Result{}, err
		}
		obs.supersededBy = policy.Superseded(reviews)[byKey(review)]
		// What the review satisfies follows from the subject's spec and its
		// office's policy, evaluated here rather than read from the subject's
		// status, so that a review settles in one pass.
		if obs.subjectCompliance, err = r.subjectCompliance(ctx, subject.parent, review.Spec.SubjectRef.Kind, reviews); err != nil {
			return ctrl.Result{}, err
		}
	}
	before := review.DeepCopy()
	setGatewayReviewStatus(review, obs)
	recordTransitions(r.Recorder, before, review, "", "", "")
	return ctrl.Result{}, nil
}

// subjectCompliance evaluates the gates of a fetched Project or Programme.
func (r *GatewayReviewReconciler) subjectCompliance(ctx context.Context, subject client.Object, kind v1alpha1.SubjectKind, reviews []policy.Review) (v1alpha1.ComplianceStatus, error) {
	var officeKey, phase string
	var err error
	var previous v1alpha1.ComplianceStatus
	switch s := subject.(type) {
	case *v1alpha1.Project:
		officeKey, err = officeOfProject(ctx, r.Client, s)
		phase, previous = string(s.Spec.Phase), s.Status.Compliance
	case *v1alpha1.Programme:
		officeKey, err = officeOfProgramme(ctx, r.Client, s)
		phase, previous = string(s.Spec.Phase), s.Status.Compliance
	}
	if err != nil {
		return v1alpha1.ComplianceStatus{}, err
	}
	g, err := governanceOf(ctx, r.Client, officeKey)
	if err != nil {
		return v1alpha1.ComplianceStatus{}, err
	}
	status, _ := evaluateCompliance(g.effective, r.Rules, complianceInput{kind: kind, phase: phase, object: subject, reviews: reviews, previous: previous}, r.Now())
	return status, nil
}

// SetupWithManager registers the reconciler and its watches: a review is
// requeued when it changes, when its subject appears, changes (its
// compliance says which gates the review satisfies) or goes, and when the
// labels of its namespace change.
func (r *GatewayReviewReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.GatewayReviewList{} }
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.GatewayReview{}).
		Watches(&v1alpha1.Project{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexSubjectRef, subjectKeyOf(v1alpha1.SubjectKindProject)))).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexSubjectRef, subjectKeyOf(v1alpha1.SubjectKindProgramme)))).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Named("gatewayreview").
		WithOptions(opts).
		Complete(r)
}
