/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"html/template"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// What each page's pictures are drawn from: the figures its view already
// holds, so that a picture never shows what the text beside it withholds.

// heatRows are the rows of the RAG tree of the offices the organisation
// page shows: each office with its portfolios, satellites beneath.
func heatRows(offices []officeNode, depth int) []heatRow {
	var rows []heatRow
	for _, o := range offices {
		row := heatRow{Depth: depth, Cells: []heatCell{cellOf(o.link, o.Figures)}}
		for _, p := range o.Portfolios {
			row.Cells = append(row.Cells, cellOf(p.link, p.Figures))
		}
		rows = append(rows, row)
		rows = append(rows, heatRows(o.Satellites, depth+1)...)
	}
	return rows
}

func cellOf(l link, f *figures) heatCell {
	if f == nil {
		return heatCell{link: l, Withheld: true}
	}
	return heatCell{link: l, Health: f.Health}
}

// barsView is the picture of the children's budgets against forecasts,
// and the children it leaves out, with why.
type barsView struct {
	Chart template.HTML
	Left  []leftOut
}

// leftOut is a child a picture does not draw, and why.
type leftOut struct {
	link
	Why string
}

// budgetChart draws the budget and forecast of the children rows show, in
// currency (the parent's; else the first child's that has one). Children
// whose figures are withheld, in another currency, incomplete or without
// amounts are left out and said so. nil when no child is drawn.
func budgetChart(rows []childRow, currency v1alpha1.Currency) *barsView {
	if currency == "" {
		for _, r := range rows {
			if r.Figures != nil && r.Figures.amounts.currency != "" {
				currency = r.Figures.amounts.currency
				break
			}
		}
	}
	v := &barsView{}
	var bars []moneyBar
	for _, r := range rows {
		switch f := r.Figures; {
		case f == nil:
			v.Left = append(v.Left, leftOut{r.link, "withheld"})
		case f.Incomplete:
			v.Left = append(v.Left, leftOut{r.link, "its totals are incomplete"})
		case f.amounts.budget == nil && f.amounts.forecast == nil:
			v.Left = append(v.Left, leftOut{r.link, "no budget stated"})
		case f.amounts.currency != currency:
			v.Left = append(v.Left, leftOut{r.link, "its amounts are in " + string(f.amounts.currency)})
		default:
			bars = append(bars, moneyBar{Label: r.Name, Budget: f.amounts.budget, Forecast: f.amounts.forecast})
		}
	}
	if len(bars) == 0 {
		return nil
	}
	v.Chart = budgetBars(bars, currency)
	return v
}

// capacityChart is a portfolio's capacity gauge, or "" when its figures
// are withheld, it sets no capacity or its committed budget is unknown.
func capacityChart(f *figures) template.HTML {
	if f == nil || f.amounts.capacity == nil || f.OverCommitted == nil {
		return ""
	}
	committed := f.amounts.committed
	if committed == nil {
		committed = zero()
	}
	return capacityGauge(f.amounts.capacity, committed, f.amounts.currency, f.OverCommitted)
}

// ratingCount is how many of the latest reviews gave a rating.
type ratingCount struct {
	Rating v1alpha1.DeliveryConfidence
	Count  int
}

// confidenceView is the distribution of the latest reviews' ratings.
type confidenceView struct {
	Chart  template.HTML
	Counts []ratingCount
}

// confidenceDistribution counts the latest reviews by rating, Green to
// Red; nil when there is none.
func confidenceDistribution(items []confidenceItem) *confidenceView {
	if len(items) == 0 {
		return nil
	}
	counts := map[v1alpha1.DeliveryConfidence]int{}
	for _, c := range items {
		counts[c.Rating]++
	}
	v := &confidenceView{Chart: confidenceChart(counts)}
	for _, r := range ratings {
		v.Counts = append(v.Counts, ratingCount{Rating: r, Count: counts[r]})
	}
	return v
}

func zero() *inf.Dec { return inf.NewDec(0, 0) }

// rollupCurrency is the currency of a parent's totals; "" for none.
func rollupCurrency(obj any) v1alpha1.Currency {
	switch o := obj.(type) {
	case *v1alpha1.Office:
		return o.Status.Rollup.Money.Currency
	case *v1alpha1.Portfolio:
		return o.Status.Rollup.Money.Currency
	case *v1alpha1.Programme:
		return o.Status.Rollup.Money.Currency
	}
	return ""
}
