/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// The operator's memory, sampled while it runs, and its pprof profiles.

package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memoryWatch samples the operator's heap in use (from its metrics) and
// reads its peak RSS (VmHWM) from /proc.
type memoryWatch struct {
	pid     int
	metrics string
	mu      sync.Mutex
	heap    float64
	rss     float64
	// nowRSS and nowHeap are the latest samples.
	nowRSS, nowHeap float64
	stop            chan struct{}
	once            sync.Once
}

var heapLine = regexp.MustCompile(`^go_memstats_heap_inuse_bytes ([0-9.e+]+)$`)

// heapSampleEvery is how often the heap is read from the operator's
// metrics: as often as a Prometheus would scrape it. A scrape renders every
// project's series, so scraping every second would cost the operator
// more CPU than it spends reconciling.
const heapSampleEvery = 15

func (m *memoryWatch) watch() func() {
	m.stop = make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			m.sampleRSS()
			if i%heapSampleEvery == 0 {
				m.sampleHeap()
			}
			select {
			case <-m.stop:
				return
			case <-time.After(time.Second):
			}
		}
	}()
	return func() { m.once.Do(func() { close(m.stop); m.sampleRSS(); m.sampleHeap() }) }
}

// sampleRSS reads the peak resident set size the kernel kept (VmHWM), so
// that no peak between two samples is missed.
func (m *memoryWatch) sampleRSS() {
	if status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", m.pid)); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && (f[0] == "VmHWM:" || f[0] == "VmRSS:") {
				kb, _ := strconv.ParseFloat(f[1], 64)
				m.mu.Lock()
				if f[0] == "VmHWM:" {
					m.rss = max(m.rss, kb/1024)
				} else {
					m.nowRSS = kb / 1024
				}
				m.mu.Unlock()
			}
		}
	}
}

// sampleHeap reads the heap in use from the operator's metrics.
func (m *memoryWatch) sampleHeap() {
	resp, err := http.Get("http://" + m.metrics + "/metrics")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if mm := heapLine.FindStringSubmatch(line); mm != nil {
			v, _ := strconv.ParseFloat(mm[1], 64)
			m.mu.Lock()
			m.heap, m.nowHeap = max(m.heap, v/(1<<20)), v/(1<<20)
			m.mu.Unlock()
		}
	}
}

// current is the latest RSS and heap in use.
func (m *memoryWatch) current() (float64, float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.nowRSS, m.nowHeap
}

func (m *memoryWatch) peakRSS() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rss
}

func (m *memoryWatch) peaks() (float64, float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rss, m.heap
}

// saveProfile writes one of the operator's pprof profiles to file.
func saveProfile(metricsAddress, profile, file string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	// A profile asked for at the operator's start waits for its server.
	var resp *http.Response
	var err error
	for try := 0; ; try++ {
		resp, err = http.Get("http://" + metricsAddress + "/debug/pprof/" + profile)
		if err == nil || try == 100 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("profiling the operator: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profiling the operator: %s", resp.Status)
	}
	out, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		out.Close()
		return err
	}
	logf("wrote %s", file)
	return out.Close()
}
