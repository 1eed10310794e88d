/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/report"
)

// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;update;delete

// ReportMinInterval is the least time between two rebuilds of one object's
// live report: a burst of changes beneath it (a GitOps sync of hundreds of
// projects) is coalesced into one rebuild.
const ReportMinInterval = 5 * time.Second

// ReportUnsettledInterval is the least time between two rebuilds of a live
// report whose figures are not final (children still pending: a parent
// that rolls up anyway during a long sync, or above a child that keeps
// failing).
const ReportUnsettledInterval = 5 * time.Minute

// ReportNameTakenRecheck is how long an object whose live report name is
// held by another owner's ConfigMap waits before it looks again. Such a
// ConfigMap may carry no report label, so no watch event says when it goes.
const ReportNameTakenRecheck = 10 * time.Minute

// publisher writes the report ConfigMaps of an object: the live report,
// rewritten only when its content changes, and periodic immutable
// snapshots, pruned to the retention count.
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
type publisher struct {
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
	reports map[string]*reportState // by object key
}

// reportState is what the publisher remembers of one object's report.
type reportState struct {
	// last is when its last rebuild began.
	last time.Time
	// published is the fingerprint of the figures its live report holds.
	published string
	// outcome is the last rebuild's (nil before the first since start).
	outcome *rebuildOutcome
	// inFlight is true while it is rebuilt apart from its reconcile.
	inFlight bool
}

// rebuildOutcome is what one rebuild did.
type rebuildOutcome struct {
	// status, reason and message are the ReportPublished condition.
	status  metav1.ConditionStatus
	reason  v1alpha1.ConditionReason
	message string
	// err is a failed read or write; the rebuild is tried again when it is
	// next due (ReportMinInterval on).
	err error
	// recheck is when to look again (the next snapshot period, or a name
	// held by another object); zero when never.
	recheck time.Time
	// digest is the content digest of the live report it wrote.
	digest string
}

func newPublisher(c client.Client, apiReader client.Reader, now func() time.Time) *publisher {
	rebuilt := map[string]chan event.GenericEvent{}
	for _, kind := range []string{"Office", "Portfolio", "Programme"} {
		rebuilt[kind] = make(chan event.GenericEvent, 1024)
	}
	return &publisher{client: c, apiReader: apiReader, now: now, rebuilding: make(chan struct{}, 1), rebuilt: rebuilt,
		reports: map[string]*reportState{}}
}

