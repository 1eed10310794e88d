/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/status"
)

// consumersOf returns a map function that enqueues the objects of list's
// kind that depend on a changed Project or Programme (of kind), found
// through IndexDependsOn: a provider that arrives after its consumers, goes,
// or changes reaches them without a scan.
func consumersOf(c client.Reader, newList func() client.ObjectList, kind v1alpha1.SubjectKind) handler.MapFunc {
	return referrersOf(c, newList, governance.IndexDependsOn, governance.SubjectKeyOf(kind))
}

// providerChanged passes a provider's creation and deletion, and the
// updates that change what its consumers read of it: its spec (phase,
// plan, progress, dependencies, allowedChildren), its health, its end date
// (a programme's is published in status) and its own dependencies'
// verdict (so that a cycle found on one member reaches the others); and
// whether it has settled (so that a project held for it is judged once it
// has, see holds).
var providerChanged = builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.Funcs{
	CreateFunc:  func(event.CreateEvent) bool { return false },
	DeleteFunc:  func(event.DeleteEvent) bool { return false },
	GenericFunc: func(event.GenericEvent) bool { return false },
	UpdateFunc: func(e event.UpdateEvent) bool {
		return providerView(e.ObjectOld) != providerView(e.ObjectNew)
	},
}))

// providerSeen is what a consumer reads of its provider from status.
type providerSeen struct {
	health      v1alpha1.Health
	end         v1alpha1.Date
	undelivered bool
	verdict     string
	settled     bool
}

func providerView(obj client.Object) providerSeen {
	var seen providerSeen
	switch o := obj.(type) {
	case *v1alpha1.Project:
		seen = providerSeen{health: o.Status.Health, end: o.ForecastEnd(), undelivered: o.ClosedUndelivered()}
	case *v1alpha1.Programme:
		seen = providerSeen{health: o.Status.Health, end: o.ForecastEnd(), undelivered: o.ClosedUndelivered()}
	}
	seen.settled = status.Settled(obj.(conditions.Object), observedGeneration(obj), isProgramme(obj))
	if c := conditions.Get(obj.(conditions.Object), v1alpha1.ConditionDependenciesOnTrack); c != nil {
		seen.verdict = c.Reason + ": " + c.Message
	}
	return seen
}

// isProgramme reports whether obj is a Programme: a kind that rolls up.
func isProgramme(obj client.Object) bool {
	_, ok := obj.(*v1alpha1.Programme)
	return ok
}
