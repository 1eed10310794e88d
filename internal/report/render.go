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
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/shorten"
	"p3o.dev/p3o-operator/internal/words"
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

// cellRunes is how many characters a shortened text cell keeps, its mark
// included: enough for a health reason's headline and first names.
const cellRunes = 200

// shortenedMark ends a text cell that was shortened to fit.
const shortenedMark = shorten.Mark

// level is one degree of summary: how many items each list keeps (-1: all),
// whether long text cells are shortened, and whether the project list is
// cut to as many rows as fit.
type level struct {
	// red bounds the list of Red work and that of tolerance exceptions.
	red, gates, risks, dependencies int
	shortenCells, fitRows           bool
}

// levels are tried in turn until a report fits. Long cells are shortened
// before any row is cut; rows are cut (worst health kept) before the
// lists of Red work, exceptions and gates; the last level is a summary.
var levels = []level{
	{red: 100, gates: 200, risks: 25, dependencies: 200},
	{red: 100, gates: 200, risks: 25, dependencies: 200, shortenCells: true},
	{red: 100, gates: 200, risks: 25, dependencies: 200, shortenCells: true, fitRows: true},
	{red: 50, gates: 100, risks: 20, dependencies: 100, shortenCells: true, fitRows: true},
	{red: 20, gates: 20, risks: 10, dependencies: 20, shortenCells: true, fitRows: true},
}

// Rendered is a report written out as ConfigMap keys.
type Rendered struct {
	// Data holds the keys: KeyJSON, KeyMarkdown and KeyCSV.
	Data map[string]string
	// Truncated is true when lists were cut or cells shortened to fit
	// MaxBytes; the report itself says so too (Report.Truncated and Notes).
	Truncated bool
}

// Render writes a report's keys, summarising as little as needed to stay
// within MaxBytes; a summarised report says so in Truncated and Notes.
func Render(full Report) Rendered {
	return renderStep(summarise(full))
}

// summarise returns the report at the first level that fits MaxBytes (the
// last level when none does).
func summarise(full Report) Report {
	var r Report
	for i, l := range levels {
		last := i == len(levels)-1
		if !l.fitRows && len(full.Projects)*minRowBytes > MaxBytes {
			// Its rows alone cannot fit: rendering this level would be
			// thrown away (10,000 rows are 70 MB of garbage).
			continue
		}
		r = atLevel(full, l)
		switch {
		case !l.fitRows && !allRowsFit(r):
			continue // measured without rendering every row
		case l.fitRows:
			r = fitRows(r)
			if len(r.Projects) == 0 && len(full.Projects) > 0 && !last {
				continue // shorter lists may leave room for rows
			}
		}
		if last || fits(r) {
			break
		}
	}
	return r
}

func fits(r Report) bool { return size(renderStep(r).Data) <= MaxBytes }

func renderStep(r Report) Rendered {
	return Rendered{Data: map[string]string{KeyJSON: renderJSON(r), KeyMarkdown: renderMarkdown(r), KeyCSV: renderCSV(r)}, Truncated: r.Truncated}
}

// minRowBytes is a lower bound of what one project row adds to a report's
// keys: half of what a row of empty fields adds (a row's text only makes it
// longer; the half leaves room for placeholders longer than short values).
var minRowBytes = func() int {
	without := size(renderStep(Report{}).Data)
	with := size(renderStep(Report{Projects: []ProjectRow{{Shortened: []string{}}}}).Data)
	return (with - without) / 2
}()

func size(data map[string]string) int {
	n := 0
	for k, v := range data {
		n += len(k) + len(v)
	}
	return n
}