// Start lets rebuilds run apart from reconciles until ctx ends, then waits
// for those under way (manager.Runnable).
func (p *publisher) Start(ctx context.Context) error {
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

// rebuiltSource wakes the reconciler of kind when one of its objects'
// reports was rebuilt apart from its reconcile.
func (p *publisher) rebuiltSource(kind string) source.Source {
	return source.Channel(p.rebuilt[kind], &handler.EnqueueRequestForObject{})
}

// fingerprint identifies the figures a report is built from.
func fingerprint(figures any) string {
	data, err := json.Marshal(figures)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// reportFingerprint identifies what the report ConfigMaps are built from:
// a change of any asks for a rebuild (settled figures are snapshotted;
// unsettled ones are not). A settled report shows every object beneath as
// it is now, and a row can change (a reason, a gate) without the figures
// changing, so it counts the versions of those objects too.
func reportFingerprint(ctx context.Context, obj reportedObject, kind string, figures any, settings v1alpha1.ReportSettings, settled bool,
	build func(context.Context, reportedObject) (report.Input, error)) (string, error) {
	var rows string
	// An office's report lists everything beneath it (thousands of rows),
	// too many to list on every reconcile (make bench: edits reached the
	// office 280 ms later at 10,000 projects). Its figures carry its direct
	// children's versions instead (OfficeReconciler), so a row beneath
	// reaches it when a child's status changes.
	if settled && kind != "Office" {
		in, err := build(ctx, obj)
		if err != nil {
			return "", err
		}
		rows = rowsVersion(in)
	}
	return fingerprint([]any{figures, settings, settled, rows}), nil
}

// rowsVersion identifies the versions of the objects a report lists: any
// change to one of them changes it.
func rowsVersion(in report.Input) string {
	objs := make([]client.Object, 0, len(in.Programmes)+len(in.Projects))
	for _, p := range in.Programmes {
		objs = append(objs, p)
	}
	for _, p := range in.Projects {
		objs = append(objs, p)
	}
	return versionsOf(objs...)
}

// versionsOf identifies the versions of objects, in any order.
func versionsOf(objs ...client.Object) string {
	lines := make([]string, 0, len(objs))
	for _, o := range objs {
		lines = append(lines, fmt.Sprintf("%T/%s/%s/%s", o, o.GetNamespace(), o.GetName(), o.GetResourceVersion()))
	}
	sort.Strings(lines) // the cache lists in no fixed order
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// nameTakenError says that a report's name is held by a ConfigMap another
// object controls: it is left alone.
type nameTakenError struct {
	name       string
	controller metav1.OwnerReference
}

func (e *nameTakenError) Error() string {
	return fmt.Sprintf("ConfigMap %s is controlled by %s %s, not by this object, and is left alone: delete or rename it to publish the report",
		e.name, e.controller.Kind, e.controller.Name)
}

// reportedObject is an Office, Portfolio or Programme.
type reportedObject interface {
	client.Object
	v1alpha1.Conditioned
}

// publication is what publishing asks of the reconciler.
type publication struct {
	// wait is when to be called again: the rebuild was deferred or the next
	// snapshot is due; zero when never.
	wait time.Duration
	// pending is true when the live report does not hold the current
	// figures yet: the object is not Ready.
	pending bool
	// rebuilding is true when the report is being rebuilt with them.
	rebuilding bool
}

// publish brings the object's report ConfigMaps up to date and sets its
// ReportPublished condition. figures are what the report's figures come
// from (the object's rollup); build gathers the report input for a copy
// of the object and is only called when a rebuild is due.
//
// settled says whether the figures are final (no child pending): only then
// does the current period's snapshot take the report. shown says whether
// the object's status already shows rolled-up figures: its report is then
// rebuilt apart from its reconcile.
func (p *publisher) publish(ctx context.Context, obj reportedObject, kind string, settings v1alpha1.ReportSettings, enabledByDefault bool,
	figures any, settled, shown bool, build func(context.Context, reportedObject) (report.Input, error)) (publication, error) {
	enabled := settings.Mode == v1alpha1.ReportsEnabled || (settings.Mode == "" && enabledByDefault)
	key := kind + "/" + obj.GetNamespace() + "/" + obj.GetName()
	if !enabled {
		p.forget(key)
		conditions.Delete(obj, v1alpha1.ConditionReportPublished)
		return publication{}, p.deleteLive(ctx, obj, kind)
	}
	log := ctrl.LoggerFrom(ctx).V(1)
	now := p.now()
	current, err := reportFingerprint(ctx, obj, kind, figures, settings, settled, build)
	if err != nil {
		return publication{}, err
	}
	interval := ReportMinInterval
	if !settled {
		// Figures rolled up while children are still pending change again
		// soon: the report follows them rarely, and at once when they settle.
		interval = ReportUnsettledInterval
	}

	// A live report deleted or edited by hand is written again.
	held, err := p.liveDigest(ctx, obj, kind)
	if err != nil {
		return publication{}, err
	}

	p.mu.Lock()
	st := p.reports[key]
	if st == nil {
		st = &reportState{}
		p.reports[key] = st
	}
	if st.inFlight {
		p.mu.Unlock()
		// Its end wakes this object; look again in any case.
		return publication{wait: interval, pending: true, rebuilding: true}, nil
	}
	outcome := st.outcome
	stale := st.published != current
	due := true // nothing built since start, stale figures, or a failure to try again
	switch {
	case outcome == nil:
	case outcome.reason == v1alpha1.ReasonReportNameTaken:
		due = !now.Before(outcome.recheck)
	case outcome.err == nil && !stale && held == outcome.digest:
		due = !outcome.recheck.IsZero() && !now.Before(outcome.recheck) // the next snapshot period
	}
	wait := st.last.Add(interval).Sub(now)
	if !due || wait > 0 {
		p.mu.Unlock()
		if outcome != nil {
			applyOutcome(obj, outcome)
		}
		out := publication{pending: stale && (outcome == nil || outcome.reason != v1alpha1.ReasonReportNameTaken)}
		if due {
			log.Info("Report rebuild deferred", "after", wait.String())
			out.wait = wait
		} else if outcome != nil && !outcome.recheck.IsZero() {
			out.wait = outcome.recheck.Sub(now)
		}
		return out, nil
	}
	st.last = now
	background := p.background
	if shown && outcome != nil && background != nil {
		st.inFlight = true
		p.mu.Unlock()
		applyOutcome(obj, outcome)
		copied := obj.DeepCopyObject().(reportedObject)
		jobCtx := logr.NewContext(background, ctrl.LoggerFrom(ctx))
		p.running.Add(1)
		go func() {
			defer p.running.Done()
			p.record(key, current, p.rebuild(jobCtx, copied, kind, settings, settled, build), true)
			select {
			case p.rebuilt[kind] <- event.GenericEvent{Object: copied}:
			default: // full: the object looks again after its wait
			}
		}()
		return publication{wait: interval, pending: true, rebuilding: true}, nil
	}
	p.mu.Unlock()
	outcome = p.rebuild(ctx, obj, kind, settings, settled, build)
	p.record(key, current, outcome, false)
	applyOutcome(obj, outcome)
	out := publication{}
	if !outcome.recheck.IsZero() {
		out.wait = outcome.recheck.Sub(now)
	}
	return out, outcome.err
}

// liveDigest is the content digest of the object's live report as the
// cache holds it: "" when there is none, or it was edited by hand.
func (p *publisher) liveDigest(ctx context.Context, obj reportedObject, kind string) (string, error) {
	cm := &corev1.ConfigMap{}
	err := p.client.Get(ctx, client.ObjectKey{Namespace: obj.GetNamespace(), Name: reportName(kind, obj.GetName(), "")}, cm)
	switch {
	case apierrors.IsNotFound(err):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("getting report: %w", err)
	}
	return heldDigest(cm), nil
}

// record keeps a rebuild's outcome: on success, the figures the live report
// now holds.
func (p *publisher) record(key, figures string, outcome *rebuildOutcome, inFlight bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.reports[key]
	if st == nil {
		return // reports were turned off meanwhile
	}
	if inFlight {
		st.inFlight = false
	}
	st.outcome = outcome
	if outcome.err == nil && outcome.reason != v1alpha1.ReasonReportNameTaken {
		st.published = figures
	}
}

// forget drops what the publisher remembers of an object's report.
func (p *publisher) forget(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.reports, key)
}

// applyOutcome sets the ReportPublished condition a rebuild asked for.
func applyOutcome(obj reportedObject, o *rebuildOutcome) {
	conditions.Set(obj, v1alpha1.ConditionReportPublished, o.status, o.reason, o.message)
}

// rebuild builds, renders and writes the live report and the current
// period's snapshot, one rebuild at a time.
func (p *publisher) rebuild(ctx context.Context, obj reportedObject, kind string, settings v1alpha1.ReportSettings, settled bool, build func(context.Context, reportedObject) (report.Input, error)) *rebuildOutcome {
	select {
	case p.rebuilding <- struct{}{}:
	case <-ctx.Done():
		return &rebuildOutcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonPublishFailed, message: ctx.Err().Error(), err: ctx.Err()}
	}
	defer func() { <-p.rebuilding }()
	now := p.now()
	failed := func(err error) *rebuildOutcome {
		return &rebuildOutcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonPublishFailed, message: truncateMessage(err.Error()), err: err}
	}
	began := time.Now()
	in, err := build(ctx, obj)
	if err != nil {
		return failed(err)
	}
	gathered := time.Now()
	rendered := report.Render(report.Build(in))
	data := rendered.Data
	rendering := time.Since(gathered)
	name := reportName(kind, obj.GetName(), "")
	defer func() {
		ctrl.LoggerFrom(ctx).V(1).Info("Report rebuilt", "configMap", name, "gather", gathered.Sub(began).String(),
			"render", rendering.String(), "total", time.Since(began).String())
	}()
	if err := p.writeLive(ctx, obj, kind, name, data); err != nil {
		if taken := (*nameTakenError)(nil); errors.As(err, &taken) {
			// Only a person can free the name: Stalled, and no hot retry.
			return &rebuildOutcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonReportNameTaken, message: err.Error(),
				recheck: now.Add(ReportNameTakenRecheck)}
		}
		return failed(err)
	}
	outcome := &rebuildOutcome{status: metav1.ConditionTrue, reason: v1alpha1.ReasonPublished, message: "ConfigMap " + name + " holds the report",
		digest: contentDigest(data, nil)}
	if rendered.Truncated {
		outcome.reason = v1alpha1.ReasonTruncated
		outcome.message = "ConfigMap " + name + " holds a summarised report: the organisation is too large to list in full"
	}
	next, err := p.snapshot(ctx, obj, kind, settings, data, now, settled)
	if err != nil {
		return failed(err)
	}
	if next > 0 {
		outcome.recheck = now.Add(next)
	}
	return outcome
}

