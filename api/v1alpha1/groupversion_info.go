/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package v1alpha1 contains the governance.p3o.dev/v1alpha1 API: Offices,
// Portfolios, Programmes, Projects and GatewayReviews of a P3O (Portfolio,
// Programme and Project Offices) organisation.
// +kubebuilder:object:generate=true
// +groupName=governance.p3o.dev
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is group version used to register these objects.
	GroupVersion = schema.GroupVersion{Group: "governance.p3o.dev", Version: "v1alpha1"}

	// SchemeBuilder adds the types of this group-version to a scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the types in this group-version to the given scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion,
		&Office{}, &OfficeList{},
		&Portfolio{}, &PortfolioList{},
		&Programme{}, &ProgrammeList{},
		&Project{}, &ProjectList{},
		&GatewayReview{}, &GatewayReviewList{},
	)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
