/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"testing"

	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// strictAndLax is an organisation under an enforcing OGC Gateway office,
// and beside it in the same namespace a portfolio and programme under an
// office that only audits.
type strictAndLax struct {
	organisation
	laxOffice    *v1alpha1.Office
	laxPortfolio *v1alpha1.Portfolio
	laxProgramme *v1alpha1.Programme
	editor       client.Client
}

func newStrictAndLax(t *testing.T) strictAndLax {
	o := strictAndLax{organisation: newOrganisation(t)}
	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance = v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: v1alpha1.EnforcementEnforce}
	})
	o.laxOffice = newOffice(o.ns, "lax", v1alpha1.OfficeTypeVirtual)
	o.laxOffice.Spec.Governance = v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: v1alpha1.EnforcementAudit}
	o.laxPortfolio = newPortfolio(o.ns, "lax-portfolio", "lax")
	o.laxProgramme = newProgramme(o.ns, "lax-programme", ref("lax-portfolio"))
	create(t, o.laxOffice, o.laxPortfolio, o.laxProgramme)
	expectCondition(t, o.office, v1alpha1.ConditionPolicyValid, "True", v1alpha1.ReasonPolicyValid)
	installPersonas(t)
	o.editor = actingAs(t, o.ns, "project-team", "governance-editor")
	return o
}

// initiating creates a project Initiating under the strict programme, with
// the Gate 1 review creation needs, and waits until status holds it to the
// strict office.
func (o strictAndLax) initiating(t *testing.T, name string) *v1alpha1.Project {
	p := newProject(o.ns, name, refPtr("cloud"))
	p.Spec.Phase = v1alpha1.ProjectInitiating
	createAfterReview(t, newReview(o.ns, name+"-gate-1", projectSubject(name, o.ns), 1), p)
	o.expectHeldToStrict(t, p)
	return p
}

func (o strictAndLax) expectHeldToStrict(t *testing.T, obj client.Object) {
	t.Helper()
	NewWithT(t).Eventually(func(g Gomega) {
		get(g, obj)
		var held []v1alpha1.ObjectReference
		switch s := obj.(type) {
		case *v1alpha1.Project:
			held = s.Status.HeldTo
		case *v1alpha1.Programme:
			held = s.Status.HeldTo
		}
		g.Expect(held).To(ContainElement(v1alpha1.ObjectReference{Namespace: o.ns, Name: "central"}))
	}).Should(Succeed())
}

// edit applies change as the editor, re-reading first; it returns the
// API server's answer.
func edit[T client.Object](g Gomega, c client.Client, obj T, change func(T)) error {
	get(g, obj)
	change(obj)
	return c.Update(context.Background(), obj)
}

// The ways round Enforce found by trying as a project team would: re-point
// a reference somewhere missing or more lenient, move forward, point it
// back. Each is denied at the phase change, as the editor persona, naming
// the office whose Enforce applies.
func TestNothingGetsRoundEnforceThroughAReference(t *testing.T) {
	o := newStrictAndLax(t)
	denied := ContainSubstring("entering phase Delivering requires gates that are not met (enforcement Enforce, office " + o.ns + "/central)")
	cases := []struct {
		name  string
		away  func(*v1alpha1.Project)
		start func(*v1alpha1.Project)
	}{
		{"programmeRef to a programme that does not exist", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef = refPtr("ghost") }, nil},
		{"programmeRef to a programme under an office that audits", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef = refPtr("lax-programme") }, nil},
		{"officeRef to an office that does not exist", func(p *v1alpha1.Project) { p.Spec.OfficeRef = refPtr("ghost") }, nil},
		{"officeRef to an office that audits", func(p *v1alpha1.Project) { p.Spec.OfficeRef = refPtr("lax") }, nil},
		{"portfolioRef to a portfolio that does not exist", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = nil, refPtr("ghost") }, nil},
		{"portfolioRef to a portfolio under an office that audits", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.PortfolioRef = nil, refPtr("lax-portfolio") }, nil},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			p := o.initiating(t, "away-"+string(rune('a'+i)))
			g.Eventually(func(g Gomega) { g.Expect(edit(g, o.editor, p, tc.away)).To(Succeed()) }).Should(Succeed())
			// Status keeps it held to the strict office.
			o.expectHeldToStrict(t, p)
			g.Eventually(func(g Gomega) {
				g.Expect(edit(g, o.editor, p, func(p *v1alpha1.Project) { p.Spec.Phase = v1alpha1.ProjectDelivering })).To(MatchError(denied))
			}).Should(Succeed())
		})
	}
}

