/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/hierarchy"
)

// MaxDependencyDepth bounds how far dependencies are followed when looking
// for a cycle: a cycle longer than this is not found.
const MaxDependencyDepth = 16

// maxDependencyVisits bounds how many objects one consumer's cycle search
// reads from the cache, whatever the fan-out.
const maxDependencyVisits = 1024

// Provider is what a consumer's dependency reads of its provider.
type Provider struct {
	// Outcome says whether the provider exists and admits the consumer's
	// namespace (the attachment rule of hierarchy.Admission).
	Outcome hierarchy.Outcome
	// Closed is true when the provider's phase is Closed.
	Closed bool
	// Undelivered is true when it closed without delivering
	// (Project.ClosedUndelivered, Programme.ClosedUndelivered).
	Undelivered bool
	// Health is the provider's status.health.
	Health v1alpha1.Health
	// ForecastEnd is its end date (Project.ForecastEnd,
	// Programme.ForecastEnd); "" when it states none.
	ForecastEnd v1alpha1.Date
}

// DependencyFact is one entry of a consumer's spec.dependsOn with what was
// read of its provider.
type DependencyFact struct {
	// Dependency is the entry as written.
	Dependency v1alpha1.Dependency
	// Key is the provider (the namespace defaulted to the consumer's).
	Key types.NamespacedName
	// Provider is what was read of it.
	Provider Provider
	// Cycle is, when following dependencies from this provider leads back
	// to the consumer, the cycle: the consumer, this provider, ..., the
	// consumer again (nodes written "Kind namespace/name"). Nil otherwise.
	Cycle []string
}

// Dependencies reads the providers of a Project's or Programme's
// spec.dependsOn: whether each exists and admits the consumer (as a parent
// admits a child), its phase, health and end date, and whether it lies on
// a cycle back to the consumer. A missing provider is an outcome, not an
// error.
func (r Reader) Dependencies(ctx context.Context, consumer client.Object) ([]DependencyFact, error) {
	deps := DependsOn(consumer)
	if len(deps) == 0 {
		return nil, nil
	}
	kind, _ := SubjectOf(consumer)
	w := &dependencyWalk{r: r, edges: map[string][]string{}}
	self := nodeKey(kind, Key(consumer))
	out := make([]DependencyFact, 0, len(deps))
	for _, d := range deps {
		key := Target(d.ParentReference, consumer.GetNamespace())
		fact := DependencyFact{Dependency: d, Key: key}
		obj := newSubject(d.Kind)
		res, err := r.Resolve(ctx, FieldDependsOn, string(d.Kind), key, consumer.GetNamespace(), obj)
		if err != nil {
			return nil, err
		}
		fact.Provider.Outcome = res.Outcome
		if res.Outcome != hierarchy.NotFound {
			fact.Provider = providerOf(obj)
			fact.Provider.Outcome = res.Outcome
			cycle, err := w.pathBack(ctx, nodeKey(d.Kind, key.String()), self)
			if err != nil {
				return nil, err
			}
			fact.Cycle = cycle
		}
		out = append(out, fact)
	}
	return out, nil
}

// DependsOn is a Project's or Programme's spec.dependsOn.
func DependsOn(obj client.Object) []v1alpha1.Dependency {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return o.Spec.DependsOn
	case *v1alpha1.Programme:
		return o.Spec.DependsOn
	}
	return nil
}

// providerOf is what a dependency reads of a Project or Programme.
func providerOf(obj client.Object) Provider {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return Provider{Closed: o.Spec.Phase == v1alpha1.ProjectClosed, Undelivered: o.ClosedUndelivered(),
			Health: o.Status.Health, ForecastEnd: o.ForecastEnd()}
	case *v1alpha1.Programme:
		return Provider{Closed: o.Spec.Phase == v1alpha1.ProgrammeClosed, Undelivered: o.ClosedUndelivered(),
			Health: o.Status.Health, ForecastEnd: o.ForecastEnd()}
	}
	return Provider{}
}

func newSubject(kind v1alpha1.SubjectKind) client.Object {
	if kind == v1alpha1.SubjectKindProgramme {
		return &v1alpha1.Programme{}
	}
	return &v1alpha1.Project{}
}

// nodeKey is a node of the dependency graph: "Kind/namespace/name", the
// key IndexDependsOn holds.
func nodeKey(kind v1alpha1.SubjectKind, key string) string { return string(kind) + "/" + key }

// NodeName writes a node of the dependency graph for people: "Kind
// namespace/name".
func NodeName(node string) string {
	kind, key, _ := strings.Cut(node, "/")
	return kind + " " + key
}

// dependencyWalk follows dependencies through the cache, remembering each
// object's providers.
type dependencyWalk struct {
	r      Reader
	edges  map[string][]string
	visits int
}

// providers are the nodes a node depends on; none when it does not exist.
func (w *dependencyWalk) providers(ctx context.Context, node string) ([]string, error) {
	if out, ok := w.edges[node]; ok {
		return out, nil
	}
	kind, key, _ := strings.Cut(node, "/")
	ns, name, _ := strings.Cut(key, "/")
	obj := newSubject(v1alpha1.SubjectKind(kind))
	w.visits++
	if err := w.r.Get(ctx, types.NamespacedName{Namespace: ns, Name: name}, obj); err != nil {
		if !apierrors.IsNotFound(err) {
			return nil, fmt.Errorf("getting %s %s: %w", kind, key, err)
		}
		w.edges[node] = nil
		return nil, nil
	}
	var out []string
	for _, d := range DependsOn(obj) {
		out = append(out, nodeKey(d.Kind, Target(d.ParentReference, ns).String()))
	}
	w.edges[node] = out
	return out, nil
}

// pathBack looks breadth first, at most MaxDependencyDepth steps deep, for
// the shortest way from start back to self, and returns the cycle it
// closes (self, start, ..., self, written for people); nil when there is
// none within the bounds.
func (w *dependencyWalk) pathBack(ctx context.Context, start, self string) ([]string, error) {
	parent := map[string]string{start: ""}
	level := []string{start}
	for depth := 0; depth < MaxDependencyDepth && len(level) > 0; depth++ {
		var next []string
		for _, node := range level {
			if node == self {
				var path []string
				for n := node; n != ""; n = parent[n] {
					path = append(path, NodeName(n))
				}
				path = append(path, NodeName(self))
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path, nil
			}
			if w.visits >= maxDependencyVisits {
				return nil, nil
			}
			providers, err := w.providers(ctx, node)
			if err != nil {
				return nil, err
			}
			for _, p := range providers {
				if _, seen := parent[p]; !seen {
					parent[p] = node
					next = append(next, p)
				}
			}
		}
		level = next
	}
	return nil, nil
}
