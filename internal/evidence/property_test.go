/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package evidence

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func pick[T any](r *rand.Rand, items ...T) T { return items[r.IntN(len(items))] }

func randomGates(r *rand.Rand) []v1alpha1.GateStatus {
	var gates []v1alpha1.GateStatus
	for range r.IntN(4) {
		gates = append(gates, gate(pick(r, v1alpha1.GateMet, v1alpha1.GateUnmet, v1alpha1.GateNotYetRequired, v1alpha1.GateUnknown), r.IntN(2) == 0))
	}
	return gates
}

func randomRisks(r *rand.Rand) []v1alpha1.Risk {
	var risks []v1alpha1.Risk
	for i := range r.IntN(4) {
		risks = append(risks, v1alpha1.Risk{Name: fmt.Sprint("r", i), Owner: pick(r, "", "Ann"),
			Kind:     pick(r, v1alpha1.RiskKind(""), v1alpha1.RiskThreat, v1alpha1.RiskOpportunity),
			Status:   pick(r, v1alpha1.RiskStatus(""), v1alpha1.RiskOpen, v1alpha1.RiskMitigating, v1alpha1.RiskClosed),
			Response: pick(r, v1alpha1.RiskResponse(""), v1alpha1.ResponseReduce, v1alpha1.ResponseExploit)})
	}
	return risks
}

func randomBenefits(r *rand.Rand, project bool) []v1alpha1.Benefit {
	var out []v1alpha1.Benefit
	for i := range r.IntN(3) {
		b := v1alpha1.Benefit{Name: fmt.Sprint("b", i), Owner: pick(r, "", "Bo"), Due: pick(r, v1alpha1.Date(""), "2027-03-31"),
			Measure: v1alpha1.BenefitMeasure{Unit: pick(r, v1alpha1.BenefitUnit(""), v1alpha1.BenefitUnitMoney, v1alpha1.BenefitUnitHours)}}
		b.Baseline = pick(r, nil, qty("5"))
		switch r.IntN(3) {
		case 0:
			b.Target = qty("100")
		case 1:
			b.Planned = qty("100")
		}
		b.Forecast = pick(r, nil, qty("80"))
		if project && r.IntN(3) == 0 {
			b = v1alpha1.Benefit{Name: b.Name, ProgrammeBenefit: "theirs", Owner: b.Owner}
		}
		out = append(out, b)
	}
	return out
}

func randomProject(r *rand.Rand, i int) *v1alpha1.Project {
	phases := []v1alpha1.ProjectPhase{"", v1alpha1.ProjectStartingUp, v1alpha1.ProjectInitiating, v1alpha1.ProjectDelivering, v1alpha1.ProjectClosing, v1alpha1.ProjectClosed}
	return project(fmt.Sprint("p", i), pick(r, phases...), func(p *v1alpha1.Project) {
		p.Status.Compliance.Gates = randomGates(r)
		p.Status.Reporting = pick(r, v1alpha1.ReportingState(""), v1alpha1.ReportingCurrent, v1alpha1.ReportingStale, v1alpha1.ReportingNotRequired)
		p.Spec.DeclaredRAG = pick(r, v1alpha1.RAG(""), "Green", "Amber", "Red")
		p.Status.DerivedHealth = pick(r, v1alpha1.Health(""), v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed, v1alpha1.HealthUnknown)
		p.Spec.Risks = randomRisks(r)
		p.Spec.Benefits = randomBenefits(r, true)
		p.Spec.Tolerances.RiskExposure = pick(r, nil, ptr(int32(0)), ptr(int32(30)))
		p.Spec.Tolerances.RiskSeverity = pick(r, int32(0), 9)
		p.Spec.Tolerances.CostPercent = pick(r, nil, ptr(int32(0)), ptr(int32(5)), ptr(int32(25)))
		if r.IntN(4) > 0 {
			p.Spec.Progress = &v1alpha1.Progress{ForecastCost: pick(r, nil, qty("900k")), ActualCost: pick(r, nil, qty("800k"), qty("1M"), qty("1.04M"), qty("1.08M"), qty("1.3M"))}
		}
	})
}