// atLevel cuts the lists of a level and, if it says so, shortens long
// cells; the project list is left whole. What was cut is noted.
func atLevel(r Report, l level) Report {
	note := func(what string, shown, total int) {
		r.Truncated = true
		r.Notes = append(r.Notes, fmt.Sprintf("summarised: %d of %d %s shown", shown, total, what))
	}
	r.Notes = append([]string(nil), r.Notes...)
	if l.red >= 0 && len(r.Red) > l.red {
		note("Red projects and programmes", l.red, len(r.Red))
		r.Red = r.Red[:l.red]
	}
	if l.red >= 0 && len(r.ToleranceExceptions) > l.red {
		note("tolerance exceptions", l.red, len(r.ToleranceExceptions))
		r.ToleranceExceptions = r.ToleranceExceptions[:l.red]
	}
	if l.gates >= 0 && len(r.Gates) > l.gates {
		note("gate issues", l.gates, len(r.Gates))
		r.Gates = r.Gates[:l.gates]
	}
	if l.dependencies >= 0 && len(r.DependenciesAtRisk) > l.dependencies {
		note("dependencies at risk", l.dependencies, len(r.DependenciesAtRisk))
		r.DependenciesAtRisk = r.DependenciesAtRisk[:l.dependencies]
	}
	if left := r.DirectionOfTravel.Left; l.dependencies >= 0 && len(left) > l.dependencies {
		note("projects that left", l.dependencies, len(left))
		r.DirectionOfTravel.Left = left[:l.dependencies]
	}
	if l.risks >= 0 && len(r.TopRisks) > l.risks {
		r.TopRisks = r.TopRisks[:l.risks] // "top" risks: cutting is the point, not a loss
	}
	if l.risks >= 0 && len(r.TopOpportunities) > l.risks {
		r.TopOpportunities = r.TopOpportunities[:l.risks]
	}
	if l.shortenCells {
		r = shortenCells(r)
	}
	return r
}

// cutRows keeps the first n project rows (the worst health first) and
// notes how many there were.
func cutRows(r Report, n int) Report {
	if n >= len(r.Projects) {
		return r
	}
	r.Truncated = true
	r.Notes = append(append([]string(nil), r.Notes...), fmt.Sprintf("summarised: %d of %d projects (worst health first) shown", n, len(r.Projects)))
	r.projectsTotal = len(r.Projects)
	r.Projects = r.Projects[:n]
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

// csvHeader names the columns of projects.csv.
var csvHeader = []string{"namespace", "name", "programme", "phase", "health", "compliant", "budget", "actual_cost", "forecast_cost", "percent_complete", "manager", "as_of", "reason", "category", "priority", "score", "rank", "dependencies_at_risk", "benefits_planned", "benefits_realised",
	"variance", "delivery_confidence", "health_then", "direction", "forecast_change", "variance_change", "delivery_confidence_then", "periods_red_or_amber"}

// renderCSV writes one row per project. Text cells are neutralised against
// formula injection (csvText); numeric cells are written by the operator
// from exact decimals and stay numbers (csvNumber). A cut list ends with a
// row whose first cell says so (TruncatedMarker), padded to the full width
// so that strict CSV readers still read every row.
func renderCSV(r Report) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(csvHeader)
	for _, p := range r.Projects {
		_ = w.Write(csvRecord(p))
	}
	if r.projectsTotal > len(r.Projects) {
		trailer := make([]string, len(csvHeader))
		trailer[0] = fmt.Sprintf("%s %d of %d projects shown (worst health first)", TruncatedMarker, len(r.Projects), r.projectsTotal)
		_ = w.Write(trailer)
	}
	w.Flush()
	return b.String()
}

// csvRecord is a project's row of projects.csv, in csvHeader's order.
func csvRecord(p ProjectRow) []string {
	return []string{
		csvText(p.Namespace), csvText(p.Name), csvText(p.Programme), csvText(p.Phase), csvText(string(p.Health)), csvText(p.Compliant),
		csvNumber(p.Budget), csvNumber(p.ActualCost), csvNumber(p.ForecastCost), csvNumber(p.PercentComplete),
		csvText(p.Manager), csvText(p.AsOf), csvText(p.Reason),
		csvText(p.Category), csvNumber(p.Priority), csvNumber(p.Score), csvNumber(p.Rank), itoa(int64(p.DependenciesAtRisk)),
		csvNumber(p.BenefitsPlanned), csvNumber(p.BenefitsRealised),
		csvNumber(p.Variance), csvText(string(p.DeliveryConfidence)), csvText(string(p.HealthThen)), csvText(string(p.Direction)),
		csvNumber(p.ForecastCostChange), csvNumber(p.VarianceChange), csvText(string(p.DeliveryConfidenceThen)), itoa(int64(p.PeriodsRedOrAmber)),
	}
}

