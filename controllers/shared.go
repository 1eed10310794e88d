/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package controllers holds the reconcilers of the governance kinds. They are
// thin: they read through internal/governance, compose status with
// internal/status, patch status only when it changed and record the events
// status asks for.
package controllers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	jsonpatch "github.com/evanphx/json-patch/v5"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/shorten"
	"p3o.dev/p3o-operator/internal/status"
)

// patchStatus sends one merge patch of the status subresource with the
// difference between before's and after's status, and sends nothing when
// there is none. Only the status is marshalled, once each. The patch
// carries before's resourceVersion: computed against a cache that lags
// behind our own last write it would drop changes, so it fails with a
// conflict instead (errConflict) and the object is reconciled again once
// the cache has caught up.
func patchStatus(ctx context.Context, c client.Client, before, after client.Object) error {
	log := ctrl.LoggerFrom(ctx).V(1)
	data, err := statusPatch(before, after)
	if err != nil {
		return fmt.Errorf("computing status patch: %w", err)
	}
	if data == nil {
		log.Info("Status unchanged, not written")
		return nil
	}
	if err := c.Status().Patch(ctx, after, client.RawPatch(types.MergePatchType, data)); err != nil {
		if apierrors.IsNotFound(err) {
			log.Info("Object deleted while reconciled; status not written")
			return nil
		}
		if apierrors.IsConflict(err) {
			log.Info("Status patch conflicted with a newer version; will retry", "resourceVersion", before.GetResourceVersion())
			return errConflict
		}
		return fmt.Errorf("patching status: %w", err)
	}
	log.Info("Status patched", "bytes", len(data))
	return nil
}

// statusPatch is the JSON merge patch from before's status to after's,
// with before's resourceVersion as its precondition; nil when the status
// is the same.
func statusPatch(before, after client.Object) ([]byte, error) {
	old, err := json.Marshal(statusOf(before))
	if err != nil {
		return nil, err
	}
	updated, err := json.Marshal(statusOf(after))
	if err != nil {
		return nil, err
	}
	if bytes.Equal(old, updated) {
		return nil, nil
	}
	diff, err := jsonpatch.CreateMergePatch(old, updated)
	if err != nil || bytes.Equal(diff, []byte("{}")) {
		return nil, err
	}
	var body statusPatchBody
	body.Metadata.ResourceVersion, body.Status = before.GetResourceVersion(), diff
	return json.Marshal(body)
}

// statusPatchBody is a status merge patch with a resourceVersion
// precondition.
type statusPatchBody struct {
	Metadata struct {
		ResourceVersion string `json:"resourceVersion"`
	} `json:"metadata"`
	Status json.RawMessage `json:"status"`
}

// statusOf is a pointer to an API object's Status field.
func statusOf(obj client.Object) any {
	return reflect.ValueOf(obj).Elem().FieldByName("Status").Addr().Interface()
}

// ConflictRecheck is when an object whose status patch met a newer
// version is looked at again, unless that version's event comes first.
const ConflictRecheck = 200 * time.Millisecond

// errConflict marks a status patch made against a stale copy.
var errConflict = errors.New("status patch conflicted with a newer version")

// step is what one reconcile's computation asks for besides the status it
// set: when to look again (zero: only when something changes), and why
// the figures are not final yet (zero: they are).
type step struct {
	requeue time.Duration
	pending status.Pending
	// hold writes nothing: the object waits (see holds) and is looked at
	// again after requeue.
	hold bool
}

// reconcileStatus is the shape every reconciler shares: get the object
// (ignoring not-found), keep a copy, let update compute status in memory,
// then conclude Ready (status.Conclude, the one place it is made) and send
// one status patch if anything changed, whether update succeeded or not.
// Reconcilers watch their own kind without filtering status updates: once
// the cache holds our own write, the object is computed once more against
// it, which writes nothing unless a stale copy hid a change.
func reconcileStatus[T conditionedObject](ctx context.Context, c client.Client, rec recorder.EventRecorder, key types.NamespacedName, obj T, update func(context.Context, T) (step, error)) (res reconcile.Result, retErr error) {
	if err := c.Get(ctx, key, obj); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopyObject().(client.Object)
	var next step
	defer func() {
		if retErr != nil {
			// Retried with backoff; meanwhile status says its figures may be
			// out of date instead of keeping the last Ready.
			next.pending = status.Pending{Reason: v1alpha1.ReasonReconcileFailed, Message: truncateMessage(retErr.Error())}
		}
		if next.hold && retErr == nil {
			res = reconcile.Result{RequeueAfter: next.requeue}
			return
		}
		status.Conclude(obj, next.pending)
		err := patchStatus(ctx, c, before, obj)
		if refused(err) {
			err = markRejected(ctx, c, rec, before, err)
		}
		switch {
		case errors.Is(err, errConflict) && retErr == nil:
			// Not a failure: the cache had not caught up. The newer version's
			// watch event requeues the object as well; look again shortly in
			// any case.
			res, retErr = reconcile.Result{RequeueAfter: ConflictRecheck}, nil
		case err != nil:
			retErr = errors.Join(retErr, err)
		case retErr == nil:
			res = reconcile.Result{RequeueAfter: next.requeue}
		}
		if retErr != nil {
			res = reconcile.Result{} // the error's backoff decides when to retry
		}
	}()
	next, retErr = update(ctx, obj)
	return res, retErr
}