func randomInput(r *rand.Rand) Input {
	in := Input{Currency: "GBP"}
	for i := range r.IntN(12) {
		in.Projects = append(in.Projects, randomProject(r, i))
	}
	for i := range r.IntN(4) {
		in.Programmes = append(in.Programmes, programme(fmt.Sprint("g", i), pick(r, v1alpha1.ProgrammeIdentifying, v1alpha1.ProgrammeDelivering, v1alpha1.ProgrammeClosed),
			func(p *v1alpha1.Programme) {
				p.Status.Compliance.Gates = randomGates(r)
				p.Spec.Risks = randomRisks(r)
				p.Spec.Benefits = randomBenefits(r, false)
			}))
	}
	if r.IntN(4) == 0 {
		return in
	}
	prev := &Previous{Start: "2026-11-02T00:00:00Z", Currency: pick(r, "GBP", "GBP", "EUR")}
	for _, p := range in.Projects {
		if r.IntN(4) > 0 {
			prev.Projects = append(prev.Projects, ProjectThen{Namespace: p.Namespace, Name: p.Name,
				Phase: pick(r, v1alpha1.ProjectDelivering, v1alpha1.ProjectClosing, v1alpha1.ProjectClosed), Forecast: pick(r, nil, dec("1000000"), dec("0"))})
		}
	}
	for _, d := range definitions {
		if r.IntN(3) > 0 {
			den := int32(r.IntN(5))
			i := v1alpha1.EvidenceIndicator{Perspective: d.perspective, Indicator: d.id, Denominator: den, State: v1alpha1.EvidenceNothingToMeasure}
			if den > 0 {
				i.Numerator, i.State = int32(r.IntN(int(den)+1)), v1alpha1.EvidenceMeasured
			}
			prev.Indicators = append(prev.Indicators, i)
		}
	}
	in.Previous = prev
	return in
}

// twin counts an indicator another way: every object flattened into one
// list of facts first, each indicator a filter over them; forecast
// accuracy with rational numbers.
func twin(in Input, id v1alpha1.EvidenceIndicatorID) (num, den int32) {
	type fact struct{ inScope, shows bool }
	var facts []fact
	open := func(phase string) bool { return phase != "Closed" }
	for _, p := range in.Projects {
		phase, gates := string(p.Spec.Phase), p.Status.Compliance.Gates
		switch id {
		case v1alpha1.IndicatorGatesMet:
			required := slices.DeleteFunc(slices.Clone(gates), func(g v1alpha1.GateStatus) bool { return g.State == v1alpha1.GateNotYetRequired })
			allMet := !slices.ContainsFunc(required, func(g v1alpha1.GateStatus) bool { return g.State != v1alpha1.GateMet })
			facts = append(facts, fact{open(phase) && len(required) > 0, allMet})
		case v1alpha1.IndicatorNoReviewOverdue:
			facts = append(facts, fact{open(phase) && len(gates) > 0, !slices.ContainsFunc(gates, func(g v1alpha1.GateStatus) bool { return g.State == "Unmet" && g.DueAt != nil })})
		case v1alpha1.IndicatorReportingCurrent:
			facts = append(facts, fact{p.Status.Reporting == "Current" || p.Status.Reporting == "Stale", p.Status.Reporting == "Current"})
		case v1alpha1.IndicatorHealthAgreement:
			d := string(p.Status.DerivedHealth)
			facts = append(facts, fact{open(phase) && p.Spec.DeclaredRAG != "" && slices.Contains([]string{"Green", "Amber", "Red"}, d), string(p.Spec.DeclaredRAG) == d})
		case v1alpha1.IndicatorThreatsOwnedWithResponse:
			for _, r := range p.Spec.Risks {
				facts = append(facts, fact{open(phase) && r.Kind != "Opportunity" && r.Status != "Closed", r.Owner != "" && r.Response != ""})
			}
		case v1alpha1.IndicatorRiskToleranceSet:
			facts = append(facts, fact{open(phase), p.Spec.Tolerances.RiskExposure != nil || p.Spec.Tolerances.RiskSeverity != 0})
		case v1alpha1.IndicatorForecastReported:
			facts = append(facts, fact{slices.Contains([]string{"Initiating", "Delivering", "Closing"}, phase), p.Spec.Progress != nil && p.Spec.Progress.ForecastCost != nil})
		case v1alpha1.IndicatorForecastAccuracy:
			facts = append(facts, accuracyFact(in, p))
		case v1alpha1.IndicatorBenefitsDefined, v1alpha1.IndicatorBenefitsForecast:
			for _, b := range p.Spec.Benefits {
				if b.ProgrammeBenefit == "" {
					facts = append(facts, benefitFact(id, b))
				}
			}
		}
	}
	for _, p := range in.Programmes {
		phase := string(p.Spec.Phase)
		switch id {
		case v1alpha1.IndicatorNoReviewOverdue:
			gates := p.Status.Compliance.Gates
			facts = append(facts, fact{open(phase) && len(gates) > 0, !slices.ContainsFunc(gates, func(g v1alpha1.GateStatus) bool { return g.State == "Unmet" && g.DueAt != nil })})
		case v1alpha1.IndicatorThreatsOwnedWithResponse:
			for _, r := range p.Spec.Risks {
				facts = append(facts, fact{open(phase) && r.Kind != "Opportunity" && r.Status != "Closed", r.Owner != "" && r.Response != ""})
			}
		case v1alpha1.IndicatorBenefitsDefined, v1alpha1.IndicatorBenefitsForecast:
			for _, b := range p.Spec.Benefits {
				facts = append(facts, benefitFact(id, b))
			}
		}
	}
	for _, f := range facts {
		if f.inScope {
			den++
			if f.shows {
				num++
			}
		}
	}
	return num, den
}

