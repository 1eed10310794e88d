/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// One run of the benchmark: its phases on a fresh control plane, and the
// operator it measures.

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
)

func run(ctx context.Context, cfg config, runIndex int) (res Result, err error) {
	binary, err := filepath.Abs(cfg.operator)
	if err != nil {
		return res, err
	}
	logf("starting the control plane")
	cp, err := controlplane.Start()
	if err != nil {
		return res, err
	}
	defer func() { err = errors.Join(err, cp.Stop()) }()

	scheme := runtime.NewScheme()
	_ = clientgoscheme.AddToScheme(scheme)
	_ = v1alpha1.AddToScheme(scheme)
	fast := rest.CopyConfig(cp.Config)
	fast.QPS, fast.Burst = 2000, 4000
	admin, err := client.New(fast, client.Options{Scheme: scheme})
	if err != nil {
		return res, err
	}

	org := generate(cfg)
	logf("creating %d objects", len(org.objects))
	start := time.Now()
	if err := parallel(8, org.objects, func(o client.Object) error { return admin.Create(ctx, o) }); err != nil {
		return res, err
	}
	logf("created in %s", time.Since(start).Round(time.Millisecond))

	res = Result{Offices: cfg.offices, Portfolios: cfg.portfolios, Programmes: cfg.programmes, Projects: cfg.projects,
		Reviews: cfg.reviews, Objects: len(org.objects), QPS: cfg.qps, Burst: cfg.burst, MemoryLimit: cfg.memoryLimit}

	// The floor: one status write per object by a bare client with the
	// operator's client settings, through as many workers as it runs.
	floorCfg := rest.CopyConfig(cp.Config)
	floorCfg.QPS, floorCfg.Burst = float32(cfg.qps), cfg.burst
	floorClient, err := client.New(floorCfg, client.Options{Scheme: scheme})
	if err != nil {
		return res, err
	}
	logf("measuring the floor")
	start = time.Now()
	// A condition, not observedGeneration: the operator must not take the
	// floor's writes for its own.
	floorPatch := []byte(fmt.Sprintf(`{"status":{"conditions":[{"type":"BenchFloor","status":"True","reason":"Floor","message":"","lastTransitionTime":%q}]}}`,
		time.Now().UTC().Format(time.RFC3339)))
	if err := parallel(10, org.objects, func(o client.Object) error {
		return floorClient.Status().Patch(ctx, o, client.RawPatch("application/merge-patch+json", floorPatch))
	}); err != nil {
		return res, err
	}
	res.FloorSeconds = time.Since(start).Seconds()

	before, err := writes(ctx, cp.Config)
	if err != nil {
		return res, err
	}
	parentWrites, stopCounting, err := watchWrites(ctx, fast, scheme, org.ns, parentLists())
	if err != nil {
		return res, err
	}
	defer stopCounting()
	start = time.Now()
	op, stopOperator, err := startOperator(cp, binary, cfg)
	if err != nil {
		return res, err
	}
	defer func() { err = errors.Join(err, stopOperator()) }()
	memory := &memoryWatch{pid: op.PID(), metrics: op.MetricsAddress}
	stopMemory := memory.watch()
	defer stopMemory()
	var cpuProfile chan error
	if cfg.profile != "" {
		// The heap 15 s in, while the caches fill and every object is queued
		// (where the peak RSS has been).
		go func() {
			time.Sleep(15 * time.Second)
			if err := saveProfile(op.MetricsAddress, "heap", filepath.Join(cfg.profile, fmt.Sprintf("heap-start-%d.pprof", runIndex+1))); err != nil {
				logf("%v", err)
			}
		}()
		// The convergence's first minute (most of it at the small and
		// default sizes), where the CPU goes while every object is new.
		cpuProfile = make(chan error, 1)
		go func() {
			cpuProfile <- saveProfile(op.MetricsAddress, "profile?seconds=60", filepath.Join(cfg.profile, fmt.Sprintf("cpu-%d.pprof", runIndex+1)))
		}()
	}

	// Every 10 s: the writes so far by resource and the operator's memory,
	// to see where the convergence spends its time.
	progress := func() {
		w, err := writes(ctx, cp.Config)
		if err != nil {
			return
		}
		done := map[string]int{}
		for k, v := range w.byResource {
			done[k] = v - before.byResource[k]
		}
		rss, heap := memory.current()
		logf("%4.0f s: status writes %v, report writes %d, RSS %.0f MiB (peak %.0f), heap in use %.0f MiB",
			time.Since(start).Seconds(), done, w.reports-before.reports, rss, memory.peakRSS(), heap)
	}
	if err := converge(ctx, admin, org, op, progress); err != nil {
		return res, err
	}
	res.ConvergenceSeconds = time.Since(start).Seconds()
	res.ConvergenceVsFloor = res.ConvergenceSeconds / res.FloorSeconds
	after, err := writes(ctx, cp.Config)
	if err != nil {
		return res, err
	}
	if cfg.profile != "" {
		if err := saveProfile(op.MetricsAddress, "heap", filepath.Join(cfg.profile, fmt.Sprintf("heap-%d.pprof", runIndex+1))); err != nil {
			return res, err
		}
	}
	res.StatusWrites = after.status - before.status
	res.ReportWrites = after.reports - before.reports
	res.StatusWritesPerObj = float64(res.StatusWrites) / float64(len(org.objects))
	res.StatusWritesByKind = map[string]int{}
	for k, v := range after.byResource {
		res.StatusWritesByKind[k] = v - before.byResource[k]
	}
	res.MaxParent, res.MaxParentWrites = parentWrites.most()
	stopCounting()

	// Rollups are throttled and reports coalesced: the last writes of the
	// convergence land a few seconds after the office shows the totals.
	settled, err := settle(ctx, cp.Config)
	if err != nil {
		return res, err
	}
	res.SettledSeconds = time.Since(start).Seconds()
	res.SettledWrites = settled.status + settled.reports - before.status - before.reports
	logf("watching %s of steady state", cfg.steady)
	time.Sleep(cfg.steady)
	steady, err := writes(ctx, cp.Config)
	if err != nil {
		return res, err
	}
	res.SteadySeconds = cfg.steady.Seconds()
	res.SteadyWrites = steady.status + steady.reports - settled.status - settled.reports

	logf("timing %d single-project edits", cfg.edits)
	editWrites, stopWatchingEdits, err := watchWrites(ctx, fast, scheme, org.ns, map[string]client.ObjectList{
		"Office": &v1alpha1.OfficeList{}, "Portfolio": &v1alpha1.PortfolioList{}, "Programme": &v1alpha1.ProgrammeList{},
		"Project": &v1alpha1.ProjectList{}, "ConfigMap": &corev1.ConfigMapList{}})
	if err != nil {
		return res, err
	}
	var editProfile chan error
	if cfg.profile != "" {
		// One CPU profile at a time: the convergence's first minute may
		// outlast a small convergence.
		if cpuProfile != nil {
			if err := <-cpuProfile; err != nil {
				return res, err
			}
			cpuProfile = nil
		}
		// Where the CPU goes while single edits propagate.
		editProfile = make(chan error, 1)
		go func() {
			editProfile <- saveProfile(op.MetricsAddress, "profile?seconds=20", filepath.Join(cfg.profile, fmt.Sprintf("cpu-edits-%d.pprof", runIndex+1)))
		}()
	}
	latencies, err := propagate(ctx, admin, org, cfg.edits, editWrites)
	stopWatchingEdits()
	if err != nil {
		return res, err
	}
	if editProfile != nil {
		if err := <-editProfile; err != nil {
			return res, err
		}
	}
	res.PropagationP50Milli, res.PropagationP99Milli = percentile(latencies, 0.50), percentile(latencies, 0.99)
	stopMemory()
	res.PeakRSSMiB, res.PeakHeapInUseMiB = memory.peaks()
	if cpuProfile != nil {
		if err := <-cpuProfile; err != nil {
			return res, err
		}
	}

	// A restart with nothing changed: every object is looked at again and
	// nothing is written.
	if _, err := settle(ctx, cp.Config); err != nil {
		return res, err
	}
	if err := stopOperator(); err != nil {
		return res, err
	}
	beforeRestart, err := writes(ctx, cp.Config)
	if err != nil {
		return res, err
	}
	logf("restarting the operator")
	start = time.Now()
	op, stopOperator, err = startOperator(cp, binary, cfg)
	if err != nil {
		return res, err
	}
	if err := reverified(ctx, admin, org, op); err != nil {
		return res, err
	}
	res.RestartSeconds = time.Since(start).Seconds()
	afterRestart, err := writes(ctx, cp.Config)
	if err != nil {
		return res, err
	}
	res.RestartWrites = afterRestart.status + afterRestart.reports - beforeRestart.status - beforeRestart.reports
	if res.RestartWrites > 0 {
		written := map[string]int{"reports": afterRestart.reports - beforeRestart.reports}
		for k, v := range afterRestart.byResource {
			if n := v - beforeRestart.byResource[k]; n > 0 {
				written[k] = n
			}
		}
		logf("written after the restart: %v", written)
	}
	if cfg.admissionEdits > 0 {
		if err := measureAdmission(ctx, cp, admin, op, cfg.admissionEdits, &res); err != nil {
			return res, fmt.Errorf("measuring admission: %w", err)
		}
	}
	return res, nil
}

