/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// reviewGate is a ReviewRequirement's gate number.
func reviewGate(n int32) *int32 { return &n }

func office(name string, g v1alpha1.GovernancePolicy) *v1alpha1.Office {
	return &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name}, Spec: v1alpha1.OfficeSpec{Governance: g}}
}

func gateByName(p Policy, name string) *v1alpha1.Gate {
	for i := range p.Gates {
		if p.Gates[i].Name == name {
			return &p.Gates[i]
		}
	}
	return nil
}

func TestEffectivePolicy(t *testing.T) {
	hub := office("central", v1alpha1.GovernancePolicy{
		Profile: v1alpha1.GateProfileOGCGateway, Enforcement: v1alpha1.EnforcementWarn, ReportingCadence: "4w",
		Gates: []v1alpha1.Gate{{Name: "gate-3", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Delivering",
			Review: &v1alpha1.ReviewRequirement{Gate: reviewGate(3), MinimumConfidence: v1alpha1.ConfidenceAmberGreen}}},
	})
	root := Effective([]*v1alpha1.Office{hub})
	if got := strings.Join(root.Names(), ","); got != "gate-0,gate-1,gate-2,gate-3,gate-4,gate-5" {
		t.Errorf("gates %s", got)
	}
	if root.Enforcement != v1alpha1.EnforcementWarn || root.Health.ReportingCadence != 28*24*time.Hour {
		t.Errorf("enforcement %s cadence %s", root.Enforcement, root.Health.ReportingCadence)
	}
	if g := gateByName(root, "gate-3"); g.Review.MinimumConfidence != v1alpha1.ConfidenceAmberGreen {
		t.Errorf("the office's own gate-3 does not replace the profile's: %+v", g.Review)
	}

	satellite := office("retail", v1alpha1.GovernancePolicy{
		Enforcement:      v1alpha1.EnforcementAudit, // looser: ignored
		ReportingCadence: "2w",                      // tighter: applies
		HighRiskSeverity: 20,                        // looser: ignored
		Gates: []v1alpha1.Gate{
			{Name: "gate-3", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Delivering",
				Review: &v1alpha1.ReviewRequirement{Gate: reviewGate(3), MinimumConfidence: v1alpha1.ConfidenceAmber, MaxAge: "26w"}},
			{Name: "gate-1", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Initiating",
				Review: &v1alpha1.ReviewRequirement{Gate: reviewGate(1), MinimumConfidence: v1alpha1.ConfidenceGreen}},
			{Name: "security", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Delivering",
				Rule: &v1alpha1.GateRule{Expression: "true", Message: "m"}},
		},
	})
	eff := Effective([]*v1alpha1.Office{hub, satellite})
	if eff.Enforcement != v1alpha1.EnforcementWarn || eff.Health.ReportingCadence != 14*24*time.Hour || eff.Health.HighRiskSeverity != 15 {
		t.Errorf("enforcement %s cadence %s high risk %d", eff.Enforcement, eff.Health.ReportingCadence, eff.Health.HighRiskSeverity)
	}
	g3 := gateByName(eff, "gate-3")
	if g3.Review.MinimumConfidence != v1alpha1.ConfidenceAmberGreen || g3.Review.MaxAge != "26w" {
		t.Errorf("gate-3 is not the stricter of both: %+v", g3.Review)
	}
	if g1 := gateByName(eff, "gate-1"); g1.Review.MinimumConfidence != v1alpha1.ConfidenceGreen {
		t.Errorf("gate-1 not tightened: %+v", g1.Review)
	}
	if gateByName(eff, "security") == nil || len(eff.Gates) != 7 {
		t.Errorf("the satellite's own gate is not added: %v", eff.Names())
	}
	ignored := strings.Join(eff.Ignored, "\n")
	for _, want := range []string{
		"ns/retail: enforcement Audit is weaker than the hub's Warn",
		"ns/retail: highRiskSeverity 20 is looser than the hub's 15",
		"ns/retail: gate gate-3: minimumConfidence Amber is looser than the hub's AmberGreen",
	} {
		if !strings.Contains(ignored, want) {
			t.Errorf("ignored settings %q lack %q", ignored, want)
		}
	}
}

func review(name string, gate int32, date string, c v1alpha1.DeliveryConfidence) Review {
	return Review{Namespace: "ns", Name: name, Gate: gate, Date: day(date), Confidence: c}
}

