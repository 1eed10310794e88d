/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/rollup"
)

// The status of the kinds that roll up their children. Pure: the
// reconcilers fetch, these functions compute.

// Condition type and reasons of a rollup.
const (
	// ConditionRolledUp is True when every admitted child was added up.
	ConditionRolledUp = "RolledUp"
	// ReasonAggregated: the children were added up.
	ReasonAggregated = "Aggregated"
	// ReasonNoChildren: nothing references the object yet.
	ReasonNoChildren = "NoChildren"
	// ReasonMixedCurrency: some children's amounts are in another currency
	// and were left out of the totals.
	ReasonMixedCurrency = "MixedCurrency"
)

// governance is the governing Office as an observation: its key, the
// object (nil while unknown), and what follows from it.
type governance struct {
	officeKey string
	office    *v1alpha1.Office
	// effective is the office's effective policy (its hub's and its own).
	effective *policy.Policy
}

func (g governance) policy() health.Policy {
	if g.effective == nil {
		return health.DefaultPolicy
	}
	return g.effective.Health
}

// currency is the governing Office's currency; the default while unknown.
func (g governance) currency() v1alpha1.Currency {
	if c := currencyOf(g.office); c != "" {
		return c
	}
	return v1alpha1.DefaultCurrency
}

// summarise sets Ready from the given conditions and, when reports are
// published, ReportPublished.
func summarise(obj conditions.Object, dependsOn ...string) {
	if conditions.Get(obj, v1alpha1.ConditionReportPublished) != nil {
		dependsOn = append(dependsOn, v1alpha1.ConditionReportPublished)
	}
	conditions.SetSummary(obj, false, dependsOn...)
}

// setRolledUp records how the rollup went.
func setRolledUp(obj conditions.Object, res rollup.Result, counted int, what string) {
	switch {
	case res.MixedCurrency != nil:
		conditions.Set(obj, ConditionRolledUp, metav1.ConditionFalse, ReasonMixedCurrency, res.MixedCurrency.Error())
	case counted == 0:
		conditions.Set(obj, ConditionRolledUp, metav1.ConditionTrue, ReasonNoChildren, "no "+what+" attached yet")
	default:
		conditions.Set(obj, ConditionRolledUp, metav1.ConditionTrue, ReasonAggregated, fmt.Sprintf("rolled up %d %s", counted, what))
	}
}

// causeReason summarises the causes of a rollup's health in one line.
func causeReason(r v1alpha1.Rollup) string {
	if len(r.Causes) == 0 || (r.Health != v1alpha1.HealthRed && r.Health != v1alpha1.HealthAmber) {
		return ""
	}
	names := make([]string, 0, len(r.Causes))
	for _, c := range r.Causes {
		names = append(names, strings.ToLower(string(c.Kind))+" "+c.Name)
	}
	n := int(r.ByHealth.Amber)
	if r.Health == v1alpha1.HealthRed {
		n = int(r.ByHealth.Red)
	}
	more := ""
	if n > len(names) {
		more = fmt.Sprintf(" and %d more", n-len(names))
	}
	return fmt.Sprintf("%s: %s%s", r.Health, strings.Join(names, ", "), more)
}

// projectItem is a Project as its parent's rollup counts it. A project that
// has not reported a forecast counts its budget as its forecast.
func projectItem(p *v1alpha1.Project) rollup.Project {
	item := rollup.Project{
		Namespace: p.Namespace, Name: p.Name, Phase: p.Spec.Phase,
		Health: p.Status.Health, Reason: firstReason(p.Status.HealthReasons),
		Currency: p.Status.Currency,
		Budget:   money.Of(&p.Spec.Plan.Budget), ForecastCost: money.Of(&p.Spec.Plan.Budget),
		Benefits: p.Spec.Benefits, Risks: p.Status.Risks,
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
		if pr.ForecastCost != nil {
			item.ForecastCost = money.Of(pr.ForecastCost)
		}
	}
	return item
}

