/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// expectLiveReport waits until the ConfigMap holds the live report of the
// object: labelled, controlled by it, with a report.json that parses.
func expectLiveReport(t *testing.T, owner client.Object, name string, check func(Gomega, *corev1.ConfigMap)) {
	t.Helper()
	NewWithT(t).Eventually(func(g Gomega) {
		get(g, owner)
		cm := reportOf(g, owner.GetNamespace(), name)
		g.Expect(cm.Labels).To(HaveKeyWithValue(v1alpha1.LabelReport, "live"))
		g.Expect(metav1.IsControlledBy(cm, owner)).To(BeTrue(), "controller of %s: %v", name, metav1.GetControllerOf(cm))
		var r report.Report
		g.Expect(json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &r)).To(Succeed())
		g.Expect(r.SchemaVersion).To(Equal(report.SchemaVersion))
		g.Expect(cm.Data).To(HaveKey(report.KeyMarkdown))
		g.Expect(cm.Data).To(HaveKey(report.KeyCSV))
		if check != nil {
			check(g, cm)
		}
	}).Should(Succeed())
}

// A live report that lost its label (the operator's cache holds only
// labelled ConfigMaps) is adopted back: labels and content restored, a
// label someone added kept. One made by hand under the report's name, with
// no controller, is adopted too.
func TestLiveReportIsAdoptedBack(t *testing.T) {
	o := newOrganisation(t)
	create(t, reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1.3M"))
	expectLiveReport(t, o.portfolio, "portfolio-digital-report", nil)

	cm := reportOf(NewWithT(t), o.ns, "portfolio-digital-report")
	update(t, cm, func(cm *corev1.ConfigMap) {
		cm.Labels = map[string]string{"team": "finance"}
		cm.Data = map[string]string{report.KeyJSON: "tampered"}
	})
	expectLiveReport(t, o.portfolio, "portfolio-digital-report", func(g Gomega, cm *corev1.ConfigMap) {
		g.Expect(cm.Labels).To(HaveKeyWithValue(v1alpha1.LabelReportKind, "Portfolio"))
		g.Expect(cm.Labels).To(HaveKeyWithValue(v1alpha1.LabelReportName, "digital"))
		g.Expect(cm.Labels).To(HaveKeyWithValue("team", "finance"))
		g.Expect(cm.Data[report.KeyMarkdown]).To(ContainSubstring("/erp | cost forecast 1.3M exceeds budget 1M"))
	})
	expectCondition(t, o.portfolio, v1alpha1.ConditionReportPublished, metav1.ConditionTrue, v1alpha1.ReasonPublished)

	// Made by hand before the programme asked for reports.
	create(t, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: o.ns, Name: "programme-cloud-report"},
		Data: map[string]string{"note": "made by hand"}})
	update(t, o.programme, func(p *v1alpha1.Programme) { p.Spec.Reports.Mode = v1alpha1.ReportsEnabled })
	expectLiveReport(t, o.programme, "programme-cloud-report", func(g Gomega, cm *corev1.ConfigMap) {
		g.Expect(cm.Data).NotTo(HaveKey("note"))
	})
	expectCondition(t, o.programme, v1alpha1.ConditionReportPublished, metav1.ConditionTrue, v1alpha1.ReasonPublished)
}

