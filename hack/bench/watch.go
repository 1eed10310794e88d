/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Watching writes: the API server's write counters, watches of when each
// object changed, and the latency of single-project edits.

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// writeLog records when each object of the watched kinds changed, from a
// watch (every write that changes an object is one MODIFIED event).
type writeLog struct {
	mu    sync.Mutex
	times map[string][]time.Time // "Kind name" → when it changed
}

// most names the object that changed most often, and how often.
func (w *writeLog) most() (string, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	name, most := "", 0
	for k, t := range w.times {
		if n := len(t); n > most || (n == most && k < name) {
			name, most = k, n
		}
	}
	return name, most
}

// during lists when the object key changed in (from, to].
func (w *writeLog) during(key string, from, to time.Time) []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	var times []time.Time
	for _, at := range w.times[key] {
		if at.After(from) && !at.After(to) {
			times = append(times, at)
		}
	}
	return times
}

// between lists the objects of kind that changed in (from, to].
func (w *writeLog) between(kind string, from, to time.Time) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var names []string
	for k, times := range w.times {
		if !strings.HasPrefix(k, kind+" ") {
			continue
		}
		for _, at := range times {
			if at.After(from) && !at.After(to) {
				names = append(names, strings.TrimPrefix(k, kind+" "))
				break
			}
		}
	}
	sort.Strings(names)
	return names
}

// watchWrites watches the kinds of lists (kind → list) in ns until
// stopped.
func watchWrites(ctx context.Context, cfg *rest.Config, scheme *runtime.Scheme, ns string, lists map[string]client.ObjectList) (*writeLog, func(), error) {
	c, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &writeLog{times: map[string][]time.Time{}}
	var wg sync.WaitGroup
	for kind, list := range lists {
		// From the current version: no initial events for what exists.
		if err := c.List(ctx, list, client.InNamespace(ns), client.Limit(1)); err != nil {
			cancel()
			wg.Wait()
			return nil, nil, fmt.Errorf("listing %s: %w", kind, err)
		}
		watcher, err := c.Watch(ctx, list, client.InNamespace(ns), &client.ListOptions{Raw: &metav1.ListOptions{ResourceVersion: list.GetResourceVersion()}})
		if err != nil {
			cancel()
			wg.Wait()
			return nil, nil, fmt.Errorf("watching %s: %w", kind, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer watcher.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case e, ok := <-watcher.ResultChan():
					if !ok {
						return
					}
					if o, isObject := e.Object.(client.Object); isObject && e.Type == watch.Modified {
						now := time.Now()
						w.mu.Lock()
						w.times[kind+" "+o.GetName()] = append(w.times[kind+" "+o.GetName()], now)
						w.mu.Unlock()
					}
				}
			}
		}()
	}
	var once sync.Once
	return w, func() { once.Do(func() { cancel(); wg.Wait() }) }, nil
}

// parentLists are the parent kinds, whose writes during convergence are
// counted.
func parentLists() map[string]client.ObjectList {
	return map[string]client.ObjectList{"Office": &v1alpha1.OfficeList{}, "Portfolio": &v1alpha1.PortfolioList{}, "Programme": &v1alpha1.ProgrammeList{}}
}

// writeCounts are the API server's counts of writes.
type writeCounts struct {
	status, reports int
	// byResource counts status writes per governance resource.
	byResource map[string]int
}

var requestLine = regexp.MustCompile(`^apiserver_request_total\{(.*)\} ([0-9.e+]+)$`)

