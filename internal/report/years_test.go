/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// An office adds up its own portfolios by year: the sums, recomputed here
// in exact rationals, and the over-committed counted per portfolio.
func TestPortfoliosByYearAddsUpTheOfficesPortfolios(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 200 {
		var portfolios []*v1alpha1.Portfolio
		wantCapacity, wantCommitted, wantOver := map[int32]*big.Rat{}, map[int32]*big.Rat{}, map[int32]int32{}
		unknown := int32(0)
		for i := range rng.IntN(5) {
			pf := &v1alpha1.Portfolio{}
			pf.Name = fmt.Sprintf("pf-%d", i)
			mixed := rng.IntN(6) == 0
			if mixed {
				pf.Status.Rollup.Money.LeftOut = []v1alpha1.LeftOutAmounts{{Currency: "USD"}}
			}
			for y := int32(2025); y <= 2028; y++ {
				if rng.IntN(2) == 0 {
					amount := resource.MustParse(fmt.Sprintf("%d.%02d", rng.IntN(1_000_000), rng.IntN(100)))
					pf.Spec.CapacityByYear = append(pf.Spec.CapacityByYear, v1alpha1.YearAmount{Year: y, Amount: &amount})
					if !mixed {
						addRat(wantCapacity, y, amount.AsDec().String())
					}
				}
				if !mixed && rng.IntN(2) == 0 {
					committed := fmt.Sprintf("%d.%02d", rng.IntN(1_000_000), rng.IntN(100))
					over := rng.IntN(2) == 0
					pf.Status.CommittedByYear = append(pf.Status.CommittedByYear, v1alpha1.YearCommitment{Year: y, Committed: v1alpha1.Amount(committed), OverCommitted: &over})
					addRat(wantCommitted, y, committed)
					if over {
						wantOver[y]++
					}
				}
			}
			if mixed && len(pf.Spec.CapacityByYear) > 0 {
				unknown++
			}
			portfolios = append(portfolios, pf)
		}
		got := portfoliosByYear(Input{Kind: "Office", Portfolios: portfolios, FinancialYearStart: 4})
		if len(wantCapacity)+len(wantCommitted) == 0 && unknown == 0 {
			if got != nil {
				t.Fatalf("round %d: nothing by year, yet %+v", round, got)
			}
			continue
		}
		if got == nil || got.FinancialYearStart != 4 || got.Unknown != unknown {
			t.Fatalf("round %d: %+v; want %d unknown, start 4", round, got, unknown)
		}
		for _, y := range got.Years {
			if !sameRat(y.Capacity, wantCapacity[y.Year]) || !sameRat(y.Committed, orZero(wantCommitted[y.Year])) || y.OverCommitted != wantOver[y.Year] {
				t.Errorf("round %d year %d: %+v; want capacity %v committed %v over %d", round, y.Year, y, wantCapacity[y.Year], wantCommitted[y.Year], wantOver[y.Year])
			}
			delete(wantCapacity, y.Year)
			delete(wantCommitted, y.Year)
		}
		if len(wantCapacity)+len(wantCommitted) > 0 {
			t.Errorf("round %d: years missing: capacity %v committed %v", round, wantCapacity, wantCommitted)
		}
	}
}

func addRat(m map[int32]*big.Rat, y int32, s string) {
	r, _ := new(big.Rat).SetString(s)
	if m[y] == nil {
		m[y] = new(big.Rat)
	}
	m[y].Add(m[y], r)
}

func orZero(r *big.Rat) *big.Rat {
	if r == nil {
		return new(big.Rat)
	}
	return r
}

func sameRat(s string, want *big.Rat) bool {
	if s == "" || want == nil {
		return s == "" && want == nil
	}
	r, ok := new(big.Rat).SetString(s)
	return ok && r.Cmp(want) == 0
}

func TestPortfoliosByYearInMarkdown(t *testing.T) {
	over := true
	two := resource.MustParse("2M")
	in := Input{Kind: "Office", FinancialYearStart: 4, Portfolios: []*v1alpha1.Portfolio{{
		Spec:   v1alpha1.PortfolioSpec{CapacityByYear: []v1alpha1.YearAmount{{Year: 2026, Amount: &two}}},
		Status: v1alpha1.PortfolioStatus{CommittedByYear: []v1alpha1.YearCommitment{{Year: 2026, Committed: "2500000", OverCommitted: &over}}},
	}}}
	md := Render(Build(in)).Data[KeyMarkdown]
	for _, want := range []string{"## Capacity by financial year of the portfolios", "years start in month 4", "| 2026 | 2M | 2.5M | 1 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
}
