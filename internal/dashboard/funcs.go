/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"cmp"
	"fmt"
	"html/template"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/words"
)

// funcs are the templates' functions.
var funcs = template.FuncMap{
	"healthClass": healthClass,
	"healthMark":  healthMark,
	"ratingClass": ratingClass,
	"ratingName":  ratingName,
	"officeType":  officeTypeWords,
	"periodDay":   periodDay,
	"ratingWords": func(c v1alpha1.DeliveryConfidence) string { return c.Meaning() },
	"count":       func(n int32, one, many string) string { return words.Count(int(n), one, many) },
	"countInt":    words.Count,
	"day":         day,
	"stamp":       func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"kindPath":    pathOf,
	"add":         func(a, b int) int { return a + b },
	"bool":        func(b *bool) bool { return b != nil && *b },
	"quantity":    quantity,
}

// healthClass is the CSS class of a health word; colour is never the only
// sign of it (healthMark, and the word itself, say it too).
func healthClass(h any) string {
	word := fmt.Sprint(h)
	if word == "" {
		return "health-unknown"
	}
	return "health-" + strings.ToLower(word)
}

// healthMark is a shape that differs by health, shown beside the word.
func healthMark(h any) string {
	switch v1alpha1.Health(fmt.Sprint(h)) {
	case v1alpha1.HealthGreen:
		return "●"
	case v1alpha1.HealthAmber:
		return "▲"
	case v1alpha1.HealthRed:
		return "■"
	}
	return "○"
}

// day writes a time as a date; "" for none.
func day(t *metav1.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// officeTypeNames are the office types as people say them.
var officeTypeNames = map[v1alpha1.OfficeType]string{
	v1alpha1.OfficeTypePortfolioOffice: "Portfolio Office",
	v1alpha1.OfficeTypeSatellite:       "Satellite office",
	v1alpha1.OfficeTypeTemporary:       "Temporary office",
	v1alpha1.OfficeTypeVirtual:         "Virtual office",
	v1alpha1.OfficeTypeProjectSupport:  "Project Support Office",
}

// officeTypeWords names an office's type as people say it.
func officeTypeWords(t v1alpha1.OfficeType) string { return cmp.Or(officeTypeNames[t], "Office") }

// quantity writes an amount of a spec for people, as status writes
// amounts (money.Display), with the currency; "" for none.
func quantity(q *resource.Quantity, currency v1alpha1.Currency) string {
	if q == nil {
		return ""
	}
	return amountText(money.Amount(money.Of(q)), currency)
}
