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
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/travel"
)

// travelProject is a project as a report lists it: its health, budget and
// forecast, with the variance and Delivery Confidence its status shows.
func travelProject(ns, name string, h v1alpha1.Health, budget, forecast string, dca v1alpha1.DeliveryConfidence) *v1alpha1.Project {
	b, f := resource.MustParse(budget), resource.MustParse(forecast)
	return &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.ProjectSpec{Phase: v1alpha1.ProjectDelivering, Plan: v1alpha1.Plan{Budget: &b},
			Progress: &v1alpha1.Progress{AsOf: "2026-11-20", ForecastCost: &f}},
		Status: v1alpha1.ProjectStatus{Health: h, CostVariance: money.Amount(money.Sub(money.Of(&f), money.Of(&b))), DeliveryConfidence: dca}}
}

// Each report compares itself with the last sealed snapshot of its
// object, across several periods and a restart of the operator (a new
// publisher with nothing in memory) between them: health then and now,
// joiners and leavers apart, forecast and variance movement, Delivery
// Confidence, runs of Red or Amber. The clock is injected; the ConfigMaps
// are real.
func TestDirectionOfTravelAcrossPeriods(t *testing.T) {
	ns, owner, settings := weeklySnapshots(t)
	ctx := context.Background()
	const kind = "Traveltest"
	day := func(d int, hour int) time.Time { return time.Date(2026, 11, d, hour, 0, 0, 0, time.UTC) }
	clock := day(25, 12) // the week of Monday 2026-11-23
	g := NewWithT(t)
	publisher := publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	publishReport := func(health v1alpha1.Health, projects ...*v1alpha1.Project) report.Report {
		t.Helper()
		in := report.Input{Kind: "Office", Namespace: ns, Name: "central", Health: health, Rollup: v1alpha1.Rollup{Health: health}, Projects: projects}
		_, err := publisher.Publish(ctx, publish.Request{Object: owner, Kind: kind, Settings: settings, EnabledByDefault: true, Figures: in, Settled: true,
			Build: func(context.Context, publish.Object) (report.Input, error) { return in, nil }})
		g.Expect(err).To(Succeed())
		var r report.Report
		g.Expect(json.Unmarshal([]byte(reportOf(g, ns, "traveltest-central-report").Data[report.KeyJSON]), &r)).To(Succeed())
		return r
	}
	row := func(r report.Report, name string) report.ProjectRow {
		t.Helper()
		for _, p := range r.Projects {
			if p.Name == name {
				return p
			}
		}
		t.Fatalf("no row of %s", name)
		return report.ProjectRow{}
	}
	const green, amber, red = v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed

	// Week 1: nothing to compare with; Red and Amber runs start.
	r := publishReport(amber,
		travelProject(ns, "erp", green, "1M", "1M", v1alpha1.ConfidenceAmberGreen),
		travelProject(ns, "crm", amber, "500k", "550k", ""),
		travelProject(ns, "portal", red, "2M", "2.4M", v1alpha1.ConfidenceAmberRed))
	g.Expect(r.DirectionOfTravel.Since).To(BeEmpty())
	g.Expect(row(r, "crm").PeriodsRedOrAmber).To(BeEquivalentTo(1))
	g.Expect(row(r, "erp").Direction).To(BeEmpty())
	g.Expect(owner.Status.DirectionOfTravel).To(BeZero())

	// Week 2: compared with week 1's snapshot, sealed in the same pass.
	clock = day(30, 9)
	r = publishReport(red,
		travelProject(ns, "erp", amber, "1M", "1.1M", v1alpha1.ConfidenceAmber),
		travelProject(ns, "crm", amber, "500k", "550k", ""),
		travelProject(ns, "portal", green, "2M", "2.1M", v1alpha1.ConfidenceAmberRed),
		travelProject(ns, "billing", green, "300k", "300k", ""))
	d := r.DirectionOfTravel
	g.Expect(d.Since).To(Equal("2026-11-23T00:00:00Z"))
	g.Expect(d.HealthThen).To(Equal(amber))
	g.Expect(d.Direction).To(Equal(travel.Declined))
	g.Expect(d.PeriodsRedOrAmber).To(BeEquivalentTo(2))
	g.Expect(d.Counts).To(Equal(report.TravelCounts{Improved: 1, Declined: 1, Unchanged: 1, Joined: 1, PersistentlyRedOrAmber: 1}))
	erp := row(r, "erp")
	g.Expect([]any{erp.HealthThen, erp.Direction, erp.ForecastCostChange, erp.VarianceChange, erp.DeliveryConfidenceThen, erp.DeliveryConfidenceDirection}).
		To(Equal([]any{green, travel.Declined, "100000", "100000", v1alpha1.ConfidenceAmberGreen, travel.Declined}))
	portal := row(r, "portal")
	g.Expect([]any{portal.Direction, portal.ForecastCostChange, portal.PeriodsRedOrAmber, portal.DeliveryConfidenceDirection}).
		To(Equal([]any{travel.Improved, "-300000", int32(0), travel.Unchanged}))
	g.Expect(row(r, "crm").PeriodsRedOrAmber).To(BeEquivalentTo(2))
	g.Expect(row(r, "billing").Direction).To(Equal(travel.Joined))
	g.Expect(owner.Status.DirectionOfTravel).To(Equal(v1alpha1.DirectionOfTravel{Since: &metav1.Time{Time: day(23, 0)},
		Improved: 1, Declined: 1, Unchanged: 1, Joined: 1, PersistentlyRedOrAmber: 1}))

	// The operator restarts; week 3 compares with week 2, whose snapshot
	// the restarted operator seals.
	publisher = publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	clock = day(30, 0).AddDate(0, 0, 7).Add(2 * time.Hour)
	week3 := []*v1alpha1.Project{
		travelProject(ns, "erp", red, "1M", "1.3M", v1alpha1.ConfidenceAmber),
		travelProject(ns, "crm", amber, "500k", "600k", ""),
		travelProject(ns, "billing", green, "300k", "300k", ""),
	}
	r = publishReport(red, week3...)
	d = r.DirectionOfTravel
	g.Expect(d.Since).To(Equal("2026-11-30T00:00:00Z"))
	g.Expect(d.PeriodsRedOrAmber).To(BeEquivalentTo(3))
	g.Expect(d.Counts).To(Equal(report.TravelCounts{Declined: 1, Unchanged: 2, Left: 1, PersistentlyRedOrAmber: 2}))
	g.Expect(d.Left).To(Equal([]report.LeftProject{{Namespace: ns, Name: "portal", HealthThen: green}}))
	g.Expect(row(r, "crm").PeriodsRedOrAmber).To(BeEquivalentTo(3))
	g.Expect(row(r, "crm").ForecastCostChange).To(Equal("50000"))
	g.Expect(row(r, "erp").PeriodsRedOrAmber).To(BeEquivalentTo(2))
	g.Expect(row(r, "erp").DeliveryConfidenceDirection).To(Equal(travel.Unchanged))

	// Another restart within the same week: the same comparison, and the
	// live report is not written again.
	live := reportOf(g, ns, "traveltest-central-report")
	publisher = publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	clock = clock.Add(time.Hour)
	r = publishReport(red, week3...)
	g.Expect(r.DirectionOfTravel).To(Equal(d))
	g.Expect(reportOf(g, ns, "traveltest-central-report").ResourceVersion).To(Equal(live.ResourceVersion), "an unchanged report was written again")

	// The report as people read it says the same.
	md := reportOf(g, ns, "traveltest-central-report").Data[report.KeyMarkdown]
	g.Expect(md).To(ContainSubstring("Since the period of 2026-11-30. Health Red then, Red now (Unchanged); Red or Amber for 3 periods in a row."))
	g.Expect(md).To(ContainSubstring("| " + ns + "/crm | Amber | Amber | Unchanged | 3 | +50k | +50k | – |"))
	g.Expect(md).To(ContainSubstring("| " + ns + "/portal | Green |"))
}
