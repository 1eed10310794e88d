/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"fmt"
	"math"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/shorten"
)

// Review is a recorded GatewayReview of a subject.
type Review struct {
	// Namespace and Name of the GatewayReview.
	Namespace, Name string
	Gate            int32
	// Date is the date of the review.
	Date time.Time
	// Confidence is the Delivery Confidence; empty while the review is only
	// planned.
	Confidence v1alpha1.DeliveryConfidence
	// Scale is the scale the review was rated on; empty when the review
	// does not say (it is then read on the office's scale).
	Scale v1alpha1.ConfidenceScale
}

// Key is the review's "namespace/name".
func (r Review) Key() string { return r.Namespace + "/" + r.Name }

// Ref is the review as a status reference.
func (r Review) Ref() *v1alpha1.ObjectReference {
	return &v1alpha1.ObjectReference{Namespace: r.Namespace, Name: r.Name}
}

// Subject is a Project or Programme as its gates see it.
type Subject struct {
	Kind  v1alpha1.SubjectKind
	Phase string
	// PhaseSince is when the subject entered its phase.
	PhaseSince time.Time
	// Reviews of the subject (admitted ones only).
	Reviews []Review
	// Object is the subject's JSON form, for rules.
	Object map[string]any
	// DecisionPoints are a Programme's tranche ends, in date order, after
	// Start (the earliest tranche start, or zero): the moments a gate with
	// decisionPoints TrancheEnds falls due again.
	DecisionPoints []DecisionPoint
	// Start is when the programme's first tranche starts: the decision
	// point before the first tranche end. Zero when unknown.
	Start time.Time
}

// DecisionPoint is a moment a programme's review gate falls due again: the
// end of a tranche.
type DecisionPoint struct {
	// Name of the tranche.
	Name string
	// End is the tranche's end date (midnight UTC); the decision point is
	// passed once that day is over.
	End time.Time
}

// Result is a subject's compliance with a policy. A gate's Review names the
// review that satisfies it, or, for an Unmet gate, the review that was not
// good enough.
type Result struct {
	// Gates is the state of every gate that applies to the subject's kind.
	Gates []v1alpha1.GateStatus
	// Unmet and Unknown hold the messages of unmet gates and of gates that
	// could not be evaluated.
	Unmet, Unknown []string
	// NextGate is the first gate not required yet.
	NextGate string
	// RecheckAt is the earliest moment a gate changes on its own (a review
	// expires, a gate falls due); zero when none.
	RecheckAt time.Time
}

// Compliant reports whether every gate due is met.
func (r Result) Compliant() bool { return len(r.Unmet) == 0 && len(r.Unknown) == 0 }

// Evaluate checks a subject against every gate of a policy at time now.
func Evaluate(p Policy, rules *Rules, s Subject, now time.Time) Result {
	var res Result
	budget := uint64(CostBudget)
	if rules.fitsBudget(p.Gates, s.Kind) {
		budget = uncounted
	}
	current := currentReviews(s.Reviews, now)
	for _, r := range s.Reviews {
		if r.Confidence != "" && r.Date.After(now) {
			// Dated ahead: it counts from its date on, and is looked at then.
			res.recheck(r.Date)
		}
	}
	for _, gate := range p.Gates {
		if !contains(gate.AppliesTo, s.Kind) {
			continue
		}
		isReached, isPhase := reached(s.Kind, s.Phase, string(gate.RequiredFrom))
		if !isPhase {
			continue // the gate names a phase the kind does not have
		}
		out := check(gate, p.ConfidenceScale, rules, s, current, &budget, now)
		res.Gates = append(res.Gates, fitted(res.judge(gate, out, isReached, s.PhaseSince, now)))
	}
	return res
}

