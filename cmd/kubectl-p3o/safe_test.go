/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// hostile is text from the cluster that would drive a terminal: a title
// change ended by BEL, a screen clear, a C1 CSI, DEL, a right-to-left
// override and a zero-width joiner.
const hostile = "Sam\x1b]0;pwned\x07\x1b[2J\u009b31m\x7f\u202eevil\u200d"

// unsafeRune finds the first character of out that a terminal would act on
// or that reorders what it shows: a control (but a line break or a tab) or
// a format character.
func unsafeRune(out string) (rune, bool) {
	for _, r := range out {
		if (unicode.IsControl(r) && r != '\n' && r != '\t') || unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}

// hostileReport is the published report of a portfolio whose project has
// a hostile manager and risk.
func hostileReport(t *testing.T) map[string]string {
	t.Helper()
	p := &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "erp"},
		Spec: v1alpha1.ProjectSpec{Manager: hostile, Phase: v1alpha1.ProjectDelivering,
			Risks: []v1alpha1.Risk{{Name: hostile, Owner: hostile, Description: hostile, Probability: 5, Impact: 5}}},
		Status: v1alpha1.ProjectStatus{Health: v1alpha1.HealthRed, HealthReasons: []string{hostile}}}
	data := report.Render(report.Build(report.Input{Kind: "Portfolio", Namespace: "central", Name: "digital", Projects: []*v1alpha1.Project{p}})).Data
	if !strings.Contains(data[report.KeyCSV], "\x1b") {
		t.Fatal("projects.csv carries no escape: the test needs hostile cells")
	}
	return data
}

// Every output of the plugin, in every format, is safe on a terminal (also
// through a pipe), still parses as its format, and keeps the visible text.
func TestEveryFormatIsSafeForATerminal(t *testing.T) {
	o := testOrg()
	erp := find(pointers(o.Projects), "erp")
	erp.Spec.Manager = hostile
	erp.Status.HealthReasons[0] = hostile
	erp.Status.Compliance.NextGate = hostile
	outputs := map[string]func(w *bytes.Buffer) error{}
	for _, format := range []string{"text", "json", "yaml"} {
		views := map[string]any{"tree": forestOf(o, nil, "", true), "why": explain(erp), "gates": gatesOf(erp)}
		for command, v := range views {
			outputs[command+" "+format] = func(w *bytes.Buffer) error {
				if format != "text" {
					return writeStructured(w, format, v)
				}
				switch v := v.(type) {
				case []*Node:
					return writeTree(w, plain, v, true)
				case Explanation:
					return writeWhy(w, plain, v)
				case GatesView:
					return writeGates(w, plain, v)
				}
				return fmt.Errorf("no text form of %T", v)
			}
		}
	}
	reportData := hostileReport(t)
	for format, key := range reportKeys {
		outputs["report --format "+format] = func(w *bytes.Buffer) error { return writeReport(w, reportData[key]) }
	}
	for name, write := range outputs {
		var out bytes.Buffer
		if err := write(&out); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r, found := unsafeRune(out.String()); found {
			t.Errorf("%s prints %U", name, r)
		}
		if err := parses(name, out.Bytes()); err != nil {
			t.Errorf("%s no longer parses: %v", name, err)
		}
		if !strings.Contains(out.String(), "pwned") {
			t.Errorf("%s lost the visible text:\n%s", name, out.String())
		}
	}
}

// parses reads an output back as its format says.
func parses(name string, out []byte) error {
	var v any
	switch {
	case strings.HasSuffix(name, " json"):
		return json.Unmarshal(out, &v)
	case strings.HasSuffix(name, " yaml"):
		return yaml.Unmarshal(out, &v)
	case strings.HasSuffix(name, " csv"):
		_, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		return err
	}
	return nil
}
