/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package report builds the standard reports of an Office, Portfolio or
// Programme and renders them as report.json (a versioned schema),
// report.md (a management dashboard) and projects.csv (one row per project).
// Rendering is deterministic and carries no timestamps, so an unchanged
// organisation gives byte-identical reports. A report that would exceed the
// size budget degrades: long cells shortened, then fewer rows, then
// shorter lists, with a note and Truncated set. Pure: callers
// gather the inputs.
package report

import (
	"cmp"
	"slices"
	"strings"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/benefits"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/travel"
)

// SchemaVersion identifies the report.json schema (docs/report-schema.md).
const SchemaVersion = "p3o.dev/report/v1"

// Report is the content of report.json.
type Report struct {
	SchemaVersion string `json:"schemaVersion"`
	// Kind, Namespace and Name identify the reported object.
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Health is the headline RAG.
	Health   v1alpha1.Health `json:"health"`
	Currency string          `json:"currency"`
	Totals   Totals          `json:"totals"`
	Counts   Counts          `json:"counts"`
	// Capacity is set for Portfolios.
	Capacity *Capacity `json:"capacity,omitempty"`
	// CapacityByYear is set for Portfolios that state capacity by year or
	// phase money by year.
	CapacityByYear *CapacityByYear `json:"capacityByYear,omitempty"`
	// PortfoliosByYear is set for Offices whose own portfolios state
	// capacity by year or phase money by year.
	PortfoliosByYear *PortfoliosByYear `json:"portfoliosByYear,omitempty"`
	// Strategy is a portfolio's priorities and balance (Portfolios only).
	Strategy   *Strategy                 `json:"strategy,omitempty"`
	Compliance v1alpha1.ComplianceCounts `json:"compliance"`
	Risks      v1alpha1.RiskSummary      `json:"risks"`
	// Red are the Red projects and programmes, with why. Its key keeps
	// its v1 name, "exceptions"; PRINCE2's exceptions (forecasts beyond
	// tolerance) are ToleranceExceptions.
	Red []RedItem `json:"exceptions"`
	// ToleranceExceptions are the open projects' forecasts beyond
	// tolerance (status.toleranceExceptions), by project, each of its kind.
	ToleranceExceptions []ToleranceExceptionItem `json:"toleranceExceptions"`
	// Gates are gates unmet or falling due.
	Gates []GateItem `json:"gates"`
	// TopRisks are the most severe open threats (a risk of no kind is a
	// threat).
	TopRisks []RiskItem `json:"topRisks"`
	// TopOpportunities are the open opportunities of greatest severity,
	// apart from the threats (M_o_R).
	TopOpportunities []RiskItem `json:"topOpportunities"`
	// DependenciesAtRisk are the dependencies at risk of the projects and
	// programmes beneath (status.dependencies), overdue ones first.
	DependenciesAtRisk []DependencyItem `json:"dependenciesAtRisk"`
	// Benefits are the benefits beneath by the financial year they fall due
	// in: money summed, other units listed (status.rollup.benefits).
	Benefits Benefits `json:"benefits"`
	// DirectionOfTravel compares the report with the last sealed snapshot
	// of the object's report.
	DirectionOfTravel DirectionOfTravel `json:"directionOfTravel"`
	// Evidence is an Office's indicators of practice under the seven P3M3
	// perspectives (Offices only).
	Evidence *Evidence `json:"evidence,omitempty"`
	// Projects has a row per project beneath the object.
	Projects []ProjectRow `json:"projects"`
	// Truncated is true when lists were cut or cells shortened to fit;
	// Notes say what was cut.
	Truncated bool     `json:"truncated"`
	Notes     []string `json:"notes"`

	// projectsTotal is how many projects there were when Projects was cut
	// to fit (zero when it was not); projects.csv says so in its last row.
	projectsTotal int
}

// Totals are money figures as exact decimal strings (money.Exact: "4500001500",
// "4123050433.40"): "0" when nothing was added, "" only when the totals are
// unknown because amounts in another currency were left out.
type Totals struct {
	Budget           string `json:"budget"`
	ActualCost       string `json:"actualCost"`
	ForecastCost     string `json:"forecastCost"`
	Variance         string `json:"variance"`
	BenefitsPlanned  string `json:"benefitsPlanned"`
	BenefitsRealised string `json:"benefitsRealised"`
	// LeftOut names, per currency, the objects whose amounts are in another
	// currency: the totals are then incomplete and left empty.
	LeftOut []v1alpha1.LeftOutAmounts `json:"leftOut"`
}

