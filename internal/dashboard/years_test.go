/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

func yearAmount(s string) *resource.Quantity {
	v := resource.MustParse(s)
	return &v
}

// verdictWords are the words each year's overCommitted must read as.
func verdictWords(over *bool) string {
	switch {
	case over == nil:
		return "no capacity stated"
	case *over:
		return "over-committed"
	}
	return "within capacity"
}

func TestPortfolioPageShowsThePublishedCapacityByYear(t *testing.T) {
	var group *v1alpha1.Portfolio
	for _, o := range organisation() {
		if pf, ok := o.(*v1alpha1.Portfolio); ok && pf.Name == "group-change" {
			group = pf
		}
	}
	srv := serve(t, allowIn(central, retail), organisation()...)
	s := section(t, page(t, srv, "/portfolios/central/group-change"), "capacity-by-year")

	// The rows are the published years, each amount written from the
	// exact amounts (spec capacity, status committed) in the currency.
	capacity := map[int32]string{}
	for _, y := range group.Spec.CapacityByYear {
		capacity[y.Year] = money.Display(money.Of(y.Amount)) + " EUR"
	}
	var want [][]string
	for _, y := range group.Status.CommittedByYear {
		want = append(want, []string{fmt.Sprint(y.Year), cmpOr(capacity[y.Year], "–"), eur(y.Committed), verdictWords(y.OverCommitted)})
	}
	if got := tableRows(t, s, "capacity-by-year"); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the capacity by year reads\n%q\nthe published spec and status say\n%q", got, want)
	}
	if len(want) != 3 || want[0][3] != "over-committed" || want[1][3] != "within capacity" || want[2][3] != "no capacity stated" {
		t.Fatalf("the fixture should hold one year of each verdict: %q", want)
	}
	if strings.Contains(s, "style=") {
		t.Errorf("the section carries a style attribute, which the CSP forbids")
	}
}

func cmpOr(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

func TestCapacityByYearIsWithheldFromAViewerDeniedAChild(t *testing.T) {
	body := page(t, serve(t, allowIn(central), withRetailChild()...), "/portfolios/central/group-change")
	s := section(t, body, "capacity-by-year")
	if !strings.Contains(s, "Withheld: includes objects you may not see") || strings.Contains(s, "<table") {
		t.Errorf("a viewer denied retail is shown the capacity by year:\n%s", text(s))
	}
}

func TestOnlyAPortfolioWithYearsHasTheSection(t *testing.T) {
	srv := serve(t, allowIn(central, retail), organisation()...)
	for _, path := range []string{"/portfolios/retail/retail-growth", "/offices/central/hq", "/programmes/central/cloud-move"} {
		if strings.Contains(page(t, srv, path), `id="capacity-by-year"`) {
			t.Errorf("%s shows capacity by year, which it does not publish", path)
		}
	}
}
