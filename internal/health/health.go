/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package health derives a Project's RAG status by PRINCE2 management by
// exception: forecasts against the plan and its tolerances both ways (a
// forecast beyond tolerance is an exception, each of its kind), open high
// threats, stale reporting and the project manager's own rating. Every rule that
// lowers health leaves a reason a person can read. It is pure: the clock is
// an argument.
package health

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
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
	// UnderrunHealth is the health an underspend or early finish beyond
	// tolerance gives: Green shows the exception without lowering health.
	UnderrunHealth v1alpha1.Health
}

// DefaultPolicy is the policy of an Office that sets no thresholds, and of
// a Project whose Office is not known (yet).
var DefaultPolicy = Policy{WarningPercent: 75, HighRiskSeverity: 15, ReportingCadence: 28 * 24 * time.Hour, UnderrunHealth: v1alpha1.HealthGreen}

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
	// Exceptions are the forecasts beyond tolerance, each of its kind, in
	// the order cost, time, risk, scope, quality (a benefit's, found
	// outside this package, after them); an underrun whose health
	// is Green is listed here but lowers nothing.
	Exceptions []v1alpha1.ToleranceException
	// Reporting says whether progress reporting keeps the cadence.
	Reporting v1alpha1.ReportingState
	// StaleAt is when the reporting verdict changes next, so that the caller
	// can look again then: when the latest progress report becomes stale,
	// or, for a report dated ahead, when its date arrives. Zero when
	// neither applies.
	StaleAt time.Time
}

// Lower lowers the assessment for a reason found outside this package, such
// as unmet compliance gates.
func (a *Assessment) Lower(h v1alpha1.Health, reason string) {
	a.Derived = Worse(a.Derived, h)
	a.Overall = Worse(a.Overall, h)
	a.Reasons = append(a.Reasons, reason)
}

// finding is one rule's verdict. A finding with an exception kind is a
// forecast beyond tolerance; one of health Green lowers nothing and gives
// no reason.
type finding struct {
	health    v1alpha1.Health
	reason    string
	exception v1alpha1.ToleranceExceptionKind
}

// Assess derives the health of a Project at time now.
func Assess(spec v1alpha1.ProjectSpec, p Policy, now time.Time) Assessment {
	var findings []finding
	findings = append(findings, costFindings(spec, p)...)
	findings = append(findings, timeFindings(spec, p)...)
	findings = append(findings, riskFindings(spec.Risks, p)...)
	findings = append(findings, riskToleranceFindings(spec, p)...)
	findings = append(findings, declaredFindings(spec.Tolerances)...)
	stale, staleAt := reportingFindings(spec, p, now)
	findings = append(findings, stale...)

	a := Assessment{Derived: v1alpha1.HealthGreen, Reporting: reporting(spec, p, now), StaleAt: staleAt}
	for _, f := range findings {
		a.Derived = Worse(a.Derived, f.health)
		if f.exception != "" {
			a.Exceptions = append(a.Exceptions, v1alpha1.ToleranceException{Kind: f.exception, Health: f.health, Message: f.reason})
		}
	}
	findings = slices.DeleteFunc(findings, func(f finding) bool { return f.health == v1alpha1.HealthGreen })
	a.Overall = a.Derived
	if declared := v1alpha1.Health(spec.DeclaredRAG); Rank(declared) > Rank(a.Derived) {
		a.Overall = declared
		findings = append(findings, finding{declared, fmt.Sprintf("the project manager declares %s", declared), ""})
	}
	sort.SliceStable(findings, func(i, j int) bool { return Rank(findings[i].health) > Rank(findings[j].health) })
	for _, f := range findings {
		a.Reasons = append(a.Reasons, f.reason)
	}
	return a
}

