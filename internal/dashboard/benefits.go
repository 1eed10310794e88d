/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"k8s.io/apimachinery/pkg/api/resource"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/benefits"
	"p3o.dev/p3o-operator/internal/money"
)

// benefitRow is one of a project's benefits as its page shows it: the
// levels as written, money in the currency and other units plain, or the
// programme benefit it contributes to (which holds the figures).
type benefitRow struct {
	Name, Owner, Due string
	// Measure says what is measured, e.g. "Days: days to provision".
	Measure string
	// Baseline, Target, Forecast and Realised are the levels written; ""
	// when not stated.
	Baseline, Target, Forecast, Realised string
	// Cashable is "yes", "no" or "" (not stated).
	Cashable string
	// ProgrammeBenefit is the programme's benefit this one contributes to.
	ProgrammeBenefit string
}

// benefitRows are a project's benefits as its page shows them.
func benefitRows(p *v1alpha1.Project) []benefitRow {
	rows := make([]benefitRow, 0, len(p.Spec.Benefits))
	for _, b := range p.Spec.Benefits {
		unit := b.MeasureUnit()
		level := func(q *resource.Quantity) string {
			if q == nil {
				return ""
			}
			if unit == v1alpha1.BenefitUnitMoney {
				return quantity(q, p.Status.Currency)
			}
			return benefits.Level(money.Of(q))
		}
		row := benefitRow{Name: b.Name, Owner: b.Owner, Due: string(b.Due), ProgrammeBenefit: b.ProgrammeBenefit,
			Measure: string(unit), Baseline: level(b.Baseline), Target: level(b.TargetLevel()), Forecast: level(b.Forecast), Realised: level(b.Realised)}
		if b.Measure.Label != "" {
			row.Measure += ": " + b.Measure.Label
		}
		if b.Cashable != nil {
			row.Cashable = map[bool]string{true: "yes", false: "no"}[*b.Cashable]
		}
		rows = append(rows, row)
	}
	return rows
}
