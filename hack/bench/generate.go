/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// The generated organisation: its offices, portfolios, programmes,
// projects and reviews, and the totals they must roll up to.

package main

import (
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// organisation is the generated input and the totals it must roll up to.
type organisation struct {
	ns             string
	hub            *v1alpha1.Office
	objects        []client.Object
	projects       []*v1alpha1.Project
	budgetTotal    resource.Quantity
	forecastTotal  resource.Quantity
	forecastByName map[string]int64
	// parent is, per "Kind name", the "Kind name" of the object it rolls
	// up into.
	parent map[string]string
}

// chain is a project's key and its ancestors' up to the hub.
func (o *organisation) chain(p *v1alpha1.Project) []string {
	keys := []string{"Project " + p.Name}
	for k, ok := o.parent[keys[0]]; ok; k, ok = o.parent[k] {
		keys = append(keys, k)
	}
	return keys
}

func generate(cfg config) *organisation {
	ns := "default"
	org := &organisation{ns: ns, forecastByName: map[string]int64{}, parent: map[string]string{}}
	meta := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: ns, Name: name} }
	ref := func(name string) v1alpha1.ParentReference {
		return v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name)}
	}
	officeName := func(i int) string {
		if i == 0 {
			return "hub"
		}
		return fmt.Sprintf("satellite-%d", i)
	}
	for i := range cfg.offices {
		o := &v1alpha1.Office{ObjectMeta: meta(officeName(i)), Spec: v1alpha1.OfficeSpec{Type: v1alpha1.OfficeTypePortfolioOffice,
			Governance: v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway}}}
		if i > 0 {
			o.Spec.Type = v1alpha1.OfficeTypeSatellite
			hub := ref("hub")
			o.Spec.HubRef = &hub
			o.Spec.Governance = v1alpha1.GovernancePolicy{}
			org.parent["Office "+o.Name] = "Office hub"
		} else {
			org.hub = o
		}
		org.objects = append(org.objects, o)
	}
	for i := range cfg.portfolios {
		org.parent[fmt.Sprintf("Portfolio portfolio-%d", i)] = "Office " + officeName(i%cfg.offices)
		org.objects = append(org.objects, &v1alpha1.Portfolio{ObjectMeta: meta(fmt.Sprintf("portfolio-%d", i)),
			Spec: v1alpha1.PortfolioSpec{OfficeRef: ref(officeName(i % cfg.offices)), Capacity: resource.NewQuantity(1_000_000_000, resource.DecimalSI)}})
	}
	for i := range cfg.programmes {
		org.parent[fmt.Sprintf("Programme programme-%d", i)] = fmt.Sprintf("Portfolio portfolio-%d", i%cfg.portfolios)
		org.objects = append(org.objects, &v1alpha1.Programme{ObjectMeta: meta(fmt.Sprintf("programme-%d", i)),
			Spec: v1alpha1.ProgrammeSpec{PortfolioRef: ref(fmt.Sprintf("portfolio-%d", i%cfg.portfolios)), Phase: v1alpha1.ProgrammeDelivering}})
	}
	today := v1alpha1.Date(time.Now().UTC().Format(time.DateOnly))
	end := v1alpha1.Date(time.Now().UTC().AddDate(0, 0, 300).Format(time.DateOnly))
	neededBy := v1alpha1.Date(time.Now().UTC().AddDate(0, 0, 365).Format(time.DateOnly))
	lateNeededBy := v1alpha1.Date(time.Now().UTC().AddDate(0, 0, 200).Format(time.DateOnly)) // before every project's end
	var budget, forecast int64
	for i := range cfg.projects {
		b := int64(100_000 + (i%50)*10_000)
		f := b * int64(95+i%21) / 100 // 95%..115% of budget: Green, Amber and Red
		p := &v1alpha1.Project{ObjectMeta: meta(fmt.Sprintf("project-%05d", i)), Spec: v1alpha1.ProjectSpec{
			Phase: v1alpha1.ProjectInitiating,
			Plan:  v1alpha1.Plan{Budget: resource.NewQuantity(b, resource.DecimalSI), End: end},
			Progress: &v1alpha1.Progress{AsOf: today, ActualCost: resource.NewQuantity(b/2, resource.DecimalSI), ForecastCost: resource.NewQuantity(f, resource.DecimalSI),
				ForecastEnd: end},
		}}
		if d, ok := dependencyOf(i, cfg.programmes, neededBy, lateNeededBy); ok {
			p.Spec.DependsOn = []v1alpha1.Dependency{d}
		}
		if i%10 == 9 {
			r := ref(fmt.Sprintf("portfolio-%d", i%cfg.portfolios))
			p.Spec.PortfolioRef = &r
			org.parent["Project "+p.Name] = "Portfolio " + string(r.Name)
		} else {
			r := ref(fmt.Sprintf("programme-%d", i%cfg.programmes))
			p.Spec.ProgrammeRef = &r
			org.parent["Project "+p.Name] = "Programme " + string(r.Name)
		}
		budget += b
		forecast += f
		org.forecastByName[p.Name] = f
		org.projects = append(org.projects, p)
		org.objects = append(org.objects, p)
	}
	for i := range cfg.reviews {
		gate := int32(1)
		org.objects = append(org.objects, &v1alpha1.GatewayReview{ObjectMeta: meta(fmt.Sprintf("review-%05d", i)), Spec: v1alpha1.GatewayReviewSpec{
			SubjectRef: v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: ref(fmt.Sprintf("project-%05d", i%cfg.projects))},
			Gate:       &gate, Date: today, Findings: &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmberGreen}}})
	}
	org.budgetTotal = *resource.NewQuantity(budget, resource.DecimalSI)
	org.forecastTotal = *resource.NewQuantity(forecast, resource.DecimalSI)
	return org
}

