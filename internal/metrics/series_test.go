/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bufio"
	"bytes"
	"math"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// clientLibraryText renders series as the client library does: constant
// metrics gathered by a pedantic registry (which checks every series
// against its description), in the text format.
func clientLibraryText(t *testing.T, f *family, values []float64, series [][]string) string {
	t.Helper()
	desc := prometheus.NewDesc(f.name, f.help, f.labels, nil)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(collectorFunc{desc, func(ch chan<- prometheus.Metric) {
		for i, s := range series {
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, values[i], s...)
		}
	}})
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, mf := range families {
		if _, err := expfmt.MetricFamilyToText(&out, mf); err != nil {
			t.Fatal(err)
		}
	}
	return out.String()
}

type collectorFunc struct {
	desc    *prometheus.Desc
	collect func(ch chan<- prometheus.Metric)
}

func (c collectorFunc) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }
func (c collectorFunc) Collect(ch chan<- prometheus.Metric) { c.collect(ch) }

// Series written as they come expose exactly what the client library
// exposes for the same series: labels in name order, values escaped,
// numbers formatted alike.
func TestWrittenSeriesExposeAsTheClientLibraryDoes(t *testing.T) {
	f := newFamily("p3o_test_health", "Health of a test object.\nA second line with a \\ backslash.", "project", "namespace", "health")
	// In the order the client library sorts series (by label values, in
	// label name order), so that the two texts compare as they are.
	series := [][]string{{"b", "ns-1", "Amber"}, {"a", "ns-1", "Green"}, {"b", "ns-2", "Green"}, {`q"uo\te`, "ns-1", "Red"}, {"new\nline", "ns-1", "Unknown"}}
	values := []float64{0, 1, -1, 1234567.891, math.Inf(1)}
	var out bytes.Buffer
	w := &textWriter{w: bufio.NewWriter(&out)}
	for i, s := range series {
		w.gauge(f, values[i], s...)
	}
	if err := w.w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := clientLibraryText(t, f, values, series); out.String() != want {
		t.Errorf("written\n%s\nthe client library writes\n%s", out.String(), want)
	}
}
