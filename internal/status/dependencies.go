/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/words"
)

// Event reasons of dependencies, recorded on transitions only.
const (
	// EventDependencyAtRisk: a dependency went from on track to at risk.
	EventDependencyAtRisk = "DependencyAtRisk"
	// EventDependencyOnTrack: a dependency at risk is on track again.
	EventDependencyOnTrack = "DependencyOnTrack"
)

// JudgeDependency is the verdict on one dependency on the day today
// (MoP's and MSP's dependency management: a dependency is at risk when
// its provider may not deliver by the date it is needed):
//
//   - Missing: the provider does not exist (yet);
//   - NotAdmitted: it is in another namespace that it does not admit the
//     consumer from (the rule by which a parent admits a child);
//   - Cycle: it depends, through its own dependencies, on the consumer;
//   - a Closed provider has delivered (OnTrack, Delivered) unless it
//     closed without delivering (ClosedUndelivered);
//   - ProviderRed: the open provider's health is Red;
//   - ForecastLate: the open provider's end date is after the needed-by
//     date, or the needed-by date has passed and it is still open;
//   - else OnTrack (ForecastOnTime).
//
// The first that applies is the cause. A dependency at risk lowers the
// consumer's health to Amber, and to Red once the needed-by date has
// passed (the risk has become an issue): its impact.
func JudgeDependency(f governance.DependencyFact, today v1alpha1.Date) v1alpha1.DependencyStatus {
	d := v1alpha1.DependencyStatus{
		Kind:     f.Dependency.Kind,
		Provider: v1alpha1.ObjectReference{Namespace: f.Key.Namespace, Name: f.Key.Name},
		NeededBy: f.Dependency.NeededBy,
		State:    v1alpha1.DependencyAtRisk,
	}
	p := f.Provider
	if p.Outcome != hierarchy.NotFound {
		// The provider's health is not recorded: only Red counts (cause
		// ProviderRed), so that its other changes write nothing here.
		d.ProviderForecastEnd = p.ForecastEnd
	}
	switch {
	case p.Outcome == hierarchy.NotFound:
		d.Cause = v1alpha1.CauseMissing
	case p.Outcome == hierarchy.NotPermitted:
		d.Cause = v1alpha1.CauseNotAdmitted
	case f.Cycle != nil:
		d.Cause = v1alpha1.CauseCycle
	case p.Closed && p.Undelivered:
		d.Cause = v1alpha1.CauseClosedUndelivered
	case p.Closed:
		d.State, d.Cause = v1alpha1.DependencyOnTrack, v1alpha1.CauseDelivered
	case p.Health == v1alpha1.HealthRed:
		d.Cause = v1alpha1.CauseProviderRed
	case p.ForecastEnd > d.NeededBy, today > d.NeededBy:
		d.Cause = v1alpha1.CauseForecastLate
	default:
		d.State, d.Cause = v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime
	}
	if d.AtRisk() {
		d.Impact = v1alpha1.HealthAmber
		if today > d.NeededBy {
			d.Impact = v1alpha1.HealthRed
		}
	}
	return d
}

// dependencies judges an object's dependencies: their status entries, the
// DependenciesOnTrack condition, the health they lower it to (each reason
// naming its provider), the events their transitions call for, and when
// to look again because a needed-by date passes.
func dependencies(obj conditions.Object, facts []governance.DependencyFact, previous []v1alpha1.DependencyStatus, a *health.Assessment, now time.Time) ([]v1alpha1.DependencyStatus, []Event, time.Time) {
	today := v1alpha1.Date(now.UTC().Format(time.DateOnly))
	var out []v1alpha1.DependencyStatus
	var cycles []string
	var recheck time.Time
	for _, f := range facts {
		if len(out) == v1alpha1.DependenciesMaxItems {
			break
		}
		d := JudgeDependency(f, today)
		out = append(out, d)
		if d.Cause == v1alpha1.CauseCycle {
			cycles = append(cycles, strings.Join(f.Cycle, " → "))
		}
		if d.Cause != v1alpha1.CauseDelivered && today <= d.NeededBy {
			// The verdict (or its impact) changes the day after.
			if t, err := d.NeededBy.Time(); err == nil {
				recheck = earliest(recheck, t.AddDate(0, 0, 1))
			}
		}
	}
	var atRisk []string
	for _, d := range out {
		if d.AtRisk() {
			atRisk = append(atRisk, d.Text())
			lowerFirst(a, d.Impact, d.Text())
		}
	}
	switch {
	case len(out) == 0:
		conditions.Set(obj, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionTrue, v1alpha1.ReasonNoDependencies, "the object depends on nothing")
	case len(cycles) > 0:
		conditions.Set(obj, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependencyCycle,
			"dependency cycle: "+strings.Join(cycles, "; ")+"; "+strings.Join(atRisk, "; "))
	case len(atRisk) > 0:
		conditions.Set(obj, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependenciesAtRisk,
			fmt.Sprintf("%d of %s at risk: %s", len(atRisk), words.Count(len(out), "dependency", "dependencies"), strings.Join(atRisk, "; ")))
	default:
		conditions.Set(obj, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionTrue, v1alpha1.ReasonDependenciesOnTrack,
			onTrack(len(out)))
	}
	return out, dependencyTransitions(previous, out), recheck
}

// onTrack says that n dependencies, all of them, are on track.
func onTrack(n int) string {
	if n == 1 {
		return "the dependency is on track"
	}
	return fmt.Sprintf("all %d dependencies are on track", n)
}

// lowerFirst lowers an assessment, putting the reason first when it is the
// first to make health Red (so that the HealthRed event quotes it).
func lowerFirst(a *health.Assessment, h v1alpha1.Health, reason string) {
	first := h == v1alpha1.HealthRed && a.Overall != v1alpha1.HealthRed
	a.Lower(h, reason)
	if first {
		a.Reasons = append([]string{reason}, a.Reasons[:len(a.Reasons)-1]...)
	}
}

// dependencyTransitions lists an event for each dependency that went from
// on track to at risk, or back; a dependency judged for the first time
// records none (see transitions).
func dependencyTransitions(before, after []v1alpha1.DependencyStatus) []Event {
	was := map[string]v1alpha1.DependencyState{}
	for _, d := range before {
		was[d.Key()] = d.State
	}
	var out []Event
	for _, d := range after {
		prev, judged := was[d.Key()]
		switch {
		case !judged || prev == d.State:
		case d.AtRisk():
			out = append(out, Event{corev1.EventTypeWarning, EventDependencyAtRisk, "Assess", d.Text()})
		default:
			out = append(out, Event{corev1.EventTypeNormal, EventDependencyOnTrack, "Assess", d.Text()})
		}
	}
	return out
}
