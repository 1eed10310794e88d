/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/internal/money"
)

// Keys of a report ConfigMap.
const (
	KeyJSON     = "report.json"
	KeyMarkdown = "report.md"
	KeyCSV      = "projects.csv"
)

// MaxBytes is the budget for all keys together, well under the 1 MiB a
// ConfigMap may hold (which also counts its metadata).
const MaxBytes = 900 * 1024

// limits bound the lists of a report.
type limits struct{ exceptions, gates, risks, projects int }

// steps are tried in turn until a report fits; the first keeps everything
// a dashboard reader can take in, the last is a summary.
var steps = []limits{
	{exceptions: 100, gates: 200, risks: 25, projects: -1},
	{exceptions: 100, gates: 200, risks: 25, projects: 2000},
	{exceptions: 50, gates: 100, risks: 20, projects: 500},
	{exceptions: 20, gates: 20, risks: 10, projects: 0},
}

// Rendered is a report written out as ConfigMap keys.
type Rendered struct {
	// Data holds the keys: KeyJSON, KeyMarkdown and KeyCSV.
	Data map[string]string
	// Truncated is true when lists were cut to fit MaxBytes; the report
	// itself says so too (Report.Truncated and Notes).
	Truncated bool
}

// Render writes a report's keys, cutting lists as far as needed to stay
// within MaxBytes; a cut report says so in Truncated and Notes.
func Render(full Report) Rendered {
	var out Rendered
	for _, l := range steps {
		r := cut(full, l)
		out = Rendered{Data: map[string]string{KeyJSON: renderJSON(r), KeyMarkdown: renderMarkdown(r), KeyCSV: renderCSV(r)}, Truncated: r.Truncated}
		if size(out.Data) <= MaxBytes {
			break
		}
	}
	return out
}

func size(data map[string]string) int {
	n := 0
	for k, v := range data {
		n += len(k) + len(v)
	}
	return n
}

// cut applies limits (-1: none) and records what was left out.
func cut(r Report, l limits) Report {
	note := func(what string, shown, total int) {
		r.Truncated = true
		r.Notes = append(r.Notes, fmt.Sprintf("summarised: %d of %d %s shown", shown, total, what))
	}
	r.Notes = append([]string(nil), r.Notes...)
	if l.exceptions >= 0 && len(r.Exceptions) > l.exceptions {
		note("exceptions", l.exceptions, len(r.Exceptions))
		r.Exceptions = r.Exceptions[:l.exceptions]
	}
	if l.gates >= 0 && len(r.Gates) > l.gates {
		note("gate issues", l.gates, len(r.Gates))
		r.Gates = r.Gates[:l.gates]
	}
	if l.risks >= 0 && len(r.TopRisks) > l.risks {
		r.TopRisks = r.TopRisks[:l.risks] // "top" risks: cutting is the point, not a loss
	}
	if l.projects >= 0 && len(r.Projects) > l.projects {
		note("projects (worst health first)", l.projects, len(r.Projects))
		r.Projects = r.Projects[:l.projects]
	}
	return r
}

func renderJSON(r Report) string {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		// Report holds only strings, numbers and slices of them.
		panic(fmt.Sprintf("rendering report.json: %v", err))
	}
	return string(data) + "\n"
}

func renderCSV(r Report) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"namespace", "name", "programme", "phase", "health", "compliant", "budget", "actual_cost", "forecast_cost", "percent_complete", "manager", "as_of", "reason"})
	for _, p := range r.Projects {
		_ = w.Write([]string{p.Namespace, p.Name, p.Programme, p.Phase, string(p.Health), p.Compliant, p.Budget, p.ActualCost, p.ForecastCost, p.PercentComplete, p.Manager, p.AsOf, p.Reason})
	}
	w.Flush()
	return b.String()
}

// human formats an exact decimal string for people.
func human(s string) string {
	if s == "" {
		return "–"
	}
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		return s
	}
	return money.Format(d)
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}

