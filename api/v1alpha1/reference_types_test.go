/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1_test

import (
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func TestParentReferenceNamespaceOr(t *testing.T) {
	ns := v1alpha1.Namespace("central")
	if got := (v1alpha1.ParentReference{Name: "x", Namespace: ns}).NamespaceOr("local"); got != "central" {
		t.Errorf("NamespaceOr with a namespace = %q", got)
	}
	if got := (v1alpha1.ParentReference{Name: "x"}).NamespaceOr("local"); got != "local" {
		t.Errorf("NamespaceOr without a namespace = %q", got)
	}
}
