/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// maxOrg is one organisation generated at the maxima of every kind's
// schema, in one namespace whose name is as long as a namespace's may be.
type maxOrg struct {
	ns   string
	gens map[string]*maxGen
	// objs in the order they are created: parents first.
	objs []*unstructured.Unstructured
}

// maxName is an object name of 253 characters (the longest a name may be)
// starting with role.
func maxName(role string) string { return dnsName(253, role) }

func refTo(name, ns string) map[string]any { return map[string]any{"name": name, "namespace": ns} }

// newMaxNamespace creates a namespace with a name of 63 characters, so that
// every reference's namespace is at its maximum too.
func newMaxNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: dnsName(63, fmt.Sprintf("p3o-maxgen-%d", metav1.Now().UnixNano()))}}
	if err := k8sClient.Create(context.Background(), ns); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	t.Cleanup(func() { _ = k8sClient.Delete(context.Background(), ns) })
	return ns.Name
}

// maxRule is a gate rule of the longest length an expression may have
// (4096) that compiles, holds for the generated objects and costs little,
// so that an office's every gate may carry one within the budget for one
// object's rules: the padding is a literal whose size is taken only when
// the rule would otherwise fail.
func maxRule(i int) any {
	head := fmt.Sprintf("has(object.spec.phase) || size('%d ", i)
	tail := "') < 0"
	return head + strings.Repeat("p", 4096-len(head)-len(tail)) + tail
}

// maxSelector admits namespaces by label keys and values as long as they
// may be; no namespace carries them, so only the parent's own namespace is
// admitted.
func maxSelector() map[string]any {
	key := func(i int) string { return dnsName(253, fmt.Sprintf("k%d", i)) + "/" + dnsName(63, "name") }
	value := func(i int) any { return dnsName(63, fmt.Sprintf("v%d", i)) }
	return map[string]any{
		"matchLabels": map[string]any{key(0): value(0), key(1): value(1), key(2): value(2)},
		"matchExpressions": []any{
			map[string]any{"key": key(3), "operator": "In", "values": []any{value(3), value(4), value(5)}},
			map[string]any{"key": key(4), "operator": "NotIn", "values": []any{value(6), value(7), value(8)}},
			map[string]any{"key": key(5), "operator": "Exists"},
		},
	}
}

// commonFill is what every kind that has them is given: the office's
// currency, reports enabled, children admitted by the long selector.
func commonFill() maxFill {
	return maxFill{
		"spec.currency":                            "EUR",
		"spec.reports.mode":                        "Enabled",
		"spec.allowedChildren.namespaces.from":     "Selector",
		"spec.allowedChildren.namespaces.selector": maxSelector(),
	}
}