func renderMarkdown(r Report) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# %s %s/%s — %s\n\n", r.Kind, r.Namespace, r.Name, r.Health)
	for _, n := range r.Notes {
		p("> **Note:** %s\n\n", n)
	}
	p("| | |\n|---|---|\n")
	p("| Health | **%s** |\n", r.Health)
	if r.Counts.Portfolios > 0 || r.Kind == "Office" {
		p("| Portfolios | %d |\n", r.Counts.Portfolios)
	}
	if r.Counts.Satellites > 0 {
		p("| Satellite offices | %d |\n", r.Counts.Satellites)
	}
	p("| Programmes | %d |\n| Projects | %d |\n", r.Counts.Programmes, r.Counts.Projects)
	h := r.Counts.ByHealth
	p("| Green / Amber / Red / Unknown | %d / %d / %d / %d |\n", h.Green, h.Amber, h.Red, h.Unknown)
	c := r.Compliance
	p("| Compliant / non-compliant / unknown | %d / %d / %d |\n", c.Compliant, c.NonCompliant, c.Unknown)
	if r.Counts.Refused > 0 {
		p("| Refused attachments | %d |\n", r.Counts.Refused)
	}
	p("\n## Money (%s)\n\n| Budget | Actual | Forecast | Variance |\n|---:|---:|---:|---:|\n", orDash(r.Currency))
	p("| %s | %s | %s | %s |\n", human(r.Totals.Budget), human(r.Totals.ActualCost), human(r.Totals.ForecastCost), human(r.Totals.Variance))
	if r.Capacity != nil {
		over := "within capacity"
		if r.Capacity.OverCommitted {
			over = "**over-committed**"
		}
		p("\nCapacity %s, committed %s: %s.\n", human(r.Capacity.Capacity), human(r.Capacity.Committed), over)
	}
	p("\nBenefits: planned %s, realised %s.\n", human(r.Totals.BenefitsPlanned), human(r.Totals.BenefitsRealised))

	p("\n## Exceptions\n\n")
	if len(r.Exceptions) == 0 {
		p("No project or programme is Red.\n")
	} else {
		p("| Kind | Name | Why |\n|---|---|---|\n")
		for _, e := range r.Exceptions {
			p("| %s | %s/%s | %s |\n", e.Kind, e.Namespace, e.Name, cell(strings.Join(e.Reasons, "; ")))
		}
	}

	p("\n## Gates failing or due\n\n")
	if len(r.Gates) == 0 {
		p("Every gate due is met.\n")
	} else {
		p("| Kind | Name | Gate | State | Detail |\n|---|---|---|---|---|\n")
		for _, g := range r.Gates {
			p("| %s | %s/%s | %s | %s | %s |\n", g.Kind, g.Namespace, g.Name, cell(g.Gate), g.State, cell(g.Message))
		}
	}

	p("\n## Top risks\n\nOpen risks: %d, of which high: %d; exposure %d.\n\n", r.Risks.Open, r.Risks.High, r.Risks.Exposure)
	if len(r.TopRisks) > 0 {
		p("| Severity | Risk | Of | Owner | Description |\n|---:|---|---|---|---|\n")
		for _, k := range r.TopRisks {
			p("| %d | %s | %s/%s | %s | %s |\n", k.Severity, cell(k.Risk), k.Namespace, k.Object, cell(orDash(k.Owner)), cell(k.Description))
		}
	}

	if len(r.Counts.ByPhase) > 0 {
		p("\n## By phase\n\n| Kind | Phase | Count |\n|---|---|---:|\n")
		for _, pc := range r.Counts.ByPhase {
			p("| %s | %s | %d |\n", pc.Kind, pc.Phase, pc.Count)
		}
	}

	if len(r.Projects) > 0 {
		p("\n## Projects\n\n| Project | Phase | Health | Compliant | Budget | Forecast | Done | Why |\n|---|---|---|---|---:|---:|---:|---|\n")
		for _, row := range r.Projects {
			done := "–"
			if row.PercentComplete != "" {
				done = row.PercentComplete + "%"
			}
			p("| %s/%s | %s | %s | %s | %s | %s | %s | %s |\n", row.Namespace, row.Name, row.Phase, row.Health, orDash(row.Compliant),
				human(row.Budget), human(row.ForecastCost), done, cell(row.Reason))
		}
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
