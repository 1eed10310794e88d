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

// run measures once, on a fresh control plane: the floor, the operator's
// convergence, steady state, single-project edits, a restart, the
// dashboard and admission, in that order.
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

	b := &bench{ctx: ctx, cfg: cfg, runIndex: runIndex, binary: binary, cp: cp}
	if err := b.create(); err != nil {
		return b.res, err
	}
	defer func() { err = errors.Join(err, b.stop()) }()
	for _, phase := range []func() error{b.measureFloor, b.measureConvergence, b.measureSteadyState, b.measureEdits, b.measureRestart, b.measureDashboard} {
		if err := phase(); err != nil {
			return b.res, err
		}
	}
	if cfg.admissionEdits > 0 {
		if err := measureAdmission(ctx, cp, b.admin, b.op, cfg.admissionEdits, b.admissionProfile(), &b.res); err != nil {
			return b.res, fmt.Errorf("measuring admission: %w", err)
		}
	}
	return b.res, nil
}

// bench is one run: the control plane and its clients, the organisation
// created there, the operator measured, and what the phases hand on to
// each other.
type bench struct {
	ctx      context.Context
	cfg      config
	runIndex int
	binary   string
	cp       *controlplane.ControlPlane
	scheme   *runtime.Scheme
	// fast is the control plane's config with a high QPS, for the
	// benchmark's own clients; admin is its client.
	fast  *rest.Config
	admin client.Client
	org   *organisation
	res   Result

	op           *controlplane.Operator
	stopOperator func() error
	// stopCounting stops the watch of parents' writes during convergence.
	stopCounting func()
	memory       *memoryWatch
	stopMemory   func()
	// cpuProfile has the result of the convergence's CPU profile (nil
	// without -profile, or once received).
	cpuProfile chan error
	// convergenceStart is when the operator was started, and
	// beforeConvergence the API server's write counts then.
	convergenceStart  time.Time
	beforeConvergence writeCounts
}

// create makes the benchmark's client and creates the generated
// organisation with it.
func (b *bench) create() error {
	b.scheme = runtime.NewScheme()
	_ = clientgoscheme.AddToScheme(b.scheme)
	_ = v1alpha1.AddToScheme(b.scheme)
	b.fast = rest.CopyConfig(b.cp.Config)
	b.fast.QPS, b.fast.Burst = 2000, 4000
	var err error
	if b.admin, err = client.New(b.fast, client.Options{Scheme: b.scheme}); err != nil {
		return err
	}

	b.org = generate(b.cfg)
	logf("creating %d objects", len(b.org.objects))
	start := time.Now()
	if err := parallel(8, b.org.objects, func(o client.Object) error { return b.admin.Create(b.ctx, o) }); err != nil {
		return err
	}
	logf("created in %s", time.Since(start).Round(time.Millisecond))

	cfg := b.cfg
	b.res = Result{Offices: cfg.offices, Portfolios: cfg.portfolios, Programmes: cfg.programmes, Projects: cfg.projects,
		Reviews: cfg.reviews, Objects: len(b.org.objects), QPS: cfg.qps, Burst: cfg.burst, MemoryLimit: cfg.memoryLimit}
	return nil
}

// stop ends what the run started and has not ended yet, the last started
// first: the memory watch, the operator, the watch of parents' writes.
func (b *bench) stop() error {
	var err error
	if b.stopMemory != nil {
		b.stopMemory()
	}
	if b.stopOperator != nil {
		err = b.stopOperator()
	}
	if b.stopCounting != nil {
		b.stopCounting()
	}
	return err
}

// startOperator starts the operator, to be stopped by b.stopOperator.
func (b *bench) startOperator() (err error) {
	b.op, b.stopOperator, err = startOperator(b.cp, b.binary, b.cfg)
	return err
}

// admissionProfile is where the CPU profile of the admission edits goes
// ("" when profiles are not asked for).
func (b *bench) admissionProfile() string {
	if b.cfg.profile == "" {
		return ""
	}
	return b.profilePath("cpu-admission-%d.pprof")
}

// profilePath is where the profile named by format (with the run's number)
// is written.
func (b *bench) profilePath(format string) string {
	return filepath.Join(b.cfg.profile, fmt.Sprintf(format, b.runIndex+1))
}