// contentDigest is the SHA-256 of a ConfigMap's content, over its keys in
// order, each key and value ended by a zero byte.
func contentDigest(data map[string]string, binary map[string][]byte) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(data)) {
		h.Write([]byte(k + "\x00" + data[k] + "\x00"))
	}
	for _, k := range slices.Sorted(maps.Keys(binary)) {
		h.Write([]byte("binary:" + k + "\x00"))
		h.Write(binary[k])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// heldDigest is the digest of the content a report ConfigMap holds: from
// its content when the copy has it (read from the API server), else from
// its annotation (the cache's copy, see keepDigestOnly; "" when unknown).
func heldDigest(cm *corev1.ConfigMap) string {
	if len(cm.Data) > 0 || len(cm.BinaryData) > 0 {
		return contentDigest(cm.Data, cm.BinaryData)
	}
	return cm.Annotations[v1alpha1.AnnotationContentDigest]
}

// withDigest is annotations with the content digest set.
func withDigest(annotations map[string]string, digest string) map[string]string {
	out := maps.Clone(annotations)
	if out == nil {
		out = map[string]string{}
	}
	out[v1alpha1.AnnotationContentDigest] = digest
	return out
}

// reportName is the deterministic name of an object's report ConfigMap:
// <kind>-<name>-report for the live report, with -<suffix> for a snapshot.
// A name longer than a ConfigMap name may be (253 characters) is shortened
// the way labelValue shortens label values: the object's name is cut and
// a hash of the whole name follows, so the name stays stable and distinct
// per object.
func reportName(kind, name, suffix string) string {
	prefix, tail := strings.ToLower(kind)+"-", "-report"
	if suffix != "" {
		tail += "-" + suffix
	}
	if len(prefix)+len(name)+len(tail) <= validation.DNS1123SubdomainMaxLength {
		return prefix + name + tail
	}
	sum := sha256.Sum256([]byte(name))
	hash := hex.EncodeToString(sum[:4])
	keep := validation.DNS1123SubdomainMaxLength - len(prefix) - len(tail) - len("-") - len(hash)
	// A DNS subdomain's labels end with a letter or digit.
	return prefix + strings.TrimRight(name[:keep], ".-") + "-" + hash + tail
}

// reportLabels select an object's report ConfigMaps.
func reportLabels(kind, name, reportType string) map[string]string {
	return map[string]string{v1alpha1.LabelReport: reportType, v1alpha1.LabelReportKind: kind, v1alpha1.LabelReportName: labelValue(name)}
}

// labelValue fits a name into a label value (63 characters).
func labelValue(name string) string {
	if len(name) <= 63 {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return name[:54] + "-" + hex.EncodeToString(sum[:4])
}

// writeLive creates or updates the live report. A ConfigMap of that name
// that the cache does not hold (its report label was removed, or it was
// made by hand) is read from the API server and adopted when no other
// object controls it; one that another object controls is left alone
// (nameTakenError).
func (p *publisher) writeLive(ctx context.Context, owner reportedObject, kind, name string, data map[string]string) error {
	key := client.ObjectKey{Namespace: owner.GetNamespace(), Name: name}
	cm := &corev1.ConfigMap{}
	err := p.client.Get(ctx, key, cm)
	switch {
	case apierrors.IsNotFound(err):
		cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: owner.GetNamespace(), Name: name, Labels: reportLabels(kind, owner.GetName(), "live"),
			Annotations: withDigest(nil, contentDigest(data, nil))}, Data: data}
		if err := controllerutil.SetControllerReference(owner, cm, p.client.Scheme()); err != nil {
			return fmt.Errorf("owning report %s: %w", name, err)
		}
		err = p.client.Create(ctx, cm)
		if err == nil {
			return nil
		}
		if !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating report %s: %w", name, err)
		}
		cm = &corev1.ConfigMap{}
		if err := p.apiReader.Get(ctx, key, cm); err != nil {
			return fmt.Errorf("getting report %s: %w", name, err)
		}
	case err != nil:
		return fmt.Errorf("getting report %s: %w", name, err)
	}
	if c := metav1.GetControllerOf(cm); c != nil && c.UID != owner.GetUID() {
		return &nameTakenError{name: name, controller: *c}
	}
	want := reportLabels(kind, owner.GetName(), "live")
	labelled := true
	for k, v := range want {
		if got, ok := cm.Labels[k]; !ok || got != v {
			labelled = false
		}
	}
	digest := contentDigest(data, nil)
	if heldDigest(cm) == digest && labelled && metav1.IsControlledBy(cm, owner) {
		return nil // nothing changed: no write
	}
	ctrl.LoggerFrom(ctx).V(1).Info("Writing report", "configMap", name, "heldDigest", heldDigest(cm), "digest", digest,
		"labelled", labelled, "controlled", metav1.IsControlledBy(cm, owner))
	cm.Data, cm.BinaryData = data, nil
	if cm.Labels == nil {
		cm.Labels = map[string]string{}
	}
	maps.Copy(cm.Labels, want)
	cm.Annotations = withDigest(cm.Annotations, digest)
	if err := controllerutil.SetControllerReference(owner, cm, p.client.Scheme()); err != nil {
		return fmt.Errorf("owning report %s: %w", name, err)
	}
	if err := p.client.Update(ctx, cm); err != nil {
		return fmt.Errorf("updating report %s: %w", name, err)
	}
	return nil
}

