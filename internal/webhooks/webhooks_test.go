/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package webhooks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/governance/governancetest"
	"p3o.dev/p3o-operator/internal/policy"
)

// The admission handlers, called as the API server calls them (an
// AdmissionRequest carrying the objects' JSON), over the fake client with
// the operator's indexes. controllers/webhook_test.go checks the same
// webhooks registered with a real API server.

const ns = "org"

// today is the webhooks' clock: reviews dated 2026-03-01 count.
var today = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

var rules = func() *policy.Rules {
	r, err := policy.NewRules()
	if err != nil {
		panic(err)
	}
	return r
}()

// handlers are the admission handlers of the Project, Programme and
// Portfolio webhooks over a store holding objs.
type handlers struct {
	scheme                        *runtime.Scheme
	gates                         *gateChecker
	project, programme, portfolio admission.Handler
}

func newHandlers(t testing.TB, objs ...client.Object) handlers {
	t.Helper()
	scheme := governancetest.Scheme(t)
	gates := &gateChecker{read: governance.Reader{Reader: governancetest.NewClient(t, objs...)}, rules: rules,
		now: func() time.Time { return today }}
	return handlers{
		scheme:    scheme,
		gates:     gates,
		project:   projectHandler(gates),
		programme: programmeHandler(gates),
		portfolio: admission.WithValidator[*v1alpha1.Portfolio](scheme, &portfolioValidator{gates}),
	}
}

// admit sends the creation (old nil) or update of obj to the handler for
// its kind.
func (h handlers) admit(t testing.TB, old, obj client.Object) admission.Response {
	t.Helper()
	handler := map[string]admission.Handler{"Project": h.project, "Programme": h.programme, "Portfolio": h.portfolio}
	req := h.request(t, old, obj)
	return handler[req.Kind.Kind].Handle(context.Background(), req)
}

// request is the AdmissionRequest of the creation (old nil) or update of
// obj, with the objects' JSON.
func (h handlers) request(t testing.TB, old, obj client.Object) admission.Request {
	t.Helper()
	gvk, err := apiutil.GVKForObject(obj, h.scheme)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(o client.Object) runtime.RawExtension {
		o = o.DeepCopyObject().(client.Object)
		o.GetObjectKind().SetGroupVersionKind(gvk)
		data, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		return runtime.RawExtension{Raw: data}
	}
	req := admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{
		UID:       "req",
		Kind:      metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
		Namespace: obj.GetNamespace(),
		Name:      obj.GetName(),
		Operation: admissionv1.Create,
		Object:    raw(obj),
	}}
	if old != nil {
		req.Operation, req.OldObject = admissionv1.Update, raw(old)
	}
	return req
}

// Builders.

func office(name string, enforcement v1alpha1.Enforcement) *v1alpha1.Office {
	o := &v1alpha1.Office{}
	o.Namespace, o.Name = ns, name
	o.Spec.Type = v1alpha1.OfficeTypePortfolioOffice
	o.Spec.Governance = v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: enforcement}
	return o
}

func portfolio(name, officeName string) *v1alpha1.Portfolio {
	p := &v1alpha1.Portfolio{}
	p.Namespace, p.Name = ns, name
	p.Spec.OfficeRef = v1alpha1.ParentReference{Name: v1alpha1.ObjectName(officeName)}
	return p
}

func programme(name, portfolioName string, phase v1alpha1.ProgrammePhase) *v1alpha1.Programme {
	p := &v1alpha1.Programme{}
	p.Namespace, p.Name = ns, name
	p.Spec.PortfolioRef = v1alpha1.ParentReference{Name: v1alpha1.ObjectName(portfolioName)}
	p.Spec.Phase = phase
	return p
}

func ref(name string) *v1alpha1.ParentReference {
	return &v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name)}
}

// project is a project under portfolio pf (when not changed) in phase.
func project(name string, phase v1alpha1.ProjectPhase, change ...func(*v1alpha1.Project)) *v1alpha1.Project {
	p := &v1alpha1.Project{}
	p.Namespace, p.Name = ns, name
	p.Spec.PortfolioRef = ref("pf")
	p.Spec.Phase = phase
	for _, c := range change {
		c(p)
	}
	return p
}