// costFindings compares the cost forecast with the budget and its
// tolerance, both ways: above the budget an overrun (Red beyond the
// tolerance, Amber from the warning share of it), below it an underspend
// (beyond the tolerance an exception of the Office's underrun health).
func costFindings(spec v1alpha1.ProjectSpec, p Policy) []finding {
	if spec.Progress == nil || spec.Progress.ForecastCost == nil || spec.Plan.Budget == nil {
		return nil
	}
	budget := money.Of(spec.Plan.Budget)
	forecast := money.Of(spec.Progress.ForecastCost)
	pct := int32(10)
	if spec.Tolerances.CostPercent != nil {
		pct = *spec.Tolerances.CostPercent
	}
	tolerance := money.Percent(budget, pct)
	if underspend := money.Sub(budget, forecast); underspend.Cmp(tolerance) > 0 {
		return []finding{{underrun(p), fmt.Sprintf("cost forecast %s is below budget %s beyond the %d%% tolerance (underspend %s)",
			money.Format(forecast), money.Format(budget), pct, money.Format(underspend)), v1alpha1.ExceptionUnderspend}}
	}
	overrun := money.Sub(forecast, budget)
	if overrun.Sign() <= 0 {
		return nil
	}
	if overrun.Cmp(tolerance) > 0 {
		return []finding{{v1alpha1.HealthRed, fmt.Sprintf("cost forecast %s exceeds budget %s beyond %d%% tolerance (overrun %s)",
			money.Format(forecast), money.Format(budget), pct, money.Format(overrun)), v1alpha1.ExceptionCostOverrun}}
	}
	used := money.Ratio(overrun, tolerance)
	if used >= int64(p.WarningPercent) {
		return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("cost forecast %s uses %d%% of the %d%% tolerance on budget %s",
			money.Format(forecast), used, pct, money.Format(budget)), ""}}
	}
	return nil
}

// underrun is the health the Office gives an underspend or early finish
// beyond tolerance (Green when it sets none).
func underrun(p Policy) v1alpha1.Health {
	if p.UnderrunHealth == "" {
		return v1alpha1.HealthGreen
	}
	return p.UnderrunHealth
}

// timeFindings compares the forecast end with the planned end and its
// tolerance, both ways: after it a slip (Red beyond the tolerance, Amber
// from the warning share), before it an early finish (beyond the tolerance
// an exception of the Office's underrun health). The arithmetic is in
// whole seconds: two dates of years 0000–9999 are at most 3.2e11 s apart
// and a tolerance is at most 9999w (6.1e9 s), so nothing overflows, where a
// time.Duration would saturate at 292 years and a product of nanoseconds
// would wrap from 204w on.
func timeFindings(spec v1alpha1.ProjectSpec, p Policy) []finding {
	if spec.Progress == nil || spec.Progress.ForecastEnd == "" || spec.Plan.End == "" {
		return nil
	}
	planned, err1 := spec.Plan.End.Time()
	forecast, err2 := spec.Progress.ForecastEnd.Time()
	if err1 != nil || err2 != nil {
		return nil
	}
	toleranceText := spec.Tolerances.Time
	if toleranceText == "" {
		toleranceText = "4w"
	}
	tolerance, ok := duration(toleranceText)
	if !ok {
		return nil
	}
	slip := forecast.Unix() - planned.Unix()
	switch {
	case -slip > tolerance:
		return []finding{{underrun(p), fmt.Sprintf("forecast end %s is %s before planned end %s, beyond the %s time tolerance",
			spec.Progress.ForecastEnd, days(-slip), spec.Plan.End, toleranceText), v1alpha1.ExceptionEarlyFinish}}
	case slip <= 0:
		return nil
	case slip > tolerance:
		return []finding{{v1alpha1.HealthRed, fmt.Sprintf("forecast end %s is %s after planned end %s, beyond the %s time tolerance",
			spec.Progress.ForecastEnd, days(slip), spec.Plan.End, toleranceText), v1alpha1.ExceptionLateFinish}}
	}
	if used := percentOf(slip, tolerance); used >= int64(p.WarningPercent) {
		return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("forecast end %s uses %d%% of the %s time tolerance after planned end %s",
			spec.Progress.ForecastEnd, used, toleranceText, spec.Plan.End), ""}}
	}
	return nil
}

