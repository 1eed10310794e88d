/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
)

// digestOf is the SHA-256 of a report's data, over its keys in order, each
// key and value ended by a zero byte.
func digestOf(data map[string]string) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(data)) {
		h.Write([]byte(k + "\x00" + data[k] + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func reportOf(g Gomega, ns, name string) *corev1.ConfigMap {
	cm := &corev1.ConfigMap{}
	g.Expect(k8sClient.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, cm)).To(Succeed())
	return cm
}

// Offices and Portfolios publish a live report owned by them; it is
// rewritten when its content changes and only then.
func TestLiveReports(t *testing.T) {
	o := newOrganisation(t)
	project := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1.3M")
	project.Spec.Manager = "Sam"
	create(t, project)
	expectCondition(t, o.office, v1alpha1.ConditionReportPublished, metav1.ConditionTrue, v1alpha1.ReasonPublished)

	g := NewWithT(t)
	var cm *corev1.ConfigMap
	g.Eventually(func(g Gomega) {
		cm = reportOf(g, o.ns, "portfolio-digital-report")
		var r report.Report
		g.Expect(json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &r)).To(Succeed())
		g.Expect(r.SchemaVersion).To(Equal(report.SchemaVersion))
		g.Expect(r.Health).To(Equal(v1alpha1.HealthRed))
		g.Expect(r.Red).To(HaveLen(1))
		g.Expect(r.Totals.ForecastCost).To(Equal("1300000"))
		g.Expect(cm.Data[report.KeyMarkdown]).To(ContainSubstring("| Project | " + o.ns + "/erp | cost forecast 1.3M exceeds budget 1M"))
		g.Expect(cm.Data[report.KeyCSV]).To(ContainSubstring(o.ns + ",erp,cloud,Delivering,Red,"))
	}).Should(Succeed())
	g.Expect(cm.Labels).To(HaveKeyWithValue(v1alpha1.LabelReport, "live"))
	g.Expect(cm.Labels).To(HaveKeyWithValue(v1alpha1.LabelReportKind, "Portfolio"))
	g.Expect(cm.Annotations).To(HaveKeyWithValue(v1alpha1.AnnotationContentDigest, digestOf(cm.Data)), "the digest is not of the data")
	get(g, o.portfolio)
	// The controller owner reference is what garbage-collects the report
	// with its portfolio.
	g.Expect(metav1.IsControlledBy(cm, o.portfolio)).To(BeTrue())
	reportOf(g, o.ns, "office-central-report")
	g.Expect(k8sClient.Get(context.Background(), client.ObjectKey{Namespace: o.ns, Name: "programme-cloud-report"}, &corev1.ConfigMap{})).
		NotTo(Succeed(), "programmes publish only when asked")

	// A change that does not touch the report leaves it alone.
	version := cm.ResourceVersion
	update(t, project, func(p *v1alpha1.Project) { p.Labels = map[string]string{"team": "erp"} })
	g.Consistently(func(g Gomega) {
		g.Expect(reportOf(g, o.ns, "portfolio-digital-report").ResourceVersion).To(Equal(version))
	}).Should(Succeed())

	// A change of content is published, once.
	update(t, project, func(p *v1alpha1.Project) { p.Spec.Progress.ForecastCost = quantity("1M") })
	g.Eventually(func(g Gomega) {
		cm = reportOf(g, o.ns, "portfolio-digital-report")
		g.Expect(cm.Data[report.KeyJSON]).To(ContainSubstring(`"forecastCost": "1000000"`))
	}).Should(Succeed())
	version = cm.ResourceVersion
	g.Consistently(func(g Gomega) {
		g.Expect(reportOf(g, o.ns, "portfolio-digital-report").ResourceVersion).To(Equal(version))
	}).Should(Succeed())

	// A deleted report is published again; a disabled one is removed.
	g.Expect(k8sClient.Delete(context.Background(), cm)).To(Succeed())
	g.Eventually(func(g Gomega) { reportOf(g, o.ns, "portfolio-digital-report") }).Should(Succeed())
	update(t, o.portfolio, func(p *v1alpha1.Portfolio) { p.Spec.Reports.Mode = v1alpha1.ReportsDisabled })
	g.Eventually(func() error {
		return k8sClient.Get(context.Background(), client.ObjectKey{Namespace: o.ns, Name: "portfolio-digital-report"}, &corev1.ConfigMap{})
	}).ShouldNot(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(conditionOf(g, o.portfolio, v1alpha1.ConditionReportPublished)).To(BeNil())
	}).Should(Succeed())
	expectReady(t, o.portfolio)
}

