/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package publish writes the report ConfigMaps of Offices, Portfolios and
// Programmes: the live report, rewritten only when what it is built from
// changes, and periodic snapshots, sealed at the close of their period
// and pruned to the retention count. When to rebuild is decided by a pure
// function (decide); names and digests, adoption of an existing live
// report, and snapshots each live in a file of their own.
package publish

import (
	"context"
	"sync"
	"time"

	"github.com/go-logr/logr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/report"
)

// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;update;delete

// Object is an Office, Portfolio or Programme: an object with a report.
type Object interface {
	client.Object
	v1alpha1.Conditioned
}

// Kinds are the kinds that publish reports.
var Kinds = []string{"Office", "Portfolio", "Programme"}

// Publisher writes the report ConfigMaps of objects.
//
// Rebuilds run one at a time: a report of ten thousand projects costs CPU
// and memory that should not be multiplied by every parent settling at
// once. An object whose status already shows rolled-up figures has its
// report rebuilt apart from its reconcile: its new figures are written at
// once (Ready False, ReportPending), and its reconcile is woken when the
// report holds them. An object that shows none yet (a first sync), or
// whose report the publisher has not built since it started (a restart),
// has its report built within its reconcile: it is written once, Ready with
// its figures and report together, and not at all when neither changed.
type Publisher struct {
	client client.Client
	// apiReader reads straight from the API server. The cache holds only
	// ConfigMaps labelled as reports; one that lost its label is read
	// with apiReader.
	apiReader client.Reader
	now       func() time.Time

	// rebuilding admits one rebuild at a time.
	rebuilding chan struct{}
	// rebuilt wakes, per kind, the reconcile of an object whose report was
	// rebuilt apart from it.
	rebuilt map[string]chan event.GenericEvent
	// background is the manager's context once it runs (nil before: every
	// rebuild is then done within its reconcile); running counts the
	// rebuilds under way apart from their reconcile.
	background context.Context
	running    sync.WaitGroup

	mu      sync.Mutex
	reports map[string]*state // by object key
	// previousReports are the snapshot reports last compared with, by
	// object key.
	previousReports map[string]heldPrevious
}

// New is a publisher that writes through c, reads what c's cache does not
// hold through apiReader, and takes the time from now.
func New(c client.Client, apiReader client.Reader, now func() time.Time) *Publisher {
	rebuilt := map[string]chan event.GenericEvent{}
	for _, kind := range Kinds {
		rebuilt[kind] = make(chan event.GenericEvent, 1024)
	}
	return &Publisher{client: c, apiReader: apiReader, now: now, rebuilding: make(chan struct{}, 1), rebuilt: rebuilt,
		reports: map[string]*state{}, previousReports: map[string]heldPrevious{}}
}

// Start lets rebuilds run apart from reconciles until ctx ends, then waits
// for those under way (manager.Runnable).
func (p *Publisher) Start(ctx context.Context) error {
	p.mu.Lock()
	p.background = ctx
	p.mu.Unlock()
	<-ctx.Done()
	p.mu.Lock()
	p.background = nil
	p.mu.Unlock()
	p.running.Wait()
	return nil
}

// Rebuilt wakes the reconciler of kind when one of its objects' reports
// was rebuilt apart from its reconcile.
func (p *Publisher) Rebuilt(kind string) source.Source {
	return source.Channel(p.rebuilt[kind], &handler.EnqueueRequestForObject{})
}

// Request is one object's report as its reconcile sees it.
type Request struct {
	Object Object
	// Kind names the object's kind in its reports' names and labels.
	Kind string
	// Settings are the object's spec.reports; EnabledByDefault says
	// whether reports are published when its mode is unset.
	Settings         v1alpha1.ReportSettings
	EnabledByDefault bool
	// Figures are what the report's figures come from (the object's
	// rollup): a change rebuilds it.
	Figures any
	// FiguresCoverRows says that Figures already change whenever a row
	// the report lists does (an office's carry its direct children's
	// versions: listing thousands of rows on every reconcile is too slow).
	// Otherwise the versions of the rows are gathered with Build.
	FiguresCoverRows bool
	// Settled says the figures are final (no child pending): only then
	// does the current period's snapshot take the report.
	Settled bool
	// Shown says the object's status already shows rolled-up figures: its
	// report is then rebuilt apart from its reconcile.
	Shown bool
	// Build gathers the report input for a copy of the object; called
	// only when a rebuild is due, or to fingerprint settled rows.
	Build func(context.Context, Object) (report.Input, error)
}

// Result is what publishing asks of the reconcile.
type Result struct {
	// Wait is when to be called again: the rebuild was deferred or the next
	// snapshot is due; zero when never.
	Wait time.Duration
	// Pending is true when the live report does not hold the current
	// figures yet: the object is not Ready.
	Pending bool
	// Rebuilding is true when the report is being rebuilt with them.
	Rebuilding bool
}

