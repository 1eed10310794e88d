/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bufio"
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/rollup"
)

// A project's tolerance exceptions are a series per kind, and its threat
// and opportunity exposure are apart, as its status holds them; the
// exposure is checked against a sum over the register done here.
func TestExceptionAndExposureSeriesFollowStatus(t *testing.T) {
	register := []v1alpha1.Risk{
		{Name: "T-1", Probability: 3, Impact: 4},
		{Name: "T-2", Kind: v1alpha1.RiskThreat, Probability: 5, Impact: 5, Status: v1alpha1.RiskClosed},
		{Name: "O-1", Kind: v1alpha1.RiskOpportunity, Probability: 4, Impact: 4},
		{Name: "O-2", Kind: v1alpha1.RiskOpportunity, Probability: 1, Impact: 2},
	}
	under := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "under"}}
	under.Spec.Risks = register
	under.Status.Risks = rollup.Risks(register, 15)
	under.Status.ToleranceExceptions = []v1alpha1.ToleranceException{
		{Kind: v1alpha1.ExceptionUnderspend, Health: v1alpha1.HealthGreen, Message: "m"},
		{Kind: v1alpha1.ExceptionRiskSeverity, Health: v1alpha1.HealthRed, Message: "m"},
	}
	quiet := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "quiet"}}

	var out strings.Builder
	w := bufio.NewWriter(&out)
	s := &scrape{t: &textWriter{w: w}, projects: []*v1alpha1.Project{under, quiet}}
	s.writeExceptionsAndRisks()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := out.String()

	threat, opportunity := 0, 0
	for _, r := range register {
		switch {
		case r.Status == v1alpha1.RiskClosed:
		case r.Kind == v1alpha1.RiskOpportunity:
			opportunity += int(r.Probability * r.Impact)
		default:
			threat += int(r.Probability * r.Impact)
		}
	}
	for _, want := range []string{
		`p3o_project_tolerance_exception{kind="Underspend",namespace="ns",project="under"} 1`,
		`p3o_project_tolerance_exception{kind="RiskSeverity",namespace="ns",project="under"} 1`,
		fmt.Sprintf(`p3o_project_risk_exposure{kind="Threat",namespace="ns",project="under"} %d`, threat),
		fmt.Sprintf(`p3o_project_risk_exposure{kind="Opportunity",namespace="ns",project="under"} %d`, opportunity),
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if n := strings.Count(text, "p3o_project_tolerance_exception{"); n != 2 {
		t.Errorf("%d exception series; want one per kind present (2):\n%s", n, text)
	}
	if strings.Contains(text, `project="quiet"`) {
		t.Errorf("series for a project with no exception and no open risk:\n%s", text)
	}
}