// measureFloor measures the floor: one status write per object by a bare
// client with the operator's client settings, through as many workers as
// it runs.
func (b *bench) measureFloor() error {
	floorCfg := rest.CopyConfig(b.cp.Config)
	floorCfg.QPS, floorCfg.Burst = float32(b.cfg.qps), b.cfg.burst
	floorClient, err := client.New(floorCfg, client.Options{Scheme: b.scheme})
	if err != nil {
		return err
	}
	logf("measuring the floor")
	start := time.Now()
	// A condition, not observedGeneration: the operator must not take the
	// floor's writes for its own.
	floorPatch := []byte(fmt.Sprintf(`{"status":{"conditions":[{"type":"BenchFloor","status":"True","reason":"Floor","message":"","lastTransitionTime":%q}]}}`,
		time.Now().UTC().Format(time.RFC3339)))
	if err := parallel(10, b.org.objects, func(o client.Object) error {
		return floorClient.Status().Patch(b.ctx, o, client.RawPatch("application/merge-patch+json", floorPatch))
	}); err != nil {
		return err
	}
	b.res.FloorSeconds = time.Since(start).Seconds()
	return nil
}

// measureConvergence starts the operator and measures how long it takes to
// converge, the status and report writes that cost, and the parent
// written most. The operator is left running, its memory watched.
func (b *bench) measureConvergence() error {
	ctx, res := b.ctx, &b.res
	before, err := writes(ctx, b.cp.Config)
	if err != nil {
		return err
	}
	b.beforeConvergence = before
	parentWrites, stopCounting, err := watchWrites(ctx, b.fast, b.scheme, b.org.ns, parentLists())
	if err != nil {
		return err
	}
	b.stopCounting = stopCounting
	b.convergenceStart = time.Now()
	if err := b.startOperator(); err != nil {
		return err
	}
	b.memory = &memoryWatch{pid: b.op.PID(), metrics: b.op.MetricsAddress}
	b.stopMemory = b.memory.watch()
	b.profileConvergence()

	if err := converge(ctx, b.admin, b.org, b.op, b.progress); err != nil {
		return err
	}
	res.ConvergenceSeconds = time.Since(b.convergenceStart).Seconds()
	res.ConvergenceVsFloor = res.ConvergenceSeconds / res.FloorSeconds
	after, err := writes(ctx, b.cp.Config)
	if err != nil {
		return err
	}
	if b.cfg.profile != "" {
		if err := saveProfile(b.op.MetricsAddress, "heap", b.profilePath("heap-%d.pprof")); err != nil {
			return err
		}
	}
	res.StatusWrites = after.status - before.status
	res.ReportWrites = after.reports - before.reports
	res.StatusWritesPerObj = float64(res.StatusWrites) / float64(len(b.org.objects))
	res.StatusWritesByKind = map[string]int{}
	for k, v := range after.byResource {
		res.StatusWritesByKind[k] = v - before.byResource[k]
	}
	res.MaxParent, res.MaxParentWrites = parentWrites.most()
	stopCounting()
	return nil
}

// profileConvergence, with -profile, saves the operator's heap 15 s in and
// starts its CPU profile of the convergence (b.cpuProfile has its result).
func (b *bench) profileConvergence() {
	if b.cfg.profile == "" {
		return
	}
	// The heap 15 s in, while the caches fill and every object is queued
	// (where the peak RSS has been).
	go func() {
		time.Sleep(15 * time.Second)
		if err := saveProfile(b.op.MetricsAddress, "heap", b.profilePath("heap-start-%d.pprof")); err != nil {
			logf("%v", err)
		}
	}()
	// The convergence's first minute (most of it at the small and
	// default sizes), where the CPU goes while every object is new.
	cpuProfile := make(chan error, 1)
	b.cpuProfile = cpuProfile
	go func() {
		cpuProfile <- saveProfile(b.op.MetricsAddress, "profile?seconds=60", b.profilePath("cpu-%d.pprof"))
	}()
}

// progress logs, every 10 s of the convergence, the writes so far by
// resource and the operator's memory, to see where the convergence spends
// its time.
func (b *bench) progress() {
	w, err := writes(b.ctx, b.cp.Config)
	if err != nil {
		return
	}
	before := b.beforeConvergence
	done := map[string]int{}
	for k, v := range w.byResource {
		done[k] = v - before.byResource[k]
	}
	rss, heap := b.memory.current()
	logf("%4.0f s: status writes %v, report writes %d, RSS %.0f MiB (peak %.0f), heap in use %.0f MiB",
		time.Since(b.convergenceStart).Seconds(), done, w.reports-before.reports, rss, b.memory.peakRSS(), heap)
}

