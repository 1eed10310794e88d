/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bufio"
	"math"
	"sort"
	"strconv"
	"strings"
)

// family is a gauge metric with its variable labels.
type family struct {
	name, help string
	labels     []string
	// order lists the label indexes sorted by label name, the order a
	// series' labels are written in (as the client library writes them).
	order []int
}

func newFamily(name, help string, labels ...string) *family {
	order := make([]int, len(labels))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return labels[order[a]] < labels[order[b]] })
	return &family{name: name, help: help, labels: labels, order: order}
}

// textWriter writes gauges in the Prometheus text format (version 0.0.4)
// as they come: a scrape holds no series in memory, however many objects
// there are. A family's series must be written together; its header goes
// before the first (a family without series has none, as in the client
// library's exposition).
type textWriter struct {
	w    *bufio.Writer
	num  []byte
	last *family
}

var (
	helpEscaper  = strings.NewReplacer("\\", `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer("\\", `\\`, "\n", `\n`, "\"", `\"`)
)

// header writes a family's HELP and TYPE lines.
func (t *textWriter) header(f *family) {
	t.w.WriteString("# HELP " + f.name + " ")
	helpEscaper.WriteString(t.w, f.help)
	t.w.WriteString("\n# TYPE " + f.name + " gauge\n")
}

// gauge writes one series of f with the label values in f's label order.
// It panics when the number of values is wrong, as the client library's
// own constructors do: that is a bug in this package.
func (t *textWriter) gauge(f *family, value float64, values ...string) {
	if len(values) != len(f.labels) {
		panic("metrics: " + f.name + ": wrong number of label values")
	}
	if t.last != f {
		t.header(f)
		t.last = f
	}
	t.w.WriteString(f.name)
	for i, j := range f.order {
		if i == 0 {
			t.w.WriteByte('{')
		} else {
			t.w.WriteByte(',')
		}
		t.w.WriteString(f.labels[j] + `="`)
		valueEscaper.WriteString(t.w, values[j])
		t.w.WriteByte('"')
	}
	if len(f.order) > 0 {
		t.w.WriteByte('}')
	}
	t.w.WriteByte(' ')
	t.w.Write(t.formatFloat(value))
	t.w.WriteByte('\n')
}

// formatFloat formats a sample value as the client library does.
func (t *textWriter) formatFloat(f float64) []byte {
	switch {
	case f == 1:
		return []byte("1")
	case f == 0:
		return []byte("0")
	case f == -1:
		return []byte("-1")
	case math.IsNaN(f):
		return []byte("NaN")
	case math.IsInf(f, +1):
		return []byte("+Inf")
	case math.IsInf(f, -1):
		return []byte("-Inf")
	}
	t.num = strconv.AppendFloat(t.num[:0], f, 'g', -1, 64)
	return t.num
}