// reconcileErrors reads the operator's controller_runtime_reconcile_errors_total
// for one controller.
func reconcileErrors(g Gomega, controller string) float64 {
	families, err := ctrlmetrics.Registry.Gather()
	g.Expect(err).NotTo(HaveOccurred())
	for _, f := range families {
		if f.GetName() != "controller_runtime_reconcile_errors_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "controller" && l.GetValue() == controller {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// A ConfigMap under the report's name that another object controls is left
// alone; the object says so in ReportPublished and is not retried hot.
func TestReportNameHeldByAnotherOwner(t *testing.T) {
	o := newOrganisation(t)
	g := NewWithT(t)
	get(g, o.office)
	foreign := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Namespace: o.ns, Name: "portfolio-retail-report",
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(o.office, v1alpha1.GroupVersion.WithKind("Office"))}},
		Data: map[string]string{"owner": "office"},
	}
	create(t, foreign)
	retail := newPortfolio(o.ns, "retail", "central")
	create(t, retail)

	message := expectCondition(t, retail, v1alpha1.ConditionReportPublished, metav1.ConditionFalse, v1alpha1.ReasonReportNameTaken)
	g.Expect(message).To(ContainSubstring("ConfigMap portfolio-retail-report is controlled by Office central"))
	// Only a person can free the name: Stalled, so kstatus reads Failed.
	expectCondition(t, retail, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonReportNameTaken)
	expectCondition(t, retail, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonReportNameTaken)

	// Retried as an error, the portfolio would fail again each time a
	// rebuild is allowed (publish.MinInterval, 5s): twice or more in 12s.
	errorsBefore := reconcileErrors(g, "portfolio")
	g.Consistently(func(g Gomega) {
		cm := reportOf(g, o.ns, "portfolio-retail-report")
		g.Expect(cm.ResourceVersion).To(Equal(foreign.ResourceVersion), "the other owner's ConfigMap was written")
		g.Expect(metav1.IsControlledBy(cm, o.office)).To(BeTrue())
	}, 12*time.Second, time.Second).Should(Succeed())
	g.Expect(reconcileErrors(g, "portfolio")-errorsBefore).To(BeNumerically("<", 2), "the portfolio is retried as an error")
}

// An Office whose name is too long for "office-<name>-report" publishes
// under a shortened, stable name, and so do its snapshots.
func TestReportOfALongNameIsPublished(t *testing.T) {
	ns := newNamespace(t, nil)
	name := strings.Repeat("long-office-name.", 14) + "hub" // 241 characters
	office := newOffice(ns, name, v1alpha1.OfficeTypePortfolioOffice)
	office.Spec.Reports.SnapshotInterval = "1w"
	create(t, office)

	g := NewWithT(t)
	reports := func(g Gomega, reportType string) []corev1.ConfigMap {
		list := &corev1.ConfigMapList{}
		g.Expect(k8sClient.List(context.Background(), list, client.InNamespace(ns),
			client.MatchingLabels{v1alpha1.LabelReport: reportType, v1alpha1.LabelReportKind: "Office"})).To(Succeed())
		return list.Items
	}
	var live string
	g.Eventually(func(g Gomega) {
		items := reports(g, "live")
		g.Expect(items).To(HaveLen(1))
		live = items[0].Name
	}).Should(Succeed())
	g.Expect(len(live)).To(BeNumerically("<=", 253))
	g.Expect(live).To(HavePrefix("office-long-office-name.long-office-name."))
	g.Expect(live).To(HaveSuffix("-report"))
	expectLiveReport(t, office, live, nil)
	message := expectCondition(t, office, v1alpha1.ConditionReportPublished, metav1.ConditionTrue, v1alpha1.ReasonPublished)
	g.Expect(message).To(ContainSubstring("ConfigMap " + live + " holds the report"))

	start, _ := report.Period(time.Now(), 7*24*time.Hour)
	g.Eventually(func(g Gomega) {
		items := reports(g, "snapshot")
		g.Expect(items).To(HaveLen(1))
		g.Expect(len(items[0].Name)).To(BeNumerically("<=", 253))
		g.Expect(items[0].Name).To(HaveSuffix("-report-" + start.Format("20060102")))
		g.Expect(metav1.IsControlledBy(&items[0], office)).To(BeTrue())
	}).Should(Succeed())

	// The name is stable: a change of content rewrites the same ConfigMap.
	create(t, newPortfolio(ns, "digital", name))
	g.Eventually(func(g Gomega) {
		items := reports(g, "live")
		g.Expect(items).To(HaveLen(1))
		g.Expect(items[0].Name).To(Equal(live))
		g.Expect(items[0].Data[report.KeyMarkdown]).To(ContainSubstring("| Portfolios | 1 |"))
	}).Should(Succeed())
}
