/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/hierarchy"
)

// fact is a dependency on project ns/provider needed by neededBy, whose
// provider was read as p.
func fact(provider string, neededBy v1alpha1.Date, p governance.Provider) governance.DependencyFact {
	return governance.DependencyFact{
		Dependency: v1alpha1.Dependency{SubjectReference: v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject,
			ParentReference: v1alpha1.ParentReference{Name: v1alpha1.ObjectName(provider)}}, NeededBy: neededBy},
		Key:      types.NamespacedName{Namespace: "central", Name: provider},
		Provider: p,
	}
}

// TestJudgeDependency: each rule of the verdict, in its order of
// precedence, and the impact on the consumer (Amber at risk, Red past the
// needed-by date).
func TestJudgeDependency(t *testing.T) {
	const today = "2026-11-26"
	green := governance.Provider{Health: v1alpha1.HealthGreen, ForecastEnd: "2027-01-31"}
	red := green
	red.Health = v1alpha1.HealthRed
	cycle := fact("p", "2027-03-01", green)
	cycle.Cycle = []string{"Project central/c", "Project central/p", "Project central/c"}
	for _, tc := range []struct {
		name   string
		fact   governance.DependencyFact
		state  v1alpha1.DependencyState
		cause  v1alpha1.DependencyCause
		impact v1alpha1.Health
	}{
		{"forecast before the need", fact("p", "2027-03-01", green), v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime, ""},
		{"forecast on the day needed", fact("p", "2027-01-31", green), v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime, ""},
		{"no end stated", fact("p", "2027-01-31", governance.Provider{Health: v1alpha1.HealthGreen}), v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime, ""},
		{"forecast late", fact("p", "2027-01-30", green), v1alpha1.DependencyAtRisk, v1alpha1.CauseForecastLate, v1alpha1.HealthAmber},
		{"still open after the need", fact("p", "2026-11-25", governance.Provider{Health: v1alpha1.HealthGreen, ForecastEnd: "2026-11-01"}), v1alpha1.DependencyAtRisk, v1alpha1.CauseForecastLate, v1alpha1.HealthRed},
		{"provider red", fact("p", "2027-03-01", red), v1alpha1.DependencyAtRisk, v1alpha1.CauseProviderRed, v1alpha1.HealthAmber},
		{"provider red past the need", fact("p", "2026-11-01", red), v1alpha1.DependencyAtRisk, v1alpha1.CauseProviderRed, v1alpha1.HealthRed},
		{"delivered", fact("p", "2026-11-01", governance.Provider{Closed: true, Health: v1alpha1.HealthRed, ForecastEnd: "2026-12-01"}), v1alpha1.DependencyOnTrack, v1alpha1.CauseDelivered, ""},
		{"closed undelivered", fact("p", "2027-03-01", governance.Provider{Closed: true, Undelivered: true}), v1alpha1.DependencyAtRisk, v1alpha1.CauseClosedUndelivered, v1alpha1.HealthAmber},
		{"missing", fact("p", "2027-03-01", governance.Provider{Outcome: hierarchy.NotFound}), v1alpha1.DependencyAtRisk, v1alpha1.CauseMissing, v1alpha1.HealthAmber},
		{"missing past the need", fact("p", "2026-01-01", governance.Provider{Outcome: hierarchy.NotFound}), v1alpha1.DependencyAtRisk, v1alpha1.CauseMissing, v1alpha1.HealthRed},
		{"not admitted beats red", fact("p", "2027-03-01", governance.Provider{Outcome: hierarchy.NotPermitted, Health: v1alpha1.HealthRed}), v1alpha1.DependencyAtRisk, v1alpha1.CauseNotAdmitted, v1alpha1.HealthAmber},
		{"cycle", cycle, v1alpha1.DependencyAtRisk, v1alpha1.CauseCycle, v1alpha1.HealthAmber},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := JudgeDependency(tc.fact, today)
			if d.State != tc.state || d.Cause != tc.cause || d.Impact != tc.impact {
				t.Errorf("got %s/%s impact %q; want %s/%s impact %q", d.State, d.Cause, d.Impact, tc.state, tc.cause, tc.impact)
			}
			if !strings.Contains(d.Text(), "Project central/p") {
				t.Errorf("text %q does not name the provider", d.Text())
			}
		})
	}
}

