/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bytes"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// collectorFunc is a prometheus.Collector of one family.
type collectorFunc struct {
	f       *family
	collect func(ch chan<- prometheus.Metric)
}

func (c collectorFunc) Describe(ch chan<- *prometheus.Desc) { ch <- c.f.desc }
func (c collectorFunc) Collect(ch chan<- prometheus.Metric) { c.collect(ch) }

// gatherText gathers c with a pedantic registry (which checks every series
// against its description) and renders the text exposition.
func gatherText(t *testing.T, c prometheus.Collector) string {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
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

// Series with shared label pairs expose exactly what the client library's
// own constant metrics expose, labels given in any order.
func TestSharedLabelSeriesExposeAsConstMetrics(t *testing.T) {
	f := newFamily("p3o_test_health", "Health of a test object.", "project", "namespace", "health")
	series := [][]string{{"a", "ns-1", "Green"}, {"a", "ns-1", "Red"}, {"b", "ns-2", "Green"}, {"b", "ns-1", "Amber"}}
	shared := gatherText(t, collectorFunc{f, func(ch chan<- prometheus.Metric) {
		pairs := newLabelPairs()
		for i, s := range series {
			ch <- pairs.gauge(f, float64(i), s...)
		}
	}})
	constant := gatherText(t, collectorFunc{f, func(ch chan<- prometheus.Metric) {
		for i, s := range series {
			ch <- prometheus.MustNewConstMetric(f.desc, prometheus.GaugeValue, float64(i), s...)
		}
	}})
	if shared != constant {
		t.Errorf("shared-label series expose\n%s\nconstant metrics expose\n%s", shared, constant)
	}
	if want := `p3o_test_health{health="Amber",namespace="ns-1",project="b"} 3`; !bytes.Contains([]byte(shared), []byte(want)) {
		t.Errorf("exposition lacks %s:\n%s", want, shared)
	}
}
