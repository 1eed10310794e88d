/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/inf.v0"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/rollup"
	"p3o.dev/p3o-operator/internal/words"
)

// Children are the admitted children of a parent and the number it refuses.
type Children[T any] struct {
	// Admitted children are counted.
	Admitted []T
	// Refused is the number of children that reference the parent but are
	// not admitted by it.
	Refused int
}

// kindCount is a number of children of one kind, as a rollup message
// names it: "1 portfolio", "3 satellite offices".
type kindCount struct {
	n         int
	one, many string
}

func (k kindCount) String() string {
	return words.Count(k.n, k.one, k.many)
}

// setRolledUp records how the rollup went, naming the children counted by
// kind ("rolled up 1 portfolio and 2 projects").
func setRolledUp(obj conditions.Object, res rollup.Result, kinds ...kindCount) {
	var counted, names []string
	for _, k := range kinds {
		names = append(names, k.many)
		if k.n > 0 {
			counted = append(counted, k.String())
		}
	}
	switch {
	case res.MixedCurrency != nil:
		conditions.Set(obj, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency, res.MixedCurrency.Error())
	case len(counted) == 0:
		conditions.Set(obj, v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonNoChildren, "no "+joinList(names, "or")+" attached yet")
	default:
		conditions.Set(obj, v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonAggregated, "rolled up "+joinList(counted, "and"))
	}
}