// conditionedObject is an API object with status conditions: every kind
// the operator reconciles.
type conditionedObject interface {
	client.Object
	conditions.Object
}

// refused reports whether the API server refused a status patch for what
// it holds (the schema, the size): sending it again cannot help.
func refused(err error) bool {
	return apierrors.IsInvalid(err) || apierrors.IsRequestEntityTooLargeError(err) || apierrors.IsBadRequest(err)
}

// markRejected is what follows a refused status patch: a small patch of
// before's status with the conditions that say so (status.MarkRejected)
// and status.observedGeneration, and a Warning event when that is news.
// Nothing is retried: the object's watches bring it back when it or what
// it derives from changes.
func markRejected(ctx context.Context, c client.Client, rec recorder.EventRecorder, before client.Object, refusal error) error {
	rejected := before.DeepCopyObject().(client.Object)
	conditioned, ok := rejected.(conditions.Object)
	if !ok {
		return nil
	}
	status.MarkRejected(conditioned, refusal.Error())
	if g := reflect.ValueOf(statusOf(rejected)).Elem().FieldByName("ObservedGeneration"); g.IsValid() {
		g.SetInt(rejected.GetGeneration())
	}
	data, err := statusPatch(before, rejected)
	if err != nil || data == nil {
		ctrl.LoggerFrom(ctx).V(1).Info("Status refused by the API server again", "error", refusal.Error())
		return err // nil: status already says so
	}
	ctrl.LoggerFrom(ctx).Error(refusal, "Status refused by the API server; only conditions saying so are written")
	if err := c.Status().Patch(ctx, rejected, client.RawPatch(types.MergePatchType, data)); err != nil {
		if apierrors.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("patching status to say the API server refused it: %w", err)
	}
	if rec != nil {
		ready := conditions.Get(conditioned, v1alpha1.ConditionReady)
		rec.Eventf(rejected, nil, corev1.EventTypeWarning, string(v1alpha1.ReasonStatusRejected), "PatchStatus", "%s", ready.Message)
	}
	return nil
}

// truncateMessage keeps an error short enough to read in a condition
// message.
func truncateMessage(s string) string {
	return shorten.To(s, 4096)
}

// record records the events a status computation asked for.
func record(rec recorder.EventRecorder, obj runtime.Object, events []status.Event) {
	if rec == nil {
		return
	}
	for _, e := range events {
		rec.Eventf(obj, nil, e.Type, e.Reason, e.Action, "%s", e.Message)
	}
}

// referrersOf returns a map function that enqueues the objects of list's kind
// whose field index holds the key keyOf gives for the changed object.
func referrersOf(c client.Reader, newList func() client.ObjectList, field string, keyOf func(client.Object) string) handler.MapFunc {
	return func(ctx context.Context, obj client.Object) []reconcile.Request {
		list := newList()
		if err := c.List(ctx, list, client.MatchingFields{field: keyOf(obj)}, client.UnsafeDisableDeepCopy); err != nil {
			ctrl.LoggerFrom(ctx).Error(err, "Listing referrers failed; they are not requeued", "index", field, "key", keyOf(obj))
			return nil
		}
		return requestsFor(list)
	}
}

// governedBy returns a map function that enqueues the objects of one kind
// whose governance follows from an Office (governance.Beneath): those
// naming it, or a satellite of it, in spec.officeRef, those beneath the
// portfolios and programmes that do, and those whose status records it.
// An office that arrives after everything beneath it reaches them all.
func governedBy(c client.Reader, ofKind func(governance.Beneath) []types.NamespacedName) handler.MapFunc {
	return func(ctx context.Context, obj client.Object) []reconcile.Request {
		beneath, err := governance.Reader{Reader: c}.Beneath(ctx, obj)
		if err != nil {
			ctrl.LoggerFrom(ctx).Error(err, "Listing what an office governs failed; it is not requeued", "office", governance.Key(obj))
			return nil
		}
		var requests []reconcile.Request
		for _, key := range ofKind(beneath) {
			requests = append(requests, reconcile.Request{NamespacedName: key})
		}
		return requests
	}
}

