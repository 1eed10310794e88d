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
	"sort"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

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
type publisher struct {
	client client.Client
	// apiReader reads straight from the API server. The cache holds only
	// ConfigMaps labelled as reports; one that lost its label is read
	// with apiReader.
	apiReader client.Reader
	now       func() time.Time

	mu   sync.Mutex
	last map[string]time.Time // object key → last rebuild
	// published is, per object key, the fingerprint of the figures its live
	// report was last built from.
	published map[string]string
}

func newPublisher(c client.Client, apiReader client.Reader, now func() time.Time) *publisher {
	return &publisher{client: c, apiReader: apiReader, now: now, last: map[string]time.Time{}, published: map[string]string{}}
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
	// figures yet (its rebuild was deferred): the object is not Ready.
	pending bool
}

// publish brings the object's report ConfigMaps up to date and sets its
// ReportPublished condition. figures are what the report's figures come
// from (the object's rollup); build gathers the report input and is only
// called when a rebuild is due.
//
// settled says whether the figures are final (no child pending): only then
// does the current period's snapshot take the report.
func (p *publisher) publish(ctx context.Context, obj reportedObject, kind string, settings v1alpha1.ReportSettings, enabledByDefault bool, figures any, settled bool, build func() (report.Input, error)) (publication, error) {
	enabled := settings.Mode == v1alpha1.ReportsEnabled || (settings.Mode == "" && enabledByDefault)
	key := kind + "/" + obj.GetNamespace() + "/" + obj.GetName()
	if !enabled {
		conditions.Delete(obj, v1alpha1.ConditionReportPublished)
		return publication{}, p.deleteLive(ctx, obj, kind)
	}
	now := p.now()
	current := fingerprint(figures)
	interval := ReportMinInterval
	if !settled {
		// Figures rolled up while children are still pending change again
		// soon: the report follows them rarely, and at once when they settle.
		interval = ReportUnsettledInterval
	}
	p.mu.Lock()
	wait := p.last[key].Add(interval).Sub(now)
	if wait <= 0 {
		p.last[key] = now
	}
	stale := p.published[key] != current
	p.mu.Unlock()
	if wait > 0 && conditions.Get(obj, v1alpha1.ConditionReportPublished) != nil {
		if stale {
			ctrl.LoggerFrom(ctx).V(1).Info("Report rebuild deferred", "after", wait.String())
		}
		return publication{wait: wait, pending: stale}, nil
	}

	in, err := build()
	if err != nil {
		return publication{}, err
	}
	rendered := report.Render(report.Build(in))
	data := rendered.Data
	name := reportName(kind, obj.GetName(), "")
	if err := p.writeLive(ctx, obj, kind, name, data); err != nil {
		if taken := (*nameTakenError)(nil); errors.As(err, &taken) {
			// Only a person can free the name: Stalled, and no hot retry.
			conditions.Set(obj, v1alpha1.ConditionReportPublished, metav1.ConditionFalse, v1alpha1.ReasonReportNameTaken, err.Error())
			return publication{wait: ReportNameTakenRecheck}, nil
		}
		conditions.Set(obj, v1alpha1.ConditionReportPublished, metav1.ConditionFalse, v1alpha1.ReasonPublishFailed, err.Error())
		return publication{}, err
	}
	p.mu.Lock()
	p.published[key] = current
	p.mu.Unlock()
	if rendered.Truncated {
		conditions.Set(obj, v1alpha1.ConditionReportPublished, metav1.ConditionTrue, v1alpha1.ReasonTruncated,
			"ConfigMap "+name+" holds a summarised report: the organisation is too large to list in full")
	} else {
		conditions.Set(obj, v1alpha1.ConditionReportPublished, metav1.ConditionTrue, v1alpha1.ReasonPublished, "ConfigMap "+name+" holds the report")
	}
	next, err := p.snapshot(ctx, obj, kind, settings, data, now, settled)
	return publication{wait: next}, err
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
		cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: owner.GetNamespace(), Name: name, Labels: reportLabels(kind, owner.GetName(), "live")}, Data: data}
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
	if maps.Equal(cm.Data, data) && labelled && metav1.IsControlledBy(cm, owner) {
		return nil // nothing changed: no write
	}
	cm.Data = data
	if cm.Labels == nil {
		cm.Labels = map[string]string{}
	}
	maps.Copy(cm.Labels, want)
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
	if settled {
		if err := p.writeOpenSnapshot(ctx, owner, kind, start, interval, current, data, now); err != nil {
			return 0, err
		}
	}
	if err := p.prune(ctx, owner, kind, settings.SnapshotRetention); err != nil {
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

// seal makes the snapshot of an ended period immutable, as it stood.
func (p *publisher) seal(ctx context.Context, cm *corev1.ConfigMap) error {
	sealed := cm.DeepCopy()
	immutable := true
	sealed.Immutable = &immutable
	sealed.Annotations = maps.Clone(cm.Annotations)
	if sealed.Annotations == nil {
		sealed.Annotations = map[string]string{}
	}
	sealed.Annotations[v1alpha1.AnnotationSnapshotState] = v1alpha1.SnapshotSealed
	if err := p.client.Update(ctx, sealed); err != nil {
		return fmt.Errorf("sealing snapshot %s: %w", cm.Name, err)
	}
	ctrl.LoggerFrom(ctx).V(1).Info("Snapshot sealed", "configMap", cm.Name, "period", cm.Annotations[v1alpha1.AnnotationPeriodStart])
	return nil
}

// writeOpenSnapshot creates or updates the current period's snapshot with
// a settled report; it writes only when the content changed.
func (p *publisher) writeOpenSnapshot(ctx context.Context, owner reportedObject, kind string, start time.Time, interval time.Duration, current *corev1.ConfigMap, data map[string]string, now time.Time) error {
	annotations := map[string]string{
		v1alpha1.AnnotationPeriodStart:   start.UTC().Format(time.RFC3339),
		v1alpha1.AnnotationSnapshotState: v1alpha1.SnapshotOpen,
		v1alpha1.AnnotationBuiltAt:       now.UTC().Truncate(time.Second).Format(time.RFC3339),
	}
	if current == nil {
		name := reportName(kind, owner.GetName(), report.PeriodSuffix(start, interval))
		cm := &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Namespace: owner.GetNamespace(), Name: name,
				Labels: reportLabels(kind, owner.GetName(), "snapshot"), Annotations: annotations},
			Data: data,
		}
		if err := controllerutil.SetControllerReference(owner, cm, p.client.Scheme()); err != nil {
			return err
		}
		if err := p.client.Create(ctx, cm); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating snapshot %s: %w", name, err)
		}
		return nil
	}
	if maps.Equal(current.Data, data) || current.Annotations[v1alpha1.AnnotationSnapshotState] == v1alpha1.SnapshotSealed ||
		(current.Immutable != nil && *current.Immutable) {
		return nil // unchanged, or sealed (an immutable snapshot of an earlier release stays as it is)
	}
	updated := current.DeepCopy()
	updated.Data = data
	updated.Annotations = maps.Clone(current.Annotations)
	maps.Copy(updated.Annotations, annotations)
	if err := p.client.Update(ctx, updated); err != nil {
		return fmt.Errorf("updating snapshot %s: %w", current.Name, err)
	}
	return nil
}

// prune deletes the oldest snapshots beyond the retention count.
func (p *publisher) prune(ctx context.Context, owner reportedObject, kind string, retention int32) error {
	if retention <= 0 {
		retention = 12
	}
	owned, err := p.snapshots(ctx, owner, kind)
	if err != nil {
		return err
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
