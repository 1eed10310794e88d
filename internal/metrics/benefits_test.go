/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bufio"
	"strings"
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// The benefits series say what status.rollup.benefits says, whole and by
// due year, and none is written for a figure nobody states.
func TestBenefitsSeriesFollowStatus(t *testing.T) {
	var out strings.Builder
	w := bufio.NewWriter(&out)
	s := &scrape{t: &textWriter{w: w}}
	stated := v1alpha1.Rollup{Benefits: v1alpha1.BenefitsSummary{Planned: "2100000", Realised: "570000.50",
		ByYear: []v1alpha1.BenefitYear{{Year: 2027, Benefits: 2, Planned: "2100000", Forecast: "1900000"}}}}
	s.writeBenefits([]rolledUp{
		{kind: "Programme", namespace: "ns", name: "cloud", rollup: &stated},
		{kind: "Portfolio", namespace: "ns", name: "empty", rollup: &v1alpha1.Rollup{}},
	})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		`p3o_rollup_benefits{figure="planned",kind="Programme",name="cloud",namespace="ns"} 2.1e+06`,
		`p3o_rollup_benefits{figure="realised",kind="Programme",name="cloud",namespace="ns"} 570000.5`,
		`p3o_rollup_benefits_by_year{figure="planned",kind="Programme",name="cloud",namespace="ns",year="2027"} 2.1e+06`,
		`p3o_rollup_benefits_by_year{figure="forecast",kind="Programme",name="cloud",namespace="ns",year="2027"} 1.9e+06`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	for _, unwanted := range []string{`figure="forecast",kind="Programme",name="cloud",namespace="ns"}`, `figure="realised",kind="Programme",name="cloud",namespace="ns",year`, `name="empty"`} {
		if strings.Contains(text, unwanted) {
			t.Errorf("a series for a figure nobody states (%s):\n%s", unwanted, text)
		}
	}
}
