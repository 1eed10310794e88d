/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package rollup aggregates the picture of everything beneath a Programme,
// Portfolio or Office: counts by phase and health, money totals and variance,
// the worst health with the descendants that cause it, benefits and risk
// exposure. Amounts are exact; amounts in a currency other than the
// parent's are never added but reported. It is pure: callers fetch the
// children, this package adds them up.
package rollup

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/benefits"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/shorten"
	"p3o.dev/p3o-operator/internal/words"
)

// MaxCauses bounds the causes listed in a rollup.
const MaxCauses = 10

// Project is a Project counted directly by a Programme or Portfolio.
type Project struct {
	Namespace, Name string
	Phase           v1alpha1.ProjectPhase
	// Health is the project's overall health (Unknown when not assessed yet).
	Health v1alpha1.Health
	// Reason is the first reason the project gives for its health.
	Reason string
	// Currency is the currency of the project's governing Office.
	Currency v1alpha1.Currency
	// Budget, ActualCost and ForecastCost are the project's figures; nil
	// when not reported.
	Budget, ActualCost, ForecastCost *inf.Dec
	// BudgetByYear is the budget phased by financial year
	// (spec.plan.budgetByYear); nil when not phased.
	BudgetByYear ByYear
	Benefits     []v1alpha1.Benefit
	Risks        v1alpha1.RiskSummary
	Compliance   v1alpha1.ComplianceCounts
}

// Programme is a Programme counted by a Portfolio: the programme itself and
// the rollup of its projects.
type Programme struct {
	Namespace, Name string
	Phase           v1alpha1.ProgrammePhase
	// Health is the programme's overall health.
	Health v1alpha1.Health
	// OwnHealth and OwnReason are what the programme's own register (not its
	// projects) gives.
	OwnHealth v1alpha1.Health
	OwnReason string
	Currency  v1alpha1.Currency
	// Budget is the programme's own budget, committed besides its projects'.
	Budget *inf.Dec
	Risks  v1alpha1.RiskSummary
	// Compliance is how the programme itself counts (one of the three).
	Compliance v1alpha1.ComplianceCounts
	// Rollup is the programme's rollup of its projects.
	Rollup v1alpha1.Rollup
	// CommittedByYear is what the programme commits by financial year (its
	// status.committedByYear); nil when nothing is phased.
	CommittedByYear ByYear
}

// Committed is what a programme commits in its portfolio: its own budget
// plus its projects' budgets; nil when neither states one.
func (p Programme) Committed() *inf.Dec {
	var c *inf.Dec
	money.Accumulate(&c, p.Budget)
	money.Accumulate(&c, money.Value(p.Rollup.Money.Budget))
	return c
}

// Committed is what a project directly in a portfolio commits: its budget.
func (p Project) Committed() *inf.Dec { return p.Budget }

// CommittedByYear is what Committed phases by financial year: a project's
// spec.plan.budgetByYear.
func (p Project) CommittedByYear() ByYear { return p.BudgetByYear }

// Builder accumulates children. The zero value is not usable: use New.
type Builder struct {
	currency v1alpha1.Currency
	out      v1alpha1.Rollup
	phases   map[v1alpha1.PhaseCount]int32
	causes   []v1alpha1.HealthCause

	budget, actual, forecast *inf.Dec
	committed                *inf.Dec
	committedByYear          ByYear
	benefits                 benefits.Tally
	// yearStart is the month the financial years of benefits' due dates
	// start in (FinancialYear).
	yearStart int
	// foreign records, per currency, the objects whose amounts are left out.
	foreign map[v1alpha1.Currency]v1alpha1.LeftOutAmounts
}

// New starts a rollup for a parent whose amounts are in currency.
func New(currency v1alpha1.Currency) *Builder {
	return &Builder{currency: currency, phases: map[v1alpha1.PhaseCount]int32{}, foreign: map[v1alpha1.Currency]v1alpha1.LeftOutAmounts{}}
}

// WithFinancialYearStart sets the month (1 to 12) in which the financial
// years that benefits fall due in start; January unless set.
func (b *Builder) WithFinancialYearStart(month int) *Builder {
	b.yearStart = month
	return b
}

// dueYear is the financial year a due date falls in; 0 when there is none.
func (b *Builder) dueYear(due v1alpha1.Date) int32 {
	return benefits.DueYear(due, b.yearStart, FinancialYear)
}

// inCurrency reports whether a child's amounts may be added, recording the
// child when they may not.
func (b *Builder) inCurrency(currency v1alpha1.Currency, who string) bool {
	if currency == "" || currency == b.currency {
		return true
	}
	b.leaveOut(currency, 1, who)
	return false
}

