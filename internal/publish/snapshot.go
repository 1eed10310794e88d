/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// snapshot keeps the snapshot of the current period: while the period is
// open it holds the latest settled report (never one built while children
// were pending), and once the period has ended it is sealed (made
// immutable) with the report as it stood at the close. Snapshots of past
// periods are never written again, so deleting one does not bring it back
// with later data. All state lives in the ConfigMaps, so a restart at any
// moment neither skips, repeats nor corrupts a period. It returns how long
// until the next period starts.
func (p *Publisher) snapshot(ctx context.Context, owner Object, kind string, settings v1alpha1.ReportSettings, data map[string]string, now time.Time, settled bool) (time.Duration, error) {
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
func (p *Publisher) snapshots(ctx context.Context, owner Object, kind string) ([]corev1.ConfigMap, error) {
	list := &corev1.ConfigMapList{}
	if err := p.client.List(ctx, list, client.InNamespace(owner.GetNamespace()), client.MatchingLabels(Labels(kind, owner.GetName(), "snapshot"))); err != nil {
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
func (p *Publisher) seal(ctx context.Context, cm *corev1.ConfigMap) error {
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
func (p *Publisher) writeOpenSnapshot(ctx context.Context, owner Object, kind string, start time.Time, interval time.Duration, current *corev1.ConfigMap, data map[string]string, now time.Time) (*corev1.ConfigMap, error) {
	digest := ContentDigest(data, nil)
	annotations := map[string]string{
		v1alpha1.AnnotationPeriodStart:   start.UTC().Format(time.RFC3339),
		v1alpha1.AnnotationSnapshotState: v1alpha1.SnapshotOpen,
		v1alpha1.AnnotationBuiltAt:       now.UTC().Truncate(time.Second).Format(time.RFC3339),
		v1alpha1.AnnotationContentDigest: digest,
	}
	if current == nil {
		name := Name(kind, owner.GetName(), report.PeriodSuffix(start, interval))
		cm := &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Namespace: owner.GetNamespace(), Name: name,
				Labels: Labels(kind, owner.GetName(), "snapshot"), Annotations: annotations},
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
	if HeldDigest(current) == digest || current.Annotations[v1alpha1.AnnotationSnapshotState] == v1alpha1.SnapshotSealed ||
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
func (p *Publisher) prune(ctx context.Context, owner Object, kind string, retention int32, created *corev1.ConfigMap) error {
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
