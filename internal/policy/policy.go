/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package policy computes the effective governance policy of an Office (its
// own settings on top of its hub's, which a Satellite may only tighten) and
// evaluates an object's compliance with its gates: OGC Gateway Reviews and
// CEL rules. It is pure: callers fetch offices, reviews and objects.
package policy

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"time"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/health"
)

// Policy is the effective governance policy of an office.
type Policy struct {
	// Enforcement is what happens when a gate is unmet.
	Enforcement v1alpha1.Enforcement
	// Gates are ordered by the phase they are required from, then name.
	Gates []v1alpha1.Gate
	// Health holds the thresholds that derive health.
	Health health.Policy
	// ConfidenceScale is the Delivery Confidence scale reviews are rated
	// on: FivePoint unless an office chooses ThreePoint.
	ConfidenceScale v1alpha1.ConfidenceScale
	// Ignored lists, one line each, settings a Satellite made looser than its
	// hub's; the hub's apply.
	Ignored []string
}

// phaseRank orders phases across both lifecycles.
var phaseRank = map[string]int{
	"StartingUp": 0, "Identifying": 0, "Initiating": 1, "Defining": 1, "Delivering": 2, "Closing": 3, "Closed": 4,
}

// kindPhases are the phases of each kind, in order.
var kindPhases = map[v1alpha1.SubjectKind][]string{
	v1alpha1.SubjectKindProject:   {"StartingUp", "Initiating", "Delivering", "Closing", "Closed"},
	v1alpha1.SubjectKindProgramme: {"Identifying", "Defining", "Delivering", "Closing", "Closed"},
}

var enforcementRank = map[v1alpha1.Enforcement]int{"": 0, v1alpha1.EnforcementAudit: 1, v1alpha1.EnforcementWarn: 2, v1alpha1.EnforcementEnforce: 3}

var confidenceRank = map[v1alpha1.DeliveryConfidence]int{
	v1alpha1.ConfidenceGreen: 1, v1alpha1.ConfidenceAmberGreen: 2, v1alpha1.ConfidenceAmber: 3, v1alpha1.ConfidenceAmberRed: 4, v1alpha1.ConfidenceRed: 5,
}

// Effective computes the effective policy of the last office of chain,
// which runs from the root hub down to that office. Each office adds its
// profile's gates and its own; a Satellite may only tighten what it
// inherits.
func Effective(chain []*v1alpha1.Office) Policy {
	p := Policy{Enforcement: v1alpha1.EnforcementAudit, Health: health.DefaultPolicy, ConfidenceScale: v1alpha1.ConfidenceScaleFivePoint}
	byName := map[string]v1alpha1.Gate{}
	for i, office := range chain {
		root := i == 0
		who := office.Namespace + "/" + office.Name
		ignore := func(format string, args ...any) {
			p.Ignored = append(p.Ignored, who+": "+fmt.Sprintf(format, args...))
		}
		p.tightenSettings(office.Spec.Governance, root, ignore)
		for name, gate := range ownGates(office.Spec.Governance) {
			inherited, ok := byName[name]
			if !ok || root {
				byName[name] = gate
				continue
			}
			byName[name] = tighten(inherited, gate, func(format string, args ...any) {
				ignore("gate %s: "+format, append([]any{name}, args...)...)
			})
		}
	}
	for _, gate := range byName {
		p.Gates = append(p.Gates, gate)
	}
	sortGates(p.Gates)
	return p
}

// tightenSettings applies an office's enforcement, warning tolerance,
// high-risk severity and reporting cadence: the root office's as they are,
// another's only where they are at least as strict as what it inherits
// (ignore records the others).
func (p *Policy) tightenSettings(g v1alpha1.GovernancePolicy, root bool, ignore func(format string, args ...any)) {
	if g.Enforcement != "" {
		if root || enforcementRank[g.Enforcement] >= enforcementRank[p.Enforcement] {
			p.Enforcement = g.Enforcement
		} else {
			ignore("enforcement %s is weaker than the hub's %s", g.Enforcement, p.Enforcement)
		}
	}
	tightenInt := func(name string, v int32, current *int32) {
		switch {
		case v == 0:
		case root || v <= *current:
			*current = v
		default:
			ignore("%s %d is looser than the hub's %d", name, v, *current)
		}
	}
	if g.UnderrunHealth != "" {
		if v := v1alpha1.Health(g.UnderrunHealth); root || health.Rank(v) >= health.Rank(p.Health.UnderrunHealth) {
			p.Health.UnderrunHealth = v
		} else {
			ignore("underrunHealth %s is more lenient than the hub's %s", v, p.Health.UnderrunHealth)
		}
	}
	if g.ConfidenceScale != "" {
		if root || g.ConfidenceScale == p.ConfidenceScale {
			p.ConfidenceScale = g.ConfidenceScale
		} else {
			ignore("confidenceScale %s differs from the hub's %s", g.ConfidenceScale, p.ConfidenceScale)
		}
	}
	tightenInt("toleranceWarningPercent", g.ToleranceWarningPercent, &p.Health.WarningPercent)
	tightenInt("highRiskSeverity", g.HighRiskSeverity, &p.Health.HighRiskSeverity)
	if d, err := g.ReportingCadence.Duration(); err == nil {
		if root || d <= p.Health.ReportingCadence {
			p.Health.ReportingCadence = d
		} else {
			ignore("reportingCadence %s is longer than the hub's", g.ReportingCadence)
		}
	}
}

