/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
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

// createAfterReview records a review, then creates its subject: the
// webhook may not see the review at once (it reads the operator's cache),
// so creating is retried as a GitOps tool would.
func createAfterReview(t *testing.T, review *v1alpha1.GatewayReview, subject client.Object) {
	t.Helper()
	create(t, review)
	NewWithT(t).Eventually(func(g Gomega) {
		g.Expect(k8sClient.Create(context.Background(), subject.DeepCopyObject().(client.Object))).To(Succeed())
	}).Should(Succeed())
	NewWithT(t).Eventually(func(g Gomega) { get(g, subject) }).Should(Succeed())
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
	createAfterReview(t, newReview(o.ns, "erp-gate-1", projectSubject("erp", o.ns), 1), project)
	expectReady(t, project)
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		get(g, project)
		g.Expect(project.Status.Office.String()).To(Equal(o.ns + "/central"))
		g.Expect(project.Status.Compliance.Enforcement).To(Equal(v1alpha1.EnforcementEnforce))
	}).Should(Succeed())

	g.Eventually(func(g Gomega) {
		err := setPhase(g, k8sClient, project, v1alpha1.ProjectDelivering)
		g.Expect(err).To(MatchError(ContainSubstring("entering phase Delivering requires gates that are not met (enforcement Enforce, office " + o.ns + "/central): " +
			"Gate 2 Delivery strategy: no review; Gate 3 Investment decision: no review")))
	}).Should(Succeed())

	// Reporting bad news never needs a gate.
	update(t, project, func(p *v1alpha1.Project) { p.Spec.Progress.ForecastCost = quantity("3M") })
	// Creating a project already Delivering is entering Delivering: denied
	// while its reviews are missing, admitted on the retry once they are
	// recorded (a GitOps tool that applies the reviews after the project).
	late := reporting(newProject(o.ns, "late", refPtr("cloud")), "1M", "1M")
	g.Eventually(func(g Gomega) {
		g.Expect(k8sClient.Create(context.Background(), late.DeepCopy())).To(MatchError(ContainSubstring(
			"entering phase Delivering requires gates that are not met (enforcement Enforce, office " + o.ns + "/central): Gate 1 Business justification: no review")))
	}).Should(Succeed())
	create(t, newReview(o.ns, "late-gate-1", projectSubject("late", o.ns), 1), newReview(o.ns, "late-gate-2", projectSubject("late", o.ns), 2),
		newReview(o.ns, "late-gate-3", projectSubject("late", o.ns), 3))
	g.Eventually(func(g Gomega) {
		g.Expect(k8sClient.Create(context.Background(), late.DeepCopy())).To(Succeed())
	}).Should(Succeed())

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

// enforcingOffice is an OGC Gateway office under Enforce in its own
// namespace, admitting children from the namespaces from says.
func enforcingOffice(t *testing.T, name string, from v1alpha1.FromNamespaces) *v1alpha1.Office {
	office := newOffice(newNamespace(t, nil), name, v1alpha1.OfficeTypePortfolioOffice)
	office.Spec.Governance = v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: v1alpha1.EnforcementEnforce}
	office.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: from}
	create(t, office)
	expectCondition(t, office, v1alpha1.ConditionPolicyValid, "True", v1alpha1.ReasonPolicyValid)
	return office
}

