/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"fmt"
	"time"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/rollup"
	"p3o.dev/p3o-operator/internal/shorten"
)

// Outcome is what a status computation asks of its reconciler.
type Outcome struct {
	// RecheckAt is when the object should be looked at again because its
	// status changes with time alone (a report turns stale, a review
	// expires, a gate falls due); zero when never.
	RecheckAt time.Time
	// Events are the transitions to record on the object.
	Events []Event
}

// SetProject computes a Project's status from what governs it.
func SetProject(p *v1alpha1.Project, facts governance.Facts, rules *policy.Rules, now time.Time) Outcome {
	before := p.Status.DeepCopy()
	beforeObj := &v1alpha1.Project{Status: *before}
	p.Status.Office, p.Status.HeldTo, p.Status.Currency = resolveGovernance(p, facts, p.Spec.Currency, p.Status.Currency)

	comp, res := compliance(p, facts, rules, p.Status.Compliance, now)
	p.Status.Compliance = comp

	thresholds := facts.HealthPolicy()
	assessment := health.Assess(p.Spec, thresholds, now)
	lowerForCompliance(&assessment, res)
	lowerForConfidence(&assessment, facts.Reviews, now)
	benefitsRecheck := lowerForBenefits(&assessment, p.Spec.Benefits, p.Spec.Tolerances.BenefitsPercent, now)
	setBenefitsLinked(p, facts.Programme)
	p.Status.DeliveryConfidence = latestConfidence(facts.Reviews, now)
	deps, depEvents, depRecheck := dependencies(p, facts.Dependencies, p.Status.Dependencies, &assessment, now)
	p.Status.Dependencies = deps
	p.Status.Health = assessment.Overall
	p.Status.DerivedHealth = assessment.Derived
	p.Status.HealthReasons = boundedReasons(assessment.Reasons)
	p.Status.ToleranceExceptions = fittedExceptions(assessment.Exceptions)
	p.Status.Reporting = assessment.Reporting
	p.Status.Risks = rollup.Risks(p.Spec.Risks, thresholds.HighRiskSeverity)
	p.Status.CostVariance = ""
	if p.Spec.Progress != nil && p.Spec.Progress.ForecastCost != nil {
		p.Status.CostVariance = money.Amount(money.Sub(money.Of(p.Spec.Progress.ForecastCost), money.Of(p.Spec.Plan.Budget)))
	}
	p.Status.Display = v1alpha1.MoneyDisplay{
		Budget: amountText(money.Of(p.Spec.Plan.Budget), p.Status.Currency), Forecast: amountText(money.Of(p.Forecast()), p.Status.Currency)}

	var programme string
	if p.Spec.ProgrammeRef != nil {
		programme = string(p.Spec.ProgrammeRef.Name)
	}
	p.Status.Score = setStrategyAligned(p, facts.Portfolio, programme, p.Spec.Category, p.Spec.Contributions)

	p.Status.ObservedGeneration = p.Generation
	events := transitions(beforeObj, p, before.Health, p.Status.Health, firstReason(p.Status.HealthReasons))
	events = append(events, gateTransitions(before.Compliance, p.Status.Compliance)...)
	events = append(events, depEvents...)
	return Outcome{RecheckAt: earliest(earliest(earliest(assessment.StaleAt, res.RecheckAt), depRecheck), benefitsRecheck), Events: events}
}

// lowerForCompliance lowers health for unmet gates.
func lowerForCompliance(a *health.Assessment, res policy.Result) {
	switch n := len(res.Unmet); {
	case n == 1:
		a.Lower(v1alpha1.HealthAmber, "gate unmet: "+res.Unmet[0])
	case n > 1:
		a.Lower(v1alpha1.HealthAmber, fmt.Sprintf("%d gates unmet: %s", n, res.Unmet[0]))
	}
}

// latestConfidence is the Delivery Confidence of the latest review with
// findings, dated now or earlier; on a tie of dates, the later gate's.
func latestConfidence(reviews []policy.Review, now time.Time) v1alpha1.DeliveryConfidence {
	var latest *policy.Review
	for _, r := range policy.LatestReviews(reviews, now) {
		if r.Confidence == "" {
			continue
		}
		if latest == nil || !r.Date.Before(latest.Date) {
			latest = &r
		}
	}
	if latest == nil {
		return ""
	}
	return latest.Confidence
}

// lowerForConfidence lowers health by the Delivery Confidence of the latest
// review of each gate (policy.ConfidenceHealth).
func lowerForConfidence(a *health.Assessment, reviews []policy.Review, now time.Time) {
	for _, r := range policy.LatestReviews(reviews, now) {
		if h, ok := policy.ConfidenceHealth[r.Confidence]; ok {
			a.Lower(h, fmt.Sprintf("Gate %d review of %s gave Delivery Confidence %s", r.Gate, r.Date.UTC().Format(time.DateOnly), r.Confidence))
		}
	}
}

// fittedExceptions shortens the exceptions' messages to the bound of their
// field: a long list of threats shows cut, never refused.
func fittedExceptions(exceptions []v1alpha1.ToleranceException) []v1alpha1.ToleranceException {
	for i := range exceptions {
		exceptions[i].Message = shorten.To(exceptions[i].Message, v1alpha1.ToleranceExceptionMessageMaxLength)
	}
	return exceptions
}
