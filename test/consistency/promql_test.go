/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

// The Grafana dashboard's queries, evaluated by Prometheus's own PromQL
// engine (github.com/prometheus/prometheus/promql) over a storage holding
// the samples of one real scrape of the operator, labelled as Prometheus
// labels a scraped target (job, instance). The storage is the smallest
// that engine reads: every series has the one sample of the scrape.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/util/annotations"
)

// parseScrape reads a scrape in the Prometheus text format: gauges,
// counters and untyped samples (histograms and summaries, which no
// dashboard query reads, are left out).
func parseScrape(body io.Reader) (scraped, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(body)
	if err != nil {
		return nil, err
	}
	out := scraped{}
	for name, fam := range families {
		for _, m := range fam.GetMetric() {
			var v float64
			switch fam.GetType() {
			case dto.MetricType_GAUGE:
				v = m.GetGauge().GetValue()
			case dto.MetricType_COUNTER:
				v = m.GetCounter().GetValue()
			case dto.MetricType_UNTYPED:
				v = m.GetUntyped().GetValue()
			default:
				continue
			}
			ls := map[string]string{}
			for _, lp := range m.GetLabel() {
				ls[lp.GetName()] = lp.GetValue()
			}
			out[name] = append(out[name], series{labels: ls, value: v})
		}
	}
	return out, nil
}

// sample is one float sample.
type sample struct {
	t int64
	f float64
}

func (s sample) T() int64                      { return s.t }
func (s sample) ST() int64                     { return 0 }
func (s sample) F() float64                    { return s.f }
func (s sample) H() *histogram.Histogram       { return nil }
func (s sample) FH() *histogram.FloatHistogram { return nil }
func (s sample) Type() chunkenc.ValueType      { return chunkenc.ValFloat }
func (s sample) Copy() chunks.Sample           { return s }

// seriesSet iterates over a slice of series.
type seriesSet struct {
	series []storage.Series
	i      int
}

func (s *seriesSet) Next() bool                        { s.i++; return s.i <= len(s.series) }
func (s *seriesSet) At() storage.Series                { return s.series[s.i-1] }
func (s *seriesSet) Err() error                        { return nil }
func (s *seriesSet) Warnings() annotations.Annotations { return nil }

// storageOf holds a scrape taken at t, labelled with job and instance as
// Prometheus labels the samples of a target.
func storageOf(m scraped, t time.Time, job, instance string) storage.Queryable {
	var all []storage.Series
	for name, ss := range m {
		for _, s := range ss {
			b := labels.NewScratchBuilder(len(s.labels) + 3)
			b.Add(labels.MetricName, name)
			b.Add("job", job)
			b.Add("instance", instance)
			for k, v := range s.labels {
				b.Add(k, v)
			}
			b.Sort()
			all = append(all, storage.NewListSeries(b.Labels(), []chunks.Sample{sample{t: t.UnixMilli(), f: s.value}}))
		}
	}
	sort.Slice(all, func(i, j int) bool { return labels.Compare(all[i].Labels(), all[j].Labels()) < 0 })
	querier := &storage.MockQuerier{SelectMockFunction: func(_ bool, _ *storage.SelectHints, matchers ...*labels.Matcher) storage.SeriesSet {
		var out []storage.Series
	next:
		for _, s := range all {
			for _, m := range matchers {
				if !m.Matches(s.Labels().Get(m.Name)) {
					continue next
				}
			}
			out = append(out, s)
		}
		return &seriesSet{series: out}
	}}
	return &storage.MockQueryable{MockQuerier: querier}
}

// dashboard is the part of a Grafana dashboard the test reads.
type dashboard struct {
	Panels []struct {
		ID      int    `json:"id"`
		Title   string `json:"title"`
		Targets []struct {
			RefID string `json:"refId"`
			Expr  string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
}

func readDashboard(path string) (dashboard, error) {
	var d dashboard
	data, err := os.ReadFile(path)
	if err != nil {
		return d, err
	}
	return d, json.Unmarshal(data, &d)
}

// result is a query's instant vector: each element's labels and value.
type result []series

// evaluate runs a dashboard query at t as Grafana sends it, with the
// namespace variable set to a regular expression (".*" for All).
func evaluate(ctx context.Context, engine *promql.Engine, q storage.Queryable, expr, namespace string, t time.Time) (result, error) {
	expr = strings.ReplaceAll(expr, "$namespace", namespace)
	query, err := engine.NewInstantQuery(ctx, q, nil, expr, t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", expr, err)
	}
	defer query.Close()
	res := query.Exec(ctx)
	if res.Err != nil {
		return nil, fmt.Errorf("%s: %w", expr, res.Err)
	}
	var out result
	switch v := res.Value.(type) {
	case promql.Vector:
		for _, s := range v {
			out = append(out, series{labels: s.Metric.Map(), value: s.F})
		}
	case promql.Scalar:
		out = append(out, series{labels: map[string]string{}, value: v.V})
	default:
		return nil, fmt.Errorf("%s: a %s, not an instant vector", expr, res.Value.Type())
	}
	return out, nil
}

// byLabels renders a result as "label=value,... → value" lines, keeping
// only the labels named, sorted, for comparison.
func (r result) byLabels(names ...string) string {
	lines := make([]string, 0, len(r))
	for _, s := range r {
		parts := make([]string, 0, len(names))
		for _, n := range names {
			parts = append(parts, n+"="+s.labels[n])
		}
		lines = append(lines, fmt.Sprintf("{%s} %.9g", strings.Join(parts, ","), s.value))
	}
	sort.Strings(lines)
	return strings.Join(lines, "; ")
}