func benefitFact(id v1alpha1.EvidenceIndicatorID, b v1alpha1.Benefit) struct{ inScope, shows bool } {
	target := b.Target != nil || b.Planned != nil
	if id == v1alpha1.IndicatorBenefitsForecast {
		return struct{ inScope, shows bool }{target, b.Forecast != nil}
	}
	money := b.Measure.Unit == "" || b.Measure.Unit == "Money"
	return struct{ inScope, shows bool }{true, b.Owner != "" && target && b.Due != "" && (money || b.Baseline != nil)}
}

func accuracyFact(in Input, p *v1alpha1.Project) struct{ inScope, shows bool } {
	none := struct{ inScope, shows bool }{}
	if in.Previous == nil || in.Previous.Currency != in.Currency || p.Spec.Phase != "Closed" || p.Spec.Progress == nil || p.Spec.Progress.ActualCost == nil {
		return none
	}
	i := slices.IndexFunc(in.Previous.Projects, func(t ProjectThen) bool { return t.Namespace == p.Namespace && t.Name == p.Name })
	if i < 0 || in.Previous.Projects[i].Phase == "Closed" || in.Previous.Projects[i].Forecast == nil {
		return none
	}
	forecast, _ := new(big.Rat).SetString(in.Previous.Projects[i].Forecast.String())
	actual, _ := new(big.Rat).SetString(p.Spec.Progress.ActualCost.AsDec().String())
	percent := int64(10)
	if p.Spec.Tolerances.CostPercent != nil {
		percent = int64(*p.Spec.Tolerances.CostPercent)
	}
	gap := new(big.Rat).Sub(actual, forecast)
	gap.Abs(gap)
	allowed := new(big.Rat).Mul(forecast, big.NewRat(percent, 100))
	return struct{ inScope, shows bool }{true, gap.Cmp(allowed) <= 0}
}

// On random organisations, every indicator equals its twin, its state
// follows its denominator, and its trend follows the previous figures
// compared as fractions.
func TestIndicatorsEqualTheirTwinOnRandomInputs(t *testing.T) {
	r := rand.New(rand.NewPCG(24, 3))
	measured := map[v1alpha1.EvidenceIndicatorID]int{}
	for n := range 3000 {
		in := randomInput(r)
		e := Compute(in)
		for _, i := range e.Indicators {
			if i.State == v1alpha1.EvidenceNotEvidenced {
				continue
			}
			num, den := twin(in, i.Indicator)
			if i.Numerator != num || i.Denominator != den {
				t.Fatalf("input %d: %s = %d/%d, twin %d/%d", n, i.Indicator, i.Numerator, i.Denominator, num, den)
			}
			if (den > 0) != (i.State == v1alpha1.EvidenceMeasured) {
				t.Fatalf("input %d: %s state %s with denominator %d", n, i.Indicator, i.State, den)
			}
			if den > 0 {
				measured[i.Indicator]++
			}
			if want := twinTrend(in.Previous, i); i.Trend != want {
				t.Fatalf("input %d: %s trend %s, want %s", n, i.Indicator, i.Trend, want)
			}
		}
	}
	for _, d := range definitions {
		if measured[d.id] < 100 {
			t.Errorf("%s measured on only %d random inputs: the generator does not exercise it", d.id, measured[d.id])
		}
	}
}

// twinTrend compares shares as rational numbers.
func twinTrend(prev *Previous, now v1alpha1.EvidenceIndicator) v1alpha1.EvidenceTrend {
	if prev == nil || now.Denominator == 0 {
		return v1alpha1.EvidenceNotComparable
	}
	for _, then := range prev.Indicators {
		if then.Indicator != now.Indicator || then.Denominator == 0 {
			continue
		}
		switch big.NewRat(int64(now.Numerator), int64(now.Denominator)).Cmp(big.NewRat(int64(then.Numerator), int64(then.Denominator))) {
		case 1:
			return v1alpha1.EvidenceImproved
		case -1:
			return v1alpha1.EvidenceDeclined
		}
		return v1alpha1.EvidenceUnchanged
	}
	return v1alpha1.EvidenceNotComparable
}
