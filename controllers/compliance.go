/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/policy"
)

// officeChain follows hubRef from an office up to its root and returns the
// offices root first, ending with the office itself. A chain that loops or
// runs too long is described in loop, and the chain is then the office
// alone. A missing hub ends the chain where it is.
func officeChain(ctx context.Context, c client.Reader, office *v1alpha1.Office) (chain []*v1alpha1.Office, loop string, err error) {
	start := byKey(office)
	seen := map[string]bool{start: true}
	path := []string{start}
	chain = []*v1alpha1.Office{office}
	current := office
	for range maxHubDepth {
		if current.Spec.HubRef == nil {
			return reverse(chain), "", nil
		}
		key := refTarget(*current.Spec.HubRef, current.Namespace)
		path = append(path, key.String())
		if seen[key.String()] {
			return []*v1alpha1.Office{office}, "hubRef chain loops: " + strings.Join(path, " → "), nil
		}
		seen[key.String()] = true
		next := &v1alpha1.Office{}
		if err := c.Get(ctx, key, next); err != nil {
			if apierrors.IsNotFound(err) {
				return reverse(chain), "", nil
			}
			return nil, "", fmt.Errorf("following the hub chain to %s: %w", key, err)
		}
		chain = append(chain, next)
		current = next
	}
	return []*v1alpha1.Office{office}, fmt.Sprintf("hubRef chain is longer than %d offices: %s", maxHubDepth, strings.Join(path, " → ")), nil
}

func reverse(chain []*v1alpha1.Office) []*v1alpha1.Office {
	out := make([]*v1alpha1.Office, len(chain))
	for i, o := range chain {
		out[len(chain)-1-i] = o
	}
	return out
}

// digest is a short, stable identifier of an effective policy.
func digest(p policy.Policy) string {
	data, _ := json.Marshal(struct {
		E v1alpha1.Enforcement
		G []v1alpha1.Gate
		H health.Policy
	}{p.Enforcement, p.Gates, p.Health})
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// EffectivePolicy returns the effective policy of the Office named by key
// ("namespace/name"), or nil when it does not exist.
func EffectivePolicy(ctx context.Context, c client.Reader, key string) (*policy.Policy, error) {
	g, err := governanceOf(ctx, c, key)
	return g.effective, err
}

// ReviewsOf lists the GatewayReviews of a Project or Programme that it
// admits, for gate evaluation.
func ReviewsOf(ctx context.Context, c client.Reader, subject client.Object, kind v1alpha1.SubjectKind) ([]policy.Review, error) {
	reviews, _, err := reviewsOf(ctx, c, subject, kind)
	return reviews, err
}

// reviewsOf lists the GatewayReviews of a subject that the subject admits.
func reviewsOf(ctx context.Context, c client.Reader, subject client.Object, kind v1alpha1.SubjectKind) ([]policy.Review, []*v1alpha1.GatewayReview, error) {
	objs, _, err := children(ctx, c, subject, &v1alpha1.GatewayReviewList{}, IndexSubjectRef, subjectKeyOf(kind)(subject))
	if err != nil {
		return nil, nil, err
	}
	reviews := as[*v1alpha1.GatewayReview](objs)
	out := make([]policy.Review, 0, len(reviews))
	for _, r := range reviews {
		date, err := r.Spec.Date.Time()
		if err != nil {
			continue // the schema validates dates; an unparsable one cannot satisfy a gate
		}
		rv := policy.Review{Name: byKey(r), Gate: r.Spec.Gate, Date: date}
		if r.Spec.Findings != nil {
			rv.Confidence = r.Spec.Findings.DeliveryConfidence
		}
		out = append(out, rv)
	}
	return out, reviews, nil
}

// complianceInput is what evaluating one subject's gates takes.
type complianceInput struct {
	kind    v1alpha1.SubjectKind
	phase   string
	object  client.Object
	reviews []policy.Review
	// previous is the compliance status of the last pass, for phaseSince.
	previous v1alpha1.ComplianceStatus
}

// evaluateCompliance evaluates a subject against the effective policy (nil
// when no governing office is known) and returns its compliance status and
// the result.
func evaluateCompliance(p *policy.Policy, rules *policy.Rules, in complianceInput, now time.Time) (v1alpha1.ComplianceStatus, policy.Result) {
	status := v1alpha1.ComplianceStatus{Phase: v1alpha1.Phase(in.phase)}
	// phaseSince records when the current phase was first observed; it
	// carries over from the last pass while the phase stays the same.
	if in.previous.Phase == status.Phase && in.previous.PhaseSince != nil {
		status.PhaseSince = in.previous.PhaseSince
	} else {
		t := metav1.NewTime(now.UTC().Truncate(time.Second))
		status.PhaseSince = &t
	}
	if p == nil {
		return status, policy.Result{}
	}
	// Rules see the object as JSON; converting is the costliest step, so
	// it is skipped when no gate has a rule.
	object := map[string]any{}
	if hasRules(*p) {
		if o, err := runtime.DefaultUnstructuredConverter.ToUnstructured(in.object); err == nil {
			object = o
		}
	}
	res := policy.Evaluate(*p, rules, policy.Subject{
		Kind: in.kind, Phase: in.phase, PhaseSince: status.PhaseSince.Time, Reviews: in.reviews, Object: object,
	}, now)
	status.Enforcement = p.Enforcement
	status.Gates = res.Gates
	status.NextGate = res.NextGate
	return status, res
}

func hasRules(p policy.Policy) bool {
	for _, g := range p.Gates {
		if g.Rule != nil {
			return true
		}
	}
	return false
}

// setCompliant records the Compliant condition.
func setCompliant(obj conditions.Object, known bool, res policy.Result) {
	switch {
	case !known:
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionUnknown, v1alpha1.ReasonNoPolicy, "no governing office is resolved yet")
	case len(res.Unmet) > 0:
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet, truncate(strings.Join(res.Unmet, "; ")))
	case len(res.Unknown) > 0:
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionUnknown, v1alpha1.ReasonRuleError, truncate(strings.Join(res.Unknown, "; ")))
	default:
		due := 0
		for _, g := range res.Gates {
			if g.State == v1alpha1.GateMet {
				due++
			}
		}
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet, fmt.Sprintf("all %d gates due are met", due))
	}
}

// lowerForCompliance lowers health for unmet gates.
func lowerForCompliance(a *health.Assessment, res policy.Result) {
	switch n := len(res.Unmet); {
	case n == 1:
		a.Lower(v1alpha1.HealthAmber, "gate unmet: "+res.Unmet[0])
	case n > 1:
		a.Lower(v1alpha1.HealthAmber, fmt.Sprintf("%d gates unmet: %s", n, res.Unmet[0]))
	}
}

// complianceCounts is how one object counts in a rollup's compliance.
func complianceCounts(obj conditions.Object) v1alpha1.ComplianceCounts {
	c := conditions.Get(obj, v1alpha1.ConditionCompliant)
	switch {
	case c == nil || c.Status == metav1.ConditionUnknown:
		return v1alpha1.ComplianceCounts{Unknown: 1}
	case c.Status == metav1.ConditionTrue:
		return v1alpha1.ComplianceCounts{Compliant: 1}
	default:
		return v1alpha1.ComplianceCounts{NonCompliant: 1}
	}
}

// truncate keeps a condition message within the API's 32768 bytes.
func truncate(s string) string {
	const limit = 32000
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "…"
}

// earliest returns the earlier non-zero time.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}
