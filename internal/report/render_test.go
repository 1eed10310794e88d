/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// hostile is text a user could write into a name, reason, risk or gate
// that a Markdown reader must show as written.
var hostile = []string{
	"<script>alert(1)</script>",
	"[x](javascript:alert(1))",
	"![img](https://evil.example/x.png)",
	"<img src=x onerror=alert(1)>",
	"<https://evil.example/autolink> and <javascript:alert(1)>",
	"see https://evil.example/path, www.evil.example or owner@evil.example",
	"line one\r\n| injected | row |\n\n# heading\rafter a lone CR",
	"a | b \\| c ends with a backslash \\",
	"`code` **bold** _em_ ~~strike~~ $x^2$ &lt;entity&gt; &#60;script&#62;",
	"[ref]: javascript:alert(1) and [ref] and [^note]",
	"- item\n> quote\n1. one\n    indented code\n=== setext",
}

// markdownToHTML renders Markdown as GitHub does (CommonMark with the GFM
// tables, autolinks and strikethrough), letting raw HTML through so that
// any HTML the report lets in would show.
func markdownToHTML(t testing.TB, md string) string {
	t.Helper()
	var out bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := gm.Convert([]byte(md), &out); err != nil {
		t.Fatalf("rendering report.md: %v", err)
	}
	return out.String()
}

