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
	"p3o.dev/p3o-operator/internal/rollup"
)

// projectObservation is what the Project reconciler fetched.
type projectObservation struct {
	resolutions []hierarchy.Resolution
	// office is the governing Office, nil while unknown.
	office *v1alpha1.Office
	// officeKey is its "namespace/name".
	officeKey string
	now       time.Time
}

// setProjectStatus computes a Project's status. It returns when health
// should be looked at again (when the latest report turns stale), or zero.
func setProjectStatus(p *v1alpha1.Project, obs projectObservation) time.Time {
	setParentResolved(p, obs.resolutions)
	p.Status.Office = obs.officeKey
	p.Status.Currency = currencyOf(obs.office)

	policy := health.DefaultPolicy
	if obs.office != nil {
		policy = health.PolicyOf(obs.office.Spec.Governance)
	}
	assessment := health.Assess(p.Spec, policy, obs.now)
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
	return assessment.StaleAt
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
