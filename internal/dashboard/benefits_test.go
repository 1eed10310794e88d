/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// A project's page shows each benefit's levels in its own measure — money
// in the currency, days as days — its target whether written as target or
// by its former name planned, and a contribution as the programme benefit
// it names, with no figures of its own.
func TestProjectPageShowsBenefitsInTheirMeasure(t *testing.T) {
	q := func(s string) *resource.Quantity { v := resource.MustParse(s); return &v }
	yes := true
	p := project(central, "benefits", v1alpha1.HealthGreen)
	p.Spec.ProgrammeRef = refp("cloud-move", "")
	p.Spec.Benefits = []v1alpha1.Benefit{
		{Name: "Licence savings", Owner: "Helen Carter", Planned: q("120k"), Realised: q("30k"), Due: "2027-06-30", Cashable: &yes},
		{Name: "Provisioning time", Owner: "Raj Patel", Measure: v1alpha1.BenefitMeasure{Unit: v1alpha1.BenefitUnitDays, Label: "days to provision"},
			Baseline: q("15"), Target: q("2"), Forecast: q("3"), Realised: q("6"), Due: "2027-03-31"},
		{Name: "Colocation ended", Owner: "Helen Carter", ProgrammeBenefit: "Running costs avoided"},
	}
	body := page(t, serve(t, allowIn(central, retail), append(organisation(), p)...), "/projects/central/benefits")
	_, section, _ := strings.Cut(body, `<h2 id="benefits">`)
	section, _, _ = strings.Cut(section, "</section>")
	got := text(section)
	for _, want := range []string{
		"Licence savings Helen Carter Money 120k EUR 30k EUR 2027-06-30 yes",
		"Provisioning time Raj Patel Days: days to provision 15 2 3 6 2027-03-31",
		"Colocation ended Helen Carter Contributes to the programme's benefit “Running costs avoided”, which holds the figures",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the benefits lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "15 EUR") || strings.Contains(got, "2 EUR") {
		t.Errorf("a benefit in days is shown in money:\n%s", got)
	}
}