// ownGates are the gates an office adds, by name: its profile's, and its
// own in their place where they share a name.
func ownGates(g v1alpha1.GovernancePolicy) map[string]v1alpha1.Gate {
	own := map[string]v1alpha1.Gate{}
	for _, gate := range Profile(g.Profile) {
		own[gate.Name] = gate
	}
	for _, gate := range g.Gates {
		own[gate.Name] = *gate.DeepCopy()
	}
	return own
}

// sortGates orders gates by the phase they are required from, then name.
func sortGates(gates []v1alpha1.Gate) {
	sort.Slice(gates, func(i, j int) bool {
		a, b := gates[i], gates[j]
		if phaseRank[string(a.RequiredFrom)] != phaseRank[string(b.RequiredFrom)] {
			return phaseRank[string(a.RequiredFrom)] < phaseRank[string(b.RequiredFrom)]
		}
		return a.Name < b.Name
	})
}

// tighten merges a Satellite's version of a gate into the inherited one,
// keeping whichever setting is stricter and reporting looser ones.
func tighten(inherited, own v1alpha1.Gate, ignore func(string, ...any)) v1alpha1.Gate {
	out := *inherited.DeepCopy()
	for _, k := range own.AppliesTo {
		if !contains(out.AppliesTo, k) {
			out.AppliesTo = append(out.AppliesTo, k)
		}
	}
	if phaseRank[string(own.RequiredFrom)] < phaseRank[string(out.RequiredFrom)] {
		out.RequiredFrom = own.RequiredFrom
	} else if phaseRank[string(own.RequiredFrom)] > phaseRank[string(out.RequiredFrom)] {
		ignore("requiredFrom %s is later than the hub's %s", own.RequiredFrom, out.RequiredFrom)
	}
	out.DueWithin = shorter(out.DueWithin, own.DueWithin, "dueWithin", ignore)

	switch {
	case own.Review == nil:
	case out.Review == nil:
		out.Review = own.Review.DeepCopy()
	case own.Review.GateNumber() != out.Review.GateNumber():
		ignore("review gate %d differs from the hub's %d", own.Review.GateNumber(), out.Review.GateNumber())
	default:
		if minimum(own.Review) < minimum(out.Review) {
			out.Review.MinimumConfidence = own.Review.MinimumConfidence
		} else if minimum(own.Review) > minimum(out.Review) {
			ignore("minimumConfidence %s is looser than the hub's %s", own.Review.MinimumConfidence, minimumName(out.Review))
		}
		out.Review.MaxAge = shorter(out.Review.MaxAge, own.Review.MaxAge, "maxAge", ignore)
		switch {
		case own.Review.DecisionPoints == v1alpha1.DecisionPointsTrancheEnds:
			out.Review.DecisionPoints = own.Review.DecisionPoints
		case own.Review.DecisionPoints != "" && out.Review.DecisionPoints == v1alpha1.DecisionPointsTrancheEnds:
			ignore("decisionPoints %s is looser than the hub's %s", own.Review.DecisionPoints, out.Review.DecisionPoints)
		}
	}

	switch {
	case own.Rule == nil:
	case out.Rule == nil:
		out.Rule = own.Rule.DeepCopy()
	case *own.Rule != *out.Rule:
		ignore("rule differs from the hub's; the hub's applies (add a gate of another name to add a rule)")
	}
	return out
}

// shorter keeps the shorter of two periods, where unset means unbounded.
func shorter(inherited, own v1alpha1.Duration, name string, ignore func(string, ...any)) v1alpha1.Duration {
	a, errA := inherited.Duration()
	b, errB := own.Duration()
	switch {
	case errB != nil: // own unset
		return inherited
	case errA != nil, b <= a:
		return own
	default:
		ignore("%s %s is longer than the hub's %s", name, own, inherited)
		return inherited
	}
}

func minimum(r *v1alpha1.ReviewRequirement) int {
	if r.MinimumConfidence == "" {
		return confidenceRank[v1alpha1.ConfidenceAmber]
	}
	return confidenceRank[r.MinimumConfidence]
}

func minimumName(r *v1alpha1.ReviewRequirement) v1alpha1.DeliveryConfidence {
	if r.MinimumConfidence == "" {
		return v1alpha1.ConfidenceAmber
	}
	return r.MinimumConfidence
}

