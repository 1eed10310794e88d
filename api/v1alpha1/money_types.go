/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// Currency is an ISO 4217 currency code such as EUR, GBP or USD.
// +kubebuilder:validation:Pattern=`^[A-Z]{3}$`
// +kubebuilder:validation:MinLength=3
type Currency string

// DefaultCurrency is the currency of an Office that names none.
const DefaultCurrency Currency = "EUR"

// Amount is an amount of money the operator writes in status: a plain
// decimal in the currency the status names, with no suffix and no exponent,
// whole amounts without decimals and others with two, e.g. "4500001500",
// "4123050433.40", "-250000" (a negative variance is an underrun). A
// non-negative amount below the bound of spec amounts is accepted as input
// as written. The operator writes it with money.Amount and reads it with
// money.Value.
// +kubebuilder:validation:Pattern=`^-?[0-9]+([.][0-9]{2})?$`
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=40
type Amount string

// MoneySummary holds budget figures in one currency.
// +kubebuilder:validation:MinProperties=1
type MoneySummary struct {
	// currency of every amount in this summary.
	// +optional
	Currency Currency `json:"currency,omitempty"`
	// budget is the sum of planned budgets, written as an Amount
	// ("1500000.50"). Unset when nothing beneath states a budget.
	// +optional
	Budget Amount `json:"budget,omitempty"`
	// actualCost is the sum of costs incurred so far, written as an Amount.
	// Unset when nothing beneath reports a cost.
	// +optional
	ActualCost Amount `json:"actualCost,omitempty"`
	// forecastCost is the sum of forecast costs at completion, written as an
	// Amount. Unset when nothing beneath states a budget or a forecast.
	// +optional
	ForecastCost Amount `json:"forecastCost,omitempty"`
	// variance is forecastCost minus budget, written as an Amount: positive
	// is an overrun, negative an underrun. Unset when either is unset.
	// +optional
	Variance Amount `json:"variance,omitempty"`

	// leftOut lists, per currency, the objects beneath whose amounts are in
	// another currency than this one. When it is set the totals are
	// incomplete, so none is shown (no silent sum); objects above say so too.
	// +optional
	// +listType=map
	// +listMapKey=currency
	// +kubebuilder:validation:MaxItems=8
	LeftOut []LeftOutAmounts `json:"leftOut,omitempty"`

	// display is budget and forecast written for people.
	// +optional
	Display MoneyDisplay `json:"display,omitzero"`
}

// MoneyDisplayMaxLength bounds each amount of a MoneyDisplay, as its
// MaxLength markers do: a longer text is shortened (internal/shorten).
const MoneyDisplayMaxLength = 64

// LeftOutObjectMaxLength bounds each of LeftOutAmounts.objects, as its
// items:MaxLength marker does: a longer text is shortened.
const LeftOutObjectMaxLength = 330

// MoneyDisplay holds amounts written for people, exactly, with SI suffixes
// and the currency (e.g. "18.32M EUR"), as reports write them: the columns
// of kubectl get show these, so that every kind shows money one way.
// +kubebuilder:validation:MinProperties=1
type MoneyDisplay struct {
	// budget is the budget, e.g. "1.2M EUR"; "incomplete" when amounts in another currency
	// were left out.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Budget string `json:"budget,omitempty"`

	// forecast is the forecast at completion (the budget while no forecast
	// is reported).
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Forecast string `json:"forecast,omitempty"`

	// capacity is the capacity of a portfolio.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Capacity string `json:"capacity,omitempty"`

	// committed is the committed budget of a portfolio; "unknown" while totals are
	// incomplete.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	Committed string `json:"committed,omitempty"`
}

// LeftOutAmounts are amounts left out of totals because they are in another
// currency.
type LeftOutAmounts struct {
	// currency of the amounts left out.
	// +required
	Currency Currency `json:"currency,omitempty"`

	// objects whose amounts were left out, as "Kind namespace/name" (the
	// first few).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=330
	Objects []string `json:"objects,omitempty"`

	// count is how many objects' amounts were left out; it may exceed the
	// objects listed.
	// +required
	// +kubebuilder:validation:Minimum=1
	Count int32 `json:"count,omitempty"`
}
