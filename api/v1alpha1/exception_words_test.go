/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Every kind of tolerance exception the schema admits is listed and has
// words of its own that say it is beyond tolerance; a forecast below the
// plan is never called an overrun.
func TestToleranceExceptionWords(t *testing.T) {
	data, err := os.ReadFile("../../config/crd/bases/governance.p3o.dev_projects.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(data, &crd); err != nil {
		t.Fatal(err)
	}
	kind := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["status"].Properties["toleranceExceptions"].Items.Schema.Properties["kind"]
	var enum []v1alpha1.ToleranceExceptionKind
	for _, v := range kind.Enum {
		enum = append(enum, v1alpha1.ToleranceExceptionKind(strings.Trim(string(v.Raw), `"`)))
	}
	if !slices.Equal(enum, v1alpha1.ToleranceExceptionKinds) {
		t.Errorf("the schema admits %v; ToleranceExceptionKinds lists %v", enum, v1alpha1.ToleranceExceptionKinds)
	}
	seen := map[string]bool{}
	for _, k := range v1alpha1.ToleranceExceptionKinds {
		w := k.Words()
		switch {
		case w == string(k) || seen[w]:
			t.Errorf("%s has no words of its own: %q", k, w)
		case !strings.Contains(w, "beyond"):
			t.Errorf("%s: %q does not say it is beyond tolerance", k, w)
		case k.IsUnderrun() && strings.Contains(strings.ToLower(w), "overrun"):
			t.Errorf("%s is an underrun, called %q", k, w)
		}
		seen[w] = true
	}
}