// The webhook decides on the facts the reconciler reports: an office
// counts only where its reference resolves and it admits the object, and a
// change that also edits the reference is judged under the governance
// before and after it. For each case, the webhook's decision on moving a
// project from Initiating to Delivering agrees with the project's status:
// denied exactly when status says it is governed under Enforce and
// non-compliant, naming the gates status names. The changes are made as
// the project team (governance-editor), impersonated.
func TestWebhookAndStatusAgree(t *testing.T) {
	closed := enforcingOffice(t, "closed", v1alpha1.NamespacesFromSame)
	open := enforcingOffice(t, "open", v1alpha1.NamespacesFromAll)
	o := newOrganisation(t) // its own office is Audit without gates
	inherited := newOrganisation(t)
	update(t, inherited.office, func(off *v1alpha1.Office) {
		off.Spec.Governance = v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: v1alpha1.EnforcementEnforce}
	})

	// The project team tries every way round as the governance-editor it is.
	installPersonas(t)
	editors := map[string]client.Client{
		o.ns:         actingAs(t, o.ns, "project-team", "governance-editor"),
		inherited.ns: actingAs(t, inherited.ns, "project-team", "governance-editor"),
	}
	lenient := newOffice(inherited.ns, "lenient", v1alpha1.OfficeTypeVirtual)
	lenient.Spec.Governance.Enforcement = v1alpha1.EnforcementAudit
	create(t, lenient)

	cases := []struct {
		name       string
		ns         string
		officeRef  *v1alpha1.ParentReference
		change     func(*v1alpha1.Project)
		wantDenied bool
	}{
		{"names an office elsewhere that does not admit it", o.ns, refPtr(closed.Name, closed.Namespace), nil, false},
		{"names an office elsewhere that admits it", o.ns, refPtr(open.Name, open.Namespace), nil, true},
		{"inherits an enforcing office through its programme", inherited.ns, nil, nil, true},
		{"governed by its own audit office", o.ns, nil, nil, false},
		{"names a lenient office of its own below an enforcing one", inherited.ns, refPtr("lenient"), nil, true},
		{"moves to a lenient office in the same change", inherited.ns, nil,
			func(p *v1alpha1.Project) { p.Spec.OfficeRef = refPtr("lenient") }, true},
		{"points its officeRef at a missing office in the same change", o.ns, refPtr(open.Name, open.Namespace),
			func(p *v1alpha1.Project) { p.Spec.OfficeRef = refPtr("nowhere") }, true},
		{"drops its officeRef in the same change", o.ns, refPtr(open.Name, open.Namespace),
			func(p *v1alpha1.Project) { p.Spec.OfficeRef = nil }, true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			project := newProject(tc.ns, fmt.Sprintf("case-%d", i), refPtr("cloud"))
			project.Spec.Phase = v1alpha1.ProjectInitiating
			project.Spec.OfficeRef = tc.officeRef
			// Created Initiating with its Gate 1 review (creation is
			// admission too), which is then withdrawn.
			gate1 := newReview(tc.ns, fmt.Sprintf("case-%d-gate-1", i), projectSubject(project.Name, tc.ns), 1)
			createAfterReview(t, gate1, project)
			// Once status counts the review where a gate asks for it.
			g.Eventually(func(g Gomega) {
				get(g, project)
				g.Expect(project.Status.ObservedGeneration).To(Equal(project.Generation))
				for _, gate := range project.Status.Compliance.Gates {
					if gate.Name == "gate-1" {
						g.Expect(gate.Review).To(Equal(&v1alpha1.ObjectReference{Namespace: tc.ns, Name: gate1.Name}))
					}
				}
			}).Should(Succeed())
			g.Expect(k8sClient.Delete(context.Background(), gate1)).To(Succeed())
			g.Eventually(func(g Gomega) {
				get(g, project)
				for _, gate := range project.Status.Compliance.Gates {
					g.Expect(gate.Review == nil || gate.Review.Name != gate1.Name).To(BeTrue(), "gate %s still counts the withdrawn review", gate.Name)
				}
			}).Should(Succeed())
			expectCondition(t, project, v1alpha1.ConditionReady, conditionStatus(tc.officeRef != nil && tc.officeRef.Name == v1alpha1.ObjectName(closed.Name)), reasonFor(tc.officeRef, closed))

			// What status says about the project as it stands.
			compliant := conditionOf(g, project, v1alpha1.ConditionCompliant)
			g.Expect(compliant).NotTo(BeNil())
			governedUnderEnforce := project.Status.Compliance.Enforcement == v1alpha1.EnforcementEnforce
			g.Expect(governedUnderEnforce && compliant.Status == "False").To(Equal(tc.wantDenied), "status: %+v %+v", project.Status.Compliance.Enforcement, compliant)

			var err error
			g.Eventually(func(g Gomega) {
				get(g, project)
				project.Spec.Phase = v1alpha1.ProjectDelivering
				if tc.change != nil {
					tc.change(project)
				}
				err = editors[tc.ns].Update(context.Background(), project)
				// The operator may write status between the read and the
				// update: read again, as an editor would.
				g.Expect(apierrors.IsConflict(err)).To(BeFalse(), "conflict: %v", err)
				if tc.wantDenied {
					g.Expect(err).To(HaveOccurred(), "the change was admitted")
				}
			}).Should(Succeed())
			if !tc.wantDenied {
				g.Expect(err).NotTo(HaveOccurred())
				return
			}
			// The denial names every gate status names, and the phase's own.
			g.Expect(err.Error()).To(ContainSubstring("Gate 1 Business justification: no review"))
			g.Expect(err.Error()).To(ContainSubstring(compliant.Message))
			g.Expect(err.Error()).To(ContainSubstring("Gate 3 Investment decision: no review"))
		})
	}
}

