/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"encoding/json"
	"testing"

	. "github.com/onsi/gomega"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/status"
)

func quantity(s string) *resource.Quantity {
	q := resource.MustParse(s)
	return &q
}

// reporting gives a project fresh progress figures.
func reporting(p *v1alpha1.Project, budget, forecast string) *v1alpha1.Project {
	p.Spec.Phase = v1alpha1.ProjectDelivering
	p.Spec.Plan.Budget = quantity(budget)
	p.Spec.Progress = &v1alpha1.Progress{
		AsOf:         v1alpha1.Date(metav1.Now().Format("2006-01-02")),
		ActualCost:   quantity("100k"),
		ForecastCost: quantity(forecast),
	}
	return p
}

// organisation is an office, a portfolio, a programme and projects in one
// namespace.
type organisation struct {
	ns        string
	office    *v1alpha1.Office
	portfolio *v1alpha1.Portfolio
	programme *v1alpha1.Programme
}

func newOrganisation(t *testing.T) organisation {
	ns := newNamespace(t, nil)
	o := organisation{
		ns:        ns,
		office:    newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice),
		portfolio: newPortfolio(ns, "digital", "central"),
		programme: newProgramme(ns, "cloud", ref("digital")),
	}
	o.portfolio.Spec.Capacity = quantity("2M")
	create(t, o.office, o.portfolio, o.programme)
	return o
}

func get(g Gomega, obj client.Object) {
	g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj)).To(Succeed())
}

// A project beyond its cost tolerance is Red with a reason naming cost, and
// its programme, portfolio and office show it among the causes.
func TestRedProjectReachesTheOffice(t *testing.T) {
	o := newOrganisation(t)
	red := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1.2M")
	green := reporting(newProject(o.ns, "portal", refPtr("cloud")), "500k", "500k")
	create(t, red, green)

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, red)
		g.Expect(red.Status.Health).To(Equal(v1alpha1.HealthRed))
		g.Expect(red.Status.HealthReasons).To(ContainElement("cost forecast 1.2M exceeds budget 1M beyond 10% tolerance (overrun 200k)"))
		g.Expect(red.Status.Currency).To(Equal(v1alpha1.Currency("EUR")))
		g.Expect(red.Status.Office.String()).To(Equal(o.ns + "/central"))
	}).Should(Succeed())

	cause := v1alpha1.HealthCause{Kind: v1alpha1.SubjectKindProject, Namespace: o.ns, Name: "erp", Health: v1alpha1.HealthRed,
		Reason: "cost forecast 1.2M exceeds budget 1M beyond 10% tolerance (overrun 200k)"}
	g.Eventually(func(g Gomega) {
		get(g, o.programme)
		g.Expect(o.programme.Status.Health).To(Equal(v1alpha1.HealthRed))
		g.Expect(o.programme.Status.Rollup.Causes).To(Equal([]v1alpha1.HealthCause{cause}))
		g.Expect(o.programme.Status.Rollup.Projects).To(BeEquivalentTo(2))
		g.Expect(o.programme.Status.Rollup.Money.Budget).To(Equal(v1alpha1.Amount("1500000")))
		g.Expect(o.programme.Status.Rollup.Money.ForecastCost).To(Equal(v1alpha1.Amount("1700000")))
		g.Expect(o.programme.Status.Rollup.Money.Variance).To(Equal(v1alpha1.Amount("200000")))

		get(g, o.portfolio)
		g.Expect(o.portfolio.Status.Rollup.Health).To(Equal(v1alpha1.HealthRed))
		g.Expect(o.portfolio.Status.Rollup.Causes).To(ContainElement(cause))
		g.Expect(o.portfolio.Status.Rollup.Programmes).To(BeEquivalentTo(1))
		g.Expect(o.portfolio.Status.Committed).To(Equal(v1alpha1.Amount("1500000")))
		g.Expect(o.portfolio.Status.OverCommitted).To(HaveValue(BeFalse()))

		get(g, o.office)
		g.Expect(o.office.Status.Rollup.Health).To(Equal(v1alpha1.HealthRed))
		g.Expect(o.office.Status.Rollup.Causes).To(ContainElement(cause))
		g.Expect(o.office.Status.Rollup.Projects).To(BeEquivalentTo(2))
		// Counts by health are of projects: they add up to the projects.
		g.Expect(o.office.Status.Rollup.ByHealth).To(Equal(v1alpha1.HealthCounts{Green: 1, Red: 1}))
	}).Should(Succeed())

	// Health turning Red is an event on the project. A first assessment is
	// the status, not an event: erp was Red from the start and has none.
	patch := client.RawPatch(types.MergePatchType, []byte(`{"spec":{"progress":{"forecastCost":"600k"}}}`))
	g.Expect(k8sClient.Patch(context.Background(), green, patch)).To(Succeed())
	g.Eventually(func(g Gomega) {
		events := &eventsv1.EventList{}
		g.Expect(k8sClient.List(context.Background(), events, client.InNamespace(o.ns))).To(Succeed())
		reasons := map[string][]string{}
		for _, e := range events.Items {
			reasons[e.Regarding.Name] = append(reasons[e.Regarding.Name], e.Reason)
		}
		g.Expect(reasons["portal"]).To(ContainElement(status.EventHealthRed))
		g.Expect(reasons["erp"]).NotTo(ContainElement(status.EventHealthRed))
	}).Should(Succeed())
}