// judge is the status of a gate whose rule and review were checked (out):
// not yet required before the phase it is required from; met or unknown
// as checked; otherwise not yet required while it is within its due time,
// unmet after. It records in r what the gate adds: its message when
// unmet or unknown, the next gate, and when to look again.
func (r *Result) judge(gate v1alpha1.Gate, out outcome, isReached bool, phaseSince, now time.Time) v1alpha1.GateStatus {
	st := v1alpha1.GateStatus{Name: gate.Name, Description: Label(gate)}
	st.Cause, st.Message = out.cause, out.message
	if out.review != nil {
		st.Review = out.review.Ref()
	}
	if !out.expires.IsZero() {
		st.ExpiresAt = ptrTime(out.expires)
		r.recheck(out.expires)
	}
	if !out.recheck.IsZero() {
		r.recheck(out.recheck)
	}
	switch {
	case !isReached:
		st.State, st.Cause, st.Message = v1alpha1.GateNotYetRequired, v1alpha1.CausePhaseNotReached, "required from "+string(gate.RequiredFrom)
		if out.state == v1alpha1.GateMet {
			st.Message += "; already met"
		} else {
			st.Review, st.ExpiresAt = nil, nil
		}
		r.next(gate.Name)
	case out.state == v1alpha1.GateMet:
		st.State = v1alpha1.GateMet
	case out.state == v1alpha1.GateUnknown:
		st.State = v1alpha1.GateUnknown
		r.Unknown = append(r.Unknown, Label(gate)+": "+out.message)
	default:
		r.due(gate, out.message, &st, phaseSince, now)
	}
	return st
}

// due judges a gate not met in a phase that requires it: not yet required
// until dueWithin after the subject entered the phase (at phaseSince, or
// now when that is unknown), unmet from then on, or at once when the gate
// has no due time.
func (r *Result) due(gate v1alpha1.Gate, message string, st *v1alpha1.GateStatus, phaseSince, now time.Time) {
	due, dueErr := gate.DueWithin.Duration()
	since := phaseSince
	if since.IsZero() {
		since = now
	}
	if dueErr == nil {
		dueAt := since.Add(due)
		st.DueAt = ptrTime(dueAt)
		if now.Before(dueAt) {
			st.State, st.Message = v1alpha1.GateNotYetRequired, "due by "+dateOf(dueAt)+"; "+message
			st.Review = nil
			r.recheck(dueAt)
			r.next(gate.Name)
			return
		}
		st.Message = "overdue since " + dateOf(dueAt) + ": " + message
	}
	st.State = v1alpha1.GateUnmet
	r.Unmet = append(r.Unmet, Label(gate)+": "+st.Message)
}

// next records gate as the next gate, unless an earlier one is.
func (r *Result) next(gate string) {
	if r.NextGate == "" {
		r.NextGate = gate
	}
}

// fitted shortens the texts of a gate's status to the bounds of their
// fields: a long description or rule message shows cut, never refused.
func fitted(st v1alpha1.GateStatus) v1alpha1.GateStatus {
	st.Description = shorten.To(st.Description, v1alpha1.GateDescriptionMaxLength)
	st.Message = shorten.To(st.Message, v1alpha1.GateMessageMaxLength)
	return st
}

func (r *Result) recheck(t time.Time) {
	if r.RecheckAt.IsZero() || t.Before(r.RecheckAt) {
		r.RecheckAt = t
	}
}

// outcome is what a gate's review requirement and rule give, before its
// phase and due date are considered.
type outcome struct {
	// state is Met, Unmet or Unknown.
	state   v1alpha1.GateState
	cause   v1alpha1.GateCause
	message string
	// expires is when a satisfying review passes its maximum age.
	expires time.Time
	// review is the review judged, if any.
	review *Review
	// recheck is when the outcome changes on its own other than by
	// expiry: the next decision point.
	recheck time.Time
}

// uncounted is the budget of an object whose rules' estimated worst case
// fits CostBudget: nothing to count.
const uncounted = math.MaxUint64

