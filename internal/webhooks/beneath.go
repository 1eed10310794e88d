/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package webhooks

import (
	"context"
	"fmt"
	"reflect"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/policy"
)

// checkBeneath decides on a Programme or Portfolio whose references change:
// every Project and Programme beneath it, beyond its first phase, is judged
// in its current phase under the governance it would have after the
// change, where that is stricter than the one it has. Moving work under an
// office that enforces is entering its phase there.
func (g *gateChecker) checkBeneath(ctx context.Context, oldParent, newParent client.Object) (admission.Warnings, error) {
	if reflect.DeepEqual(parentReferences(oldParent), parentReferences(newParent)) {
		return nil, nil
	}
	subjects, err := g.subjectsBeneath(ctx, newParent)
	if err != nil {
		return nil, nil // not knowing never blocks; the controller reports
	}
	after := governance.Reader{Reader: overlay{Reader: g.read.Reader, changed: newParent}}
	total := verdict{enforcement: v1alpha1.EnforcementAudit}
	for _, s := range subjects {
		kind, phase := governance.SubjectOf(s)
		if !policy.Advances(kind, policy.FirstPhase(kind), phase) {
			continue
		}
		stricter, err := g.stricterAfter(ctx, after, s)
		if err != nil || !stricter {
			continue
		}
		v, err := g.judge(ctx, after, s, s)
		if err != nil {
			continue
		}
		total.enforcement = policy.Stricter(total.enforcement, v.enforcement)
		total.offices = appendNew(total.offices, v.offices...)
		for _, u := range v.unmet {
			total.unmet = append(total.unmet, fmt.Sprintf("%s %s/%s in phase %s: %s", kind, s.GetNamespace(), s.GetName(), phase, u))
		}
	}
	return total.decide(ctx, fmt.Sprintf("changing the references of %s %s/%s", kindOf(newParent), newParent.GetNamespace(), newParent.GetName()))
}

func kindOf(obj client.Object) string {
	if _, ok := obj.(*v1alpha1.Portfolio); ok {
		return "Portfolio"
	}
	return "Programme"
}

// stricterAfter reports whether a subject's governance after the change
// adds anything to the one it has now.
func (g *gateChecker) stricterAfter(ctx context.Context, after governance.Reader, subject client.Object) (bool, error) {
	now, err := g.read.SubjectFacts(ctx, subject)
	if err != nil {
		return false, err
	}
	then, err := after.SubjectFacts(ctx, subject)
	if err != nil || then.Policy == nil {
		return false, err
	}
	return now.Policy == nil || !policy.Covers(*now.Policy, *then.Policy), nil
}

// parentReferences are the references that decide what governs the
// objects beneath a Programme or Portfolio.
func parentReferences(obj client.Object) []v1alpha1.ParentReference {
	switch o := obj.(type) {
	case *v1alpha1.Programme:
		refs := []v1alpha1.ParentReference{o.Spec.PortfolioRef}
		if o.Spec.OfficeRef != nil {
			refs = append(refs, *o.Spec.OfficeRef)
		}
		return refs
	case *v1alpha1.Portfolio:
		return []v1alpha1.ParentReference{o.Spec.OfficeRef}
	}
	return nil
}

// subjectsBeneath lists the Projects of a Programme, or the Programmes,
// direct Projects and Projects of Programmes of a Portfolio.
func (g *gateChecker) subjectsBeneath(ctx context.Context, parent client.Object) ([]client.Object, error) {
	key := governance.Key(parent)
	var programmes []string
	if _, ok := parent.(*v1alpha1.Programme); ok {
		programmes = []string{key}
	}
	var out []client.Object
	if _, ok := parent.(*v1alpha1.Portfolio); ok {
		list := &v1alpha1.ProgrammeList{}
		if err := g.read.List(ctx, list, client.MatchingFields{governance.IndexPortfolioRef: key}); err != nil {
			return nil, err
		}
		for i := range list.Items {
			out = append(out, &list.Items[i])
			programmes = append(programmes, governance.Key(&list.Items[i]))
		}
		projects := &v1alpha1.ProjectList{}
		if err := g.read.List(ctx, projects, client.MatchingFields{governance.IndexPortfolioRef: key}); err != nil {
			return nil, err
		}
		for i := range projects.Items {
			out = append(out, &projects.Items[i])
		}
	}
	for _, programme := range programmes {
		projects := &v1alpha1.ProjectList{}
		if err := g.read.List(ctx, projects, client.MatchingFields{governance.IndexProgrammeRef: programme}); err != nil {
			return nil, err
		}
		for i := range projects.Items {
			out = append(out, &projects.Items[i])
		}
	}
	return out, nil
}

// overlay reads through a cache, except that the changed object is read as
// it would be after the change.
type overlay struct {
	client.Reader
	changed client.Object
}

func (o overlay) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	if key == client.ObjectKeyFromObject(o.changed) && reflect.TypeOf(obj) == reflect.TypeOf(o.changed) {
		reflect.ValueOf(obj).Elem().Set(reflect.ValueOf(o.changed.DeepCopyObject()).Elem())
		return nil
	}
	return o.Reader.Get(ctx, key, obj, opts...)
}

// portfolioValidator judges what a Portfolio's officeRef change does to the
// work beneath it.
type portfolioValidator struct{ gates *gateChecker }

func (v *portfolioValidator) ValidateCreate(context.Context, *v1alpha1.Portfolio) (admission.Warnings, error) {
	return nil, nil
}

func (v *portfolioValidator) ValidateUpdate(ctx context.Context, oldObj, newObj *v1alpha1.Portfolio) (admission.Warnings, error) {
	if err := listAmounts(ctx); err != nil {
		return nil, err
	}
	return v.gates.checkBeneath(ctx, oldObj, newObj)
}

func (v *portfolioValidator) ValidateDelete(context.Context, *v1alpha1.Portfolio) (admission.Warnings, error) {
	return nil, nil
}
