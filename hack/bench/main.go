/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Command bench measures the operator against the physical floor on a real
// API server: it starts the local control plane, creates a generated
// organisation, measures how fast a bare client writes every object's status
// once (the floor), then runs the operator binary and measures convergence
// (verified against the generated inputs), status writes per object, writes
// at steady state, propagation of single-project edits to the Office, the
// operator's memory, a restart, and admission latency under parallel
// editors with the heaviest admissible policy (admission.go). It prints one
// table and writes the figures as JSON.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/discovery"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/internal/money"
)

type config struct {
	offices, portfolios, programmes, projects, reviews int
	steady                                             time.Duration
	edits, admissionEdits                              int
	qps                                                float64
	burst                                              int
	operator, out, memoryLimit                         string
	runs                                               int
	profile                                            string
	operatorArgs                                       string
}

// Result holds every figure the benchmark reports.
type Result struct {
	Offices, Portfolios, Programmes, Projects, Reviews int
	Objects                                            int
	QPS                                                float64
	Burst                                              int
	MemoryLimit                                        string `json:"memoryLimit"`

	FloorSeconds        float64        `json:"floorSeconds"`
	ConvergenceSeconds  float64        `json:"convergenceSeconds"`
	ConvergenceVsFloor  float64        `json:"convergenceVsFloor"`
	StatusWrites        int            `json:"statusWrites"`
	StatusWritesPerObj  float64        `json:"statusWritesPerObject"`
	StatusWritesByKind  map[string]int `json:"statusWritesByResource"`
	ReportWrites        int            `json:"reportWrites"`
	SettledSeconds      float64        `json:"settledSeconds"`
	SettledWrites       int            `json:"settledWrites"`
	SteadySeconds       float64        `json:"steadySeconds"`
	SteadyWrites        int            `json:"steadyWrites"`
	PropagationP50Milli float64        `json:"propagationP50Milliseconds"`
	PropagationP99Milli float64        `json:"propagationP99Milliseconds"`
	PeakRSSMiB          float64        `json:"peakRSSMiB"`
	PeakHeapInUseMiB    float64        `json:"peakHeapInUseMiB"`
	// MaxParentWrites is the most status writes any one office, portfolio
	// or programme received during convergence, and MaxParent names it.
	MaxParentWrites int    `json:"maxParentWrites"`
	MaxParent       string `json:"maxParent"`
	// Restart: the operator stopped and started again with nothing changed;
	// how long until every object was reconciled again and the queues were
	// empty, and the writes that cost.
	RestartSeconds float64 `json:"restartSeconds"`
	RestartWrites  int     `json:"restartWrites"`
	// Admission: parallel editors change projects' phases under an Office
	// enforcing the OGC Gateway profile and the heaviest rules it may
	// have (admission.go). The webhook's own handling time comes from its
	// histogram (WebhookCalls observations); the end-to-end latency is the
	// client's, with the webhooks on and then removed.
	AdmissionEditors   int    `json:"admissionEditors"`
	AdmissionRequests  int    `json:"admissionRequests"`
	AdmissionRulesCost uint64 `json:"admissionRulesEstimatedCost"`
	// AdmissionRulesActualCost is what the rules cost on one edited
	// project, evaluated once.
	AdmissionRulesActualCost uint64  `json:"admissionRulesActualCost"`
	WebhookCalls             int     `json:"webhookCalls"`
	WebhookP50Milli          float64 `json:"webhookP50Milliseconds"`
	WebhookP99Milli          float64 `json:"webhookP99Milliseconds"`
	// WebhookP99Bucket is the histogram bucket the p99 falls in.
	WebhookP99Bucket  string  `json:"webhookP99Bucket"`
	AdmissionP50Milli float64 `json:"admissionP50Milliseconds"`
	AdmissionP99Milli float64 `json:"admissionP99Milliseconds"`
	NoWebhookP50Milli float64 `json:"noWebhookP50Milliseconds"`
	NoWebhookP99Milli float64 `json:"noWebhookP99Milliseconds"`
	AdmissionP99Ratio float64 `json:"admissionP99Ratio"`
	AdmissionFailOpen int     `json:"admissionFailOpen"`
	// WebhookDrainSeconds is how long the webhook went on handling
	// requests after the last editor had its answer.
	WebhookDrainSeconds float64 `json:"webhookDrainSeconds"`
}

// Runs is what the JSON file holds: every run, and the median of each
// figure over them.
type Runs struct {
	Size   string   `json:"size"`
	Runs   []Result `json:"runs"`
	Median Result   `json:"median"`
}

