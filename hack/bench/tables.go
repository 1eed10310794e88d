/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// The tables the benchmark prints: each run, the spread over runs, and the
// growth across sizes.

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

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
		{"  a webhook deciding nothing, p50 / p99", fmt.Sprintf("%.1f / %.1f ms (%d calls): the machine's floor", r.NullWebhookP50Milli, r.NullWebhookP99Milli, r.NullWebhookCalls), ""},
		{"  end to end, p50 / p99", fmt.Sprintf("%.0f / %.0f ms", r.AdmissionP50Milli, r.AdmissionP99Milli), ""},
		{"  end to end without webhooks, p50 / p99", fmt.Sprintf("%.0f / %.0f ms", r.NoWebhookP50Milli, r.NoWebhookP99Milli), ""},
		{"  p99 with / without webhooks", fmt.Sprintf("%.2f", r.AdmissionP99Ratio), "< 1.5"},
		{"  fail-opens (API server's count)", fmt.Sprintf("%d", r.AdmissionFailOpen), "0"},
		{"  webhook still busy after the last answer", fmt.Sprintf("%.1f s", r.WebhookDrainSeconds), ""},
	}
	rows = append(rows, dashboardRows(r.Dashboard)...)
	fmt.Printf("\n%s\n%-40s %-60s %s\n", title, "measure", "value", "goal")
	for _, row := range rows {
		fmt.Printf("%-40s %-60s %s\n", row[0], row[1], row[2])
	}
}

// dashboardRows are the dashboard's rows of a run's table.
func dashboardRows(d DashboardResult) [][3]string {
	rows := [][3]string{
		{"dashboard: cache synced after", fmt.Sprintf("%.1f s, its heap %.0f MiB", d.CacheSyncSeconds, d.HeapSyncedMiB), ""},
		{"  picture built, first / rebuilt (max)", fmt.Sprintf("%.0f ms / %.0f ms (%d rebuilds after a change)", d.PictureMilli, d.RebuildMaxMilli, d.Rebuilds), ""},
		{"  heap with the picture, after serving", fmt.Sprintf("%.0f MiB", d.HeapServedMiB), ""},
	}
	for _, p := range d.Pages {
		name := p.Page + " page"
		if p.Authorizer != "trusted" {
			name += ", SARs"
		}
		rows = append(rows, [3]string{"  " + name + ", p50 / p99 / max", fmt.Sprintf("%.1f / %.1f / %.1f ms, %d KiB", p.P50Milli, p.P99Milli, p.MaxMilli, p.Bytes>>10), "p99 < 300 ms"})
		if p.Authorizer != "trusted" {
			continue
		}
		lists, goal := fmt.Sprintf("%d (%s)", p.LongestList, p.LongestIn), "≤ 50, children paged"
		if p.Path == "/" {
			goal = "≤ 20 but the tree"
		}
		if p.Caption != "" {
			lists += fmt.Sprintf("; children: %d rows, %s", p.ChildRows, p.Caption)
		}
		if !p.Within {
			lists += "; OVER THE LIMIT"
		}
		rows = append(rows, [3]string{"    longest list", lists, goal})
	}
	if len(d.Pages) > 0 {
		rows = append(rows, [3]string{"  (server time of 100 requests a page)", "SARs: asked afresh on every request (a dashboard in the cluster remembers them per viewer for seconds)", ""})
	}
	return rows
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
// most written parent, report writes) are the worst run's, and so is the
// dashboard (the run with the slowest page).
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
		if worstPage(r.Dashboard) > worstPage(m.Dashboard) {
			m.Dashboard = r.Dashboard
		}
		if r.MaxParentWrites > m.MaxParentWrites {
			m.MaxParent, m.MaxParentWrites = r.MaxParent, r.MaxParentWrites
		}
	}
	return m
}

// worstPage is the highest p99 of a run's dashboard pages.
func worstPage(d DashboardResult) float64 {
	worst := 0.0
	for _, p := range d.Pages {
		worst = max(worst, p.P99Milli)
	}
	return worst
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