// TruncatedMarker opens the first cell of the last row of a projects.csv
// whose project list was cut: "# truncated: 500 of 10003 projects shown
// (worst health first)". No namespace starts with '#', so the row cannot be
// mistaken for a project; readers that know comments (pandas comment='#')
// skip it.
const TruncatedMarker = "# truncated:"

// csvText neutralises a text cell as OWASP recommends against CSV (formula)
// injection: a cell starting with '=', '+', '-', '@', a tab or a carriage
// return (or their full-width forms, which some spreadsheets also read as
// formulas) gets a leading single quote, so a spreadsheet shows it as text
// and never evaluates it. Quoting of commas, quotes and line breaks is left
// to encoding/csv.
func csvText(s string) string {
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(s)
	if strings.ContainsRune("=+-@\t\r＝＋－＠", r) {
		return "'" + s
	}
	return s
}

// plainDecimal matches the numbers the operator writes: an optional minus,
// digits, an optional fraction.
var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// csvNumber keeps a numeric cell a number, negative ones included, when it
// is a plain decimal (always, as the operator writes them from exact
// decimals); anything else is treated as text.
func csvNumber(s string) string {
	if plainDecimal.MatchString(s) {
		return s
	}
	return csvText(s)
}

// human writes an exact decimal string for people, rounded for reading.
func human(s string) string {
	if s == "" {
		return "–"
	}
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		return text(s)
	}
	return money.Display(d)
}

// text renders user text (names, reasons, risk descriptions, messages) as
// literal Markdown text, for a table cell or a line of prose:
//   - line breaks (CR, LF, CRLF) and every other control character become
//     a space, so that a parser never ends a table row or paragraph early;
//   - every ASCII character that can open or close an inline construct of
//     CommonMark or GitHub Flavored Markdown is backslash-escaped: \ ` * _
//     [ ] < > ! & | ~ @ $ (emphasis, code, links and images, raw HTML,
//     autolinks, entities, table cells, strikethrough, e-mail links, math);
//   - the GFM extended autolinks are broken: a ':' followed by "//" and the
//     '.' of "www." are escaped too.
//
// Block constructs (headings, lists, quotes, setext underlines) only open
// at the start of a line, and text never starts one: it always follows
// "| " or our own words. A backslash-escaped character renders as itself,
// so a reader sees the text as written.
func text(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case strings.HasPrefix(s[i:], "\r\n"):
			b.WriteByte(' ')
			size = 2
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>!&|~@$", r),
			r == ':' && strings.HasPrefix(s[i+1:], "//"),
			r == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteString(s[i : i+size]) // as written, even invalid UTF-8
		}
		i += size
	}
	return b.String()
}

// renderMarkdown writes the dashboard. Every string taken from the report
// goes through text (or human, for amounts), so nothing a user wrote can
// become markup, a link or an extra table row.
func renderMarkdown(r Report) string {
	var m markdown
	m.summary(r)
	m.money(r)
	m.priorities(r.Strategy)
	m.travel(r)
	m.evidence(r.Evidence)
	m.toleranceExceptions(r.ToleranceExceptions)
	m.red(r.Red)
	m.gates(r.Gates)
	m.dependencies(r.DependenciesAtRisk)
	m.risks(r.Risks, r.TopRisks, r.TopOpportunities)
	m.phases(r.Counts.ByPhase)
	m.projects(r.Projects)
	return m.b.String()
}

// markdown is a dashboard being written, a section at a time.
type markdown struct{ b strings.Builder }