// duration gives a time tolerance in whole seconds when it is valid as the
// API admits it (^(0|[1-9][0-9]{0,3})(h|d|w)$, so at most 9999w, and 0 is
// a zero tolerance); anything else, which the API server refuses, is not
// used (v1alpha1.Duration.Duration would wrap beyond 15250w).
func duration(d v1alpha1.ToleranceDuration) (int64, bool) {
	s := string(d)
	if len(s) < 2 || len(s) > 5 || s[0] < '0' || s[0] > '9' || (s[0] == '0' && len(s) != 2) {
		return 0, false
	}
	var n int64
	for _, c := range []byte(s[:len(s)-1]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	switch s[len(s)-1] {
	case 'h':
		return n * 3600, true
	case 'd':
		return n * 24 * 3600, true
	case 'w':
		return n * 7 * 24 * 3600, true
	}
	return 0, false
}

// percentOf is ⌊part × 100 / whole⌋ for part ≥ 0 and whole > 0, computed
// in 128 bits so that it never overflows (it saturates at MaxInt64).
// Comparing it with a whole percentage w is exact: ⌊x⌋ ≥ w ⟺ x ≥ w.
func percentOf(part, whole int64) int64 {
	hi, lo := bits.Mul64(uint64(part), 100)
	if hi >= uint64(whole) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(whole))
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(q)
}

// AssessRisks gives the health a risk register alone gives (a Programme's
// own register, say) and its reason.
func AssessRisks(risks []v1alpha1.Risk, p Policy) (v1alpha1.Health, string) {
	if f := riskFindings(risks, p); len(f) > 0 {
		return f[0].health, f[0].reason
	}
	return v1alpha1.HealthGreen, ""
}

// riskFindings flags open threats at or above the high-risk severity;
// opportunities never lower health.
func riskFindings(risks []v1alpha1.Risk, p Policy) []finding {
	var high []string
	for _, r := range risks {
		// In int64: probability × impact cannot overflow, valid (1–5) or not.
		if severity := int64(r.Probability) * int64(r.Impact); r.IsOpenThreat() && severity >= int64(p.HighRiskSeverity) {
			high = append(high, fmt.Sprintf("%s (%d)", r.Name, severity))
		}
	}
	if len(high) == 0 {
		return nil
	}
	noun := "threat"
	if len(high) > 1 {
		noun = "threats"
	}
	return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("%d open %s at or above severity %d: %s",
		len(high), noun, p.HighRiskSeverity, strings.Join(high, ", ")), ""}}
}

// riskToleranceFindings compares the open threats with the project's risk
// tolerances: their total exposure with tolerances.riskExposure, and each
// one's severity with tolerances.riskSeverity. Beyond either is an
// exception (Red).
func riskToleranceFindings(spec v1alpha1.ProjectSpec, _ Policy) []finding {
	t := spec.Tolerances
	if t.RiskExposure == nil && t.RiskSeverity == 0 {
		return nil
	}
	var exposure int64
	var above []string
	for _, r := range spec.Risks {
		if !r.IsOpenThreat() {
			continue
		}
		severity := int64(r.Probability) * int64(r.Impact)
		exposure += severity
		if t.RiskSeverity != 0 && severity > int64(t.RiskSeverity) {
			above = append(above, fmt.Sprintf("%s (%d)", r.Name, severity))
		}
	}
	var out []finding
	if t.RiskExposure != nil && exposure > int64(*t.RiskExposure) {
		out = append(out, finding{v1alpha1.HealthRed, fmt.Sprintf("open threat exposure %d is beyond the risk tolerance of %d",
			exposure, *t.RiskExposure), v1alpha1.ExceptionRiskExposure})
	}
	if len(above) > 0 {
		out = append(out, finding{v1alpha1.HealthRed, fmt.Sprintf("%s beyond the risk severity tolerance of %d: %s",
			words(len(above), "open threat is", "open threats are"), t.RiskSeverity, strings.Join(above, ", ")), v1alpha1.ExceptionRiskSeverity})
	}
	return out
}

// declaredFindings are the scope and quality exceptions the project
// manager declares (state Beyond, with a reason): Red, never derived.
func declaredFindings(t v1alpha1.Tolerances) []finding {
	var out []finding
	for _, d := range []struct {
		kind     v1alpha1.ToleranceExceptionKind
		declared v1alpha1.DeclaredTolerance
	}{{v1alpha1.ExceptionScope, t.Scope}, {v1alpha1.ExceptionQuality, t.Quality}} {
		if d.declared.State != v1alpha1.ToleranceBeyond {
			continue
		}
		out = append(out, finding{v1alpha1.HealthRed, fmt.Sprintf("the project manager declares %s beyond tolerance: %s",
			strings.ToLower(string(d.kind)), d.declared.Reason), d.kind})
	}
	return out
}

