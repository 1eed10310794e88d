/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// A status amount with cents becomes the float nearest to it, as
// Prometheus's own parser would read the same text.
func TestApproximateReadsStatusAmounts(t *testing.T) {
	for a, want := range map[v1alpha1.Amount]float64{
		"4500001500.25": 4500001500.25, "0": 0, "-1000.50": -1000.5, "999999999999999.99": 999999999999999.99,
	} {
		if got := approximate(money.Value(a)); got != want {
			t.Errorf("approximate(%q) = %v; want %v", a, got, want)
		}
	}
}
