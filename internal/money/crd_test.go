/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package money

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// Every money field a user writes (an int-or-string under spec) carries the
// rules of the grammar, word for word, so that a new field cannot forget
// them: single amounts both rules, amounts in lists the non-negative one
// (see Pattern for why) and the webhook's Check.
func TestEveryMoneyFieldCarriesTheRules(t *testing.T) {
	single := []string{NonNegativeRule + " | " + NonNegativeMessage, GrammarRule + " | " + GrammarMessage}
	inList := single[:1]
	found := 0
	for f, versions := range crdSchemas(t) {
		for _, schema := range versions {
			spec, _ := schema["properties"].(map[string]any)["spec"].(map[string]any)
			walkMoney(spec, f+":spec", false, func(path string, inArray bool, rules []string) {
				found++
				want := single
				if inArray {
					want = inList
				}
				if !slices.Equal(rules, want) {
					t.Errorf("%s carries rules\n%s\nwant\n%s", path, strings.Join(rules, "\n"), strings.Join(want, "\n"))
				}
			})
		}
	}
	// capacity, capacityByYear's amount, programme budget, tranche budget,
	// plan.budget, plan.budgetByYear's amount, actualCost, forecastCost, and
	// benefits' baseline, target, planned (its former name), forecast and
	// realised on two kinds.
	if found != 18 {
		t.Errorf("found %d money fields under spec; want 18 (update this test with the new field)", found)
	}
}

// Every money field the operator writes (under status) is an Amount: a
// string with AmountPattern and AmountMaxLength, never an int-or-string
// quantity (which the API machinery writes as milli: 4500001500m).
func TestEveryStatusAmountIsAnAmount(t *testing.T) {
	amounts := 0
	for f, versions := range crdSchemas(t) {
		for _, schema := range versions {
			status, _ := schema["properties"].(map[string]any)["status"].(map[string]any)
			walkMoney(status, f+":status", false, func(path string, _ bool, _ []string) {
				t.Errorf("%s is an int-or-string; status amounts are Amounts", path)
			})
			walkStrings(status, f+":status", func(path string, schema map[string]any) {
				if schema["pattern"] != AmountPattern {
					return
				}
				amounts++
				if n, _ := schema["maxLength"].(float64); int(n) != AmountMaxLength {
					t.Errorf("%s has maxLength %v; want %d", path, schema["maxLength"], AmountMaxLength)
				}
			})
		}
	}
	// rollup.money's four and rollup.benefits' three (planned, forecast,
	// realised), whole and by due year, on Office, Portfolio and Programme;
	// Portfolio's committed; Project's costVariance; Portfolio's strategy:
	// committed by category and by objective, uncategorised and unaligned;
	// Portfolio's committedByYear's committed and Programme's
	// committedByYear's amount.
	if amounts != 38 {
		t.Errorf("found %d status amounts; want 38 (update this test with the new field)", amounts)
	}
}

// walkStrings calls found for every string field in schema.
func walkStrings(schema map[string]any, path string, found func(path string, schema map[string]any)) {
	if schema == nil {
		return
	}
	if schema["type"] == "string" {
		found(path, schema)
	}
	if props, ok := schema["properties"].(map[string]any); ok {
		for name, p := range props {
			child, _ := p.(map[string]any)
			walkStrings(child, path+"."+name, found)
		}
	}
	if items, ok := schema["items"].(map[string]any); ok {
		walkStrings(items, path+"[]", found)
	}
}

// crdSchemas reads the generated CRDs: each file's name and the OpenAPI
// schema of each of its versions.
func crdSchemas(t *testing.T) map[string][]map[string]any {
	t.Helper()
	files, err := filepath.Glob("../../config/crd/bases/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs found: %v", err)
	}
	schemas := map[string][]map[string]any{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd struct {
			Spec struct {
				Versions []struct {
					Schema struct {
						OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
					} `json:"schema"`
				} `json:"versions"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(data, &crd); err != nil {
			t.Fatal(err)
		}
		for _, v := range crd.Spec.Versions {
			schemas[filepath.Base(f)] = append(schemas[filepath.Base(f)], v.Schema.OpenAPIV3Schema)
		}
	}
	return schemas
}

// walkMoney calls found for every int-or-string in schema, with its rules
// written "rule | message".
func walkMoney(schema map[string]any, path string, inArray bool, found func(path string, inArray bool, rules []string)) {
	if schema == nil {
		return
	}
	if schema["x-kubernetes-int-or-string"] == true {
		var rules []string
		list, _ := schema["x-kubernetes-validations"].([]any)
		for _, r := range list {
			m, _ := r.(map[string]any)
			rules = append(rules, m["rule"].(string)+" | "+m["message"].(string))
		}
		found(path, inArray, rules)
		return
	}
	if props, ok := schema["properties"].(map[string]any); ok {
		for name, p := range props {
			child, _ := p.(map[string]any)
			walkMoney(child, path+"."+name, inArray, found)
		}
	}
	if items, ok := schema["items"].(map[string]any); ok {
		walkMoney(items, path+"[]", true, found)
	}
}