func TestEvaluate(t *testing.T) {
	rules, err := NewRules()
	if err != nil {
		t.Fatal(err)
	}
	ogc := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway})})
	ogcYearly := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway}), yearly})
	withRule := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Gates: []v1alpha1.Gate{
		{Name: "risk-owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Initiating",
			Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(r, has(r.owner))", Message: "every risk needs an owner"}},
	}})})

	cases := []struct {
		name       string
		policy     Policy
		subject    Subject
		wantUnmet  []string
		wantStates map[string]v1alpha1.GateState
		wantNext   string
	}{
		{"starting up: nothing due yet", ogc, Subject{Kind: "Project", Phase: "StartingUp"}, nil,
			map[string]v1alpha1.GateState{"gate-1": v1alpha1.GateNotYetRequired, "gate-5": v1alpha1.GateNotYetRequired}, "gate-1"},
		{"delivering without gate 3", ogc, Subject{Kind: "Project", Phase: "Delivering", Reviews: []Review{
			review("g1", 1, "2026-01-10", "Green"), review("g2", 2, "2026-03-10", "AmberGreen"),
		}}, []string{"Gate 3 Investment decision: no review"},
			map[string]v1alpha1.GateState{"gate-1": v1alpha1.GateMet, "gate-2": v1alpha1.GateMet, "gate-3": v1alpha1.GateUnmet, "gate-4": v1alpha1.GateNotYetRequired}, "gate-4"},
		{"a planned review is not a review", ogc, Subject{Kind: "Project", Phase: "Initiating", Reviews: []Review{
			review("g1", 1, "2026-12-09", ""),
		}}, []string{"Gate 1 Business justification: no review yet (one is planned for 2026-12-09)"}, nil, "gate-2"},
		{"a newer review supersedes a better older one", ogc, Subject{Kind: "Project", Phase: "Initiating", Reviews: []Review{
			review("old", 1, "2025-07-22", "Green"), review("new", 1, "2026-10-14", "AmberRed"),
		}}, []string{"Gate 1 Business justification: review of 2026-10-14 gave AmberRed, worse than the minimum Amber"}, nil, "gate-2"},
		{"programme gate 0 expired under a yearly office", ogcYearly, Subject{Kind: "Programme", Phase: "Delivering", Reviews: []Review{
			review("g0", 0, "2025-01-10", "Green"),
		}}, []string{"Gate 0 Strategic assessment: review of 2025-01-10 expired on 2026-01-09"},
			map[string]v1alpha1.GateState{"gate-0": v1alpha1.GateUnmet}, "gate-5"},
		{"programme gate 0 without tranches does not age (OGC sets no age)", ogc, Subject{Kind: "Programme", Phase: "Delivering", Reviews: []Review{
			review("g0", 0, "2025-01-10", "Green"),
		}}, nil, map[string]v1alpha1.GateState{"gate-0": v1alpha1.GateMet, "gate-5": v1alpha1.GateNotYetRequired}, "gate-5"},
		{"programme gate 0 due again at a tranche end", ogc, Subject{Kind: "Programme", Phase: "Delivering", Start: day("2025-02-03"),
			DecisionPoints: tranches, Reviews: []Review{review("g0", 0, "2025-01-14", "Green")},
		}, []string{"Gate 0 Strategic assessment: due again at the end of tranche-1 (2025-12-19): the latest review, of 2025-01-14, was held before 2025-02-03"},
			map[string]v1alpha1.GateState{"gate-0": v1alpha1.GateUnmet}, "gate-5"},
		{"programme gate 0 met by a review held in the tranche", ogc, Subject{Kind: "Programme", Phase: "Delivering", Start: day("2025-02-03"),
			DecisionPoints: tranches, Reviews: []Review{review("g0", 0, "2025-01-14", "Green"), review("g0b", 0, "2025-11-20", "Amber")},
		}, nil, map[string]v1alpha1.GateState{"gate-0": v1alpha1.GateMet}, "gate-5"},
		{"programme gate 0: a review of the first tranche does not do for the second", ogc, Subject{Kind: "Programme", Phase: "Delivering", Start: day("2025-02-03"),
			DecisionPoints: tranches, Reviews: []Review{review("g0b", 0, "2025-11-20", "Green")},
		}, nil, map[string]v1alpha1.GateState{"gate-0": v1alpha1.GateMet}, "gate-5"},
		{"programme gate 0 before the first tranche ends", ogc, Subject{Kind: "Programme", Phase: "Defining", Start: day("2026-09-01"),
			DecisionPoints: []DecisionPoint{{Name: "tranche-1", End: day("2027-06-30")}}, Reviews: []Review{review("g0", 0, "2026-08-11", "Amber")},
		}, nil, map[string]v1alpha1.GateState{"gate-0": v1alpha1.GateMet}, "gate-5"},
		{"programme gate 5 overdue after it closed", ogc, Subject{Kind: "Programme", Phase: "Closed", PhaseSince: day("2026-01-01"), Reviews: []Review{
			review("g0", 0, "2025-06-10", "Green"),
		}}, []string{"Gate 5 Operations review and benefits realisation: overdue since 2026-07-02: no review"}, nil, ""},
		{"gate 5 not due yet after closing", ogc, Subject{Kind: "Project", Phase: "Closed", PhaseSince: day("2026-10-01"), Reviews: []Review{
			review("g1", 1, "2025-01-10", "Green"), review("g2", 2, "2025-02-10", "Green"), review("g3", 3, "2025-03-10", "Green"), review("g4", 4, "2026-08-10", "Green"),
		}}, nil, map[string]v1alpha1.GateState{"gate-5": v1alpha1.GateNotYetRequired}, "gate-5"},
		{"gate 5 overdue", ogc, Subject{Kind: "Project", Phase: "Closed", PhaseSince: day("2026-01-01"), Reviews: []Review{
			review("g1", 1, "2025-01-10", "Green"), review("g2", 2, "2025-02-10", "Green"), review("g3", 3, "2025-03-10", "Green"), review("g4", 4, "2025-12-10", "Green"),
		}}, []string{"Gate 5 Operations review and benefits realisation: overdue since 2026-07-02: no review"}, nil, ""},
		{"rule holds", withRule, Subject{Kind: "Project", Phase: "Delivering", Object: map[string]any{"spec": map[string]any{
			"risks": []any{map[string]any{"name": "r", "owner": "ann"}}}}}, nil, map[string]v1alpha1.GateState{"risk-owners": v1alpha1.GateMet}, ""},
		{"rule fails with its message", withRule, Subject{Kind: "Project", Phase: "Delivering", Object: map[string]any{"spec": map[string]any{
			"risks": []any{map[string]any{"name": "r"}}}}}, []string{"risk-owners: every risk needs an owner"}, nil, ""},
		{"rules do not apply to other kinds", withRule, Subject{Kind: "Programme", Phase: "Delivering"}, nil, map[string]v1alpha1.GateState{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Evaluate(tc.policy, rules, tc.subject, now)
			if strings.Join(res.Unmet, "|") != strings.Join(tc.wantUnmet, "|") {
				t.Errorf("unmet %q; want %q", res.Unmet, tc.wantUnmet)
			}
			states := map[string]v1alpha1.GateState{}
			for _, g := range res.Gates {
				states[g.Name] = g.State
			}
			for name, want := range tc.wantStates {
				if states[name] != want {
					t.Errorf("%s is %s; want %s (all: %v)", name, states[name], want, states)
				}
			}
			if res.NextGate != tc.wantNext {
				t.Errorf("next gate %q; want %q", res.NextGate, tc.wantNext)
			}
		})
	}
}