func conditionStatus(refused bool) metav1.ConditionStatus {
	if refused {
		return metav1.ConditionFalse
	}
	return metav1.ConditionTrue
}

func reasonFor(ref *v1alpha1.ParentReference, closed *v1alpha1.Office) v1alpha1.ConditionReason {
	if ref != nil && ref.Name == v1alpha1.ObjectName(closed.Name) {
		return v1alpha1.ReasonNotPermitted
	}
	return v1alpha1.ReasonSucceeded
}

// Findings cannot be recorded on a review dated ahead (a way round every
// gate); a review planned ahead without findings is admitted as a plan.
func TestReviewsCannotBeDatedAhead(t *testing.T) {
	o := newOrganisation(t)
	project := reporting(newProject(o.ns, "erp", refPtr("cloud")), "1M", "1M")
	create(t, project)
	g := NewWithT(t)
	for _, date := range []v1alpha1.Date{"2099-01-01", "9999-12-31", v1alpha1.Date(time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly))} {
		ahead := newReview(o.ns, "ahead", projectSubject("erp", o.ns), 3)
		ahead.Spec.Date = date
		g.Eventually(func(g Gomega) {
			err := k8sClient.Create(context.Background(), ahead.DeepCopy())
			g.Expect(err).To(MatchError(ContainSubstring("spec.date: findings cannot be recorded on a review dated " + string(date) + ", after today")))
		}).Should(Succeed())
	}
	planned := newReview(o.ns, "planned", projectSubject("erp", o.ns), 3)
	planned.Spec.Date, planned.Spec.Findings = "2099-01-01", nil
	recorded := newReview(o.ns, "today", projectSubject("erp", o.ns), 3)
	recorded.Spec.Date = v1alpha1.Date(time.Now().UTC().Format(time.DateOnly))
	create(t, planned, recorded)
	// Recording findings on the planned review before its date is denied too.
	g.Eventually(func(g Gomega) {
		get(g, planned)
		planned.Spec.Findings = &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceGreen}
		g.Expect(k8sClient.Update(context.Background(), planned)).To(MatchError(ContainSubstring("after today")))
	}).Should(Succeed())
}

// What the CRD cannot check is checked at admission: a closing date after
// today (Gate 5 would be put off) and amounts inside lists.
func TestClosingDatesAndListedAmountsAreChecked(t *testing.T) {
	o := newOrganisation(t)
	g := NewWithT(t)
	tomorrow := v1alpha1.Date(time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly))
	closed := reporting(newProject(o.ns, "done", refPtr("cloud")), "1M", "1M")
	closed.Spec.Phase, closed.Spec.ClosedOn = v1alpha1.ProjectClosed, tomorrow
	g.Eventually(func(g Gomega) {
		g.Expect(k8sClient.Create(context.Background(), closed.DeepCopy())).To(MatchError(ContainSubstring("spec.closedOn: " + string(tomorrow) + " is after today")))
	}).Should(Succeed())

	milli := resource.MustParse("500m")
	benefit := reporting(newProject(o.ns, "benefit", refPtr("cloud")), "1M", "1M")
	benefit.Spec.Benefits = []v1alpha1.Benefit{{Name: "savings", Planned: &milli}}
	g.Expect(k8sClient.Create(context.Background(), benefit)).To(MatchError(ContainSubstring("spec.benefits[0].planned: " + money.GrammarMessage)))

	binary := resource.MustParse("1Mi")
	update := o.programme.DeepCopy()
	g.Eventually(func(g Gomega) {
		get(g, update)
		update.Spec.Tranches = []v1alpha1.Tranche{{Name: "t1", Budget: &binary}}
		g.Expect(k8sClient.Update(context.Background(), update)).To(MatchError(ContainSubstring("spec.tranches[0].budget: " + money.GrammarMessage)))
	}).Should(Succeed())
}