// startOperator starts the operator binary with the benchmark's client
// settings, plain HTTP metrics (sampling the heap then costs no TokenReview
// or SubjectAccessReview that would count as API traffic) and profiling, and
// returns it with a function that stops it once.
func startOperator(cp *controlplane.ControlPlane, binary string, cfg config) (*controlplane.Operator, func() error, error) {
	logFile, err := os.CreateTemp("", "p3o-bench-operator-*.log")
	if err != nil {
		return nil, nil, err
	}
	logf("starting the operator (log: %s, GOMEMLIMIT %q)", logFile.Name(), cfg.memoryLimit)
	// The operator gets GOMEMLIMIT, as the Deployment's env sets it; the
	// bench's own environment must not keep it: the control plane of the
	// next run would inherit it (a kube-apiserver limited to 150 MiB spends
	// most of its CPU collecting garbage).
	restore := func() {}
	if cfg.memoryLimit != "" {
		prev, had := os.LookupEnv("GOMEMLIMIT")
		if err := os.Setenv("GOMEMLIMIT", cfg.memoryLimit); err != nil {
			logFile.Close()
			return nil, nil, err
		}
		restore = func() {
			if had {
				_ = os.Setenv("GOMEMLIMIT", prev)
			} else {
				_ = os.Unsetenv("GOMEMLIMIT")
			}
		}
	}
	args := append([]string{"--metrics-secure=false", "--profiling",
		"--kube-api-qps", strconv.FormatFloat(cfg.qps, 'f', -1, 64), "--kube-api-burst", strconv.Itoa(cfg.burst)},
		strings.Fields(cfg.operatorArgs)...)
	op, err := cp.StartOperator(binary, logFile, args...)
	restore()
	if err != nil {
		logFile.Close()
		return nil, nil, err
	}
	var once sync.Once
	var stopErr error
	return op, func() error {
		once.Do(func() { stopErr = errors.Join(op.Stop(30*time.Second), logFile.Close()) })
		return stopErr
	}, nil
}
