/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/policy"
)

// ReviewSubject is a GatewayReview's resolved subject and what governs it;
// nil Object while the subject is not resolved.
type ReviewSubject struct {
	// Object is the Project or Programme.
	Object client.Object
	// Facts are the subject's, including all its reviews.
	Facts governance.Facts
	// Previous is the compliance the subject last reported (for phaseSince).
	Previous v1alpha1.ComplianceStatus
}

// SetGatewayReview computes a GatewayReview's status: its subject's
// resolution, the gates of the subject's policy it satisfies and when it
// expires, and the newer review that supersedes it. What it satisfies
// follows from the subject's spec and its office's policy, evaluated here
// rather than read from the subject's status, so that a review settles in
// one pass.
func SetGatewayReview(g *v1alpha1.GatewayReview, resolutions []hierarchy.Resolution, subject ReviewSubject, rules *policy.Rules, now time.Time) Outcome {
	before := &v1alpha1.GatewayReview{Status: *g.Status.DeepCopy()}
	setParentResolved(g, resolutions)
	g.Status.Satisfies, g.Status.ExpiresAt, g.Status.SupersededBy = nil, nil, nil
	if subject.Object != nil {
		key := g.Namespace + "/" + g.Name
		if by, ok := policy.Superseded(subject.Facts.Reviews, now)[key]; ok {
			g.Status.SupersededBy = by.Ref()
		}
		comp, _ := governance.Compliance(reviewGatesOnly(subject.Facts), rules, subject.Object, subject.Previous, now)
		for _, gate := range comp.Gates {
			if gate.Review.String() != key || (gate.State != v1alpha1.GateMet && gate.State != v1alpha1.GateNotYetRequired) {
				continue
			}
			g.Status.Satisfies = append(g.Status.Satisfies, gate.Name)
			if gate.ExpiresAt != nil && (g.Status.ExpiresAt == nil || gate.ExpiresAt.Before(g.Status.ExpiresAt)) {
				g.Status.ExpiresAt = gate.ExpiresAt.DeepCopy()
			}
		}
	}
	g.Status.ObservedGeneration = g.Generation
	return Outcome{Events: transitions(before, g, "", "", "")}
}

// reviewGatesOnly are facts whose policy keeps only the gates that ask for
// a review: only those can name a review as satisfying them, and the rules
// of the others (which can be costly) need not run for a review. A gate
// with a review and a rule keeps its rule: the review satisfies it only if
// the rule holds as well.
func reviewGatesOnly(facts governance.Facts) governance.Facts {
	if facts.Policy == nil {
		return facts
	}
	p := *facts.Policy
	p.Gates = nil
	for _, g := range facts.Policy.Gates {
		if g.Review != nil {
			p.Gates = append(p.Gates, g)
		}
	}
	facts.Policy = &p
	return facts
}