// p writes to the dashboard, formatted as by fmt.Sprintf.
func (m *markdown) p(format string, args ...any) { fmt.Fprintf(&m.b, format, args...) }

// markdownName is an object's namespace and name as dashboard text.
func markdownName(ns, n string) string { return text(ns) + "/" + text(n) }

// summary writes the title, the notes and the table of counts.
func (m *markdown) summary(r Report) {
	m.p("# %s %s — %s\n\n", text(r.Kind), markdownName(r.Namespace, r.Name), text(string(r.Health)))
	for _, n := range r.Notes {
		m.p("> **Note:** %s\n\n", text(n))
	}
	m.p("| | |\n|---|---|\n")
	m.p("| Health | **%s** |\n", text(string(r.Health)))
	if r.Counts.Portfolios > 0 || r.Kind == "Office" {
		m.p("| Portfolios | %d |\n", r.Counts.Portfolios)
	}
	if r.Counts.Satellites > 0 {
		m.p("| Satellite offices | %d |\n", r.Counts.Satellites)
	}
	m.p("| Programmes | %d |\n| Projects | %d |\n", r.Counts.Programmes, r.Counts.Projects)
	h := r.Counts.ByHealth
	m.p("| Open projects Green / Amber / Red / Unknown | %d / %d / %d / %d |\n", h.Green, h.Amber, h.Red, h.Unknown)
	c := r.Compliance
	m.p("| %s | %d / %d / %d |\n", ComplianceLabel, c.Compliant, c.NonCompliant, c.Unknown)
	if r.Counts.Refused > 0 {
		m.p("| Refused attachments | %d |\n", r.Counts.Refused)
	}
}

// money writes the Money section: the totals, what they leave out, the
// capacity and the benefits.
func (m *markdown) money(r Report) {
	m.p("\n## Money (%s)\n\n| Budget | Actual | Forecast | Variance |\n|---:|---:|---:|---:|\n", text(orDash(r.Currency)))
	m.p("| %s | %s | %s | %s |\n", human(r.Totals.Budget), human(r.Totals.ActualCost), human(r.Totals.ForecastCost), human(r.Totals.Variance))
	for _, l := range r.Totals.LeftOut {
		m.p("\n> **Totals incomplete:** %s amounts are in %s, not %s, and are not added (%s); no total is shown.\n",
			words.Count(int(l.Count), "object's", "objects'"), text(string(l.Currency)), text(orDash(r.Currency)), text(strings.Join(l.Objects, ", ")))
	}
	if r.Capacity != nil {
		over := "committed unknown, so capacity cannot be compared"
		switch {
		case r.Capacity.OverCommitted == nil:
		case *r.Capacity.OverCommitted:
			over = "**over-committed**"
		default:
			over = "within capacity"
		}
		m.p("\nCapacity %s, committed %s: %s.\n", human(r.Capacity.Capacity), human(r.Capacity.Committed), over)
	}
	m.p("\nBenefits: planned %s, realised %s.\n", human(r.Totals.BenefitsPlanned), human(r.Totals.BenefitsRealised))
	m.capacityByYear(r.CapacityByYear)
	m.portfoliosByYear(r.PortfoliosByYear)
	m.benefits(r.Currency, r.Benefits)
}

// capacityByYear writes a portfolio's capacity against committed by
// financial year, with what no year holds.
func (m *markdown) capacityByYear(c *CapacityByYear) {
	if c == nil {
		return
	}
	m.p("\n## Capacity by financial year\n\nEach year is named by the calendar year in which it starts (the governing office's financial year start).\n\n")
	markdownTable(m, "No years.\n", "| Year | Capacity | Committed | |\n|---:|---:|---:|---|\n", c.Years, func(y YearCapacity) string {
		verdict := v1alpha1.OverCommittedWords(y.OverCommitted)
		switch {
		case y.Capacity != "" && y.OverCommitted == nil:
			verdict = "committed unknown"
		case y.OverCommitted != nil && *y.OverCommitted:
			verdict = "**" + verdict + "**"
		}
		return fmt.Sprintf("| %d | %s | %s | %s |\n", y.Year, human(y.Capacity), human(y.Committed), verdict)
	})
	switch c.NotPhased {
	case "":
		m.p("\nCommitted by year unknown: amounts in another currency are left out.\n")
	case "0":
	default:
		m.p("\nNot phased: %s (committed, but in no year).\n", human(c.NotPhased))
	}
}

