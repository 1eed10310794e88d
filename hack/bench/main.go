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
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
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
	WebhookP99Bucket string `json:"webhookP99Bucket"`
	// NullWebhook* are the handling times of a webhook that decides
	// nothing, for the same requests (null.go): the floor the machine sets.
	NullWebhookCalls    int     `json:"nullWebhookCalls"`
	NullWebhookP50Milli float64 `json:"nullWebhookP50Milliseconds"`
	NullWebhookP99Milli float64 `json:"nullWebhookP99Milliseconds"`
	AdmissionP50Milli   float64 `json:"admissionP50Milliseconds"`
	AdmissionP99Milli   float64 `json:"admissionP99Milliseconds"`
	NoWebhookP50Milli   float64 `json:"noWebhookP50Milliseconds"`
	NoWebhookP99Milli   float64 `json:"noWebhookP99Milliseconds"`
	AdmissionP99Ratio   float64 `json:"admissionP99Ratio"`
	AdmissionFailOpen   int     `json:"admissionFailOpen"`
	// WebhookDrainSeconds is how long the webhook went on handling
	// requests after the last editor had its answer.
	WebhookDrainSeconds float64 `json:"webhookDrainSeconds"`
	// Dashboard: the dashboard served from this process on the settled
	// organisation (dashboard.go).
	Dashboard DashboardResult `json:"dashboard"`
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
