/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/governance/governancetest"
	"p3o.dev/p3o-operator/internal/policy"
)

// The read path is tested over an in-memory store with the operator's own
// indexes; the reconcilers and webhooks that use it are tested against a
// real API server in controllers/.

const ns = "org"

func newReader(t *testing.T, objs ...client.Object) (governance.Reader, client.Client) {
	t.Helper()
	c := governancetest.NewClient(t, objs...)
	return governance.Reader{Reader: c}, c
}

func office(name string, enforcement v1alpha1.Enforcement, hub string) *v1alpha1.Office {
	o := &v1alpha1.Office{}
	o.Namespace, o.Name = ns, name
	o.Spec.Type = v1alpha1.OfficeTypePortfolioOffice
	o.Spec.Governance = v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: enforcement}
	if hub != "" {
		o.Spec.Type, o.Spec.HubRef = v1alpha1.OfficeTypeSatellite, &v1alpha1.ParentReference{Name: v1alpha1.ObjectName(hub)}
	}
	return o
}

func portfolio(name, officeName string) *v1alpha1.Portfolio {
	p := &v1alpha1.Portfolio{}
	p.Namespace, p.Name = ns, name
	p.Spec.OfficeRef = v1alpha1.ParentReference{Name: v1alpha1.ObjectName(officeName)}
	return p
}

func programme(name, portfolioName string) *v1alpha1.Programme {
	p := &v1alpha1.Programme{}
	p.Namespace, p.Name = ns, name
	p.Spec.PortfolioRef = v1alpha1.ParentReference{Name: v1alpha1.ObjectName(portfolioName)}
	return p
}

func ref(name string) *v1alpha1.ParentReference {
	return &v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name)}
}

// Whatever a project's team does with its references, one move at a time
// with the operator recording status.heldTo after each (as the reconciler
// does), the policy it is judged under is never looser than the enforcing
// office it started under: references to missing parents, to parents
// under an office that only audits, or none at all, shed no gate.
func TestNoSequenceOfMovesLoosensGovernance(t *testing.T) {
	strict := office("strict", v1alpha1.EnforcementEnforce, "")
	lax := office("lax", v1alpha1.EnforcementAudit, "")
	objs := []client.Object{strict, lax, portfolio("strict-pf", "strict"), portfolio("lax-pf", "lax"),
		portfolio("orphan-pf", "ghost-office"), programme("strict-pg", "strict-pf"), programme("lax-pg", "lax-pf"),
		programme("orphan-pg", "ghost-pf")}
	wantAtLeast := policy.Effective([]*v1alpha1.Office{strict})
	moves := []func(*v1alpha1.Project){
		func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = ref("strict-pg"), nil },
		func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = ref("lax-pg"), nil },
		func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = ref("orphan-pg"), nil },
		func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = ref("ghost-pg"), nil },
		func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = nil, ref("lax-pf") },
		func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = nil, ref("orphan-pf") },
		func(p *v1alpha1.Project) { p.Spec.OfficeRef = ref("lax") },
		func(p *v1alpha1.Project) { p.Spec.OfficeRef = ref("ghost-office") },
		func(p *v1alpha1.Project) { p.Spec.OfficeRef = nil },
	}
	ctx := context.Background()
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		p := &v1alpha1.Project{}
		p.Namespace, p.Name = ns, "erp"
		p.Spec.ProgrammeRef = ref("strict-pg")
		read, _ := newReader(t, objs...)
		record(t, ctx, read, p) // first resolved under the strict office
		for step := range 12 {
			moves[rng.IntN(len(moves))](p)
			facts := record(t, ctx, read, p)
			if facts.Policy == nil || !policy.Covers(*facts.Policy, wantAtLeast) {
				t.Fatalf("seed %d, step %d: refs %v/%v/%v held to %v: the policy no longer holds the strict office's",
					seed, step, p.Spec.ProgrammeRef, p.Spec.PortfolioRef, p.Spec.OfficeRef, p.Status.HeldTo)
			}
			if !slices.Contains(facts.Enforcing, ns+"/strict") {
				t.Fatalf("seed %d, step %d: enforcing offices %v do not name the strict office", seed, step, facts.Enforcing)
			}
		}
	}
}

// record reads a project's facts and records status.heldTo as the
// reconciler does.
func record(t *testing.T, ctx context.Context, read governance.Reader, p *v1alpha1.Project) governance.Facts {
	t.Helper()
	facts, err := read.SubjectFacts(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	p.Status.HeldTo = facts.HeldTo
	return facts
}

// A move to a governance at least as strict replaces what the object is
// held to: it is not held to an office it has left for an equal one.
func TestHeldToFollowsAnEquallyStrictMove(t *testing.T) {
	a, b := office("a", v1alpha1.EnforcementEnforce, ""), office("b", v1alpha1.EnforcementEnforce, "")
	read, _ := newReader(t, a, b, portfolio("pa", "a"), portfolio("pb", "b"))
	p := &v1alpha1.Project{}
	p.Namespace, p.Name, p.Spec.PortfolioRef = ns, "erp", ref("pa")
	ctx := context.Background()
	record(t, ctx, read, p)
	p.Spec.PortfolioRef = ref("pb")
	facts := record(t, ctx, read, p)
	if want := []v1alpha1.ObjectReference{{Namespace: ns, Name: "b"}}; !slices.Equal(facts.HeldTo, want) {
		t.Errorf("held to %v after moving to an equally strict office; want %v", facts.HeldTo, want)
	}
}

// Beneath reaches, from an office applied last, everything its specs say
// it governs: through a satellite, a portfolio, its programmes and their
// projects, a portfolio's direct projects, and objects naming it directly.
func TestBeneathFollowsSpecsDown(t *testing.T) {
	hub, sat := office("hub", v1alpha1.EnforcementAudit, ""), office("sat", v1alpha1.EnforcementAudit, "hub")
	pg := programme("pg", "pf")
	inPg, direct, named := &v1alpha1.Project{}, &v1alpha1.Project{}, &v1alpha1.Project{}
	inPg.Namespace, inPg.Name, inPg.Spec.ProgrammeRef = ns, "in-programme", ref("pg")
	direct.Namespace, direct.Name, direct.Spec.PortfolioRef = ns, "direct", ref("pf")
	named.Namespace, named.Name, named.Spec.PortfolioRef, named.Spec.OfficeRef = ns, "named", ref("elsewhere"), ref("hub")
	read, _ := newReader(t, hub, sat, portfolio("pf", "sat"), pg, inPg, direct, named)
	got, err := read.Beneath(context.Background(), hub)
	if err != nil {
		t.Fatal(err)
	}
	key := func(name string) types.NamespacedName { return types.NamespacedName{Namespace: ns, Name: name} }
	if !slices.Equal(got.Portfolios, []types.NamespacedName{key("pf")}) || !slices.Equal(got.Programmes, []types.NamespacedName{key("pg")}) {
		t.Errorf("portfolios %v, programmes %v", got.Portfolios, got.Programmes)
	}
	for _, want := range []string{"in-programme", "direct", "named"} {
		if !slices.Contains(got.Projects, key(want)) {
			t.Errorf("projects %v lack %s", got.Projects, want)
		}
	}
}