// yearly is a satellite office that holds Gate 0 to a yearly review on top
// of the profile's decision points.
var yearly = office("yearly", v1alpha1.GovernancePolicy{Gates: []v1alpha1.Gate{{Name: "gate-0", AppliesTo: []v1alpha1.SubjectKind{"Programme"},
	RequiredFrom: "Defining", Review: &v1alpha1.ReviewRequirement{Gate: reviewGate(0), MaxAge: "52w"}}}})

// tranches are the decision points of a programme like the sample's
// cloud-migration.
var tranches = []DecisionPoint{{Name: "tranche-1", End: day("2025-12-19")}, {Name: "tranche-2", End: day("2026-12-18")}, {Name: "tranche-3", End: day("2027-06-30")}}

func TestExpiryAndDueDatesAreRechecked(t *testing.T) {
	rules, _ := NewRules()
	ogc := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway}), yearly})
	res := Evaluate(ogc, rules, Subject{Kind: "Programme", Phase: "Delivering", Reviews: []Review{review("g0", 0, "2026-09-08", "Amber")}}, now)
	if !res.Compliant() || !res.RecheckAt.Equal(day("2027-09-07")) {
		t.Errorf("compliant %v recheck %v; want compliant until the review expires on 2027-09-07", res.Compliant(), res.RecheckAt)
	}
	if res.Gates[0].ExpiresAt == nil || res.Gates[0].Review.String() != "ns/g0" {
		t.Errorf("gate status %+v", res.Gates[0])
	}
	if g := gateByName(ogc, "gate-0"); g.Review.DecisionPoints != v1alpha1.DecisionPointsTrancheEnds {
		t.Errorf("the satellite's gate-0 loosened the profile's decision points: %+v", g.Review)
	}

	// With tranches, the gate is looked at again the day after the next
	// tranche ends, when the review must be one held after the last end.
	withTranches := Subject{Kind: "Programme", Phase: "Delivering", Start: day("2025-02-03"), DecisionPoints: tranches,
		Reviews: []Review{review("g0", 0, "2025-10-08", "Amber")}}
	plain := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway})})
	res = Evaluate(plain, rules, withTranches, now)
	if !res.Compliant() || !res.RecheckAt.Equal(day("2026-12-19")) {
		t.Errorf("compliant %v recheck %v; want compliant until tranche-2 has ended (2026-12-19)", res.Compliant(), res.RecheckAt)
	}
	if msg := res.Gates[0].Message; msg != "review of 2025-10-08 gave Amber, for the decision point at the end of tranche-1 (2025-12-19)" {
		t.Errorf("message %q", msg)
	}
	res = Evaluate(plain, rules, withTranches, day("2026-12-19"))
	if res.Compliant() || res.Gates[0].Cause != v1alpha1.CauseReviewBeforeDecisionPoint {
		t.Errorf("after tranche-2: compliant %v, gate %+v; want unmet, ReviewBeforeDecisionPoint", res.Compliant(), res.Gates[0])
	}
}