// Changing one project's forecast changes the totals all the way up, and
// nothing else is written.
func TestOneChangeReachesTheTopAndNothingElseIsWritten(t *testing.T) {
	o := newOrganisation(t)
	changing := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	sibling := reporting(newProject(o.ns, "portal", refPtr("cloud")), "500k", "500k")
	other := newPortfolio(o.ns, "other", "central")
	create(t, changing, sibling, other)

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		g.Expect(o.office.Status.Rollup.Money.ForecastCost).To(Equal(v1alpha1.Amount("1500000")))
		g.Expect(o.office.Status.Rollup.Portfolios).To(BeEquivalentTo(2))
	}).Should(Succeed())
	expectReady(t, sibling, other)
	get(g, sibling)
	get(g, other)
	siblingVersion, otherVersion := sibling.ResourceVersion, other.ResourceVersion

	update(t, changing, func(p *v1alpha1.Project) { p.Spec.Progress.ForecastCost = quantity("1.05M") })
	g.Eventually(func(g Gomega) {
		get(g, o.programme)
		g.Expect(o.programme.Status.Rollup.Money.ForecastCost).To(Equal(v1alpha1.Amount("1550000")))
		get(g, o.portfolio)
		g.Expect(o.portfolio.Status.Rollup.Money.ForecastCost).To(Equal(v1alpha1.Amount("1550000")))
		get(g, o.office)
		g.Expect(o.office.Status.Rollup.Money.ForecastCost).To(Equal(v1alpha1.Amount("1550000")))
		g.Expect(o.office.Status.Rollup.Money.Variance).To(Equal(v1alpha1.Amount("50000")))
	}).Should(Succeed())

	g.Consistently(func(g Gomega) {
		get(g, sibling)
		get(g, other)
		g.Expect(sibling.ResourceVersion).To(Equal(siblingVersion), "the sibling project was written")
		g.Expect(other.ResourceVersion).To(Equal(otherVersion), "the unrelated portfolio was written")
	}).Should(Succeed())

	// Deleting a child updates its parents.
	g.Expect(k8sClient.Delete(context.Background(), changing)).To(Succeed())
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		g.Expect(o.office.Status.Rollup.Projects).To(BeEquivalentTo(1))
		g.Expect(o.office.Status.Rollup.Money.ForecastCost).To(Equal(v1alpha1.Amount("500000")))
	}).Should(Succeed())
}