// Snapshots are taken once per period and pruned to the retention count;
// the current period's stays open (it follows the settled report) and those
// of ended periods are sealed, immutable.
func TestReportSnapshots(t *testing.T) {
	o := newOrganisation(t)
	g := NewWithT(t)
	get(g, o.portfolio)
	// Snapshots of earlier periods, as a previous run of the operator left them.
	for _, day := range []string{"20260105", "20260112", "20260119"} {
		old := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: o.ns, Name: "portfolio-digital-report-" + day,
			Labels:          map[string]string{v1alpha1.LabelReport: "snapshot", v1alpha1.LabelReportKind: "Portfolio", v1alpha1.LabelReportName: "digital"},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(o.portfolio, v1alpha1.GroupVersion.WithKind("Portfolio"))}},
			Data: map[string]string{report.KeyJSON: "{}"}}
		create(t, old)
	}
	update(t, o.portfolio, func(p *v1alpha1.Portfolio) {
		p.Spec.Reports = v1alpha1.ReportSettings{SnapshotInterval: "1w", SnapshotRetention: 2}
	})
	start, _ := report.Period(time.Now(), 7*24*time.Hour)
	current := "portfolio-digital-report-" + start.Format("20060102")
	g.Eventually(func(g Gomega) {
		list := &corev1.ConfigMapList{}
		g.Expect(k8sClient.List(context.Background(), list, client.InNamespace(o.ns), client.MatchingLabels{v1alpha1.LabelReport: "snapshot"})).To(Succeed())
		var names []string
		for _, cm := range list.Items {
			names = append(names, cm.Name)
		}
		g.Expect(names).To(ConsistOf(current, "portfolio-digital-report-20260119"))
	}).Should(Succeed())
	snap := reportOf(g, o.ns, current)
	g.Expect(snap.Annotations).To(HaveKeyWithValue(v1alpha1.AnnotationSnapshotState, v1alpha1.SnapshotOpen))
	g.Expect(snap.Annotations).To(HaveKeyWithValue(v1alpha1.AnnotationPeriodStart, start.Format(time.RFC3339)))
	sealed := reportOf(g, o.ns, "portfolio-digital-report-20260119")
	g.Expect(sealed.Immutable).To(HaveValue(BeTrue()))
	g.Expect(sealed.Annotations).To(HaveKeyWithValue(v1alpha1.AnnotationSnapshotState, v1alpha1.SnapshotSealed))
	g.Expect(snap.Data[report.KeyMarkdown]).To(ContainSubstring("# Portfolio " + o.ns + "/digital"))
}