func withPhase(phase v1alpha1.ProjectPhase) func(*v1alpha1.Project) {
	return func(p *v1alpha1.Project) { p.Spec.Phase = phase }
}

func heldTo(offices ...string) func(*v1alpha1.Project) {
	return func(p *v1alpha1.Project) {
		p.Status.HeldTo = nil
		for _, o := range offices {
			p.Status.HeldTo = append(p.Status.HeldTo, v1alpha1.ObjectReference{Namespace: ns, Name: o})
		}
	}
}

func review(subject string, kind v1alpha1.SubjectKind, gate int32) *v1alpha1.GatewayReview {
	r := &v1alpha1.GatewayReview{}
	r.Namespace, r.Name = ns, subject+"-gate-"+string(rune('0'+gate))
	r.Spec.SubjectRef = v1alpha1.SubjectReference{Kind: kind, ParentReference: v1alpha1.ParentReference{Name: v1alpha1.ObjectName(subject)}}
	r.Spec.Gate, r.Spec.Date = &gate, "2026-03-01"
	r.Spec.Findings = &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmberGreen}
	return r
}

// expect checks a response: allowed or denied, with every part of want in
// its message (denied) or its warnings (allowed).
func expect(t *testing.T, resp admission.Response, allowed bool, want ...string) {
	t.Helper()
	if resp.Allowed != allowed {
		t.Fatalf("allowed %v; want %v (message %q, warnings %q)", resp.Allowed, allowed, message(resp), resp.Warnings)
	}
	said := message(resp)
	if allowed {
		said = strings.Join(resp.Warnings, "\n")
		if len(want) == 0 && len(resp.Warnings) > 0 {
			t.Errorf("warnings %q; want none", resp.Warnings)
		}
	}
	for _, w := range want {
		if !strings.Contains(said, w) {
			t.Errorf("%q does not say %q", said, w)
		}
	}
}

func message(resp admission.Response) string {
	if resp.Result == nil {
		return ""
	}
	return resp.Result.Message
}

