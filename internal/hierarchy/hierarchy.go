/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package hierarchy decides whether references between governance objects
// resolve: whether the referenced object exists and whether it admits the
// referring object's namespace (the parent's opt-in, in the style of Gateway
// API's allowedRoutes). It has no client: callers fetch, this package judges.
package hierarchy

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Outcome is the result of resolving one reference.
type Outcome int

const (
	// Resolved: the referent exists and admits the referrer.
	Resolved Outcome = iota
	// NotFound: the referent does not exist (yet).
	NotFound
	// NotPermitted: the referent is in another namespace that does not admit
	// the referrer's namespace.
	NotPermitted
)

// Reason is the condition reason for the outcome.
func (o Outcome) Reason() v1alpha1.ConditionReason {
	switch o {
	case Resolved:
		return v1alpha1.ReasonResolved
	case NotFound:
		return v1alpha1.ReasonParentNotFound
	default:
		return v1alpha1.ReasonNotPermitted
	}
}

// Resolution is the outcome of resolving one reference of an object.
type Resolution struct {
	// Field is the referring field, e.g. "spec.programmeRef".
	Field string
	// Kind is the referenced kind, e.g. "Programme".
	Kind string
	// Key is the referenced object.
	Key types.NamespacedName
	// Outcome of the resolution.
	Outcome Outcome
	// Message explains an outcome other than Resolved.
	Message string
}

// Admission decides whether a parent admits a child from another namespace.
type Admission struct {
	// Policy is the parent's spec.allowedChildren.
	Policy v1alpha1.AllowedChildren
	// ParentNamespace is the parent's namespace.
	ParentNamespace string
	// ChildNamespace is the referring child's namespace.
	ChildNamespace string
	// ChildNamespaceLabels are the labels of the child's namespace; only
	// consulted for the Selector policy.
	ChildNamespaceLabels map[string]string
}

// Admits reports whether the parent admits the child, and if not, why.
// Children in the parent's own namespace are always admitted.
func (a Admission) Admits() (bool, string) {
	if a.ChildNamespace == a.ParentNamespace {
		return true, ""
	}
	from, selector := v1alpha1.NamespacesFromSame, (*metav1.LabelSelector)(nil)
	if ns := a.Policy.Namespaces; ns != nil {
		if ns.From != "" {
			from = ns.From
		}
		selector = ns.Selector
	}
	switch from {
	case v1alpha1.NamespacesFromAll:
		return true, ""
	case v1alpha1.NamespacesFromSelector:
		if selector == nil {
			return false, "spec.allowedChildren.namespaces.from is Selector but no selector is set"
		}
		sel, err := metav1.LabelSelectorAsSelector(selector)
		if err != nil {
			return false, fmt.Sprintf("spec.allowedChildren.namespaces.selector is invalid: %v", err)
		}
		if sel.Matches(labels.Set(a.ChildNamespaceLabels)) {
			return true, ""
		}
		return false, fmt.Sprintf("namespace %s does not match spec.allowedChildren.namespaces.selector", a.ChildNamespace)
	default:
		return false, "spec.allowedChildren.namespaces.from is Same"
	}
}

// NotFoundResolution is the resolution of a reference whose referent does
// not exist.
func NotFoundResolution(field, kind string, key types.NamespacedName) Resolution {
	return Resolution{Field: field, Kind: kind, Key: key, Outcome: NotFound,
		Message: fmt.Sprintf("%s %s (%s) not found", kind, key, field)}
}

// AdmissionResolution is the resolution of a reference whose referent
// exists, judged by the referent's admission of the referrer.
func AdmissionResolution(field, kind string, key types.NamespacedName, a Admission) Resolution {
	ok, why := a.Admits()
	if ok {
		return Resolution{Field: field, Kind: kind, Key: key, Outcome: Resolved}
	}
	return Resolution{Field: field, Kind: kind, Key: key, Outcome: NotPermitted,
		Message: fmt.Sprintf("%s %s (%s) does not admit children from namespace %s: %s", kind, key, field, a.ChildNamespace, why)}
}

// Summarise turns the resolutions of an object's references into the
// ParentResolved condition: True when all resolved (reason Resolved, or
// NoParent when there are none); otherwise False with the reason of the
// first failure and every failure's message.
func Summarise(resolutions []Resolution) (metav1.ConditionStatus, v1alpha1.ConditionReason, string) {
	if len(resolutions) == 0 {
		return metav1.ConditionTrue, v1alpha1.ReasonNoParent, "the object references no parent"
	}
	var reason v1alpha1.ConditionReason
	var messages []string
	for _, r := range resolutions {
		if r.Outcome == Resolved {
			continue
		}
		if reason == "" {
			reason = r.Outcome.Reason()
		}
		messages = append(messages, r.Message)
	}
	if reason == "" {
		parts := make([]string, 0, len(resolutions))
		for _, r := range resolutions {
			parts = append(parts, fmt.Sprintf("%s %s", r.Kind, r.Key))
		}
		return metav1.ConditionTrue, v1alpha1.ReasonResolved, "resolved " + strings.Join(parts, ", ")
	}
	return metav1.ConditionFalse, reason, strings.Join(messages, "; ")
}
