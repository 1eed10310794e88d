/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// heldPrevious is the report of the snapshot an object's report was last
// compared with, read once: snapshots of ended periods are never written
// again.
type heldPrevious struct {
	// version identifies the snapshot: its UID and content digest.
	version  string
	previous *report.Previous
}

// previous is the report of the object's latest snapshot of an ended
// period (sealed, or sealed by this very rebuild), to compare the report
// with; nil when none is held, snapshots are off, or it cannot be read as
// a report of this schema. The cache holds no snapshot content: it is read
// from the API server, once per snapshot.
func (p *Publisher) previous(ctx context.Context, key string, owner Object, kind string, settings v1alpha1.ReportSettings, now time.Time) (*report.Previous, error) {
	interval, err := settings.SnapshotInterval.Duration()
	if err != nil {
		return nil, nil // no snapshots asked for
	}
	start, _ := report.Period(now, interval)
	snapshots, err := p.snapshots(ctx, owner, kind)
	if err != nil {
		return nil, err
	}
	latest := latestEnded(snapshots, start.UTC().Format(time.RFC3339))
	if latest == nil {
		return nil, nil
	}
	version := string(latest.UID) + "/" + latest.Annotations[v1alpha1.AnnotationContentDigest]
	p.mu.Lock()
	held, ok := p.previousReports[key]
	p.mu.Unlock()
	if ok && held.version == version {
		return held.previous, nil
	}
	cm := &corev1.ConfigMap{}
	if err := p.apiReader.Get(ctx, client.ObjectKeyFromObject(latest), cm); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil // pruned or deleted meanwhile
		}
		return nil, fmt.Errorf("reading snapshot %s: %w", latest.Name, err)
	}
	var rep report.Report
	var prev *report.Previous
	if err := json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &rep); err == nil && rep.SchemaVersion == report.SchemaVersion {
		prev = &report.Previous{Start: latest.Annotations[v1alpha1.AnnotationPeriodStart], Report: rep}
	} else {
		ctrl.LoggerFrom(ctx).V(1).Info("Snapshot not compared: not a report of this schema", "configMap", cm.Name)
	}
	p.mu.Lock()
	p.previousReports[key] = heldPrevious{version: version, previous: prev}
	p.mu.Unlock()
	return prev, nil
}

// latestEnded is the snapshot of the latest period that started before
// periodStart (RFC 3339 in UTC sorts as text); by name on a tie.
func latestEnded(snapshots []corev1.ConfigMap, periodStart string) *corev1.ConfigMap {
	var latest *corev1.ConfigMap
	for i := range snapshots {
		cm := &snapshots[i]
		period := cm.Annotations[v1alpha1.AnnotationPeriodStart]
		if period == "" || period >= periodStart {
			continue
		}
		if latest == nil || period > latest.Annotations[v1alpha1.AnnotationPeriodStart] ||
			(period == latest.Annotations[v1alpha1.AnnotationPeriodStart] && cm.Name > latest.Name) {
			latest = cm
		}
	}
	return latest
}
