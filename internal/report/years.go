/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"fmt"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/rollup"
	"p3o.dev/p3o-operator/internal/words"
)

// PortfoliosByYear is an office's own portfolios' capacity and committed
// money by financial year, added up from their spec.capacityByYear and
// status.committedByYear. Only the portfolios the office governs directly
// are added: their years all start in the office's financialYearStart. A
// satellite's portfolios are in the satellite's report, since its year may
// start in another month. Over-commitment is counted per portfolio, never
// on the sums: one portfolio's spare capacity does not cover another's.
type PortfoliosByYear struct {
	// FinancialYearStart is the month (1 to 12) the office's financial
	// year starts in, by which the years are named.
	FinancialYearStart int32 `json:"financialYearStart"`
	// Portfolios is how many of the office's portfolios are added up;
	// Unknown how many are left out because their committed money by year
	// is unknown (amounts in another currency).
	Portfolios int32 `json:"portfolios"`
	Unknown    int32 `json:"unknown"`
	// Years are earliest first: each year a portfolio states a capacity
	// for or phases money into.
	Years []PortfoliosYear `json:"years"`
}

// PortfoliosYear is one financial year of a PortfoliosByYear.
type PortfoliosYear struct {
	Year int32 `json:"year"`
	// Capacity is the sum of the capacities the portfolios state for the
	// year; "" when none states one.
	Capacity string `json:"capacity"`
	// Committed is the sum of what they committed in the year; "0" when
	// nothing is phased into it.
	Committed string `json:"committed"`
	// OverCommitted is how many portfolios are over-committed in the year
	// (their status.committedByYear).
	OverCommitted int32 `json:"overCommitted"`
}

// portfoliosByYear adds up an office's portfolios by financial year; nil
// when none states capacity by year or phases money.
func portfoliosByYear(in Input) *PortfoliosByYear {
	out := &PortfoliosByYear{FinancialYearStart: max(in.FinancialYearStart, 1), Years: []PortfoliosYear{}}
	var capacity, committed rollup.ByYear
	over := map[int32]int32{}
	for _, pf := range in.Portfolios {
		if len(pf.Spec.CapacityByYear) == 0 && len(pf.Status.CommittedByYear) == 0 {
			continue
		}
		if len(pf.Status.Rollup.Money.LeftOut) > 0 {
			out.Unknown++
			continue
		}
		out.Portfolios++
		capacity.Merge(rollup.FromYears(pf.Spec.CapacityByYear))
		committed.Merge(committedOf(pf.Status.CommittedByYear))
		for _, y := range pf.Status.CommittedByYear {
			if y.OverCommitted != nil && *y.OverCommitted {
				over[y.Year]++
			}
		}
	}
	if out.Portfolios+out.Unknown == 0 {
		return nil
	}
	years := rollup.ByYear{}
	years.Merge(capacity)
	years.Merge(committed)
	for _, y := range years.Years() {
		out.Years = append(out.Years, PortfoliosYear{Year: y, Capacity: decimal(capacity[y]), Committed: known(v1alpha1.MoneySummary{}, committed[y]), OverCommitted: over[y]})
	}
	return out
}

// committedOf reads a portfolio's committed money by year from its status.
func committedOf(years []v1alpha1.YearCommitment) rollup.ByYear {
	var b rollup.ByYear
	for _, y := range years {
		b.Merge(rollup.ByYear{y.Year: money.Value(y.Committed)})
	}
	return b
}

// portfoliosByYear writes an office's portfolios by financial year.
func (m *markdown) portfoliosByYear(p *PortfoliosByYear) {
	if p == nil {
		return
	}
	m.p("\n## Capacity by financial year of the portfolios\n\n")
	m.p("The %s this office governs directly, added up by financial year (years start in month %d and are named by the calendar year they start in). "+
		"A satellite's portfolios are in the satellite's report: its year may start in another month. "+
		"One portfolio's spare capacity does not cover another's over-commitment, so each year counts the portfolios over-committed in it.\n\n",
		words.Count(int(p.Portfolios), "portfolio that states capacity or phases money", "portfolios that state capacity or phase money"), p.FinancialYearStart)
	markdownTable(m, "No years.\n", "| Year | Capacity | Committed | Portfolios over-committed |\n|---:|---:|---:|---:|\n", p.Years, func(y PortfoliosYear) string {
		return fmt.Sprintf("| %d | %s | %s | %d |\n", y.Year, human(y.Capacity), human(y.Committed), y.OverCommitted)
	})
	if p.Unknown > 0 {
		m.p("\nLeft out: %s whose committed money by year is unknown (amounts in another currency).\n", words.Count(int(p.Unknown), "portfolio", "portfolios"))
	}
}