// The dependencies of the generated organisation: every other project
// depends on one object (5,000 at 10,000 projects). Of every twenty
// dependencies, two are on a programme (at risk, ProviderRed: every
// programme holds Red projects, so its health is Red once it settles), two
// are needed before their provider's forecast end (at risk, ForecastLate,
// from the specs alone), one is on a Red project (at risk, ProviderRed) and
// fifteen are on a project that is never Red, needed after its end (on
// track).
const (
	dependencyCycle         = 20
	programmeDependencies   = 2
	lateDependencies        = 2
	redProviderDependencies = 1
)

// dependencyOf is project i's dependency, if it has one: neededBy is after
// every project's forecast end, lateNeededBy before it.
func dependencyOf(i, programmes int, neededBy, lateNeededBy v1alpha1.Date) (v1alpha1.Dependency, bool) {
	if i%2 == 0 {
		return v1alpha1.Dependency{}, false
	}
	on := func(kind v1alpha1.SubjectKind, name string, by v1alpha1.Date) v1alpha1.Dependency {
		return v1alpha1.Dependency{SubjectReference: v1alpha1.SubjectReference{Kind: kind,
			ParentReference: v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name)}}, NeededBy: by}
	}
	project := func(j int) string { return fmt.Sprintf("project-%05d", j) }
	k := (i / 2) % dependencyCycle
	switch {
	case k < programmeDependencies:
		return on(v1alpha1.SubjectKindProgramme, fmt.Sprintf("programme-%d", (i/2)%programmes), neededBy), true
	case k < programmeDependencies+lateDependencies:
		return on(v1alpha1.SubjectKindProject, project(provider(i)), lateNeededBy), true
	case k < programmeDependencies+lateDependencies+redProviderDependencies:
		if j, ok := redProvider(i); ok {
			return on(v1alpha1.SubjectKindProject, project(j), neededBy), true
		}
	}
	return on(v1alpha1.SubjectKindProject, project(provider(i)), neededBy), true
}

// provider is the project that project i depends on: one created before it
// (about half its index) and never Red, whose forecast (95% + i%21) stays
// within the 10% cost tolerance, so that its health settling never changes
// the verdict, nor writes its consumer's status twice.
func provider(i int) int {
	j := i / 2
	if over := j%21 - 14; over > 0 {
		j -= over
	}
	return j
}

// redProvider is a project created before project i whose forecast is
// 115% of its budget, beyond the 10% cost tolerance: Red. False when there
// is none before it.
func redProvider(i int) (int, bool) {
	j := (i/2)/21*21 - 1 // j%21 == 20
	return j, j >= 0
}

// parallel runs fn over objs with n workers, stopping at the first error.
func parallel(n int, objs []client.Object, fn func(client.Object) error) error {
	work := make(chan client.Object)
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range work {
				if err := fn(o); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("%T %s: %w", o, o.GetName(), err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, o := range objs {
		work <- o
	}
	close(work)
	wg.Wait()
	return first
}