func contains(kinds []v1alpha1.SubjectKind, k v1alpha1.SubjectKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Advances reports whether moving from phase from to phase to goes forward
// in kind's lifecycle. Unknown phases count as forward.
func Advances(kind v1alpha1.SubjectKind, from, to string) bool {
	at, next := slices.Index(kindPhases[kind], from), slices.Index(kindPhases[kind], to)
	return at < 0 || next < 0 || next > at
}

// Stricter returns the stricter of two enforcements.
func Stricter(a, b v1alpha1.Enforcement) v1alpha1.Enforcement {
	if enforcementRank[b] > enforcementRank[a] {
		return b
	}
	return a
}

// Names lists the gate names of a policy.
func (p Policy) Names() []string {
	out := make([]string, 0, len(p.Gates))
	for _, g := range p.Gates {
		out = append(out, g.Name)
	}
	return out
}

// reached reports whether phase is at or after from in kind's lifecycle;
// false when from is not a phase of kind.
func reached(kind v1alpha1.SubjectKind, phase, from string) (bool, bool) {
	phases := kindPhases[kind]
	at, need := -1, -1
	for i, p := range phases {
		if p == phase {
			at = i
		}
		if p == from {
			need = i
		}
	}
	if need < 0 {
		return false, false
	}
	return at >= need, true
}

// dateOf formats a time as a date.
func dateOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Combine is the policy of an object governed by several offices at once
// (its own officeRef's, its programme's, its portfolio's, each already the
// effective policy along its hub chain): every gate of every policy applies,
// a gate named alike in two is held to the stricter of both, and the
// strictest enforcement and health thresholds win. Adding a reference can
// therefore add governance, never remove any. Looser settings are not
// reported here: they are nobody's mistake, only another office's choice.
func Combine(policies ...Policy) Policy {
	if len(policies) == 0 {
		return Policy{}
	}
	out := Policy{Enforcement: policies[0].Enforcement, Health: policies[0].Health, ConfidenceScale: policies[0].ConfidenceScale}
	byName := map[string]v1alpha1.Gate{}
	var order []string
	ignore := func(string, ...any) {}
	for i, p := range policies {
		if i > 0 {
			out.Enforcement = Stricter(out.Enforcement, p.Enforcement)
			out.Health = stricterHealth(out.Health, p.Health)
			if p.ConfidenceScale == v1alpha1.ConfidenceScaleThreePoint {
				out.ConfidenceScale = p.ConfidenceScale
			}
		}
		out.Ignored = append(out.Ignored, p.Ignored...)
		for _, gate := range p.Gates {
			have, ok := byName[gate.Name]
			switch {
			case !ok:
				byName[gate.Name] = *gate.DeepCopy()
				order = append(order, gate.Name)
			case have.Review != nil && gate.Review != nil && have.Review.GateNumber() != gate.Review.GateNumber():
				// Two offices mean different things by one name: both apply.
				other := *gate.DeepCopy()
				other.Name = fmt.Sprintf("%.60s-%d", gate.Name, i+1)
				byName[other.Name] = other
				order = append(order, other.Name)
			default:
				merged := tighten(have, gate, ignore)
				if have.Rule != nil && gate.Rule != nil && *have.Rule != *gate.Rule {
					// Both rules must hold.
					merged.Rule = &v1alpha1.GateRule{
						Expression: "(" + have.Rule.Expression + ") && (" + gate.Rule.Expression + ")",
						Message:    have.Rule.Message + "; " + gate.Rule.Message,
					}
				}
				byName[gate.Name] = merged
			}
		}
	}
	for _, name := range order {
		out.Gates = append(out.Gates, byName[name])
	}
	sortGates(out.Gates)
	return out
}

// stricterHealth keeps the stricter of each threshold: the smaller warning
// share, the lower high-risk severity, the shorter reporting cadence and
// the worse underrun health.
func stricterHealth(a, b health.Policy) health.Policy {
	return health.Policy{
		WarningPercent:   min(a.WarningPercent, b.WarningPercent),
		HighRiskSeverity: min(a.HighRiskSeverity, b.HighRiskSeverity),
		ReportingCadence: min(a.ReportingCadence, b.ReportingCadence),
		UnderrunHealth:   health.Worse(a.UnderrunHealth, b.UnderrunHealth),
	}
}

// Covers reports whether p is at least as strict as q: tightening p with q
// changes none of its enforcement, gates or health thresholds.
func Covers(p, q Policy) bool {
	alone, both := Combine(p), Combine(p, q)
	return both.Enforcement == alone.Enforcement && reflect.DeepEqual(both.Gates, alone.Gates) && both.Health == alone.Health &&
		both.ConfidenceScale == alone.ConfidenceScale
}

// FirstPhase is the phase a subject of kind starts in.
func FirstPhase(kind v1alpha1.SubjectKind) string {
	return kindPhases[kind][0]
}
