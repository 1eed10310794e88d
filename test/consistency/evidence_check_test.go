/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

// The indicators of practice the specs alone decide, counted by the twin
// for each office, and compared with its status.evidence, its report.json
// and the p3o_office_evidence_share metric. The indicators that read what
// only the health model and the gates say (gates met, reviews overdue,
// declared against derived health) are compared between status and
// report.json only; forecast accuracy needs a sealed period, which this
// test does not wait for (the controllers' envtest covers it).

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// practiceSpec is what the indicators read of a project's or programme's
// spec, decoded apart from the twin's figures; a raw message is nil when
// the field is absent.
type practiceSpec struct {
	Spec struct {
		Phase    string `json:"phase"`
		Progress *struct {
			ForecastCost json.RawMessage `json:"forecastCost"`
		} `json:"progress"`
		Tolerances struct {
			RiskExposure *int64 `json:"riskExposure"`
			RiskSeverity int64  `json:"riskSeverity"`
		} `json:"tolerances"`
		Risks []struct {
			Kind     string `json:"kind"`
			Status   string `json:"status"`
			Owner    string `json:"owner"`
			Response string `json:"response"`
		} `json:"risks"`
		Benefits []struct {
			Owner   string `json:"owner"`
			Measure struct {
				Unit string `json:"unit"`
			} `json:"measure"`
			Baseline         json.RawMessage `json:"baseline"`
			Target           json.RawMessage `json:"target"`
			Planned          json.RawMessage `json:"planned"`
			Forecast         json.RawMessage `json:"forecast"`
			Due              string          `json:"due"`
			ProgrammeBenefit string          `json:"programmeBenefit"`
		} `json:"benefits"`
	} `json:"spec"`
}

// addPractice keeps what the indicators read of a project or programme.
func (o *org) addPractice(kind, key string, raw json.RawMessage) error {
	if kind != "Project" && kind != "Programme" {
		return nil
	}
	p := &practiceSpec{}
	if err := json.Unmarshal(raw, p); err != nil {
		return fmt.Errorf("%s %s: %w", kind, key, err)
	}
	o.practice[kind+"/"+key] = p
	return nil
}

// fraction is an indicator as the twin counts it.
type fraction struct{ numerator, denominator int32 }

func (f *fraction) count(shows bool) {
	f.denominator++
	if shows {
		f.numerator++
	}
}

// evidenceTwin counts, for an office's scope, the indicators the specs
// decide.
func (o *org) evidenceTwin(s scope, now time.Time) map[v1alpha1.EvidenceIndicatorID]*fraction {
	twin := map[v1alpha1.EvidenceIndicatorID]*fraction{}
	for _, id := range []v1alpha1.EvidenceIndicatorID{v1alpha1.IndicatorReportingCurrent, v1alpha1.IndicatorForecastReported,
		v1alpha1.IndicatorRiskToleranceSet, v1alpha1.IndicatorThreatsOwnedWithResponse, v1alpha1.IndicatorBenefitsDefined, v1alpha1.IndicatorBenefitsForecast} {
		twin[id] = &fraction{}
	}
	held := func(p *practiceSpec, project bool) {
		for _, b := range p.Spec.Benefits {
			if project && b.ProgrammeBenefit != "" {
				continue
			}
			target := b.Target != nil || b.Planned != nil
			baseline := b.Baseline != nil || b.Measure.Unit == "" || b.Measure.Unit == "Money"
			twin[v1alpha1.IndicatorBenefitsDefined].count(b.Owner != "" && target && b.Due != "" && baseline)
			if target {
				twin[v1alpha1.IndicatorBenefitsForecast].count(b.Forecast != nil)
			}
		}
	}
	threats := func(p *practiceSpec, open bool) {
		for _, r := range p.Spec.Risks {
			if open && r.Kind != "Opportunity" && r.Status != "Closed" {
				twin[v1alpha1.IndicatorThreatsOwnedWithResponse].count(r.Owner != "" && r.Response != "")
			}
		}
	}
	for _, k := range s.projects {
		p := o.practice["Project/"+k]
		phase := o.projects[k].phase()
		held(p, true)
		threats(p, phase != "Closed")
		if phase != "Closed" {
			twin[v1alpha1.IndicatorRiskToleranceSet].count(p.Spec.Tolerances.RiskExposure != nil || p.Spec.Tolerances.RiskSeverity != 0)
		}
		if phase == "Initiating" || phase == "Delivering" || phase == "Closing" {
			twin[v1alpha1.IndicatorReportingCurrent].count(!o.stale(k, now))
			twin[v1alpha1.IndicatorForecastReported].count(p.Spec.Progress != nil && p.Spec.Progress.ForecastCost != nil)
		}
	}
	for _, k := range s.programmes {
		p := o.practice["Programme/"+k]
		held(p, false)
		threats(p, o.programmes[k].phase() != "Closed")
	}
	return twin
}

// checkEvidence compares an office's published indicators with the twin's,
// and its status with its report.json.
func checkEvidence(d *diffs, where string, twin map[v1alpha1.EvidenceIndicatorID]*fraction, o *v1alpha1.Office, data map[string]string) {
	published := map[v1alpha1.EvidenceIndicatorID]v1alpha1.EvidenceIndicator{}
	var notEvidenced []v1alpha1.EvidencePerspective
	for _, i := range o.Status.Evidence.Indicators {
		if i.State == v1alpha1.EvidenceNotEvidenced {
			notEvidenced = append(notEvidenced, i.Perspective)
			continue
		}
		published[i.Indicator] = i
	}
	d.eq(where+" evidence not evidenced", notEvidenced, []v1alpha1.EvidencePerspective{v1alpha1.PerspectiveStakeholderEngagement, v1alpha1.PerspectiveResourceManagement})
	for id, want := range twin {
		got := published[id]
		d.eq(fmt.Sprintf("%s evidence %s", where, id), fmt.Sprintf("%d/%d", got.Numerator, got.Denominator), fmt.Sprintf("%d/%d", want.numerator, want.denominator))
	}
	d.eq(where+" evidence ForecastAccuracy state", published[v1alpha1.IndicatorForecastAccuracy].State, v1alpha1.EvidenceNothingToMeasure)
	if data == nil {
		return
	}
	var r report.Report
	if err := json.Unmarshal([]byte(data[report.KeyJSON]), &r); err != nil || r.Evidence == nil {
		d.add("%s: report.json has no evidence (%v)", where, err)
		return
	}
	d.eq(where+" report.json evidence", fmt.Sprintf("%+v", r.Evidence.Status().Indicators), fmt.Sprintf("%+v", o.Status.Evidence.Indicators))
}

// checkEvidenceMetrics compares the p3o_office_evidence_share series of an
// office with the twin's shares: none for an indicator with nothing in
// scope.
func checkEvidenceMetrics(d *diffs, namespace, name string, twin map[v1alpha1.EvidenceIndicatorID]*fraction, m scraped) {
	for id, want := range twin {
		match := map[string]string{"namespace": namespace, "office": name, "indicator": string(id)}
		n := 0
		for _, x := range m["p3o_office_evidence_share"] {
			if includes(x.labels, match) {
				n++
				if share := float64(want.numerator) / float64(want.denominator); math.Abs(x.value-share) > 1e-12 {
					d.add("metric p3o_office_evidence_share %v: %g, want %g", match, x.value, share)
				}
			}
		}
		if wantSeries := min(1, int(want.denominator)); n != wantSeries {
			d.add("metric p3o_office_evidence_share %v: %d series, want %d", match, n, wantSeries)
		}
	}
}
