/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

var plain = printer{now: testNow}

func TestTreeGolden(t *testing.T) {
	for _, tc := range []struct {
		golden        string
		root          *objectID
		namespace     string
		allNamespaces bool
		showAll       bool
	}{
		{golden: "tree-all.golden", allNamespaces: true},
		{golden: "tree-all-show-all.golden", allNamespaces: true, showAll: true},
		{golden: "tree-namespace-central.golden", namespace: "central"},
		{golden: "tree-namespace-retail.golden", namespace: "retail"},
		{golden: "tree-namespace-other.golden", namespace: "other"},
		{golden: "tree-portfolio.golden", root: &objectID{"Portfolio", "central", "digital"}, namespace: "central"},
		{golden: "tree-temporary-office.golden", root: &objectID{"Office", "central", "cloud-pmo"}, namespace: "central"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var out bytes.Buffer
			trees := forestOf(testOrg(), tc.root, tc.namespace, tc.allNamespaces)
			if err := writeTree(&out, plain, trees, tc.showAll); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.golden, out.Bytes())
		})
	}
}

func TestTreeJSONGolden(t *testing.T) {
	var out bytes.Buffer
	if err := writeStructured(&out, "json", forestOf(testOrg(), nil, "", true)); err != nil {
		t.Fatal(err)
	}
	golden(t, "tree-all.json.golden", out.Bytes())
}

// Every object appears in the -A tree, and every figure on a line is the
// object's own status.
func TestTreeShowsEveryObjectWithItsStatus(t *testing.T) {
	o := testOrg()
	seen := map[objectID]*Node{}
	var walk func(n *Node)
	walk = func(n *Node) {
		seen[objectID{n.Kind, n.Namespace, n.Name}] = n
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, n := range forestOf(o, nil, "", true) {
		walk(n)
	}
	for _, x := range o.Offices {
		n := seen[objectID{"Office", x.Namespace, x.Name}]
		if n == nil {
			t.Errorf("office %s/%s is not in the tree", x.Namespace, x.Name)
			continue
		}
		if n.Health != string(x.Status.Rollup.Health) || *n.Projects != x.Status.Rollup.Projects {
			t.Errorf("office %s: node %s/%d, status %s/%d", x.Name, n.Health, *n.Projects, x.Status.Rollup.Health, x.Status.Rollup.Projects)
		}
	}
	for _, x := range o.Projects {
		n := seen[objectID{"Project", x.Namespace, x.Name}]
		if n == nil {
			t.Errorf("project %s/%s is not in the tree", x.Namespace, x.Name)
			continue
		}
		if n.Health != string(x.Status.Health) || money.Value(n.Budget).Cmp(money.Of(x.Spec.Plan.Budget)) != 0 {
			t.Errorf("project %s: node %s %s, object %s %s", x.Name, n.Health, n.Budget, x.Status.Health, x.Spec.Plan.Budget)
		}
	}
	if len(seen) != len(o.Offices)+len(o.Portfolios)+len(o.Programmes)+len(o.Projects) {
		t.Errorf("%d objects in the tree, %d read", len(seen), len(o.Offices)+len(o.Portfolios)+len(o.Programmes)+len(o.Projects))
	}
}

func find[T client.Object](items []T, name string) T {
	for _, x := range items {
		if x.GetName() == name {
			return x
		}
	}
	panic("no " + name)
}

func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

func TestWhyGolden(t *testing.T) {
	o := testOrg()
	review := &v1alpha1.GatewayReview{ObjectMeta: objMeta("assurance", "erp-gate-3-2025"), Spec: v1alpha1.GatewayReviewSpec{
		SubjectRef: v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: *ref("erp", "central")},
		Gate:       new(int32(3)), Date: "2025-07-22", Findings: &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmber, Scale: v1alpha1.ConfidenceScaleThreePoint}}}
	review.Status.ObservedGeneration = 1
	review.Status.SupersededBy = &v1alpha1.ObjectReference{Namespace: "assurance", Name: "erp-gate-3"}
	review.Status.Conditions = resolved("Project central/erp")
	lagging := find(pointers(o.Projects), "portal")
	lagging.Generation = 2
	for _, tc := range []struct {
		golden string
		obj    client.Object
	}{
		{"why-project.golden", find(pointers(o.Projects), "erp")},
		{"why-project-not-permitted.golden", find(pointers(o.Projects), "shadow")},
		{"why-project-lagging.golden", lagging},
		{"why-programme.golden", &o.Programmes[0]},
		{"why-portfolio.golden", find(pointers(o.Portfolios), "digital")},
		{"why-portfolio-reconciling.golden", find(pointers(o.Portfolios), "growth")},
		{"why-office.golden", find(pointers(o.Offices), "group-office")},
		{"why-office-retired.golden", find(pointers(o.Offices), "intranet-support")},
		{"why-gatewayreview.golden", review},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var out bytes.Buffer
			if err := writeWhy(&out, plain, explain(tc.obj)); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.golden, out.Bytes())
		})
	}
}