// Benefits are planned, forecast and realised benefits by due year, as the
// rollup counted them (each benefit once; a project's contribution to a
// programme's benefit is that benefit's).
type Benefits struct {
	// Forecast is the money benefits' forecast improvement (planned where
	// none is forecast): "0" when none, "" when totals are unknown.
	Forecast string `json:"forecast"`
	// ByYear is money by due financial year, earliest first; year 0 holds
	// the benefits with no due date.
	ByYear []BenefitYear `json:"byYear"`
	// Measured lists the benefits in other units, never summed.
	Measured []v1alpha1.MeasuredBenefit `json:"measured"`
	// MeasuredNotListed counts those left out of Measured by its bound.
	MeasuredNotListed int32 `json:"measuredNotListed"`
}

// BenefitYear is the money benefits due in one financial year (0: no due
// date), as exact decimals ("0" when none).
type BenefitYear struct {
	Year     int32  `json:"year"`
	Benefits int32  `json:"benefits"`
	Planned  string `json:"planned"`
	Forecast string `json:"forecast"`
	Realised string `json:"realised"`
}

// Counts are the rollup's counts.
type Counts struct {
	Portfolios int32                 `json:"portfolios"`
	Programmes int32                 `json:"programmes"`
	Projects   int32                 `json:"projects"`
	Satellites int32                 `json:"satellites"`
	ByHealth   v1alpha1.HealthCounts `json:"byHealth"`
	ByPhase    []v1alpha1.PhaseCount `json:"byPhase"`
	Refused    int32                 `json:"refused"`
}

// CapacityByYear compares a portfolio's capacity in each financial year with
// what it committed in that year.
type CapacityByYear struct {
	// Years are earliest first, each year named by the calendar year in
	// which it starts.
	Years []YearCapacity `json:"years"`
	// NotPhased is what committed counts but no year holds: "0" when every
	// amount is phased, "" when unknown (totals incomplete).
	NotPhased string `json:"notPhased"`
}

// YearCapacity is one financial year of a CapacityByYear.
type YearCapacity struct {
	Year int32 `json:"year"`
	// Capacity is "" when the portfolio states none for the year.
	Capacity string `json:"capacity"`
	// Committed is "0" when nothing is phased into the year, "" when it is
	// unknown (totals incomplete).
	Committed string `json:"committed"`
	// OverCommitted is null without a capacity for the year, or while
	// committed is unknown.
	OverCommitted *bool `json:"overCommitted"`
}

// Capacity compares a portfolio's capacity with what it committed.
type Capacity struct {
	Capacity  string `json:"capacity"`
	Committed string `json:"committed"`
	// OverCommitted is null when committed is unknown (totals incomplete).
	OverCommitted *bool `json:"overCommitted"`
}

// RedItem is a Red project or programme and why (a Red health has
// several causes, of which a forecast beyond tolerance is one).
type RedItem struct {
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	Name      string   `json:"name"`
	Reasons   []string `json:"reasons"`
	// Shortened names the fields cut to fit (["reasons"]), else empty.
	Shortened []string `json:"shortened"`
}

// ToleranceExceptionItem is a project's forecast beyond tolerance: a
// PRINCE2 exception, as status.toleranceExceptions records it.
type ToleranceExceptionItem struct {
	Namespace string                          `json:"namespace"`
	Project   string                          `json:"project"`
	Kind      v1alpha1.ToleranceExceptionKind `json:"kind"`
	// Health is what the exception does to the project's health (an
	// underrun's is the office's underrunHealth; Green lowers nothing).
	Health  v1alpha1.Health `json:"health"`
	Message string          `json:"message"`
	// Shortened names the fields cut to fit (["message"]), else empty.
	Shortened []string `json:"shortened"`
}

// GateItem is a gate of a project or programme that is unmet or due.
type GateItem struct {
	Kind      string             `json:"kind"`
	Namespace string             `json:"namespace"`
	Name      string             `json:"name"`
	Gate      string             `json:"gate"`
	State     v1alpha1.GateState `json:"state"`
	Message   string             `json:"message"`
	DueAt     string             `json:"dueAt,omitempty"`
	// Shortened names the fields cut to fit (["message"]), else empty.
	Shortened []string `json:"shortened"`
}