// A programme re-pointed at a missing portfolio cannot shed its own Gate 0,
// and a portfolio re-pointed at a missing office cannot shed the gates of
// the work beneath it.
func TestNothingGetsRoundEnforceOneLevelUp(t *testing.T) {
	o := newStrictAndLax(t)
	g := NewWithT(t)
	o.expectHeldToStrict(t, o.programme)
	g.Eventually(func(g Gomega) {
		g.Expect(edit(g, o.editor, o.programme, func(p *v1alpha1.Programme) { p.Spec.PortfolioRef = ref("ghost") })).To(Succeed())
	}).Should(Succeed())
	g.Eventually(func(g Gomega) {
		err := edit(g, o.editor, o.programme, func(p *v1alpha1.Programme) { p.Spec.Phase = v1alpha1.ProgrammeDefining })
		g.Expect(err).To(MatchError(ContainSubstring("entering phase Defining requires gates that are not met (enforcement Enforce, office " + o.ns + "/central): Gate 0")))
	}).Should(Succeed())
	g.Eventually(func(g Gomega) {
		g.Expect(edit(g, o.editor, o.programme, func(p *v1alpha1.Programme) { p.Spec.PortfolioRef = ref("digital") })).To(Succeed())
	}).Should(Succeed())

	p := o.initiating(t, "beneath")
	g.Eventually(func(g Gomega) {
		g.Expect(edit(g, o.editor, o.portfolio, func(pf *v1alpha1.Portfolio) { pf.Spec.OfficeRef = ref("ghost") })).To(Succeed())
	}).Should(Succeed())
	g.Eventually(func(g Gomega) {
		err := edit(g, o.editor, p, func(p *v1alpha1.Project) { p.Spec.Phase = v1alpha1.ProjectDelivering })
		g.Expect(err).To(MatchError(ContainSubstring("office " + o.ns + "/central")))
	}).Should(Succeed())
}

// Delete and re-create, or replace --force, is creation: judged like
// entering the phase, so a project re-created at Closing is denied, and its
// earlier reviews count for it only because it is admitted under the same
// rule.
func TestNothingGetsRoundEnforceByRecreating(t *testing.T) {
	o := newStrictAndLax(t)
	g := NewWithT(t)
	p := o.initiating(t, "again")
	g.Expect(o.editor.Delete(context.Background(), p)).To(Succeed())
	again := newProject(o.ns, "again", refPtr("cloud"))
	again.Spec.Phase = v1alpha1.ProjectClosing
	g.Eventually(func(g Gomega) {
		g.Expect(o.editor.Create(context.Background(), again.DeepCopy())).To(MatchError(ContainSubstring(
			"entering phase Closing requires gates that are not met (enforcement Enforce, office " + o.ns + "/central): Gate 2 Delivery strategy: no review")))
	}).Should(Succeed())
}

// Moving work that is under way from a lax portfolio into an enforcing one
// is entering its phase there: the programme's move is denied while the
// projects beneath it miss gates the enforcing office requires.
func TestMovingWorkUnderEnforceJudgesWhatIsBeneath(t *testing.T) {
	o := newStrictAndLax(t)
	g := NewWithT(t)
	p := newProject(o.ns, "underway", refPtr("lax-programme"))
	p.Spec.Phase = v1alpha1.ProjectDelivering
	create(t, p)
	expectReady(t, p)
	g.Eventually(func(g Gomega) {
		err := edit(g, o.editor, o.laxProgramme, func(pg *v1alpha1.Programme) { pg.Spec.PortfolioRef = ref("digital") })
		g.Expect(err).To(MatchError(ContainSubstring("changing the references of Programme " + o.ns + "/lax-programme requires gates that are not met (enforcement Enforce, office " + o.ns + "/central): Project " + o.ns + "/underway in phase Delivering: Gate 1 Business justification: no review")))
	}).Should(Succeed())
	g.Eventually(func(g Gomega) {
		err := edit(g, o.editor, o.laxPortfolio, func(pf *v1alpha1.Portfolio) { pf.Spec.OfficeRef = ref("central") })
		g.Expect(err).To(MatchError(ContainSubstring("changing the references of Portfolio " + o.ns + "/lax-portfolio requires gates that are not met")))
	}).Should(Succeed())
}

// A denial names the office whose Enforce applies: a satellite that only
// audits beneath a hub that enforces is held to the hub's Enforce, and the
// hub is named.
func TestDenialNamesTheEnforcingOffice(t *testing.T) {
	o := newStrictAndLax(t)
	satellite := newOffice(o.ns, "satellite", v1alpha1.OfficeTypeSatellite)
	satellite.Spec.HubRef = refPtr("central")
	satellite.Spec.Governance = v1alpha1.GovernancePolicy{Enforcement: v1alpha1.EnforcementAudit}
	create(t, satellite)
	p := newProject(o.ns, "via-satellite", refPtr("lax-programme"))
	p.Spec.OfficeRef = refPtr("satellite")
	p.Spec.Phase = v1alpha1.ProjectStartingUp
	create(t, p)
	expectReady(t, p)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		err := edit(g, o.editor, p, func(p *v1alpha1.Project) { p.Spec.Phase = v1alpha1.ProjectInitiating })
		g.Expect(err).To(MatchError(ContainSubstring("(enforcement Enforce, office " + o.ns + "/central): Gate 1")))
	}).Should(Succeed())
}
