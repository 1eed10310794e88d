/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"fmt"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Field indexes on references. Each maps a child to the key of the object it
// references, so that a parent's children (and the children to requeue when
// a parent changes) are found without listing everything.
const (
	// IndexProgrammeRef indexes Projects by spec.programmeRef ("namespace/name").
	IndexProgrammeRef = "spec.programmeRef"
	// IndexPortfolioRef indexes Projects and Programmes by spec.portfolioRef.
	IndexPortfolioRef = "spec.portfolioRef"
	// IndexOfficeRef indexes Portfolios, Programmes and Projects by
	// spec.officeRef.
	IndexOfficeRef = "spec.officeRef"
	// IndexHubRef indexes Offices by spec.hubRef.
	IndexHubRef = "spec.hubRef"
	// IndexSupportedObjectRef indexes Offices by spec.supportedObjectRef
	// ("Kind/namespace/name").
	IndexSupportedObjectRef = "spec.supportedObjectRef"
	// IndexGoverningOffice indexes Portfolios, Programmes and Projects by
	// status.office, the Office that governs them (explicit or inherited).
	IndexGoverningOffice = "status.office"
	// IndexSubjectRef indexes GatewayReviews by spec.subjectRef
	// ("Kind/namespace/name").
	IndexSubjectRef = "spec.subjectRef"
)

// refKey is the index key of a reference made from namespace ns.
func refKey(ref *v1alpha1.ParentReference, ns string) string {
	if ref == nil {
		return ""
	}
	return refTarget(*ref, ns).String()
}

// subjectKey is the index key of a Project or Programme reference.
func subjectKey(ref *v1alpha1.SubjectReference, ns string) string {
	if ref == nil {
		return ""
	}
	return string(ref.Kind) + "/" + refKey(&ref.ParentReference, ns)
}

// subjectKeyOf returns the key function under which referrers of a Project
// or Programme are found in IndexSubjectRef and IndexSupportedObjectRef.
func subjectKeyOf(kind v1alpha1.SubjectKind) func(client.Object) string {
	return func(obj client.Object) string {
		return string(kind) + "/" + client.ObjectKeyFromObject(obj).String()
	}
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
	{&v1alpha1.Project{}, IndexGoverningOffice, func(o client.Object) []string { return keys(o.(*v1alpha1.Project).Status.Office) }},
	{&v1alpha1.Programme{}, IndexGoverningOffice, func(o client.Object) []string { return keys(o.(*v1alpha1.Programme).Status.Office) }},
	{&v1alpha1.Portfolio{}, IndexGoverningOffice, func(o client.Object) []string { return keys(o.(*v1alpha1.Portfolio).Status.Office) }},
	{&v1alpha1.Office{}, IndexHubRef, func(o client.Object) []string {
		off := o.(*v1alpha1.Office)
		return keys(refKey(off.Spec.HubRef, off.Namespace))
	}},
	{&v1alpha1.Office{}, IndexSupportedObjectRef, func(o client.Object) []string {
		off := o.(*v1alpha1.Office)
		return keys(subjectKey(off.Spec.SupportedObjectRef, off.Namespace))
	}},
	{&v1alpha1.GatewayReview{}, IndexSubjectRef, func(o client.Object) []string {
		r := o.(*v1alpha1.GatewayReview)
		return keys(subjectKey(&r.Spec.SubjectRef, r.Namespace))
	}},
}

// SetupIndexes registers every reference index with the manager's cache.
func SetupIndexes(ctx context.Context, mgr ctrl.Manager) error {
	for _, ix := range indexes {
		if err := mgr.GetFieldIndexer().IndexField(ctx, ix.obj, ix.field, ix.extract); err != nil {
			return fmt.Errorf("indexing %T by %s: %w", ix.obj, ix.field, err)
		}
	}
	return nil
}
