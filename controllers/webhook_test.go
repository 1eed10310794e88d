/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"sync"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// warnings collects the admission warnings the API server returns.
type warnings struct {
	mu   sync.Mutex
	list []string
}

func (w *warnings) HandleWarningHeader(_ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, text)
}

func (w *warnings) get() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.list...)
}

// setPhase re-reads a project and tries to move it into phase.
func setPhase(g Gomega, c client.Client, p *v1alpha1.Project, phase v1alpha1.ProjectPhase) error {
	get(g, p)
	p.Spec.Phase = phase
	return c.Update(context.Background(), p)
}

// Under Enforce, entering a phase whose gates are unmet is denied, naming
// each gate; other edits and creations are never blocked. Under Warn the
// change is allowed with a warning per gate.
func TestWebhookEnforcesGatesOnPhaseChanges(t *testing.T) {
	o := newOrganisation(t)
	update(t, o.office, func(off *v1alpha1.Office) {
		off.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway
		off.Spec.Governance.Enforcement = v1alpha1.EnforcementEnforce
	})
	expectCondition(t, o.office, v1alpha1.ConditionPolicyValid, "True", v1alpha1.ReasonPolicyValid)
	project := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	project.Spec.Phase = v1alpha1.ProjectInitiating
	create(t, project, newReview(o.ns, "erp-gate-1", projectSubject("erp", o.ns), 1))
	expectReady(t, project)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, project)
		g.Expect(project.Status.Office).To(Equal(o.ns + "/central"))
		g.Expect(project.Status.Compliance.Enforcement).To(Equal(v1alpha1.EnforcementEnforce))
	}).Should(Succeed())

	g.Eventually(func(g Gomega) {
		err := setPhase(g, k8sClient, project, v1alpha1.ProjectDelivering)
		g.Expect(err).To(MatchError(ContainSubstring("entering phase Delivering requires gates that are not met (enforcement Enforce, office " + o.ns + "/central): " +
			"Gate 2 Delivery strategy: no review; Gate 3 Investment decision: no review")))
	}).Should(Succeed())

	// Reporting bad news never needs a gate.
	update(t, project, func(p *v1alpha1.Project) { p.Spec.Progress.ForecastCost = quantity("3M") })
	// Creating a project already Delivering is not blocked: GitOps applies in any order.
	late := reporting(newProject(o.ns, "late", refPtr("cloud")), "1M", "1M")
	create(t, late)

	create(t, newReview(o.ns, "erp-gate-2", projectSubject("erp", o.ns), 2), newReview(o.ns, "erp-gate-3", projectSubject("erp", o.ns), 3))
	g.Eventually(func(g Gomega) {
		g.Expect(setPhase(g, k8sClient, project, v1alpha1.ProjectDelivering)).To(Succeed())
	}).Should(Succeed())

	// Under Warn the same change is allowed, with a warning per unmet gate.
	update(t, o.office, func(off *v1alpha1.Office) { off.Spec.Governance.Enforcement = v1alpha1.EnforcementWarn })
	g.Eventually(func(g Gomega) {
		get(g, project)
		g.Expect(project.Status.Compliance.Enforcement).To(Equal(v1alpha1.EnforcementWarn))
	}).Should(Succeed())
	seen := &warnings{}
	cfg := rest.CopyConfig(cpConfig)
	cfg.WarningHandler = seen
	warned, err := client.New(cfg, client.Options{Scheme: scheme})
	g.Expect(err).NotTo(HaveOccurred())
	g.Eventually(func(g Gomega) {
		g.Expect(setPhase(g, warned, project, v1alpha1.ProjectClosing)).To(Succeed())
	}).Should(Succeed())
	g.Expect(seen.get()).To(ContainElement("entering phase Closing with an unmet gate: Gate 4 Readiness for service: no review"))
}
