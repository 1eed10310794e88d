/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"sort"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// family is a gauge metric with its variable labels.
type family struct {
	desc   *prometheus.Desc
	labels []string
	// order lists the label indexes sorted by label name, the order a
	// series' label pairs are given in.
	order []int
}

func newFamily(name, help string, labels ...string) *family {
	order := make([]int, len(labels))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return labels[order[a]] < labels[order[b]] })
	return &family{desc: prometheus.NewDesc(name, help, labels, nil), labels: labels, order: order}
}

// labelPairs hands out the label pairs of one scrape's series, one per
// distinct label name and value, shared by every series that has it: a
// scrape of 10,000 projects then holds one pair per project and label
// instead of one per series (fourteen a project). A gathered series'
// label pairs are immutable by the client library's contract, so sharing
// them is safe.
type labelPairs struct {
	pairs map[[2]string]*dto.LabelPair
}

func newLabelPairs() *labelPairs { return &labelPairs{pairs: map[[2]string]*dto.LabelPair{}} }

func (l *labelPairs) pair(name, value string) *dto.LabelPair {
	key := [2]string{name, value}
	p, ok := l.pairs[key]
	if !ok {
		p = &dto.LabelPair{Name: &name, Value: &value}
		l.pairs[key] = p
	}
	return p
}

// gauge is one series of f with the label values in f's label order. It
// panics when the number of values is wrong, as the client library's own
// constructors do: that is a bug in this package.
func (l *labelPairs) gauge(f *family, value float64, values ...string) prometheus.Metric {
	if len(values) != len(f.labels) {
		panic("metrics: " + f.desc.String() + ": wrong number of label values")
	}
	pairs := make([]*dto.LabelPair, len(f.order))
	for i, j := range f.order {
		pairs[i] = l.pair(f.labels[j], values[j])
	}
	return &gauge{desc: f.desc, labels: pairs, value: value}
}

// gauge is a series whose label pairs are shared (see labelPairs).
type gauge struct {
	desc   *prometheus.Desc
	labels []*dto.LabelPair
	value  float64
}

func (g *gauge) Desc() *prometheus.Desc { return g.desc }

func (g *gauge) Write(out *dto.Metric) error {
	out.Label = g.labels
	out.Gauge = &dto.Gauge{Value: &g.value}
	return nil
}
