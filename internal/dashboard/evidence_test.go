/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// withEvidence is the organisation with the hub's published indicators:
// one measured, one with nothing in scope, one perspective not evidenced.
func withEvidence() ([]client.Object, v1alpha1.Evidence) {
	objs := organisation()
	since := metav1.NewTime(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	e := v1alpha1.Evidence{Since: &since, Indicators: []v1alpha1.EvidenceIndicator{
		{Perspective: v1alpha1.PerspectiveOrganisationalGovernance, Indicator: v1alpha1.IndicatorGatesMet, State: v1alpha1.EvidenceMeasured, Numerator: 2, Denominator: 3, Trend: v1alpha1.EvidenceImproved},
		{Perspective: v1alpha1.PerspectiveFinanceManagement, Indicator: v1alpha1.IndicatorForecastAccuracy, State: v1alpha1.EvidenceNothingToMeasure, Trend: v1alpha1.EvidenceNotComparable},
		{Perspective: v1alpha1.PerspectiveStakeholderEngagement, State: v1alpha1.EvidenceNotEvidenced},
	}}
	for _, o := range objs {
		if office, ok := o.(*v1alpha1.Office); ok && office.Name == "hq" {
			office.Status.Evidence = e
		}
	}
	return objs, e
}

// The office page lists the published indicators in words, each figure
// as status.evidence holds it, the share and trend said, not coloured.
func TestOfficePageShowsThePublishedEvidence(t *testing.T) {
	objs, _ := withEvidence()
	s := section(t, page(t, serve(t, allowIn(central, retail), objs...), "/offices/central/hq"), "evidence")
	want := [][]string{
		{"Organisational governance", "Open projects whose gates for their phase are met", "2", "3", "67%", "Improved"},
		{"Finance management", "Projects closed since the last sealed period whose actual cost kept the forecast then, within their cost tolerance", "0", "0", "nothing in scope", "Not comparable"},
		{"Stakeholder engagement", "Not evidenced: the resources hold no stakeholder register, engagement plan or record of engagement, so nothing here shows how stakeholders are engaged."},
	}
	if got := tableRows(t, s, "evidence"); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the evidence reads\n%q\nthe published status says\n%q", got, want)
	}
	for _, w := range []string{"since the period from 2026-11-23", "not a maturity level and not an assessment", report.TrademarkNotice} {
		if !strings.Contains(text(s), w) {
			t.Errorf("the section does not say %q:\n%s", w, text(s))
		}
	}
	if strings.Contains(s, "style=") {
		t.Errorf("the section carries a style attribute, which the CSP forbids")
	}
}

func TestEvidenceIsWithheldFromAViewerDeniedPartOfTheOffice(t *testing.T) {
	objs, _ := withEvidence()
	s := section(t, page(t, serve(t, allowIn(central), objs...), "/offices/central/hq"), "evidence")
	if !strings.Contains(s, "Withheld: includes objects you may not see") || strings.Contains(s, "<table") {
		t.Errorf("a viewer denied retail is shown the hub's indicators:\n%s", text(s))
	}
}

func TestOnlyAnOfficeThatPublishesEvidenceHasTheSection(t *testing.T) {
	objs, _ := withEvidence()
	srv := serve(t, allowIn(central, retail), objs...)
	for _, path := range []string{"/offices/retail/retail-pmo", "/portfolios/central/group-change", "/programmes/central/cloud-move"} {
		if strings.Contains(page(t, srv, path), `id="evidence"`) {
			t.Errorf("%s shows evidence, which it does not publish", path)
		}
	}
	if !strings.Contains(page(t, srv, "/offices/central/hq"), `id="evidence"`) {
		t.Error("the hub's page has no evidence section")
	}
}
