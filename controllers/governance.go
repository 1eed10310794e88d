/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/policy"
)

// governingOffice returns the key of the Office that governs an object: the
// one its own spec.officeRef resolves to, else the one its parent reports in
// status.office (inherited down programme → portfolio → office).
func governingOffice(resolutions []hierarchy.Resolution, inherited string) string {
	if key := resolvedKey(resolutions, "spec.officeRef"); key != "" {
		return key
	}
	for _, r := range resolutions {
		if r.Field == "spec.officeRef" {
			return "" // named but not resolved: no silent fallback
		}
	}
	return inherited
}

// getOffice fetches an Office by "namespace/name"; nil when key is empty or
// the office does not exist.
func getOffice(ctx context.Context, c client.Reader, key string) (*v1alpha1.Office, error) {
	if key == "" {
		return nil, nil
	}
	ns, name, _ := strings.Cut(key, "/")
	office := &v1alpha1.Office{}
	if err := c.Get(ctx, types.NamespacedName{Namespace: ns, Name: name}, office); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("getting office %s: %w", key, err)
	}
	return office, nil
}

// currencyOf is the currency of an office, or "" when it is not known.
func currencyOf(office *v1alpha1.Office) v1alpha1.Currency {
	if office == nil {
		return ""
	}
	if office.Spec.Currency == "" {
		return v1alpha1.DefaultCurrency
	}
	return office.Spec.Currency
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

// children lists the objects whose field index holds key (those that
// reference the parent), split into those the parent admits and the number
// it refuses.
//
// The children are the cache's own objects, not copies: callers read them
// and never modify them.
func children(ctx context.Context, c client.Reader, parent client.Object, list client.ObjectList, index, key string) ([]client.Object, int, error) {
	if err := c.List(ctx, list, client.MatchingFields{index: key}, client.UnsafeDisableDeepCopy); err != nil {
		return nil, 0, fmt.Errorf("listing children by %s: %w", index, err)
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, 0, err
	}
	a := newAdmitter(c, parent)
	var admitted []client.Object
	refused := 0
	for _, item := range items {
		obj := item.(client.Object)
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

// as converts listed objects to their concrete type.
func as[T client.Object](objs []client.Object) []T {
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = o.(T)
	}
	return out
}

// governanceOf fetches the governing Office named by key and computes its
// effective policy along its hub chain.
func governanceOf(ctx context.Context, c client.Reader, key string) (governance, error) {
	office, err := getOffice(ctx, c, key)
	if err != nil || office == nil {
		return governance{}, err
	}
	chain, _, err := officeChain(ctx, c, office)
	if err != nil {
		return governance{}, err
	}
	effective := policy.Effective(chain)
	return governance{officeKey: key, office: office, effective: &effective}, nil
}

// officeOfPortfolio is the key of the Office a fetched Portfolio is governed
// by, when its officeRef resolves and the office admits it; else "".
func officeOfPortfolio(ctx context.Context, c client.Reader, pf *v1alpha1.Portfolio) (string, error) {
	key := refTarget(pf.Spec.OfficeRef, pf.Namespace)
	res, err := resolver{c}.resolve(ctx, "spec.officeRef", "Office", key, pf.Namespace, &v1alpha1.Office{})
	if err != nil || res.Outcome != hierarchy.Resolved {
		return "", err
	}
	return key.String(), nil
}

// officeOfProgramme is the key of the Office a fetched Programme is governed
// by: its own officeRef, else its portfolio's office. It follows the specs,
// not the parents' status, so that children know their office on the first
// pass whatever order the objects are reconciled in.
func officeOfProgramme(ctx context.Context, c client.Reader, prog *v1alpha1.Programme) (string, error) {
	r := resolver{c}
	if ref := prog.Spec.OfficeRef; ref != nil {
		key := refTarget(*ref, prog.Namespace)
		res, err := r.resolve(ctx, "spec.officeRef", "Office", key, prog.Namespace, &v1alpha1.Office{})
		if err != nil || res.Outcome != hierarchy.Resolved {
			return "", err
		}
		return key.String(), nil
	}
	pf := &v1alpha1.Portfolio{}
	res, err := r.resolve(ctx, "spec.portfolioRef", "Portfolio", refTarget(prog.Spec.PortfolioRef, prog.Namespace), prog.Namespace, pf)
	if err != nil || res.Outcome != hierarchy.Resolved {
		return "", err
	}
	return officeOfPortfolio(ctx, c, pf)
}

// officeOfProject is the key of the Office a fetched Project is governed by:
// its own officeRef, else its programme's or portfolio's office.
func officeOfProject(ctx context.Context, c client.Reader, p *v1alpha1.Project) (string, error) {
	r := resolver{c}
	programme, portfolio := &v1alpha1.Programme{}, &v1alpha1.Portfolio{}
	resolutions, err := r.resolveAll(ctx, p.Namespace,
		parentRef{"spec.programmeRef", "Programme", p.Spec.ProgrammeRef, programme},
		parentRef{"spec.portfolioRef", "Portfolio", p.Spec.PortfolioRef, portfolio},
		parentRef{"spec.officeRef", "Office", p.Spec.OfficeRef, &v1alpha1.Office{}},
	)
	if err != nil {
		return "", err
	}
	return projectOffice(ctx, c, resolutions, programme, portfolio)
}

// projectOffice is the office of a project whose references resolved as
// given, into the fetched programme or portfolio.
func projectOffice(ctx context.Context, c client.Reader, resolutions []hierarchy.Resolution, programme *v1alpha1.Programme, portfolio *v1alpha1.Portfolio) (string, error) {
	inherited, err := "", error(nil)
	switch {
	case resolvedKey(resolutions, "spec.programmeRef") != "":
		inherited, err = officeOfProgramme(ctx, c, programme)
	case resolvedKey(resolutions, "spec.portfolioRef") != "":
		inherited, err = officeOfPortfolio(ctx, c, portfolio)
	}
	return governingOffice(resolutions, inherited), err
}