func (p *publisher) deleteLive(ctx context.Context, owner reportedObject, kind string) error {
	cm := &corev1.ConfigMap{}
	err := p.client.Get(ctx, client.ObjectKey{Namespace: owner.GetNamespace(), Name: reportName(kind, owner.GetName(), "")}, cm)
	if apierrors.IsNotFound(err) || (err == nil && !metav1.IsControlledBy(cm, owner)) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("getting report: %w", err)
	}
	return client.IgnoreNotFound(p.client.Delete(ctx, cm))
}

// snapshot keeps the snapshot of the current period: while the period is
// open it holds the latest settled report (never one built while children
// were pending), and once the period has ended it is sealed (made
// immutable) with the report as it stood at the close. Snapshots of past
// periods are never written again, so deleting one does not bring it back
// with later data. All state lives in the ConfigMaps, so a restart at any
// moment neither skips, repeats nor corrupts a period. It returns how long
// until the next period starts.
func (p *publisher) snapshot(ctx context.Context, owner reportedObject, kind string, settings v1alpha1.ReportSettings, data map[string]string, now time.Time, settled bool) (time.Duration, error) {
	interval, err := settings.SnapshotInterval.Duration()
	if err != nil {
		return 0, nil // no snapshots asked for
	}
	start, next := report.Period(now, interval)
	periodStart := start.UTC().Format(time.RFC3339)
	snapshots, err := p.snapshots(ctx, owner, kind)
	if err != nil {
		return 0, err
	}
	var current *corev1.ConfigMap
	for i := range snapshots {
		cm := &snapshots[i]
		switch period := cm.Annotations[v1alpha1.AnnotationPeriodStart]; {
		case period == periodStart:
			current = cm
		case period < periodStart && cm.Annotations[v1alpha1.AnnotationSnapshotState] != v1alpha1.SnapshotSealed:
			if err := p.seal(ctx, cm); err != nil {
				return 0, err
			}
		}
	}
	var created *corev1.ConfigMap
	if settled {
		if created, err = p.writeOpenSnapshot(ctx, owner, kind, start, interval, current, data, now); err != nil {
			return 0, err
		}
	}
	if err := p.prune(ctx, owner, kind, settings.SnapshotRetention, created); err != nil {
		return 0, err
	}
	return next.Sub(now) + time.Second, nil
}

