/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"sync"
	"time"

	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/status"
)

// RollupWindow is the least time between two rollups of one parent caused
// by its children. The first change reaches the parent at once; the changes
// that follow within the window are added up together at its end. (Long
// bursts, such as a first sync, are handled by deferrals below.)
const RollupWindow = 250 * time.Millisecond

// DeferralRecheck is how often a parent that waits for pending children
// looks again; children's changes do not wake it sooner.
const DeferralRecheck = time.Second

// coalescer throttles the rollups of one controller's parents: every child
// kind it watches shares the window.
type coalescer struct {
	window    time.Duration
	deferrals *deferrals
	mu        sync.Mutex
	last      map[reconcile.Request]time.Time
}

func newCoalescer(window time.Duration, d *deferrals) *coalescer {
	return &coalescer{window: window, deferrals: d, last: map[reconcile.Request]time.Time{}}
}

// toParents enqueues the parents mapFn names for a changed child, at once
// when the parent was not enqueued within the window, else at the window's
// end.
func (c *coalescer) toParents(mapFn handler.MapFunc) handler.EventHandler {
	enqueue := func(ctx context.Context, obj client.Object, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		now := time.Now()
		for _, req := range mapFn(ctx, obj) {
			if c.deferrals.waitingFor(req.String(), now) > 2*c.window {
				// The parent has been waiting for its children for a while (a
				// bulk sync): it looks again by itself, children need not wake
				// it, unless it was down to its last few (a single edit never
				// waits that long).
				delay := DeferralRecheck
				if c.deferrals.fewPending(req.String()) {
					delay = c.window
				}
				q.AddAfter(req, delay)
				continue
			}
			c.mu.Lock()
			next := c.last[req].Add(c.window)
			if now.After(next) {
				c.last[req] = now
				c.mu.Unlock()
				q.Add(req)
				continue
			}
			c.mu.Unlock()
			ctrl.LoggerFrom(ctx).V(1).Info("Rollup coalesced", "parent", req.String(), "after", next.Sub(now).String())
			// Already rolled up within the window: once more at its end. The
			// queue keeps one pending item per parent, however many children
			// ask.
			q.AddAfter(req, next.Sub(now))
		}
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.Object, q)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.ObjectOld, q)
			enqueue(ctx, e.ObjectNew, q)
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.Object, q)
		},
		GenericFunc: func(ctx context.Context, e event.GenericEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(ctx, e.Object, q)
		},
	}
}

// StalledChildren is how long a parent waits for pending children when
// nothing makes progress (no parent of the operator sees a child settle)
// before it rolls up anyway: a child that keeps failing must not hide the
// others' figures.
const StalledChildren = 30 * time.Second

// MaxDeferral is how long a parent waits, at most, while children do make
// progress (a long bulk sync) before it rolls up anyway, so that its
// figures are never older than this while a burst goes on.
const MaxDeferral = 5 * time.Minute

// deferrals lets parents wait for their pending children: during a sync of
// many objects a parent then rolls up once, when its children are done,
// instead of once per child. It waits while the operator makes progress,
// for MaxDeferral at most, and StalledChildren when nothing progresses.
type deferrals struct {
	mu    sync.Mutex
	since map[string]*deferral
	// progress is shared by the deferrals of every parent kind: a
	// portfolio whose programmes wait for their projects sees no child of
	// its own settle, yet the sync beneath it progresses.
	progress *progress
}

// deferral is one parent's wait.
type deferral struct {
	// since is when the parent began to wait.
	since time.Time
	// pending is the fewest children pending seen so far, and progress
	// when that number last fell (or the wait began).
	pending  int
	progress time.Time
}

func newDeferrals(p *progress) *deferrals {
	return &deferrals{since: map[string]*deferral{}, progress: p}
}

// progress is when some waiting parent last saw one of its children
// settle. A parent waits StalledChildren at least from the start of its
// wait or the last progress it saw itself, and as long as any parent sees
// progress.
type progress struct {
	mu   sync.Mutex
	last time.Time
}

func (p *progress) seen(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.After(p.last) {
		p.last = t
	}
}

func (p *progress) since(t time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return t.Sub(p.last)
}

// waitingFor reports how long the parent key has been waiting for its
// children (zero when it is not).
func (d *deferrals) waitingFor(key string, now time.Time) time.Duration {
	if d == nil {
		return 0
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	w, ok := d.since[key]
	if !ok {
		return 0
	}
	return now.Sub(w.since)
}

// FewPending is how many pending children a parent waits for, at most,
// when a change of one of them wakes it after the rollup window instead of
// the next recheck: at the end of a sync each level of the hierarchy then
// follows the one below within a window.
const FewPending = 3

// fewPending reports whether the parent key waits for FewPending children
// or fewer.
func (d *deferrals) fewPending(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	w, ok := d.since[key]
	return ok && w.pending <= FewPending
}

// wait reports whether the parent key should wait now, with pending
// children not yet settled.
func (d *deferrals) wait(ctx context.Context, key string, pending int, now time.Time) bool {
	log := ctrl.LoggerFrom(ctx).V(1)
	d.mu.Lock()
	defer d.mu.Unlock()
	w, waiting := d.since[key]
	switch {
	case pending == 0:
		if waiting {
			log.Info("Children settled; rolling up", "waited", now.Sub(w.since).String())
		}
		delete(d.since, key)
		return false
	case !waiting:
		d.since[key] = &deferral{since: now, pending: pending, progress: now}
		log.Info("Children pending; rollup deferred", "pending", pending, "recheck", DeferralRecheck.String())
		return true
	case pending < w.pending:
		w.pending, w.progress = pending, now
		d.progress.seen(now)
	}
	switch {
	case now.Sub(w.since) >= MaxDeferral:
		delete(d.since, key)
		log.Info("Children still pending after the longest deferral; rolling up anyway", "pending", pending, "waited", now.Sub(w.since).String())
		return false
	case now.Sub(w.progress) >= StalledChildren && d.progress.since(now) >= StalledChildren:
		delete(d.since, key)
		log.Info("Nothing progresses; rolling up anyway", "pending", pending, "waited", now.Sub(w.since).String())
		return false
	}
	return true
}

// countPending counts the objects whose status is not final yet (see
// status.Settled).
func countPending[T conditions.Object](objs []T, observed func(T) int64, rollsUp bool) int {
	n := 0
	for _, o := range objs {
		if !status.Settled(o, observed(o), rollsUp) {
			n++
		}
	}
	return n
}

func projectObserved(p *v1alpha1.Project) int64     { return p.Status.ObservedGeneration }
func programmeObserved(p *v1alpha1.Programme) int64 { return p.Status.ObservedGeneration }
func portfolioObserved(p *v1alpha1.Portfolio) int64 { return p.Status.ObservedGeneration }
func officeObserved(o *v1alpha1.Office) int64       { return o.Status.ObservedGeneration }
