/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// One scrape holds controller-runtime's metrics and the governance
// metrics, as one valid exposition, compressed when the scraper accepts
// it: in the protobuf format, with the native buckets of a histogram, when
// the scraper prefers it, else in the text format.
func TestScrapeServesBothAsOneExposition(t *testing.T) {
	registry := prometheus.NewRegistry()
	reconciles := prometheus.NewCounter(prometheus.CounterOpts{Name: "controller_runtime_reconcile_total", Help: "Reconciles."})
	reconciles.Add(3)
	latency := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "controller_runtime_webhook_latency_seconds", Help: "Latency.",
		Buckets: prometheus.ExponentialBuckets(10e-9, 10, 12), NativeHistogramBucketFactor: 1.1})
	latency.Observe(0.042)
	registry.MustRegister(reconciles, latency)
	health := newFamily("p3o_project_health", "Health of a project.", "namespace", "project", "health")
	stale := newFamily("p3o_project_stale", "Whether a project's progress is stale.", "namespace", "project")
	handler := appending(promhttp.HandlerFor(registry, promhttp.HandlerOpts{}), func(_ context.Context, w io.Writer) error {
		t := &textWriter{w: bufio.NewWriter(w)}
		t.gauge(health, 1, "p3o-central", "erp", "Red")
		t.gauge(health, 0, "p3o-central", "erp", "Green")
		t.gauge(stale, 1, "p3o-central", "erp")
		return t.w.Flush()
	})

	const protobuf = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
	for _, tc := range []struct {
		name, accept, encoding string
		format                 expfmt.FormatType
	}{
		{"Prometheus preferring protobuf, with gzip", protobuf + ";q=0.7,text/plain;version=0.0.4;q=0.3", "gzip", expfmt.TypeProtoDelim},
		{"protobuf, uncompressed", protobuf, "", expfmt.TypeProtoDelim},
		{"Prometheus preferring text", protobuf + ";q=0.3,text/plain;version=0.0.4;q=0.7", "", expfmt.TypeTextPlain},
		{"OpenMetrics, uncompressed", "application/openmetrics-text;version=1.0.0", "", expfmt.TypeTextPlain},
		{"curl", "*/*", "", expfmt.TypeTextPlain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, MetricsPath, nil)
			req.Header.Set("Accept", tc.accept)
			if tc.encoding != "" {
				req.Header.Set("Accept-Encoding", tc.encoding)
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			format := expfmt.ResponseFormat(rec.Header())
			if format.FormatType() != tc.format {
				t.Fatalf("Content-Type %q, want format %v", rec.Header().Get("Content-Type"), tc.format)
			}
			var body io.Reader = rec.Body
			if tc.encoding == "gzip" {
				if rec.Header().Get("Content-Encoding") != "gzip" {
					t.Fatalf("not compressed: %v", rec.Header())
				}
				gz, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = gz
			} else if rec.Header().Get("Content-Encoding") != "" {
				t.Errorf("compressed for a scraper that did not ask: %v", rec.Header())
			}
			families, err := decodeAll(body, format)
			if err != nil {
				t.Fatalf("not one valid exposition: %v", err)
			}
			spans := families["controller_runtime_webhook_latency_seconds"].GetMetric()[0].GetHistogram().GetPositiveSpan()
			if native := len(spans) > 0; native != (tc.format == expfmt.TypeProtoDelim) {
				t.Errorf("native buckets served: %v", spans)
			}
			if got := families["controller_runtime_reconcile_total"].GetMetric(); len(got) != 1 || got[0].GetCounter().GetValue() != 3 {
				t.Errorf("controller-runtime's metrics: %v", got)
			}
			red := 0.0
			for _, m := range families["p3o_project_health"].GetMetric() {
				for _, l := range m.GetLabel() {
					if l.GetName() == "health" && l.GetValue() == "Red" {
						red = m.GetGauge().GetValue()
					}
				}
			}
			if len(families["p3o_project_health"].GetMetric()) != 2 || red != 1 {
				t.Errorf("the governance metrics: %v", families["p3o_project_health"])
			}
			if got := families["p3o_project_stale"].GetMetric(); len(got) != 1 || got[0].GetGauge().GetValue() != 1 {
				t.Errorf("the second governance family: %v", got)
			}
		})
	}
}

// Other paths on the metrics server (the profiles) and a refused scrape
// are served as they are, with nothing added.
func TestOnlyAScrapeOfMetricsGetsTheGovernanceMetrics(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == MetricsPath {
			http.Error(w, "the metrics are unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "a profile")
	})
	handler := appending(next, func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, "p3o_project_stale 1\n")
		return err
	})
	for path, want := range map[string]struct {
		code int
		body string
	}{
		"/debug/pprof/heap": {http.StatusOK, "a profile"},
		MetricsPath:         {http.StatusServiceUnavailable, "the metrics are unavailable\n"},
	} {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want.code || rec.Body.String() != want.body || strings.Contains(rec.Body.String(), "p3o_") {
			t.Errorf("%s: %d %q, want %d %q", path, rec.Code, rec.Body, want.code, want.body)
		}
	}
}

// decodeAll reads every family of an exposition in format.
func decodeAll(r io.Reader, format expfmt.Format) (map[string]*dto.MetricFamily, error) {
	if format.FormatType() == expfmt.TypeTextPlain {
		parser := expfmt.NewTextParser(model.UTF8Validation)
		return parser.TextToMetricFamilies(r)
	}
	out := map[string]*dto.MetricFamily{}
	dec := expfmt.NewDecoder(r, format)
	for {
		var mf dto.MetricFamily
		if err := dec.Decode(&mf); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		if _, twice := out[mf.GetName()]; twice {
			return nil, fmt.Errorf("family %s twice", mf.GetName())
		}
		out[mf.GetName()] = &mf
	}
}

// The conversion to protobuf holds one family at a time, and gets every
// family and series right however the text is cut into writes.
func TestProtobufConversionFamilyByFamily(t *testing.T) {
	text := "# HELP a_total A.\n# TYPE a_total gauge\na_total{x=\"1\"} 1\na_total{x=\"2\"} 2\n" +
		"# HELP b B.\n# TYPE b gauge\nb 3\n" +
		"# HELP c C.\n# TYPE c gauge\nc{y=\"z\"} 4\n"
	format := expfmt.NewFormat(expfmt.TypeProtoDelim)
	for _, size := range []int{1, 7, len(text)} {
		var out bytes.Buffer
		p := &protobufWriter{enc: expfmt.NewEncoder(&out, format)}
		for rest := text; len(rest) > 0; {
			n := min(size, len(rest))
			if _, err := p.Write([]byte(rest[:n])); err != nil {
				t.Fatal(err)
			}
			if p.family.Len() > len("# HELP a_total A.\n# TYPE a_total gauge\na_total{x=\"1\"} 1\na_total{x=\"2\"} 2\n") {
				t.Fatalf("writes of %d bytes: held %d bytes, more than one family", size, p.family.Len())
			}
			rest = rest[n:]
		}
		if err := p.close(); err != nil {
			t.Fatal(err)
		}
		families, err := decodeAll(&out, format)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for name, f := range families {
			got[name] = len(f.GetMetric())
		}
		if want := map[string]int{"a_total": 2, "b": 1, "c": 1}; !maps.Equal(got, want) {
			t.Errorf("writes of %d bytes: series by family %v, want %v", size, got, want)
		}
	}
}