// Ready means the figures are final: while a burst of projects is being
// reconciled, the office is never Ready with a partial count (it says
// Reconciling, ChildrenPending or ReportPending instead), and once Ready its
// status and its live report hold every project.
func TestReadyMeansTheFiguresAreFinal(t *testing.T) {
	o := newOrganisation(t)
	expectReady(t, o.office)
	const n = 15
	for i := range n {
		create(t, reporting(newProject(o.ns, fmt.Sprintf("p%02d", i), refPtr("cloud")), "1M", "1.2M"))
	}
	sawPending := false
	deadline := time.Now().Add(60 * time.Second)
	for {
		office := &v1alpha1.Office{}
		if err := k8sClient.Get(context.Background(), client.ObjectKeyFromObject(o.office), office); err != nil {
			t.Fatal(err)
		}
		if conditions.IsTrue(office, v1alpha1.ConditionReconciling) {
			sawPending = true
		}
		if conditions.IsTrue(office, v1alpha1.ConditionReady) && office.Status.Rollup.Projects != 0 {
			// Ready with projects: all of them, in status and in the live
			// report.
			if office.Status.Rollup.Projects != n {
				t.Fatalf("Ready with %d of %d projects", office.Status.Rollup.Projects, n)
			}
			var r report.Report
			cm := reportOf(NewWithT(t), o.ns, "office-central-report")
			if err := json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &r); err != nil {
				t.Fatal(err)
			}
			if r.Counts.Projects != n {
				t.Fatalf("Ready while the live report holds %d of %d projects", r.Counts.Projects, n)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the office did not become Ready with its projects: %+v", office.Status.Conditions)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !sawPending {
		t.Error("the office never said its figures were pending")
	}
}

// An office already showing figures shows new ones at once, saying that
// its report is being rebuilt (not Ready), and is Ready again once its
// report holds them: a reader never waits for a report to see figures,
// and never sees Ready over a report that lags them.
func TestNewFiguresAreShownBeforeTheirReport(t *testing.T) {
	o := newOrganisation(t)
	project := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	create(t, project)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		g.Expect(conditions.IsTrue(o.office, v1alpha1.ConditionReady)).To(BeTrue())
		g.Expect(o.office.Status.Rollup.Money.ForecastCost).To(Equal(v1alpha1.Amount("1000000")))
	}).Should(Succeed())

	watcher, err := client.NewWithWatch(cpConfig, client.Options{Scheme: scheme})
	g.Expect(err).NotTo(HaveOccurred())
	offices, err := watcher.Watch(context.Background(), &v1alpha1.OfficeList{}, client.InNamespace(o.ns),
		&client.ListOptions{Raw: &metav1.ListOptions{ResourceVersion: o.office.ResourceVersion}})
	g.Expect(err).NotTo(HaveOccurred())
	defer offices.Stop()

	update(t, project, func(p *v1alpha1.Project) { p.Spec.Progress.ForecastCost = quantity("1.4M") })
	newFigures := func(o *v1alpha1.Office) bool {
		return o.Status.Rollup.Money.ForecastCost == "1400000"
	}
	var first *v1alpha1.Office
	timeout := time.After(30 * time.Second)
	for {
		var office *v1alpha1.Office
		select {
		case e, ok := <-offices.ResultChan():
			if !ok {
				t.Fatal("the watch ended")
			}
			if office, ok = e.Object.(*v1alpha1.Office); !ok || office.Name != o.office.Name {
				continue
			}
		case <-timeout:
			t.Fatalf("the office never showed the new figures Ready; first showing them: %+v", first)
		}
		if !newFigures(office) {
			continue
		}
		if first == nil {
			first = office
			ready := conditions.Get(first, v1alpha1.ConditionReady)
			if ready == nil || ready.Status != metav1.ConditionFalse || ready.Reason != string(v1alpha1.ReasonReportPending) {
				t.Errorf("the new figures were first shown with Ready %+v, want False/%s: shown before the report", ready, v1alpha1.ReasonReportPending)
			}
		}
		if conditions.IsTrue(office, v1alpha1.ConditionReady) {
			var r report.Report
			g.Expect(json.Unmarshal([]byte(reportOf(g, o.ns, "office-central-report").Data[report.KeyJSON]), &r)).To(Succeed())
			g.Expect(r.Totals.ForecastCost).To(Equal("1400000"), "Ready while the report lags the figures")
			return
		}
	}
}

