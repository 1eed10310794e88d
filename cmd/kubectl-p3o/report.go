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

	"p3o.dev/p3o-operator/api/v1alpha1"
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
	cm          *corev1.ConfigMap
}

// period is the period as people name it: its start date, with the time
// when the period does not start at midnight UTC.
func (s snapshot) period() string {
	if s.start.IsZero() {
		return orDash(s.PeriodStart)
	}
	if s.start.Equal(s.start.Truncate(24 * time.Hour)) {
		return s.start.UTC().Format(time.DateOnly)
	}
	return s.start.UTC().Format(time.RFC3339)
}

// reportsOf picks, from the ConfigMaps of a namespace, the live report and
// the snapshots the object controls (by owner reference, so that names
// shortened for length need not be derived here). Snapshots are newest
// first.
func reportsOf(cms []corev1.ConfigMap, owner types.UID) (*corev1.ConfigMap, []snapshot) {
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
	return live, snaps
}

// matchSnapshot finds the snapshot of a period: PERIOD is the start date
// (YYYY-MM-DD) or the whole period-start annotation, the suffix of the
// ConfigMap's name (e.g. 20261123) or its whole name.
func matchSnapshot(snaps []snapshot, period string) (snapshot, error) {
	var found []snapshot
	for _, s := range snaps {
		if s.Name == period || strings.HasSuffix(s.Name, "-"+period) || s.PeriodStart == period ||
			(!s.start.IsZero() && s.start.UTC().Format(time.DateOnly) == period) {
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
	return snapshot{}, fmt.Errorf("%d snapshots match %q (%s): name one by its ConfigMap name suffix", len(found), period, snapshotNames(found))
}

func periods(snaps []snapshot) string {
	var out []string
	for _, s := range snaps {
		out = append(out, s.period())
	}
	return strings.Join(out, ", ")
}

func snapshotNames(snaps []snapshot) string {
	var out []string
	for _, s := range snaps {
		out = append(out, s.Name)
	}
	return strings.Join(out, ", ")
}
