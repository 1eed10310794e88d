/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package evidence

import (
	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// Perspectives are the seven P3M3 perspectives, in the order every output
// lists them.
var Perspectives = []v1alpha1.EvidencePerspective{
	v1alpha1.PerspectiveOrganisationalGovernance,
	v1alpha1.PerspectiveManagementControl,
	v1alpha1.PerspectiveBenefitsManagement,
	v1alpha1.PerspectiveRiskManagement,
	v1alpha1.PerspectiveStakeholderEngagement,
	v1alpha1.PerspectiveFinanceManagement,
	v1alpha1.PerspectiveResourceManagement,
}

// definition is one indicator: its perspective, its name and how it
// counts. count returns the numerator (in scope and showing the practice)
// and the denominator (in scope).
type definition struct {
	perspective v1alpha1.EvidencePerspective
	id          v1alpha1.EvidenceIndicatorID
	title       string
	count       func(Input) (numerator, denominator int32)
}

// definitions are every indicator, in the order they are listed; each is
// documented in docs/evidence.md.
var definitions = []definition{
	{v1alpha1.PerspectiveOrganisationalGovernance, v1alpha1.IndicatorGatesMet,
		"Open projects whose gates for their phase are met", gatesMet},
	{v1alpha1.PerspectiveOrganisationalGovernance, v1alpha1.IndicatorNoReviewOverdue,
		"Open projects and programmes held to gates with no review overdue", noReviewOverdue},
	{v1alpha1.PerspectiveManagementControl, v1alpha1.IndicatorReportingCurrent,
		"Projects held to a reporting cadence whose progress is current", reportingCurrent},
	{v1alpha1.PerspectiveManagementControl, v1alpha1.IndicatorHealthAgreement,
		"Open projects whose declared RAG agrees with the derived health", healthAgreement},
	{v1alpha1.PerspectiveBenefitsManagement, v1alpha1.IndicatorBenefitsDefined,
		"Benefits with an owner, a baseline, a target and a due date", benefitsDefined},
	{v1alpha1.PerspectiveBenefitsManagement, v1alpha1.IndicatorBenefitsForecast,
		"Benefits with a target that state a forecast", benefitsForecast},
	{v1alpha1.PerspectiveRiskManagement, v1alpha1.IndicatorThreatsOwnedWithResponse,
		"Open threats with an owner and a response", threatsOwnedWithResponse},
	{v1alpha1.PerspectiveRiskManagement, v1alpha1.IndicatorRiskToleranceSet,
		"Open projects with a risk tolerance set", riskToleranceSet},
	{v1alpha1.PerspectiveFinanceManagement, v1alpha1.IndicatorForecastReported,
		"Open projects past starting up that report a forecast cost", forecastReported},
	{v1alpha1.PerspectiveFinanceManagement, v1alpha1.IndicatorForecastAccuracy,
		"Projects closed since the last sealed period whose actual cost kept the forecast then, within their cost tolerance", forecastAccuracy},
}

// notEvidenced says, for each perspective without an indicator, why the
// resources cannot evidence it.
var notEvidenced = map[v1alpha1.EvidencePerspective]string{
	v1alpha1.PerspectiveStakeholderEngagement: "Not evidenced: the resources hold no stakeholder register, engagement plan or record of engagement, so nothing here shows how stakeholders are engaged.",
	v1alpha1.PerspectiveResourceManagement:    "Not evidenced: the resources hold no people, skills or capacity of people, only money (finance management), so nothing here shows how resources are planned and deployed.",
}

// definitionsOf are a perspective's definitions, in order.
func definitionsOf(p v1alpha1.EvidencePerspective) []definition {
	var out []definition
	for _, d := range definitions {
		if d.perspective == p {
			out = append(out, d)
		}
	}
	return out
}

// Title is what an indicator shows, in words; "" for an unknown one.
func Title(id v1alpha1.EvidenceIndicatorID) string {
	for _, d := range definitions {
		if d.id == id {
			return d.title
		}
	}
	return ""
}

// NotEvidenced is why a perspective has no indicator; "" when it has some.
func NotEvidenced(p v1alpha1.EvidencePerspective) string { return notEvidenced[p] }

// PerspectiveName is a perspective in words, as P3M3 names it.
func PerspectiveName(p v1alpha1.EvidencePerspective) string {
	return map[v1alpha1.EvidencePerspective]string{
		v1alpha1.PerspectiveOrganisationalGovernance: "Organisational governance",
		v1alpha1.PerspectiveManagementControl:        "Management control",
		v1alpha1.PerspectiveBenefitsManagement:       "Benefits management",
		v1alpha1.PerspectiveRiskManagement:           "Risk management",
		v1alpha1.PerspectiveStakeholderEngagement:    "Stakeholder engagement",
		v1alpha1.PerspectiveFinanceManagement:        "Finance management",
		v1alpha1.PerspectiveResourceManagement:       "Resource management",
	}[p]
}

// counter counts what is in scope and what of it shows the practice.
type counter struct{ numerator, denominator int32 }

// add counts one thing in scope, showing the practice when shows is true.
func (c *counter) add(shows bool) {
	c.denominator++
	if shows {
		c.numerator++
	}
}

func (c counter) result() (int32, int32) { return c.numerator, c.denominator }

func openProject(p *v1alpha1.Project) bool     { return p.Spec.Phase != v1alpha1.ProjectClosed }
func openProgramme(p *v1alpha1.Programme) bool { return p.Spec.Phase != v1alpha1.ProgrammeClosed }

// gatesMet: of the open projects with at least one gate required in their
// phase (a gate Met, Unmet or Unknown; not NotYetRequired), those whose
// required gates are all Met.
func gatesMet(in Input) (int32, int32) {
	var c counter
	for _, p := range in.Projects {
		required, met := 0, 0
		for _, g := range p.Status.Compliance.Gates {
			if g.State != v1alpha1.GateNotYetRequired {
				required++
			}
			if g.State == v1alpha1.GateMet {
				met++
			}
		}
		if openProject(p) && required > 0 {
			c.add(met == required)
		}
	}
	return c.result()
}

// noReviewOverdue: of the open projects and programmes that list a gate,
// those with no overdue gate (Unmet with a due date: it fell due and was
// not met).
func noReviewOverdue(in Input) (int32, int32) {
	var c counter
	overdue := func(gates []v1alpha1.GateStatus) bool {
		for _, g := range gates {
			if g.State == v1alpha1.GateUnmet && g.DueAt != nil {
				return true
			}
		}
		return false
	}
	for _, p := range in.Projects {
		if openProject(p) && len(p.Status.Compliance.Gates) > 0 {
			c.add(!overdue(p.Status.Compliance.Gates))
		}
	}
	for _, p := range in.Programmes {
		if openProgramme(p) && len(p.Status.Compliance.Gates) > 0 {
			c.add(!overdue(p.Status.Compliance.Gates))
		}
	}
	return c.result()
}

// reportingCurrent: of the projects their office holds to a reporting
// cadence (status.reporting Current or Stale), those Current.
func reportingCurrent(in Input) (int32, int32) {
	var c counter
	for _, p := range in.Projects {
		if r := p.Status.Reporting; r == v1alpha1.ReportingCurrent || r == v1alpha1.ReportingStale {
			c.add(r == v1alpha1.ReportingCurrent)
		}
	}
	return c.result()
}

// healthAgreement: of the open projects with a declared RAG and a derived
// health of Green, Amber or Red, those whose two agree.
func healthAgreement(in Input) (int32, int32) {
	var c counter
	for _, p := range in.Projects {
		d := p.Status.DerivedHealth
		rated := d == v1alpha1.HealthGreen || d == v1alpha1.HealthAmber || d == v1alpha1.HealthRed
		if openProject(p) && p.Spec.DeclaredRAG != "" && rated {
			c.add(string(p.Spec.DeclaredRAG) == string(d))
		}
	}
	return c.result()
}

// heldBenefits calls f with every benefit that holds figures: a
// programme's, and a project's own (a contribution to a programme's
// benefit holds none).
func heldBenefits(in Input, f func(v1alpha1.Benefit)) {
	for _, p := range in.Programmes {
		for _, b := range p.Spec.Benefits {
			f(b)
		}
	}
	for _, p := range in.Projects {
		for _, b := range p.Spec.Benefits {
			if b.ProgrammeBenefit == "" {
				f(b)
			}
		}
	}
}

// benefitsDefined: of the benefits held, those with an owner, a target, a
// due date and a baseline. A money benefit's baseline is zero unless
// written (the API's definition: nothing saved yet); a benefit in another
// unit must write its level before the change.
func benefitsDefined(in Input) (int32, int32) {
	var c counter
	heldBenefits(in, func(b v1alpha1.Benefit) {
		baseline := b.Baseline != nil || b.MeasureUnit() == v1alpha1.BenefitUnitMoney
		c.add(b.Owner != "" && b.TargetLevel() != nil && b.Due != "" && baseline)
	})
	return c.result()
}

// benefitsForecast: of the benefits held that state a target, those that
// state a forecast (what the benefits tolerance reads).
func benefitsForecast(in Input) (int32, int32) {
	var c counter
	heldBenefits(in, func(b v1alpha1.Benefit) {
		if b.TargetLevel() != nil {
			c.add(b.Forecast != nil)
		}
	})
	return c.result()
}

// threatsOwnedWithResponse: of the open threats (not Closed) in the
// registers of open projects and programmes, those with an owner and a
// response.
func threatsOwnedWithResponse(in Input) (int32, int32) {
	var c counter
	register := func(risks []v1alpha1.Risk) {
		for _, r := range risks {
			if r.IsOpenThreat() {
				c.add(r.Owner != "" && r.Response != "")
			}
		}
	}
	for _, p := range in.Projects {
		if openProject(p) {
			register(p.Spec.Risks)
		}
	}
	for _, p := range in.Programmes {
		if openProgramme(p) {
			register(p.Spec.Risks)
		}
	}
	return c.result()
}

// riskToleranceSet: of the open projects, those with a risk tolerance
// (tolerances.riskExposure or riskSeverity). Cost and time tolerances are
// not counted: the schema defaults them, so their presence shows nothing.
func riskToleranceSet(in Input) (int32, int32) {
	var c counter
	for _, p := range in.Projects {
		if openProject(p) {
			t := p.Spec.Tolerances
			c.add(t.RiskExposure != nil || t.RiskSeverity > 0)
		}
	}
	return c.result()
}

// forecastReported: of the open projects past starting up (Initiating,
// Delivering, Closing), those whose progress states a forecast cost. The
// budget is required by the schema, so only the forecast can be missing.
func forecastReported(in Input) (int32, int32) {
	var c counter
	for _, p := range in.Projects {
		if openProject(p) && p.Spec.Phase != v1alpha1.ProjectStartingUp && p.Spec.Phase != "" {
			c.add(p.Spec.Progress != nil && p.Spec.Progress.ForecastCost != nil)
		}
	}
	return c.result()
}

// forecastAccuracy: of the projects Closed now that the last sealed
// period's report listed open with a forecast cost, and that state an
// actual cost, those whose actual cost lies within their cost tolerance
// (tolerances.costPercent, 10 unless set) of that forecast:
// |actual − forecast then| × 100 ≤ forecast then × costPercent. Nothing is
// in scope without a sealed period, or when the office's currency changed
// since.
func forecastAccuracy(in Input) (int32, int32) {
	var c counter
	prev := in.Previous
	if prev == nil || prev.Currency != in.Currency {
		return c.result()
	}
	type key struct{ namespace, name string }
	then := make(map[key]ProjectThen, len(prev.Projects))
	for _, p := range prev.Projects {
		then[key{p.Namespace, p.Name}] = p
	}
	for _, p := range in.Projects {
		t, listed := then[key{p.Namespace, p.Name}]
		if p.Spec.Phase != v1alpha1.ProjectClosed || !listed || t.Phase == v1alpha1.ProjectClosed || t.Forecast == nil {
			continue
		}
		if p.Spec.Progress == nil || p.Spec.Progress.ActualCost == nil {
			continue
		}
		c.add(Kept(money.Of(p.Spec.Progress.ActualCost), t.Forecast, costPercent(p)))
	}
	return c.result()
}

// costPercent is a project's cost tolerance, 10 unless set (the schema's
// default).
func costPercent(p *v1alpha1.Project) int32 {
	if p.Spec.Tolerances.CostPercent != nil {
		return *p.Spec.Tolerances.CostPercent
	}
	return 10
}

// Kept says whether an actual cost lies within percent of a forecast:
// |actual − forecast| × 100 ≤ forecast × percent, exactly.
func Kept(actual, forecast *inf.Dec, percent int32) bool {
	diff := new(inf.Dec).Sub(actual, forecast)
	diff.Abs(diff)
	lhs := new(inf.Dec).Mul(diff, inf.NewDec(100, 0))
	rhs := new(inf.Dec).Mul(forecast, inf.NewDec(int64(percent), 0))
	return lhs.Cmp(rhs) <= 0
}