// An office on the three-point scale refuses a five-point rating as off
// its scale (a condition, not an admission error); a satellite cannot
// change the hub's scale; minimumConfidence compares on both.
func TestConfidenceScale(t *testing.T) {
	rules, _ := NewRules()
	three := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, ConfidenceScale: v1alpha1.ConfidenceScaleThreePoint})})
	project := func(c v1alpha1.DeliveryConfidence) Subject {
		return Subject{Kind: "Project", Phase: "Initiating", Reviews: []Review{review("g1", 1, "2026-10-01", c)}}
	}
	for _, tc := range []struct {
		c     v1alpha1.DeliveryConfidence
		cause v1alpha1.GateCause
	}{
		{"Green", v1alpha1.CauseReviewMet}, {"Amber", v1alpha1.CauseReviewMet}, {"Red", v1alpha1.CauseBelowMinimum},
		{"AmberGreen", v1alpha1.CauseOffScale}, {"AmberRed", v1alpha1.CauseOffScale},
	} {
		res := Evaluate(three, rules, project(tc.c), now)
		if g := res.Gates[0]; g.Cause != tc.cause {
			t.Errorf("three-point, %s: %+v; want cause %s", tc.c, g, tc.cause)
		}
	}
	if res := Evaluate(three, rules, project("AmberGreen"), now); !strings.Contains(res.Unmet[0], "not on the office's three-point (Green, Amber, Red) Delivery Confidence scale") {
		t.Errorf("unmet %q", res.Unmet)
	}
	// A review that says which scale it was rated on is held to that: a
	// three-point Amber under a five-point office, and a five-point Green
	// under a three-point one, are off the office's scale; on the same
	// scale, or saying none, they count.
	five := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway})})
	rated := func(c v1alpha1.DeliveryConfidence, s v1alpha1.ConfidenceScale) Subject {
		r := review("g1", 1, "2026-10-01", c)
		r.Scale = s
		return Subject{Kind: "Project", Phase: "Initiating", Reviews: []Review{r}}
	}
	for _, tc := range []struct {
		office *Policy
		scale  v1alpha1.ConfidenceScale
		c      v1alpha1.DeliveryConfidence
		cause  v1alpha1.GateCause
	}{
		{&five, v1alpha1.ConfidenceScaleThreePoint, "Amber", v1alpha1.CauseOffScale},
		{&five, v1alpha1.ConfidenceScaleFivePoint, "Amber", v1alpha1.CauseReviewMet},
		{&five, "", "Amber", v1alpha1.CauseReviewMet},
		{&three, v1alpha1.ConfidenceScaleFivePoint, "Green", v1alpha1.CauseOffScale},
		{&three, v1alpha1.ConfidenceScaleThreePoint, "Green", v1alpha1.CauseReviewMet},
	} {
		if g := Evaluate(*tc.office, rules, rated(tc.c, tc.scale), now).Gates[0]; g.Cause != tc.cause {
			t.Errorf("office %s, review %s on %q: %+v; want cause %s", tc.office.ConfidenceScale, tc.c, tc.scale, g, tc.cause)
		}
	}
	if res := Evaluate(five, rules, rated("Amber", v1alpha1.ConfidenceScaleThreePoint), now); !strings.Contains(res.Unmet[0],
		"review of 2026-10-01 was rated Amber on the three-point (Green, Amber, Red) scale, not on the office's five-point Delivery Confidence scale") {
		t.Errorf("unmet %q", res.Unmet)
	}
	satellite := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{ConfidenceScale: v1alpha1.ConfidenceScaleThreePoint}),
		office("retail", v1alpha1.GovernancePolicy{ConfidenceScale: v1alpha1.ConfidenceScaleFivePoint})})
	if satellite.ConfidenceScale != v1alpha1.ConfidenceScaleThreePoint || !strings.Contains(strings.Join(satellite.Ignored, "\n"), "confidenceScale FivePoint differs from the hub's ThreePoint") {
		t.Errorf("satellite scale %s, ignored %q", satellite.ConfidenceScale, satellite.Ignored)
	}
	if Combine(Effective(nil), three).ConfidenceScale != v1alpha1.ConfidenceScaleThreePoint {
		t.Errorf("combining with a three-point office does not keep its scale")
	}
	// On the three-point scale a minimum of AmberGreen needs Green.
	strict := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{ConfidenceScale: v1alpha1.ConfidenceScaleThreePoint, Gates: []v1alpha1.Gate{
		{Name: "g1", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Initiating", Review: &v1alpha1.ReviewRequirement{Gate: reviewGate(1), MinimumConfidence: v1alpha1.ConfidenceAmberGreen}}}})})
	if Evaluate(strict, rules, project("Amber"), now).Compliant() || !Evaluate(strict, rules, project("Green"), now).Compliant() {
		t.Errorf("minimum AmberGreen on the three-point scale must need Green")
	}
}

// An office decides how an underrun bears on health; a satellite may only
// make it worse, and combining offices keeps the worse.
func TestUnderrunHealthTightensOnly(t *testing.T) {
	hub := office("central", v1alpha1.GovernancePolicy{UnderrunHealth: v1alpha1.RAG("Amber")})
	if got := Effective([]*v1alpha1.Office{hub}).Health.UnderrunHealth; got != v1alpha1.HealthAmber {
		t.Errorf("root: %s", got)
	}
	if got := Effective(nil).Health.UnderrunHealth; got != v1alpha1.HealthGreen {
		t.Errorf("unset: %s; want Green", got)
	}
	looser := Effective([]*v1alpha1.Office{hub, office("retail", v1alpha1.GovernancePolicy{UnderrunHealth: "Green"})})
	if looser.Health.UnderrunHealth != v1alpha1.HealthAmber || !strings.Contains(strings.Join(looser.Ignored, "\n"), "underrunHealth Green is more lenient than the hub's Amber") {
		t.Errorf("satellite loosened: %s %q", looser.Health.UnderrunHealth, looser.Ignored)
	}
	if got := Effective([]*v1alpha1.Office{hub, office("retail", v1alpha1.GovernancePolicy{UnderrunHealth: "Red"})}).Health.UnderrunHealth; got != v1alpha1.HealthRed {
		t.Errorf("satellite tightening: %s", got)
	}
	if got := Combine(Effective(nil), Effective([]*v1alpha1.Office{hub})).Health.UnderrunHealth; got != v1alpha1.HealthAmber {
		t.Errorf("combine: %s", got)
	}
}

func TestRuleErrorsAreUnknownNotFailures(t *testing.T) {
	rules, _ := NewRules()
	p := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Gates: []v1alpha1.Gate{
		{Name: "broken", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "StartingUp",
			Rule: &v1alpha1.GateRule{Expression: "object.spec.nope.size() > 0", Message: "m"}},
		{Name: "costly", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "StartingUp",
			Rule: &v1alpha1.GateRule{Expression: "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, a+b+c+d+e+f > 0))))))", Message: "m"}},
	}})})
	res := Evaluate(p, rules, Subject{Kind: "Project", Phase: "Delivering", Object: map[string]any{"spec": map[string]any{}}}, now)
	if len(res.Unknown) != 2 || len(res.Unmet) != 0 || res.Compliant() {
		t.Fatalf("unknown %q unmet %q", res.Unknown, res.Unmet)
	}
	if !strings.Contains(res.Unknown[1], "cost limit") && !strings.Contains(res.Unknown[0], "cost limit") {
		t.Errorf("the cost overrun is not named: %q", res.Unknown)
	}
	if err := rules.Check("object.spec.phase =="); err == nil || !strings.Contains(err.Error(), "does not compile") {
		t.Errorf("Check of a syntax error = %v", err)
	}
	if err := rules.Check("'a' + 'b'"); err == nil || !strings.Contains(err.Error(), "must evaluate to a bool") {
		t.Errorf("Check of a string expression = %v", err)
	}
}