// programmeObservation is what the Programme reconciler fetched.
type programmeObservation struct {
	resolutions []hierarchy.Resolution
	governance
	// projects are the admitted projects; refused counts the others.
	projects []*v1alpha1.Project
	refused  int
	reviews  []policy.Review
	rules    *policy.Rules
	now      time.Time
}

// setProgrammeStatus computes a Programme's status and returns when it
// should be looked at again (a review expires), or zero.
func setProgrammeStatus(p *v1alpha1.Programme, obs programmeObservation) time.Time {
	setParentResolved(p, obs.resolutions)
	p.Status.Office = obs.officeKey

	compliance, comp := evaluateCompliance(obs.effective, obs.rules, complianceInput{
		kind: v1alpha1.SubjectKindProgramme, phase: string(p.Spec.Phase), object: p, reviews: obs.reviews, previous: p.Status.Compliance,
	}, obs.now)
	p.Status.Compliance = compliance
	setCompliant(p, obs.effective != nil, comp)

	b := rollup.New(obs.currency())
	for _, pr := range obs.projects {
		b.AddProject(projectItem(pr))
	}
	for range obs.refused {
		b.Refuse()
	}
	res := b.Build()
	p.Status.Rollup = res.Rollup
	setRolledUp(p, res, len(obs.projects), "projects")

	thresholds := obs.policy()
	p.Status.Risks = rollup.Risks(p.Spec.Risks, thresholds.HighRiskSeverity)
	own, ownReason := health.AssessRisks(p.Spec.Risks, thresholds)
	assessment := health.Assessment{Derived: own, Overall: own}
	if ownReason != "" {
		assessment.Reasons = []string{ownReason}
	}
	lowerForCompliance(&assessment, comp)
	p.Status.Health = health.Worse(assessment.Overall, res.Rollup.Health)
	p.Status.HealthReasons = nil
	if r := causeReason(res.Rollup); r != "" {
		p.Status.HealthReasons = append(p.Status.HealthReasons, projectsReasonPrefix+r)
	}
	p.Status.HealthReasons = boundedReasons(append(p.Status.HealthReasons, assessment.Reasons...))

	conditions.SetSummary(p, false, v1alpha1.ConditionParentResolved, ConditionRolledUp)
	p.Status.ObservedGeneration = p.Generation
	return comp.RecheckAt
}

// projectsReasonPrefix starts the reason a programme gives for its projects;
// its other reasons (risks, gates) are its own.
const projectsReasonPrefix = "projects "

// programmeItem is a Programme as its portfolio's rollup counts it. Its own
// health is what its own reasons give (Amber at most: risks and gates), as
// the programme assessed them under its own office's thresholds.
func programmeItem(p *v1alpha1.Programme) rollup.Programme {
	own, ownReason := v1alpha1.HealthGreen, ""
	for _, r := range p.Status.HealthReasons {
		if !strings.HasPrefix(r, projectsReasonPrefix) {
			own, ownReason = v1alpha1.HealthAmber, r
			break
		}
	}
	item := rollup.Programme{
		Namespace: p.Namespace, Name: p.Name, Phase: p.Spec.Phase,
		Health: p.Status.Health, OwnHealth: own, OwnReason: ownReason,
		Currency: p.Status.Rollup.Money.Currency,
		Budget:   money.Of(p.Spec.Budget), Benefits: p.Spec.Benefits,
		Risks: p.Status.Risks, Rollup: p.Status.Rollup,
		Compliance: complianceCounts(p),
	}
	if item.Phase == "" {
		item.Phase = v1alpha1.ProgrammeIdentifying
	}
	if item.Health == "" {
		item.Health = v1alpha1.HealthUnknown
	}
	return item
}

// portfolioObservation is what the Portfolio reconciler fetched.
type portfolioObservation struct {
	resolutions []hierarchy.Resolution
	governance
	programmes []*v1alpha1.Programme
	projects   []*v1alpha1.Project
	refused    int
}

