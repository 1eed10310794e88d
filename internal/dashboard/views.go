/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"cmp"
	"strings"

	"gopkg.in/inf.v0"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// link names an object and where its page is.
type link struct {
	Kind, Namespace, Name string
}

// Href is the object's page.
func (l link) Href() string {
	return "/" + pathOf(l.Kind) + "/" + l.Namespace + "/" + l.Name
}

// pathOf is the path segment of a kind's pages.
func pathOf(kind string) string {
	return strings.ToLower(kind) + "s"
}

func linkOf(r ref) link { return link(r) }

// figures are a parent's rolled-up figures as its status publishes them.
// A view holds nil instead when they include objects the viewer may not
// see (withheld).
type figures struct {
	Health     v1alpha1.Health
	Projects   int32
	Programmes int32
	ByHealth   v1alpha1.HealthCounts
	// Budget, Forecast and Variance are written for people, with the
	// currency; Incomplete says amounts in another currency were left out.
	Budget, Forecast, Variance string
	Incomplete                 bool
	// Capacity and Committed are a portfolio's.
	Capacity, Committed string
	OverCommitted       *bool
	Compliance          v1alpha1.ComplianceCounts
	HighRisks           int32

	// amounts are the published amounts behind Budget, Forecast, Capacity
	// and Committed, for the pictures.
	amounts amounts
}

// amounts are an object's published amounts, exact, in one currency: nil
// where it publishes none.
type amounts struct {
	budget, forecast    *inf.Dec
	capacity, committed *inf.Dec
	currency            v1alpha1.Currency
}

// rollupFigures are the figures of a rollup.
func rollupFigures(r v1alpha1.Rollup) *figures {
	f := &figures{Health: r.Health, Projects: r.Projects, Programmes: r.Programmes, ByHealth: r.ByHealth,
		Budget: r.Money.Display.Budget, Forecast: r.Money.Display.Forecast, Incomplete: len(r.Money.LeftOut) > 0,
		Compliance: r.Compliance, HighRisks: r.Risks.High}
	if !f.Incomplete {
		f.Variance = amountText(r.Money.Variance, r.Money.Currency)
		f.amounts = amounts{budget: money.Value(r.Money.Budget), forecast: money.Value(r.Money.ForecastCost), currency: r.Money.Currency}
	}
	return f
}

// amountText writes an exact amount for people, with its currency, as
// status and reports write them (money.Display); "" when there is none.
func amountText(a v1alpha1.Amount, currency v1alpha1.Currency) string {
	d := money.Value(a)
	if d == nil {
		return ""
	}
	text := money.Display(d)
	if currency != "" {
		text += " " + string(currency)
	}
	return text
}

// figuresOf are the published figures of a parent or project, or nil when
// they are withheld from the viewer.
func (q *request) figuresOf(r ref) *figures {
	obj := q.picture.Object(r)
	if obj == nil || !q.picture.covered(r, q.scope) {
		return nil
	}
	switch o := obj.(type) {
	case *v1alpha1.Office:
		return rollupFigures(o.Status.Rollup)
	case *v1alpha1.Portfolio:
		f := rollupFigures(o.Status.Rollup)
		f.Capacity, f.Committed, f.OverCommitted = o.Status.Display.Capacity, o.Status.Display.Committed, o.Status.OverCommitted
		f.amounts.capacity, f.amounts.committed = money.Of(o.Spec.Capacity), money.Value(o.Status.Committed)
		f.amounts.currency = cmp.Or(f.amounts.currency, o.Status.Currency)
		return f
	case *v1alpha1.Programme:
		f := rollupFigures(o.Status.Rollup)
		f.Health = o.Status.Health
		return f
	case *v1alpha1.Project:
		return &figures{Health: o.Status.Health, Budget: o.Status.Display.Budget, Forecast: o.Status.Display.Forecast,
			Variance: amountText(o.Status.CostVariance, o.Status.Currency), HighRisks: o.Status.Risks.High,
			amounts: amounts{budget: money.Of(o.Spec.Plan.Budget), forecast: money.Of(o.Forecast()), currency: o.Status.Currency}}
	}
	return nil
}

// healthOf is an object's published health.
func healthOf(obj client.Object) v1alpha1.Health {
	switch o := obj.(type) {
	case *v1alpha1.Office:
		return o.Status.Rollup.Health
	case *v1alpha1.Portfolio:
		return o.Status.Rollup.Health
	case *v1alpha1.Programme:
		return o.Status.Health
	case *v1alpha1.Project:
		return o.Status.Health
	}
	return ""
}

// reasonsOf are the reasons an object gives for its health.
func reasonsOf(obj client.Object) []string {
	switch o := obj.(type) {
	case *v1alpha1.Programme:
		return o.Status.HealthReasons
	case *v1alpha1.Project:
		return o.Status.HealthReasons
	}
	return nil
}

// complianceOf is a subject's published compliance.
func complianceOf(obj client.Object) v1alpha1.ComplianceStatus {
	switch o := obj.(type) {
	case *v1alpha1.Programme:
		return o.Status.Compliance
	case *v1alpha1.Project:
		return o.Status.Compliance
	}
	return v1alpha1.ComplianceStatus{}
}
