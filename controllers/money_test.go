/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// projectWithCents creates a Delivering project of the programme with the
// amounts as a person writes them (opts may make it a dry run). It goes
// through unstructured: a resource.Quantity with cents is sent as milli
// ("1000750m"), which the spec's grammar refuses.
func projectWithCents(t *testing.T, ns, name, programme, budget, actual, forecast string, opts ...client.CreateOption) *v1alpha1.Project {
	t.Helper()
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": v1alpha1.GroupVersion.String(), "kind": "Project",
		"metadata": map[string]any{"namespace": ns, "name": name},
		"spec": map[string]any{
			"programmeRef": map[string]any{"name": programme},
			"phase":        string(v1alpha1.ProjectDelivering),
			"plan":         map[string]any{"budget": budget},
			"progress": map[string]any{"asOf": metav1.Now().Format("2006-01-02"),
				"actualCost": actual, "forecastCost": forecast},
		},
	}}
	if err := k8sClient.Create(context.Background(), u, opts...); err != nil {
		t.Fatalf("creating project %s: %v", name, err)
	}
	return &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
}

// statusAmounts are the paths of the money fields in each kind's status.
var statusAmounts = map[string][][]string{
	"Project":   {{"costVariance"}},
	"Programme": rollupAmounts(),
	"Portfolio": append(rollupAmounts(), []string{"committed"}),
	"Office":    rollupAmounts(),
}

func rollupAmounts() [][]string {
	return [][]string{
		{"rollup", "money", "budget"}, {"rollup", "money", "actualCost"}, {"rollup", "money", "forecastCost"},
		{"rollup", "money", "variance"}, {"rollup", "benefits", "planned"}, {"rollup", "benefits", "realised"},
	}
}

// expectAmountsAsInput reads obj's status as the API server stores it and
// expects every money field present to be a string with no milli suffix, in
// the form status amounts take, and (unless negative) accepted as input.
func expectAmountsAsInput(g Gomega, kind string, obj client.Object) {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(v1alpha1.GroupVersion.String())
	u.SetKind(kind)
	g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(obj), u)).To(Succeed())
	for _, path := range statusAmounts[kind] {
		v, found, err := unstructured.NestedFieldNoCopy(u.Object, append([]string{"status"}, path...)...)
		if !found {
			continue
		}
		where := kind + " " + obj.GetName() + " status." + strings.Join(path, ".")
		g.Expect(err).NotTo(HaveOccurred(), where)
		s, ok := v.(string)
		g.Expect(ok).To(BeTrue(), "%s is %T %v, not a string", where, v, v)
		g.Expect(s).NotTo(ContainSubstring("m"), where)
		g.Expect(s).To(MatchRegexp(money.AmountPattern), where)
		if !strings.HasPrefix(s, "-") {
			g.Expect(money.Check(where, s)).To(Succeed())
		}
	}
}

// Amounts with cents roll up exactly and every status money field on the way
// (project, programme, portfolio, office) is written as input accepts it,
// never as the milli quantity ("4500001001500m") the API machinery writes.
func TestStatusAmountsWithCentsAreWrittenAsInput(t *testing.T) {
	o := newOrganisation(t)
	erp := projectWithCents(t, o.ns, "erp", "cloud", "4500000000.75", "100000.10", "4499999000.25")
	portal := projectWithCents(t, o.ns, "portal", "cloud", "1000.75", "0.05", "1500.50")

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, erp)
		g.Expect(erp.Status.CostVariance).To(Equal(v1alpha1.Amount("-1000.50")))
		get(g, portal)
		g.Expect(portal.Status.CostVariance).To(Equal(v1alpha1.Amount("499.75")))
		get(g, o.programme)
		m := o.programme.Status.Rollup.Money
		g.Expect([]v1alpha1.Amount{m.Budget, m.ActualCost, m.ForecastCost, m.Variance}).To(Equal(
			[]v1alpha1.Amount{"4500001001.50", "100000.15", "4500000500.75", "-500.75"}))
		get(g, o.portfolio)
		g.Expect(o.portfolio.Status.Committed).To(Equal(v1alpha1.Amount("4500001001.50")))
		get(g, o.office)
		g.Expect(o.office.Status.Rollup.Money.Variance).To(Equal(v1alpha1.Amount("-500.75")))
	}).Should(Succeed())

	g.Eventually(func(g Gomega) {
		expectAmountsAsInput(g, "Project", erp)
		expectAmountsAsInput(g, "Project", portal)
		expectAmountsAsInput(g, "Programme", o.programme)
		expectAmountsAsInput(g, "Portfolio", o.portfolio)
		expectAmountsAsInput(g, "Office", o.office)
	}).Should(Succeed())
	// What status says, the API server accepts as input: the totals, as
	// written, make a valid project (a dry run, so the totals stay).
	m := o.programme.Status.Rollup.Money
	projectWithCents(t, o.ns, "echo", "cloud", string(m.Budget), string(m.ActualCost), string(m.ForecastCost), client.DryRunAll)
}
