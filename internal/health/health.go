/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package health derives a Project's RAG status by PRINCE2 management by
// exception: forecasts against the plan and its tolerances, open high risks,
// stale reporting and the project manager's own rating. Every rule that
// lowers health leaves a reason a person can read. It is pure: the clock is
// an argument.
package health

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// Policy holds the thresholds of the governing Office.
type Policy struct {
	// WarningPercent is the share of a tolerance that turns health Amber.
	WarningPercent int32
	// HighRiskSeverity is the severity from which an open risk is high.
	HighRiskSeverity int32
	// ReportingCadence is how old a progress report may be.
	ReportingCadence time.Duration
}

// DefaultPolicy is the policy of an Office that sets no thresholds, and of
// a Project whose Office is not known (yet).
var DefaultPolicy = Policy{WarningPercent: 75, HighRiskSeverity: 15, ReportingCadence: 28 * 24 * time.Hour}

// Rank orders health from best to worst: Green < Amber < Red. Unknown ranks
// below Green so that it never hides a known problem.
func Rank(h v1alpha1.Health) int {
	switch h {
	case v1alpha1.HealthGreen:
		return 1
	case v1alpha1.HealthAmber:
		return 2
	case v1alpha1.HealthRed:
		return 3
	}
	return 0
}

// Worse returns the worse of two healths.
func Worse(a, b v1alpha1.Health) v1alpha1.Health {
	if Rank(b) > Rank(a) {
		return b
	}
	return a
}

// Assessment is the health of one Project.
type Assessment struct {
	// Derived is the health the rules give.
	Derived v1alpha1.Health
	// Overall is the worse of Derived and the declared RAG.
	Overall v1alpha1.Health
	// Reasons say, worst first, what lowers health.
	Reasons []string
	// StaleAt is when the latest progress report becomes stale (zero when
	// that does not apply), so that the caller can look again then.
	StaleAt time.Time
}

// Lower lowers the assessment for a reason found outside this package, such
// as unmet compliance gates.
func (a *Assessment) Lower(h v1alpha1.Health, reason string) {
	a.Derived = Worse(a.Derived, h)
	a.Overall = Worse(a.Overall, h)
	a.Reasons = append(a.Reasons, reason)
}

// finding is one rule's verdict.
type finding struct {
	health v1alpha1.Health
	reason string
}

// Assess derives the health of a Project at time now.
func Assess(spec v1alpha1.ProjectSpec, p Policy, now time.Time) Assessment {
	var findings []finding
	findings = append(findings, costFindings(spec, p)...)
	findings = append(findings, timeFindings(spec, p)...)
	findings = append(findings, riskFindings(spec.Risks, p)...)
	stale, staleAt := reportingFindings(spec, p, now)
	findings = append(findings, stale...)

	a := Assessment{Derived: v1alpha1.HealthGreen, StaleAt: staleAt}
	for _, f := range findings {
		a.Derived = Worse(a.Derived, f.health)
	}
	a.Overall = a.Derived
	if declared := v1alpha1.Health(spec.DeclaredRAG); Rank(declared) > Rank(a.Derived) {
		a.Overall = declared
		findings = append(findings, finding{declared, fmt.Sprintf("the project manager declares %s", declared)})
	}
	sort.SliceStable(findings, func(i, j int) bool { return Rank(findings[i].health) > Rank(findings[j].health) })
	for _, f := range findings {
		a.Reasons = append(a.Reasons, f.reason)
	}
	return a
}

// costFindings compares the cost forecast with the budget and its tolerance.
func costFindings(spec v1alpha1.ProjectSpec, p Policy) []finding {
	if spec.Progress == nil || spec.Progress.ForecastCost == nil || spec.Plan.Budget == nil {
		return nil
	}
	budget := money.Of(spec.Plan.Budget)
	forecast := money.Of(spec.Progress.ForecastCost)
	overrun := money.Sub(forecast, budget)
	if overrun.Sign() <= 0 {
		return nil
	}
	pct := int32(10)
	if spec.Tolerances.CostPercent != nil {
		pct = *spec.Tolerances.CostPercent
	}
	tolerance := money.Percent(budget, pct)
	if overrun.Cmp(tolerance) > 0 {
		return []finding{{v1alpha1.HealthRed, fmt.Sprintf("cost forecast %s exceeds budget %s beyond %d%% tolerance (overrun %s)",
			money.Format(forecast), money.Format(budget), pct, money.Format(overrun))}}
	}
	used := money.Ratio(overrun, tolerance)
	if used >= int64(p.WarningPercent) {
		return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("cost forecast %s uses %d%% of the %d%% tolerance on budget %s",
			money.Format(forecast), used, pct, money.Format(budget))}}
	}
	return nil
}