// leaveOut records n objects whose amounts in currency are left out, naming
// the first maxLeftOut of them.
func (b *Builder) leaveOut(currency v1alpha1.Currency, n int32, who ...string) {
	l := b.foreign[currency]
	l.Currency, l.Count = currency, l.Count+n
	for _, w := range who {
		if len(l.Objects) < maxLeftOut {
			l.Objects = append(l.Objects, shorten.To(w, v1alpha1.LeftOutObjectMaxLength))
		}
	}
	b.foreign[currency] = l
}

// maxLeftOut is how many left-out objects a rollup names per currency.
const maxLeftOut = 8

// countHealth counts an open (not Closed) project by health.
func (b *Builder) countHealth(h v1alpha1.Health) {
	switch h {
	case v1alpha1.HealthGreen:
		b.out.ByHealth.Green++
	case v1alpha1.HealthAmber:
		b.out.ByHealth.Amber++
	case v1alpha1.HealthRed:
		b.out.ByHealth.Red++
	default:
		b.out.ByHealth.Unknown++
	}
	b.considerHealth(h)
}

// addCause records an object whose own figures lower health.
func (b *Builder) addCause(kind v1alpha1.SubjectKind, ns, name string, h v1alpha1.Health, reason string) {
	if h == v1alpha1.HealthAmber || h == v1alpha1.HealthRed {
		b.keepCause(v1alpha1.HealthCause{Kind: kind, Namespace: ns, Name: name, Health: h, Reason: reason})
	}
}

// keepCause keeps the first MaxCauses causes at the worst health seen, in
// causeLess order, without duplicates: a bounded insertion, so that a rollup
// of many Red children stays cheap.
func (b *Builder) keepCause(c v1alpha1.HealthCause) {
	if len(b.causes) > 0 {
		switch rank, kept := health.Rank(c.Health), health.Rank(b.causes[0].Health); {
		case rank < kept:
			return
		case rank > kept:
			b.causes = b.causes[:0]
		}
	}
	i := sort.Search(len(b.causes), func(i int) bool { return !causeLess(b.causes[i], c) })
	if i < len(b.causes) && sameObject(b.causes[i], c) {
		return
	}
	if i >= MaxCauses {
		return
	}
	b.causes = append(b.causes, v1alpha1.HealthCause{})
	copy(b.causes[i+1:], b.causes[i:])
	b.causes[i] = c
	if len(b.causes) > MaxCauses {
		b.causes = b.causes[:MaxCauses]
	}
}

func sameObject(a, c v1alpha1.HealthCause) bool {
	return a.Kind == c.Kind && a.Namespace == c.Namespace && a.Name == c.Name
}

// causeLess orders causes: Projects first (they are where the figures are),
// then by namespace and name.
func causeLess(a, c v1alpha1.HealthCause) bool {
	if a.Kind != c.Kind {
		return a.Kind > c.Kind
	}
	if a.Namespace != c.Namespace {
		return a.Namespace < c.Namespace
	}
	return a.Name < c.Name
}

func (b *Builder) considerHealth(h v1alpha1.Health) {
	if h == "" || h == v1alpha1.HealthUnknown {
		return
	}
	b.out.Health = health.Worse(b.out.Health, h)
}

// AddProject counts a project directly beneath the parent. Closed projects
// count in totals and phases but do not drive health.
func (b *Builder) AddProject(p Project) {
	b.out.Projects++
	b.phases[v1alpha1.PhaseCount{Kind: v1alpha1.SubjectKindProject, Phase: string(p.Phase)}]++
	if p.Phase != v1alpha1.ProjectClosed {
		b.countHealth(p.Health)
		b.addCause(v1alpha1.SubjectKindProject, p.Namespace, p.Name, p.Health, p.Reason)
	}
	b.addRisks(p.Risks)
	b.addCompliance(p.Compliance)
	if !b.inCurrency(p.Currency, "Project "+p.Namespace+"/"+p.Name) {
		return
	}
	money.Accumulate(&b.budget, p.Budget)
	money.Accumulate(&b.committed, p.Committed())
	b.committedByYear.Merge(p.CommittedByYear())
	money.Accumulate(&b.actual, p.ActualCost)
	money.Accumulate(&b.forecast, p.ForecastCost)
	b.benefits.Add("Project "+p.Namespace+"/"+p.Name, p.Benefits, b.dueYear)
}

