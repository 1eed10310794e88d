/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

var (
	rowHook  = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	cellHook = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
)

// section is the part of a page from the heading id given up to the next
// section.
func section(t *testing.T, body, id string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `id="`+id+`"`)
	if !ok {
		t.Fatalf("no section %q on the page:\n%s", id, body)
	}
	rest, _, _ = strings.Cut(rest, "</section>")
	return rest
}

// tableRows are the body rows of the table marked data-table=name, each
// as the text of its cells.
func tableRows(t *testing.T, s, name string) [][]string {
	t.Helper()
	_, rest, ok := strings.Cut(s, `data-table="`+name+`"`)
	if !ok {
		t.Fatalf("no table %q in:\n%s", name, s)
	}
	rest, _, _ = strings.Cut(rest, "</table>")
	_, rest, _ = strings.Cut(rest, "<tbody>")
	var rows [][]string
	for _, r := range rowHook.FindAllStringSubmatch(rest, -1) {
		var cells []string
		for _, c := range cellHook.FindAllStringSubmatch(r[1], -1) {
			cells = append(cells, text(c[1]))
		}
		rows = append(rows, cells)
	}
	return rows
}

// flagWords are the words each balance weight must read as.
var flagWords = map[v1alpha1.BalanceWeight]string{
	v1alpha1.BalanceOverWeight: "over-weight", v1alpha1.BalanceUnderWeight: "under-weight",
	v1alpha1.BalanceBalanced: "balanced", v1alpha1.BalanceNoTarget: "no target",
}

func percentOr(p *int32) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%d%%", *p)
}

func eur(a v1alpha1.Amount) string { return money.Display(money.Value(a)) + " EUR" }

// wantBalance are the rows a balance table must show for published lines
// and the money in none of them.
func wantBalance(lines []v1alpha1.BalanceLine, rest v1alpha1.Amount, restName string) [][]string {
	var want [][]string
	for _, l := range lines {
		want = append(want, []string{l.Name, eur(l.Committed), percentOr(l.ActualPercent), percentOr(l.TargetPercent), flagWords[l.Weight]})
	}
	if rest != "" {
		want = append(want, []string{"(" + restName + ")", eur(rest), "", "", ""})
	}
	return want
}

func TestPortfolioPageShowsThePublishedPrioritiesAndBalance(t *testing.T) {
	org := organisation()
	srv := serve(t, allowIn(central, retail), org...)
	s := section(t, page(t, srv, "/portfolios/central/group-change"), "priorities")
	published := groupStrategy()

	specs := map[string]string{"cloud-move": "Infrastructure", "web-portal": "Customer"}
	var want [][]string
	for _, w := range published.Ranking {
		priority := "–"
		if w.Priority > 0 {
			priority = fmt.Sprint(w.Priority)
		}
		want = append(want, []string{fmt.Sprint(w.Rank), string(w.Kind), w.Namespace + "/" + w.Name, fmt.Sprint(*w.Score), priority, specs[w.Name]})
	}
	if got := tableRows(t, s, "ranking"); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the ranking reads\n%q\nthe published status says\n%q", got, want)
	}
	for _, w := range published.Ranking {
		if href := `href="` + linkOf(ref{string(w.Kind), w.Namespace, w.Name}).Href() + `"`; !strings.Contains(s, href) {
			t.Errorf("the ranking does not link %s to its page (%s)", w.Name, href)
		}
	}
	if got, want := tableRows(t, s, "balance-category"), wantBalance(published.ByCategory, published.Uncategorised, "uncategorised"); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the balance by category reads\n%q\nthe published status says\n%q", got, want)
	}
	if got, want := tableRows(t, s, "balance-objective"), wantBalance(published.ByObjective, published.Unaligned, "contributing to no objective"); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the balance by objective reads\n%q\nthe published status says\n%q", got, want)
	}
	for _, w := range []string{"Sustainability", "1 open programme or project contributes to no objective"} {
		if !strings.Contains(text(s), w) {
			t.Errorf("the section does not say %q:\n%s", w, text(s))
		}
	}
	// Each balance has its picture, named by its figures in words, drawn
	// with classes only.
	for _, want := range []string{
		`id="chart-balance-category"`, `id="chart-balance-objective"`,
		"Infrastructure: actual 46%, target 30%, over-weight; Customer: actual 54%, target 50%, balanced; Compliance: actual 0%, target 20%, under-weight.",
		"Resilience: actual 46%, target 50%, balanced; Growth: actual 40%, no target.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the pictures lack %q", want)
		}
	}
	if n := strings.Count(s, `role="img"`); n != 2 {
		t.Errorf("the section draws %d pictures, want 2", n)
	}
	if strings.Contains(s, "style=") {
		t.Errorf("the section carries a style attribute, which the CSP forbids")
	}
	if strings.Contains(s, "Withheld") {
		t.Errorf("a viewer who may see everything is told the priorities are withheld")
	}
}

func TestPrioritiesAreWithheldFromAViewerDeniedAChild(t *testing.T) {
	org := withRetailChild()
	everyone := page(t, serve(t, allowIn(central, retail), org...), "/portfolios/central/group-change")
	if rows := tableRows(t, section(t, everyone, "priorities"), "ranking"); len(rows) != 3 || rows[2][2] != "retail/kiosk-pilot" {
		t.Fatalf("a viewer who may see retail does not see kiosk-pilot ranked third: %q", rows)
	}
	body := page(t, serve(t, allowIn(central), org...), "/portfolios/central/group-change")
	s := section(t, body, "priorities")
	if !strings.Contains(s, "Withheld: includes objects you may not see") {
		t.Errorf("a viewer denied retail is not told the priorities are withheld:\n%s", text(s))
	}
	if strings.Contains(s, "<table") || strings.Contains(s, "<svg") {
		t.Errorf("a viewer denied retail is shown the ranking or balance:\n%s", s)
	}
	for _, w := range []string{"kiosk-pilot", "retail"} {
		if strings.Contains(body, w) {
			t.Errorf("a viewer denied retail reads %q on the portfolio's page", w)
		}
	}
}

func TestProjectPageShowsCategoryPriorityAndScore(t *testing.T) {
	srv := serve(t, allowIn(central, retail), organisation()...)
	got := figuresIn(page(t, srv, "/projects/central/web-portal"))
	if got["category"] != "Customer" || got["score"] != "33 of 100" {
		t.Errorf("web-portal's figures read category %q, score %q; its spec and status say Customer, 33", got["category"], got["score"])
	}
	if _, ok := got["priority"]; ok {
		t.Errorf("web-portal sets no priority, yet its page shows one: %q", got["priority"])
	}
	if got := figuresIn(page(t, srv, "/projects/central/erp-move")); got["category"] != "" || got["score"] != "" {
		t.Errorf("erp-move sets no category and has no score, yet its page shows %q", got)
	}
}