// projectsBeneathPortfolio returns a map function that enqueues a
// portfolio's direct projects and the projects of its programmes, whose
// governing office follows the portfolio's.
func projectsBeneathPortfolio(c client.Reader) handler.MapFunc {
	direct := referrersOf(c, func() client.ObjectList { return &v1alpha1.ProjectList{} }, governance.IndexPortfolioRef, governance.Key)
	return func(ctx context.Context, obj client.Object) []reconcile.Request {
		log := ctrl.LoggerFrom(ctx)
		requests := direct(ctx, obj)
		programmes := &v1alpha1.ProgrammeList{}
		if err := c.List(ctx, programmes, client.MatchingFields{governance.IndexPortfolioRef: governance.Key(obj)}); err != nil {
			log.Error(err, "Listing programmes failed; their projects are not requeued", "portfolio", governance.Key(obj))
			return requests
		}
		for i := range programmes.Items {
			projects := &v1alpha1.ProjectList{}
			key := governance.Key(&programmes.Items[i])
			if err := c.List(ctx, projects, client.MatchingFields{governance.IndexProgrammeRef: key}); err != nil {
				log.Error(err, "Listing projects failed; they are not requeued", "programme", key)
				continue
			}
			requests = append(requests, requestsFor(projects)...)
		}
		return requests
	}
}

// objectsInNamespace returns a map function that enqueues every object of
// list's kind in a namespace whose labels changed, so that attachments that
// depend on namespace selectors are re-evaluated.
func objectsInNamespace(c client.Reader, newList func() client.ObjectList) handler.MapFunc {
	return func(ctx context.Context, obj client.Object) []reconcile.Request {
		list := newList()
		if err := c.List(ctx, list, client.InNamespace(obj.GetName()), client.UnsafeDisableDeepCopy); err != nil {
			ctrl.LoggerFrom(ctx).Error(err, "Listing objects in namespace failed; they are not requeued", "namespace", obj.GetName())
			return nil
		}
		return requestsFor(list)
	}
}

func requestsFor(list client.ObjectList) []reconcile.Request {
	var requests []reconcile.Request
	_ = meta.EachListItem(list, func(o runtime.Object) error {
		if obj, ok := o.(client.Object); ok {
			requests = append(requests, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(obj)})
		}
		return nil
	})
	return requests
}

// parentsOf returns a map function that enqueues the parent(s) a changed
// child references, as extracted by refs.
func parentsOf(refs func(client.Object) []types.NamespacedName) handler.MapFunc {
	return func(_ context.Context, obj client.Object) []reconcile.Request {
		var requests []reconcile.Request
		for _, key := range refs(obj) {
			requests = append(requests, reconcile.Request{NamespacedName: key})
		}
		return requests
	}
}

// Reference extractors for parentsOf: the parent a child points at.

func target(ref *v1alpha1.ParentReference, ns string) []types.NamespacedName {
	if ref == nil {
		return nil
	}
	return []types.NamespacedName{governance.Target(*ref, ns)}
}

func projectProgramme(obj client.Object) []types.NamespacedName {
	p := obj.(*v1alpha1.Project)
	return target(p.Spec.ProgrammeRef, p.Namespace)
}

func projectPortfolio(obj client.Object) []types.NamespacedName {
	p := obj.(*v1alpha1.Project)
	return target(p.Spec.PortfolioRef, p.Namespace)
}

func programmePortfolio(obj client.Object) []types.NamespacedName {
	p := obj.(*v1alpha1.Programme)
	return target(&p.Spec.PortfolioRef, p.Namespace)
}

func programmeOffice(obj client.Object) []types.NamespacedName {
	p := obj.(*v1alpha1.Programme)
	return target(p.Spec.OfficeRef, p.Namespace)
}

func projectOffice(obj client.Object) []types.NamespacedName {
	p := obj.(*v1alpha1.Project)
	return target(p.Spec.OfficeRef, p.Namespace)
}

// both enqueues what either map function names.
func both(a, b handler.MapFunc) handler.MapFunc {
	return func(ctx context.Context, obj client.Object) []reconcile.Request {
		return append(a(ctx, obj), b(ctx, obj)...)
	}
}

func portfolioOffice(obj client.Object) []types.NamespacedName {
	p := obj.(*v1alpha1.Portfolio)
	return target(&p.Spec.OfficeRef, p.Namespace)
}

func satelliteHub(obj client.Object) []types.NamespacedName {
	o := obj.(*v1alpha1.Office)
	return target(o.Spec.HubRef, o.Namespace)
}

// reviewSubject extracts the subject of a GatewayReview when it is of kind.
func reviewSubject(kind v1alpha1.SubjectKind) func(client.Object) []types.NamespacedName {
	return func(obj client.Object) []types.NamespacedName {
		r := obj.(*v1alpha1.GatewayReview)
		if r.Spec.SubjectRef.Kind != kind {
			return nil
		}
		return target(&r.Spec.SubjectRef.ParentReference, r.Namespace)
	}
}

// untilRecheck is how long until t, when an object is to be looked at
// again, with a second's margin (zero t: no need).
func untilRecheck(t, now time.Time) time.Duration {
	if t.IsZero() {
		return 0
	}
	return max(t.Sub(now)+time.Second, time.Second)
}

// minPositive returns the smaller positive duration (zero: none).
func minPositive(a, b time.Duration) time.Duration {
	switch {
	case a <= 0:
		return b
	case b <= 0 || a < b:
		return a
	}
	return b
}