// RiskItem is an open risk: a threat or an opportunity.
type RiskItem struct {
	Namespace string            `json:"namespace"`
	Object    string            `json:"object"`
	Risk      string            `json:"risk"`
	Kind      v1alpha1.RiskKind `json:"kind"`
	Severity  int32             `json:"severity"`
	// Proximity is when the risk would occur, if stated.
	Proximity   v1alpha1.Date `json:"proximity,omitempty"`
	Owner       string        `json:"owner"`
	Description string        `json:"description"`
	// Shortened names the fields cut to fit (["description"]), else empty.
	Shortened []string `json:"shortened"`
}

// DependencyItem is a dependency at risk: the consumer, its provider and
// the verdict, as status.dependencies records it.
type DependencyItem struct {
	Kind                string                   `json:"kind"`
	Namespace           string                   `json:"namespace"`
	Name                string                   `json:"name"`
	ProviderKind        v1alpha1.SubjectKind     `json:"providerKind"`
	ProviderNamespace   string                   `json:"providerNamespace"`
	ProviderName        string                   `json:"providerName"`
	NeededBy            string                   `json:"neededBy"`
	Cause               v1alpha1.DependencyCause `json:"cause"`
	Impact              v1alpha1.Health          `json:"impact"`
	ProviderForecastEnd string                   `json:"providerForecastEnd"`
}

// Status is the item as status.dependencies holds it.
func (d DependencyItem) Status() v1alpha1.DependencyStatus {
	return v1alpha1.DependencyStatus{Kind: d.ProviderKind, Provider: v1alpha1.ObjectReference{Namespace: d.ProviderNamespace, Name: d.ProviderName},
		NeededBy: v1alpha1.Date(d.NeededBy), State: v1alpha1.DependencyAtRisk, Cause: d.Cause, Impact: d.Impact,
		ProviderForecastEnd: v1alpha1.Date(d.ProviderForecastEnd)}
}

// ProjectRow is one project.
type ProjectRow struct {
	Namespace       string          `json:"namespace"`
	Name            string          `json:"name"`
	Programme       string          `json:"programme"`
	Phase           string          `json:"phase"`
	Health          v1alpha1.Health `json:"health"`
	Compliant       string          `json:"compliant"`
	Budget          string          `json:"budget"`
	ActualCost      string          `json:"actualCost"`
	ForecastCost    string          `json:"forecastCost"`
	PercentComplete string          `json:"percentComplete"`
	Manager         string          `json:"manager"`
	AsOf            string          `json:"asOf"`
	Reason          string          `json:"reason"`
	// Category and Priority are the project's spec.category and
	// spec.priority ("" when unset); Score its status.score; Rank its
	// rank in its portfolio's report when it is a direct project of that
	// portfolio ("" otherwise: its programme is ranked).
	Category string `json:"category"`
	Priority string `json:"priority"`
	Score    string `json:"score"`
	Rank     string `json:"rank"`
	// DependenciesAtRisk is how many of its dependencies are at risk.
	DependenciesAtRisk int32 `json:"dependenciesAtRisk"`
	// BenefitsPlanned and BenefitsRealised are the planned and realised
	// improvements of the money benefits the project holds itself ("" when
	// none); a contribution to its programme's benefit counts there.
	BenefitsPlanned  string `json:"benefitsPlanned"`
	BenefitsRealised string `json:"benefitsRealised"`
	// Variance is its status.costVariance ("" when unset) and
	// DeliveryConfidence its status.deliveryConfidence.
	Variance           string                      `json:"variance"`
	DeliveryConfidence v1alpha1.DeliveryConfidence `json:"deliveryConfidence"`
	// Its direction of travel since the last sealed snapshot
	// (DirectionOfTravel.Since), all "" when there is none: its health
	// then ("" when it joined), how its health moved, the changes of its
	// forecast cost and variance (now minus then; "" when either is
	// unknown), its Delivery Confidence then and how it moved ("" when
	// there is none then or now). PeriodsRedOrAmber counts the periods in
	// a row, this one included, in which it was Red or Amber.
	HealthThen                  v1alpha1.Health             `json:"healthThen"`
	Direction                   travel.Direction            `json:"direction"`
	ForecastCostChange          string                      `json:"forecastCostChange"`
	VarianceChange              string                      `json:"varianceChange"`
	DeliveryConfidenceThen      v1alpha1.DeliveryConfidence `json:"deliveryConfidenceThen"`
	DeliveryConfidenceDirection travel.Direction            `json:"deliveryConfidenceDirection"`
	PeriodsRedOrAmber           int32                       `json:"periodsRedOrAmber"`
	// Shortened names the fields cut to fit (["reason"]), else empty.
	// projects.csv has no such column: a shortened cell ends in "…".
	Shortened []string `json:"shortened"`
}