func TestGatesGolden(t *testing.T) {
	o := testOrg()
	for _, tc := range []struct {
		golden string
		obj    client.Object
	}{
		{"gates-project.golden", find(pointers(o.Projects), "erp")},
		{"gates-project-none.golden", find(pointers(o.Projects), "orphan")},
		{"gates-office.golden", find(pointers(o.Offices), "group-office")},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var out bytes.Buffer
			if err := writeGates(&out, plain, gatesOf(tc.obj)); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.golden, out.Bytes())
		})
	}
}

func TestStructuredOutputRoundTrips(t *testing.T) {
	erp := find(pointers(testOrg().Projects), "erp")
	for _, format := range []string{"json", "yaml"} {
		var out bytes.Buffer
		if err := writeStructured(&out, format, explain(erp)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "BelowMinimum") || !strings.Contains(out.String(), "gate-4") {
			t.Errorf("-o %s lacks the gates:\n%s", format, out.String())
		}
	}
	var e Explanation
	var out bytes.Buffer
	_ = writeStructured(&out, "json", explain(erp))
	if err := json.Unmarshal(out.Bytes(), &e); err != nil || e.Health != "Red" || len(e.Gates) != 6 {
		t.Errorf("-o json does not decode to the explanation: %v %+v", err, e)
	}
}

// Colour is for terminals only: health words, nothing else, and text from
// the cluster can never carry escape sequences of its own.
func TestColourAndCleaning(t *testing.T) {
	o := testOrg()
	o.Projects[0].Status.HealthReasons[0] = "cost\x1b[2J forecast\u202e\nhigh"
	var out bytes.Buffer
	if err := writeTree(&out, plain, forestOf(o, nil, "", true), true); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\u202e") || !strings.Contains(out.String(), "cost [2J forecast  high") {
		t.Errorf("uncoloured tree carries escapes or a raw line break:\n%q", out.String())
	}
	out.Reset()
	colour := printer{color: true, now: testNow}
	if err := writeTree(&out, colour, forestOf(o, nil, "", true), true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{ansiRed + "Red" + ansiReset, ansiAmber + "Amber" + ansiReset, ansiGreen + "Green" + ansiReset} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("coloured tree lacks %q", want)
		}
	}
	if n := strings.Count(out.String(), "\x1b["); n != 2*strings.Count(out.String(), ansiReset) {
		t.Errorf("escape sequences other than health colours: %d escapes", n)
	}
	// Columns stay aligned with colour on: the same text once escapes go.
	var plainOut bytes.Buffer
	_ = writeTree(&plainOut, plain, forestOf(o, nil, "", true), true)
	stripped := strings.NewReplacer(ansiRed, "", ansiAmber, "", ansiGreen, "", ansiReset, "").Replace(out.String())
	if stripped != plainOut.String() {
		t.Errorf("colour changes the layout:\n%s\nwant:\n%s", stripped, plainOut.String())
	}
}

// A project that has not reported a forecast shows its budget as its
// forecast, as kubectl get, the totals and the reports count it; one that
// has shows its own.
func TestTreeShowsTheForecastStatusShows(t *testing.T) {
	budget, forecast := resource.MustParse("500k"), resource.MustParse("650k")
	quiet := &v1alpha1.Project{Spec: v1alpha1.ProjectSpec{Plan: v1alpha1.Plan{Budget: &budget}}}
	reported := &v1alpha1.Project{Spec: v1alpha1.ProjectSpec{Plan: v1alpha1.Plan{Budget: &budget},
		Progress: &v1alpha1.Progress{ForecastCost: &forecast}}}
	for _, tc := range []struct {
		p    *v1alpha1.Project
		want v1alpha1.Amount
	}{{quiet, "500000"}, {reported, "650000"}} {
		if got := projectNode(tc.p).Forecast; got != tc.want {
			t.Errorf("forecast shown %q, want %q", got, tc.want)
		}
	}
}
