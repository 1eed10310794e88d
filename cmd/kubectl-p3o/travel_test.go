/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"bytes"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

func travelledProject(name string, h v1alpha1.Health, forecast string, dca v1alpha1.DeliveryConfidence) *v1alpha1.Project {
	f := resource.MustParse(forecast)
	return &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: "p3o-central", Name: name},
		Spec:   v1alpha1.ProjectSpec{Phase: v1alpha1.ProjectDelivering, Progress: &v1alpha1.Progress{AsOf: "2026-11-20", ForecastCost: &f}},
		Status: v1alpha1.ProjectStatus{Health: h, DeliveryConfidence: dca}}
}

// --since-last-period prints what report.json's direction of travel says,
// a row per project and the projects that left.
func TestSinceLastPeriod(t *testing.T) {
	then := report.Build(report.Input{Kind: "Office", Namespace: "p3o-central", Name: "portfolio-office", Health: v1alpha1.HealthAmber,
		Projects: []*v1alpha1.Project{
			travelledProject("erp", v1alpha1.HealthAmber, "1.3M", v1alpha1.ConfidenceAmber),
			travelledProject("crm", v1alpha1.HealthGreen, "500k", ""),
		}})
	now := report.Build(report.Input{Kind: "Office", Namespace: "p3o-central", Name: "portfolio-office", Health: v1alpha1.HealthRed,
		Projects: []*v1alpha1.Project{
			travelledProject("erp", v1alpha1.HealthRed, "1.45M", v1alpha1.ConfidenceAmberRed),
			travelledProject("portal", v1alpha1.HealthGreen, "2M", ""),
		},
		Previous: &report.Previous{Start: "2026-11-23T00:00:00Z", Report: then}})
	v, err := readTravel(report.Render(now).Data[report.KeyJSON])
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeTravel(&out, printer{}, "office portfolio-office", v); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"office portfolio-office since the period of 2026-11-23T00:00:00Z: health Amber then, Red now (Declined); Red or Amber for 2 periods in a row",
		"0 improved, 1 declined, 0 unchanged, 1 joined, 1 left, 0 not comparable; 1 Red or Amber two periods or more.",
		"p3o-central/erp     Amber  Red    Declined   2                  +150k     -         Amber -> AmberRed (Declined)",
		"p3o-central/portal  -      Green  Joined     0                  -         -         -",
		"Left since then:",
		"p3o-central/crm  Green",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
	if _, err := readTravel(`{"schemaVersion":"p3o.dev/report/v0"}`); err == nil {
		t.Error("a report of another schema was read")
	}
}
