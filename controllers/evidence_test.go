/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
)

// evidenceProject is a project as an office's report reads it for its
// indicators: its phase, forecast, reporting state and, once closed, its
// actual cost.
func evidenceProject(ns, name string, phase v1alpha1.ProjectPhase, forecast, actual string, reporting v1alpha1.ReportingState) *v1alpha1.Project {
	p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.ProjectSpec{Phase: phase, Plan: v1alpha1.Plan{Budget: quantity("1M")},
			Progress: &v1alpha1.Progress{AsOf: "2026-11-20", ForecastCost: quantity(forecast)}},
		Status: v1alpha1.ProjectStatus{Health: v1alpha1.HealthGreen, Reporting: reporting}}
	if actual != "" {
		p.Spec.ClosedOn, p.Spec.Progress.ActualCost = "2026-11-30", quantity(actual)
	}
	return p
}

// indicatorOf is one indicator of an evidence section.
func indicatorOf(t *testing.T, e *report.Evidence, id v1alpha1.EvidenceIndicatorID) report.EvidenceIndicator {
	t.Helper()
	if e == nil {
		t.Fatal("the office's report has no evidence")
	}
	for _, i := range e.Indicators {
		if i.Indicator == id {
			return i
		}
	}
	t.Fatalf("no indicator %s", id)
	return report.EvidenceIndicator{}
}

// An office's indicators of practice across three periods and a restart
// of the operator (a new publisher with nothing in memory): each period's
// trends compare with the sealed snapshot of the one before, and forecast
// accuracy counts the projects closed since against the forecast that
// snapshot held. The clock is injected; the ConfigMaps are real, and the
// status the report gives is accepted by the API server's schema.
func TestEvidenceAcrossPeriods(t *testing.T) {
	ns, owner, settings := weeklySnapshots(t)
	ctx := context.Background()
	day := func(d int, hour int) time.Time { return time.Date(2026, 11, d, hour, 0, 0, 0, time.UTC) }
	clock := day(25, 12) // the week of Monday 2026-11-23
	g := NewWithT(t)
	publisher := publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	publishReport := func(projects ...*v1alpha1.Project) report.Report {
		t.Helper()
		in := report.Input{Kind: "Office", Namespace: ns, Name: "central", Health: v1alpha1.HealthGreen,
			Rollup: v1alpha1.Rollup{Health: v1alpha1.HealthGreen, Money: v1alpha1.MoneySummary{Currency: "GBP"}}, Projects: projects}
		_, err := publisher.Publish(ctx, publish.Request{Object: owner, Kind: "Evidencetest", Settings: settings, EnabledByDefault: true, Figures: in, Settled: true,
			Build: func(context.Context, publish.Object) (report.Input, error) { return in, nil }})
		g.Expect(err).To(Succeed())
		var r report.Report
		g.Expect(json.Unmarshal([]byte(reportOf(g, ns, "evidencetest-central-report").Data[report.KeyJSON]), &r)).To(Succeed())
		g.Expect(owner.Status.Evidence).To(Equal(r.Evidence.Status()), "status.evidence is not the report's")
		// The status is valid for the API server's schema.
		patch, err := json.Marshal(map[string]any{"status": map[string]any{"evidence": owner.Status.Evidence}})
		g.Expect(err).To(Succeed())
		g.Expect(k8sClient.Status().Patch(ctx, owner.DeepCopy(), client.RawPatch(types.MergePatchType, patch), client.DryRunAll)).To(Succeed())
		return r
	}
	const current, stale = v1alpha1.ReportingCurrent, v1alpha1.ReportingStale
	const delivering, closing, closed = v1alpha1.ProjectDelivering, v1alpha1.ProjectClosing, v1alpha1.ProjectClosed

	// Week 1: nothing to compare with, nothing closed since a sealed period.
	r := publishReport(
		evidenceProject(ns, "erp", delivering, "1.1M", "", current),
		evidenceProject(ns, "crm", closing, "500k", "", stale),
		evidenceProject(ns, "portal", delivering, "2M", "", current))
	g.Expect(r.Evidence.Since).To(BeEmpty())
	rc := indicatorOf(t, r.Evidence, v1alpha1.IndicatorReportingCurrent)
	g.Expect([]any{rc.Numerator, rc.Denominator, rc.Trend}).To(Equal([]any{int32(2), int32(3), v1alpha1.EvidenceNotComparable}))
	fa := indicatorOf(t, r.Evidence, v1alpha1.IndicatorForecastAccuracy)
	g.Expect([]any{fa.State, fa.Percent}).To(Equal([]any{v1alpha1.EvidenceNothingToMeasure, (*int32)(nil)}))
	g.Expect(owner.Status.Evidence.Since).To(BeNil())

	// Week 2: crm closed at 520k against the 500k forecast week 1's
	// snapshot held (within its 10% tolerance); portal's reporting went
	// stale.
	clock = day(30, 9)
	r = publishReport(
		evidenceProject(ns, "erp", delivering, "1.1M", "", current),
		evidenceProject(ns, "crm", closed, "500k", "520k", v1alpha1.ReportingNotRequired),
		evidenceProject(ns, "portal", delivering, "2M", "", stale))
	g.Expect(r.Evidence.Since).To(Equal("2026-11-23T00:00:00Z"))
	fa = indicatorOf(t, r.Evidence, v1alpha1.IndicatorForecastAccuracy)
	g.Expect([]any{fa.Numerator, fa.Denominator, *fa.Percent, fa.Trend}).To(Equal([]any{int32(1), int32(1), int32(100), v1alpha1.EvidenceNotComparable}))
	rc = indicatorOf(t, r.Evidence, v1alpha1.IndicatorReportingCurrent)
	g.Expect([]any{rc.Numerator, rc.Denominator, rc.Trend}).To(Equal([]any{int32(1), int32(2), v1alpha1.EvidenceDeclined}))
	g.Expect(owner.Status.Evidence.Since).To(Equal(&metav1.Time{Time: day(23, 0)}))

	// The operator restarts; week 3 compares with week 2's snapshot, which
	// the restarted operator seals. Portal closed at 2.5M against the 2M
	// forecast then: 25% off, beyond its 10% tolerance.
	publisher = publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	clock = day(30, 0).AddDate(0, 0, 7).Add(2 * time.Hour)
	week3 := []*v1alpha1.Project{
		evidenceProject(ns, "erp", delivering, "1.2M", "", current),
		evidenceProject(ns, "crm", closed, "500k", "520k", v1alpha1.ReportingNotRequired),
		evidenceProject(ns, "portal", closed, "2M", "2.5M", v1alpha1.ReportingNotRequired),
	}
	r = publishReport(week3...)
	g.Expect(r.Evidence.Since).To(Equal("2026-11-30T00:00:00Z"))
	fa = indicatorOf(t, r.Evidence, v1alpha1.IndicatorForecastAccuracy)
	g.Expect([]any{fa.Numerator, fa.Denominator, *fa.Percent, fa.Trend}).To(Equal([]any{int32(0), int32(1), int32(0), v1alpha1.EvidenceDeclined}),
		"crm closed before week 2's snapshot and no longer counts; portal missed")
	rc = indicatorOf(t, r.Evidence, v1alpha1.IndicatorReportingCurrent)
	g.Expect([]any{rc.Numerator, rc.Denominator, rc.Trend}).To(Equal([]any{int32(1), int32(1), v1alpha1.EvidenceImproved}))
	fr := indicatorOf(t, r.Evidence, v1alpha1.IndicatorForecastReported)
	g.Expect([]any{fr.Numerator, fr.Denominator, fr.Trend}).To(Equal([]any{int32(1), int32(1), v1alpha1.EvidenceUnchanged}))

	// Another restart within the same week: the same figures, and the live
	// report is not written again.
	live := reportOf(g, ns, "evidencetest-central-report")
	publisher = publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	clock = clock.Add(time.Hour)
	again := publishReport(week3...)
	g.Expect(again.Evidence).To(Equal(r.Evidence))
	g.Expect(reportOf(g, ns, "evidencetest-central-report").ResourceVersion).To(Equal(live.ResourceVersion), "an unchanged report was written again")

	// The report as people read it says the same.
	md := reportOf(g, ns, "evidencetest-central-report").Data[report.KeyMarkdown]
	g.Expect(md).To(ContainSubstring("Trends compare with the period of 2026-11-30."))
	g.Expect(md).To(ContainSubstring("| Finance management | Projects closed since the last sealed period whose actual cost kept the forecast then, within their cost tolerance | 0 | 1 | 0% | Declined |"))
	g.Expect(md).To(ContainSubstring("| Management control | Projects held to a reporting cadence whose progress is current | 1 | 1 | 100% | Improved |"))
}