// joinList writes "a", "a and b" or "a, b and c" (with "or" for "and").
func joinList(items []string, and string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

// CauseReason summarises the causes of a rollup's health in one line, the
// health first ("Red: project erp, project crm and 2 more"); "" when the
// rollup is neither Red nor Amber.
func CauseReason(r v1alpha1.Rollup) string {
	causes := causeList(r)
	if causes == "" {
		return ""
	}
	return fmt.Sprintf("%s: %s", r.Health, causes)
}

// Causes names the causes of a rollup's health as the reason of a health
// event ("project erp is Red", "project erp and project crm are Red"); ""
// when the rollup is neither Red nor Amber.
func Causes(r v1alpha1.Rollup) string {
	causes := causeList(r)
	if causes == "" {
		return ""
	}
	verb := "are"
	if len(r.Causes) == 1 && causeCount(r) <= 1 {
		verb = "is"
	}
	return fmt.Sprintf("%s %s %s", causes, verb, r.Health)
}

// causeList lists the causes ("project erp, project crm and 2 more").
func causeList(r v1alpha1.Rollup) string {
	if len(r.Causes) == 0 || (r.Health != v1alpha1.HealthRed && r.Health != v1alpha1.HealthAmber) {
		return ""
	}
	names := make([]string, 0, len(r.Causes)+1)
	for _, c := range r.Causes {
		names = append(names, strings.ToLower(string(c.Kind))+" "+c.Name)
	}
	if n := causeCount(r); n > len(r.Causes) {
		return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", n-len(r.Causes))
	}
	return joinList(names, "and")
}

// causeCount is the number of projects at the rollup's health.
func causeCount(r v1alpha1.Rollup) int {
	if r.Health == v1alpha1.HealthRed {
		return int(r.ByHealth.Red)
	}
	return int(r.ByHealth.Amber)
}

// addChildren adds programmes and projects to a rollup, and counts the
// children refused.
func addChildren(b *rollup.Builder, programmes []*v1alpha1.Programme, projects []*v1alpha1.Project, refused int) {
	for _, p := range programmes {
		b.AddProgramme(ProgrammeItem(p))
	}
	for _, p := range projects {
		b.AddProject(ProjectItem(p))
	}
	for range refused {
		b.Refuse()
	}
}

// ProjectItem is a Project as its parent's rollup counts it. A project that
// has not reported a forecast counts its budget as its forecast.
func ProjectItem(p *v1alpha1.Project) rollup.Project {
	item := rollup.Project{
		Namespace: p.Namespace, Name: p.Name, Phase: p.Spec.Phase,
		Health: p.Status.Health, Reason: firstReason(p.Status.HealthReasons),
		Currency: p.Status.Currency,
		Budget:   money.Of(p.Spec.Plan.Budget), ForecastCost: money.Of(p.Forecast()),
		BudgetByYear: rollup.FromYears(p.Spec.Plan.BudgetByYear),
		Benefits:     p.Spec.Benefits, Risks: p.Status.Risks,
		Compliance: complianceCounts(p),
	}
	if item.Phase == "" {
		item.Phase = v1alpha1.ProjectStartingUp
	}
	if item.Health == "" {
		item.Health = v1alpha1.HealthUnknown
	}
	if pr := p.Spec.Progress; pr != nil {
		item.ActualCost = money.Of(pr.ActualCost)
	}
	return item
}

// ProgrammeItem is a Programme as its portfolio's rollup counts it. Its own
// health (risks and gates, Amber at most) is the one it assessed under its
// own office's thresholds.
func ProgrammeItem(p *v1alpha1.Programme) rollup.Programme {
	own := p.Status.OwnHealth
	if own == "" {
		own = v1alpha1.HealthGreen
	}
	item := rollup.Programme{
		Namespace: p.Namespace, Name: p.Name, Phase: p.Spec.Phase,
		Health: p.Status.Health, OwnHealth: own, OwnReason: firstReason(p.Status.OwnHealthReasons),
		Currency: p.Status.Currency,
		Budget:   money.Of(p.Spec.Budget),
		Risks:    p.Status.Risks, Rollup: p.Status.Rollup,
		CommittedByYear: rollup.FromPhased(p.Status.CommittedByYear),
		Compliance:      complianceCounts(p),
	}
	if item.Phase == "" {
		item.Phase = v1alpha1.ProgrammeIdentifying
	}
	if item.Health == "" {
		item.Health = v1alpha1.HealthUnknown
	}
	return item
}

// SetProgramme computes a Programme's status from what governs it and its
// projects.
func SetProgramme(p *v1alpha1.Programme, facts governance.Facts, projects Children[*v1alpha1.Project], rules *policy.Rules, now time.Time) Outcome {
	before := p.Status.DeepCopy()
	beforeObj := &v1alpha1.Programme{Status: *before}
	p.Status.Office, p.Status.HeldTo, p.Status.Currency = resolveGovernance(p, facts, p.Spec.Currency, p.Status.Currency)

	comp, res := compliance(p, facts, rules, p.Status.Compliance, now)
	p.Status.Compliance = comp

	b := rollup.New(rollupCurrency(p.Status.Currency)).WithFinancialYearStart(financialYearStart(facts.Governance))
	b.AddOwnBenefits("Programme "+p.Namespace+"/"+p.Name, p.Spec.Benefits)
	addChildren(b, nil, projects.Admitted, projects.Refused)
	rolled := b.Build()
	p.Status.Rollup = rolled.Rollup
	p.Status.Rollup.Money.Display = rollupDisplay(rolled.Rollup.Money)
	if len(projects.Admitted) == 0 {
		// Nothing to judge: no rollup health beside the programme's own
		// (RolledUp says NoChildren).
		p.Status.Rollup.Health = ""
	}
	setRolledUp(p, rolled, kindCount{len(projects.Admitted), "project", "projects"})
	p.Status.CommittedByYear = programmeCommittedByYear(p, rolled, financialYearStart(facts.Governance))

	thresholds := facts.HealthPolicy()
	p.Status.Risks = rollup.Risks(p.Spec.Risks, thresholds.HighRiskSeverity)
	own, ownReason := health.AssessRisks(p.Spec.Risks, thresholds)
	assessment := health.Assessment{Derived: own, Overall: own}
	if ownReason != "" {
		assessment.Reasons = []string{ownReason}
	}
	lowerForCompliance(&assessment, res)
	lowerForConfidence(&assessment, facts.Reviews, now)
	benefitsRecheck := lowerForBenefits(&assessment, p.Spec.Benefits, p.Spec.Tolerances.BenefitsPercent, now)
	deps, depEvents, depRecheck := dependencies(p, facts.Dependencies, p.Status.Dependencies, &assessment, now)
	p.Status.Dependencies = deps
	p.Status.ForecastEnd = latestEnd(projects.Admitted)
	p.Status.OwnHealth = assessment.Overall
	p.Status.OwnHealthReasons = boundedReasons(assessment.Reasons)
	p.Status.Health = health.Worse(assessment.Overall, rolled.Rollup.Health)
	p.Status.HealthReasons = nil
	if r := CauseReason(rolled.Rollup); r != "" {
		p.Status.HealthReasons = append(p.Status.HealthReasons, "projects "+r)
	}
	p.Status.HealthReasons = boundedReasons(append(p.Status.HealthReasons, assessment.Reasons...))

	p.Status.Score = setStrategyAligned(p, facts.Portfolio, "", p.Spec.Category, p.Spec.Contributions)

	p.Status.ObservedGeneration = p.Generation
	reason := firstReason(assessment.Reasons)
	if rolled.Rollup.Health == p.Status.Health && Causes(rolled.Rollup) != "" {
		reason = Causes(rolled.Rollup)
	}
	events := transitions(beforeObj, p, before.Health, p.Status.Health, reason)
	events = append(events, gateTransitions(before.Compliance, p.Status.Compliance)...)
	events = append(events, depEvents...)
	return Outcome{RecheckAt: earliest(earliest(res.RecheckAt, depRecheck), benefitsRecheck), Events: events}
}

// programmeCommittedByYear is what a programme commits by financial year:
// its tranches and its projects' budgets by year; nil (unknown) while its
// projects' totals are incomplete.
func programmeCommittedByYear(p *v1alpha1.Programme, rolled rollup.Result, yearStart int) []v1alpha1.PhasedAmount {
	if rolled.MixedCurrency != nil {
		return nil
	}
	years := rollup.Tranches(p.Spec.Budget, p.Spec.Tranches, yearStart)
	years.Merge(rolled.CommittedByYear)
	return years.Phased()
}

// latestEnd is the latest end date (Project.ForecastEnd) of projects; ""
// when none states one.
func latestEnd(projects []*v1alpha1.Project) v1alpha1.Date {
	var end v1alpha1.Date
	for _, p := range projects {
		end = max(end, p.ForecastEnd())
	}
	return end
}

// PortfolioChildren are what a Portfolio rolls up (governance.Reader.PortfolioChildren).
type PortfolioChildren = governance.PortfolioChildren

// SetPortfolio computes a Portfolio's status from its office and children.
func SetPortfolio(p *v1alpha1.Portfolio, facts governance.Facts, children PortfolioChildren) Outcome {
	before := p.Status.DeepCopy()
	beforeObj := &v1alpha1.Portfolio{Status: *before}
	setParentResolved(p, facts.Resolutions)
	p.Status.Office = facts.Ref()
	p.Status.Currency = statedCurrency(p.Spec.Currency, p.Status.Currency, facts.Governance)
	setCurrencyMatched(p, p.Status.Currency, facts.Governance)
	currency := rollupCurrency(p.Status.Currency)

	b := rollup.New(currency).WithFinancialYearStart(financialYearStart(facts.Governance))
	addChildren(b, children.Programmes, children.Projects, children.Refused)
	res := b.Build()
	p.Status.Rollup = res.Rollup
	p.Status.Rollup.Money.Display = rollupDisplay(res.Rollup.Money)
	p.Status.Committed = money.Amount(res.Committed)
	p.Status.Display = v1alpha1.MoneyDisplay{Capacity: amountText(money.Of(p.Spec.Capacity), currency), Committed: amountText(res.Committed, currency)}
	switch {
	case res.MixedCurrency != nil:
		p.Status.Display.Committed = "unknown"
	case res.Committed == nil:
		p.Status.Display.Committed = amountText(new(inf.Dec), currency) // nothing committed yet
	}
	p.Status.OverCommitted = nil // unset without a capacity, or while committed is unknown
	if p.Spec.Capacity != nil && res.MixedCurrency == nil {
		over := res.Committed != nil && res.Committed.Cmp(money.Of(p.Spec.Capacity)) > 0
		p.Status.OverCommitted = &over
	}
	p.Status.CommittedByYear = CommittedByYear(p.Spec.CapacityByYear, res, currency)
	setRolledUp(p, res, kindCount{len(children.Programmes), "programme", "programmes"}, kindCount{len(children.Projects), "project", "projects"})
	p.Status.Strategy = strategyStatus(Strategy(p, children))

	p.Status.ObservedGeneration = p.Generation
	return Outcome{Events: transitions(beforeObj, p, before.Rollup.Health, p.Status.Rollup.Health, Causes(p.Status.Rollup))}
}

// financialYearStart is the month in which the governing office's
// financial year starts (January while none is resolved).
func financialYearStart(g governance.Governance) int {
	if g.Office == nil || g.Office.Spec.FinancialYearStart == 0 {
		return 1
	}
	return int(g.Office.Spec.FinancialYearStart)
}

// CommittedByYear is a portfolio's committed money by financial year
// against its capacity by year: every year of capacity and every year
// money is phased into, earliest first, at most MaxCommittedYears (the
// earliest). A year is over-committed when what is phased into it exceeds
// its capacity; without a capacity for the year it is neither. Nil while
// the totals are incomplete (amounts in another currency): unknown, never
// within capacity.
func CommittedByYear(capacityByYear []v1alpha1.YearAmount, res rollup.Result, currency v1alpha1.Currency) []v1alpha1.YearCommitment {
	if res.MixedCurrency != nil {
		return nil
	}
	capacity := rollup.FromYears(capacityByYear)
	all := rollup.ByYear{}
	for y := range capacity {
		all[y] = nil
	}
	for y := range res.CommittedByYear {
		all[y] = nil
	}
	var out []v1alpha1.YearCommitment
	for _, y := range all.Years() {
		if len(out) == v1alpha1.MaxCommittedYears {
			break
		}
		committed, limit := res.CommittedByYear[y], capacity[y]
		shown := committed
		if shown == nil {
			shown = new(inf.Dec) // nothing phased into a year with a capacity
		}
		c := v1alpha1.YearCommitment{
			Year: y, Committed: money.Amount(committed),
			Display: v1alpha1.MoneyDisplay{Committed: amountText(shown, currency), Capacity: amountText(limit, currency)},
		}
		if limit != nil {
			over := committed != nil && committed.Cmp(limit) > 0
			c.OverCommitted = &over
		}
		out = append(out, c)
	}
	return out
}
