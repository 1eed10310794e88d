/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
)

// table asks the API server for the table `kubectl get -o wide` prints, as
// kubectl asks for it.
func table(t *testing.T, path string) metav1.Table {
	t.Helper()
	cfg := rest.CopyConfig(restConfig)
	cfg.NegotiatedSerializer = scheme.Codecs.WithoutConversion()
	rc, err := rest.UnversionedRESTClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	body, err := rc.Get().AbsPath(path).Param("includeObject", "None").
		SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").DoRaw(context.Background())
	if err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	var tab metav1.Table
	if err := json.Unmarshal(body, &tab); err != nil {
		t.Fatal(err)
	}
	return tab
}

// wideColumns are the columns only -o wide shows.
func wideColumns(tab metav1.Table) []string {
	var out []string
	for _, c := range tab.ColumnDefinitions {
		if c.Priority > 0 {
			out = append(out, c.Name)
		}
	}
	return out
}

// `kubectl get -o wide` adds what a person looks for next: who governs an
// object, where it belongs, when it last reported and its next gate.
func TestWideColumns(t *testing.T) {
	ns := newNamespace(t)
	p := parse(t, ns, patchYAML(t, project, `{spec: {progress: {asOf: "2026-11-01"}}}`))
	if err := k8sClient.Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	base := "/apis/governance.p3o.dev/v1alpha1/namespaces/" + ns + "/"
	for _, tc := range []struct {
		resource string
		want     []string
	}{
		{"projects", []string{"Office", "Programme", "Portfolio", "Progress As Of", "Next Gate"}},
		{"programmes", []string{"Office", "Projects", "Next Gate"}},
		{"portfolios", []string{"Programmes"}},
		{"offices", []string{"Hub", "Portfolios", "Programmes"}},
	} {
		if got := wideColumns(table(t, base+tc.resource)); !slices.Equal(got, tc.want) {
			t.Errorf("%s -o wide adds %q, want %q", tc.resource, got, tc.want)
		}
	}

	tab := table(t, base+"projects")
	if len(tab.Rows) != 1 {
		t.Fatalf("rows: %d", len(tab.Rows))
	}
	cell := map[string]string{}
	for i, c := range tab.ColumnDefinitions {
		cell[c.Name] = fmt.Sprint(tab.Rows[0].Cells[i])
	}
	if cell["Programme"] != "digital" || cell["Progress As Of"] != "2026-11-01" {
		t.Errorf("project row: %v", cell)
	}
}
