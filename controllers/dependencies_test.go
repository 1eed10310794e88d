/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/controllers"
)

// Dependencies between Projects and Programmes, against the real API
// server: each provider change reaches its consumers through the index on
// spec.dependsOn, never through a change to the consumer.

// inDays is the date n days from today.
func inDays(n int) v1alpha1.Date {
	return v1alpha1.Date(time.Now().UTC().AddDate(0, 0, n).Format(time.DateOnly))
}

func dependency(kind v1alpha1.SubjectKind, name string, neededBy v1alpha1.Date, namespace ...string) v1alpha1.Dependency {
	return v1alpha1.Dependency{SubjectReference: v1alpha1.SubjectReference{Kind: kind, ParentReference: ref(name, namespace...)}, NeededBy: neededBy}
}

// standalone is a project of portfolio "pf" planned to end on end.
func standalone(ns, name string, end v1alpha1.Date, deps ...v1alpha1.Dependency) *v1alpha1.Project {
	p := newProject(ns, name, nil)
	p.Spec.PortfolioRef = refPtr("pf")
	p.Spec.Plan.End = end
	p.Spec.DependsOn = deps
	return p
}

// dependenciesOf fetches obj afresh and returns its status.dependencies.
func dependenciesOf(g Gomega, obj client.Object) []v1alpha1.DependencyStatus {
	g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj)).To(Succeed())
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return o.Status.Dependencies
	case *v1alpha1.Programme:
		return o.Status.Dependencies
	}
	return nil
}

// expectDependency waits until obj's only dependency has state and cause.
func expectDependency(t *testing.T, obj client.Object, state v1alpha1.DependencyState, cause v1alpha1.DependencyCause) {
	t.Helper()
	NewWithT(t).Eventually(func(g Gomega) {
		deps := dependenciesOf(g, obj)
		g.Expect(deps).To(HaveLen(1))
		g.Expect(deps[0].State).To(Equal(state))
		g.Expect(deps[0].Cause).To(Equal(cause))
	}).Should(Succeed())
}

// A consumer whose provider is forecast to end after the needed-by date is
// at risk (ForecastLate) and Amber, the provider named in the reason; when
// the provider's plan moves earlier the consumer is on track again without
// being touched. Ready does not depend on it.
func TestDependencyForecastLateMakesConsumerAmber(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice)
	portfolio := newPortfolio(ns, "pf", "central")
	crm := standalone(ns, "crm", inDays(400))
	shop := standalone(ns, "shop", inDays(500), dependency(v1alpha1.SubjectKindProject, "crm", inDays(365)))
	create(t, office, portfolio, crm, shop)

	msg := expectCondition(t, shop, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependenciesAtRisk)
	NewWithT(t).Expect(msg).To(ContainSubstring("Project " + ns + "/crm"))
	expectDependency(t, shop, v1alpha1.DependencyAtRisk, v1alpha1.CauseForecastLate)
	NewWithT(t).Eventually(func(g Gomega) {
		g.Expect(k8sClient.Get(context.Background(), client.ObjectKeyFromObject(shop), shop)).To(Succeed())
		g.Expect(shop.Status.Health).To(Equal(v1alpha1.HealthAmber))
		g.Expect(shop.Status.HealthReasons).To(ContainElement(And(ContainSubstring("Project "+ns+"/crm"), ContainSubstring(string(inDays(400))))))
		g.Expect(shop.Status.Dependencies[0].ProviderForecastEnd).To(Equal(inDays(400)))
		g.Expect(shop.Status.Dependencies[0].Impact).To(Equal(v1alpha1.HealthAmber))
	}).Should(Succeed())
	expectReady(t, shop)
	generation := shop.Generation

	update(t, crm, func(p *v1alpha1.Project) { p.Spec.Plan.End = inDays(300) })
	expectCondition(t, shop, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionTrue, v1alpha1.ReasonDependenciesOnTrack)
	expectDependency(t, shop, v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime)
	NewWithT(t).Expect(shop.Status.Health).To(Equal(v1alpha1.HealthGreen))
	NewWithT(t).Expect(shop.Generation).To(Equal(generation), "the consumer was not changed")
}

