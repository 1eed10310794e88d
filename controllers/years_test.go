/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"encoding/json"
	"sort"
	"strconv"
	"testing"

	. "github.com/onsi/gomega"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// phase is money that falls in a financial year: stated for a year, or
// dated (a tranche's start: year and month).
type phase struct {
	year, month int // month 0: year is already a financial year
	amount      int64
}

// expectedByYear is the README's rule computed here on its own, in whole
// units: a dated amount falls in the financial year of its date (the
// calendar year in which that financial year starts).
func expectedByYear(startMonth int, phases ...phase) map[int32]int64 {
	out := map[int32]int64{}
	for _, p := range phases {
		year := p.year
		if p.month != 0 && p.month < startMonth {
			year--
		}
		out[int32(year)] += p.amount
	}
	return out
}

type yearSeen struct {
	Committed string
	Over      *bool
}

// A portfolio with capacity by year adds up its direct projects' budgets
// by year and its programmes' (their tranches by start date under the
// office's financial year, their projects' budgets by year) and flags the
// years above capacity; a change of the office's financial year start
// moves the tranches.
func TestCommittedByFinancialYear(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	office.Spec.FinancialYearStart = 4 // April
	portfolio := newPortfolio(ns, "digital", "central")
	portfolio.Spec.CapacityByYear = []v1alpha1.YearAmount{{Year: 2026, Amount: quantity("1.5M")}, {Year: 2027, Amount: quantity("1M")}}
	platform := newProgramme(ns, "platform", ref("digital"))
	platform.Spec.Budget = quantity("300k")
	platform.Spec.Tranches = []v1alpha1.Tranche{
		{Name: "t1", Start: "2026-03-01", Budget: quantity("100k")},
		{Name: "t2", Start: "2026-04-01", Budget: quantity("200k")},
	}
	erp := newProject(ns, "erp", refPtr("platform")) // 1M
	erp.Spec.Plan.BudgetByYear = []v1alpha1.YearAmount{{Year: 2026, Amount: quantity("600k")}, {Year: 2027, Amount: quantity("400k")}}
	portal := newProject(ns, "portal", nil)
	portal.Spec.PortfolioRef, portal.Spec.Plan.Budget = refPtr("digital"), quantity("2M")
	portal.Spec.Plan.BudgetByYear = []v1alpha1.YearAmount{{Year: 2026, Amount: quantity("1.2M")}, {Year: 2027, Amount: quantity("500k")}} // 300k unphased
	create(t, office, portfolio, platform, erp, portal)

	capacity := map[int32]int64{2026: 1_500_000, 2027: 1_000_000}
	phases := []phase{
		{year: 2026, month: 3, amount: 100_000}, {year: 2026, month: 4, amount: 200_000},
		{year: 2026, amount: 600_000}, {year: 2027, amount: 400_000},
		{year: 2026, amount: 1_200_000}, {year: 2027, amount: 500_000},
	}
	expect := func(startMonth int) map[int32]yearSeen {
		committed := expectedByYear(startMonth, phases...)
		for y := range capacity {
			if _, ok := committed[y]; !ok {
				committed[y] = 0
			}
		}
		out := map[int32]yearSeen{}
		for y, c := range committed {
			s := yearSeen{}
			if c != 0 {
				s.Committed = strconv.FormatInt(c, 10)
			}
			if limit, ok := capacity[y]; ok {
				s.Over = new(c > limit)
			}
			out[y] = s
		}
		return out
	}
	seen := func(g Gomega) map[int32]yearSeen {
		get(g, portfolio)
		out := map[int32]yearSeen{}
		years := make([]int, 0, len(portfolio.Status.CommittedByYear))
		for _, c := range portfolio.Status.CommittedByYear {
			out[c.Year] = yearSeen{Committed: string(c.Committed), Over: c.OverCommitted}
			years = append(years, int(c.Year))
		}
		g.Expect(sort.IntsAreSorted(years)).To(BeTrue(), "years earliest first")
		return out
	}

	g := NewWithT(t)
	want := expect(4) // 2025: 100k; 2026: 2M over 1.5M; 2027: 900k within 1M
	g.Expect(want[2026].Over).To(Equal(new(true)))
	g.Eventually(func(g Gomega) {
		g.Expect(seen(g)).To(Equal(want))
		g.Expect(portfolio.Status.Committed).To(Equal(v1alpha1.Amount("3300000")))
	}).Should(Succeed())

	update(t, office, func(o *v1alpha1.Office) { o.Spec.FinancialYearStart = 1 })
	want = expect(1) // t1 moves into 2026
	g.Expect(want).NotTo(HaveKey(int32(2025)))
	g.Eventually(func(g Gomega) { g.Expect(seen(g)).To(Equal(want)) }).Should(Succeed())

	// The live report shows the same years and what no year holds (the
	// portal's 300k).
	g.Eventually(func(g Gomega) {
		var r report.Report
		g.Expect(json.Unmarshal([]byte(reportOf(g, ns, "portfolio-digital-report").Data[report.KeyJSON]), &r)).To(Succeed())
		g.Expect(r.CapacityByYear).NotTo(BeNil())
		got := map[int32]yearSeen{}
		for _, y := range r.CapacityByYear.Years {
			s := yearSeen{Over: y.OverCommitted}
			if y.Committed != "0" {
				s.Committed = y.Committed
			}
			got[y.Year] = s
		}
		g.Expect(got).To(Equal(want))
		g.Expect(r.CapacityByYear.NotPhased).To(Equal("300000"))
	}).Should(Succeed())
}