// snapshots lists an owner's snapshot ConfigMaps.
func (p *publisher) snapshots(ctx context.Context, owner reportedObject, kind string) ([]corev1.ConfigMap, error) {
	list := &corev1.ConfigMapList{}
	if err := p.client.List(ctx, list, client.InNamespace(owner.GetNamespace()), client.MatchingLabels(reportLabels(kind, owner.GetName(), "snapshot"))); err != nil {
		return nil, fmt.Errorf("listing snapshots: %w", err)
	}
	var owned []corev1.ConfigMap
	for _, cm := range list.Items {
		if metav1.IsControlledBy(&cm, owner) {
			owned = append(owned, cm)
		}
	}
	return owned, nil
}

// seal makes the snapshot of an ended period immutable, as it stood. It
// patches: the cache's copy holds no content (keepDigestOnly).
func (p *publisher) seal(ctx context.Context, cm *corev1.ConfigMap) error {
	sealed := cm.DeepCopy()
	immutable := true
	sealed.Immutable = &immutable
	sealed.Annotations = maps.Clone(cm.Annotations)
	if sealed.Annotations == nil {
		sealed.Annotations = map[string]string{}
	}
	sealed.Annotations[v1alpha1.AnnotationSnapshotState] = v1alpha1.SnapshotSealed
	if err := p.client.Patch(ctx, sealed, client.MergeFromWithOptions(cm, client.MergeFromWithOptimisticLock{})); err != nil {
		return fmt.Errorf("sealing snapshot %s: %w", cm.Name, err)
	}
	ctrl.LoggerFrom(ctx).V(1).Info("Snapshot sealed", "configMap", cm.Name, "period", cm.Annotations[v1alpha1.AnnotationPeriodStart])
	return nil
}