// A dependency on a provider that does not exist yet is Missing (never an
// admission error) and heals when the provider is applied: the index
// brings the consumer back. Deleting the provider makes it Missing again.
func TestDependencyProviderAppliedAfterConsumerHeals(t *testing.T) {
	ns := newNamespace(t, nil)
	shop := standalone(ns, "shop", inDays(500), dependency(v1alpha1.SubjectKindProgramme, "data", inDays(365)))
	create(t, shop)
	expectDependency(t, shop, v1alpha1.DependencyAtRisk, v1alpha1.CauseMissing)
	NewWithT(t).Expect(shop.Status.HealthReasons).To(ContainElement(ContainSubstring("Programme " + ns + "/data")))

	data := newProgramme(ns, "data", ref("pf"))
	data.Spec.Tranches = []v1alpha1.Tranche{{Name: "t1", End: inDays(200)}}
	create(t, data)
	expectDependency(t, shop, v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime)
	NewWithT(t).Expect(shop.Generation).To(Equal(int64(1)), "the consumer was not changed")
	NewWithT(t).Expect(shop.Status.Dependencies[0].ProviderForecastEnd).To(Equal(inDays(200)))

	// The programme's forecast end follows its projects (status.forecastEnd).
	late := newProject(ns, "late", refPtr("data"))
	late.Spec.Plan.End = inDays(380)
	create(t, late)
	expectDependency(t, shop, v1alpha1.DependencyAtRisk, v1alpha1.CauseForecastLate)

	NewWithT(t).Expect(k8sClient.Delete(context.Background(), data)).To(Succeed())
	expectDependency(t, shop, v1alpha1.DependencyAtRisk, v1alpha1.CauseMissing)
}

// A cycle a → b → a (a Project and a Programme) is named on both members;
// breaking it on one heals the other through the index.
func TestDependencyCycleNamedOnEveryMember(t *testing.T) {
	ns := newNamespace(t, nil)
	a := standalone(ns, "a", inDays(100), dependency(v1alpha1.SubjectKindProgramme, "b", inDays(365)))
	b := newProgramme(ns, "b", ref("pf"))
	b.Spec.DependsOn = []v1alpha1.Dependency{dependency(v1alpha1.SubjectKindProject, "a", inDays(365))}
	create(t, a, b)

	msg := expectCondition(t, a, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependencyCycle)
	NewWithT(t).Expect(msg).To(ContainSubstring(fmt.Sprintf("Project %s/a → Programme %s/b → Project %s/a", ns, ns, ns)))
	msg = expectCondition(t, b, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependencyCycle)
	NewWithT(t).Expect(msg).To(ContainSubstring(fmt.Sprintf("Programme %s/b → Project %s/a → Programme %s/b", ns, ns, ns)))
	expectDependency(t, a, v1alpha1.DependencyAtRisk, v1alpha1.CauseCycle)
	expectDependency(t, b, v1alpha1.DependencyAtRisk, v1alpha1.CauseCycle)

	update(t, b, func(p *v1alpha1.Programme) { p.Spec.DependsOn = nil })
	expectCondition(t, b, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionTrue, v1alpha1.ReasonNoDependencies)
	expectDependency(t, a, v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime)
}

// A provider in another namespace admits a consumer as a parent admits a
// child: by default it does not (NotAdmitted, at risk); its opt-in heals
// the consumer.
func TestDependencyAcrossNamespacesIsOptInByTheProvider(t *testing.T) {
	central := newNamespace(t, nil)
	retail := newNamespace(t, nil)
	crm := standalone(central, "crm", inDays(100))
	shop := standalone(retail, "shop", inDays(500), dependency(v1alpha1.SubjectKindProject, "crm", inDays(365), central))
	create(t, crm, shop)
	expectDependency(t, shop, v1alpha1.DependencyAtRisk, v1alpha1.CauseNotAdmitted)
	msg := expectCondition(t, shop, v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependenciesAtRisk)
	NewWithT(t).Expect(msg).To(ContainSubstring("Project " + central + "/crm"))

	update(t, crm, func(p *v1alpha1.Project) {
		p.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}
	})
	expectDependency(t, shop, v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime)
}

