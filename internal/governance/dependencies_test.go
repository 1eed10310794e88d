/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance_test

import (
	"context"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/governance/governancetest"
	"p3o.dev/p3o-operator/internal/hierarchy"
)

func dependsOn(kind v1alpha1.SubjectKind, namespace, name string) v1alpha1.Dependency {
	return v1alpha1.Dependency{SubjectReference: v1alpha1.SubjectReference{Kind: kind,
		ParentReference: v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name), Namespace: v1alpha1.Namespace(namespace)}},
		NeededBy: "2026-09-01"}
}

// TestDependencyFacts reads each kind of provider a dependency can meet:
// missing, refused across namespaces, admitted, and on a cycle, which is
// named from the consumer round to it again.
func TestDependencyFacts(t *testing.T) {
	other := &v1alpha1.Project{}
	other.Namespace, other.Name = "elsewhere", "closed-door"
	open := &v1alpha1.Programme{}
	open.Namespace, open.Name = "elsewhere", "open-door"
	open.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}
	open.Spec.Phase = v1alpha1.ProgrammeDelivering
	open.Spec.Tranches = []v1alpha1.Tranche{{Name: "t1", End: "2026-06-30"}, {Name: "t2", End: "2026-12-31"}}
	a := project("a", func(p *v1alpha1.Project) {
		p.Spec.DependsOn = []v1alpha1.Dependency{
			dependsOn(v1alpha1.SubjectKindProject, "", "b"),
			dependsOn(v1alpha1.SubjectKindProject, "", "missing"),
			dependsOn(v1alpha1.SubjectKindProject, "elsewhere", "closed-door"),
			dependsOn(v1alpha1.SubjectKindProgramme, "elsewhere", "open-door"),
		}
	})
	b := project("b", func(p *v1alpha1.Project) {
		p.Spec.DependsOn = []v1alpha1.Dependency{dependsOn(v1alpha1.SubjectKindProject, "", "c")}
		p.Spec.Progress = &v1alpha1.Progress{AsOf: "2026-01-01", ForecastEnd: "2026-10-01"}
	})
	c := project("c", func(p *v1alpha1.Project) {
		p.Spec.DependsOn = []v1alpha1.Dependency{dependsOn(v1alpha1.SubjectKindProject, "", "a")}
	})
	cl := governancetest.NewClient(t, a, b, c, other, open)
	facts, err := governance.Reader{Reader: cl}.Dependencies(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) != 4 {
		t.Fatalf("got %d facts, want 4", len(facts))
	}
	cycle := strings.Join(facts[0].Cycle, " → ")
	if want := "Project " + ns + "/a → Project " + ns + "/b → Project " + ns + "/c → Project " + ns + "/a"; cycle != want {
		t.Errorf("cycle through b = %q, want %q", cycle, want)
	}
	if facts[0].Provider.ForecastEnd != "2026-10-01" {
		t.Errorf("b's end = %q, want its forecast 2026-10-01", facts[0].Provider.ForecastEnd)
	}
	if facts[1].Provider.Outcome != hierarchy.NotFound || facts[1].Cycle != nil {
		t.Errorf("missing provider: %+v", facts[1])
	}
	if facts[2].Provider.Outcome != hierarchy.NotPermitted {
		t.Errorf("provider in a namespace that does not admit: outcome %v, want NotPermitted", facts[2].Provider.Outcome)
	}
	if facts[3].Provider.Outcome != hierarchy.Resolved || facts[3].Provider.ForecastEnd != "2026-12-31" || facts[3].Cycle != nil {
		t.Errorf("admitted programme: %+v, want Resolved, ending with its last tranche 2026-12-31", facts[3])
	}
}

// TestSelfDependencyIsACycle: an object that names itself closes a cycle
// of one.
func TestSelfDependencyIsACycle(t *testing.T) {
	a := project("a", func(p *v1alpha1.Project) {
		p.Spec.DependsOn = []v1alpha1.Dependency{dependsOn(v1alpha1.SubjectKindProject, "", "a")}
	})
	facts, err := governance.Reader{Reader: governancetest.NewClient(t, a)}.Dependencies(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(facts[0].Cycle, " → "), "Project "+ns+"/a → Project "+ns+"/a"; got != want {
		t.Errorf("cycle = %q, want %q", got, want)
	}
}

// TestConsumersFoundThroughTheIndex: IndexDependsOn finds a provider's
// consumers of both kinds by its key, and only those.
func TestConsumersFoundThroughTheIndex(t *testing.T) {
	a := project("a", func(p *v1alpha1.Project) {
		p.Spec.DependsOn = []v1alpha1.Dependency{dependsOn(v1alpha1.SubjectKindProject, "", "b"), dependsOn(v1alpha1.SubjectKindProject, "", "b")}
	})
	prog := &v1alpha1.Programme{}
	prog.Namespace, prog.Name = "elsewhere", "prog"
	prog.Spec.DependsOn = []v1alpha1.Dependency{dependsOn(v1alpha1.SubjectKindProject, ns, "b")}
	other := project("c", func(p *v1alpha1.Project) {
		p.Spec.DependsOn = []v1alpha1.Dependency{dependsOn(v1alpha1.SubjectKindProgramme, "", "b")}
	})
	b := project("b", nil)
	cl := governancetest.NewClient(t, a, b, other, prog)
	key := governance.SubjectKeyOf(v1alpha1.SubjectKindProject)(b)
	projects := &v1alpha1.ProjectList{}
	if err := cl.List(context.Background(), projects, client.MatchingFields{governance.IndexDependsOn: key}); err != nil {
		t.Fatal(err)
	}
	programmes := &v1alpha1.ProgrammeList{}
	if err := cl.List(context.Background(), programmes, client.MatchingFields{governance.IndexDependsOn: key}); err != nil {
		t.Fatal(err)
	}
	if len(projects.Items) != 1 || projects.Items[0].Name != "a" || len(programmes.Items) != 1 {
		t.Errorf("consumers of project b: %d projects, %d programmes; want project a and programme elsewhere/prog", len(projects.Items), len(programmes.Items))
	}
}
