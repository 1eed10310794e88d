/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bufio"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// The evidence series say what status.evidence says: the share of each
// measured indicator, and nothing for an indicator with nothing in scope
// or a perspective not evidenced.
func TestEvidenceSeriesFollowStatus(t *testing.T) {
	office := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "central"}}
	office.Status.Evidence.Indicators = []v1alpha1.EvidenceIndicator{
		{Perspective: v1alpha1.PerspectiveOrganisationalGovernance, Indicator: v1alpha1.IndicatorGatesMet, State: v1alpha1.EvidenceMeasured, Numerator: 3, Denominator: 4},
		{Perspective: v1alpha1.PerspectiveRiskManagement, Indicator: v1alpha1.IndicatorThreatsOwnedWithResponse, State: v1alpha1.EvidenceMeasured, Numerator: 0, Denominator: 2},
		{Perspective: v1alpha1.PerspectiveFinanceManagement, Indicator: v1alpha1.IndicatorForecastAccuracy, State: v1alpha1.EvidenceNothingToMeasure},
		{Perspective: v1alpha1.PerspectiveStakeholderEngagement, State: v1alpha1.EvidenceNotEvidenced},
	}
	var out strings.Builder
	w := bufio.NewWriter(&out)
	s := &scrape{t: &textWriter{w: w}, offices: []*v1alpha1.Office{office, {ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "unreported"}}}}
	s.writeEvidence()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := `p3o_office_evidence_share{indicator="GatesMet",namespace="ns",office="central",perspective="OrganisationalGovernance"} 0.75` + "\n" +
		`p3o_office_evidence_share{indicator="ThreatsOwnedWithResponse",namespace="ns",office="central",perspective="RiskManagement"} 0` + "\n"
	var series []string
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if !strings.HasPrefix(line, "#") {
			series = append(series, line)
		}
	}
	if got := strings.Join(series, ""); got != want {
		t.Errorf("series:\n%s\nwant:\n%s", got, want)
	}
}
