/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"cmp"
	"encoding/json"
	"html/template"
	"slices"

	corev1 "k8s.io/api/core/v1"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// trendPeriods is how many of the latest sealed periods a trend shows.
const trendPeriods = 12

// trendView is a parent's health and variance across its sealed snapshots,
// as their report.json published them.
type trendView struct {
	Points   []trendPoint
	Currency v1alpha1.Currency
	// Health and Variance are the sparklines; the table of Points says
	// the same in words.
	Health, Variance template.HTML
}

// trendPoint is one sealed period.
type trendPoint struct {
	// Period is the day the period starts.
	Period   string
	Health   v1alpha1.Health
	ByHealth v1alpha1.HealthCounts
	// Variance says the variance in words, with the currency: an overrun
	// or underrun of an amount, or unknown when the report's totals were
	// incomplete.
	Variance string
	variance *inf.Dec
}

// trend is a parent's trend, or nil when the viewer may not have its
// reports or it has no sealed snapshot yet.
func (q *request) trend(r ref) *trendView {
	if !q.mayDownload(r) {
		return nil
	}
	snapshots, err := q.source.Snapshots(q.Context(), r.Kind, r.Namespace, r.Name)
	if err != nil {
		return nil
	}
	return trendOf(snapshots)
}

// trendOf reads the sealed snapshots' reports, oldest period first, the
// latest trendPeriods of them; nil when there is none.
func trendOf(snapshots []corev1.ConfigMap) *trendView {
	snapshots = slices.Clone(snapshots)
	slices.SortFunc(snapshots, func(a, b corev1.ConfigMap) int {
		return cmp.Compare(a.Annotations[v1alpha1.AnnotationPeriodStart], b.Annotations[v1alpha1.AnnotationPeriodStart])
	})
	t := &trendView{}
	for _, cm := range snapshots {
		if cm.Annotations[v1alpha1.AnnotationSnapshotState] != v1alpha1.SnapshotSealed {
			continue
		}
		var rep report.Report
		if err := json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &rep); err != nil || rep.SchemaVersion != report.SchemaVersion {
			continue
		}
		p := trendPoint{Period: periodDay(cm.Annotations[v1alpha1.AnnotationPeriodStart]), Health: rep.Health, ByHealth: rep.Counts.ByHealth}
		if v, ok := new(inf.Dec).SetString(rep.Totals.Variance); ok && rep.Totals.Variance != "" {
			p.variance = v
		}
		p.Variance = varianceWords(p.variance, v1alpha1.Currency(rep.Currency))
		t.Points = append(t.Points, p)
		t.Currency = v1alpha1.Currency(rep.Currency)
	}
	if len(t.Points) == 0 {
		return nil
	}
	t.Points = t.Points[max(0, len(t.Points)-trendPeriods):]
	t.Health = healthSparkline(t.Points)
	t.Variance = varianceSparkline(t.Points, t.Currency)
	return t
}

// periodDay is the day of an RFC 3339 period start.
func periodDay(start string) string {
	if len(start) >= len("2006-01-02") {
		return start[:len("2006-01-02")]
	}
	return start
}