// markdownTable writes a table: header (with its delimiter row), then a
// row per item; with no items, none instead.
func markdownTable[T any](m *markdown, none, header string, items []T, row func(T) string) {
	if len(items) == 0 {
		m.b.WriteString(none)
		return
	}
	m.b.WriteString(header)
	for _, item := range items {
		m.b.WriteString(row(item))
	}
}

// toleranceExceptions writes the Exceptions section: PRINCE2's
// exceptions, the forecasts beyond tolerance, each by its kind in the
// method's words and what it does to health.
func (m *markdown) toleranceExceptions(exceptions []ToleranceExceptionItem) {
	m.p("\n## Exceptions\n\nForecasts beyond tolerance (PRINCE2), by project.\n\n")
	markdownTable(m, "No forecast is beyond tolerance.\n", "| Exception | Project | Health | Detail |\n|---|---|---|---|\n", exceptions, func(e ToleranceExceptionItem) string {
		return fmt.Sprintf("| %s | %s | %s | %s |\n", text(e.Kind.Words()), markdownName(e.Namespace, e.Project), text(string(e.Health)), text(e.Message))
	})
}

// red writes the section of Red projects and programmes, with why.
func (m *markdown) red(red []RedItem) {
	m.p("\n## Red projects and programmes\n\n")
	markdownTable(m, "No project or programme is Red.\n", "| Kind | Name | Why |\n|---|---|---|\n", red, func(e RedItem) string {
		return fmt.Sprintf("| %s | %s | %s |\n", text(e.Kind), markdownName(e.Namespace, e.Name), text(strings.Join(e.Reasons, "; ")))
	})
}

// gates writes the section of gates failing or due.
func (m *markdown) gates(gates []GateItem) {
	m.p("\n## Gates failing or due\n\n")
	markdownTable(m, "Every gate due is met.\n", "| Kind | Name | Gate | State | Detail |\n|---|---|---|---|---|\n", gates, func(g GateItem) string {
		return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", text(g.Kind), markdownName(g.Namespace, g.Name), text(g.Gate), text(string(g.State)), text(g.Message))
	})
}

// dependencies writes the section of dependencies at risk.
func (m *markdown) dependencies(deps []DependencyItem) {
	m.p("\n## Dependencies at risk\n\n")
	markdownTable(m, "No dependency is at risk.\n", "| Kind | Name | Depends on | Needed by | Cause | Impact | Detail |\n|---|---|---|---|---|---|---|\n", deps, func(d DependencyItem) string {
		return fmt.Sprintf("| %s | %s | %s %s | %s | %s | %s | %s |\n", text(d.Kind), markdownName(d.Namespace, d.Name),
			text(string(d.ProviderKind)), markdownName(d.ProviderNamespace, d.ProviderName), text(d.NeededBy), text(string(d.Cause)), text(string(d.Impact)), text(d.Status().Text()))
	})
}

// risks writes the Top risks section: threats and opportunities apart
// (M_o_R), each with its counts and its most severe.
func (m *markdown) risks(risks v1alpha1.RiskSummary, threats, opportunities []RiskItem) {
	m.p("\n## Top risks\n\nOpen threats: %d, of which high: %d; exposure %d.\n\n", risks.Open, risks.High, risks.Exposure)
	riskTable(m, "Threat", threats)
	m.p("\nOpen opportunities: %d; exposure %d.\n\n", risks.Opportunities, risks.OpportunityExposure)
	riskTable(m, "Opportunity", opportunities)
}

