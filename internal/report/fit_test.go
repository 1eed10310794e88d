/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/travel"
)

// highRisks is a register of n risks, each high, with names of the longest
// length allowed (63 characters).
func highRisks(n int) []v1alpha1.Risk {
	risks := make([]v1alpha1.Risk, n)
	for i := range risks {
		name := fmt.Sprintf("R-%03d-", i)
		risks[i] = v1alpha1.Risk{Name: name + strings.Repeat("x", 63-len(name)), Probability: 5, Impact: 5, Owner: "risk-owner@example.org"}
	}
	return risks
}

// decoded is a rendered report read back: report.json and the rows of
// projects.csv.
func decoded(t *testing.T, data map[string]string) (Report, [][]string) {
	t.Helper()
	var r Report
	if err := json.Unmarshal([]byte(data[KeyJSON]), &r); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(data[KeyCSV])).ReadAll()
	if err != nil {
		t.Fatalf("projects.csv: %v", err)
	}
	return r, rows
}

// The case of the issue: 61 projects, each Amber with 128 high risks named
// in its health reason. Every project is listed, its reason shortened and
// marked, instead of "0 of 61 projects shown".
func TestSixtyOneProjectsWithLongReasonsAreAllShown(t *testing.T) {
	in := sampleInput()
	in.Projects = nil
	for i := range 61 {
		risks := highRisks(128)
		h, reason := health.AssessRisks(risks, health.DefaultPolicy)
		p := project(fmt.Sprintf("project-%02d", i), h, "1.2M", "1.25M", reason)
		p.Spec.Risks = risks
		in.Projects = append(in.Projects, p)
	}
	full := Build(in)
	if n := size(renderStep(full).Data); n <= MaxBytes {
		t.Fatalf("the full report is %d bytes, within the limit: the test needs longer reasons", n)
	}
	rendered := Render(full)
	r, rows := decoded(t, rendered.Data)
	t.Logf("%d of 61 projects shown in %d bytes (limit %d); reason %d characters in full", len(r.Projects), size(rendered.Data), MaxBytes, utf8.RuneCountInString(full.Projects[0].Reason))
	if n := size(rendered.Data); n > MaxBytes {
		t.Fatalf("report is %d bytes; budget %d", n, MaxBytes)
	}
	if len(r.Projects) != 61 || len(rows) != 62 {
		t.Fatalf("%d projects in report.json, %d CSV rows; want all 61 and a header (notes %q)", len(r.Projects), len(rows), r.Notes)
	}
	for i, row := range r.Projects {
		want, _ := strings.CutSuffix(full.Projects[i].Reason, "")
		if !slices.Equal(row.Shortened, []string{"reason"}) || !strings.HasSuffix(row.Reason, shortenedMark) ||
			utf8.RuneCountInString(row.Reason) != cellRunes || !strings.HasPrefix(want, strings.TrimSuffix(row.Reason, shortenedMark)) {
			t.Fatalf("row %s: reason %q shortened %q; want the reason's start, marked", row.Name, row.Reason, row.Shortened)
		}
		if got := rows[i+1][slices.Index(csvHeader, "reason")]; got != row.Reason {
			t.Errorf("CSV reason %q; want the JSON's %q", got, row.Reason)
		}
	}
	if !rendered.Truncated || !r.Truncated || !strings.Contains(rendered.Data[KeyMarkdown], "> **Note:** shortened: ") {
		t.Errorf("truncated %v, notes %q: the report does not say cells were shortened", r.Truncated, r.Notes)
	}
	for _, k := range r.TopRisks {
		if len(k.Shortened) != 0 {
			t.Errorf("risk %s shortened %q, its description is short", k.Risk, k.Shortened)
		}
	}
}

// A report that is not too large is not shortened.
func TestShortReportKeepsItsCells(t *testing.T) {
	full := Build(sampleInput()) // with a direction of travel table
	long := strings.Repeat("a long reason ", 100)
	full.Projects[0].Reason = long
	r := summarise(full)
	if r.Projects[0].Reason != long || len(r.Projects[0].Shortened) != 0 || r.Truncated {
		t.Errorf("reason %d characters, shortened %q, truncated %v; want it whole", len(r.Projects[0].Reason), r.Projects[0].Shortened, r.Truncated)
	}
}

func TestShortenCellKeepsWholeCharacters(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"abc", 3, "abc", false},
		{"abcd", 3, "ab…", true},
		{"ééééé", 4, "ééé…", true},
		{"a\xffbcd", 3, "a\xff…", true},
	} {
		got, cut := shortenCell(tc.in, tc.max)
		if got != tc.want || cut != tc.cut {
			t.Errorf("shortenCell(%q, %d) = %q, %v; want %q, %v", tc.in, tc.max, got, cut, tc.want, tc.cut)
		}
	}
}