// A project entering a phase: denied under Enforce, naming each unmet
// gate and the office; admitted with a warning per gate under Warn;
// admitted silently under Audit (the controller reports it) and when the
// gate is met.
func TestEnteringAPhase(t *testing.T) {
	cases := []struct {
		name        string
		enforcement v1alpha1.Enforcement
		reviews     []client.Object
		old, new    *v1alpha1.Project
		allowed     bool
		want        []string
	}{
		{name: "Enforce, gate 1 unmet", enforcement: v1alpha1.EnforcementEnforce,
			old: project("erp", v1alpha1.ProjectStartingUp), new: project("erp", v1alpha1.ProjectInitiating),
			want: []string{"entering phase Initiating requires gates that are not met (enforcement Enforce, office org/gov)", "Gate 1 Business justification"}},
		{name: "Enforce, gate 1 met by a review", enforcement: v1alpha1.EnforcementEnforce,
			reviews: []client.Object{review("erp", v1alpha1.SubjectKindProject, 1)},
			old:     project("erp", v1alpha1.ProjectStartingUp), new: project("erp", v1alpha1.ProjectInitiating), allowed: true},
		{name: "Enforce, a review of the wrong gate does not count", enforcement: v1alpha1.EnforcementEnforce,
			reviews: []client.Object{review("erp", v1alpha1.SubjectKindProject, 2)},
			old:     project("erp", v1alpha1.ProjectStartingUp), new: project("erp", v1alpha1.ProjectInitiating),
			want: []string{"Gate 1 Business justification"}},
		{name: "Enforce, skipping to Delivering names every gate", enforcement: v1alpha1.EnforcementEnforce,
			reviews: []client.Object{review("erp", v1alpha1.SubjectKindProject, 1)},
			old:     project("erp", v1alpha1.ProjectInitiating), new: project("erp", v1alpha1.ProjectDelivering),
			want: []string{"entering phase Delivering", "Gate 2 Delivery strategy", "Gate 3 Investment decision"}},
		{name: "Warn, gate 1 unmet", enforcement: v1alpha1.EnforcementWarn,
			old: project("erp", v1alpha1.ProjectStartingUp), new: project("erp", v1alpha1.ProjectInitiating), allowed: true,
			want: []string{"entering phase Initiating with an unmet gate: Gate 1 Business justification"}},
		{name: "Audit, gate 1 unmet", enforcement: v1alpha1.EnforcementAudit,
			old: project("erp", v1alpha1.ProjectStartingUp), new: project("erp", v1alpha1.ProjectInitiating), allowed: true},
		{name: "Enforce, moving back is bad news, never blocked", enforcement: v1alpha1.EnforcementEnforce,
			old: project("erp", v1alpha1.ProjectDelivering), new: project("erp", v1alpha1.ProjectInitiating), allowed: true},
		{name: "Enforce, an edit keeping phase and references is never blocked", enforcement: v1alpha1.EnforcementEnforce,
			old: project("erp", v1alpha1.ProjectDelivering),
			new: project("erp", v1alpha1.ProjectDelivering, func(p *v1alpha1.Project) { p.Spec.Description = "late and over budget" }), allowed: true},
		{name: "Enforce, created at a later phase", enforcement: v1alpha1.EnforcementEnforce,
			new:  project("erp", v1alpha1.ProjectDelivering),
			want: []string{"entering phase Delivering", "office org/gov", "Gate 1 Business justification", "Gate 2 Delivery strategy", "Gate 3 Investment decision"}},
		{name: "Enforce, created at a later phase with its reviews", enforcement: v1alpha1.EnforcementEnforce,
			reviews: []client.Object{review("erp", v1alpha1.SubjectKindProject, 1), review("erp", v1alpha1.SubjectKindProject, 2),
				review("erp", v1alpha1.SubjectKindProject, 3)},
			new: project("erp", v1alpha1.ProjectDelivering), allowed: true},
		{name: "Enforce, created in the first phase", enforcement: v1alpha1.EnforcementEnforce,
			new: project("erp", v1alpha1.ProjectStartingUp), allowed: true},
		{name: "Warn, created at a later phase", enforcement: v1alpha1.EnforcementWarn,
			new: project("erp", v1alpha1.ProjectInitiating), allowed: true,
			want: []string{"entering phase Initiating with an unmet gate: Gate 1 Business justification"}},
		{name: "created at a later phase before its parents exist (GitOps order)", enforcement: v1alpha1.EnforcementEnforce,
			new: project("erp", v1alpha1.ProjectDelivering, func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("not-yet") }), allowed: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			objs := append([]client.Object{office("gov", tc.enforcement), portfolio("pf", "gov")}, tc.reviews...)
			h := newHandlers(t, objs...)
			var old client.Object
			if tc.old != nil {
				old = tc.old
			}
			expect(t, h.admit(t, old, tc.new), tc.allowed, tc.want...)
		})
	}
}