// AddProgramme counts a programme and merges the rollup of its projects.
func (b *Builder) AddProgramme(p Programme) {
	b.out.Programmes++
	b.phases[v1alpha1.PhaseCount{Kind: v1alpha1.SubjectKindProgramme, Phase: string(p.Phase)}]++
	if p.Phase != v1alpha1.ProgrammeClosed {
		// Counts by health are of projects only (its projects come with its
		// rollup); the programme's own health (risks, gates, confidence)
		// lowers the rollup's health, and it is named as a cause for it.
		b.considerHealth(p.OwnHealth)
		b.addCause(v1alpha1.SubjectKindProgramme, p.Namespace, p.Name, p.OwnHealth, p.OwnReason)
	}
	b.addRisks(p.Risks)
	b.addCompliance(p.Compliance)
	if b.inCurrency(p.Currency, "Programme "+p.Namespace+"/"+p.Name) {
		if p.Rollup.Money.Currency == "" || p.Rollup.Money.Currency == b.currency {
			money.Accumulate(&b.committed, p.Committed())
			b.committedByYear.Merge(p.CommittedByYear)
		} else {
			money.Accumulate(&b.committed, p.Budget) // its projects' are left out (merge)
		}
	}
	// The programme's own benefits are in its rollup (AddOwnBenefits), with
	// its projects'.
	b.merge(p.Rollup)
}

// AddPortfolio counts a portfolio and merges its rollup (Offices only).
func (b *Builder) AddPortfolio(r v1alpha1.Rollup, committed *inf.Dec) {
	b.out.Portfolios++
	b.mergeCommitted(r, committed)
}

// AddSatellite counts a satellite office and merges its rollup.
func (b *Builder) AddSatellite(r v1alpha1.Rollup, committed *inf.Dec) {
	b.out.Satellites++
	b.mergeCommitted(r, committed)
}

func (b *Builder) mergeCommitted(r v1alpha1.Rollup, committed *inf.Dec) {
	if r.Money.Currency == "" || r.Money.Currency == b.currency {
		money.Accumulate(&b.committed, committed)
	}
	b.merge(r)
}

// Refuse counts a child that references the parent but is not admitted.
func (b *Builder) Refuse() { b.out.Refused++ }

// merge adds a descendant's rollup.
func (b *Builder) merge(r v1alpha1.Rollup) {
	b.out.Portfolios += r.Portfolios
	b.out.Programmes += r.Programmes
	b.out.Projects += r.Projects
	b.out.Satellites += r.Satellites
	b.out.ByHealth.Green += r.ByHealth.Green
	b.out.ByHealth.Amber += r.ByHealth.Amber
	b.out.ByHealth.Red += r.ByHealth.Red
	b.out.ByHealth.Unknown += r.ByHealth.Unknown
	for _, pc := range r.ByPhase {
		b.phases[v1alpha1.PhaseCount{Kind: pc.Kind, Phase: pc.Phase}] += pc.Count
	}
	b.considerHealth(r.Health)
	for _, c := range r.Causes {
		b.keepCause(c)
	}
	b.addRisks(r.Risks)
	b.addCompliance(r.Compliance)
	for _, l := range r.Money.LeftOut {
		// Incomplete beneath: incomplete here too, naming the same objects.
		b.leaveOut(l.Currency, l.Count, l.Objects...)
	}
	if !b.inCurrency(r.Money.Currency, words.Count(int(r.Projects), "project", "projects")) {
		return
	}
	money.Accumulate(&b.budget, money.Value(r.Money.Budget))
	money.Accumulate(&b.actual, money.Value(r.Money.ActualCost))
	money.Accumulate(&b.forecast, money.Value(r.Money.ForecastCost))
	b.benefits.Merge(r.Benefits)
}

func (b *Builder) addRisks(r v1alpha1.RiskSummary) {
	b.out.Risks.Open += r.Open
	b.out.Risks.High += r.High
	b.out.Risks.Exposure += r.Exposure
	b.out.Risks.Opportunities += r.Opportunities
	b.out.Risks.OpportunityExposure += r.OpportunityExposure
}

func (b *Builder) addCompliance(c v1alpha1.ComplianceCounts) {
	b.out.Compliance.Compliant += c.Compliant
	b.out.Compliance.NonCompliant += c.NonCompliant
	b.out.Compliance.Unknown += c.Unknown
}

// AddOwnBenefits counts the benefits a Programme holds itself in its own
// rollup, beside its projects': MSP's programme owns its benefits, and a
// project's contribution to one carries no figures, so each counts once.
func (b *Builder) AddOwnBenefits(holder string, bs []v1alpha1.Benefit) {
	b.benefits.Add(holder, bs, b.dueYear)
}