func TestSuperseded(t *testing.T) {
	got := Superseded([]Review{review("a", 3, "2025-07-22", "Amber"), review("b", 3, "2026-10-14", "AmberRed"), review("c", 1, "2025-01-01", "Green"), review("p", 3, "2027-01-01", "")}, now)
	if len(got) != 1 || got["ns/a"].Key() != "ns/b" {
		t.Errorf("Superseded = %v; want only ns/a superseded by ns/b", got)
	}
}

// BenchmarkEvaluate10000 evaluates the OGCGateway profile and a rule for
// 10,000 projects.
func BenchmarkEvaluate10000(b *testing.B) {
	rules, _ := NewRules()
	p := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Gates: []v1alpha1.Gate{
		{Name: "owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Initiating",
			Rule: &v1alpha1.GateRule{Expression: "!has(object.spec.risks) || object.spec.risks.all(r, has(r.owner))", Message: "m"}},
	}})})
	subject := Subject{Kind: "Project", Phase: "Delivering", Reviews: []Review{
		review("g1", 1, "2026-01-10", "Green"), review("g2", 2, "2026-03-10", "AmberGreen"), review("g3", 3, "2026-05-10", "Amber"),
	}, Object: map[string]any{"spec": map[string]any{"risks": []any{map[string]any{"name": "r", "owner": "o"}}}}}
	b.ReportAllocs()
	for b.Loop() {
		for range 10000 {
			_ = Evaluate(p, rules, subject, now)
		}
	}
}

