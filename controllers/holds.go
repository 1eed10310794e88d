/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"sync"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/status"
)

// HoldRecheck is how often a project held for its providers looks again
// by itself; a provider that settles wakes it sooner (providerChanged).
const HoldRecheck = 10 * time.Second

// HoldStalled is how long a project is held, at most, while nothing the
// operator does progresses: half StalledChildren, so that a held project
// is judged before its parent stops waiting for it.
const HoldStalled = StalledChildren / 2

// holds lets a project that has not been judged at its generation wait,
// without writing its status, for the providers it depends on to settle:
// a programme's health is known only once its own projects have settled,
// and a verdict written before then would be written again when it does,
// and its programme, portfolio and office rolled up again. A held project
// is pending for its parent like any project not yet reconciled, so the
// parent's wait (deferrals) and the project's are one: the parent rolls up
// once, after the project is judged against settled providers.
//
// A hold never closes a loop of waits: a project is not held when the
// providers it waits for wait, through held projects and the programmes
// holding them, for the project itself (its own programme, or programmes
// whose held projects depend back on its programme). It is held at most
// MaxDeferral, and HoldStalled while nothing progresses.
type holds struct {
	mu   sync.Mutex
	held map[string]*hold
	// progress is the parents' shared progress.
	progress *progress
}

// hold is one held project: where it belongs and what it waits for.
type hold struct {
	since time.Time
	// parent is the node of its programme or portfolio, which waits for it.
	parent string
	// waitsFor are the nodes of the providers it waits for.
	waitsFor []string
}

func newHolds(p *progress) *holds {
	return &holds{held: map[string]*hold{}, progress: p}
}

// wait reports whether the consumer node, which belongs to parent, should
// wait for the unsettled providers waitsFor now. A consumer that need not
// (or may no longer) wait is forgotten.
func (h *holds) wait(ctx context.Context, consumer, parent string, waitsFor []string, now time.Time) bool {
	log := ctrl.LoggerFrom(ctx).V(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	// A held project looks again every HoldRecheck, so it meets
	// MaxDeferral below long before its hold is this old.
	h.forgetOlderThan(now.Add(-2 * MaxDeferral))
	w, held := h.held[consumer]
	if len(waitsFor) == 0 {
		delete(h.held, consumer)
		return false
	}
	if !held {
		w = &hold{since: now}
		h.held[consumer] = w
	}
	w.parent, w.waitsFor = parent, waitsFor
	var why string
	switch {
	case h.closesLoop(consumer):
		why = "the providers wait for this project"
	case now.Sub(w.since) >= MaxDeferral:
		why = "held for the longest deferral"
	case now.Sub(w.since) >= HoldStalled && h.progress.since(now) >= HoldStalled:
		why = "nothing progresses"
	default:
		if !held {
			log.Info("Providers not settled; judging the dependencies later", "providers", waitsFor)
		}
		return true
	}
	delete(h.held, consumer)
	log.Info("Judging the dependencies on providers not settled", "why", why, "providers", waitsFor)
	return false
}

// forget forgets consumer: it is judged.
func (h *holds) forget(consumer string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.held, consumer)
}

// closesLoop reports whether the providers consumer waits for wait, in
// turn, for consumer: a provider that is a held project waits for its own
// providers; a programme waits for its held projects. Called with h.mu
// held.
func (h *holds) closesLoop(consumer string) bool {
	children := map[string][]string{}
	for node, w := range h.held {
		children[w.parent] = append(children[w.parent], node)
	}
	seen := map[string]bool{}
	next := append([]string(nil), h.held[consumer].waitsFor...)
	for len(next) > 0 {
		node := next[len(next)-1]
		next = next[:len(next)-1]
		if node == consumer {
			return true
		}
		if seen[node] {
			continue
		}
		seen[node] = true
		if w, ok := h.held[node]; ok {
			next = append(next, w.waitsFor...)
		}
		next = append(next, children[node]...)
	}
	return false
}

// forgetOlderThan forgets holds begun before t: their consumers were
// deleted, or judged by now. Called with h.mu held.
func (h *holds) forgetOlderThan(t time.Time) {
	for node, w := range h.held {
		if w.since.Before(t) {
			delete(h.held, node)
		}
	}
}

// unsettledProviders are the nodes of the providers of facts that exist,
// admit the consumer, lie on no dependency cycle and have not settled
// (status.Settled: reconciled at their generation, and a programme rolled
// up): what a verdict judged now might have to be written again for.
func unsettledProviders(ctx context.Context, c client.Reader, facts []governance.DependencyFact) ([]string, error) {
	var out []string
	for _, f := range facts {
		if f.Provider.Outcome != hierarchy.Resolved || f.Cycle != nil {
			continue
		}
		obj, rollsUp := client.Object(&v1alpha1.Project{}), false
		if f.Dependency.Kind == v1alpha1.SubjectKindProgramme {
			obj, rollsUp = &v1alpha1.Programme{}, true
		}
		if err := c.Get(ctx, f.Key, obj); err != nil {
			return nil, client.IgnoreNotFound(err)
		}
		if !status.Settled(obj.(conditionedObject), observedGeneration(obj), rollsUp) {
			out = append(out, subjectNode(f.Dependency.Kind, f.Key.String()))
		}
	}
	return out, nil
}

// observedGeneration is a Project's or Programme's status.observedGeneration.
func observedGeneration(obj client.Object) int64 {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return projectObserved(o)
	case *v1alpha1.Programme:
		return programmeObserved(o)
	}
	return 0
}

// subjectNode is a node of the dependency graph, "Kind/namespace/name", as
// IndexDependsOn keys it.
func subjectNode(kind v1alpha1.SubjectKind, key string) string { return string(kind) + "/" + key }