// Input is what a report is built from.
type Input struct {
	Kind, Namespace, Name string
	Health                v1alpha1.Health
	Rollup                v1alpha1.Rollup
	// Capacity and Committed are set for Portfolios.
	Capacity, Committed *inf.Dec
	// OverCommitted is nil when it is not known.
	OverCommitted *bool
	// CapacityByYear (spec) and CommittedByYear (status) are a Portfolio's
	// figures by financial year.
	CapacityByYear  []v1alpha1.YearAmount
	CommittedByYear []v1alpha1.YearCommitment
	// Portfolios are an Office's own portfolios, and FinancialYearStart
	// its spec.financialYearStart, for their figures by financial year.
	Portfolios         []*v1alpha1.Portfolio
	FinancialYearStart int32
	// Strategy is a portfolio's priorities and balance (Portfolios only).
	Strategy *StrategyInput
	// Projects and Programmes are everything beneath the object.
	Projects   []*v1alpha1.Project
	Programmes []*v1alpha1.Programme
	// Previous is the last sealed snapshot's report, to compare with; nil
	// when none is held.
	Previous *Previous
}

// decimal writes an amount for report.json and projects.csv: exact, as input
// accepts it; "" when there is none.
func decimal(d *inf.Dec) string {
	return money.Exact(d)
}

// total writes a total read from status: "0" when nothing was added to it,
// "" when the totals are unknown (amounts in another currency were left
// out).
func total(m v1alpha1.MoneySummary, a v1alpha1.Amount) string {
	return known(m, money.Value(a))
}

// known writes an amount of a rollup's totals: "0" when nothing was added to
// it, "" when the totals are unknown (amounts in another currency were left
// out).
func known(m v1alpha1.MoneySummary, d *inf.Dec) string {
	if len(m.LeftOut) > 0 {
		return ""
	}
	if d == nil {
		return "0"
	}
	return money.Exact(d)
}

// Build assembles the full report; Render bounds its size.
func Build(in Input) Report {
	r := newReport(in)
	if in.Strategy != nil {
		r.Strategy = newStrategy(in.Strategy, in.Projects)
	}
	for _, p := range in.Programmes {
		r.addProgramme(p)
	}
	for _, p := range in.Projects {
		r.addProject(p)
	}
	r.sortRows()
	r.addTravel(in.Previous)
	if in.Kind == "Office" {
		r.addEvidence(in)
	}
	return r
}