// Order is a property: the same objects applied in random orders, each
// order in a namespace of its own, end with the same verdicts.
func TestDependencyVerdictsDoNotDependOnOrder(t *testing.T) {
	type verdict struct {
		state v1alpha1.DependencyState
		cause v1alpha1.DependencyCause
	}
	objects := func(ns string) []client.Object {
		prog := newProgramme(ns, "prog", ref("pf"))
		prog.Spec.DependsOn = []v1alpha1.Dependency{dependency(v1alpha1.SubjectKindProject, "p1", inDays(365))}
		return []client.Object{
			standalone(ns, "p1", inDays(400), dependency(v1alpha1.SubjectKindProject, "p2", inDays(200))),
			standalone(ns, "p2", inDays(150), dependency(v1alpha1.SubjectKindProject, "p3", inDays(100))),
			standalone(ns, "p3", inDays(50), dependency(v1alpha1.SubjectKindProject, "p2", inDays(30))),
			standalone(ns, "p4", inDays(50), dependency(v1alpha1.SubjectKindProject, "gone", inDays(30))),
			prog,
		}
	}
	want := map[string]verdict{
		"p1":   {v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime}, // p2 is in a cycle, p1 is not on it
		"p2":   {v1alpha1.DependencyAtRisk, v1alpha1.CauseCycle},
		"p3":   {v1alpha1.DependencyAtRisk, v1alpha1.CauseCycle},
		"p4":   {v1alpha1.DependencyAtRisk, v1alpha1.CauseMissing},
		"prog": {v1alpha1.DependencyAtRisk, v1alpha1.CauseForecastLate},
	}
	for seed := range uint64(3) {
		ns := newNamespace(t, nil)
		objs := objects(ns)
		rng := rand.New(rand.NewPCG(seed, 42))
		rng.Shuffle(len(objs), func(i, j int) { objs[i], objs[j] = objs[j], objs[i] })
		for _, obj := range objs {
			create(t, obj)
			time.Sleep(time.Duration(rng.IntN(50)) * time.Millisecond)
		}
		for _, obj := range objs {
			w := want[obj.GetName()]
			expectDependency(t, obj, w.state, w.cause)
		}
	}
}

// A project applied together with the programme it depends on is judged
// once, against the programme once it has rolled up (Red, from its own Red
// project), not first against a programme that has not rolled up yet and
// then again: its status is written once.
func TestConsumerAppliedWithItsProviderIsWrittenOnce(t *testing.T) {
	ns := newNamespace(t, nil)
	g := NewWithT(t)
	watcher, err := client.NewWithWatch(cpConfig, client.Options{Scheme: scheme})
	g.Expect(err).NotTo(HaveOccurred())
	projects, err := watcher.Watch(context.Background(), &v1alpha1.ProjectList{}, client.InNamespace(ns))
	g.Expect(err).NotTo(HaveOccurred())
	defer projects.Stop()

	data := newProgramme(ns, "data", ref("pf"))
	red := reporting(newProject(ns, "lake", refPtr("data")), "1M", "1.5M")
	shop := standalone(ns, "shop", inDays(500), dependency(v1alpha1.SubjectKindProgramme, "data", inDays(365)))
	// The programme's project first: a programme applied before its
	// projects rolls up at once, and again for each that arrives.
	create(t, newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice), newPortfolio(ns, "pf", "central"), red, data, shop)
	expectDependency(t, shop, v1alpha1.DependencyAtRisk, v1alpha1.CauseProviderRed)
	expectReady(t, shop)

	writes := 0
	quiet := time.After(3 * time.Second)
	for done := false; !done; {
		select {
		case e := <-projects.ResultChan():
			if p, ok := e.Object.(*v1alpha1.Project); ok && p.Name == "shop" && e.Type == "MODIFIED" {
				writes++
			}
		case <-quiet:
			done = true
		}
	}
	g.Expect(writes).To(Equal(1), "status writes of the consumer")
}

// Two programmes whose projects depend on each other's programme, applied
// at once: neither project waits for the other's programme for long (that
// would be a loop of waits, each programme waiting for the project that
// waits for it); both are judged well before a hold ends for want of
// progress.
func TestProjectsOfProgrammesDependingOnEachOtherAreNotHeldInALoop(t *testing.T) {
	ns := newNamespace(t, nil)
	a := reporting(newProject(ns, "a1", refPtr("a")), "1M", "1.5M")
	a.Spec.DependsOn = []v1alpha1.Dependency{dependency(v1alpha1.SubjectKindProgramme, "b", inDays(365))}
	b := newProject(ns, "b1", refPtr("b"))
	b.Spec.DependsOn = []v1alpha1.Dependency{dependency(v1alpha1.SubjectKindProgramme, "a", inDays(365))}
	start := time.Now()
	create(t, newOffice(ns, "central", v1alpha1.OfficeTypePortfolioOffice), newPortfolio(ns, "pf", "central"),
		a, b, newProgramme(ns, "a", ref("pf")), newProgramme(ns, "b", ref("pf")))
	// b1 depends on a, Red from a1's overrun; a1 on b, Amber from b1's
	// dependency: not Red.
	expectDependency(t, b, v1alpha1.DependencyAtRisk, v1alpha1.CauseProviderRed)
	expectDependency(t, a, v1alpha1.DependencyOnTrack, v1alpha1.CauseForecastOnTime)
	expectReady(t, a, b)
	if took := time.Since(start); took >= controllers.HoldStalled {
		t.Errorf("judged after %s: held in a loop until nothing progressed (%s)", took, controllers.HoldStalled)
	}
}