// Re-pointing a reference at something missing, or at a more lenient
// office, does not get round Enforce: the change is judged under the
// governance the object had and the offices its stored status holds it
// to, whatever status the request carries.
func TestRepointingDoesNotShedEnforce(t *testing.T) {
	world := []client.Object{office("strict", v1alpha1.EnforcementEnforce), office("lax", v1alpha1.EnforcementAudit),
		portfolio("pf", "strict"), portfolio("lax-pf", "lax"), programme("pg", "pf", v1alpha1.ProgrammeDelivering)}
	inProgramme := func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.ProgrammeRef = nil, ref("pg") }
	denied := []string{"entering phase Initiating requires gates that are not met (enforcement Enforce, office org/strict)", "Gate 1 Business justification"}
	cases := []struct {
		name     string
		old, new client.Object
		allowed  bool
		want     []string
	}{
		{name: "portfolioRef at a missing portfolio",
			old:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict")),
			new:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict"), func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("ghost") }),
			want: denied},
		{name: "programmeRef at a missing programme",
			old:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict"), inProgramme),
			new:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict"), func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.ProgrammeRef = nil, ref("ghost") }),
			want: denied},
		{name: "officeRef at a missing office",
			old:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict")),
			new:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict"), func(p *v1alpha1.Project) { p.Spec.OfficeRef = ref("ghost") }),
			want: denied},
		{name: "moving to a lax portfolio",
			old:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict")),
			new:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict"), func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("lax-pf") }),
			want: denied},
		{name: "held to strict, already under lax, re-pointed at a missing portfolio; the request's status emptied",
			old:  project("erp", v1alpha1.ProjectInitiating, heldTo("strict"), func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("lax-pf") }),
			new:  project("erp", v1alpha1.ProjectInitiating, func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("ghost") }),
			want: denied},
		{name: "portfolioRef at a missing portfolio before status records anything",
			old:  project("erp", v1alpha1.ProjectInitiating),
			new:  project("erp", v1alpha1.ProjectInitiating, func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("ghost") }),
			want: denied},
		{name: "programmeRef at a missing programme before status records anything",
			old:  project("erp", v1alpha1.ProjectInitiating, inProgramme),
			new:  project("erp", v1alpha1.ProjectInitiating, func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.ProgrammeRef = nil, ref("ghost") }),
			want: denied},
		{name: "a missing reference re-pointed while still in the first phase",
			old:     project("erp", v1alpha1.ProjectStartingUp, heldTo("strict")),
			new:     project("erp", v1alpha1.ProjectStartingUp, heldTo("strict"), func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("ghost") }),
			allowed: true},
		{name: "a programme's portfolioRef at a missing portfolio",
			old:  programme("prog", "pf", v1alpha1.ProgrammeDefining),
			new:  programme("prog", "ghost", v1alpha1.ProgrammeDefining),
			want: []string{"entering phase Defining requires gates that are not met (enforcement Enforce, office org/strict)", "Gate 0 Strategic assessment"}},
		{name: "a programme's officeRef at a missing office, moving to a lax portfolio",
			old: programme("prog", "pf", v1alpha1.ProgrammeDefining),
			new: func() *v1alpha1.Programme {
				p := programme("prog", "lax-pf", v1alpha1.ProgrammeDefining)
				p.Spec.OfficeRef = ref("ghost")
				return p
			}(),
			want: []string{"office org/strict", "Gate 0 Strategic assessment"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHandlers(t, world...)
			expect(t, h.admit(t, tc.old, tc.new), tc.allowed, tc.want...)
		})
	}
}

// A Portfolio's officeRef change judges the work beneath it in its current
// phase under the office it would have; work in its first phase and work
// that stays as strictly governed is not judged.
func TestPortfolioOfficeRefJudgesTheWorkBeneath(t *testing.T) {
	beneath := []client.Object{
		project("direct", v1alpha1.ProjectDelivering, func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("moving") }),
		programme("prog", "moving", v1alpha1.ProgrammeDefining),
		project("in-prog", v1alpha1.ProjectInitiating, func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.ProgrammeRef = nil, ref("prog") }),
		project("new", v1alpha1.ProjectStartingUp, func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("moving") }),
	}
	cases := []struct {
		name     string
		from, to string
		reviews  []client.Object
		allowed  bool
		want     []string
	}{
		{name: "to an office that enforces", from: "lax", to: "strict",
			want: []string{
				"changing the references of Portfolio org/moving requires gates that are not met (enforcement Enforce, office org/strict)",
				"Project org/direct in phase Delivering: Gate 1 Business justification",
				"Project org/direct in phase Delivering: Gate 3 Investment decision",
				"Programme org/prog in phase Defining: Gate 0 Strategic assessment",
				"Project org/in-prog in phase Initiating: Gate 1 Business justification",
			}},
		{name: "to an office that enforces, every gate met", from: "lax", to: "strict", allowed: true,
			reviews: []client.Object{review("direct", v1alpha1.SubjectKindProject, 1), review("direct", v1alpha1.SubjectKindProject, 2),
				review("direct", v1alpha1.SubjectKindProject, 3), review("prog", v1alpha1.SubjectKindProgramme, 0),
				review("in-prog", v1alpha1.SubjectKindProject, 1)}},
		{name: "to an office that warns", from: "lax", to: "warn", allowed: true,
			want: []string{"changing the references of Portfolio org/moving with an unmet gate: Project org/direct in phase Delivering: Gate 2 Delivery strategy"}},
		{name: "to another office that audits", from: "lax", to: "lax2", allowed: true},
		{name: "to a missing office", from: "lax", to: "ghost", allowed: true},
		{name: "between two offices that enforce: nothing stricter", from: "strict", to: "strict2", allowed: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			objs := append([]client.Object{office("strict", v1alpha1.EnforcementEnforce), office("strict2", v1alpha1.EnforcementEnforce),
				office("warn", v1alpha1.EnforcementWarn), office("lax", v1alpha1.EnforcementAudit), office("lax2", v1alpha1.EnforcementAudit),
				portfolio("moving", tc.from)}, beneath...)
			h := newHandlers(t, append(objs, tc.reviews...)...)
			resp := h.admit(t, portfolio("moving", tc.from), portfolio("moving", tc.to))
			expect(t, resp, tc.allowed, tc.want...)
			if said := message(resp) + strings.Join(resp.Warnings, "\n"); strings.Contains(said, "org/new") {
				t.Errorf("work in its first phase judged: %q", said)
			}
		})
	}
}