// measureSteadyState measures when the convergence's last writes land
// (rollups are throttled and reports coalesced: a few seconds after the
// office shows the totals), then the writes with nothing changing.
func (b *bench) measureSteadyState() error {
	ctx, res, before := b.ctx, &b.res, b.beforeConvergence
	settled, err := settle(ctx, b.cp.Config)
	if err != nil {
		return err
	}
	res.SettledSeconds = time.Since(b.convergenceStart).Seconds()
	res.SettledWrites = settled.status + settled.reports - before.status - before.reports
	logf("watching %s of steady state", b.cfg.steady)
	time.Sleep(b.cfg.steady)
	steady, err := writes(ctx, b.cp.Config)
	if err != nil {
		return err
	}
	res.SteadySeconds = b.cfg.steady.Seconds()
	res.SteadyWrites = steady.status + steady.reports - settled.status - settled.reports
	return nil
}

// measureEdits times single-project edits until the office reflects them,
// then ends the memory watch and records the operator's peaks.
func (b *bench) measureEdits() error {
	res := &b.res
	logf("timing %d single-project edits", b.cfg.edits)
	editWrites, stopWatchingEdits, err := watchWrites(b.ctx, b.fast, b.scheme, b.org.ns, map[string]client.ObjectList{
		"Office": &v1alpha1.OfficeList{}, "Portfolio": &v1alpha1.PortfolioList{}, "Programme": &v1alpha1.ProgrammeList{},
		"Project": &v1alpha1.ProjectList{}, "ConfigMap": &corev1.ConfigMapList{}})
	if err != nil {
		return err
	}
	editProfile, err := b.profileEdits()
	if err != nil {
		return err
	}
	latencies, err := propagate(b.ctx, b.admin, b.org, b.cfg.edits, editWrites)
	stopWatchingEdits()
	if err != nil {
		return err
	}
	if editProfile != nil {
		if err := <-editProfile; err != nil {
			return err
		}
	}
	res.PropagationP50Milli, res.PropagationP99Milli = percentile(latencies, 0.50), percentile(latencies, 0.99)
	b.stopMemory()
	res.PeakRSSMiB, res.PeakHeapInUseMiB = b.memory.peaks()
	if b.cpuProfile != nil {
		if err := <-b.cpuProfile; err != nil {
			return err
		}
	}
	return nil
}

// profileEdits, with -profile, waits for the convergence's CPU profile
// (one CPU profile at a time: the convergence's first minute may outlast
// a small convergence) and starts one of the edits; its result comes on
// the channel returned, nil without -profile.
func (b *bench) profileEdits() (chan error, error) {
	if b.cfg.profile == "" {
		return nil, nil
	}
	if b.cpuProfile != nil {
		if err := <-b.cpuProfile; err != nil {
			return nil, err
		}
		b.cpuProfile = nil
	}
	// Where the CPU goes while single edits propagate.
	editProfile := make(chan error, 1)
	go func() {
		editProfile <- saveProfile(b.op.MetricsAddress, "profile?seconds=20", b.profilePath("cpu-edits-%d.pprof"))
	}()
	return editProfile, nil
}

// measureRestart restarts the operator with nothing changed: every object
// is looked at again and nothing is written.
func (b *bench) measureRestart() error {
	ctx, res := b.ctx, &b.res
	if _, err := settle(ctx, b.cp.Config); err != nil {
		return err
	}
	if err := b.stopOperator(); err != nil {
		return err
	}
	beforeRestart, err := writes(ctx, b.cp.Config)
	if err != nil {
		return err
	}
	logf("restarting the operator")
	start := time.Now()
	if err := b.startOperator(); err != nil {
		return err
	}
	if err := reverified(ctx, b.admin, b.org, b.op); err != nil {
		return err
	}
	res.RestartSeconds = time.Since(start).Seconds()
	afterRestart, err := writes(ctx, b.cp.Config)
	if err != nil {
		return err
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
	return nil
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