// MixedCurrencyError says which objects' amounts were not added because they
// are in another currency than the parent's: its own children's, or those
// its children already left out.
type MixedCurrencyError struct {
	Currency v1alpha1.Currency
	// LeftOut is sorted by currency.
	LeftOut []v1alpha1.LeftOutAmounts
}

func (e *MixedCurrencyError) Error() string {
	parts := make([]string, 0, len(e.LeftOut))
	for _, l := range e.LeftOut {
		who := append([]string(nil), l.Objects...)
		sort.Strings(who)
		if len(who) > 3 {
			who = who[:3]
		}
		if more := int(l.Count) - len(who); more > 0 {
			who = append(who, fmt.Sprintf("and %d more", more))
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", l.Currency, strings.Join(who, ", ")))
	}
	return fmt.Sprintf("totals incomplete: amounts in %s are not added to totals in %s", strings.Join(parts, "; "), e.Currency)
}

// Result is a finished rollup.
type Result struct {
	Rollup v1alpha1.Rollup
	// Committed is the budget committed: projects' budgets plus programmes'
	// own budgets, in the parent's currency.
	Committed *inf.Dec
	// CommittedByYear is what Committed phases by financial year: projects'
	// budgets by year and programmes' committed by year (a Programme's or
	// Portfolio's rollup; nil when nothing is phased or the totals are
	// incomplete).
	CommittedByYear ByYear
	// MixedCurrency is set when some children's amounts were left out.
	MixedCurrency *MixedCurrencyError
}

// Build finishes the rollup. Ordering is deterministic, so that an
// unchanged world gives an identical status.
func (b *Builder) Build() Result {
	out := b.out
	if out.Health == "" {
		out.Health = v1alpha1.HealthUnknown
	}
	out.ByPhase = nil
	for pc, n := range b.phases {
		pc.Count = n
		out.ByPhase = append(out.ByPhase, pc)
	}
	sort.Slice(out.ByPhase, func(i, j int) bool {
		a, c := out.ByPhase[i], out.ByPhase[j]
		if a.Kind != c.Kind {
			return a.Kind > c.Kind // Projects first
		}
		return phaseOrder(a.Phase) < phaseOrder(c.Phase)
	})
	if len(b.causes) > 0 && b.causes[0].Health == out.Health {
		out.Causes = append([]v1alpha1.HealthCause(nil), b.causes...)
	}

	res := Result{Rollup: out}
	if len(b.foreign) > 0 {
		leftOut := make([]v1alpha1.LeftOutAmounts, 0, len(b.foreign))
		for _, l := range b.foreign {
			leftOut = append(leftOut, l)
		}
		sort.Slice(leftOut, func(i, j int) bool { return leftOut[i].Currency < leftOut[j].Currency })
		if len(leftOut) > maxLeftOut {
			leftOut = leftOut[:maxLeftOut]
		}
		res.MixedCurrency = &MixedCurrencyError{Currency: b.currency, LeftOut: leftOut}
		res.Rollup.Money = v1alpha1.MoneySummary{Currency: b.currency, LeftOut: leftOut}
		return res
	}
	res.Committed = b.committed
	res.CommittedByYear = b.committedByYear
	res.Rollup.Money = v1alpha1.MoneySummary{
		Currency:     b.currency,
		Budget:       money.Amount(b.budget),
		ActualCost:   money.Amount(b.actual),
		ForecastCost: money.Amount(b.forecast),
		Variance:     money.Amount(money.Sub(b.forecast, b.budget)),
	}
	res.Rollup.Benefits = b.benefits.Summary()
	return res
}

var phases = []string{"StartingUp", "Identifying", "Initiating", "Defining", "Delivering", "Closing", "Closed"}

func phaseOrder(p string) int {
	for i, q := range phases {
		if q == p {
			return i
		}
	}
	return len(phases)
}

// Risks summarises a risk register against the high-risk severity:
// threats (open, high, exposure) and opportunities (open, exposure)
// apart; a risk of no kind is a threat, and only threats are high.
func Risks(risks []v1alpha1.Risk, highSeverity int32) v1alpha1.RiskSummary {
	var s v1alpha1.RiskSummary
	for _, r := range risks {
		if r.Status == v1alpha1.RiskClosed {
			continue
		}
		if r.IsOpportunity() {
			s.Opportunities++
			s.OpportunityExposure += r.Severity()
			continue
		}
		s.Open++
		s.Exposure += r.Severity()
		if r.Severity() >= highSeverity {
			s.High++
		}
	}
	return s
}