var (
	tableRE = regexp.MustCompile(`(?s)<table>.*?</table>`)
	rowRE   = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRE  = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
	tagRE   = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)`)
	escHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	// plain is how text reads once rendered: line breaks become spaces.
	plain = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")
)

// tables returns the cells of every table of an HTML document.
func tables(doc string) [][][]string {
	var out [][][]string
	for _, table := range tableRE.FindAllString(doc, -1) {
		var rows [][]string
		for _, row := range rowRE.FindAllStringSubmatch(table, -1) {
			var cells []string
			for _, c := range cellRE.FindAllStringSubmatch(row[1], -1) {
				cells = append(cells, c[1])
			}
			rows = append(rows, cells)
		}
		out = append(out, rows)
	}
	return out
}

// The dashboard shows every piece of user text as written, in its own cell:
// no script, link, image or raw HTML, and no table gains or loses a row.
func TestMarkdownShowsUserTextAsText(t *testing.T) {
	in := sampleInput()
	erp, portal, closed := in.Projects[0], in.Projects[1], in.Projects[2]
	erp.Name = hostile[1]
	erp.Status.HealthReasons = hostile
	erp.Spec.Risks = []v1alpha1.Risk{{Name: hostile[0], Owner: hostile[5], Description: hostile[6], Probability: 5, Impact: 5}}
	erp.Status.Compliance.Gates[0].Description = hostile[3]
	erp.Status.Compliance.Gates[0].Message = hostile[7]
	portal.Status.HealthReasons = []string{hostile[8]}
	portal.Spec.Risks = []v1alpha1.Risk{{Name: hostile[9], Owner: hostile[2], Description: hostile[10], Probability: 4, Impact: 4},
		{Name: hostile[3], Kind: v1alpha1.RiskOpportunity, Owner: hostile[4], Description: hostile[5], Proximity: v1alpha1.Date(hostile[6]), Probability: 3, Impact: 3}}
	erp.Status.ToleranceExceptions[0].Message = hostile[2]
	portal.Status.ToleranceExceptions[0].Kind = v1alpha1.ToleranceExceptionKind(hostile[9])
	closed.Status.Compliance.Gates[0].Message = hostile[4]
	m := in.Rollup.Benefits.Measured
	m[0].Name, m[0].Label, m[0].Holder, m[1].Name, m[1].Label = hostile[6], hostile[7], hostile[1], hostile[0], hostile[10]
	r := Build(in)
	md := Render(r).Data[KeyMarkdown]
	doc := markdownToHTML(t, md)

	allowed := []string{"h1", "h2", "p", "blockquote", "strong", "table", "thead", "tbody", "tr", "th", "td"}
	var elements []string
	for _, m := range tagRE.FindAllStringSubmatch(doc, -1) {
		if e := strings.ToLower(m[1]); !slices.Contains(allowed, e) && !slices.Contains(elements, e) {
			elements = append(elements, e)
		}
	}
	if len(elements) > 0 {
		t.Errorf("report.md renders %q elements; user text must stay text:\n%s", elements, doc)
	}
	for _, bad := range []string{"<script", "<a href=", "<img", "raw HTML omitted", "javascript:alert(1)\""} {
		if strings.Contains(doc, bad) {
			t.Errorf("the rendered report contains %q", bad)
		}
	}

	// Rows per table: the overview (header, health, programmes, projects,
	// by health, compliance), money, capacity by financial year, benefits
	// by due year and in other units, ranking,
	// balance by category and by objective, undeclared references,
	// direction of travel (counts, projects, projects that left), tolerance exceptions, Red projects and programmes,
	// gates, dependencies at risk, threats, opportunities, phases, projects.
	got := tables(doc)
	s := r.Strategy
	want := []int{6, 2, 1 + len(r.CapacityByYear.Years), 1 + len(r.Benefits.ByYear), 1 + len(r.Benefits.Measured), 1 + len(s.Ranking), 1 + len(s.ByCategory), 1 + len(s.ByObjective), 1 + len(s.Unknown),
		2, 1 + len(r.Projects), 1 + len(r.DirectionOfTravel.Left),
		1 + len(r.ToleranceExceptions), 1 + len(r.Red), 1 + len(r.Gates), 1 + len(r.DependenciesAtRisk), 1 + len(r.TopRisks), 1 + len(r.TopOpportunities),
		1 + len(r.Counts.ByPhase), 1 + len(r.Projects)}
	if len(got) != len(want) {
		t.Fatalf("%d tables rendered; want %d:\n%s", len(got), len(want), doc)
	}
	for i, rows := range got {
		if len(rows) != want[i] {
			t.Errorf("table %d has %d rows; want %d", i, len(rows), want[i])
		}
		for _, row := range rows {
			if len(row) != len(rows[0]) {
				t.Errorf("table %d: row %q has %d cells; the header has %d", i, row, len(row), len(rows[0]))
			}
		}
	}

	// Each text is whole, as written, in one cell.
	var cells []string
	for _, table := range got {
		for _, row := range table {
			cells = append(cells, row...)
		}
	}
	// hostile[1] is a project's name: it reads as namespace/name.
	texts := append([]string{strings.Join(hostile, "; "), "p3o-central/" + hostile[1], hostile[0]}, hostile[2:]...)
	for _, s := range texts {
		if want := escHTML.Replace(strings.TrimSpace(plain.Replace(s))); !slices.Contains(cells, want) {
			t.Errorf("no cell reads %q as written", want)
		}
	}
}

// FuzzMarkdownText puts arbitrary text in a table cell: the table keeps its
// one row and cell, and nothing renders but the text.
func FuzzMarkdownText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("www.a.b http://a.b/c mailto:x@y.z xmpp:x@y.z \u2028 \x00 \x85")
	f.Fuzz(func(t *testing.T, s string) {
		doc := markdownToHTML(t, "| a |\n|---|\n| "+text(s)+" |\n")
		got := tables(doc)
		if len(got) != 1 || len(got[0]) != 2 || len(got[0][1]) != 1 {
			t.Fatalf("text(%q) breaks the table: %q", s, got)
		}
		for _, m := range tagRE.FindAllStringSubmatch(got[0][1][0], -1) {
			t.Fatalf("text(%q) renders a <%s> element: %s", s, m[1], got[0][1][0])
		}
	})
}

// projects.csv neutralises formulas in text cells, but a negative amount
// stays a number.
func TestCSVNeutralisesFormulas(t *testing.T) {
	in := sampleInput()
	erp := in.Projects[0]
	formulas := map[string]string{
		"manager":   `=HYPERLINK("https://evil.example","click")`,
		"reason":    "+1+cmd|' /C calc'!A0",
		"programme": "@SUM(1+1)*cmd|' /C calc'!A0",
	}
	erp.Spec.Manager = formulas["manager"]
	erp.Status.HealthReasons = []string{formulas["reason"]}
	erp.Spec.ProgrammeRef.Name = v1alpha1.ObjectName(formulas["programme"])
	portal := in.Projects[1]
	portal.Spec.Manager, portal.Status.HealthReasons = "-2+3", []string{"\t=1+1"}
	portal.Spec.Plan.Budget = qty("-1500.5")
	closed := in.Projects[2]
	closed.Spec.Manager, closed.Status.HealthReasons = "\r=1+1", []string{"＝1+1"}

	rows, err := csv.NewReader(strings.NewReader(Render(Build(in)).Data[KeyCSV])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r＝", []rune(cell)[0]) && !slices.Contains([]string{"budget", "variance", "forecast_change", "variance_change"}, rows[0][i]) {
				t.Errorf("%s cell %q starts a formula", rows[0][i], cell)
			}
		}
		switch row[col("name")] {
		case "erp-migration":
			if got := row[col("manager")]; got != "'"+formulas["manager"] {
				t.Errorf("manager cell %q; want the text behind a quote", got)
			}
			if got := row[col("reason")]; got != "'"+formulas["reason"] {
				t.Errorf("reason cell %q; want the text behind a quote", got)
			}
		case "customer-portal":
			if got := row[col("budget")]; got != "-1500.50" {
				t.Errorf("budget cell %q; a negative amount stays a number", got)
			}
			if got := row[col("manager")]; got != "'-2+3" {
				t.Errorf("manager cell %q; text that looks like a sum is neutralised", got)
			}
		}
	}
}

// A cut projects.csv says so in its last row, and every row has the full
// width so a strict reader still reads the file.
func TestTruncatedCSVSaysSo(t *testing.T) {
	in := sampleInput()
	for i := range 3000 {
		p := project(fmt.Sprintf("project-%05d-with-a-long-descriptive-name", i), v1alpha1.HealthAmber, "1.2M", "1.25M",
			"cost forecast 1.25M uses 40% of the 10% tolerance on budget 1.2M and a long explanation "+strings.Repeat("y", 200))
		in.Projects = append(in.Projects, p)
	}
	rendered := Render(Build(in))
	if !rendered.Truncated {
		t.Fatal("a report of 3003 long rows was not cut; the test needs a larger one")
	}
	rows, err := csv.NewReader(strings.NewReader(rendered.Data[KeyCSV])).ReadAll()
	if err != nil {
		t.Fatalf("projects.csv does not read as CSV: %v", err)
	}
	last := rows[len(rows)-1]
	want := fmt.Sprintf("# truncated: %d of 3003 projects shown (worst health first)", len(rows)-2)
	if last[0] != want || strings.Join(last[1:], "") != "" {
		t.Errorf("last row %q; want %q", last, want)
	}

	small, err := csv.NewReader(strings.NewReader(Render(Build(sampleInput())).Data[KeyCSV])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range small {
		if strings.HasPrefix(row[0], TruncatedMarker) {
			t.Errorf("a complete projects.csv says it is truncated: %q", row)
		}
	}
}

// Skipping the levels whose rows alone cannot fit gives the very report that
// trying every level would have given.
func TestSkippingLevelsThatCannotFitChangesNothing(t *testing.T) {
	if minRowBytes <= 0 {
		t.Fatalf("minRowBytes %d: no lower bound", minRowBytes)
	}
	for _, n := range []int{10, 2500, 10_000} {
		in := sampleInput()
		for i := range n {
			p := project(fmt.Sprintf("project-%05d", i), v1alpha1.HealthAmber, "100k", "104k", "cost forecast 104k uses 40% of the 10% tolerance on budget 100k")
			in.Projects = append(in.Projects, p)
		}
		full := Build(in)
		var want Report
		for i, l := range levels {
			want = atLevel(full, l)
			if l.fitRows {
				want = fitRows(want)
				if len(want.Projects) == 0 && i < len(levels)-1 {
					continue
				}
			}
			if fits(want) {
				break
			}
		}
		if got := Render(full); !reflect.DeepEqual(got, renderStep(want)) {
			t.Errorf("%d projects: Render differs from trying every level (truncated %v, want %v)", n, got.Truncated, want.Truncated)
		}
	}
	// The bound holds: no rendered row is shorter.
	full := Build(sampleInput())
	for i := range full.Projects {
		one := full
		one.Projects = full.Projects[i : i+1]
		none := full
		none.Projects = nil
		if added := size(renderStep(one).Data) - size(renderStep(none).Data); added < minRowBytes {
			t.Errorf("row %s adds %d bytes, below the bound %d", full.Projects[i].Name, added, minRowBytes)
		}
	}
}
