/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"fmt"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/status"
)

// parents is what the Office, Portfolio and Programme reconcilers share:
// the pipeline that rolls a parent up (reconcileParent).
type parents struct {
	client.Client
	recorder recorder.EventRecorder
	// reports publishes the report ConfigMaps.
	reports *publish.Publisher
	// deferrals hold rollups back while children are pending.
	deferrals *deferrals
	// now is the clock: gates depend on how old reviews are.
	now func() time.Time
}

// parentKind is the part of rolling up a parent that differs by kind; F
// is what the kind gathers (its children, and the facts it needs first).
type parentKind[T publish.Object, F any] interface {
	// waitsFor names the children a parent of this kind waits for.
	waitsFor() string
	// gather reads the parent's children, and says how many of them are
	// pending (not reconciled at their generation).
	gather(ctx context.Context, obj T) (F, int, error)
	// set composes the parent's status from what was gathered.
	set(ctx context.Context, obj T, family F, now time.Time) (status.Outcome, error)
	// report is what the parent's report is built from; reconcileParent
	// fills in the object and whether it is settled and shown.
	report(obj T, family F) publish.Request
}

// reconcileParent rolls a parent up: it gathers its children; while some
// are pending and others still move, it defers (status unchanged but for
// the pending mark); else it sets status, records the events the change
// calls for, and publishes the report.
func reconcileParent[T publish.Object, F any](ctx context.Context, p parents, obj T, kind parentKind[T, F]) (step, error) {
	shown := showsFigures(obj)
	family, pending, err := kind.gather(ctx, obj)
	if err != nil {
		return step{}, err
	}
	now := p.now()
	if p.deferrals.wait(ctx, governance.Key(obj), pending, now) {
		return step{requeue: DeferralRecheck, pending: childrenPending(kind.waitsFor())}, nil
	}
	outcome, err := kind.set(ctx, obj, family, now)
	if err != nil {
		return step{}, err
	}
	record(p.recorder, obj, outcome.Events)
	req := kind.report(obj, family)
	req.Object, req.Settled, req.Shown = obj, pending == 0, shown
	published, err := p.reports.Publish(ctx, req)
	next := afterPublishing(pending, kind.waitsFor(), published)
	next.requeue = minPositive(next.requeue, untilRecheck(outcome.RecheckAt, now))
	return next, err
}

// afterPublishing is what a parent asks for once its report was
// published: its figures are not final while children are pending or its
// live report does not hold them yet.
func afterPublishing(children int, what string, published publish.Result) step {
	next := step{requeue: published.Wait}
	switch {
	case children > 0:
		next.pending = childrenPending(what)
		next.requeue = minPositive(next.requeue, DeferralRecheck)
	case published.Rebuilding:
		next.pending = status.Pending{Reason: v1alpha1.ReasonReportPending, Message: "the live report is being rebuilt with these figures"}
	case published.Pending:
		next.pending = status.Pending{Reason: v1alpha1.ReasonReportPending,
			Message: fmt.Sprintf("the live report is rebuilt with these figures within %s", published.Wait.Round(time.Second))}
	}
	return next
}

// showsFigures reports whether a parent's status already shows rolled-up
// figures (it has been rolled up before): new figures are then written at
// once, and its report follows them (see publish.Publisher).
func showsFigures(obj conditions.Object) bool {
	return conditions.Get(obj, v1alpha1.ConditionRolledUp) != nil
}

// childrenPending says what a parent waits for. It names no count: the
// message would change, and status be rewritten, with every child that
// settles (the count is in the V(1) log).
func childrenPending(what string) status.Pending {
	return status.Pending{Reason: v1alpha1.ReasonChildrenPending,
		Message: "waiting for " + what + " not yet reconciled at their current generation; the figures are not final"}
}