// newReport is the report of in's totals, counts and capacity, with every
// list empty (never null in report.json).
func newReport(in Input) Report {
	r := Report{
		SchemaVersion: SchemaVersion, Kind: in.Kind, Namespace: in.Namespace, Name: in.Name,
		Health: in.Health, Currency: string(in.Rollup.Money.Currency),
		Totals: Totals{
			Budget:           total(in.Rollup.Money, in.Rollup.Money.Budget),
			ActualCost:       total(in.Rollup.Money, in.Rollup.Money.ActualCost),
			ForecastCost:     total(in.Rollup.Money, in.Rollup.Money.ForecastCost),
			Variance:         total(in.Rollup.Money, in.Rollup.Money.Variance),
			BenefitsPlanned:  total(in.Rollup.Money, in.Rollup.Benefits.Planned),
			BenefitsRealised: total(in.Rollup.Money, in.Rollup.Benefits.Realised),
			LeftOut:          nonNilLeftOut(in.Rollup.Money.LeftOut),
		},
		Counts: Counts{
			Portfolios: in.Rollup.Portfolios, Programmes: in.Rollup.Programmes, Projects: in.Rollup.Projects,
			Satellites: in.Rollup.Satellites, ByHealth: in.Rollup.ByHealth, ByPhase: in.Rollup.ByPhase, Refused: in.Rollup.Refused,
		},
		Compliance: in.Rollup.Compliance, Risks: in.Rollup.Risks, Benefits: benefitsOf(in.Rollup),
		Red: []RedItem{}, ToleranceExceptions: []ToleranceExceptionItem{}, Gates: []GateItem{}, TopRisks: []RiskItem{}, TopOpportunities: []RiskItem{}, DependenciesAtRisk: []DependencyItem{}, Projects: []ProjectRow{}, Notes: []string{},
		DirectionOfTravel: DirectionOfTravel{Left: []LeftProject{}},
	}
	if r.Counts.ByPhase == nil {
		r.Counts.ByPhase = []v1alpha1.PhaseCount{}
	}
	if in.Capacity != nil || in.Committed != nil {
		r.Capacity = &Capacity{Capacity: decimal(in.Capacity), Committed: known(in.Rollup.Money, in.Committed), OverCommitted: in.OverCommitted}
	}
	r.CapacityByYear = capacityByYear(in)
	r.PortfoliosByYear = portfoliosByYear(in)
	return r
}

// capacityByYear is a portfolio's capacity against committed by year, as
// its status computed them; nil when it neither states capacity by year
// nor phases any money. While the totals are unknown only the capacities
// are shown.
func capacityByYear(in Input) *CapacityByYear {
	if len(in.CapacityByYear) == 0 && len(in.CommittedByYear) == 0 {
		return nil
	}
	capacity := map[int32]string{}
	for _, y := range in.CapacityByYear {
		capacity[y.Year] = decimal(money.Of(y.Amount))
	}
	out := &CapacityByYear{Years: []YearCapacity{}}
	if len(in.Rollup.Money.LeftOut) > 0 {
		for _, y := range in.CapacityByYear {
			out.Years = append(out.Years, YearCapacity{Year: y.Year, Capacity: capacity[y.Year]})
		}
		slices.SortFunc(out.Years, func(a, b YearCapacity) int { return cmp.Compare(a.Year, b.Year) })
		return out
	}
	var phased *inf.Dec
	for _, y := range in.CommittedByYear {
		committed := money.Value(y.Committed)
		money.Accumulate(&phased, committed)
		out.Years = append(out.Years, YearCapacity{Year: y.Year, Capacity: capacity[y.Year], Committed: known(in.Rollup.Money, committed), OverCommitted: y.OverCommitted})
	}
	rest := in.Committed
	if phased != nil && rest != nil {
		rest = money.Sub(rest, phased)
	}
	out.NotPhased = "0"
	if rest != nil && rest.Sign() > 0 {
		out.NotPhased = money.Exact(rest)
	}
	return out
}

// addProgramme lists a programme's Red entry, gates and risks.
func (r *Report) addProgramme(p *v1alpha1.Programme) {
	// A programme Red only through its projects is not listed on its
	// own: its projects are. One Red on its own account is.
	if p.Status.OwnHealth == v1alpha1.HealthRed {
		r.Red = append(r.Red, RedItem{Kind: "Programme", Namespace: p.Namespace, Name: p.Name, Reasons: nonNil(p.Status.OwnHealthReasons), Shortened: []string{}})
	}
	r.Gates = append(r.Gates, gateItems("Programme", p.Namespace, p.Name, p.Status.Compliance)...)
	r.addRisks(p.Namespace, p.Name, p.Spec.Risks)
	r.DependenciesAtRisk = append(r.DependenciesAtRisk, dependencyItems("Programme", p.Namespace, p.Name, p.Status.Dependencies)...)
}

