/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"encoding/json"
	"strings"
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/evidence"
)

// officeInput is an office over the sample's projects.
func officeInput() Input {
	in := sampleInput()
	in.Kind, in.Strategy, in.Capacity, in.Committed, in.OverCommitted, in.Previous = "Office", nil, nil, nil, nil, nil
	return in
}

// Only an office's report has evidence; its figures are internal/evidence's,
// and report.json, report.md and the status say the same.
func TestOfficeReportCarriesTheEvidence(t *testing.T) {
	if Build(sampleInput()).Evidence != nil {
		t.Fatal("a portfolio's report has evidence")
	}
	in := officeInput()
	r := Build(in)
	want := evidence.Compute(evidence.Input{Projects: in.Projects, Programmes: in.Programmes, Currency: r.Currency})
	if r.Evidence == nil || len(r.Evidence.Indicators) != len(want.Indicators) {
		t.Fatalf("evidence %+v", r.Evidence)
	}
	status := r.Evidence.Status()
	for i, got := range r.Evidence.Indicators {
		w := want.Indicators[i]
		if got.status() != w || status.Indicators[i] != w {
			t.Errorf("indicator %d: report %+v, status %+v, want %+v", i, got, status.Indicators[i], w)
		}
		if p, ok := evidence.Percent(w); ok != (got.Percent != nil) || (ok && *got.Percent != p) {
			t.Errorf("%s: percent %v, want %d", w.Indicator, got.Percent, p)
		}
	}
	if status.Since != nil {
		t.Errorf("since %v without a sealed period", status.Since)
	}
	md := Render(r).Data[KeyMarkdown]
	for _, s := range []string{
		"## Evidence of practice (P3M3-aligned indicators)",
		"not a maturity level and not an assessment (P3M3 assessments are made by accredited assessors)",
		TrademarkNotice,
		"| Stakeholder engagement | Not evidenced: the resources hold no stakeholder register",
		"| Resource management | Not evidenced:",
		"| Organisational governance | Open projects whose gates for their phase are met | 0 | 1 | 0% | Not comparable |",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
}

// Across two periods, the second report reads the first's evidence and
// rows from its report.json (as a sealed snapshot holds it): trends and
// the forecast accuracy of the projects closed since.
func TestEvidenceAcrossPeriodsFromTheSealedReport(t *testing.T) {
	in := officeInput()
	first := Render(Build(in)).Data[KeyJSON]
	var sealed Report
	if err := json.Unmarshal([]byte(first), &sealed); err != nil {
		t.Fatal(err)
	}
	// The ERP project closes at 1.5M against the 1.45M it forecast then
	// (within 10%); its one gate, once Unmet, no longer counts.
	erp := in.Projects[0].DeepCopy()
	erp.Spec.Phase, erp.Spec.ClosedOn = v1alpha1.ProjectClosed, "2026-12-01"
	erp.Spec.Progress.ActualCost = qty("1.5M")
	in.Projects[0] = erp
	in.Previous = &Previous{Start: "2026-11-23T00:00:00Z", Report: sealed}
	r := Build(in)
	if r.Evidence.Since != "2026-11-23T00:00:00Z" {
		t.Errorf("since %q", r.Evidence.Since)
	}
	get := func(id v1alpha1.EvidenceIndicatorID) EvidenceIndicator {
		for _, i := range r.Evidence.Indicators {
			if i.Indicator == id {
				return i
			}
		}
		t.Fatalf("no %s", id)
		return EvidenceIndicator{}
	}
	if a := get(v1alpha1.IndicatorForecastAccuracy); a.Numerator != 1 || a.Denominator != 1 || a.Trend != v1alpha1.EvidenceNotComparable {
		t.Errorf("forecast accuracy %+v, want 1/1, not comparable (nothing closed in the first period)", a)
	}
	if g := get(v1alpha1.IndicatorGatesMet); g.State != v1alpha1.EvidenceNothingToMeasure || g.Trend != v1alpha1.EvidenceNotComparable {
		t.Errorf("gates met %+v, want nothing in scope", g)
	}
	md := Render(r).Data[KeyMarkdown]
	if !strings.Contains(md, "Trends compare with the period of 2026-11-23.") {
		t.Errorf("report.md does not name the compared period:\n%s", md)
	}
}