// riskTable writes the table of a kind of risk.
func riskTable(m *markdown, kind string, items []RiskItem) {
	markdownTable(m, "", "| Severity | "+kind+" | Of | Proximity | Owner | Description |\n|---:|---|---|---|---|---|\n", items, func(k RiskItem) string {
		return fmt.Sprintf("| %d | %s | %s | %s | %s | %s |\n", k.Severity, text(k.Risk), markdownName(k.Namespace, k.Object),
			text(orDash(string(k.Proximity))), text(orDash(k.Owner)), text(k.Description))
	})
}

// phases writes the By phase section, when any object is counted by phase.
func (m *markdown) phases(byPhase []v1alpha1.PhaseCount) {
	markdownTable(m, "", "\n## By phase\n\n| Kind | Phase | Count |\n|---|---|---:|\n", byPhase, func(pc v1alpha1.PhaseCount) string {
		return fmt.Sprintf("| %s | %s | %d |\n", text(string(pc.Kind)), text(string(pc.Phase)), pc.Count)
	})
}

// projects writes the Projects table, when there are projects.
func (m *markdown) projects(rows []ProjectRow) {
	markdownTable(m, "", "\n## Projects\n\n| Project | Phase | Health | Compliant | Budget | Forecast | Done | Why |\n|---|---|---|---|---:|---:|---:|---|\n",
		rows, markdownProjectRow)
}

// markdownProjectRow is a project's row of the dashboard's Projects table.
func markdownProjectRow(row ProjectRow) string {
	done := "–"
	if row.PercentComplete != "" {
		done = text(row.PercentComplete) + "%"
	}
	return fmt.Sprintf("| %s/%s | %s | %s | %s | %s | %s | %s | %s |\n", text(row.Namespace), text(row.Name), text(row.Phase), text(string(row.Health)),
		text(orDash(row.Compliant)), human(row.Budget), human(row.ForecastCost), done, text(row.Reason))
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ComplianceLabel heads the summary row counting compliance: it counts the
// projects and the programmes beneath, not the projects alone.
const ComplianceLabel = "Projects and programmes compliant / non-compliant / unknown"

// benefits writes realised against planned by due financial year: money
// summed per year, other units listed one benefit a row, never summed.
func (m *markdown) benefits(currency string, b Benefits) {
	if len(b.ByYear) == 0 && len(b.Measured) == 0 {
		return
	}
	m.p("\n## Benefits by due year\n\nRealised against planned by the financial year each benefit falls due in; each benefit counted once (a project's contribution counts in its programme's benefit).\n\n")
	markdownTable(m, "", "| Due year | Measure | Benefits | Planned | Forecast | Realised |\n|---:|---|---:|---:|---:|---:|\n", b.ByYear, func(y BenefitYear) string {
		return fmt.Sprintf("| %s | Money (%s) | %d | %s | %s | %s |\n", dueYear(y.Year), text(orDash(currency)), y.Benefits, human(y.Planned), human(y.Forecast), human(y.Realised))
	})
	if len(b.Measured) == 0 {
		return
	}
	m.p("\nMeasured in other units (listed, never summed):\n\n")
	markdownTable(m, "", "| Due year | Due | Benefit | Held by | Measure | Baseline | Target | Forecast | Realised |\n|---:|---|---|---|---|---:|---:|---:|---:|\n", b.Measured, func(x v1alpha1.MeasuredBenefit) string {
		measure := string(x.Unit)
		if x.Label != "" {
			measure += ": " + x.Label
		}
		return fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", dueYear(x.Year), orDash(string(x.Due)), text(x.Name), text(x.Holder), text(measure),
			text(orDash(x.Baseline)), text(orDash(x.Target)), text(orDash(x.Forecast)), text(orDash(x.Realised)))
	})
	if b.MeasuredNotListed > 0 {
		m.p("\nAnd %s more in other units, not listed.\n", words.Count(int(b.MeasuredNotListed), "benefit", "benefits"))
	}
}

// dueYear names a due financial year; 0 is no due date.
func dueYear(y int32) string {
	if y == 0 {
		return "none"
	}
	return itoa(int64(y))
}