func main() {
	var cfg config
	size := flag.String("size", "default", "small (1,000 projects), default (10,000) or large (30,000); the counts below override it")
	flag.IntVar(&cfg.runs, "runs", 1, "how many times to measure, each on a fresh control plane")
	flag.StringVar(&cfg.profile, "profile", "", "directory to write the operator's CPU profile of the convergence and its heap profile at its end (empty: none)")
	flag.IntVar(&cfg.offices, "offices", 0, "offices (one hub, the rest its satellites)")
	flag.IntVar(&cfg.portfolios, "portfolios", 0, "portfolios")
	flag.IntVar(&cfg.programmes, "programmes", 0, "programmes")
	flag.IntVar(&cfg.projects, "projects", 0, "projects")
	flag.IntVar(&cfg.reviews, "reviews", 0, "gateway reviews")
	flag.DurationVar(&cfg.steady, "steady", 0, "how long to watch for writes with nothing changing")
	flag.IntVar(&cfg.edits, "edits", 50, "single-project edits timed until the office reflects them")
	flag.IntVar(&cfg.admissionEdits, "admission-edits", 50, "phase changes each of the 10 parallel editors makes to time admission (0: none)")
	flag.Float64Var(&cfg.qps, "qps", 100, "client QPS of the operator and of the floor client")
	flag.IntVar(&cfg.burst, "burst", 200, "client burst of the operator and of the floor client")
	flag.StringVar(&cfg.operator, "operator", "bin/p3o-operator", "operator binary")
	flag.StringVar(&cfg.out, "out", "bin/bench.json", "where to write the figures as JSON")
	flag.StringVar(&cfg.operatorArgs, "operator-args", "", "more flags for the operator, space-separated (--zap-log-level=1 logs each status patch and report rebuild)")
	flag.StringVar(&cfg.memoryLimit, "memory-limit", "110MiB", "GOMEMLIMIT of the operator, as config/manager sets it (empty: none)")
	flag.Parse()
	defaults := map[string][6]int{"default": {5, 20, 200, 10000, 2000, 60}, "small": {5, 4, 20, 1000, 200, 30}, "large": {5, 60, 600, 30000, 6000, 60}}[*size]
	if defaults[0] == 0 {
		fmt.Fprintln(os.Stderr, "bench: -size is small, default or large")
		os.Exit(2)
	}
	for i, p := range []*int{&cfg.offices, &cfg.portfolios, &cfg.programmes, &cfg.projects, &cfg.reviews} {
		if *p == 0 {
			*p = defaults[i]
		}
	}
	if cfg.steady == 0 {
		cfg.steady = time.Duration(defaults[5]) * time.Second
	}
	// The benchmark's own clients log nothing; the operator's log is a file.
	ctrllog.SetLogger(logr.Discard())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runAll(ctx, *size, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// runAll measures cfg.runs times, prints each run and the median with the
// spread, and writes them all as JSON.
func runAll(ctx context.Context, size string, cfg config) error {
	all := Runs{Size: size}
	for i := range max(cfg.runs, 1) {
		logf("run %d of %d", i+1, max(cfg.runs, 1))
		res, err := run(ctx, cfg, i)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		printTable(fmt.Sprintf("run %d of %d", i+1, max(cfg.runs, 1)), res)
		all.Runs = append(all.Runs, res)
	}
	all.Median = median(all.Runs)
	if len(all.Runs) > 1 {
		printSpread(all.Runs, all.Median)
	}
	data, _ := json.MarshalIndent(all, "", "  ")
	if err := os.MkdirAll(filepath.Dir(cfg.out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(cfg.out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	printGrowth(filepath.Dir(cfg.out))
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

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

// organisation is the generated input and the totals it must roll up to.
type organisation struct {
	ns             string
	hub            *v1alpha1.Office
	objects        []client.Object
	projects       []*v1alpha1.Project
	budgetTotal    resource.Quantity
	forecastTotal  resource.Quantity
	forecastByName map[string]int64
	// parent is, per "Kind name", the "Kind name" of the object it rolls
	// up into.
	parent map[string]string
}

// chain is a project's key and its ancestors' up to the hub.
func (o *organisation) chain(p *v1alpha1.Project) []string {
	keys := []string{"Project " + p.Name}
	for k, ok := o.parent[keys[0]]; ok; k, ok = o.parent[k] {
		keys = append(keys, k)
	}
	return keys
}

func generate(cfg config) *organisation {
	ns := "default"
	org := &organisation{ns: ns, forecastByName: map[string]int64{}, parent: map[string]string{}}
	meta := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: ns, Name: name} }
	ref := func(name string) v1alpha1.ParentReference {
		return v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name)}
	}
	officeName := func(i int) string {
		if i == 0 {
			return "hub"
		}
		return fmt.Sprintf("satellite-%d", i)
	}
	for i := range cfg.offices {
		o := &v1alpha1.Office{ObjectMeta: meta(officeName(i)), Spec: v1alpha1.OfficeSpec{Type: v1alpha1.OfficeTypePortfolioOffice,
			Governance: v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway}}}
		if i > 0 {
			o.Spec.Type = v1alpha1.OfficeTypeSatellite
			hub := ref("hub")
			o.Spec.HubRef = &hub
			o.Spec.Governance = v1alpha1.GovernancePolicy{}
			org.parent["Office "+o.Name] = "Office hub"
		} else {
			org.hub = o
		}
		org.objects = append(org.objects, o)
	}
	for i := range cfg.portfolios {
		org.parent[fmt.Sprintf("Portfolio portfolio-%d", i)] = "Office " + officeName(i%cfg.offices)
		org.objects = append(org.objects, &v1alpha1.Portfolio{ObjectMeta: meta(fmt.Sprintf("portfolio-%d", i)),
			Spec: v1alpha1.PortfolioSpec{OfficeRef: ref(officeName(i % cfg.offices)), Capacity: resource.NewQuantity(1_000_000_000, resource.DecimalSI)}})
	}
	for i := range cfg.programmes {
		org.parent[fmt.Sprintf("Programme programme-%d", i)] = fmt.Sprintf("Portfolio portfolio-%d", i%cfg.portfolios)
		org.objects = append(org.objects, &v1alpha1.Programme{ObjectMeta: meta(fmt.Sprintf("programme-%d", i)),
			Spec: v1alpha1.ProgrammeSpec{PortfolioRef: ref(fmt.Sprintf("portfolio-%d", i%cfg.portfolios)), Phase: v1alpha1.ProgrammeDelivering}})
	}
	today := v1alpha1.Date(time.Now().UTC().Format(time.DateOnly))
	var budget, forecast int64
	for i := range cfg.projects {
		b := int64(100_000 + (i%50)*10_000)
		f := b * int64(95+i%21) / 100 // 95%..115% of budget: Green, Amber and Red
		p := &v1alpha1.Project{ObjectMeta: meta(fmt.Sprintf("project-%05d", i)), Spec: v1alpha1.ProjectSpec{
			Phase:    v1alpha1.ProjectInitiating,
			Plan:     v1alpha1.Plan{Budget: resource.NewQuantity(b, resource.DecimalSI)},
			Progress: &v1alpha1.Progress{AsOf: today, ActualCost: resource.NewQuantity(b/2, resource.DecimalSI), ForecastCost: resource.NewQuantity(f, resource.DecimalSI)},
		}}
		if i%10 == 9 {
			r := ref(fmt.Sprintf("portfolio-%d", i%cfg.portfolios))
			p.Spec.PortfolioRef = &r
			org.parent["Project "+p.Name] = "Portfolio " + string(r.Name)
		} else {
			r := ref(fmt.Sprintf("programme-%d", i%cfg.programmes))
			p.Spec.ProgrammeRef = &r
			org.parent["Project "+p.Name] = "Programme " + string(r.Name)
		}
		budget += b
		forecast += f
		org.forecastByName[p.Name] = f
		org.projects = append(org.projects, p)
		org.objects = append(org.objects, p)
	}
	for i := range cfg.reviews {
		gate := int32(1)
		org.objects = append(org.objects, &v1alpha1.GatewayReview{ObjectMeta: meta(fmt.Sprintf("review-%05d", i)), Spec: v1alpha1.GatewayReviewSpec{
			SubjectRef: v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: ref(fmt.Sprintf("project-%05d", i%cfg.projects))},
			Gate:       &gate, Date: today, Findings: &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmberGreen}}})
	}
	org.budgetTotal = *resource.NewQuantity(budget, resource.DecimalSI)
	org.forecastTotal = *resource.NewQuantity(forecast, resource.DecimalSI)
	return org
}

