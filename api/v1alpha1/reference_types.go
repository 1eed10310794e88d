/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ObjectName is the name of a referenced object: a DNS subdomain.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=253
// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
type ObjectName string

// Namespace is the name of a namespace: a DNS label.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=63
// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
type Namespace string

// ParentReference points up the hierarchy, from a child to the object that
// governs it (a Project to its Programme, a Programme to its Portfolio, a
// GatewayReview to its subject, ...).
type ParentReference struct {
	// name of the referenced object.
	// +required
	Name ObjectName `json:"name,omitempty"`

	// namespace of the referenced object. Defaults to the namespace of the
	// referring object. A reference into another namespace only attaches when
	// the referenced object's spec.allowedChildren admits the referring
	// namespace.
	// +optional
	Namespace Namespace `json:"namespace,omitempty"`
}

// NamespaceOr returns the reference's namespace, or def when it names none.
func (r ParentReference) NamespaceOr(def string) string {
	if r.Namespace != "" {
		return string(r.Namespace)
	}
	return def
}

// SubjectKind is a kind that governance applies to: Project or Programme.
// +kubebuilder:validation:Enum=Project;Programme
type SubjectKind string

const (
	// SubjectKindProject is a PRINCE2 project.
	SubjectKindProject SubjectKind = "Project"
	// SubjectKindProgramme is an MSP programme.
	SubjectKindProgramme SubjectKind = "Programme"
)

// SubjectReference points at a Project or a Programme.
type SubjectReference struct {
	// kind of the referenced object: Project or Programme.
	// +required
	Kind SubjectKind `json:"kind,omitempty"`

	ParentReference `json:",inline"`
}

// FromNamespaces says which namespaces may attach children to a parent.
// +kubebuilder:validation:Enum=Same;All;Selector
type FromNamespaces string

const (
	// NamespacesFromSame admits children from the parent's own namespace only.
	NamespacesFromSame FromNamespaces = "Same"
	// NamespacesFromAll admits children from every namespace.
	NamespacesFromAll FromNamespaces = "All"
	// NamespacesFromSelector admits children from namespaces whose labels match
	// a selector (and from the parent's own namespace).
	NamespacesFromSelector FromNamespaces = "Selector"
)

// AllowedChildren is a parent's opt-in for children that reference it from
// other namespaces, in the style of Gateway API's allowedRoutes. Without it,
// only children in the parent's own namespace attach.
// +kubebuilder:validation:MinProperties=1
type AllowedChildren struct {
	// namespaces says from which namespaces children may attach.
	// +optional
	// +kubebuilder:default={from: Same}
	Namespaces *ChildNamespaces `json:"namespaces,omitempty"`
}

// ChildNamespaces selects the namespaces children may attach from.
// +kubebuilder:validation:XValidation:rule="self.from == 'Selector' ? has(self.selector) : !has(self.selector)",message="selector is required when from is Selector and not allowed otherwise"
type ChildNamespaces struct {
	// from is Same (default: the parent's own namespace only), All (every
	// namespace) or Selector (namespaces whose labels match selector, plus the
	// parent's own namespace).
	// +optional
	// +kubebuilder:default=Same
	From FromNamespaces `json:"from,omitempty"`

	// selector matches the labels of the namespaces admitted when from is
	// Selector. Removing a label from a namespace detaches its children again.
	// +optional
	Selector *metav1.LabelSelector `json:"selector,omitempty"`
}

// ObjectReference names an object in status: always with its namespace.
type ObjectReference struct {
	// namespace of the object.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Namespace string `json:"namespace,omitempty"`

	// name of the object.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name,omitempty"`
}

// String is "namespace/name", or "" for a nil reference.
func (r *ObjectReference) String() string {
	if r == nil {
		return ""
	}
	return r.Namespace + "/" + r.Name
}