// A project in another namespace is not counted until the programme opts in,
// and revoking the opt-in un-counts it.
func TestRefusedChildIsNotCounted(t *testing.T) {
	o := newOrganisation(t)
	team := newNamespace(t, map[string]string{"p3o.dev/unit": "retail"})
	outsider := reporting(newProject(team, "pricing", refPtr("cloud", o.ns)), "9M", "20M")
	create(t, outsider)

	expectCondition(t, outsider, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, o.programme)
		g.Expect(o.programme.Status.Rollup.Refused).To(BeEquivalentTo(1))
		g.Expect(o.programme.Status.Rollup.Projects).To(BeZero())
		g.Expect(o.programme.Status.Health).To(Equal(v1alpha1.HealthGreen))
	}).Should(Succeed())

	update(t, o.programme, func(p *v1alpha1.Programme) {
		p.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromSelector,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"p3o.dev/unit": "retail"}}}
	})
	g.Eventually(func(g Gomega) {
		get(g, o.programme)
		g.Expect(o.programme.Status.Rollup.Projects).To(BeEquivalentTo(1))
		g.Expect(o.programme.Status.Rollup.Refused).To(BeZero())
		g.Expect(o.programme.Status.Health).To(Equal(v1alpha1.HealthRed))
	}).Should(Succeed())
	expectReady(t, outsider)

	update(t, o.programme, func(p *v1alpha1.Programme) { p.Spec.AllowedChildren = v1alpha1.AllowedChildren{} })
	g.Eventually(func(g Gomega) {
		get(g, o.programme)
		g.Expect(o.programme.Status.Rollup.Projects).To(BeZero())
		g.Expect(o.programme.Status.Rollup.Refused).To(BeEquivalentTo(1))
	}).Should(Succeed())
}

// A hub rolls up its satellites; hub chains that loop are reported, not
// followed forever, and everything else keeps being reconciled.
func TestSatellitesAndHubLoops(t *testing.T) {
	o := newOrganisation(t)
	satellite := newOffice(o.ns, "retail", v1alpha1.OfficeTypeSatellite)
	satellite.Spec.HubRef = refPtr("central")
	retailPortfolio := newPortfolio(o.ns, "retail-growth", "retail")
	project := reporting(newProject(o.ns, "store", nil), "2M", "2M")
	project.Spec.PortfolioRef = refPtr("retail-growth")
	create(t, satellite, retailPortfolio, project)

	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		g.Expect(o.office.Status.Rollup.Satellites).To(BeEquivalentTo(1))
		g.Expect(o.office.Status.Rollup.Portfolios).To(BeEquivalentTo(2))
		g.Expect(o.office.Status.Rollup.Projects).To(BeEquivalentTo(1))
		get(g, satellite)
		g.Expect(satellite.Status.Hub.String()).To(Equal(o.ns + "/central"))
	}).Should(Succeed())

	a := newOffice(o.ns, "loop-a", v1alpha1.OfficeTypeSatellite)
	a.Spec.HubRef = refPtr("loop-b")
	b := newOffice(o.ns, "loop-b", v1alpha1.OfficeTypeSatellite)
	b.Spec.HubRef = refPtr("loop-a")
	create(t, a, b)
	msg := expectCondition(t, a, v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonHubLoop)
	g.Expect(msg).To(Equal("hubRef chain loops: " + o.ns + "/loop-a → " + o.ns + "/loop-b → " + o.ns + "/loop-a"))
	expectCondition(t, b, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonHubLoop)

	// The rest of the organisation is unaffected and still reconciled.
	update(t, project, func(p *v1alpha1.Project) { p.Spec.Progress.ForecastCost = quantity("3M") })
	g.Eventually(func(g Gomega) {
		get(g, o.office)
		g.Expect(o.office.Status.Rollup.Health).To(Equal(v1alpha1.HealthRed))
	}).Should(Succeed())
}

