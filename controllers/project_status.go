/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"time"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/rollup"
)

// projectObservation is what the Project reconciler fetched.
type projectObservation struct {
	resolutions []hierarchy.Resolution
	governance
	reviews []policy.Review
	rules   *policy.Rules
	now     time.Time
}

// setProjectStatus computes a Project's status. It returns when it should be
// looked at again (a report turns stale, a review expires, a gate falls
// due), or zero.
func setProjectStatus(p *v1alpha1.Project, obs projectObservation) time.Time {
	setParentResolved(p, obs.resolutions)
	p.Status.Office = obs.officeKey
	p.Status.Currency = currencyOf(obs.office)

	compliance, res := evaluateCompliance(obs.effective, obs.rules, complianceInput{
		kind: v1alpha1.SubjectKindProject, phase: string(p.Spec.Phase), object: p, reviews: obs.reviews, previous: p.Status.Compliance,
	}, obs.now)
	p.Status.Compliance = compliance
	setCompliant(p, obs.effective != nil, res)

	policy := obs.policy()
	assessment := health.Assess(p.Spec, policy, obs.now)
	lowerForCompliance(&assessment, res)
	p.Status.Health = assessment.Overall
	p.Status.DerivedHealth = assessment.Derived
	p.Status.HealthReasons = boundedReasons(assessment.Reasons)
	p.Status.Risks = rollup.Risks(p.Spec.Risks, policy.HighRiskSeverity)
	p.Status.CostVariance = nil
	if p.Spec.Progress != nil && p.Spec.Progress.ForecastCost != nil {
		p.Status.CostVariance = money.Quantity(money.Sub(money.Of(p.Spec.Progress.ForecastCost), money.Of(&p.Spec.Plan.Budget)))
	}

	conditions.SetSummary(p, false, v1alpha1.ConditionParentResolved)
	p.Status.ObservedGeneration = p.Generation
	return earliest(assessment.StaleAt, res.RecheckAt)
}

// boundedReasons keeps at most the 16 reasons status allows.
func boundedReasons(reasons []string) []string {
	if len(reasons) > 16 {
		return reasons[:16]
	}
	return reasons
}

// firstReason is the first health reason, or "".
func firstReason(reasons []string) string {
	if len(reasons) == 0 {
		return ""
	}
	return reasons[0]
}
