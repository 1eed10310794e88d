/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import (
	"fmt"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Review is a recorded GatewayReview of a subject.
type Review struct {
	// Name is "namespace/name".
	Name string
	Gate int32
	// Date is the date of the review.
	Date time.Time
	// Confidence is the Delivery Confidence; empty while the review is only
	// planned.
	Confidence v1alpha1.DeliveryConfidence
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
	current := currentReviews(s.Reviews)
	for _, gate := range p.Gates {
		if !contains(gate.AppliesTo, s.Kind) {
			continue
		}
		isReached, isPhase := reached(s.Kind, s.Phase, string(gate.RequiredFrom))
		if !isPhase {
			continue // the gate names a phase the kind does not have
		}
		st := v1alpha1.GateStatus{Name: gate.Name, Description: Label(gate)}
		met, why, unknown, expires, reviewName := check(gate, rules, s, current, now)
		st.Review = reviewName
		if !expires.IsZero() {
			st.ExpiresAt = ptrTime(expires)
			res.recheck(expires)
		}
		switch {
		case !isReached:
			st.State, st.Message = v1alpha1.GateNotYetRequired, "required from "+string(gate.RequiredFrom)
			if met {
				st.Message += "; already met"
			} else {
				st.Review, st.ExpiresAt = "", nil
			}
			if res.NextGate == "" {
				res.NextGate = gate.Name
			}
		case met:
			st.State, st.Message = v1alpha1.GateMet, why
		case unknown:
			st.State, st.Message = v1alpha1.GateUnknown, why
			res.Unknown = append(res.Unknown, Label(gate)+": "+why)
		default:
			due, dueErr := gate.DueWithin.Duration()
			since := s.PhaseSince
			if since.IsZero() {
				since = now
			}
			if dueErr == nil {
				dueAt := since.Add(due)
				st.DueAt = ptrTime(dueAt)
				if now.Before(dueAt) {
					st.State, st.Message = v1alpha1.GateNotYetRequired, "due by "+dateOf(dueAt)+"; "+why
					st.Review = ""
					res.recheck(dueAt)
					if res.NextGate == "" {
						res.NextGate = gate.Name
					}
					break
				}
				why = "overdue since " + dateOf(dueAt) + ": " + why
			}
			st.State, st.Message = v1alpha1.GateUnmet, why
			res.Unmet = append(res.Unmet, Label(gate)+": "+why)
		}
		res.Gates = append(res.Gates, st)
	}
	return res
}

func (r *Result) recheck(t time.Time) {
	if r.RecheckAt.IsZero() || t.Before(r.RecheckAt) {
		r.RecheckAt = t
	}
}

// check decides whether a gate is satisfied: its review and its rule.
func check(gate v1alpha1.Gate, rules *Rules, s Subject, current map[int32]reviewPair, now time.Time) (met bool, why string, unknown bool, expires time.Time, reviewName string) {
	var reasons []string
	met = true
	if req := gate.Review; req != nil {
		pair := current[req.Gate]
		rv := pair.recorded
		switch {
		case rv == nil:
			met = false
			if pair.planned != nil {
				reasons = append(reasons, "no review yet (one is planned for "+dateOf(pair.planned.Date)+")")
			} else {
				reasons = append(reasons, "no review")
			}
		case confidenceRank[rv.Confidence] > minimum(req):
			met, reviewName = false, rv.Name
			reasons = append(reasons, fmt.Sprintf("review of %s gave %s, worse than the minimum %s", dateOf(rv.Date), rv.Confidence, minimumName(req)))
		default:
			reviewName = rv.Name
			if maxAge, err := req.MaxAge.Duration(); err == nil {
				expires = rv.Date.Add(maxAge)
				if !now.Before(expires) {
					met = false
					reasons = append(reasons, fmt.Sprintf("review of %s expired on %s", dateOf(rv.Date), dateOf(expires)))
					expires = time.Time{}
					break
				}
			}
			reasons = append(reasons, fmt.Sprintf("review of %s gave %s", dateOf(rv.Date), rv.Confidence))
		}
	}
	if rule := gate.Rule; rule != nil {
		ok, err := rules.Eval(rule.Expression, s.Object)
		switch {
		case err != nil:
			return false, "rule " + err.Error(), true, time.Time{}, reviewName
		case !ok:
			met = false
			reasons = append(reasons, rule.Message)
		}
	}
	if met {
		if len(reasons) == 0 {
			reasons = append(reasons, "rule holds")
		}
		return true, strings.Join(reasons, "; "), false, expires, reviewName
	}
	// Report only what fails.
	return false, strings.Join(failing(reasons), "; "), false, time.Time{}, reviewName
}

// failing drops the passing review note when a rule fails alongside it.
func failing(reasons []string) []string {
	var out []string
	for _, r := range reasons {
		if strings.HasPrefix(r, "review of ") && !strings.Contains(r, "worse than") && !strings.Contains(r, "expired") {
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return reasons
	}
	return out
}

// reviewPair is the newest recorded and the newest planned review of a gate.
type reviewPair struct {
	recorded, planned *Review
}

// currentReviews picks, for each gate, the newest review with findings (a
// newer review supersedes an older one) and the newest planned one.
func currentReviews(reviews []Review) map[int32]reviewPair {
	sorted := append([]Review(nil), reviews...)
	sort.Slice(sorted, func(i, j int) bool {
		if !sorted[i].Date.Equal(sorted[j].Date) {
			return sorted[i].Date.After(sorted[j].Date)
		}
		return sorted[i].Name > sorted[j].Name
	})
	out := map[int32]reviewPair{}
	for i := range sorted {
		r := &sorted[i]
		pair := out[r.Gate]
		switch {
		case r.Confidence != "" && pair.recorded == nil:
			pair.recorded = r
		case r.Confidence == "" && pair.planned == nil:
			pair.planned = r
		}
		out[r.Gate] = pair
	}
	return out
}

// Superseded returns, for each review that a newer recorded review of the
// same gate replaces, the name of the one that replaces it.
func Superseded(reviews []Review) map[string]string {
	current := currentReviews(reviews)
	out := map[string]string{}
	for _, r := range reviews {
		if c := current[r.Gate].recorded; c != nil && r.Confidence != "" && c.Name != r.Name {
			out[r.Name] = c.Name
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
			title = GateTitles[g.Review.Gate]
		}
		return fmt.Sprintf("Gate %d %s", g.Review.Gate, title)
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