// The running operator writes an office's indicators into its status and
// its report, from the projects beneath as their own reconcilers left
// them.
func TestOfficeStatusShowsItsEvidence(t *testing.T) {
	o := newOrganisation(t)
	owned := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	owned.Spec.Risks = []v1alpha1.Risk{{Name: "R-1", Probability: 3, Impact: 3, Owner: "Ann", Response: v1alpha1.ResponseReduce},
		{Name: "R-2", Probability: 2, Impact: 2, Owner: "Ann"}}
	owned.Spec.Tolerances.RiskSeverity = 15
	unreported := newProject(o.ns, "portal", refPtr("cloud"))
	unreported.Spec.Phase = v1alpha1.ProjectDelivering
	unreported.Spec.Risks = []v1alpha1.Risk{{Name: "R-3", Probability: 1, Impact: 2, Response: v1alpha1.ResponseAccept}}
	create(t, owned, unreported)

	want := map[v1alpha1.EvidenceIndicatorID][2]int32{
		v1alpha1.IndicatorThreatsOwnedWithResponse: {1, 3},
		v1alpha1.IndicatorRiskToleranceSet:         {1, 2},
		v1alpha1.IndicatorReportingCurrent:         {1, 2}, // portal reports nothing: Stale
		v1alpha1.IndicatorForecastReported:         {1, 2},
	}
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		got := map[v1alpha1.EvidenceIndicatorID][2]int32{}
		for _, i := range o.office.Status.Evidence.Indicators {
			if _, ok := want[i.Indicator]; ok {
				got[i.Indicator] = [2]int32{i.Numerator, i.Denominator}
			}
		}
		g.Expect(got).To(Equal(want))
		var r report.Report
		g.Expect(json.Unmarshal([]byte(reportOf(g, o.ns, "office-central-report").Data[report.KeyJSON]), &r)).To(Succeed())
		g.Expect(r.Evidence.Status()).To(Equal(o.office.Status.Evidence))
	}).Should(Succeed())
	perspectives := map[v1alpha1.EvidencePerspective]v1alpha1.EvidenceState{}
	for _, i := range o.office.Status.Evidence.Indicators {
		if i.State == v1alpha1.EvidenceNotEvidenced {
			perspectives[i.Perspective] = i.State
		}
	}
	g.Expect(perspectives).To(HaveLen(2))
	g.Expect(perspectives).To(HaveKey(v1alpha1.PerspectiveStakeholderEngagement))
	g.Expect(perspectives).To(HaveKey(v1alpha1.PerspectiveResourceManagement))
}