// writes reads the API server's request counters: status writes to the
// governance kinds, and writes to ConfigMaps (reports).
func writes(ctx context.Context, cfg *rest.Config) (writeCounts, error) {
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return writeCounts{}, err
	}
	body, err := dc.RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return writeCounts{}, fmt.Errorf("reading the API server's metrics: %w", err)
	}
	out := writeCounts{byResource: map[string]int{}}
	scanner := bufio.NewScanner(bytes.NewReader(body))
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		m := requestLine.FindStringSubmatch(scanner.Text())
		if m == nil {
			continue
		}
		labels := map[string]string{}
		for _, kv := range strings.Split(m[1], ",") {
			k, v, _ := strings.Cut(kv, "=")
			labels[k] = strings.Trim(v, `"`)
		}
		switch labels["verb"] {
		case "POST", "PUT", "PATCH", "DELETE", "APPLY":
		default:
			continue
		}
		n, _ := strconv.ParseFloat(m[2], 64)
		switch {
		case labels["group"] == "governance.p3o.dev" && labels["subresource"] == "status":
			out.status += int(n)
			out.byResource[labels["resource"]] += int(n)
		case labels["resource"] == "configmaps":
			out.reports += int(n)
		}
	}
	return out, scanner.Err()
}

// settle waits until five seconds pass without a write and returns the
// counts then.
func settle(ctx context.Context, cfg *rest.Config) (writeCounts, error) {
	last, err := writes(ctx, cfg)
	if err != nil {
		return last, err
	}
	for {
		time.Sleep(5 * time.Second)
		now, err := writes(ctx, cfg)
		if err != nil || now.status+now.reports == last.status+last.reports {
			return now, err
		}
		last = now
	}
}

// SlowEdit is how long an edit may take to reach the office before the
// bench explains where its time went: when each object of the project's
// chain was written, and which reports were written meanwhile.
const SlowEdit = time.Second

// propagate edits one project's forecast at a time and times until the hub
// office's forecast total reflects it. Edits slower than SlowEdit are
// explained from log, a watch of the chain's kinds and the reports.
func propagate(ctx context.Context, c client.Client, org *organisation, edits int, log *writeLog) ([]time.Duration, error) {
	total := org.forecastTotal.Value()
	var latencies []time.Duration
	for i := range edits {
		p := org.projects[(i*7919)%len(org.projects)]
		f := org.forecastByName[p.Name] + 1000
		patch := []byte(fmt.Sprintf(`{"spec":{"progress":{"forecastCost":"%d"}}}`, f))
		total += f - org.forecastByName[p.Name]
		org.forecastByName[p.Name] = f
		start := time.Now()
		if err := c.Patch(ctx, p, client.RawPatch("application/merge-patch+json", patch)); err != nil {
			return nil, err
		}
		want := resource.NewQuantity(total, resource.DecimalSI)
		for {
			hub := &v1alpha1.Office{}
			if err := c.Get(ctx, client.ObjectKeyFromObject(org.hub), hub); err != nil {
				return nil, err
			}
			if sameAmount(hub.Status.Rollup.Money.ForecastCost, *want) {
				break
			}
			if time.Since(start) > time.Minute {
				return nil, fmt.Errorf("edit %d of %s not reflected on the office within a minute", i, p.Name)
			}
			time.Sleep(10 * time.Millisecond)
		}
		took := time.Since(start)
		latencies = append(latencies, took)
		org.forecastTotal = *want
		if took > SlowEdit && log != nil {
			end := time.Now()
			time.Sleep(100 * time.Millisecond) // the watch's last events
			logf("edit %d took %s: %s", i, took.Round(time.Millisecond), explain(log, org.chain(p), start, end))
		}
	}
	return latencies, nil
}

// explain says when each object of chain was written from start until
// end, and which reports were written meanwhile.
func explain(log *writeLog, chain []string, start, end time.Time) string {
	var parts []string
	for _, key := range chain {
		var at []string
		for _, t := range log.during(key, start, end) {
			at = append(at, fmt.Sprintf("+%d", t.Sub(start).Milliseconds()))
		}
		if len(at) == 0 {
			at = []string{"none"}
		}
		parts = append(parts, key+" "+strings.Join(at, " "))
	}
	return "writes (ms) " + strings.Join(parts, ", ") + "; reports written: " + strings.Join(log.between("ConfigMap", start, end), " ")
}

func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s))+0.5) - 1
	i = max(0, min(i, len(s)-1))
	return float64(s[i].Microseconds()) / 1000
}