// addProject lists a project's Red entry and tolerance exceptions (when
// it is not closed), gates, risks and row.
func (r *Report) addProject(p *v1alpha1.Project) {
	if p.Spec.Phase != v1alpha1.ProjectClosed {
		if p.Status.Health == v1alpha1.HealthRed {
			r.Red = append(r.Red, RedItem{Kind: "Project", Namespace: p.Namespace, Name: p.Name, Reasons: nonNil(p.Status.HealthReasons), Shortened: []string{}})
		}
		for _, e := range p.Status.ToleranceExceptions {
			r.ToleranceExceptions = append(r.ToleranceExceptions, ToleranceExceptionItem{Namespace: p.Namespace, Project: p.Name,
				Kind: e.Kind, Health: e.Health, Message: e.Message, Shortened: []string{}})
		}
	}
	r.Gates = append(r.Gates, gateItems("Project", p.Namespace, p.Name, p.Status.Compliance)...)
	r.addRisks(p.Namespace, p.Name, p.Spec.Risks)
	r.DependenciesAtRisk = append(r.DependenciesAtRisk, dependencyItems("Project", p.Namespace, p.Name, p.Status.Dependencies)...)
	row := projectRow(p)
	row.Rank = r.Strategy.rankOf(p)
	r.Projects = append(r.Projects, row)
}

// sortRows orders the lists: Red work and exceptions by name; unmet gates first; the
// most severe risks first; the worst projects first.
func (r *Report) sortRows() {
	sortStable(r.Red, func(a, b *RedItem) int {
		return byName(a.Namespace, a.Name, b.Namespace, b.Name)
	})
	sortStable(r.Gates, func(a, b *GateItem) int {
		return cmp.Or(
			-cmp.Compare(boolRank(a.State == v1alpha1.GateUnmet), boolRank(b.State == v1alpha1.GateUnmet)),
			byName(a.Namespace, a.Name, b.Namespace, b.Name),
			cmp.Compare(a.Gate, b.Gate))
	})
	bySeverity := func(a, b *RiskItem) int {
		return cmp.Or(
			-cmp.Compare(a.Severity, b.Severity),
			byName(a.Namespace, a.Object, b.Namespace, b.Object),
			cmp.Compare(a.Risk, b.Risk))
	}
	sortStable(r.TopRisks, bySeverity)
	sortStable(r.TopOpportunities, bySeverity)
	// A project's exceptions keep their order (cost, time, risk, ...).
	sortStable(r.ToleranceExceptions, func(a, b *ToleranceExceptionItem) int {
		return byName(a.Namespace, a.Project, b.Namespace, b.Project)
	})
	sortStable(r.DependenciesAtRisk, func(a, b *DependencyItem) int {
		return cmp.Or(
			-cmp.Compare(health.Rank(a.Impact), health.Rank(b.Impact)),
			byName(a.Namespace, a.Name, b.Namespace, b.Name),
			cmp.Compare(a.Kind, b.Kind),
			byName(a.ProviderNamespace, a.ProviderName, b.ProviderNamespace, b.ProviderName))
	})
	sortStable(r.Projects, func(a, b *ProjectRow) int {
		return cmp.Or(
			-cmp.Compare(health.Rank(a.Health), health.Rank(b.Health)),
			byName(a.Namespace, a.Name, b.Namespace, b.Name))
	})
}

// sortStable sorts rows by compare, keeping equal rows in their order. It
// sorts positions and moves each row once: rows are large (a project row
// is thirteen strings), and a stable merge sort moves each many times.
func sortStable[T any](rows []T, compare func(a, b *T) int) {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		return cmp.Or(compare(&rows[i], &rows[j]), cmp.Compare(i, j))
	})
	sorted := make([]T, len(rows))
	for i, from := range order {
		sorted[i] = rows[from]
	}
	copy(rows, sorted)
}