// timeFindings compares the forecast end with the planned end and its
// tolerance.
func timeFindings(spec v1alpha1.ProjectSpec, p Policy) []finding {
	if spec.Progress == nil || spec.Progress.ForecastEnd == "" || spec.Plan.End == "" {
		return nil
	}
	planned, err1 := spec.Plan.End.Time()
	forecast, err2 := spec.Progress.ForecastEnd.Time()
	if err1 != nil || err2 != nil {
		return nil
	}
	slip := forecast.Sub(planned)
	if slip <= 0 {
		return nil
	}
	toleranceText := spec.Tolerances.Time
	if toleranceText == "" {
		toleranceText = "4w"
	}
	tolerance, err := toleranceText.Duration()
	if err != nil {
		return nil
	}
	if slip > tolerance {
		return []finding{{v1alpha1.HealthRed, fmt.Sprintf("forecast end %s is %s after planned end %s, beyond the %s time tolerance",
			spec.Progress.ForecastEnd, days(slip), spec.Plan.End, toleranceText)}}
	}
	if int64(slip)*100 >= int64(tolerance)*int64(p.WarningPercent) {
		return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("forecast end %s uses %d%% of the %s time tolerance after planned end %s",
			spec.Progress.ForecastEnd, int64(slip)*100/int64(tolerance), toleranceText, spec.Plan.End)}}
	}
	return nil
}

// AssessRisks gives the health a risk register alone gives (a Programme's
// own register, say) and its reason.
func AssessRisks(risks []v1alpha1.Risk, p Policy) (v1alpha1.Health, string) {
	if f := riskFindings(risks, p); len(f) > 0 {
		return f[0].health, f[0].reason
	}
	return v1alpha1.HealthGreen, ""
}

// riskFindings flags open risks at or above the high-risk severity.
func riskFindings(risks []v1alpha1.Risk, p Policy) []finding {
	var high []string
	for _, r := range risks {
		if r.Status != v1alpha1.RiskClosed && r.Severity() >= p.HighRiskSeverity {
			high = append(high, fmt.Sprintf("%s (%d)", r.Name, r.Severity()))
		}
	}
	if len(high) == 0 {
		return nil
	}
	noun := "risk"
	if len(high) > 1 {
		noun = "risks"
	}
	return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("%d open %s at or above severity %d: %s",
		len(high), noun, p.HighRiskSeverity, strings.Join(high, ", "))}}
}

// reportingFindings flags a missing or stale progress report. Projects that
// are starting up or closed are not expected to report.
func reportingFindings(spec v1alpha1.ProjectSpec, p Policy, now time.Time) ([]finding, time.Time) {
	switch spec.Phase {
	case v1alpha1.ProjectStartingUp, v1alpha1.ProjectClosed, "":
		return nil, time.Time{}
	}
	if spec.Progress == nil {
		return []finding{{v1alpha1.HealthAmber, "no progress reported"}}, time.Time{}
	}
	asOf, err := spec.Progress.AsOf.Time()
	if err != nil {
		return nil, time.Time{}
	}
	staleAt := asOf.Add(p.ReportingCadence)
	if now.Before(staleAt) {
		return nil, staleAt
	}
	return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("last progress report of %s is %s old, beyond the %s reporting cadence",
		spec.Progress.AsOf, days(now.Sub(asOf)), days(p.ReportingCadence))}}, time.Time{}
}

// days writes a duration as whole days ("69d"), or weeks when exact ("4w").
func days(d time.Duration) string {
	n := int64(d / (24 * time.Hour))
	if n > 0 && n%7 == 0 {
		return fmt.Sprintf("%dw", n/7)
	}
	return fmt.Sprintf("%dd", n)
}
