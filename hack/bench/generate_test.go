/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"testing"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// The generated dependencies at 10,000 projects: 5,000, each on an object
// created before its consumer, with the mix of verdicts the bench means to
// exercise, judged here from the generated specs (a project is Red when
// its forecast exceeds its budget by more than the 10% tolerance; every
// programme holds Red projects).
func TestGeneratedDependencies(t *testing.T) {
	cfg := config{offices: 5, portfolios: 20, programmes: 200, projects: 10000}
	org := generate(cfg)
	index := map[string]int{}
	byName := map[string]*v1alpha1.Project{}
	for i, p := range org.projects {
		index[p.Name], byName[p.Name] = i, p
	}
	red := func(p *v1alpha1.Project) bool {
		return p.Spec.Progress.ForecastCost.Value()*100 > p.Spec.Plan.Budget.Value()*110
	}
	programmesRed := map[string]bool{}
	for _, p := range org.projects {
		if p.Spec.ProgrammeRef != nil && red(p) {
			programmesRed[string(p.Spec.ProgrammeRef.Name)] = true
		}
	}
	counts := map[string]int{}
	for i, p := range org.projects {
		for _, d := range p.Spec.DependsOn {
			name := string(d.Name)
			switch d.Kind {
			case v1alpha1.SubjectKindProgramme:
				if !programmesRed[name] {
					t.Errorf("%s depends on programme %s, which holds no Red project", p.Name, name)
				}
				counts["programme, provider Red"]++
				continue
			}
			provider, ok := byName[name]
			if !ok || index[name] >= i {
				t.Fatalf("%s depends on %s, which is not a project created before it", p.Name, name)
			}
			switch {
			case red(provider):
				counts["project, provider Red"]++
			case provider.Spec.Progress.ForecastEnd > d.NeededBy:
				counts["project, forecast late"]++
			default:
				counts["project, on track"]++
			}
		}
	}
	// The first meant for a Red provider has none before it: on track.
	want := map[string]int{"programme, provider Red": 500, "project, forecast late": 500, "project, provider Red": 249, "project, on track": 3751}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d dependencies, want %d (all: %v)", k, counts[k], n, counts)
		}
	}
}
