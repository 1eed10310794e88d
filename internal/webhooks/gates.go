/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/policy"
)

// gateChecker decides on entering phases.
type gateChecker struct {
	read  governance.Reader
	rules *policy.Rules
	now   func() time.Time
}

// check decides on the creation (oldObj nil) or update of a Project or
// Programme: see the package documentation for when it judges. A change
// is judged on the facts the reconciler reports, under the governance of
// the object as it was (with the offices its status holds it to) and as
// it would be.
func (g *gateChecker) check(ctx context.Context, oldObj, newObj client.Object) (admission.Warnings, error) {
	kind, newPhase := governance.SubjectOf(newObj)
	if !entering(kind, oldObj, newObj) {
		return nil, nil
	}
	judged := []client.Object{heldAsBefore(newObj, oldObj)}
	if oldObj != nil {
		judged = append(judged, oldObj)
	}
	v, err := g.judge(ctx, g.read, newObj, judged...)
	if err != nil {
		// Not knowing the policy never blocks a change; the controller
		// reports compliance once it does.
		ctrl.LoggerFrom(ctx).V(1).Info("Admitting a change whose governance could not be read", "object", client.ObjectKeyFromObject(newObj), "error", err.Error())
		return nil, nil
	}
	return v.decide(ctx, "entering phase "+newPhase)
}

// entering reports whether a change makes the object enter its phase: it
// is created beyond its kind's first phase, moves forward, or changes a
// reference while beyond the first phase.
func entering(kind v1alpha1.SubjectKind, oldObj, newObj client.Object) bool {
	_, newPhase := governance.SubjectOf(newObj)
	beyondFirst := policy.Advances(kind, policy.FirstPhase(kind), newPhase)
	if oldObj == nil {
		return beyondFirst
	}
	_, oldPhase := governance.SubjectOf(oldObj)
	if oldPhase != newPhase && policy.Advances(kind, oldPhase, newPhase) {
		return true
	}
	return beyondFirst && !reflect.DeepEqual(referencesOf(oldObj), referencesOf(newObj))
}

// referencesOf are the references of a Project or Programme that decide
// its governance.
func referencesOf(obj client.Object) []*v1alpha1.ParentReference {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return []*v1alpha1.ParentReference{o.Spec.ProgrammeRef, o.Spec.PortfolioRef, o.Spec.OfficeRef}
	case *v1alpha1.Programme:
		return []*v1alpha1.ParentReference{&o.Spec.PortfolioRef, o.Spec.OfficeRef}
	}
	return nil
}

// heldAsBefore is the new object with the offices the stored object is
// held to (the request may carry any status; the stored one counts).
func heldAsBefore(newObj, oldObj client.Object) client.Object {
	out := newObj.DeepCopyObject().(client.Object)
	var held []v1alpha1.ObjectReference
	switch o := oldObj.(type) {
	case *v1alpha1.Project:
		held = o.Status.HeldTo
	case *v1alpha1.Programme:
		held = o.Status.HeldTo
	}
	switch o := out.(type) {
	case *v1alpha1.Project:
		o.Status.HeldTo = held
	case *v1alpha1.Programme:
		o.Status.HeldTo = held
	}
	return out
}

// verdict gathers the gates a subject fails under the policies that do not
// merely audit.
type verdict struct {
	enforcement v1alpha1.Enforcement
	// offices name the offices whose policy makes a gate count: those that
	// set Enforce, or, under Warn, the governing office.
	offices []string
	unmet   []string
}

// judge evaluates subject's gates for its phase under the governance of
// each of the objects given (the subject itself, its earlier version).
func (g *gateChecker) judge(ctx context.Context, read governance.Reader, subject client.Object, governedAs ...client.Object) (verdict, error) {
	v := verdict{enforcement: v1alpha1.EnforcementAudit}
	now := g.now()
	judged := map[string]bool{}
	for _, obj := range governedAs {
		facts, err := read.SubjectFacts(ctx, obj)
		if err != nil {
			return verdict{}, err
		}
		if facts.Policy == nil || facts.Policy.Enforcement == v1alpha1.EnforcementAudit {
			continue
		}
		// The same policy gives the same verdict: rules can be costly, so
		// an object whose governance did not change is judged once.
		key := policyKey(facts)
		if judged[key] {
			continue
		}
		judged[key] = true
		_, res := governance.Compliance(facts, g.rules, subject, v1alpha1.ComplianceStatus{}, now)
		// A gate whose rule fails on the object counts as unmet here: an
		// error must never be a way through.
		failing := append(append([]string(nil), res.Unmet...), res.Unknown...)
		if len(failing) == 0 {
			continue
		}
		v.enforcement = policy.Stricter(v.enforcement, facts.Policy.Enforcement)
		offices := facts.Enforcing
		if facts.Policy.Enforcement != v1alpha1.EnforcementEnforce {
			offices = []string{facts.Ref().String()}
		}
		v.offices = appendNew(v.offices, offices...)
		v.unmet = appendNew(v.unmet, failing...)
	}
	return v, nil
}

// policyKey identifies the policy facts hold a subject to, and the offices
// a verdict names.
func policyKey(facts governance.Facts) string {
	data, _ := json.Marshal([]any{facts.Policy.Enforcement, facts.Policy.Gates, facts.Enforcing, facts.Ref()})
	return string(data)
}

// decide denies under Enforce, warns under Warn, admits otherwise.
func (v verdict) decide(ctx context.Context, what string) (admission.Warnings, error) {
	log := ctrl.LoggerFrom(ctx).V(1)
	switch {
	case len(v.unmet) == 0:
		return nil, nil
	case v.enforcement == v1alpha1.EnforcementEnforce:
		log.Info("Denying a change under Enforce", "change", what, "offices", v.offices, "unmet", len(v.unmet))
		return nil, fmt.Errorf("%s requires gates that are not met (enforcement Enforce, office %s): %s",
			what, strings.Join(v.offices, ", "), strings.Join(v.unmet, "; "))
	default:
		log.Info("Admitting a change with warnings under Warn", "change", what, "offices", v.offices, "unmet", len(v.unmet))
		warnings := make(admission.Warnings, 0, len(v.unmet))
		for _, u := range v.unmet {
			warnings = append(warnings, fmt.Sprintf("%s with an unmet gate: %s", what, u))
		}
		return warnings, nil
	}
}

func appendNew(to []string, items ...string) []string {
	for _, item := range items {
		if !slices.Contains(to, item) {
			to = append(to, item)
		}
	}
	return to
}