// A project's budget by year is a split of its budget: years adding up to
// more are refused with both sums; less leaves the rest unphased.
func TestBudgetByYearWithinBudget(t *testing.T) {
	project := func(budget string, years ...string) *v1alpha1.Project {
		p := &v1alpha1.Project{}
		b := resource.MustParse(budget)
		p.Spec.Plan.Budget = &b
		for i, y := range years {
			a := resource.MustParse(y)
			p.Spec.Plan.BudgetByYear = append(p.Spec.Plan.BudgetByYear, v1alpha1.YearAmount{Year: int32(2026 + i), Amount: &a})
		}
		return p
	}
	for _, ok := range []*v1alpha1.Project{project("1M"), project("1M", "600k", "400k"), project("1M", "250.50k")} {
		if err := budgetByYearWithinBudget(ok); err != nil {
			t.Errorf("refused %v: %v", ok.Spec.Plan.BudgetByYear, err)
		}
	}
	err := budgetByYearWithinBudget(project("1M", "600k", "400000.01"))
	if err == nil || !strings.Contains(err.Error(), "1000000.01, more than spec.plan.budget 1000000") {
		t.Errorf("err = %v; want the years' sum refused against the budget", err)
	}
}

// Amounts in lists are checked as written, with the grammar the CRD
// enforces on single amounts; an object without those lists is not
// decoded for them.
func TestListAmountsAsWritten(t *testing.T) {
	check := func(raw string) error {
		ctx := admission.NewContextWithRequest(context.Background(), admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{
			Object: runtime.RawExtension{Raw: []byte(raw)}}})
		return listAmounts(ctx)
	}
	refused := map[string]string{
		`{"spec":{"plan":{"budgetByYear":[{"year":2027,"amount":"1.234M"}]}}}`: "spec.plan.budgetByYear[0].amount",
		`{"spec":{"tranches":[{"name":"t","budget":"1.5e6"}]}}`:                "spec.tranches[0].budget",
		`{"spec":{"capacityByYear":[{"year":2027,"amount":"-1"}]}}`:            "spec.capacityByYear[0].amount",
		`{"spec":{"benefits":[{"name":"b","target":"12.345k"}]}}`:              "spec.benefits[0].target",
	}
	for raw, field := range refused {
		if err := check(raw); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: err = %v; want %s refused", raw, err, field)
		}
	}
	for _, raw := range []string{
		`{"spec":{"plan":{"budget":"1.234M","budgetByYear":[{"year":2027,"amount":"1234k"}]}}}`,
		`{"spec":{"risks":[{"id":"R1","description":"benefits of 1.234M"}]}}`,
		`{"spec":{}}`,
	} {
		if err := check(raw); err != nil {
			t.Errorf("%s: refused: %v", raw, err)
		}
	}
	if mentionsListAmounts([]byte(`{"spec":{"risks":[{"id":"R1"}]}}`)) {
		t.Error("an object without the lists is decoded for them")
	}
}
