/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"context"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Field indexes on references. Each maps a child to the key of the object it
// references, so that a parent's children (and the children to requeue when
// a parent changes) are found without listing everything. The index names
// are the field paths they index; messages name the same paths.
const (
	// IndexProgrammeRef indexes Projects by spec.programmeRef ("namespace/name").
	IndexProgrammeRef = FieldProgrammeRef
	// IndexPortfolioRef indexes Projects and Programmes by spec.portfolioRef.
	IndexPortfolioRef = FieldPortfolioRef
	// IndexOfficeRef indexes Portfolios, Programmes and Projects by
	// spec.officeRef.
	IndexOfficeRef = FieldOfficeRef
	// IndexHubRef indexes Offices by spec.hubRef.
	IndexHubRef = FieldHubRef
	// IndexSupportedObjectRef indexes Offices by spec.supportedObjectRef
	// ("Kind/namespace/name").
	IndexSupportedObjectRef = FieldSupportedObjectRef
	// IndexGoverningOffice indexes Portfolios, Programmes and Projects by
	// status.office, the Office that governs them (explicit or inherited).
	IndexGoverningOffice = "status.office"
	// IndexSubjectRef indexes GatewayReviews by spec.subjectRef
	// ("Kind/namespace/name").
	IndexSubjectRef = FieldSubjectRef
	// IndexDependsOn indexes Projects and Programmes by each provider in
	// spec.dependsOn ("Kind/namespace/name"), so that a provider's change
	// reaches its consumers (SubjectKeyOf gives a provider's key).
	IndexDependsOn = FieldDependsOn
)

// The reference fields, as named in messages and indexes.
const (
	FieldProgrammeRef       = "spec.programmeRef"
	FieldPortfolioRef       = "spec.portfolioRef"
	FieldOfficeRef          = "spec.officeRef"
	FieldHubRef             = "spec.hubRef"
	FieldSupportedObjectRef = "spec.supportedObjectRef"
	FieldSubjectRef         = "spec.subjectRef"
	FieldDependsOn          = "spec.dependsOn"
)

// Target is the object a reference made from namespace ns points at.
func Target(ref v1alpha1.ParentReference, ns string) types.NamespacedName {
	return types.NamespacedName{Namespace: ref.NamespaceOr(ns), Name: string(ref.Name)}
}

// Key is the "namespace/name" key of an object, as the indexes hold it.
func Key(obj client.Object) string { return client.ObjectKeyFromObject(obj).String() }

// refKey is the index key of a reference made from namespace ns.
func refKey(ref *v1alpha1.ParentReference, ns string) string {
	if ref == nil {
		return ""
	}
	return Target(*ref, ns).String()
}

// subjectKey is the index key of a Project or Programme reference.
func subjectKey(ref *v1alpha1.SubjectReference, ns string) string {
	if ref == nil {
		return ""
	}
	return string(ref.Kind) + "/" + refKey(&ref.ParentReference, ns)
}

// SubjectKeyOf returns the key function under which referrers of a Project
// or Programme are found in IndexSubjectRef and IndexSupportedObjectRef.
func SubjectKeyOf(kind v1alpha1.SubjectKind) func(client.Object) string {
	return func(obj client.Object) string {
		return string(kind) + "/" + Key(obj)
	}
}

// dependencyKeys are the index keys of the providers a consumer in
// namespace ns depends on, each once.
func dependencyKeys(deps []v1alpha1.Dependency, ns string) []string {
	var out []string
	for i := range deps {
		if k := subjectKey(&deps[i].SubjectReference, ns); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func keys(k string) []string {
	if k == "" {
		return nil
	}
	return []string{k}
}

type index struct {
	obj     client.Object
	field   string
	extract func(client.Object) []string
}

var indexes = []index{
	{&v1alpha1.Project{}, IndexProgrammeRef, func(o client.Object) []string {
		p := o.(*v1alpha1.Project)
		return keys(refKey(p.Spec.ProgrammeRef, p.Namespace))
	}},
	{&v1alpha1.Project{}, IndexPortfolioRef, func(o client.Object) []string {
		p := o.(*v1alpha1.Project)
		return keys(refKey(p.Spec.PortfolioRef, p.Namespace))
	}},
	{&v1alpha1.Project{}, IndexOfficeRef, func(o client.Object) []string {
		p := o.(*v1alpha1.Project)
		return keys(refKey(p.Spec.OfficeRef, p.Namespace))
	}},
	{&v1alpha1.Programme{}, IndexPortfolioRef, func(o client.Object) []string {
		p := o.(*v1alpha1.Programme)
		return keys(refKey(&p.Spec.PortfolioRef, p.Namespace))
	}},
	{&v1alpha1.Programme{}, IndexOfficeRef, func(o client.Object) []string {
		p := o.(*v1alpha1.Programme)
		return keys(refKey(p.Spec.OfficeRef, p.Namespace))
	}},
	{&v1alpha1.Portfolio{}, IndexOfficeRef, func(o client.Object) []string {
		p := o.(*v1alpha1.Portfolio)
		return keys(refKey(&p.Spec.OfficeRef, p.Namespace))
	}},
	{&v1alpha1.Project{}, IndexGoverningOffice, func(o client.Object) []string { return keys(o.(*v1alpha1.Project).Status.Office.String()) }},
	{&v1alpha1.Programme{}, IndexGoverningOffice, func(o client.Object) []string { return keys(o.(*v1alpha1.Programme).Status.Office.String()) }},
	{&v1alpha1.Portfolio{}, IndexGoverningOffice, func(o client.Object) []string { return keys(o.(*v1alpha1.Portfolio).Status.Office.String()) }},
	{&v1alpha1.Office{}, IndexHubRef, func(o client.Object) []string {
		off := o.(*v1alpha1.Office)
		return keys(refKey(off.Spec.HubRef, off.Namespace))
	}},
	{&v1alpha1.Office{}, IndexSupportedObjectRef, func(o client.Object) []string {
		off := o.(*v1alpha1.Office)
		return keys(subjectKey(off.Spec.SupportedObjectRef, off.Namespace))
	}},
	{&v1alpha1.Project{}, IndexDependsOn, func(o client.Object) []string {
		p := o.(*v1alpha1.Project)
		return dependencyKeys(p.Spec.DependsOn, p.Namespace)
	}},
	{&v1alpha1.Programme{}, IndexDependsOn, func(o client.Object) []string {
		p := o.(*v1alpha1.Programme)
		return dependencyKeys(p.Spec.DependsOn, p.Namespace)
	}},
	{&v1alpha1.GatewayReview{}, IndexSubjectRef, func(o client.Object) []string {
		r := o.(*v1alpha1.GatewayReview)
		return keys(subjectKey(&r.Spec.SubjectRef, r.Namespace))
	}},
}

// SetupIndexes registers every reference index with a cache.
func SetupIndexes(ctx context.Context, indexer client.FieldIndexer) error {
	for _, ix := range indexes {
		if err := indexer.IndexField(ctx, ix.obj, ix.field, ix.extract); err != nil {
			return fmt.Errorf("indexing %T by %s: %w", ix.obj, ix.field, err)
		}
	}
	return nil
}
