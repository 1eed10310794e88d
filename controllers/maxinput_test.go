/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/shorten"
)

// reviewGates are n gates of an office's own, each asking a review of
// gateNumber from StartingUp on.
func reviewGates(n int, gateNumber int32, description string) []v1alpha1.Gate {
	var gates []v1alpha1.Gate
	for i := range n {
		gates = append(gates, v1alpha1.Gate{
			Name: fmt.Sprintf("own-gate-%02d", i), Description: description,
			AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject}, RequiredFrom: v1alpha1.Phase(v1alpha1.ProjectStartingUp),
			Review: &v1alpha1.ReviewRequirement{Gate: &gateNumber},
		})
	}
	return gates
}

// The case: a gate description as long as the schema admits no
// longer stops the status of the projects under the office: their gates
// show it cut and marked, they and their portfolio reach Ready.
func TestLongestGateDescriptionDoesNotStopStatus(t *testing.T) {
	ns := newNamespace(t, nil)
	office := newOffice(ns, "pmo", v1alpha1.OfficeTypePortfolioOffice)
	office.Spec.Governance.Gates = reviewGates(1, 3, strings.Repeat("Ü", 256))
	portfolio := newPortfolio(ns, "change", "pmo")
	project := newProject(ns, "erp", nil)
	project.Spec.PortfolioRef = refPtr("change")
	create(t, office, portfolio, project)

	expectReady(t, project, portfolio, office)
	expectCondition(t, project, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet)
	gates := project.Status.Compliance.Gates
	if len(gates) != 1 {
		t.Fatalf("gates in status: %+v", gates)
	}
	d := gates[0].Description
	if utf8.RuneCountInString(d) != v1alpha1.GateDescriptionMaxLength || !strings.HasPrefix(d, "Gate 3 ÜÜÜ") || !strings.HasSuffix(d, shorten.Mark) {
		t.Errorf("gate description %q: want the label cut to %d characters, ending in %s", d, v1alpha1.GateDescriptionMaxLength, shorten.Mark)
	}
}

// When the API server refuses a status all the same (here: two offices
// whose 32 gates each ask reviews of different numbers give a project 64
// gates plus the profile's, more than status.compliance.gates holds), the
// project says so in conditions and an event, its portfolio does not wait
// for it, and fixing the office is picked up at once.
func TestRefusedStatusIsSaidAndHealsAtOnce(t *testing.T) {
	ns := newNamespace(t, nil)
	own, portfolios := newOffice(ns, "own", v1alpha1.OfficeTypeVirtual), newOffice(ns, "pmo", v1alpha1.OfficeTypePortfolioOffice)
	own.Spec.Governance.Gates = reviewGates(32, 1, "")
	portfolios.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway
	portfolios.Spec.Governance.Gates = reviewGates(32, 2, "")
	portfolio := newPortfolio(ns, "change", "pmo")
	project := newProject(ns, "erp", nil)
	project.Spec.PortfolioRef, project.Spec.OfficeRef = refPtr("change"), refPtr("own")
	create(t, own, portfolios, portfolio, project)

	message := expectCondition(t, project, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonStatusRejected)
	expectCondition(t, project, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonStatusRejected)
	if !strings.Contains(message, "compliance.gates") {
		t.Errorf("Stalled message %q does not say what the API server refused", message)
	}
	if project.Status.ObservedGeneration != project.Generation {
		t.Errorf("observedGeneration %d, want %d", project.Status.ObservedGeneration, project.Generation)
	}
	NewWithT(t).Eventually(func(g Gomega) {
		g.Expect(eventReasons(g, ns, "erp")).To(ContainElement(string(v1alpha1.ReasonStatusRejected)))
	}).Should(Succeed())
	// The portfolio counts the project as failed, not pending.
	expectReady(t, portfolio)

	update(t, own, func(o *v1alpha1.Office) { o.Spec.Governance.Gates = o.Spec.Governance.Gates[:1] })
	start := time.Now()
	NewWithT(t).Eventually(func(g Gomega) {
		c := conditionOf(g, project, v1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Reason).To(Equal(string(v1alpha1.ReasonSucceeded)), c.Message)
		g.Expect(project.Status.Compliance.Gates).NotTo(BeEmpty())
	}).WithTimeout(5 * time.Second).Should(Succeed())
	t.Logf("status written %s after the office was fixed", time.Since(start).Round(time.Millisecond))
	if conditionOf(NewWithT(t), project, v1alpha1.ConditionStalled) != nil {
		t.Error("Stalled left after status was written")
	}
}