// writeOpenSnapshot creates or updates the current period's snapshot with
// a settled report; it writes only when the content changed. It returns
// the snapshot when it created it.
func (p *publisher) writeOpenSnapshot(ctx context.Context, owner reportedObject, kind string, start time.Time, interval time.Duration, current *corev1.ConfigMap, data map[string]string, now time.Time) (*corev1.ConfigMap, error) {
	digest := contentDigest(data, nil)
	annotations := map[string]string{
		v1alpha1.AnnotationPeriodStart:   start.UTC().Format(time.RFC3339),
		v1alpha1.AnnotationSnapshotState: v1alpha1.SnapshotOpen,
		v1alpha1.AnnotationBuiltAt:       now.UTC().Truncate(time.Second).Format(time.RFC3339),
		v1alpha1.AnnotationContentDigest: digest,
	}
	if current == nil {
		name := reportName(kind, owner.GetName(), report.PeriodSuffix(start, interval))
		cm := &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Namespace: owner.GetNamespace(), Name: name,
				Labels: reportLabels(kind, owner.GetName(), "snapshot"), Annotations: annotations},
			Data: data,
		}
		if err := controllerutil.SetControllerReference(owner, cm, p.client.Scheme()); err != nil {
			return nil, err
		}
		if err := p.client.Create(ctx, cm); err != nil && !apierrors.IsAlreadyExists(err) {
			return nil, fmt.Errorf("creating snapshot %s: %w", name, err)
		}
		return cm, nil
	}
	if heldDigest(current) == digest || current.Annotations[v1alpha1.AnnotationSnapshotState] == v1alpha1.SnapshotSealed ||
		(current.Immutable != nil && *current.Immutable) {
		return nil, nil // unchanged, or sealed (an immutable snapshot of an earlier release stays as it is)
	}
	updated := current.DeepCopy()
	updated.Data, updated.BinaryData = data, nil
	updated.Annotations = maps.Clone(current.Annotations)
	maps.Copy(updated.Annotations, annotations)
	if err := p.client.Update(ctx, updated); err != nil {
		return nil, fmt.Errorf("updating snapshot %s: %w", current.Name, err)
	}
	return nil, nil
}

// prune deletes the oldest snapshots beyond the retention count, counting
// created, the snapshot just created, which the cache may not hold yet.
func (p *publisher) prune(ctx context.Context, owner reportedObject, kind string, retention int32, created *corev1.ConfigMap) error {
	if retention <= 0 {
		retention = 12
	}
	owned, err := p.snapshots(ctx, owner, kind)
	if err != nil {
		return err
	}
	if created != nil && !slices.ContainsFunc(owned, func(cm corev1.ConfigMap) bool { return cm.Name == created.Name }) {
		owned = append(owned, *created)
	}
	// Newest first, by the period each snapshot covers (RFC 3339 in UTC
	// sorts as text), then by name, so that shortened names sort right too.
	sort.Slice(owned, func(i, j int) bool {
		a, b := owned[i].Annotations[v1alpha1.AnnotationPeriodStart], owned[j].Annotations[v1alpha1.AnnotationPeriodStart]
		if a != b {
			return a > b
		}
		return owned[i].Name > owned[j].Name
	})
	for i := int(retention); i < len(owned); i++ {
		if err := p.client.Delete(ctx, &owned[i]); client.IgnoreNotFound(err) != nil {
			return fmt.Errorf("pruning snapshot %s: %w", owned[i].Name, err)
		}
	}
	return nil
}
