/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package governance is the operator's one read path: resolving references
// under the attachment rules, finding the Office that governs an object and
// its hub chain, the effective policy, the reviews of a subject, and the
// evaluation of gates. The reconcilers and the admission webhooks both read
// through it, so what the webhook decides and what status reports come from
// the same facts.
//
// It reads through a client.Reader (the manager's cache) and never writes.
// What it returns is pure data for internal/status to compose.
package governance

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/hierarchy"
)

// Reader reads governance facts from a cache.
type Reader struct {
	client.Reader
}

// Ref is one reference an object makes, with an empty object of the
// referenced kind to fetch into.
type Ref struct {
	Field  string
	Kind   string
	Ref    *v1alpha1.ParentReference
	Parent client.Object
}

// SubjectRef is the Ref of a reference to a Project or Programme.
func SubjectRef(field string, ref *v1alpha1.SubjectReference) Ref {
	if ref == nil {
		return Ref{Field: field}
	}
	if ref.Kind == v1alpha1.SubjectKindProgramme {
		return Ref{field, "Programme", &ref.ParentReference, &v1alpha1.Programme{}}
	}
	return Ref{field, "Project", &ref.ParentReference, &v1alpha1.Project{}}
}

// Resolve fetches the object a reference points at into parent and judges
// whether it admits the referrer's namespace. A missing parent is an outcome,
// not an error; only transient failures return an error.
func (r Reader) Resolve(ctx context.Context, field, kind string, key types.NamespacedName, childNamespace string, parent client.Object) (hierarchy.Resolution, error) {
	if err := r.Get(ctx, key, parent); err != nil {
		if apierrors.IsNotFound(err) {
			return hierarchy.NotFoundResolution(field, kind, key), nil
		}
		return hierarchy.Resolution{}, fmt.Errorf("getting %s %s: %w", kind, key, err)
	}
	admission, err := newAdmitter(r.Reader, parent).admission(ctx, childNamespace)
	if err != nil {
		return hierarchy.Resolution{}, err
	}
	return hierarchy.AdmissionResolution(field, kind, key, admission), nil
}

// ResolveAll resolves the references that are set, in order.
func (r Reader) ResolveAll(ctx context.Context, childNamespace string, refs ...Ref) ([]hierarchy.Resolution, error) {
	var out []hierarchy.Resolution
	for _, p := range refs {
		if p.Ref == nil {
			continue
		}
		got, err := r.Resolve(ctx, p.Field, p.Kind, Target(*p.Ref, childNamespace), childNamespace, p.Parent)
		if err != nil {
			return nil, err
		}
		out = append(out, got)
	}
	return out, nil
}

// Resolved returns the first resolved reference made through field.
func Resolved(resolutions []hierarchy.Resolution, field string) (types.NamespacedName, bool) {
	for _, r := range resolutions {
		if r.Field == field && r.Outcome == hierarchy.Resolved {
			return r.Key, true
		}
	}
	return types.NamespacedName{}, false
}

// admitter judges whether a parent admits each of its would-be children,
// fetching namespace labels from the cache once per namespace.
type admitter struct {
	c          client.Reader
	parent     client.Object
	namespaces map[string]map[string]string
}

func newAdmitter(c client.Reader, parent client.Object) *admitter {
	return &admitter{c: c, parent: parent, namespaces: map[string]map[string]string{}}
}

// admits reports whether the parent admits a child in namespace ns.
func (a *admitter) admits(ctx context.Context, ns string) (bool, error) {
	admission, err := a.admission(ctx, ns)
	if err != nil {
		return false, err
	}
	ok, _ := admission.Admits()
	return ok, nil
}

// admission gathers what deciding on a child in namespace ns takes.
func (a *admitter) admission(ctx context.Context, ns string) (hierarchy.Admission, error) {
	admission := hierarchy.Admission{
		Policy:          a.parent.(v1alpha1.Parent).ChildPolicy(),
		ParentNamespace: a.parent.GetNamespace(),
		ChildNamespace:  ns,
	}
	if ns != a.parent.GetNamespace() && admission.Policy.Namespaces != nil && admission.Policy.Namespaces.From == v1alpha1.NamespacesFromSelector {
		labels, ok := a.namespaces[ns]
		if !ok {
			namespace := &corev1.Namespace{}
			if err := a.c.Get(ctx, types.NamespacedName{Name: ns}, namespace); client.IgnoreNotFound(err) != nil {
				return admission, fmt.Errorf("getting namespace %s: %w", ns, err)
			}
			labels = namespace.Labels
			a.namespaces[ns] = labels
		}
		admission.ChildNamespaceLabels = labels
	}
	return admission, nil
}

// Children lists the objects whose field index holds key (those that
// reference the parent), split into those the parent admits and the number
// it refuses.
//
// The children are the cache's own objects, not copies: callers read them
// and never modify them.
func Children[T client.Object](ctx context.Context, c client.Reader, parent client.Object, list client.ObjectList, index string) ([]T, int, error) {
	key := Key(parent)
	if index == IndexSubjectRef || index == IndexSupportedObjectRef {
		key = kindOf(parent) + "/" + key
	}
	if err := c.List(ctx, list, client.MatchingFields{index: key}, client.UnsafeDisableDeepCopy); err != nil {
		return nil, 0, fmt.Errorf("listing children by %s: %w", index, err)
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, 0, fmt.Errorf("listing children by %s: %w", index, err)
	}
	a := newAdmitter(c, parent)
	var admitted []T
	refused := 0
	for _, item := range items {
		obj := item.(T)
		ok, err := a.admits(ctx, obj.GetNamespace())
		if err != nil {
			return nil, 0, err
		}
		if ok {
			admitted = append(admitted, obj)
		} else {
			refused++
		}
	}
	return admitted, refused, nil
}

// kindOf is the subject kind of a Project or Programme, for subject keys.
func kindOf(obj client.Object) string {
	if _, ok := obj.(*v1alpha1.Programme); ok {
		return string(v1alpha1.SubjectKindProgramme)
	}
	return string(v1alpha1.SubjectKindProject)
}