// parallel runs fn over objs with n workers, stopping at the first error.
func parallel(n int, objs []client.Object, fn func(client.Object) error) error {
	work := make(chan client.Object)
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range work {
				if err := fn(o); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("%T %s: %w", o, o.GetName(), err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, o := range objs {
		work <- o
	}
	close(work)
	wg.Wait()
	return first
}

// converge waits until the hub office's rollup equals the generated totals
// and every object is Ready at its generation.
func converge(ctx context.Context, c client.Client, org *organisation, op *controlplane.Operator, progress func()) error {
	deadline := time.Now().Add(30 * time.Minute)
	lastProgress := time.Now()
	for {
		if time.Since(lastProgress) >= 10*time.Second {
			progress()
			lastProgress = time.Now()
		}
		if ok, why := converged(ctx, c, org); ok {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("no convergence within 30 minutes: %s", why)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-op.Exited():
			return errors.New("the operator exited")
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// sameAmount says whether a status amount is set and equals want exactly.
func sameAmount(a v1alpha1.Amount, want resource.Quantity) bool {
	v := money.Value(a)
	return v != nil && v.Cmp(money.Of(&want)) == 0
}

func converged(ctx context.Context, c client.Client, org *organisation) (bool, string) {
	hub := &v1alpha1.Office{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(org.hub), hub); err != nil {
		return false, err.Error()
	}
	r := hub.Status.Rollup
	if int(r.Projects) != len(org.projects) || !sameAmount(r.Money.Budget, org.budgetTotal) || !sameAmount(r.Money.ForecastCost, org.forecastTotal) {
		return false, fmt.Sprintf("hub rollup: %d projects, budget %v, forecast %v", r.Projects, r.Money.Budget, r.Money.ForecastCost)
	}
	for _, list := range []client.ObjectList{&v1alpha1.OfficeList{}, &v1alpha1.PortfolioList{}, &v1alpha1.ProgrammeList{}, &v1alpha1.ProjectList{}, &v1alpha1.GatewayReviewList{}} {
		if err := c.List(ctx, list, client.InNamespace(org.ns)); err != nil {
			return false, err.Error()
		}
		items, err := meta.ExtractList(list)
		if err != nil {
			return false, err.Error()
		}
		for _, item := range items {
			o := item.(client.Object)
			conds := o.(v1alpha1.Conditioned).GetConditions()
			ready := false
			for _, cond := range conds {
				if cond.Type == string(v1alpha1.ConditionReady) && cond.Status == metav1.ConditionTrue && cond.ObservedGeneration == o.GetGeneration() {
					ready = true
				}
			}
			if !ready {
				return false, fmt.Sprintf("%T %s not Ready", o, o.GetName())
			}
		}
	}
	return true, ""
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

func printTable(title string, r Result) {
	rows := [][3]string{
		{"organisation", fmt.Sprintf("%d offices, %d portfolios, %d programmes, %d projects, %d reviews", r.Offices, r.Portfolios, r.Programmes, r.Projects, r.Reviews), ""},
		{"client QPS / burst, GOMEMLIMIT", fmt.Sprintf("%.0f / %d, %s", r.QPS, r.Burst, r.MemoryLimit), ""},
		{"floor (one status write per object)", fmt.Sprintf("%.1f s", r.FloorSeconds), ""},
		{"convergence", fmt.Sprintf("%.1f s", r.ConvergenceSeconds), ""},
		{"convergence / floor", fmt.Sprintf("%.2f", r.ConvergenceVsFloor), "≤ 1.2"},
		{"status writes per object", fmt.Sprintf("%.3f (%d writes)", r.StatusWritesPerObj, r.StatusWrites), "≤ 1.03"},
		{"  by resource", fmt.Sprint(r.StatusWritesByKind), ""},
		{"  most written parent", fmt.Sprintf("%s: %d", r.MaxParent, r.MaxParentWrites), "≤ 10"},
		{"report ConfigMap writes", fmt.Sprintf("%d", r.ReportWrites), "≤ 2 per report"},
		{"all writes settled (5 s quiet) after", fmt.Sprintf("%.1f s, %d writes", r.SettledSeconds, r.SettledWrites), ""},
		{fmt.Sprintf("writes in %.0f s of steady state", r.SteadySeconds), fmt.Sprintf("%d", r.SteadyWrites), "0"},
		{"project edit → office status, p50", fmt.Sprintf("%.0f ms", r.PropagationP50Milli), "< 500 ms"},
		{"project edit → office status, p99", fmt.Sprintf("%.0f ms", r.PropagationP99Milli), "< 1500 ms"},
		{"operator peak RSS", fmt.Sprintf("%.0f MiB", r.PeakRSSMiB), "≤ 160 MiB"},
		{"operator peak heap in use", fmt.Sprintf("%.0f MiB", r.PeakHeapInUseMiB), ""},
		{"restart: all re-verified after", fmt.Sprintf("%.1f s, %d writes", r.RestartSeconds, r.RestartWrites), "0 writes"},
		{"admission", fmt.Sprintf("%d phase changes by %d parallel editors, rules estimated at %d, cost %d", r.AdmissionRequests, r.AdmissionEditors, r.AdmissionRulesCost, r.AdmissionRulesActualCost), ""},
		{"  webhook handling, p50 / p99", fmt.Sprintf("%.1f / %.1f ms (p99 in %s; %d calls)", r.WebhookP50Milli, r.WebhookP99Milli, r.WebhookP99Bucket, r.WebhookCalls), "p99 < 20 ms"},
		{"  end to end, p50 / p99", fmt.Sprintf("%.0f / %.0f ms", r.AdmissionP50Milli, r.AdmissionP99Milli), ""},
		{"  end to end without webhooks, p50 / p99", fmt.Sprintf("%.0f / %.0f ms", r.NoWebhookP50Milli, r.NoWebhookP99Milli), ""},
		{"  p99 with / without webhooks", fmt.Sprintf("%.2f", r.AdmissionP99Ratio), "< 1.5"},
		{"  fail-opens (API server's count)", fmt.Sprintf("%d", r.AdmissionFailOpen), "0"},
		{"  webhook still busy after the last answer", fmt.Sprintf("%.1f s", r.WebhookDrainSeconds), ""},
	}
	fmt.Printf("\n%s\n%-40s %-60s %s\n", title, "measure", "value", "goal")
	for _, row := range rows {
		fmt.Printf("%-40s %-60s %s\n", row[0], row[1], row[2])
	}
}

// figures are the measures compared across runs, with how each is shown.
var figures = []struct {
	name   string
	format string
	get    func(*Result) *float64
}{
	{"floor (s)", "%.1f", func(r *Result) *float64 { return &r.FloorSeconds }},
	{"convergence (s)", "%.1f", func(r *Result) *float64 { return &r.ConvergenceSeconds }},
	{"convergence / floor", "%.2f", func(r *Result) *float64 { return &r.ConvergenceVsFloor }},
	{"status writes per object", "%.3f", func(r *Result) *float64 { return &r.StatusWritesPerObj }},
	{"edit → office p50 (ms)", "%.0f", func(r *Result) *float64 { return &r.PropagationP50Milli }},
	{"edit → office p99 (ms)", "%.0f", func(r *Result) *float64 { return &r.PropagationP99Milli }},
	{"peak RSS (MiB)", "%.0f", func(r *Result) *float64 { return &r.PeakRSSMiB }},
	{"peak heap in use (MiB)", "%.0f", func(r *Result) *float64 { return &r.PeakHeapInUseMiB }},
	{"restart re-verified (s)", "%.1f", func(r *Result) *float64 { return &r.RestartSeconds }},
	{"webhook p99 (ms)", "%.1f", func(r *Result) *float64 { return &r.WebhookP99Milli }},
	{"admission p99 (ms)", "%.0f", func(r *Result) *float64 { return &r.AdmissionP99Milli }},
	{"admission p99 ratio", "%.2f", func(r *Result) *float64 { return &r.AdmissionP99Ratio }},
}

// median is a run whose figures are each the median over runs; counts
// that must hold in every run (writes at steady state and on restart, the
// most written parent, report writes) are the worst run's.
func median(runs []Result) Result {
	m := runs[0]
	m.StatusWritesByKind = nil
	for _, f := range figures {
		values := make([]float64, len(runs))
		for i := range runs {
			values[i] = *f.get(&runs[i])
		}
		sort.Float64s(values)
		mid := values[len(values)/2]
		if len(values)%2 == 0 {
			mid = (values[len(values)/2-1] + mid) / 2
		}
		*f.get(&m) = mid
	}
	for _, r := range runs {
		m.StatusWrites = max(m.StatusWrites, r.StatusWrites)
		m.ReportWrites = max(m.ReportWrites, r.ReportWrites)
		m.SteadyWrites = max(m.SteadyWrites, r.SteadyWrites)
		m.RestartWrites = max(m.RestartWrites, r.RestartWrites)
		m.AdmissionFailOpen = max(m.AdmissionFailOpen, r.AdmissionFailOpen)
		if r.MaxParentWrites > m.MaxParentWrites {
			m.MaxParent, m.MaxParentWrites = r.MaxParent, r.MaxParentWrites
		}
	}
	return m
}

// printSpread prints each run's figures beside their median and spread.
func printSpread(runs []Result, m Result) {
	fmt.Printf("\n%-28s", "figure")
	for i := range runs {
		fmt.Printf(" %10s", fmt.Sprintf("run %d", i+1))
	}
	fmt.Printf(" %10s %10s\n", "median", "spread")
	for _, f := range figures {
		fmt.Printf("%-28s", f.name)
		lo, hi := *f.get(&runs[0]), *f.get(&runs[0])
		for i := range runs {
			v := *f.get(&runs[i])
			lo, hi = min(lo, v), max(hi, v)
			fmt.Printf(" %10s", fmt.Sprintf(f.format, v))
		}
		fmt.Printf(" %10s %10s\n", fmt.Sprintf(f.format, *f.get(&m)), fmt.Sprintf(f.format, hi-lo))
	}
	fmt.Printf("%-28s", "worst: steady / restart writes, most written parent, report writes")
	fmt.Printf(" %d / %d, %s %d, %d\n", m.SteadyWrites, m.RestartWrites, m.MaxParent, m.MaxParentWrites, m.ReportWrites)
}

// printGrowth prints, from the JSON files of every size measured so far in
// dir, the median time and memory per object, so that growth is visible.
func printGrowth(dir string) {
	fmt.Printf("\n%-8s %8s %6s %14s %14s %12s %10s %16s\n", "size", "objects", "runs", "floor/object", "converge/obj", "conv/floor", "peak RSS", "RSS per 1k obj")
	for _, size := range []string{"small", "default", "large"} {
		data, err := os.ReadFile(filepath.Join(dir, "bench-"+size+".json"))
		if err != nil {
			continue
		}
		var all Runs
		if json.Unmarshal(data, &all) != nil || len(all.Runs) == 0 {
			continue
		}
		m := all.Median
		n := float64(m.Objects)
		fmt.Printf("%-8s %8d %6d %11.2f ms %11.2f ms %12.2f %6.0f MiB %12.1f MiB\n", size, m.Objects, len(all.Runs),
			1000*m.FloorSeconds/n, 1000*m.ConvergenceSeconds/n, m.ConvergenceVsFloor, m.PeakRSSMiB, 1000*m.PeakRSSMiB/n)
	}
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

var (
	reconcileLine = regexp.MustCompile(`^controller_runtime_reconcile_total\{controller="([^"]+)",result="[^"]+"\} ([0-9.e+]+)$`)
	depthLine     = regexp.MustCompile(`^workqueue_depth\{[^}]*name="([^"]+)"[^}]*\} ([0-9.e+]+)$`)
)

// reverified waits until a restarted operator has reconciled every object
// at least once, its work queues are empty and every object is still
// Ready at its generation with the totals of the inputs.
func reverified(ctx context.Context, c client.Client, org *organisation, op *controlplane.Operator) error {
	want := map[string]int{}
	for _, o := range org.objects {
		want[strings.ToLower(fmt.Sprintf("%T", o)[len("*v1alpha1."):])]++
	}
	deadline := time.Now().Add(10 * time.Minute)
	for {
		reconciled, depth, err := queueFigures(op.MetricsAddress)
		done := err == nil
		for kind, n := range want {
			done = done && reconciled[kind] >= n
		}
		for _, d := range depth {
			done = done && d == 0
		}
		if done {
			if ok, why := converged(ctx, c, org); !ok {
				return fmt.Errorf("after the restart: %s", why)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the restarted operator did not reconcile every object within 10 minutes (reconciled %v, queues %v, %v)", reconciled, depth, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-op.Exited():
			return errors.New("the restarted operator exited")
		case <-time.After(time.Second): // a scrape renders every project's series
		}
	}
}

// queueFigures reads the operator's reconciles per controller and its work
// queues' depths.
func queueFigures(metricsAddress string) (reconciled, depth map[string]int, err error) {
	resp, err := http.Get("http://" + metricsAddress + "/metrics")
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	reconciled, depth = map[string]int{}, map[string]int{}
	for _, line := range strings.Split(string(body), "\n") {
		if m := reconcileLine.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			reconciled[m[1]] += int(v)
		} else if m := depthLine.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			depth[m[1]] += int(v)
		}
	}
	return reconciled, depth, nil
}