// words writes n with the singular or plural phrase: "1 open threat is".
func words(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// reportingFindings flags a progress report dated ahead, and a missing or
// stale one. Projects that are starting up or closed are not expected to
// report, but a report dated ahead is flagged whatever the phase: its
// figures cannot be fresh.
func reportingFindings(spec v1alpha1.ProjectSpec, p Policy, now time.Time) ([]finding, time.Time) {
	var asOf time.Time
	if spec.Progress != nil {
		var err error
		if asOf, err = spec.Progress.AsOf.Time(); err != nil {
			return nil, time.Time{}
		}
		if today := latestToday(now); asOf.After(today) {
			return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("progress reported as of %s, after today (%s): figures dated ahead are not counted as fresh",
				spec.Progress.AsOf, today.Format(time.DateOnly)), ""}}, asOf.Add(-earliestTimeZone)
		}
	}
	stale, staleAt := Stale(spec, p.ReportingCadence, now)
	switch {
	case !stale:
		return nil, staleAt
	case spec.Progress == nil:
		return []finding{{v1alpha1.HealthAmber, "no progress reported", ""}}, time.Time{}
	}
	return []finding{{v1alpha1.HealthAmber, fmt.Sprintf("last progress report of %s is %s old, beyond the %s reporting cadence",
		spec.Progress.AsOf, days(now.Unix()-asOf.Unix()), days(int64(p.ReportingCadence/time.Second))), ""}}, time.Time{}
}

// reporting is the state of a project's progress reporting at now.
func reporting(spec v1alpha1.ProjectSpec, p Policy, now time.Time) v1alpha1.ReportingState {
	switch spec.Phase {
	case v1alpha1.ProjectInitiating, v1alpha1.ProjectDelivering, v1alpha1.ProjectClosing:
	default:
		return v1alpha1.ReportingNotRequired
	}
	if stale, _ := Stale(spec, p.ReportingCadence, now); stale {
		return v1alpha1.ReportingStale
	}
	return v1alpha1.ReportingCurrent
}

// Stale reports whether a project's progress reporting is stale at now
// under the cadence it is held to: a project in Initiating, Delivering or
// Closing is stale when it has reported no progress, or when its last
// report (spec.progress.asOf, midnight UTC) is a cadence or more old.
// StartingUp and Closed projects are not held to the cadence, and a report
// dated ahead is not stale. staleAt is when a fresh report goes stale (zero
// when none applies). Health lowers a stale project, with a reason in
// words; the metrics export the same rule as p3o_project_stale.
func Stale(spec v1alpha1.ProjectSpec, cadence time.Duration, now time.Time) (stale bool, staleAt time.Time) {
	switch spec.Phase {
	case v1alpha1.ProjectInitiating, v1alpha1.ProjectDelivering, v1alpha1.ProjectClosing:
	default:
		return false, time.Time{}
	}
	if spec.Progress == nil {
		return true, time.Time{}
	}
	asOf, err := spec.Progress.AsOf.Time()
	if err != nil {
		return false, time.Time{}
	}
	staleAt = asOf.Add(cadence)
	if now.Before(staleAt) {
		return false, staleAt
	}
	return true, time.Time{}
}

// earliestTimeZone is how far ahead of UTC the first time zone is (UTC+14).
const earliestTimeZone = 14 * time.Hour

// latestToday is midnight UTC of the last calendar date that is today
// somewhere on Earth: a report dated today by a team east of UTC is not
// dated ahead, one dated later is.
func latestToday(now time.Time) time.Time {
	y, m, d := now.UTC().Add(earliestTimeZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// days writes a number of seconds as whole days ("69d"), or weeks when
// exact ("4w").
func days(seconds int64) string {
	n := seconds / (24 * 3600)
	if n > 0 && n%7 == 0 {
		return fmt.Sprintf("%dw", n/7)
	}
	return fmt.Sprintf("%dd", n)
}
