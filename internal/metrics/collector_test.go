/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/prometheus/promql/parser"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// The Grafana dashboard queries only metrics the operator exports.
func TestDashboardQueriesExportedMetrics(t *testing.T) {
	data, err := os.ReadFile("../../config/grafana/p3o-overview.json")
	if err != nil {
		t.Fatal(err)
	}
	var dashboard struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dashboard); err != nil {
		t.Fatalf("the dashboard is not valid JSON: %v", err)
	}
	if len(dashboard.Panels) == 0 {
		t.Fatal("the dashboard has no panels")
	}
	metric := regexp.MustCompile(`\bp3o_[a-z0-9_]+\b`)
	promql := parser.NewParser(parser.Options{})
	for _, p := range dashboard.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			// As Grafana sends it with the variable at All.
			if _, err := promql.ParseExpr(strings.ReplaceAll(target.Expr, "$namespace", ".*")); err != nil {
				t.Errorf("panel %q: the query is not PromQL: %v\n%s", p.Title, err, target.Expr)
			}
			names := metric.FindAllString(target.Expr, -1)
			if len(names) == 0 {
				t.Errorf("panel %q queries no p3o metric: %s", p.Title, target.Expr)
			}
			for _, name := range names {
				if !slices.Contains(MetricNames, name) {
					t.Errorf("panel %q queries %s, which the operator does not export", p.Title, name)
				}
			}
		}
	}
}

// MetricNames names exactly the metrics the collector describes.
func TestMetricNamesMatchTheCollector(t *testing.T) {
	ch := make(chan *prometheus.Desc, 64)
	(&Collector{}).Describe(ch)
	close(ch)
	fqName := regexp.MustCompile(`fqName: "([a-z0-9_]+)"`)
	var described []string
	for d := range ch {
		described = append(described, fqName.FindStringSubmatch(d.String())[1])
	}
	slices.Sort(described)
	names := slices.Clone(MetricNames)
	slices.Sort(names)
	if !slices.Equal(described, names) {
		t.Errorf("described %v\nMetricNames %v", described, names)
	}
}

// Stale follows the reporting rule of internal/health: only Initiating,
// Delivering and Closing projects are held to the cadence; no report at all
// is stale; a report is stale from asOf + cadence on.
func TestStale(t *testing.T) {
	const day = 24 * time.Hour
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	reported := func(asOf string) *v1alpha1.Progress { return &v1alpha1.Progress{AsOf: v1alpha1.Date(asOf)} }
	for _, tc := range []struct {
		name     string
		phase    v1alpha1.ProjectPhase
		progress *v1alpha1.Progress
		cadence  time.Duration
		want     bool
	}{
		{"delivering, fresh", v1alpha1.ProjectDelivering, reported("2026-11-20"), 28 * day, false},
		{"delivering, 28 days old is stale", v1alpha1.ProjectDelivering, reported("2026-10-30"), 28 * day, true},
		{"delivering, just under 28 days", v1alpha1.ProjectDelivering, reported("2026-10-31"), 28 * day, false},
		{"initiating, beyond a 2w cadence", v1alpha1.ProjectInitiating, reported("2026-11-07"), 14 * day, true},
		{"closing, never reported", v1alpha1.ProjectClosing, nil, 28 * day, true},
		{"delivering, dated ahead", v1alpha1.ProjectDelivering, reported("2026-12-24"), 28 * day, false},
		{"starting up, never reported", v1alpha1.ProjectStartingUp, nil, 28 * day, false},
		{"starting up, old report", v1alpha1.ProjectStartingUp, reported("2026-01-01"), 28 * day, false},
		{"phase unset (StartingUp)", "", nil, 28 * day, false},
		{"closed, old report", v1alpha1.ProjectClosed, reported("2026-01-01"), 28 * day, false},
		{"unparsable date", v1alpha1.ProjectDelivering, reported("2026-13-01"), 28 * day, false},
	} {
		spec := v1alpha1.ProjectSpec{Phase: tc.phase, Progress: tc.progress}
		if got := Stale(spec, tc.cadence, now); got != tc.want {
			t.Errorf("%s: Stale = %v, want %v", tc.name, got, tc.want)
		}
	}
}
