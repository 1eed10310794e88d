/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1_test

import (
	"os"
	"path/filepath"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// Every field of every CRD has a description: it is what `kubectl explain`
// shows a user.
func TestEveryFieldIsDocumented(t *testing.T) {
	files, err := filepath.Glob("../../config/crd/bases/*.yaml")
	if err != nil || len(files) != 5 {
		t.Fatalf("want the 5 generated CRDs, found %v (%v)", files, err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(data, crd); err != nil {
			t.Fatal(err)
		}
		for _, v := range crd.Spec.Versions {
			for _, field := range []string{"spec", "status"} {
				prop, ok := v.Schema.OpenAPIV3Schema.Properties[field]
				if !ok {
					t.Errorf("%s has no %s", crd.Name, field)
					continue
				}
				checkDescriptions(t, crd.Spec.Names.Kind+"."+field, prop)
			}
		}
	}
}

func checkDescriptions(t *testing.T, path string, s apiextensionsv1.JSONSchemaProps) {
	t.Helper()
	if s.Description == "" {
		t.Errorf("%s has no description", path)
	}
	for name, prop := range s.Properties {
		checkDescriptions(t, path+"."+name, prop)
	}
	if s.Items != nil && s.Items.Schema != nil && len(s.Items.Schema.Properties) > 0 {
		for name, prop := range s.Items.Schema.Properties {
			checkDescriptions(t, path+"[]."+name, prop)
		}
	}
}