// Every gate result carries a typed cause, so that events, reports and
// tools decide on data and not on the message.
func TestGatesCarryTypedCauses(t *testing.T) {
	rules, _ := NewRules()
	p := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Gates: []v1alpha1.Gate{
		{Name: "risk-owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Initiating",
			Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(r, has(r.owner))", Message: "every risk needs an owner"}},
	}})})
	cases := []struct {
		name    string
		subject Subject
		want    map[string]v1alpha1.GateCause
	}{
		{"no review, planned review, phase not reached", Subject{Kind: "Project", Phase: "Initiating", Reviews: []Review{review("p2", 2, "2027-01-01", "")},
			Object: map[string]any{"spec": map[string]any{"risks": []any{map[string]any{"name": "r"}}}}},
			map[string]v1alpha1.GateCause{"gate-1": v1alpha1.CauseNoReview, "gate-2": v1alpha1.CausePhaseNotReached, "risk-owners": v1alpha1.CauseRuleFailed}},
		{"met, below minimum, expired", Subject{Kind: "Project", Phase: "Delivering", Reviews: []Review{
			review("g1", 1, "2026-01-10", "Green"), review("g2", 2, "2026-03-10", "Red"), review("g3", 3, "2020-03-10", "Green"),
		}, Object: map[string]any{"spec": map[string]any{"risks": []any{map[string]any{"name": "r", "owner": "ann"}}}}},
			map[string]v1alpha1.GateCause{"gate-1": v1alpha1.CauseReviewMet, "gate-2": v1alpha1.CauseBelowMinimum, "risk-owners": v1alpha1.CauseRuleHolds}},
		{"rule error", Subject{Kind: "Project", Phase: "Delivering", Object: map[string]any{"spec": map[string]any{}}},
			map[string]v1alpha1.GateCause{"risk-owners": v1alpha1.CauseRuleError}},
		{"planned", Subject{Kind: "Project", Phase: "Initiating", Reviews: []Review{review("p1", 1, "2027-01-01", "")}, Object: map[string]any{"spec": map[string]any{"risks": []any{}}}},
			map[string]v1alpha1.GateCause{"gate-1": v1alpha1.CauseReviewPlanned}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Evaluate(p, rules, tc.subject, now)
			got := map[string]v1alpha1.GateCause{}
			for _, g := range res.Gates {
				got[g.Name] = g.Cause
			}
			for gate, want := range tc.want {
				if got[gate] != want {
					t.Errorf("%s: cause %q; want %q (all %v)", gate, got[gate], want, got)
				}
			}
		})
	}
	expired := Evaluate(Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway}), yearly}), rules,
		Subject{Kind: "Programme", Phase: "Delivering", Reviews: []Review{review("g0", 0, "2025-01-10", "Green")}}, now)
	if expired.Gates[0].Cause != v1alpha1.CauseReviewExpired || expired.Gates[0].Review.String() != "ns/g0" {
		t.Errorf("expired gate 0: %+v", expired.Gates[0])
	}
}

