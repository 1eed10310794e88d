/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func q(s string) *resource.Quantity {
	v := resource.MustParse(s)
	return &v
}

// A portfolio under an office whose financial year starts in April adds
// up, per year, its direct projects' budgets by year and its programmes'
// committed by year (their tranches by start date and their projects'
// budgets by year), and flags the years above their capacity.
func TestPortfolioCommittedByYear(t *testing.T) {
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	office.Spec.FinancialYearStart = 4
	facts := governed(office)

	inProgramme := delivering("platform") // 1M
	inProgramme.Spec.Plan.BudgetByYear = []v1alpha1.YearAmount{{Year: 2026, Amount: q("600k")}, {Year: 2027, Amount: q("400k")}}
	prog := &v1alpha1.Programme{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "data", Generation: 1}, Spec: v1alpha1.ProgrammeSpec{
		Budget: q("300k"),
		Tranches: []v1alpha1.Tranche{
			{Name: "t1", Start: "2026-03-01", Budget: q("100k")}, // 2025/26
			{Name: "t2", Start: "2026-04-01", Budget: q("200k")}, // 2026/27
		},
	}}
	SetProgramme(prog, facts, Children[*v1alpha1.Project]{Admitted: []*v1alpha1.Project{inProgramme}}, rules(t), now)
	wantPhased := []v1alpha1.PhasedAmount{{Year: 2025, Amount: "100000"}, {Year: 2026, Amount: "800000"}, {Year: 2027, Amount: "400000"}}
	if got := prog.Status.CommittedByYear; len(got) != len(wantPhased) || got[0] != wantPhased[0] || got[1] != wantPhased[1] || got[2] != wantPhased[2] {
		t.Fatalf("programme committedByYear = %v; want %v", got, wantPhased)
	}

	direct := delivering("portal") // 1M, 250k left unphased
	direct.Spec.Plan.BudgetByYear = []v1alpha1.YearAmount{{Year: 2026, Amount: q("500.50k")}, {Year: 2027, Amount: q("249.50k")}}
	unphased := delivering("erp")
	pf := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital"}, Spec: v1alpha1.PortfolioSpec{
		Capacity: q("5M"),
		CapacityByYear: []v1alpha1.YearAmount{
			{Year: 2026, Amount: q("1.2M")},    // 800k + 500.5k: over
			{Year: 2027, Amount: q("649.50k")}, // 400k + 249.5k: exactly at capacity
			{Year: 2029, Amount: q("1M")},      // nothing phased
		},
	}}
	SetPortfolio(pf, facts, PortfolioChildren{Programmes: []*v1alpha1.Programme{prog}, Projects: []*v1alpha1.Project{direct, unphased}})

	yes, no := true, false
	want := []v1alpha1.YearCommitment{
		{Year: 2025, Committed: "100000", Display: v1alpha1.MoneyDisplay{Committed: "100k EUR"}},
		{Year: 2026, Committed: "1300500", Display: v1alpha1.MoneyDisplay{Committed: "1.3M EUR", Capacity: "1.2M EUR"}, OverCommitted: &yes},
		{Year: 2027, Committed: "649500", Display: v1alpha1.MoneyDisplay{Committed: "650k EUR", Capacity: "650k EUR"}, OverCommitted: &no},
		{Year: 2029, Display: v1alpha1.MoneyDisplay{Committed: "0 EUR", Capacity: "1M EUR"}, OverCommitted: &no},
	}
	got := pf.Status.CommittedByYear
	if len(got) != len(want) {
		t.Fatalf("committedByYear = %+v; want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Year != w.Year || g.Committed != w.Committed || g.Display != w.Display || (g.OverCommitted == nil) != (w.OverCommitted == nil) ||
			(g.OverCommitted != nil && *g.OverCommitted != *w.OverCommitted) {
			t.Errorf("year %d = %+v (over %v); want %+v (over %v)", w.Year, g, deref(g.OverCommitted), w, deref(w.OverCommitted))
		}
	}
	if pf.Status.Committed != "3300000" || pf.Status.OverCommitted == nil || *pf.Status.OverCommitted {
		t.Errorf("whole life: committed %s, over %v; want 3300000 within 5M", pf.Status.Committed, deref(pf.Status.OverCommitted))
	}

	// Amounts in another currency: committed by year is unknown, as
	// committed is.
	abroad := delivering("abroad")
	abroad.Status.Currency = "USD"
	SetPortfolio(pf, facts, PortfolioChildren{Programmes: []*v1alpha1.Programme{prog}, Projects: []*v1alpha1.Project{direct, abroad}})
	if pf.Status.CommittedByYear != nil {
		t.Errorf("committedByYear with amounts left out = %+v; want unset", pf.Status.CommittedByYear)
	}
}

func deref(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}