// check decides whether a gate is satisfied: its review and its rule. Both
// must hold; the message says what fails, or what satisfies the gate.
//
// budget is what the object's rules may still cost together; a rule that
// would run beyond it is not run and counts as an error. When it is
// uncounted, the rules' worst case fits and they run uncounted.
func check(gate v1alpha1.Gate, scale v1alpha1.ConfidenceScale, rules *Rules, s Subject, current map[int32]reviewPair, budget *uint64, now time.Time) outcome {
	out := outcome{state: v1alpha1.GateMet, cause: v1alpha1.CauseRuleHolds, message: "rule holds"}
	if req := gate.Review; req != nil {
		out = checkReview(req, scale, current[req.GateNumber()], now)
		if req.DecisionPoints == v1alpha1.DecisionPointsTrancheEnds && s.Kind == v1alpha1.SubjectKindProgramme {
			out = atDecisionPoints(out, s, now)
		}
	}
	rule := gate.Rule
	if rule == nil {
		return out
	}
	if *budget == 0 {
		return outcome{state: v1alpha1.GateUnknown, cause: v1alpha1.CauseRuleError, review: out.review,
			message: fmt.Sprintf("rule not evaluated: the object's rules together exceeded the cost budget of %d", CostBudget)}
	}
	var ok bool
	var err error
	if *budget == uncounted {
		ok, err = rules.evalUncounted(rule.Expression, s.Object)
	} else {
		var cost uint64
		ok, cost, err = rules.Eval(rule.Expression, s.Object)
		*budget -= min(cost, *budget)
	}
	switch {
	case err != nil:
		return outcome{state: v1alpha1.GateUnknown, cause: v1alpha1.CauseRuleError, message: "rule " + err.Error(), review: out.review}
	case ok:
		return out
	case out.state == v1alpha1.GateMet:
		return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseRuleFailed, message: rule.Message, review: out.review}
	default:
		out.message += "; " + rule.Message
		return out
	}
}

// checkReview judges a gate's review requirement against the newest
// reviews of its gate number.
func checkReview(req *v1alpha1.ReviewRequirement, scale v1alpha1.ConfidenceScale, pair reviewPair, now time.Time) outcome {
	rv := pair.recorded
	switch {
	case rv != nil && rv.Scale != "" && rv.Scale != scale:
		return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseOffScale, review: rv,
			message: fmt.Sprintf("review of %s was rated %s on the %s scale, not on the office's %s Delivery Confidence scale",
				dateOf(rv.Date), rv.Confidence, scaleName(rv.Scale), scaleName(scale))}
	case rv != nil && !scale.Rates(rv.Confidence):
		return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseOffScale, review: rv,
			message: fmt.Sprintf("review of %s gave %s, which is not on the office's %s Delivery Confidence scale", dateOf(rv.Date), rv.Confidence, scaleName(scale))}
	case rv == nil && pair.planned != nil:
		return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseReviewPlanned,
			message: "no review yet (one is planned for " + dateOf(pair.planned.Date) + ")"}
	case rv == nil:
		return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseNoReview, message: "no review"}
	case confidenceRank[rv.Confidence] > minimum(req):
		return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseBelowMinimum, review: rv,
			message: fmt.Sprintf("review of %s gave %s, worse than the minimum %s", dateOf(rv.Date), rv.Confidence, minimumName(req))}
	}
	out := outcome{state: v1alpha1.GateMet, cause: v1alpha1.CauseReviewMet, review: rv,
		message: fmt.Sprintf("review of %s gave %s", dateOf(rv.Date), rv.Confidence)}
	if maxAge, err := req.MaxAge.Duration(); err == nil {
		expires := rv.Date.Add(maxAge)
		if !now.Before(expires) {
			return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseReviewExpired, review: rv,
				message: fmt.Sprintf("review of %s expired on %s", dateOf(rv.Date), dateOf(expires))}
		}
		out.expires = expires
	}
	return out
}

// scaleName names a scale for people.
func scaleName(s v1alpha1.ConfidenceScale) string {
	if s == v1alpha1.ConfidenceScaleThreePoint {
		return "three-point (Green, Amber, Red)"
	}
	return "five-point"
}