// Publish brings the object's report ConfigMaps up to date, or arranges
// for it, and sets its ReportPublished condition (removed when its
// reports are off).
func (p *Publisher) Publish(ctx context.Context, req Request) (Result, error) {
	obj := req.Object
	key := req.key()
	if !req.enabled() {
		p.forget(key)
		conditions.Delete(obj, v1alpha1.ConditionReportPublished)
		setTravel(obj, v1alpha1.DirectionOfTravel{})
		setEvidence(obj, v1alpha1.Evidence{})
		return Result{}, p.deleteLive(ctx, obj, req.Kind)
	}
	s := situation{settled: req.Settled, shown: req.Shown, now: p.now()}
	var err error
	if s.fingerprint, err = inputFingerprint(ctx, req); err != nil {
		return Result{}, err
	}
	// A live report deleted or edited by hand is written again.
	if s.held, err = p.liveDigest(ctx, obj, req.Kind); err != nil {
		return Result{}, err
	}
	p.mu.Lock()
	st := p.reports[key]
	if st == nil {
		st = &state{}
		p.reports[key] = st
	}
	s.background = p.background != nil
	d := decide(*st, s)
	last := st.outcome
	switch d.action {
	case rebuildNow:
		st.last = s.now
		p.mu.Unlock()
		return p.rebuildNow(ctx, req, key, s)
	case rebuildApart:
		st.last, st.inFlight = s.now, true
		p.rebuildApart(ctx, req, key, s.fingerprint)
	case wait:
		ctrl.LoggerFrom(ctx).V(1).Info("Report rebuild deferred", "after", d.after.String())
	}
	p.mu.Unlock()
	if last != nil && d.action != await {
		applyOutcome(obj, last)
	}
	return Result{Wait: d.after, Pending: d.pending, Rebuilding: d.action == await || d.action == rebuildApart}, nil
}

// key identifies the request's object among all that publish.
func (r Request) key() string {
	return r.Kind + "/" + r.Object.GetNamespace() + "/" + r.Object.GetName()
}

// enabled says whether the request's object publishes reports.
func (r Request) enabled() bool {
	return r.Settings.Mode == v1alpha1.ReportsEnabled || (r.Settings.Mode == "" && r.EnabledByDefault)
}

// rebuildNow rebuilds within the reconcile.
func (p *Publisher) rebuildNow(ctx context.Context, req Request, key string, s situation) (Result, error) {
	o := p.rebuild(ctx, req)
	p.record(key, s.fingerprint, o, false)
	applyOutcome(req.Object, o)
	var out Result
	if !o.recheck.IsZero() {
		out.Wait = o.recheck.Sub(s.now)
	}
	return out, o.err
}

// rebuildApart starts a rebuild of a copy of the object apart from its
// reconcile, and wakes the object when it is done. p.mu is held.
func (p *Publisher) rebuildApart(ctx context.Context, req Request, key, fingerprint string) {
	copied := req
	copied.Object = req.Object.DeepCopyObject().(Object)
	jobCtx := logr.NewContext(p.background, ctrl.LoggerFrom(ctx))
	p.running.Add(1)
	go func() {
		defer p.running.Done()
		p.record(key, fingerprint, p.rebuild(jobCtx, copied), true)
		select {
		case p.rebuilt[req.Kind] <- event.GenericEvent{Object: copied.Object}:
		default: // full: the object looks again after its wait
		}
	}()
}

// record keeps a rebuild's outcome: on success, the fingerprint of what
// the live report now holds.
func (p *Publisher) record(key, fingerprint string, o *outcome, inFlight bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.reports[key]
	if st == nil {
		return // reports were turned off meanwhile
	}
	if inFlight {
		st.inFlight = false
	}
	if o.err != nil && st.outcome != nil {
		o.travel = st.outcome.travel // a failed rebuild compared nothing: keep what was shown
		o.evidence = st.outcome.evidence
	}
	st.outcome = o
	if o.err == nil && o.reason != v1alpha1.ReasonReportNameTaken {
		st.published = fingerprint
	}
}

// forget drops what the publisher remembers of an object's report.
func (p *Publisher) forget(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.reports, key)
	delete(p.previousReports, key)
}

// applyOutcome sets the ReportPublished condition a rebuild asked for.
func applyOutcome(obj Object, o *outcome) {
	conditions.Set(obj, v1alpha1.ConditionReportPublished, o.status, o.reason, o.message)
	setTravel(obj, o.travel)
	setEvidence(obj, o.evidence)
}

// setTravel sets the object's status.directionOfTravel, when its kind has
// one.
func setTravel(obj Object, t v1alpha1.DirectionOfTravel) {
	if r, ok := obj.(v1alpha1.TravelReporter); ok {
		r.SetDirectionOfTravel(t)
	}
}

// setEvidence sets the object's status.evidence, when its kind has one.
func setEvidence(obj Object, e v1alpha1.Evidence) {
	if r, ok := obj.(v1alpha1.EvidenceReporter); ok {
		r.SetEvidence(e)
	}
}