// byName orders objects by namespace, then name.
func byName(ns1, n1, ns2, n2 string) int {
	return cmp.Or(strings.Compare(ns1, ns2), strings.Compare(n1, n2))
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nonNilLeftOut(l []v1alpha1.LeftOutAmounts) []v1alpha1.LeftOutAmounts {
	if l == nil {
		return []v1alpha1.LeftOutAmounts{}
	}
	return l
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// gateItems lists a subject's unmet gates and those with a due date.
func gateItems(kind, ns, name string, c v1alpha1.ComplianceStatus) []GateItem {
	var out []GateItem
	for _, g := range c.Gates {
		due := ""
		if g.DueAt != nil {
			due = g.DueAt.UTC().Format("2006-01-02")
		}
		if g.NeedsAttention() {
			out = append(out, GateItem{Kind: kind, Namespace: ns, Name: name, Gate: g.Description, State: g.State, Message: g.Message, DueAt: due, Shortened: []string{}})
		}
	}
	return out
}

// addRisks lists the open risks of a register: threats among the top
// risks, opportunities apart.
func (r *Report) addRisks(ns, name string, risks []v1alpha1.Risk) {
	for _, k := range risks {
		if k.Status == v1alpha1.RiskClosed {
			continue
		}
		item := RiskItem{Namespace: ns, Object: name, Risk: k.Name, Kind: v1alpha1.RiskThreat, Severity: k.Severity(), Proximity: k.Proximity,
			Owner: k.Owner, Description: k.Description, Shortened: []string{}}
		if k.IsOpportunity() {
			item.Kind = v1alpha1.RiskOpportunity
			r.TopOpportunities = append(r.TopOpportunities, item)
			continue
		}
		r.TopRisks = append(r.TopRisks, item)
	}
}

// dependencyItems lists an object's dependencies at risk.
func dependencyItems(kind, ns, name string, deps []v1alpha1.DependencyStatus) []DependencyItem {
	var out []DependencyItem
	for _, d := range deps {
		if d.AtRisk() {
			out = append(out, DependencyItem{Kind: kind, Namespace: ns, Name: name,
				ProviderKind: d.Kind, ProviderNamespace: d.Provider.Namespace, ProviderName: d.Provider.Name,
				NeededBy: string(d.NeededBy), Cause: d.Cause, Impact: d.Impact, ProviderForecastEnd: string(d.ProviderForecastEnd)})
		}
	}
	return out
}

func projectRow(p *v1alpha1.Project) ProjectRow {
	row := ProjectRow{
		Namespace: p.Namespace, Name: p.Name, Phase: string(p.Spec.Phase), Health: p.Status.Health,
		Budget: decimal(money.Of(p.Spec.Plan.Budget)), ForecastCost: decimal(money.Of(p.Forecast())), Manager: p.Spec.Manager,
		Shortened: []string{},
	}
	if row.Health == "" {
		row.Health = v1alpha1.HealthUnknown
	}
	if p.Spec.ProgrammeRef != nil {
		row.Programme = string(p.Spec.ProgrammeRef.Name)
	}
	for _, c := range p.Status.Conditions {
		if c.Type == string(v1alpha1.ConditionCompliant) {
			row.Compliant = string(c.Status)
		}
	}
	if len(p.Status.HealthReasons) > 0 {
		row.Reason = p.Status.HealthReasons[0]
	}
	row.Variance = decimal(money.Value(p.Status.CostVariance))
	row.DeliveryConfidence = p.Status.DeliveryConfidence
	row.Category = p.Spec.Category
	if p.Spec.Priority > 0 {
		row.Priority = itoa(int64(p.Spec.Priority))
	}
	if p.Status.Score != nil {
		row.Score = itoa(int64(*p.Status.Score))
	}
	for _, d := range p.Status.Dependencies {
		if d.AtRisk() {
			row.DependenciesAtRisk++
		}
	}
	var own benefits.Tally
	own.Add("", p.Spec.Benefits, func(v1alpha1.Date) int32 { return 0 })
	s := own.Summary()
	row.BenefitsPlanned, row.BenefitsRealised = decimal(money.Value(s.Planned)), decimal(money.Value(s.Realised))
	if pr := p.Spec.Progress; pr != nil {
		row.AsOf = string(pr.AsOf)
		row.ActualCost = decimal(money.Of(pr.ActualCost))
		if pr.PercentComplete != nil {
			row.PercentComplete = itoa(int64(*pr.PercentComplete))
		}
	}
	return row
}

// benefitsOf is the report's benefits from a rollup's: money by due year
// ("" while totals are unknown), other units as listed.
func benefitsOf(r v1alpha1.Rollup) Benefits {
	b := Benefits{Forecast: total(r.Money, r.Benefits.Forecast), ByYear: []BenefitYear{},
		Measured: r.Benefits.Measured, MeasuredNotListed: r.Benefits.MeasuredNotListed}
	if b.Measured == nil {
		b.Measured = []v1alpha1.MeasuredBenefit{}
	}
	for _, y := range r.Benefits.ByYear {
		b.ByYear = append(b.ByYear, BenefitYear{Year: y.Year, Benefits: y.Benefits,
			Planned: total(r.Money, y.Planned), Forecast: total(r.Money, y.Forecast), Realised: total(r.Money, y.Realised)})
	}
	return b
}