// atDecisionPoints judges a programme's review gate that falls due again
// at each tranche end (OGC: Gate 0 is repeated at the programme's key
// decision points). Once a tranche has ended, the review that satisfies
// the gate must have been held on or after the decision point before that
// end (the previous tranche end, or the first tranche's start): a review
// of an earlier tranche does not. out is the review's verdict without
// decision points; the next tranche end is when to look again.
func atDecisionPoints(out outcome, s Subject, now time.Time) outcome {
	var last *DecisionPoint
	previous := s.Start
	for i := range s.DecisionPoints {
		dp := &s.DecisionPoints[i]
		if passed := dp.End.AddDate(0, 0, 1); now.Before(passed) {
			out.recheck = passed
			break
		}
		if last != nil {
			previous = last.End
		}
		last = dp
	}
	if last == nil || out.review == nil || out.state != v1alpha1.GateMet {
		return out
	}
	if out.review.Date.Before(previous) {
		return outcome{state: v1alpha1.GateUnmet, cause: v1alpha1.CauseReviewBeforeDecisionPoint, review: out.review, recheck: out.recheck,
			message: fmt.Sprintf("due again at the end of %s (%s): the latest review, of %s, was held before %s",
				last.Name, dateOf(last.End), dateOf(out.review.Date), dateOf(previous))}
	}
	out.message += fmt.Sprintf(", for the decision point at the end of %s (%s)", last.Name, dateOf(last.End))
	return out
}

// reviewPair is the newest recorded and the newest planned review of a gate.
type reviewPair struct {
	recorded, planned *Review
}

// currentReviews picks, for each gate, the newest review with findings (a
// newer review supersedes an older one) and the newest planned one. A review
// counts only from its date on: one dated after now, findings or not, is a
// plan, so a review cannot be dated ahead to satisfy or supersede anything.
func currentReviews(reviews []Review, now time.Time) map[int32]reviewPair {
	sorted := append([]Review(nil), reviews...)
	sort.Slice(sorted, func(i, j int) bool {
		if !sorted[i].Date.Equal(sorted[j].Date) {
			return sorted[i].Date.After(sorted[j].Date)
		}
		return sorted[i].Key() > sorted[j].Key()
	})
	out := map[int32]reviewPair{}
	for i := range sorted {
		r := &sorted[i]
		pair := out[r.Gate]
		recorded := r.Confidence != "" && !r.Date.After(now)
		switch {
		case recorded && pair.recorded == nil:
			pair.recorded = r
		case !recorded && pair.planned == nil:
			pair.planned = r
		}
		out[r.Gate] = pair
	}
	return out
}

// Superseded returns, for each recorded review that a newer recorded review
// of the same gate replaces at time now, the one that replaces it.
func Superseded(reviews []Review, now time.Time) map[string]Review {
	current := currentReviews(reviews, now)
	out := map[string]Review{}
	for _, r := range reviews {
		if c := current[r.Gate].recorded; c != nil && r.Confidence != "" && !r.Date.After(now) && c.Key() != r.Key() {
			out[r.Key()] = *c
		}
	}
	return out
}

// Label names a gate for people: "Gate 3 Investment decision" for a review
// gate, else its name (and description).
func Label(g v1alpha1.Gate) string {
	if g.Review != nil {
		title := g.Description
		if title == "" {
			title = GateTitles[g.Review.GateNumber()]
		}
		return fmt.Sprintf("Gate %d %s", g.Review.GateNumber(), title)
	}
	if g.Description != "" {
		return g.Name + " (" + g.Description + ")"
	}
	return g.Name
}

func ptrTime(t time.Time) *metav1.Time {
	mt := metav1.NewTime(t.UTC().Truncate(time.Second))
	return &mt
}

// ConfidenceHealth is how a Delivery Confidence Assessment bears on the
// health of its subject: the latest recorded review of each gate lowers
// health to at least this. Green and Amber/Green leave health alone.
var ConfidenceHealth = map[v1alpha1.DeliveryConfidence]v1alpha1.Health{
	v1alpha1.ConfidenceAmber:    v1alpha1.HealthAmber,
	v1alpha1.ConfidenceAmberRed: v1alpha1.HealthAmber,
	v1alpha1.ConfidenceRed:      v1alpha1.HealthRed,
}

// LatestReviews are, per gate number in order, the newest review with
// findings that counts at time now.
func LatestReviews(reviews []Review, now time.Time) []Review {
	current := currentReviews(reviews, now)
	var out []Review
	for gate := range int32(len(GateTitles)) {
		if r := current[gate].recorded; r != nil {
			out = append(out, *r)
		}
	}
	return out
}