func setPortfolioStatus(p *v1alpha1.Portfolio, obs portfolioObservation) {
	setParentResolved(p, obs.resolutions)
	p.Status.Office = obs.officeKey

	b := rollup.New(obs.currency())
	for _, prog := range obs.programmes {
		b.AddProgramme(programmeItem(prog))
	}
	for _, pr := range obs.projects {
		b.AddProject(projectItem(pr))
	}
	for range obs.refused {
		b.Refuse()
	}
	res := b.Build()
	p.Status.Rollup = res.Rollup
	p.Status.Committed = money.Quantity(res.Committed)
	p.Status.OverCommitted = p.Spec.Capacity != nil && res.Committed != nil && res.Committed.Cmp(money.Of(p.Spec.Capacity)) > 0
	setRolledUp(p, res, len(obs.programmes)+len(obs.projects), "programmes and projects")

	conditions.SetSummary(p, false, v1alpha1.ConditionParentResolved, ConditionRolledUp)
	p.Status.ObservedGeneration = p.Generation
}

// officeObservation is what the Office reconciler fetched.
type officeObservation struct {
	resolutions []hierarchy.Resolution
	// supportedPhase is the phase of the resolved supported object, if any.
	supportedPhase string
	// hub is the root of the office's hub chain; hubLoop describes a chain
	// that loops instead.
	hub, hubLoop string
	// policy is the office's effective policy; ruleErrors describe its
	// rules that do not compile.
	policy     policy.Policy
	ruleErrors []string
	portfolios []*v1alpha1.Portfolio
	satellites []*v1alpha1.Office
	refused    int
}

func setOfficeStatus(o *v1alpha1.Office, obs officeObservation) {
	setParentResolved(o, obs.resolutions)
	if obs.hubLoop != "" {
		conditions.Set(o, v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonHubLoop, obs.hubLoop)
	}
	o.Status.Hub = obs.hub
	setRetired(o, obs)
	setPolicyValid(o, obs)

	b := rollup.New(governance{office: o}.currency())
	for _, p := range obs.portfolios {
		b.AddPortfolio(p.Status.Rollup, money.Of(p.Status.Committed))
	}
	for _, s := range obs.satellites {
		b.AddSatellite(s.Status.Rollup, nil)
	}
	for range obs.refused {
		b.Refuse()
	}
	res := b.Build()
	o.Status.Rollup = res.Rollup
	setRolledUp(o, res, len(obs.portfolios)+len(obs.satellites), "portfolios and satellite offices")

	conditions.SetSummary(o, false, v1alpha1.ConditionParentResolved, v1alpha1.ConditionPolicyValid, ConditionRolledUp)
	o.Status.ObservedGeneration = o.Generation
}

// setPolicyValid records the office's effective policy and whether it is
// usable as written.
func setPolicyValid(o *v1alpha1.Office, obs officeObservation) {
	o.Status.Enforcement = obs.policy.Enforcement
	o.Status.Gates = obs.policy.Names()
	o.Status.PolicyDigest = digest(obs.policy)
	switch {
	case len(obs.ruleErrors) > 0:
		conditions.Set(o, v1alpha1.ConditionPolicyValid, metav1.ConditionFalse, v1alpha1.ReasonInvalidRule, truncate(strings.Join(obs.ruleErrors, "; ")))
	case len(obs.policy.Ignored) > 0:
		conditions.Set(o, v1alpha1.ConditionPolicyValid, metav1.ConditionTrue, v1alpha1.ReasonLooserSettingsIgnored,
			truncate("the hub's settings apply instead of: "+strings.Join(obs.policy.Ignored, "; ")))
	default:
		conditions.Set(o, v1alpha1.ConditionPolicyValid, metav1.ConditionTrue, v1alpha1.ReasonPolicyValid,
			fmt.Sprintf("%d gates, enforcement %s", len(obs.policy.Gates), obs.policy.Enforcement))
	}
}
