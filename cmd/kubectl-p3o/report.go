/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// reportKeys are the ConfigMap keys by --format.
var reportKeys = map[string]string{"md": "report.md", "json": "report.json", "csv": "projects.csv"}

// snapshot is one report snapshot ConfigMap.
type snapshot struct {
	Name string `json:"name"`
	// PeriodStart is the governance.p3o.dev/period-start annotation
	// (RFC 3339), empty when missing.
	PeriodStart string `json:"periodStart,omitempty"`
	start       time.Time
	// periodName is the period as --list-snapshots prints it and
	// --snapshot takes it (report.PeriodName), one form for all the
	// snapshots of an object.
	periodName string
	cm         *corev1.ConfigMap
}

// period is the period as people name it.
func (s snapshot) period() string {
	if s.start.IsZero() {
		return orDash(s.PeriodStart)
	}
	return s.periodName
}

// reportsOf picks, from the ConfigMaps of a namespace, the live report and
// the snapshots the object controls (by owner reference, so that names
// shortened for length need not be derived here). Snapshots are newest
// first, and their periods are named in one form: dates, or start times
// when the object's snapshotInterval is shorter than a day or a snapshot
// starts at another time than midnight.
func reportsOf(cms []corev1.ConfigMap, owner types.UID, interval time.Duration) (*corev1.ConfigMap, []snapshot) {
	var live *corev1.ConfigMap
	var snaps []snapshot
	for i := range cms {
		cm := &cms[i]
		if ref := metav1.GetControllerOf(cm); ref == nil || ref.UID != owner {
			continue
		}
		switch cm.Labels[v1alpha1.LabelReport] {
		case "live":
			live = cm
		case "snapshot":
			s := snapshot{Name: cm.Name, PeriodStart: cm.Annotations[v1alpha1.AnnotationPeriodStart], cm: cm}
			if t, err := time.Parse(time.RFC3339, s.PeriodStart); err == nil {
				s.start = t
			}
			snaps = append(snaps, s)
		}
	}
	slices.SortFunc(snaps, func(a, b snapshot) int {
		return cmp.Or(b.start.Compare(a.start), cmp.Compare(b.Name, a.Name))
	})
	starts := make([]time.Time, len(snaps))
	for i, s := range snaps {
		starts[i] = s.start
	}
	withTime := report.NeedsTime(interval, starts...)
	for i := range snaps {
		snaps[i].periodName = report.PeriodName(snaps[i].start, withTime)
	}
	return live, snaps
}

// matchSnapshot finds the snapshot of a period: PERIOD is the period as
// --list-snapshots prints it, the start date (YYYY-MM-DD) or the whole
// period-start annotation, the suffix of the ConfigMap's name (e.g.
// 20261123) or its whole name.
func matchSnapshot(snaps []snapshot, period string) (snapshot, error) {
	var found []snapshot
	for _, s := range snaps {
		if s.Name == period || strings.HasSuffix(s.Name, "-"+period) || s.PeriodStart == period ||
			(!s.start.IsZero() && (s.periodName == period || s.start.UTC().Format(time.DateOnly) == period)) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if len(snaps) == 0 {
			return snapshot{}, fmt.Errorf("there are no snapshots (spec.reports.snapshotInterval sets them)")
		}
		return snapshot{}, fmt.Errorf("no snapshot of period %q; there are: %s", period, periods(snaps))
	}
	return snapshot{}, fmt.Errorf("%d snapshots match %q: name one of %s", len(found), period, periods(found))
}

func periods(snaps []snapshot) string {
	var out []string
	for _, s := range snaps {
		out = append(out, s.period())
	}
	return strings.Join(out, ", ")
}

// snapshotInterval is the interval an object asks its snapshots to be taken
// at, 0 when unset or unreadable.
func snapshotInterval(obj client.Object) time.Duration {
	interval, err := reportSettings(obj).SnapshotInterval.Duration()
	if err != nil {
		return 0
	}
	return interval
}

// reportSettings are the report settings of an Office, Portfolio or
// Programme; zero for other kinds.
func reportSettings(obj client.Object) v1alpha1.ReportSettings {
	switch o := obj.(type) {
	case *v1alpha1.Office:
		return o.Spec.Reports
	case *v1alpha1.Portfolio:
		return o.Spec.Reports
	case *v1alpha1.Programme:
		return o.Spec.Reports
	}
	return v1alpha1.ReportSettings{}
}