// A review counts only from its date on: a Green review dated ahead neither
// satisfies its gate nor supersedes the Red review before it, until its
// date, when it is looked at again.
func TestReviewsDatedAheadDoNotCount(t *testing.T) {
	rules, _ := NewRules()
	ogc := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway})})
	reviews := []Review{review("red", 1, "2026-10-01", "Red"), review("ahead", 1, "2099-01-01", "Green")}
	res := Evaluate(ogc, rules, Subject{Kind: "Project", Phase: "Initiating", Reviews: reviews}, now)
	g1 := res.Gates[0]
	if g1.State != v1alpha1.GateUnmet || g1.Cause != v1alpha1.CauseBelowMinimum || g1.Review.String() != "ns/red" {
		t.Errorf("gate 1 = %+v; want Unmet by the Red review", g1)
	}
	if !res.RecheckAt.Equal(day("2099-01-01")) {
		t.Errorf("recheck at %v; want the date of the review dated ahead", res.RecheckAt)
	}
	if got := Superseded(reviews, now); len(got) != 0 {
		t.Errorf("superseded %v; a review dated ahead supersedes nothing", got)
	}
	later := Evaluate(ogc, rules, Subject{Kind: "Project", Phase: "Initiating", Reviews: reviews}, day("2099-01-02"))
	if later.Gates[0].State != v1alpha1.GateMet || later.Gates[0].Review.String() != "ns/ahead" {
		t.Errorf("on its date the review counts: %+v", later.Gates[0])
	}
	if got := Superseded(reviews, day("2099-01-02")); got["ns/red"].Key() != "ns/ahead" {
		t.Errorf("superseded on its date %v", got)
	}
}

// An object under several offices is held to all of them: every gate of
// each, the stricter of gates named alike (both rules must hold), the
// strictest enforcement and thresholds. A reference can add governance,
// never remove any.
func TestCombineIsTightenOnly(t *testing.T) {
	enforcing := Effective([]*v1alpha1.Office{office("central", v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway,
		Enforcement: v1alpha1.EnforcementEnforce, HighRiskSeverity: 12})})
	lenient := Effective([]*v1alpha1.Office{office("team", v1alpha1.GovernancePolicy{Enforcement: v1alpha1.EnforcementAudit, HighRiskSeverity: 20,
		Gates: []v1alpha1.Gate{
			{Name: "gate-3", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Closing",
				Review: &v1alpha1.ReviewRequirement{Gate: reviewGate(3), MinimumConfidence: v1alpha1.ConfidenceRed}},
			{Name: "owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Delivering",
				Rule: &v1alpha1.GateRule{Expression: "true", Message: "always"}},
		}})})
	for _, order := range [][]Policy{{enforcing, lenient}, {lenient, enforcing}} {
		p := Combine(order...)
		if p.Enforcement != v1alpha1.EnforcementEnforce || p.Health.HighRiskSeverity != 12 {
			t.Errorf("enforcement %s, high risk %d; want the strictest", p.Enforcement, p.Health.HighRiskSeverity)
		}
		g3 := gateByName(p, "gate-3")
		if g3 == nil || g3.RequiredFrom != "Delivering" || g3.Review.MinimumConfidence != v1alpha1.ConfidenceAmber {
			t.Errorf("gate-3 %+v; want the enforcing office's, which is stricter", g3)
		}
		if gateByName(p, "owners") == nil || gateByName(p, "gate-1") == nil || len(p.Gates) != 7 {
			t.Errorf("gates %v; want every gate of both", p.Names())
		}
	}
	strict := Effective([]*v1alpha1.Office{office("a", v1alpha1.GovernancePolicy{Gates: []v1alpha1.Gate{
		{Name: "owners", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Delivering",
			Rule: &v1alpha1.GateRule{Expression: "false", Message: "never"}}}})})
	rules, _ := NewRules()
	res := Evaluate(Combine(lenient, strict), rules, Subject{Kind: "Project", Phase: "Delivering", Object: map[string]any{}}, now)
	for _, g := range res.Gates {
		if g.Name == "owners" && g.State != v1alpha1.GateUnmet {
			t.Errorf("a gate named alike with a permissive rule sheds the strict one: %+v", g)
		}
	}
}