// A snapshot holds the settled report as it stood at the close of its
// period: it follows settled reports while the period is open, ignores
// reports built while children are pending, is sealed at the boundary, is
// never written again (not even after it was deleted), and a restart of the
// operator (a new publisher) neither skips nor repeats a period. The clock
// is injected; the ConfigMaps are real.
func TestSnapshotsHoldTheCloseOfTheirPeriod(t *testing.T) {
	ns, owner, settings := weeklySnapshots(t)
	ctx := context.Background()
	const kind = "Snapshottest"
	week := func(day int, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	clock := week(25, 12) // Wednesday of the week of Monday 2026-11-23
	input := func(projects int32) report.Input {
		return report.Input{Kind: "Office", Namespace: ns, Name: "central", Health: v1alpha1.HealthGreen,
			Rollup: v1alpha1.Rollup{Projects: projects, Health: v1alpha1.HealthGreen}}
	}
	projectsIn := func(g Gomega, name string) (int32, *corev1.ConfigMap) {
		cm := reportOf(g, ns, name)
		var r report.Report
		g.Expect(json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &r)).To(Succeed())
		return r.Counts.Projects, cm
	}
	g := NewWithT(t)
	// A publisher reading and writing through an uncached client.
	publisher := publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	publishReport := func(projects int32, settled bool) {
		t.Helper()
		in := input(projects)
		_, err := publisher.Publish(ctx, publish.Request{Object: owner, Kind: kind, Settings: settings, EnabledByDefault: true, Figures: in, Settled: settled,
			Build: func(context.Context, publish.Object) (report.Input, error) { return in, nil }})
		g.Expect(err).To(Succeed())
	}
	const week1, week2 = "snapshottest-central-report-20261123", "snapshottest-central-report-20261130"

	publishReport(4, true) // settled: the open snapshot follows it
	clock = week(29, 23)
	publishReport(10, true)
	n, cm := projectsIn(g, week1)
	g.Expect(n).To(BeEquivalentTo(10))
	g.Expect(cm.Annotations).To(HaveKeyWithValue(v1alpha1.AnnotationSnapshotState, v1alpha1.SnapshotOpen))
	g.Expect(cm.Annotations).To(HaveKeyWithValue(v1alpha1.AnnotationBuiltAt, "2026-11-29T23:00:00Z"))

	clock = week(29, 23).Add(30 * time.Minute)
	publishReport(12, false) // a burst starts before the boundary: not settled
	n, _ = projectsIn(g, week1)
	g.Expect(n).To(BeEquivalentTo(10), "a report built while children were pending reached the snapshot")

	clock = week(30, 0).Add(time.Minute) // across the boundary, still in the burst
	publishReport(14, false)
	n, cm = projectsIn(g, week1)
	g.Expect(n).To(BeEquivalentTo(10), "the sealed week holds its last settled report")
	g.Expect(cm.Immutable).To(HaveValue(BeTrue()))
	g.Expect(cm.Annotations).To(HaveKeyWithValue(v1alpha1.AnnotationSnapshotState, v1alpha1.SnapshotSealed))
	g.Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: week2}, &corev1.ConfigMap{})).NotTo(Succeed(), "a snapshot of a burst")

	// The operator restarts: a new publisher with nothing in memory.
	publisher = publish.New(k8sClient, k8sClient, func() time.Time { return clock })
	clock = week(30, 1)
	publishReport(15, true)
	n, _ = projectsIn(g, week2)
	g.Expect(n).To(BeEquivalentTo(15))
	n, _ = projectsIn(g, week1)
	g.Expect(n).To(BeEquivalentTo(10), "the restart rewrote history")

	// A deleted snapshot of an ended period stays deleted.
	g.Expect(k8sClient.Delete(ctx, reportOf(g, ns, week1))).To(Succeed())
	clock = week(30, 9)
	publishReport(16, true)
	g.Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: week1}, &corev1.ConfigMap{})).NotTo(Succeed(), "a deleted snapshot came back")
	n, _ = projectsIn(g, week2)
	g.Expect(n).To(BeEquivalentTo(16))
	list := &corev1.ConfigMapList{}
	g.Expect(k8sClient.List(ctx, list, client.InNamespace(ns), client.MatchingLabels{v1alpha1.LabelReport: "snapshot"})).To(Succeed())
	g.Expect(list.Items).To(HaveLen(1), "one snapshot per period")
}

// weeklySnapshots is a namespace with an office whose reports a test
// publishes itself (the operator's own publisher stays out of the way),
// and the settings of weekly snapshots, five kept.
func weeklySnapshots(t *testing.T) (string, *v1alpha1.Office, v1alpha1.ReportSettings) {
	t.Helper()
	ns := newNamespace(t, nil)
	owner := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	owner.Spec.Reports.Mode = v1alpha1.ReportsDisabled
	create(t, owner)
	return ns, owner, v1alpha1.ReportSettings{SnapshotInterval: "1w", SnapshotRetention: 5}
}
