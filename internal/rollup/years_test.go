/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package rollup

import (
	"testing"
	"time"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

func asAmount(d *inf.Dec) v1alpha1.Amount { return money.Amount(d) }

func TestFinancialYear(t *testing.T) {
	for _, c := range []struct {
		date       string
		startMonth int
		want       int
	}{
		{"2026-01-01", 1, 2026},
		{"2026-12-31", 1, 2026},
		{"2026-04-01", 4, 2026},  // first day of 2026/27
		{"2027-03-31", 4, 2026},  // last day of 2026/27
		{"2026-03-31", 4, 2025},  // last day of 2025/26
		{"2026-06-30", 7, 2025},  // July start: June is the year before's
		{"2026-07-01", 7, 2026},  //
		{"2026-11-30", 12, 2025}, // December start
		{"2026-12-01", 12, 2026},
		{"2026-02-15", 0, 2026},  // unset reads as January
		{"2026-02-15", 13, 2026}, // out of range reads as January
	} {
		d, err := time.Parse(time.DateOnly, c.date)
		if err != nil {
			t.Fatal(err)
		}
		if got := FinancialYear(d, c.startMonth); got != c.want {
			t.Errorf("FinancialYear(%s, %d) = %d; want %d", c.date, c.startMonth, got, c.want)
		}
	}
}

func TestTranchesPhaseTheProgrammesOwnBudget(t *testing.T) {
	tranches := []v1alpha1.Tranche{
		{Name: "t1", Start: "2026-01-15", End: "2026-06-30", Budget: qty("100k")},
		{Name: "t2", Start: "2026-04-01", End: "2027-03-31", Budget: qty("250.50k")},
		{Name: "t3", Start: "2027-02-01", Budget: qty("50k")},
		{Name: "undated", Budget: qty("999k")},
		{Name: "no-budget", Start: "2028-01-01"},
	}
	// April start: t1 falls in 2025/26, t2 and t3 in 2026/27.
	got := Tranches(qty("1M"), tranches, 4)
	if len(got) != 2 {
		t.Fatalf("years = %v; want 2025 and 2026 only", got.Years())
	}
	equalAmount(t, "2025", asAmount(got[2025]), "100k")
	equalAmount(t, "2026", asAmount(got[2026]), "300500")
	// January start: t1 and t2 in 2026, t3 in 2027.
	got = Tranches(qty("1M"), tranches, 1)
	equalAmount(t, "2026", asAmount(got[2026]), "350500")
	equalAmount(t, "2027", asAmount(got[2027]), "50k")
	if got := Tranches(nil, tranches, 1); got != nil {
		t.Errorf("a programme without its own budget phased %v", got)
	}
}

func TestCommittedByYearFollowsCommitted(t *testing.T) {
	b := New("EUR")
	p := project("portal", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "1.2M", "0", "1.2M")
	p.BudgetByYear = FromYears([]v1alpha1.YearAmount{{Year: 2026, Amount: qty("700k")}, {Year: 2027, Amount: qty("500k")}})
	b.AddProject(p)
	unphased := project("erp", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "300k", "0", "300k")
	b.AddProject(unphased)
	b.AddProgramme(Programme{Namespace: "ns", Name: "data", Currency: "EUR", Budget: dec("400k"),
		CommittedByYear: ByYear{2026: dec("150.25k"), 2028: dec("1M")}})
	abroad := project("abroad", v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "9M", "0", "9M")
	abroad.Currency = "USD"
	abroad.BudgetByYear = ByYear{2026: dec("9M")}

	res := b.Build()
	if len(res.CommittedByYear) != 3 {
		t.Fatalf("years = %v; want 2026, 2027, 2028", res.CommittedByYear.Years())
	}
	equalAmount(t, "2026", asAmount(res.CommittedByYear[2026]), "850250")
	equalAmount(t, "2027", asAmount(res.CommittedByYear[2027]), "500k")
	equalAmount(t, "2028", asAmount(res.CommittedByYear[2028]), "1M")
	equalAmount(t, "committed", asAmount(res.Committed), "1.9M") // unphased erp counts in the whole life only

	b.AddProject(abroad)
	if res := b.Build(); res.CommittedByYear != nil {
		t.Errorf("committed by year with amounts left out = %v; want unknown", res.CommittedByYear)
	}
}

func TestPhasedRoundTrips(t *testing.T) {
	b := ByYear{2027: dec("1.5k"), 2026: dec("0.25")}
	phased := b.Phased()
	if len(phased) != 2 || phased[0].Year != 2026 || phased[0].Amount != "0.25" || phased[1].Amount != "1500" {
		t.Fatalf("Phased() = %v", phased)
	}
	back := FromPhased(phased)
	if back[2026].Cmp(dec("0.25")) != 0 || back[2027].Cmp(dec("1.5k")) != 0 {
		t.Errorf("FromPhased = %v", back)
	}
	many := ByYear{}
	for y := int32(2000); y < 2000+v1alpha1.MaxCommittedYears+5; y++ {
		many[y] = dec("1")
	}
	if got := many.Phased(); len(got) != v1alpha1.MaxCommittedYears || got[0].Year != 2000 {
		t.Errorf("bounded Phased() has %d years from %d", len(got), got[0].Year)
	}
}
