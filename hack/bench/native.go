/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// nativeHistogram is a Prometheus native histogram: its observations by
// bucket index (bucket i holds (base^(i-1), base^i], base = 2^(2^-schema);
// controller-runtime's webhook latency uses a factor of at most 1.1, schema
// 3, so a quantile read from it is within 9%), and its zero bucket. The
// classic buckets of the same histogram are decades: a quantile
// interpolated in (0.1 s, 1 s] says little more than the bucket.
type nativeHistogram struct {
	schema int32
	zero   float64
	counts map[int]float64
}

// nativeWebhookHistogram scrapes the operator's latency histogram of the
// Project webhook in the protobuf exposition format, the one that carries
// native histograms.
func nativeWebhookHistogram(metricsAddress string) (nativeHistogram, error) {
	return scrapeNative("http://"+metricsAddress+"/metrics", "controller_runtime_webhook_latency_seconds", "webhook", projectWebhook)
}

// scrapeNative reads the native histogram name{label="value"} from the
// metrics at url.
func scrapeNative(url, name, label, value string) (nativeHistogram, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nativeHistogram{}, err
	}
	req.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeProtoDelim)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nativeHistogram{}, err
	}
	defer resp.Body.Close()
	format := expfmt.ResponseFormat(resp.Header)
	if format.FormatType() != expfmt.TypeProtoDelim {
		return nativeHistogram{}, fmt.Errorf("the metrics came as %q, not in the protobuf format that carries native histograms", resp.Header.Get("Content-Type"))
	}
	dec := expfmt.NewDecoder(resp.Body, format)
	for {
		var mf dto.MetricFamily
		if err := dec.Decode(&mf); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nativeHistogram{}, fmt.Errorf("reading the operator's metrics: %w", err)
		}
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if labelValue(m, label) == value {
				return nativeOf(m.GetHistogram())
			}
		}
	}
	return nativeHistogram{}, fmt.Errorf("no %s{%s=%q} at %s", name, label, value, url)
}

func labelValue(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// nativeOf reads a histogram's native buckets: spans of consecutive
// indexes, each offset from the end of the one before, with counts
// written as deltas from the bucket before.
func nativeOf(h *dto.Histogram) (nativeHistogram, error) {
	if h == nil || (h.ZeroThreshold == nil && len(h.GetPositiveSpan()) == 0) {
		return nativeHistogram{}, errors.New("the webhook latency histogram has no native buckets")
	}
	n := nativeHistogram{schema: h.GetSchema(), zero: float64(h.GetZeroCount()), counts: map[int]float64{}}
	deltas := h.GetPositiveDelta()
	index, k := 0, 0
	var count int64
	for _, span := range h.GetPositiveSpan() {
		index += int(span.GetOffset())
		for range span.GetLength() {
			if k >= len(deltas) {
				return nativeHistogram{}, errors.New("a native histogram with fewer deltas than its spans hold")
			}
			count += deltas[k]
			k++
			n.counts[index] = float64(count)
			index++
		}
	}
	return n, nil
}

// nativeQuantile is the q-quantile of the observations between two
// scrapes in milliseconds (linear within its bucket), the number of
// observations, and the bucket that holds it.
func nativeQuantile(before, after nativeHistogram, q float64) (float64, int, string, error) {
	if before.schema != after.schema {
		return 0, 0, "", fmt.Errorf("the histogram's resolution changed between the scrapes (schema %d, then %d)", before.schema, after.schema)
	}
	indexes := make([]int, 0, len(after.counts))
	total := after.zero - before.zero
	for i, c := range after.counts {
		indexes = append(indexes, i)
		total += c - before.counts[i]
	}
	if total == 0 {
		return 0, 0, "", nil
	}
	sort.Ints(indexes)
	base := math.Pow(2, math.Pow(2, -float64(after.schema)))
	rank, below := q*total, after.zero-before.zero
	if below >= rank {
		return 0, int(total), "(0, zero threshold]", nil
	}
	for _, i := range indexes {
		count := after.counts[i] - before.counts[i]
		if below+count >= rank {
			lower, upper := math.Pow(base, float64(i-1)), math.Pow(base, float64(i))
			ms := (lower + (upper-lower)*(rank-below)/count) * 1000
			return ms, int(total), fmt.Sprintf("(%.3g ms, %.3g ms]", lower*1000, upper*1000), nil
		}
		below += count
	}
	return 0, int(total), "", errors.New("the quantile lies beyond every bucket")
}
