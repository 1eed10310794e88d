/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"sort"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The quantiles read from a native histogram as client_golang serves it
// (controller-runtime's factor of 1.1, through promhttp's protobuf
// exposition) are within its bucket width of the exact quantiles of what
// was observed between two scrapes.
func TestNativeQuantileAgreesWithTheObservations(t *testing.T) {
	vec := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "latency_seconds",
		Buckets: prometheus.ExponentialBuckets(10e-9, 10, 12), NativeHistogramBucketFactor: 1.1, NativeHistogramMaxBucketNumber: 100},
		[]string{"webhook"})
	registry := prometheus.NewRegistry()
	registry.MustRegister(vec)
	server := httptest.NewServer(promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	defer server.Close()
	h := vec.WithLabelValues("/validate")
	vec.WithLabelValues("/other").Observe(30)
	scrape := func() nativeHistogram {
		n, err := scrapeNative(server.URL, "latency_seconds", "webhook", "/validate")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 { // before the first scrape: not counted
		h.Observe(5 * rng.Float64())
	}
	before := scrape()
	var seen []float64
	for range 2000 {
		v := 0.002 * math.Exp(4*rng.Float64()) // 2 ms to 109 ms
		seen = append(seen, v)
		h.Observe(v)
	}
	after := scrape()
	sort.Float64s(seen)
	for _, q := range []float64{0.5, 0.9, 0.99} {
		got, n, bucket, err := nativeQuantile(before, after, q)
		if err != nil {
			t.Fatal(err)
		}
		exact := seen[int(math.Ceil(q*float64(len(seen))))-1] * 1000
		if n != len(seen) || math.Abs(got-exact)/exact > 0.1 {
			t.Errorf("p%g = %.2f ms of %d (bucket %s); exact %.2f ms of %d", q*100, got, n, bucket, exact, len(seen))
		}
	}
}