// with is commonFill with more.
func with(more ...maxFill) maxFill {
	out := commonFill()
	for _, m := range more {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// officeFill is an office of officeType whose gates are named after role
// (unique across offices, so that a satellite's add to its hub's), under
// the OGC Gateway profile and Warn: admission warns about unmet gates and
// lets the objects in, whatever order they arrive in.
func officeFill(officeType v1alpha1.OfficeType, role string) maxFill {
	return with(maxFill{
		"spec.type":                               string(officeType),
		"spec.hubRef":                             omitField{},
		"spec.supportedObjectRef":                 omitField{},
		"spec.governance.profile":                 string(v1alpha1.GateProfileOGCGateway),
		"spec.governance.enforcement":             "Warn",
		"spec.governance.gates[].name":            func(i int) any { return dnsName(63, fmt.Sprintf("%s-%d", role, i)) },
		"spec.governance.gates[].rule.expression": maxRule,
	})
}

// buildMaxOrg generates the organisation: a Portfolio Office, a Satellite
// of it and a Temporary office for the programme; a portfolio; a programme
// under it; two projects under the programme and one directly under the
// portfolio; a GatewayReview for the programme and each project.
func buildMaxOrg(t *testing.T) *maxOrg {
	o := &maxOrg{ns: newMaxNamespace(t), gens: map[string]*maxGen{}}
	for kind, plural := range map[string]string{"Office": "offices", "Portfolio": "portfolios", "Programme": "programmes",
		"Project": "projects", "GatewayReview": "gatewayreviews"} {
		o.gens[kind] = newMaxGen(t, kind, plural)
	}
	ns := o.ns
	hub, satellite, temporary := maxName("hub"), maxName("satellite"), maxName("temporary")
	portfolio, programme := maxName("portfolio"), maxName("programme")
	o.add("Office", hub, officeFill(v1alpha1.OfficeTypePortfolioOffice, "hub"))
	o.add("Office", satellite, with(officeFill(v1alpha1.OfficeTypeSatellite, "sat"), maxFill{"spec.hubRef": refTo(hub, ns)}))
	o.add("Office", temporary, with(officeFill(v1alpha1.OfficeTypeTemporary, "tmp"), maxFill{
		"spec.supportedObjectRef": map[string]any{"kind": "Programme", "name": programme, "namespace": ns}}))
	// Category targets name the declared categories and add up to 100: the
	// first at the maximum share, the others at none.
	category := func(i int) any { return dnsName(63, fmt.Sprintf("category-%d", i)) }
	pf := o.add("Portfolio", portfolio, with(maxFill{"spec.officeRef": refTo(hub, ns),
		"spec.categories[]": category, "spec.categoryTargets[].category": category,
		"spec.categoryTargets[].sharePercent": func(i int) any { return map[bool]int64{true: 100, false: 0}[i == 0] },
		"spec.capacityByYear[].year":          distinctYear}))
	categories, _, _ := unstructured.NestedStringSlice(pf.Object, "spec", "categories")
	if len(categories) == 0 {
		t.Fatal("the generated portfolio has no categories")
	}
	// Work names one of its portfolio's categories; an unknown one would
	// be a condition of its own.
	work := maxFill{"spec.category": categories[0], "spec.phase": "Delivering", "spec.plan.budgetByYear[].year": distinctYear,
		// The largest budget in one year, none in the others: the years
		// add up to no more than the budget (the webhook refuses more).
		"spec.plan.budgetByYear[].amount": func(i int) any { return map[bool]string{true: maxAmount, false: "0"}[i == 0] }}
	for path, v := range benefitsFill() {
		work[path] = v
	}
	for path, v := range risksFill() {
		work[path] = v
	}
	o.add("Programme", programme, with(work, maxFill{"spec.portfolioRef": refTo(portfolio, ns), "spec.officeRef": refTo(temporary, ns)}))
	subjects := map[string]string{programme: "Programme"}
	for i, parent := range []string{"programmeRef", "programmeRef", "portfolioRef"} {
		name := maxName(fmt.Sprintf("project-%d", i))
		fill := with(work, maxFill{"spec.programmeRef": omitField{}, "spec.portfolioRef": omitField{}, "spec.officeRef": refTo(satellite, ns)})
		fill["spec."+parent] = refTo(map[string]string{"programmeRef": programme, "portfolioRef": portfolio}[parent], ns)
		o.add("Project", name, fill)
		subjects[name] = "Project"
	}
	for name, kind := range subjects {
		o.add("GatewayReview", maxName("review-"+strings.TrimSuffix(name[:20], "-")), maxFill{
			"spec.subjectRef": map[string]any{"kind": kind, "name": name, "namespace": ns}})
	}
	return o
}

// benefitsFill makes the first benefit a contribution to a programme
// benefit (a name and no figures), the second one stated by its former
// name planned, the others by target: the CEL rules allow one of planned
// and target, and no figures on a contribution.
func benefitsFill() maxFill {
	figure := func(i int) any {
		if i == 0 {
			return nil
		}
		return maxAmount
	}
	return maxFill{
		"spec.benefits[].programmeBenefit": func(i int) any {
			if i != 0 {
				return nil
			}
			return prose(128, i)
		},
		"spec.benefits[].planned":  func(i int) any { return map[bool]any{true: maxAmount, false: nil}[i == 1] },
		"spec.benefits[].target":   func(i int) any { return map[bool]any{true: maxAmount, false: nil}[i >= 2] },
		"spec.benefits[].baseline": figure, "spec.benefits[].forecast": figure, "spec.benefits[].realised": figure,
	}
}

// risksFill makes risks threats and opportunities in turn, each with the
// responses of its kind in turn (the CEL rule refuses a response of the
// other kind).
func risksFill() maxFill {
	threat := []string{"Avoid", "Reduce", "Prepare", "Fallback", "Transfer", "Share", "Accept"}
	opportunity := []string{"Exploit", "Enhance", "Share", "Reject"}
	return maxFill{
		"spec.risks[].kind": func(i int) any { return map[bool]string{true: "Threat", false: "Opportunity"}[i%2 == 0] },
		"spec.risks[].response": func(i int) any {
			if i%2 == 0 {
				return threat[(i/2)%len(threat)]
			}
			return opportunity[(i/2)%len(opportunity)]
		},
	}
}

// distinctYear fills a list of amounts by year with distinct years, the
// latest first (years are the lists' keys).
func distinctYear(i int) any { return int64(9999 - i) }

func (o *maxOrg) add(kind, name string, fill maxFill) *unstructured.Unstructured {
	u := o.gens[kind].object(o.ns, name, fill)
	o.objs = append(o.objs, u)
	return u
}

// createAll creates every object, parents first, and fails the test with
// the API server's message for each one it refuses.
func (o *maxOrg) createAll(t *testing.T) {
	t.Helper()
	refused := false
	for _, u := range o.objs {
		if err := k8sClient.Create(context.Background(), u); err != nil {
			refused = true
			t.Errorf("the API server refused %s %s...: %v", u.GetKind(), u.GetName()[:20], err)
		}
	}
	if refused {
		t.FailNow()
	}
}

// typed is an empty object of u's Go type with its name, for the suite's
// helpers to read into.
func typed(t *testing.T, u *unstructured.Unstructured) client.Object {
	t.Helper()
	runtimeObj, err := scheme.New(u.GroupVersionKind())
	if err != nil {
		t.Fatalf("%s: %v", u.GetKind(), err)
	}
	obj := runtimeObj.(client.Object)
	obj.SetNamespace(u.GetNamespace())
	obj.SetName(u.GetName())
	return obj
}

// expectSettled checks what every object must show once Ready: status
// written for its generation, and never refused.
func expectSettled(t *testing.T, obj client.Object) {
	t.Helper()
	g := NewWithT(t)
	get(g, obj)
	observed := observedGenerationOf(obj)
	g.Expect(observed).To(Equal(obj.GetGeneration()), "%T %s...: status.observedGeneration", obj, obj.GetName()[:20])
	for _, c := range obj.(v1alpha1.Conditioned).GetConditions() {
		g.Expect(c.Reason).NotTo(Equal(string(v1alpha1.ReasonStatusRejected)), "%T %s...: %s: %s", obj, obj.GetName()[:20], c.Type, c.Message)
	}
}

// observedGenerationOf is obj's status.observedGeneration.
func observedGenerationOf(obj client.Object) int64 {
	switch o := obj.(type) {
	case *v1alpha1.Office:
		return o.Status.ObservedGeneration
	case *v1alpha1.Portfolio:
		return o.Status.ObservedGeneration
	case *v1alpha1.Programme:
		return o.Status.ObservedGeneration
	case *v1alpha1.Project:
		return o.Status.ObservedGeneration
	case *v1alpha1.GatewayReview:
		return o.Status.ObservedGeneration
	}
	return -1
}

// expectPublished waits until the live report ConfigMap that owner controls
// exists and its report.json parses, and returns its size in bytes.
func expectPublished(t *testing.T, owner client.Object) int {
	t.Helper()
	size := 0
	NewWithT(t).Eventually(func(g Gomega) {
		get(g, owner)
		list := &corev1.ConfigMapList{}
		g.Expect(k8sClient.List(context.Background(), list, client.InNamespace(owner.GetNamespace()),
			client.MatchingLabels{v1alpha1.LabelReport: "live"})).To(Succeed())
		var live *corev1.ConfigMap
		for i := range list.Items {
			if metav1.IsControlledBy(&list.Items[i], owner) {
				live = &list.Items[i]
			}
		}
		g.Expect(live).NotTo(BeNil(), "no live report controlled by %T %s...", owner, owner.GetName()[:20])
		var r report.Report
		g.Expect(json.Unmarshal([]byte(live.Data[report.KeyJSON]), &r)).To(Succeed(), "report.json of %s", live.Name)
		g.Expect(r.SchemaVersion).To(Equal(report.SchemaVersion))
		g.Expect(live.Data).To(HaveKey(report.KeyMarkdown))
		size = 0
		for _, v := range live.Data {
			size += len(v)
		}
	}).Should(Succeed())
	return size
}

// expectWebhookAnswers moves a project at the maxima into Closing through a
// client that keeps admission warnings. Its office warns (Warn) about the
// profile's gates still unmet: the warning shows the webhook answered, as
// its failurePolicy (Ignore) would let the change through silently if it
// had failed or timed out. The change is a merge patch: a Go client reading
// the amounts into resource.Quantity would send them back as milli, which
// the spec's grammar refuses (see projectWithCents).
func expectWebhookAnswers(t *testing.T, project client.Object) {
	t.Helper()
	seen := &warnings{}
	cfg := rest.CopyConfig(cpConfig)
	cfg.WarningHandler = seen
	warned, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	patch := client.RawPatch(types.MergePatchType, []byte(`{"spec":{"phase":"Closing"}}`))
	if err := warned.Patch(context.Background(), project, patch); err != nil {
		t.Fatalf("moving project %s... into Closing: %v", project.GetName()[:20], err)
	}
	g := NewWithT(t)
	g.Expect(seen.get()).To(ContainElement("entering phase Closing with an unmet gate: Gate 4 Readiness for service: no review"))
	g.Eventually(func(g Gomega) {
		get(g, project)
		g.Expect(observedGenerationOf(project)).To(Equal(project.GetGeneration()))
	}).Should(Succeed())
	expectReady(t, project)
	expectSettled(t, project)
}

// The end-to-end proof: an organisation of every kind, generated at
// every maximum of the kinds' schemas (lengths, list sizes, nesting), is
// admitted, and every object reaches Ready with its status written for its
// generation, none refused, and the reports of offices, portfolio and
// programme published.
func TestEveryKindAtItsMaximaReachesReady(t *testing.T) {
	o := buildMaxOrg(t)
	for _, kind := range []string{"Office", "Portfolio", "Programme", "Project", "GatewayReview"} {
		c := o.gens[kind].counts()
		t.Logf("%s: %d of the %d spec fields filled; %d of the %d with a maximum filled at it", kind, c.filled, c.fields, c.atMax, c.bounded)
		if len(c.unfilled) > 0 || len(c.short) > 0 {
			t.Errorf("%s: fields never filled: %v; fields with a maximum not filled at it: %v", kind, c.unfilled, c.short)
		}
	}
	o.createAll(t)
	var objs []client.Object
	for _, u := range o.objs {
		objs = append(objs, typed(t, u))
	}
	expectReady(t, objs...)
	for _, obj := range objs {
		expectSettled(t, obj)
		switch obj.(type) {
		case *v1alpha1.Office, *v1alpha1.Portfolio, *v1alpha1.Programme:
			t.Logf("%T %s...: live report of %d bytes", obj, obj.GetName()[:20], expectPublished(t, obj))
		case *v1alpha1.Project:
			c := obj.(*v1alpha1.Project).Status.Compliance
			t.Logf("Project %s...: %d gates listed, %d not listed", obj.GetName()[:20], len(c.Gates), c.GatesNotListed)
		}
	}
	expectWebhookAnswers(t, objs[5])
}