// TestDependenciesLowerHealth: a project whose provider forecasts late is
// Amber with the provider named; once the needed-by date passes it is Red
// with that reason first; it is looked at again the day after the date; a
// dependency turning at risk, and back, is an event, the first verdict is
// not.
func TestDependenciesLowerHealth(t *testing.T) {
	office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	facts := governed(office)
	late := governance.Provider{Health: v1alpha1.HealthGreen, ForecastEnd: "2027-02-15"}
	facts.Dependencies = []governance.DependencyFact{fact("crm", "2027-01-31", late)}
	p := delivering("shop")
	p.Spec.DependsOn = []v1alpha1.Dependency{facts.Dependencies[0].Dependency}

	out := SetProject(p, facts, rules(t), now)
	if p.Status.Health != v1alpha1.HealthAmber || !slices.ContainsFunc(p.Status.HealthReasons, func(r string) bool {
		return strings.Contains(r, "Project central/crm") && strings.Contains(r, "2027-02-15")
	}) {
		t.Fatalf("health %s, reasons %q; want Amber naming Project central/crm and its forecast", p.Status.Health, p.Status.HealthReasons)
	}
	c := expectCondition(t, p, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependenciesAtRisk)
	if !strings.Contains(c.Message, "central/crm") {
		t.Errorf("condition message %q does not name the provider", c.Message)
	}
	if _, _, recheck := dependencies(p, facts.Dependencies, nil, &health.Assessment{}, now); !recheck.Equal(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("recheck at %v, want 2027-02-01 (the day after the need)", recheck)
	}
	if len(out.Events) != 0 {
		t.Errorf("first assessment recorded events %v", reasons(out.Events))
	}

	out = SetProject(p, facts, rules(t), time.Date(2027, 2, 2, 9, 0, 0, 0, time.UTC))
	if p.Status.Health != v1alpha1.HealthRed || !strings.Contains(p.Status.HealthReasons[0], "is overdue") {
		t.Errorf("past the need: health %s, reasons %q; want Red, the dependency first", p.Status.Health, p.Status.HealthReasons)
	}

	facts.Dependencies[0].Provider.ForecastEnd = "2027-01-15"
	out = SetProject(p, facts, rules(t), now)
	expectCondition(t, p, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionTrue, v1alpha1.ReasonDependenciesOnTrack)
	if slices.ContainsFunc(p.Status.HealthReasons, func(r string) bool { return strings.Contains(r, "dependency") }) ||
		!slices.Contains(reasons(out.Events), EventDependencyOnTrack) {
		t.Errorf("on track again: reasons %q, events %v; want no dependency among the reasons and %s", p.Status.HealthReasons, reasons(out.Events), EventDependencyOnTrack)
	}
	facts.Dependencies[0].Provider.Health = v1alpha1.HealthRed
	out = SetProject(p, facts, rules(t), now)
	if !slices.Contains(reasons(out.Events), EventDependencyAtRisk) || p.Status.Dependencies[0].Cause != v1alpha1.CauseProviderRed {
		t.Errorf("provider Red: events %v, dependency %+v", reasons(out.Events), p.Status.Dependencies[0])
	}
}

// TestDependencyConditionReasons: no dependencies, and a cycle named on
// the condition, which takes precedence over other risks.
func TestDependencyConditionReasons(t *testing.T) {
	p := delivering("alone")
	SetProject(p, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), rules(t), now)
	expectCondition(t, p, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionTrue, v1alpha1.ReasonNoDependencies)

	facts := governed(ogcOffice("pmo", v1alpha1.EnforcementAudit))
	cycle := fact("b", "2027-03-01", governance.Provider{Health: v1alpha1.HealthGreen})
	cycle.Cycle = []string{"Project central/a", "Project central/b", "Project central/a"}
	facts.Dependencies = []governance.DependencyFact{fact("gone", "2027-03-01", governance.Provider{Outcome: hierarchy.NotFound}), cycle}
	a := delivering("a")
	SetProject(a, facts, rules(t), now)
	Conclude(a, Pending{})
	c := expectCondition(t, a, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependencyCycle)
	if !strings.Contains(c.Message, "Project central/a → Project central/b → Project central/a") {
		t.Errorf("message %q does not name the cycle", c.Message)
	}
	expectCondition(t, a, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
}
