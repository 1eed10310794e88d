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

	"github.com/prometheus/prometheus/promql/parser"
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

// Every metric has a name of its own, a help text and the labels it is
// documented with, each once.
func TestEveryMetricIsDescribedOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range families {
		if seen[f.name] || !strings.HasPrefix(f.name, "p3o_") || f.help == "" {
			t.Errorf("metric %q: a duplicate, not p3o_, or without help", f.name)
		}
		seen[f.name] = true
		if labels := slices.Compact(slices.Sorted(slices.Values(f.labels))); len(labels) != len(f.labels) {
			t.Errorf("metric %s repeats a label: %v", f.name, f.labels)
		}
	}
	if len(MetricNames) != len(families) || len(Labels()) != len(families) {
		t.Errorf("MetricNames %v and Labels %v do not list every family", MetricNames, Labels())
	}
}