// Rules have the Kubernetes CEL libraries, so a PMO can compare money and
// text the way the API server's own rules do.
func TestRulesHaveTheKubernetesLibraries(t *testing.T) {
	rules, err := NewRules()
	if err != nil {
		t.Fatal(err)
	}
	project := map[string]any{"spec": map[string]any{
		"plan":     map[string]any{"budget": "2.5M"},
		"risks":    []any{map[string]any{"name": "R-1", "probability": int64(5), "impact": int64(4), "owner": "Ann"}, map[string]any{"name": "R-2", "probability": int64(1), "impact": int64(2)}},
		"category": "IT",
	}}
	cases := []struct {
		rule string
		want bool
	}{
		{"quantity(object.spec.plan.budget).isGreaterThan(quantity('1M'))", true},
		{"quantity(object.spec.plan.budget).compareTo(quantity('3M')) < 0", true},
		{"object.spec.risks.all(r, r.probability * r.impact < 15 || has(r.owner))", true},
		{"object.spec.category.lowerAscii() == 'it'", true},
		{"object.spec.risks.map(r, r.name).isSorted()", true},
		{"sets.contains(['IT', 'Finance'], [object.spec.category])", true},
		{"object.spec.category.matches('^[A-Z]+$')", true},
		{"isURL('https://pmo.example/erp') && url('https://pmo.example/erp').getHost() == 'pmo.example'", true},
		// The README's examples.
		{"quantity(string(object.spec.plan.budget)).compareTo(quantity('1M')) <= 0 || has(object.spec.manager)", false},
		{"!has(object.spec.risks) || object.spec.risks.all(r, r.probability * r.impact < 15 || has(r.owner))", true},
		{"object.spec.category.lowerAscii() in ['run', 'grow', 'transform']", false},
	}
	for _, tc := range cases {
		got, _, err := rules.Eval(tc.rule, project)
		if err != nil || got != tc.want {
			t.Errorf("%s = %v, %v; want %v", tc.rule, got, err, tc.want)
		}
	}
}

// A rule's worst case is estimated from the schema's bounds when its
// Office is admitted; one beyond the limit is refused with the estimate in
// the message, as the API server refuses costly validation rules.
func TestRuleCostIsEstimatedFromTheSchema(t *testing.T) {
	rules, _ := NewRules()
	project := []v1alpha1.SubjectKind{"Project"}
	cheap := v1alpha1.Gate{Name: "owners", AppliesTo: project, RequiredFrom: "Delivering",
		Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(r, r.probability * r.impact < 15 || has(r.owner))", Message: "m"}}
	cost, err := rules.CheckGate(cheap)
	if err != nil || cost == 0 || cost > CostLimit {
		t.Errorf("a rule over one bounded list: cost %d, %v", cost, err)
	}
	nested := v1alpha1.Gate{Name: "nested", AppliesTo: project, RequiredFrom: "Delivering",
		Rule: &v1alpha1.GateRule{Expression: "object.spec.risks.all(a, object.spec.risks.all(b, object.spec.risks.all(c, object.spec.benefits.all(d, a.name != d.name))))", Message: "m"}}
	if cost, err := rules.CheckGate(nested); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("exceeds the limit %d by a factor of", CostLimit)) {
		t.Errorf("nested comprehensions: cost %d, %v; want refused with the estimate", cost, err)
	}
	if err := Applicable(v1alpha1.Gate{Name: "g", AppliesTo: project, RequiredFrom: "Defining"}); err == nil || !strings.Contains(err.Error(), "requiredFrom Defining is not a phase of [Project]") {
		t.Errorf("a Programme phase on a Project gate: %v", err)
	}
	if err := Applicable(v1alpha1.Gate{Name: "g", AppliesTo: []v1alpha1.SubjectKind{"Project", "Programme"}, RequiredFrom: "Defining"}); err != nil {
		t.Errorf("Defining applies to the Programme: %v", err)
	}
}

// All the rules of one object together stay within a cost budget, so that
// many costly rules cannot push an admission answer past its timeout: the
// rules beyond it are not run and count as errors (which Enforce denies).
func TestRulesShareOneBudgetPerObject(t *testing.T) {
	rules, _ := NewRules()
	list := "[0,1,2,3,4,5,6,7,8]"
	costly := list + ".all(a, " + list + ".all(b, " + list + ".all(c, a+b+c >= 0)))"
	_, cost, err := rules.Eval(costly, map[string]any{})
	if err != nil || cost < CostLimit/4 || cost > CostLimit {
		t.Fatalf("the test rule costs %d (%v); it must cost between a quarter of and the whole limit", cost, err)
	}
	var gates []v1alpha1.Gate
	for i := range 40 {
		gates = append(gates, v1alpha1.Gate{Name: fmt.Sprintf("g%02d", i), AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "StartingUp",
			Rule: &v1alpha1.GateRule{Expression: costly, Message: "m"}})
	}
	res := Evaluate(Policy{Enforcement: v1alpha1.EnforcementEnforce, Gates: gates}, rules, Subject{Kind: "Project", Phase: "Delivering", Object: map[string]any{}}, now)
	run := 0
	for _, g := range res.Gates {
		if g.State == v1alpha1.GateMet {
			run++
		} else if g.Cause != v1alpha1.CauseRuleError || !strings.Contains(g.Message, "cost budget") {
			t.Errorf("%s: %+v", g.Name, g)
		}
	}
	if run == 0 || uint64(run)*cost > CostBudget+CostLimit || run == len(gates) {
		t.Errorf("%d of %d rules ran at %d each; the budget is %d", run, len(gates), cost, CostBudget)
	}
}
