/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/words"
)

// Explanation is what `why` prints: an object's health, gates and
// conditions, all read from its status.
type Explanation struct {
	Kind               string `json:"kind"`
	Namespace          string `json:"namespace"`
	Name               string `json:"name"`
	Generation         int64  `json:"generation,omitempty"`
	ObservedGeneration int64  `json:"observedGeneration,omitempty"`
	// Type is an Office's type.
	Type  string `json:"type,omitempty"`
	Phase string `json:"phase,omitempty"`

	Health string `json:"health,omitempty"`
	// DerivedHealth and DeclaredRAG are a Project's two healths; the worse
	// counts.
	DerivedHealth string   `json:"derivedHealth,omitempty"`
	DeclaredRAG   string   `json:"declaredRAG,omitempty"`
	HealthReasons []string `json:"healthReasons,omitempty"`
	// Causes are the descendants that give a rollup its health.
	Causes []v1alpha1.HealthCause `json:"causes,omitempty"`
	// ToleranceExceptions are a Project's forecasts beyond tolerance
	// (status.toleranceExceptions), each of its kind.
	ToleranceExceptions []v1alpha1.ToleranceException `json:"toleranceExceptions,omitempty"`
	// Risks are the open threats and opportunities, apart: a Project's or
	// Programme's own register (status.risks), the rollup's for an Office
	// or a Portfolio.
	Risks *v1alpha1.RiskSummary `json:"risks,omitempty"`

	// Office is the governing office (Portfolios, Programmes, Projects).
	Office *v1alpha1.ObjectReference `json:"office,omitempty"`
	// Hub is the root of an Office's hub chain.
	Hub *v1alpha1.ObjectReference `json:"hub,omitempty"`
	// Capacity, Committed and OverCommitted are a Portfolio's, the amounts
	// written exactly as status writes them ("4500001500.25").
	Capacity      v1alpha1.Amount `json:"capacity,omitempty"`
	Committed     v1alpha1.Amount `json:"committed,omitempty"`
	OverCommitted *bool           `json:"overCommitted,omitempty"`
	Currency      string          `json:"currency,omitempty"`
	// CommittedByYear is a Portfolio's committed money against its
	// capacity by financial year, as status.committedByYear holds it.
	CommittedByYear []v1alpha1.YearCommitment `json:"committedByYear,omitempty"`

	Enforcement string `json:"enforcement,omitempty"`
	// PolicyGates are the names of an Office's effective gates.
	PolicyGates []string              `json:"policyGates,omitempty"`
	Gates       []v1alpha1.GateStatus `json:"gates,omitempty"`
	NextGate    string                `json:"nextGate,omitempty"`

	// Dependencies are a Project's or Programme's dependencies with their
	// verdicts (status.dependencies).
	Dependencies []v1alpha1.DependencyStatus `json:"dependencies,omitempty"`

	// Review is a GatewayReview's record and what it satisfies.
	Review *ReviewSummary `json:"review,omitempty"`

	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// ReviewSummary is a GatewayReview's record and status.
type ReviewSummary struct {
	Subject            string `json:"subject"`
	Gate               int32  `json:"gate"`
	Date               string `json:"date,omitempty"`
	DeliveryConfidence string `json:"deliveryConfidence,omitempty"`
	// Scale is the scale the review says it was rated on (findings.scale).
	Scale        string                    `json:"scale,omitempty"`
	Satisfies    []string                  `json:"satisfies,omitempty"`
	SupersededBy *v1alpha1.ObjectReference `json:"supersededBy,omitempty"`
	ExpiresAt    *metav1.Time              `json:"expiresAt,omitempty"`
}

// explain reads an object's status into an Explanation.
func explain(obj client.Object) Explanation {
	e := Explanation{Namespace: obj.GetNamespace(), Name: obj.GetName(), Generation: obj.GetGeneration()}
	switch o := obj.(type) {
	case *v1alpha1.Office:
		s := o.Status
		e.Kind, e.Type, e.ObservedGeneration, e.Conditions = "Office", string(o.Spec.Type), s.ObservedGeneration, s.Conditions
		e.Health, e.Causes, e.Hub = string(s.Rollup.Health), s.Rollup.Causes, s.Hub
		e.Enforcement, e.PolicyGates = string(s.Enforcement), s.Gates
		e.Risks = risksOf(s.Rollup.Risks)
	case *v1alpha1.Portfolio:
		s := o.Status
		e.Kind, e.ObservedGeneration, e.Conditions = "Portfolio", s.ObservedGeneration, s.Conditions
		e.Health, e.Causes, e.Office = string(s.Rollup.Health), s.Rollup.Causes, s.Office
		e.Capacity, e.Committed, e.OverCommitted, e.Currency = money.Amount(money.Of(o.Spec.Capacity)), s.Committed, s.OverCommitted, string(s.Rollup.Money.Currency)
		e.CommittedByYear = s.CommittedByYear
		e.Risks = risksOf(s.Rollup.Risks)
	case *v1alpha1.Programme:
		s := o.Status
		e.Kind, e.Phase, e.ObservedGeneration, e.Conditions = "Programme", string(o.Spec.Phase), s.ObservedGeneration, s.Conditions
		e.Health, e.HealthReasons, e.Causes, e.Office = string(s.Health), s.HealthReasons, s.Rollup.Causes, s.Office
		e.Enforcement, e.Gates, e.NextGate = string(s.Compliance.Enforcement), s.Compliance.Gates, s.Compliance.NextGate
		e.Dependencies = s.Dependencies
		e.Risks = risksOf(s.Risks)
	case *v1alpha1.Project:
		s := o.Status
		e.Kind, e.Phase, e.ObservedGeneration, e.Conditions = "Project", string(o.Spec.Phase), s.ObservedGeneration, s.Conditions
		e.Health, e.DerivedHealth, e.DeclaredRAG, e.HealthReasons = string(s.Health), string(s.DerivedHealth), string(o.Spec.DeclaredRAG), s.HealthReasons
		e.Office = s.Office
		e.Enforcement, e.Gates, e.NextGate = string(s.Compliance.Enforcement), s.Compliance.Gates, s.Compliance.NextGate
		e.Dependencies = s.Dependencies
		e.ToleranceExceptions, e.Risks = s.ToleranceExceptions, risksOf(s.Risks)
	case *v1alpha1.GatewayReview:
		s := o.Status
		e.Kind, e.ObservedGeneration, e.Conditions = "GatewayReview", s.ObservedGeneration, s.Conditions
		subject := o.Spec.SubjectRef
		r := &ReviewSummary{Subject: string(subject.Kind) + " " + subject.NamespaceOr(o.Namespace) + "/" + string(subject.Name),
			Gate: o.Spec.GateNumber(), Date: string(o.Spec.Date), Satisfies: s.Satisfies, SupersededBy: s.SupersededBy, ExpiresAt: s.ExpiresAt}
		if o.Spec.Findings != nil {
			r.DeliveryConfidence, r.Scale = string(o.Spec.Findings.DeliveryConfidence), string(o.Spec.Findings.Scale)
		}
		e.Review = r
	}
	return e
}

// risksOf is a risk summary, nil when it counts nothing.
func risksOf(r v1alpha1.RiskSummary) *v1alpha1.RiskSummary {
	if r == (v1alpha1.RiskSummary{}) {
		return nil
	}
	return &r
}

// conditionOrder puts the conditions `why` is about first.
var conditionOrder = []v1alpha1.ConditionType{v1alpha1.ConditionParentResolved, v1alpha1.ConditionReady,
	v1alpha1.ConditionReconciling, v1alpha1.ConditionStalled}

// writeWhy writes an Explanation in a few lines for people.
func writeWhy(w io.Writer, p printer, e Explanation) error {
	var l whyLines
	l.title(e)
	if e.Review == nil {
		l.health(p, e)
		l.exceptions(p, e.ToleranceExceptions)
		l.risks(e.Risks)
	}
	l.place(e)
	if e.Review != nil {
		l.review(*e.Review)
	}
	l.gates(p, e)
	l.dependencies(p, e.Dependencies)
	l.conditions(e)
	_, err := io.WriteString(w, l.b.String())
	return err
}

// whyLines gathers the lines of an explanation.
type whyLines struct{ b strings.Builder }

// line adds a line, formatted as by fmt.Sprintf.
func (l *whyLines) line(format string, args ...any) { fmt.Fprintf(&l.b, format+"\n", args...) }

// title writes the object's kind, name and type or phase, and whether its
// status is behind the object or missing.
func (l *whyLines) title(e Explanation) {
	title := e.Kind + " " + e.Namespace + "/" + e.Name
	switch {
	case e.Type != "":
		title += " (" + e.Type + ")"
	case e.Phase != "":
		title += " (" + e.Phase + ")"
	}
	l.line("%s", clean(title))
	if e.ObservedGeneration != 0 && e.ObservedGeneration != e.Generation {
		l.line("Status is of generation %d; the object is at generation %d: the operator has not caught up yet.", e.ObservedGeneration, e.Generation)
	} else if e.ObservedGeneration == 0 && len(e.Conditions) == 0 {
		l.line("No status yet: the operator has not reconciled this object (is it running?).")
	}
}

// health writes the health, derived and declared, with its reasons, or
// the children that cause it when it has no reasons of its own.
func (l *whyLines) health(p printer, e Explanation) {
	health := p.health(clean(orDash(e.Health)))
	switch {
	case e.DeclaredRAG != "":
		health += fmt.Sprintf(" (derived %s, declared %s: the worse counts)", p.health(clean(orDash(e.DerivedHealth))), p.health(clean(e.DeclaredRAG)))
	case e.DerivedHealth != "":
		health += fmt.Sprintf(" (derived %s, none declared)", p.health(clean(e.DerivedHealth)))
	}
	l.line("Health: %s", health)
	for _, r := range e.HealthReasons {
		l.line("  - %s", clean(r))
	}
	if len(e.HealthReasons) == 0 {
		for _, c := range e.Causes {
			cause := clean(fmt.Sprintf("%s %s/%s is ", c.Kind, c.Namespace, c.Name)) + p.health(clean(string(c.Health)))
			if c.Reason != "" {
				cause += ": " + clean(c.Reason)
			}
			l.line("  - %s", cause)
		}
	}
}

// exceptions writes the forecasts beyond tolerance, each by its kind in
// PRINCE2's words, with what it does to health.
func (l *whyLines) exceptions(p printer, exceptions []v1alpha1.ToleranceException) {
	if len(exceptions) == 0 {
		return
	}
	l.line("Exceptions (forecasts beyond tolerance):")
	for _, x := range exceptions {
		l.line("  - %s (%s): %s", clean(x.Kind.Words()), p.health(clean(string(x.Health))), clean(x.Message))
	}
}

// risks writes the open threats and opportunities, apart.
func (l *whyLines) risks(r *v1alpha1.RiskSummary) {
	if r == nil {
		return
	}
	l.line("Risks: %s (%d high), exposure %d; %s, exposure %d",
		words.Count(int(r.Open), "open threat", "open threats"), r.High, r.Exposure,
		words.Count(int(r.Opportunities), "open opportunity", "open opportunities"), r.OpportunityExposure)
}

// place writes the governing office, the hub and the capacity, each when
// there is one.
func (l *whyLines) place(e Explanation) {
	if e.Office != nil {
		l.line("Office: %s", clean(e.Office.String()))
	}
	if e.Hub != nil {
		l.line("Hub: %s", clean(e.Hub.String()))
	}
	if e.Committed != "" || e.Capacity != "" {
		capacity := fmt.Sprintf("Capacity: committed %s of %s", moneyCell(e.Committed, e.Currency), moneyCell(e.Capacity, e.Currency))
		if e.OverCommitted != nil && *e.OverCommitted {
			capacity += " (over-committed)"
		}
		l.line("%s", capacity)
	}
	l.capacityByYear(e.CommittedByYear)
}

// capacityByYear writes a portfolio's committed money against its capacity
// in each financial year, as its status writes them.
func (l *whyLines) capacityByYear(years []v1alpha1.YearCommitment) {
	if len(years) == 0 {
		return
	}
	l.line("Capacity by financial year (named by the calendar year it starts in):")
	for _, y := range years {
		line := fmt.Sprintf("  %d: committed %s", y.Year, orDash(y.Display.Committed))
		if y.Display.Capacity != "" {
			line += " of " + y.Display.Capacity
		}
		l.line("%s", clean(line+" ("+v1alpha1.OverCommittedWords(y.OverCommitted)+")"))
	}
}

// review writes what a Gateway Review is of, what it satisfies, and what
// supersedes it or when it expires.
func (l *whyLines) review(r ReviewSummary) {
	scale := ""
	if r.Scale != "" {
		scale = " (rated on the " + clean(r.Scale) + " scale)"
	}
	l.line("Review: gate %d of %s on %s, Delivery Confidence %s%s", r.Gate, clean(r.Subject), clean(orDash(r.Date)), clean(orDash(r.DeliveryConfidence)), scale)
	if len(r.Satisfies) > 0 {
		l.line("Satisfies: %s", clean(strings.Join(r.Satisfies, ", ")))
	} else {
		l.line("Satisfies: no gate")
	}
	if r.SupersededBy != nil {
		l.line("Superseded by: %s", clean(r.SupersededBy.String()))
	}
	if r.ExpiresAt != nil {
		l.line("Expires: %s", date(r.ExpiresAt))
	}
}

// gates writes the enforcement, the policy's gates, each gate's state and
// the next gate, each when there is one.
func (l *whyLines) gates(p printer, e Explanation) {
	if e.Enforcement != "" {
		l.line("Enforcement: %s", clean(e.Enforcement))
	}
	if len(e.PolicyGates) > 0 {
		l.line("Gates of the policy: %s", clean(strings.Join(e.PolicyGates, ", ")))
	}
	if len(e.Gates) > 0 {
		l.line("Gates:")
		for _, g := range e.Gates {
			l.line("  %s", clean(p.gateLine(g)))
		}
	}
	if e.NextGate != "" {
		l.line("Next gate: %s", clean(e.NextGate))
	}
}

// dependencies writes each dependency with its state, the health it
// lowers this object's to, and why.
func (l *whyLines) dependencies(p printer, deps []v1alpha1.DependencyStatus) {
	if len(deps) == 0 {
		return
	}
	l.line("Dependencies:")
	for _, d := range deps {
		state := string(d.State) + " (" + string(d.Cause) + ")"
		if d.Impact != "" {
			state += ", makes this " + p.health(clean(string(d.Impact)))
		}
		l.line("  %s %s/%s, needed by %s: %s: %s", clean(string(d.Kind)), clean(d.Provider.Namespace), clean(d.Provider.Name), clean(string(d.NeededBy)), state, clean(d.Detail()))
	}
}

// conditions writes the conditions, those `why` is about first.
func (l *whyLines) conditions(e Explanation) {
	if len(e.Conditions) == 0 {
		return
	}
	l.line("Conditions:")
	for _, c := range orderConditions(e.Conditions) {
		cond := fmt.Sprintf("  %s: %s (%s)", c.Type, c.Status, c.Reason)
		if c.Message != "" {
			cond += " " + c.Message
		}
		l.line("%s", clean(cond))
	}
}

// gateLine is one gate in a line: state and cause, what is missing or
// the review that satisfies it, and its dates.
func (p printer) gateLine(g v1alpha1.GateStatus) string {
	s := gateTitle(g) + ": " + string(g.State)
	if g.Cause != "" {
		s += " (" + string(g.Cause) + ")"
	}
	if g.Message != "" {
		s += ", " + g.Message
	}
	if g.Review != nil {
		if g.State == v1alpha1.GateMet {
			s += "; satisfied by review " + g.Review.String()
		} else {
			s += "; review " + g.Review.String()
		}
	}
	if g.DueAt != nil {
		s += "; due " + date(g.DueAt)
		if g.State == v1alpha1.GateUnmet && g.DueAt.Time.Before(p.now) {
			s += " (overdue)"
		}
	}
	if g.ExpiresAt != nil {
		s += "; expires " + date(g.ExpiresAt)
	}
	return s
}

// gateTitle is the gate's name with its description, once.
func gateTitle(g v1alpha1.GateStatus) string {
	if g.Description == "" || strings.HasPrefix(g.Description, g.Name) {
		return cmp.Or(g.Description, g.Name)
	}
	return g.Name + " (" + g.Description + ")"
}

// orderConditions returns ParentResolved, Ready, Reconciling and Stalled
// first, then the others as status lists them.
func orderConditions(conds []metav1.Condition) []metav1.Condition {
	var out []metav1.Condition
	for _, t := range conditionOrder {
		if c := condition(conds, t); c != nil {
			out = append(out, *c)
		}
	}
	for _, c := range conds {
		if !isOrdered(c.Type) {
			out = append(out, c)
		}
	}
	return out
}

func isOrdered(t string) bool {
	for _, o := range conditionOrder {
		if string(o) == t {
			return true
		}
	}
	return false
}
