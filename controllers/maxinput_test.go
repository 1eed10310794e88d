/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	. "github.com/onsi/gomega"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
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

// More gates than a status lists (two offices whose 32 gates each ask
// reviews of different numbers, and the profile's: 69) do not stop
// status: it lists 64, the unmet first, and counts the rest.
func TestMoreGatesThanStatusListsAreCounted(t *testing.T) {
	ns := newNamespace(t, nil)
	own, pmo := newOffice(ns, "own", v1alpha1.OfficeTypeVirtual), newOffice(ns, "pmo", v1alpha1.OfficeTypePortfolioOffice)
	own.Spec.Governance.Gates = reviewGates(32, 1, "")
	pmo.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway
	pmo.Spec.Governance.Gates = reviewGates(32, 2, "")
	portfolio := newPortfolio(ns, "change", "pmo")
	project := newProject(ns, "erp", nil)
	project.Spec.PortfolioRef, project.Spec.OfficeRef = refPtr("change"), refPtr("own")
	create(t, own, pmo, portfolio, project)
	expectReady(t, project, portfolio)
	g := NewWithT(t)
	get(g, project)
	c := project.Status.Compliance
	g.Expect(c.Gates).To(HaveLen(v1alpha1.GatesMaxItems))
	g.Expect(c.GatesNotListed).To(BeEquivalentTo(69 - v1alpha1.GatesMaxItems))
	g.Expect(c.Gates[0].State).To(Equal(v1alpha1.GateUnmet))
}

// denyStatusOf installs a ValidatingAdmissionPolicy that refuses, as
// Invalid, the status writes of Projects labelled label that carry
// status.compliance: a stand-in for any refusal of the operator's status
// the operator did not foresee (its conditions alone are still admitted).
func denyStatusOf(t *testing.T, label string) {
	t.Helper()
	invalid := metav1.StatusReasonInvalid
	policy := &admissionregistrationv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "refuse-status-" + strings.ReplaceAll(strings.ReplaceAll(label, "/", "-"), ".", "-")},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicySpec{
			MatchConstraints: &admissionregistrationv1.MatchResources{ResourceRules: []admissionregistrationv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionregistrationv1.RuleWithOperations{
					Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Update},
					Rule: admissionregistrationv1.Rule{APIGroups: []string{v1alpha1.GroupVersion.Group}, APIVersions: []string{"*"},
						Resources: []string{"projects/status"}},
				},
			}}},
			Validations: []admissionregistrationv1.Validation{{
				Expression: "!has(object.metadata.labels) || !('" + label + "' in object.metadata.labels) || !has(object.status.compliance)",
				Message:    "status.compliance.gates: refused by the test's policy", Reason: &invalid,
			}},
		},
	}
	binding := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{
		ObjectMeta: metav1.ObjectMeta{Name: policy.Name},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicyBindingSpec{PolicyName: policy.Name,
			ValidationActions: []admissionregistrationv1.ValidationAction{admissionregistrationv1.Deny}},
	}
	create(t, policy, binding)
	t.Cleanup(func() {
		_ = k8sClient.Delete(context.Background(), binding)
		_ = k8sClient.Delete(context.Background(), policy)
	})
}

// When the API server refuses a status all the same, the project says so
// in conditions and an event, its portfolio does not wait for it, and
// removing the cause is picked up at once.
func TestRefusedStatusIsSaidAndHealsAtOnce(t *testing.T) {
	ns := newNamespace(t, nil)
	label := "p3o.test/refuse-status-" + ns
	denyStatusOf(t, label)
	office := newOffice(ns, "pmo", v1alpha1.OfficeTypePortfolioOffice)
	office.Spec.Governance.Profile = v1alpha1.GateProfileOGCGateway
	portfolio := newPortfolio(ns, "change", "pmo")
	project := newProject(ns, "erp", nil)
	project.Spec.PortfolioRef = refPtr("change")
	create(t, office, portfolio)
	g := NewWithT(t)
	// The API server starts enforcing a new policy shortly after it is
	// created: until a probe's status is refused, try another.
	refusing := false
	for deadline := time.Now().Add(30 * time.Second); !refusing && time.Now().Before(deadline); {
		probe := newProject(ns, fmt.Sprintf("probe-%d", time.Now().UnixNano()), nil)
		probe.Spec.PortfolioRef, probe.Labels = refPtr("change"), map[string]string{label: "true"}
		create(t, probe)
		g.Eventually(func(g Gomega) {
			get(g, probe)
			g.Expect(probe.Status.ObservedGeneration).NotTo(BeZero())
		}).Should(Succeed())
		refusing = conditionOf(g, probe, v1alpha1.ConditionStalled) != nil
	}
	if !refusing {
		t.Fatal("the test's policy never refused a status")
	}
	project.Labels = map[string]string{label: "true"}
	create(t, project)

	message := expectCondition(t, project, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonStatusRejected)
	expectCondition(t, project, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonStatusRejected)
	if !strings.Contains(message, "status.compliance.gates") {
		t.Errorf("Stalled message %q does not say what the API server refused", message)
	}
	if project.Status.ObservedGeneration != project.Generation {
		t.Errorf("observedGeneration %d, want %d", project.Status.ObservedGeneration, project.Generation)
	}
	g.Eventually(func(g Gomega) {
		g.Expect(eventReasons(g, ns, "erp")).To(ContainElement(string(v1alpha1.ReasonStatusRejected)))
	}).Should(Succeed())
	// The portfolio counts the project as failed, not pending.
	expectReady(t, portfolio)

	update(t, project, func(p *v1alpha1.Project) { delete(p.Labels, label) })
	start := time.Now()
	g.Eventually(func(g Gomega) {
		c := conditionOf(g, project, v1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Reason).To(Equal(string(v1alpha1.ReasonSucceeded)), c.Message)
		g.Expect(project.Status.Compliance.Gates).NotTo(BeEmpty())
	}).WithTimeout(5 * time.Second).Should(Succeed())
	t.Logf("status written %s after the cause was removed", time.Since(start).Round(time.Millisecond))
	if conditionOf(g, project, v1alpha1.ConditionStalled) != nil {
		t.Error("Stalled left after status was written")
	}
}