// randomInput is an organisation of random size: up to 1500 projects of
// every health, reasons up to 6,000 characters, Red ones with several long
// reasons, long gate messages and risk descriptions.
func randomInput(rng *rand.Rand) Input {
	in := sampleInput()
	healths := []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed, v1alpha1.HealthUnknown}
	longText := func(max int) string { return strings.Repeat("w", rng.IntN(max+1)) }
	for i := range rng.IntN(1500) {
		h := healths[rng.IntN(len(healths))]
		p := project(fmt.Sprintf("p-%04d-%s", i, strings.Repeat("n", rng.IntN(200))), h, "1M", "1.1M", longText(6000), longText(3000))
		p.Spec.Manager = longText(128)
		if rng.IntN(4) == 0 {
			p.Status.Compliance.Gates = []v1alpha1.GateStatus{{Name: "gate-3", Description: "Gate 3", State: v1alpha1.GateUnmet, Message: longText(4000)}}
		}
		if rng.IntN(4) == 0 {
			p.Spec.Risks = []v1alpha1.Risk{{Name: "R-1", Probability: 5, Impact: 5, Description: longText(1024)}}
		}
		in.Projects = append(in.Projects, p)
	}
	return in
}

// Over organisations of random sizes a report is under the limit, lists the
// worst-health projects first, never shows no project while one would fit,
// and cuts rows only when the next row would not have fitted.
func TestReportsDegradeGradually(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 61))
	const cases = 24
	cutCases := 0
	for c := range cases {
		full := Build(randomInput(rng))
		rendered := Render(full)
		r, rows := decoded(t, rendered.Data)
		n := size(rendered.Data)
		if n > MaxBytes {
			t.Errorf("case %d: %d projects give %d bytes; budget %d", c, len(full.Projects), n, MaxBytes)
		}
		if len(rows) < len(r.Projects)+1 {
			t.Errorf("case %d: %d CSV rows for %d projects", c, len(rows), len(r.Projects))
		}
		for i, row := range r.Projects {
			if row.Namespace != full.Projects[i].Namespace || row.Name != full.Projects[i].Name {
				t.Fatalf("case %d: row %d is %s; want %s (worst health first)", c, i, row.Name, full.Projects[i].Name)
			}
		}
		oneRowFits := fits(cutRows(atLevel(full, levels[len(levels)-1]), 1))
		if len(full.Projects) > 0 && len(r.Projects) == 0 && oneRowFits {
			t.Errorf("case %d: 0 of %d projects shown in %d bytes, though one row fits", c, len(full.Projects), n)
		}
		if shown := len(r.Projects); shown < len(full.Projects) {
			cutCases++
			next := renderedRowBytes(full, shown)
			if n+next <= MaxBytes-64 {
				t.Errorf("case %d: %d of %d projects shown in %d bytes; the next row (%d bytes) would have fitted", c, shown, len(full.Projects), n, next)
			}
		}
	}
	if cutCases < cases/4 {
		t.Errorf("only %d of %d cases cut rows: the sizes are too small to test cutting", cutCases, cases)
	}
}

// renderedRowBytes is what full's project i adds to a report of one row,
// shortened: measured by rendering, not by rowBytes.
func renderedRowBytes(full Report, i int) int {
	row := shortenCells(Report{Projects: full.Projects[i : i+1]}).Projects
	return size(renderStep(Report{Projects: row}).Data) - size(renderStep(Report{}).Data)
}

// What rowsThatFit adds up is what rendering gives, byte for byte, for
// rows of any text (quotes, commas, line breaks, Markdown, controls,
// invalid UTF-8): the levels it skips could not have fitted.
func TestRowBytesAreExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	alphabet := []string{"a", "é", ",", "\"", "\n", "\r\n", "|", "*", "<", "\x1b", "\xff", "www.", "://", "=", "-", " ", "…"}
	randomText := func() string {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	full := Build(sampleInput()) // with a direction of travel table
	var rows []ProjectRow
	for range 50 {
		rows = append(rows, ProjectRow{Namespace: randomText(), Name: randomText(), Programme: randomText(), Phase: randomText(),
			Health: v1alpha1.Health(randomText()), Compliant: randomText(), Budget: "-12.5", ActualCost: randomText(), ForecastCost: "7",
			PercentComplete: randomText(), Manager: randomText(), AsOf: randomText(), Reason: randomText(), Shortened: []string{},
			HealthThen: v1alpha1.Health(randomText()), Direction: travel.Direction(randomText()), ForecastCostChange: "-3", PeriodsRedOrAmber: rng.Int32N(20),
			DeliveryConfidence: v1alpha1.DeliveryConfidence(randomText()), DeliveryConfidenceThen: v1alpha1.DeliveryConfidence(randomText())})
	}
	with := func(n int) Report { r := full; r.Projects = rows[:n]; return r }
	head := size(renderStep(with(1)).Data) - size(renderStep(with(0)).Data) - rowBytes(rows[0], true)
	sum := size(renderStep(with(0)).Data) + head
	for n := 1; n <= len(rows); n++ {
		sum += rowBytes(rows[n-1], full.DirectionOfTravel.Since != "")
		if got := size(renderStep(with(n)).Data); got != sum {
			t.Fatalf("%d rows render to %d bytes; rowBytes adds up to %d", n, got, sum)
		}
	}
}