// Amounts in another currency are never silently added: the rollup says so.
func TestMixedCurrencyIsAConditionNotASum(t *testing.T) {
	o := newOrganisation(t)
	london := newOffice(o.ns, "london", v1alpha1.OfficeTypeVirtual)
	london.Spec.Currency = "GBP"
	euro := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	pound := reporting(newProject(o.ns, "payroll", refPtr("cloud")), "1M", "1M")
	pound.Spec.OfficeRef = refPtr("london")
	create(t, london, euro, pound)

	msg := expectCondition(t, o.programme, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	g := NewWithT(t)
	want := "totals incomplete: amounts in GBP (Project " + o.ns + "/payroll) are not added to totals in EUR"
	g.Expect(msg).To(Equal(want))
	expectCondition(t, o.programme, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	expectCondition(t, o.programme, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonMixedCurrency)
	get(g, o.programme)
	g.Expect(o.programme.Status.Rollup.Money.Budget).To(BeEmpty())
	g.Expect(o.programme.Status.Rollup.Projects).To(BeEquivalentTo(2))

	// Said all the way up: the portfolio and the office name the same
	// amounts, show no total, and claim nothing about capacity.
	for _, parent := range []client.Object{o.portfolio, o.office} {
		g.Expect(expectCondition(t, parent, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)).To(Equal(want))
	}
	get(g, o.portfolio)
	g.Expect(o.portfolio.Status.Rollup.Money.LeftOut).To(Equal([]v1alpha1.LeftOutAmounts{{Currency: "GBP", Count: 1, Objects: []string{"Project " + o.ns + "/payroll"}}}))
	g.Expect(o.portfolio.Status.OverCommitted).To(BeNil())
	g.Eventually(func(g Gomega) {
		md := reportOf(g, o.ns, "office-central-report").Data[report.KeyMarkdown]
		g.Expect(md).To(ContainSubstring("**Totals incomplete:** 1 object's amounts are in GBP, not EUR"))
		md = reportOf(g, o.ns, "portfolio-digital-report").Data[report.KeyMarkdown]
		g.Expect(md).To(ContainSubstring("committed unknown, so capacity cannot be compared"))
		g.Expect(md).NotTo(ContainSubstring("within capacity"))
	}).Should(Succeed())

	// The office changing its currency relabels nothing: the project's
	// amounts were written in GBP, and it says so until they are restated.
	update(t, london, func(off *v1alpha1.Office) { off.Spec.Currency = "EUR" })
	g.Expect(expectCondition(t, pound, v1alpha1.ConditionCurrencyMatched, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)).To(
		Equal("amounts are in GBP but the governing office " + o.ns + "/london keeps EUR: they are left out of its totals until restated (write them in EUR and set spec.currency: EUR)"))
	expectCondition(t, o.programme, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)

	// Restated in EUR, the rollup heals.
	update(t, pound, func(p *v1alpha1.Project) { p.Spec.Currency = "EUR" })
	expectCondition(t, pound, v1alpha1.ConditionCurrencyMatched, metav1.ConditionTrue, v1alpha1.ReasonSameCurrency)
	expectCondition(t, o.programme, v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonAggregated)
	get(g, o.programme)
	g.Expect(o.programme.Status.Rollup.Money.Budget).To(Equal(v1alpha1.Amount("2000000")))
	expectCondition(t, o.office, v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonAggregated)
	expectReady(t, o.office)
}

// A programme moved from a portfolio whose office keeps GBP to one whose
// office keeps EUR keeps its amounts, and its projects theirs, in GBP: they
// are not relabelled, not added to the EUR totals (left out, named, with
// MixedCurrency all the way up), and the moved objects say why, until the
// amounts are restated.
func TestAMoveKeepsTheCurrency(t *testing.T) {
	o := newOrganisation(t) // EUR
	london := newOffice(o.ns, "london", v1alpha1.OfficeTypePortfolioOffice)
	london.Spec.Currency = "GBP"
	uk := newPortfolio(o.ns, "uk", "london")
	payroll := newProgramme(o.ns, "payroll", ref("uk"))
	payroll.Spec.Budget = quantity("200k")
	project := reporting(newProject(o.ns, "payroll-system", refPtr("payroll")), "500k", "500k")
	create(t, london, uk, payroll, project)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, project)
		g.Expect(project.Status.Currency).To(BeEquivalentTo("GBP"))
		g.Expect(project.Status.Display.Budget).To(Equal("500k GBP"))
	}).Should(Succeed())
	expectReady(t, payroll, uk)

	update(t, payroll, func(p *v1alpha1.Programme) { p.Spec.PortfolioRef = ref("digital") })
	expectCondition(t, payroll, v1alpha1.ConditionCurrencyMatched, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	expectCondition(t, project, v1alpha1.ConditionCurrencyMatched, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	get(g, project)
	g.Expect(project.Status.Display.Budget).To(Equal("500k GBP"), "the amounts were written in GBP")
	msg := expectCondition(t, o.portfolio, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	g.Expect(msg).To(Equal("totals incomplete: amounts in GBP (1 project, Programme " + o.ns + "/payroll) are not added to totals in EUR"))
	expectCondition(t, o.office, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	get(g, o.portfolio)
	g.Expect(o.portfolio.Status.Rollup.Money.Budget).To(BeEmpty(), "no EUR total claims to include GBP amounts")

	// Restated in EUR, programme and project alike, the totals heal.
	update(t, payroll, func(p *v1alpha1.Programme) { p.Spec.Currency = "EUR" })
	update(t, project, func(p *v1alpha1.Project) { p.Spec.Currency = "EUR" })
	expectCondition(t, o.portfolio, v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonAggregated)
	expectReady(t, payroll, project, o.portfolio)
}

// Every office type shows its scope, each object counted once: a Temporary
// office the programme it supports, a Project Support office its project,
// a Virtual office what names it in officeRef; a portfolio office that is
// also named by a project in one of its portfolios counts that project once.
func TestEveryOfficeShowsItsScope(t *testing.T) {
	o := newOrganisation(t)
	red := reporting(newProject(o.ns, "late", refPtr("cloud")), "1M", "1.5M")
	green := reporting(newProject(o.ns, "fine", refPtr("cloud")), "500k", "500k")
	green.Spec.OfficeRef = refPtr("central") // also in central's portfolio: counted once
	temporary := newOffice(o.ns, "cloud-pmo", v1alpha1.OfficeTypeTemporary)
	temporary.Spec.SupportedObjectRef = &v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProgramme, ParentReference: ref("cloud")}
	support := newOffice(o.ns, "late-support", v1alpha1.OfficeTypeProjectSupport)
	support.Spec.SupportedObjectRef = &v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: ref("late")}
	virtual := newOffice(o.ns, "virtual", v1alpha1.OfficeTypeVirtual)
	governed := reporting(newProject(o.ns, "governed", refPtr("cloud")), "200k", "200k")
	governed.Spec.OfficeRef = refPtr("virtual")
	create(t, red, green, governed, temporary, support, virtual)

	g := NewWithT(t)
	cases := []struct {
		office   *v1alpha1.Office
		projects int32
		health   v1alpha1.Health
		budget   string
	}{
		{o.office, 3, v1alpha1.HealthRed, "1700k"},
		{temporary, 3, v1alpha1.HealthRed, "1700k"},
		{support, 1, v1alpha1.HealthRed, "1M"},
		{virtual, 1, v1alpha1.HealthGreen, "200k"},
	}
	for _, tc := range cases {
		expectReady(t, tc.office)
		g.Eventually(func(g Gomega) {
			get(g, tc.office)
			r := tc.office.Status.Rollup
			g.Expect(r.Projects).To(Equal(tc.projects), "%s projects", tc.office.Name)
			g.Expect(r.Health).To(Equal(tc.health), "%s health", tc.office.Name)
			g.Expect(r.Money.Budget).To(Equal(money.Amount(money.Of(quantity(tc.budget)))), "%s budget", tc.office.Name)
			var rep report.Report
			g.Expect(json.Unmarshal([]byte(reportOf(g, o.ns, "office-"+tc.office.Name+"-report").Data[report.KeyJSON]), &rep)).To(Succeed())
			g.Expect(rep.Projects).To(HaveLen(int(tc.projects)), "%s report rows", tc.office.Name)
			g.Expect(rep.Health).To(Equal(tc.health))
		}).Should(Succeed())
	}
}
