/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	kstatus "sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/rollup"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func rules(t *testing.T) *policy.Rules {
	t.Helper()
	r, err := policy.NewRules()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func ogcOffice(name string, enforcement v1alpha1.Enforcement) *v1alpha1.Office {
	return &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: name}, Spec: v1alpha1.OfficeSpec{
		Type: v1alpha1.OfficeTypePortfolioOffice, Currency: "EUR",
		Governance: v1alpha1.GovernancePolicy{Profile: v1alpha1.GateProfileOGCGateway, Enforcement: enforcement},
	}}
}

// governed is the Facts of an object governed by office, with reviews.
func governed(office *v1alpha1.Office, reviews ...policy.Review) governance.Facts {
	p := policy.Effective([]*v1alpha1.Office{office})
	return governance.Facts{
		Resolutions: []hierarchy.Resolution{{Field: governance.FieldOfficeRef, Kind: "Office", Key: types.NamespacedName{Namespace: office.Namespace, Name: office.Name}}},
		Governance:  governance.Governance{Office: office, Policy: &p, Complete: true},
		Reviews:     reviews,
	}
}

func review(name string, gate int32, date string, c v1alpha1.DeliveryConfidence) policy.Review {
	d, _ := time.Parse(time.DateOnly, date)
	return policy.Review{Namespace: "central", Name: name, Gate: gate, Date: d, Confidence: c}
}

func delivering(name string) *v1alpha1.Project {
	budget, fc := resource.MustParse("1M"), resource.MustParse("1M")
	return &v1alpha1.Project{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: name, Generation: 2}, Spec: v1alpha1.ProjectSpec{
		Phase:    v1alpha1.ProjectDelivering,
		Plan:     v1alpha1.Plan{Budget: &budget, Start: "2026-01-01", End: "2027-06-30"},
		Progress: &v1alpha1.Progress{AsOf: "2026-11-19", ForecastCost: &fc, ForecastEnd: "2027-06-30"},
	}}
}

func expectCondition(t *testing.T, obj conditions.Object, ct v1alpha1.ConditionType, status metav1.ConditionStatus, reason v1alpha1.ConditionReason) *metav1.Condition {
	t.Helper()
	c := conditions.Get(obj, ct)
	if !conditions.Is(c, status, reason) {
		t.Fatalf("%s = %+v; want %s/%s", ct, c, status, reason)
	}
	return c
}

func reasons(events []Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Reason)
	}
	return out
}

// A project missing a gate is Amber with the gate named, non-compliant, and
// still Ready: Ready says the status is complete, not that all is well.
func TestProjectMissingAGate(t *testing.T) {
	p := delivering("crm")
	facts := governed(ogcOffice("pmo", v1alpha1.EnforcementAudit), review("g1", 1, "2026-01-10", "Green"), review("g2", 2, "2026-03-10", "Green"))
	// Assessed first while Initiating (Gate 3 not yet required), then
	// moved to Delivering: the gate turning unmet is an event.
	p.Spec.Phase = v1alpha1.ProjectInitiating
	if first := SetProject(p, facts, rules(t), now); len(first.Events) != 0 {
		t.Errorf("the first assessment records %v; it is the status", reasons(first.Events))
	}
	p.Spec.Phase = v1alpha1.ProjectDelivering
	out := SetProject(p, facts, rules(t), now)

	if p.Status.Health != v1alpha1.HealthAmber || !strings.Contains(strings.Join(p.Status.HealthReasons, "|"), "gate unmet: Gate 3 Investment decision: no review") {
		t.Errorf("health %s reasons %q", p.Status.Health, p.Status.HealthReasons)
	}
	c := expectCondition(t, p, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet)
	if c.Message != "Gate 3 Investment decision: no review" {
		t.Errorf("Compliant message %q", c.Message)
	}
	Conclude(p, Pending{})
	expectCondition(t, p, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
	if p.Status.Office.String() != "central/pmo" || p.Status.Currency != "EUR" || p.Status.ObservedGeneration != 2 {
		t.Errorf("office %v currency %q observedGeneration %d", p.Status.Office, p.Status.Currency, p.Status.ObservedGeneration)
	}
	if got := reasons(out.Events); strings.Join(got, ",") != EventGateUnmet {
		t.Errorf("events %v; want one GateUnmet", got)
	}
	// The same facts again change nothing and record nothing.
	again := SetProject(p, facts, rules(t), now)
	if len(again.Events) != 0 {
		t.Errorf("a second identical pass records %v", reasons(again.Events))
	}
}

// A gate whose review expires records ReviewExpired: decided on the gate's
// typed cause, not its message.
func TestExpiredReviewRecordsReviewExpired(t *testing.T) {
	p := delivering("crm")
	office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	gate1 := int32(1)
	office.Spec.Governance.Gates = []v1alpha1.Gate{{Name: "gate-1", AppliesTo: []v1alpha1.SubjectKind{"Project"}, RequiredFrom: "Initiating",
		Review: &v1alpha1.ReviewRequirement{Gate: &gate1, MaxAge: "26w"}}}
	facts := governed(office, review("g1", 1, "2026-05-01", "Green"), review("g2", 2, "2026-03-10", "Green"), review("g3", 3, "2026-04-10", "Green"))
	SetProject(p, facts, rules(t), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	if conditions.Get(p, v1alpha1.ConditionCompliant).Status != metav1.ConditionTrue {
		t.Fatalf("compliant before expiry: %+v", conditions.Get(p, v1alpha1.ConditionCompliant))
	}
	out := SetProject(p, facts, rules(t), now)
	if got := reasons(out.Events); strings.Join(got, ",") != EventReviewExpired {
		t.Errorf("events %v; want ReviewExpired", got)
	}
}

// Without a governing office a project is Compliant=Unknown (NoPolicy), has
// no currency, and is judged on the default thresholds.
func TestProjectWithoutOffice(t *testing.T) {
	p := delivering("crm")
	SetProject(p, governance.Facts{Resolutions: []hierarchy.Resolution{
		hierarchy.NotFoundResolution(governance.FieldOfficeRef, "Office", types.NamespacedName{Namespace: "central", Name: "gone"}),
	}}, rules(t), now)
	expectCondition(t, p, v1alpha1.ConditionCompliant, metav1.ConditionUnknown, v1alpha1.ReasonNoPolicy)
	Conclude(p, Pending{})
	expectCondition(t, p, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)
	if p.Status.Office != nil || p.Status.Currency != "" || p.Status.Health != v1alpha1.HealthGreen {
		t.Errorf("office %v currency %q health %s", p.Status.Office, p.Status.Currency, p.Status.Health)
	}
}

// A programme's own health (risks and gates) is a field of its own, apart
// from its projects', and its portfolio counts that, not a message prefix.
func TestProgrammeOwnHealthIsAField(t *testing.T) {
	prog := &v1alpha1.Programme{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital", Generation: 1},
		Spec: v1alpha1.ProgrammeSpec{Phase: v1alpha1.ProgrammeDelivering}}
	red := delivering("late")
	red.Status = v1alpha1.ProjectStatus{Health: v1alpha1.HealthRed, HealthReasons: []string{"forecast end beyond tolerance"}, Currency: "EUR"}
	SetProgramme(prog, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), Children[*v1alpha1.Project]{Admitted: []*v1alpha1.Project{red}}, rules(t), now)

	if prog.Status.Health != v1alpha1.HealthRed || prog.Status.OwnHealth != v1alpha1.HealthAmber {
		t.Errorf("health %s own %s; want Red through its project, Amber of its own (gate 0 missing)", prog.Status.Health, prog.Status.OwnHealth)
	}
	if len(prog.Status.OwnHealthReasons) != 1 || !strings.HasPrefix(prog.Status.OwnHealthReasons[0], "gate unmet: Gate 0") {
		t.Errorf("own reasons %q", prog.Status.OwnHealthReasons)
	}
	item := ProgrammeItem(prog)
	if item.OwnHealth != v1alpha1.HealthAmber || item.OwnReason != prog.Status.OwnHealthReasons[0] {
		t.Errorf("rollup item own %s %q", item.OwnHealth, item.OwnReason)
	}
	expectCondition(t, prog, v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonAggregated)
}

// Rules that do not compile reach the controller only when the webhook was
// bypassed (it fails open); the Office then says which, and is not Ready.
func TestOfficeWithBrokenRuleIsNotReady(t *testing.T) {
	o := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Name: "central", Generation: 3}}
	SetOffice(o, governance.OfficeFacts{Policy: policy.Policy{Enforcement: v1alpha1.EnforcementAudit}},
		[]string{"gate owners: rule does not compile: ERROR: <input>:1:26: Syntax error"}, OfficeChildren{})
	c := expectCondition(t, o, v1alpha1.ConditionPolicyValid, metav1.ConditionFalse, v1alpha1.ReasonInvalidRule)
	if c.Message != "gate owners: rule does not compile: ERROR: <input>:1:26: Syntax error" {
		t.Errorf("PolicyValid message %q", c.Message)
	}
	Conclude(o, Pending{})
	expectCondition(t, o, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonInvalidRule)
	if o.Status.ObservedGeneration != 3 || o.Status.PolicyDigest == "" {
		t.Errorf("observedGeneration %d digest %q", o.Status.ObservedGeneration, o.Status.PolicyDigest)
	}
}

// An office in a hub loop says so, and reports no hub.
func TestOfficeInAHubLoop(t *testing.T) {
	o := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "a"}}
	SetOffice(o, governance.OfficeFacts{Chain: governance.Chain{Offices: []*v1alpha1.Office{o}, Loop: "hubRef chain loops: central/a → central/b → central/a"}}, nil, OfficeChildren{})
	expectCondition(t, o, v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonHubLoop)
	if o.Status.Hub != nil {
		t.Errorf("hub %v", o.Status.Hub)
	}
	satellite := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Namespace: "retail", Name: "s"}}
	SetOffice(satellite, governance.OfficeFacts{Chain: governance.Chain{Offices: []*v1alpha1.Office{o, satellite}}}, nil, OfficeChildren{})
	if satellite.Status.Hub.String() != "central/a" {
		t.Errorf("hub %v; want central/a", satellite.Status.Hub)
	}
}

func TestRetirement(t *testing.T) {
	cases := []struct {
		phase  string
		status metav1.ConditionStatus
		reason v1alpha1.ConditionReason
	}{
		{"", metav1.ConditionUnknown, v1alpha1.ReasonParentNotFound},
		{"Delivering", metav1.ConditionFalse, v1alpha1.ReasonSupportedObjectActive},
		{"Closed", metav1.ConditionTrue, v1alpha1.ReasonSupportedObjectClosed},
	}
	for _, tc := range cases {
		o := &v1alpha1.Office{Spec: v1alpha1.OfficeSpec{Type: v1alpha1.OfficeTypeTemporary,
			SupportedObjectRef: &v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: v1alpha1.ParentReference{Name: "crm"}}}}
		setRetired(o, tc.phase)
		expectCondition(t, o, v1alpha1.ConditionRetired, tc.status, tc.reason)
	}
	plain := &v1alpha1.Office{}
	conditions.Set(plain, v1alpha1.ConditionRetired, metav1.ConditionTrue, v1alpha1.ReasonSupportedObjectClosed, "stale")
	setRetired(plain, "Closed")
	if conditions.Get(plain, v1alpha1.ConditionRetired) != nil {
		t.Error("an office that supports nothing carries Retired")
	}
}

// A mixed-currency rollup is a condition with a reason, not a silent sum.
func TestPortfolioWithMixedCurrency(t *testing.T) {
	pf := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital"}}
	usd := delivering("abroad")
	usd.Status.Currency, usd.Status.Health = "USD", v1alpha1.HealthGreen
	SetPortfolio(pf, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), PortfolioChildren{Projects: []*v1alpha1.Project{usd}})
	c := expectCondition(t, pf, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	if !strings.Contains(c.Message, "USD") {
		t.Errorf("message %q does not name the currency", c.Message)
	}
	Conclude(pf, Pending{})
	expectCondition(t, pf, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
}

// A newer recorded review of the same gate supersedes an older one, and
// a review says which gates it satisfies and when it expires.
func TestGatewayReviewStatus(t *testing.T) {
	p := delivering("crm")
	office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	facts := governed(office, review("old", 1, "2025-07-22", "Green"), review("new", 1, "2026-10-14", "Amber"))
	old := &v1alpha1.GatewayReview{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "old"}}
	SetGatewayReview(old, nil, ReviewSubject{Object: p, Facts: facts}, rules(t), now)
	if old.Status.SupersededBy.String() != "central/new" || len(old.Status.Satisfies) != 0 {
		t.Errorf("old review: superseded by %v, satisfies %v", old.Status.SupersededBy, old.Status.Satisfies)
	}
	current := &v1alpha1.GatewayReview{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "new"}}
	SetGatewayReview(current, nil, ReviewSubject{Object: p, Facts: facts}, rules(t), now)
	if current.Status.SupersededBy != nil || strings.Join(current.Status.Satisfies, ",") != "gate-1" {
		t.Errorf("new review: superseded by %v, satisfies %v", current.Status.SupersededBy, current.Status.Satisfies)
	}
	orphan := &v1alpha1.GatewayReview{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "orphan"}}
	SetGatewayReview(orphan, []hierarchy.Resolution{hierarchy.NotFoundResolution(governance.FieldSubjectRef, "Project", types.NamespacedName{Namespace: "central", Name: "gone"})},
		ReviewSubject{}, rules(t), now)
	Conclude(orphan, Pending{})
	expectCondition(t, orphan, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound)
}

// A review satisfies what the subject's whole compliance says it does,
// though only the gates that ask for a review are evaluated for it: a gate
// asking for the review and a rule that fails is not satisfied; a gate
// with a rule alone never names a review.
func TestGatewayReviewSatisfiesWhatComplianceSays(t *testing.T) {
	p := delivering("crm")
	office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	gate1 := int32(1)
	project := []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject}
	office.Spec.Governance.Gates = []v1alpha1.Gate{
		{Name: "risk-owners", AppliesTo: project, RequiredFrom: "Initiating", Rule: &v1alpha1.GateRule{Expression: "false", Message: "no"}},
		{Name: "gate-1-and-rule", AppliesTo: project, RequiredFrom: "Initiating", Review: &v1alpha1.ReviewRequirement{Gate: &gate1},
			Rule: &v1alpha1.GateRule{Expression: "false", Message: "no"}},
		{Name: "gate-1-and-true", AppliesTo: project, RequiredFrom: "Initiating", Review: &v1alpha1.ReviewRequirement{Gate: &gate1},
			Rule: &v1alpha1.GateRule{Expression: "true", Message: "no"}},
	}
	facts := governed(office, review("g1", 1, "2026-05-01", "Green"))
	_, full := governance.Compliance(facts, rules(t), p, v1alpha1.ComplianceStatus{}, now)
	var want []string
	for _, g := range full.Gates {
		if g.Review.String() == "central/g1" && (g.State == v1alpha1.GateMet || g.State == v1alpha1.GateNotYetRequired) {
			want = append(want, g.Name)
		}
	}
	r := &v1alpha1.GatewayReview{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "g1"}}
	SetGatewayReview(r, nil, ReviewSubject{Object: p, Facts: facts}, rules(t), now)
	if got := strings.Join(r.Status.Satisfies, ","); got != strings.Join(want, ",") || !slices.Contains(r.Status.Satisfies, "gate-1-and-true") ||
		slices.Contains(r.Status.Satisfies, "gate-1-and-rule") {
		t.Errorf("satisfies %q; the subject's compliance says %q", got, want)
	}
}

// Health turning Red and recovering are events; so is a refused attachment,
// once.
func TestTransitions(t *testing.T) {
	before, after := &v1alpha1.Project{}, &v1alpha1.Project{}
	conditions.Set(after, v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted, "refused")
	got := transitions(before, after, v1alpha1.HealthGreen, v1alpha1.HealthRed, "late")
	if strings.Join(reasons(got), ",") != EventHealthRed+","+EventNotPermitted || got[0].Type != corev1.EventTypeWarning || got[0].Message != "Health is Red: late" {
		t.Errorf("events %+v", got)
	}
	if got := transitions(after, after, v1alpha1.HealthRed, v1alpha1.HealthAmber, ""); strings.Join(reasons(got), ",") != EventHealthRecovered {
		t.Errorf("events %+v; want HealthRecovered only", got)
	}
	// A first assessment of Red is the status, not an event; a refusal is
	// an event even then.
	if got := transitions(before, after, "", v1alpha1.HealthRed, "late"); strings.Join(reasons(got), ",") != EventNotPermitted {
		t.Errorf("first assessment: events %+v; want NotPermitted only", got)
	}
}

// Delivery Confidence counts: the latest review of a gate that gave Red
// makes its subject Red, with the review named (policy.ConfidenceHealth).
func TestDeliveryConfidenceBearsOnHealth(t *testing.T) {
	cases := []struct {
		confidence v1alpha1.DeliveryConfidence
		want       v1alpha1.Health
	}{
		{v1alpha1.ConfidenceGreen, v1alpha1.HealthGreen},
		{v1alpha1.ConfidenceAmberGreen, v1alpha1.HealthGreen},
		{v1alpha1.ConfidenceAmber, v1alpha1.HealthAmber},
		{v1alpha1.ConfidenceAmberRed, v1alpha1.HealthAmber},
		{v1alpha1.ConfidenceRed, v1alpha1.HealthRed},
	}
	for _, tc := range cases {
		t.Run(string(tc.confidence), func(t *testing.T) {
			p := delivering("crm")
			office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
			office.Spec.Governance.Profile = "" // no gates: only the confidence speaks
			SetProject(p, governed(office, review("g3", 3, "2026-10-01", tc.confidence)), rules(t), now)
			if p.Status.Health != tc.want {
				t.Errorf("health %s (%q); want %s", p.Status.Health, p.Status.HealthReasons, tc.want)
			}
			if tc.want != v1alpha1.HealthGreen && !strings.Contains(strings.Join(p.Status.HealthReasons, "|"), "Gate 3 review of 2026-10-01 gave Delivery Confidence "+string(tc.confidence)) {
				t.Errorf("reasons %q do not name the review", p.Status.HealthReasons)
			}
		})
	}
}

// What kstatus (and so Flux and Argo CD) reads from status: Failed where
// only a person can help, InProgress while the figures are not final,
// Current once they are.
func TestKstatusReadsTheRightState(t *testing.T) {
	computeStatus := func(t *testing.T, obj any) kstatus.Status {
		t.Helper()
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		if err != nil {
			t.Fatal(err)
		}
		res, err := kstatus.Compute(&unstructured.Unstructured{Object: u})
		if err != nil {
			t.Fatal(err)
		}
		return res.Status
	}
	mixed := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital", Generation: 1}}
	usd := delivering("abroad")
	usd.Status.Currency, usd.Status.Health = "USD", v1alpha1.HealthGreen
	SetPortfolio(mixed, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), PortfolioChildren{Projects: []*v1alpha1.Project{usd}})
	Conclude(mixed, Pending{})
	expectCondition(t, mixed, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonMixedCurrency)
	if got := computeStatus(t, mixed); got != kstatus.FailedStatus {
		t.Errorf("mixed currency: kstatus %s; want Failed", got)
	}

	settled := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital", Generation: 1}}
	SetPortfolio(settled, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), PortfolioChildren{})
	Conclude(settled, Pending{})
	if got := computeStatus(t, settled); got != kstatus.CurrentStatus {
		t.Errorf("settled: kstatus %s; want Current", got)
	}
	Conclude(settled, Pending{v1alpha1.ReasonChildrenPending, "3 projects not yet reconciled"})
	expectCondition(t, settled, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonChildrenPending)
	if got := computeStatus(t, settled); got != kstatus.InProgressStatus {
		t.Errorf("pending: kstatus %s; want InProgress", got)
	}
	if Settled(settled, settled.Status.ObservedGeneration, true) {
		t.Error("a pending parent counts as settled for its own parent")
	}
	Conclude(settled, Pending{v1alpha1.ReasonReportPending, "report within 5s"})
	if !Settled(settled, settled.Status.ObservedGeneration, true) {
		t.Error("a parent waiting only for its own report holds up its parent")
	}
	// The next complete pass clears it.
	SetPortfolio(settled, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), PortfolioChildren{})
	Conclude(settled, Pending{})
	if got := computeStatus(t, settled); got != kstatus.CurrentStatus || !Settled(settled, settled.Status.ObservedGeneration, true) {
		t.Errorf("after a complete pass: kstatus %s", got)
	}

	loop := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "a", Generation: 1}}
	SetOffice(loop, governance.OfficeFacts{Chain: governance.Chain{Offices: []*v1alpha1.Office{loop}, Loop: "hubRef chain loops"}}, nil, OfficeChildren{})
	Conclude(loop, Pending{})
	if got := computeStatus(t, loop); got != kstatus.FailedStatus {
		t.Errorf("hub loop: kstatus %s; want Failed", got)
	}
	missing := delivering("orphan")
	SetProject(missing, governance.Facts{Resolutions: []hierarchy.Resolution{
		hierarchy.NotFoundResolution(governance.FieldProgrammeRef, "Programme", types.NamespacedName{Namespace: "central", Name: "later"}),
	}}, rules(t), now)
	Conclude(missing, Pending{})
	if conditions.IsTrue(missing, v1alpha1.ConditionStalled) {
		t.Error("a parent that is not there yet stalls its child; it heals when applied")
	}
}

// Gate 5 falls due 26 weeks after the recorded closing date, whenever the
// operator first saw the project, and overdue counts as unmet.
func TestGate5RunsFromTheClosingDate(t *testing.T) {
	office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	reviews := []policy.Review{review("g1", 1, "2024-01-10", "Green"), review("g2", 2, "2024-02-10", "Green"),
		review("g3", 3, "2024-03-10", "Green"), review("g4", 4, "2025-03-01", "Green")}
	closedLongAgo := delivering("archived")
	closedLongAgo.Spec.Phase, closedLongAgo.Spec.ClosedOn = v1alpha1.ProjectClosed, "2025-03-31"
	SetProject(closedLongAgo, governed(office, reviews...), rules(t), now)
	c := expectCondition(t, closedLongAgo, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet)
	if !strings.Contains(c.Message, "Gate 5 Operations review and benefits realisation: overdue since 2025-09-29: no review") {
		t.Errorf("Compliant message %q", c.Message)
	}
	if got := closedLongAgo.Status.Compliance.PhaseSince.UTC().Format(time.DateOnly); got != "2025-03-31" {
		t.Errorf("phaseSince %s; want the closing date", got)
	}

	recent := delivering("recent")
	recent.Spec.Phase, recent.Spec.ClosedOn = v1alpha1.ProjectClosed, "2026-10-01"
	// A previous status that saw the phase long before makes no difference.
	seen := metav1.NewTime(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	recent.Status.Compliance = v1alpha1.ComplianceStatus{Phase: "Closed", PhaseSince: &seen}
	SetProject(recent, governed(office, reviews...), rules(t), now)
	expectCondition(t, recent, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet)
	for _, g := range recent.Status.Compliance.Gates {
		if g.Name == "gate-5" && (g.State != v1alpha1.GateNotYetRequired || g.DueAt == nil || g.DueAt.UTC().Format(time.DateOnly) != "2027-04-01") {
			t.Errorf("gate 5 %+v; want due by 2027-04-01", g)
		}
	}
}

// Money is shown one way on every kind: rounded for reading (three
// significant digits), with the currency, as the reports write it (kubectl get's columns read these), and "incomplete" or
// "unknown" where amounts in another currency were left out.
func TestMoneyIsDisplayedOneWay(t *testing.T) {
	office := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	p := delivering("crm")
	p.Spec.Plan.Budget = ptrTo(resource.MustParse("8M"))
	p.Spec.Progress.ForecastCost = ptrTo(resource.MustParse("8435000"))
	SetProject(p, governed(office), rules(t), now)
	if want := (v1alpha1.MoneyDisplay{Budget: "8M EUR", Forecast: "8.44M EUR"}); p.Status.Display != want {
		t.Errorf("project display %+v; want %+v", p.Status.Display, want)
	}
	noForecast := delivering("new")
	noForecast.Spec.Progress.ForecastCost = nil
	SetProject(noForecast, governed(office), rules(t), now)
	if noForecast.Status.Display.Forecast != "1M EUR" {
		t.Errorf("a project without a forecast shows forecast %q; the budget counts everywhere", noForecast.Status.Display.Forecast)
	}

	pf := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital"}, Spec: v1alpha1.PortfolioSpec{Capacity: ptrTo(resource.MustParse("12M"))}}
	SetPortfolio(pf, governed(office), PortfolioChildren{Projects: []*v1alpha1.Project{p, noForecast}})
	if want := (v1alpha1.MoneyDisplay{Capacity: "12M EUR", Committed: "9M EUR"}); pf.Status.Display != want {
		t.Errorf("portfolio display %+v; want %+v", pf.Status.Display, want)
	}
	if want := (v1alpha1.MoneyDisplay{Budget: "9M EUR", Forecast: "9.44M EUR"}); pf.Status.Rollup.Money.Display != want {
		t.Errorf("rollup display %+v; want %+v", pf.Status.Rollup.Money.Display, want)
	}
	usd := delivering("abroad")
	usd.Status.Currency = "USD"
	SetPortfolio(pf, governed(office), PortfolioChildren{Projects: []*v1alpha1.Project{p, usd}})
	if pf.Status.Display.Committed != "unknown" || pf.Status.Rollup.Money.Display.Budget != "incomplete" {
		t.Errorf("mixed currency display %+v / %+v", pf.Status.Display, pf.Status.Rollup.Money.Display)
	}
}

func ptrTo[T any](v T) *T { return &v }

// An amount keeps the currency it was written in: a project whose amounts
// were recorded in GBP and that moved under an office keeping EUR is not
// relabelled; it says so (Stalled: only a person can restate it), and its
// portfolio under the EUR office leaves its amounts out, naming it. Setting
// spec.currency restates it.
func TestAmountsKeepTheirCurrencyAcrossAMove(t *testing.T) {
	eur := ogcOffice("pmo", v1alpha1.EnforcementAudit)
	gbp := ogcOffice("uk-pmo", v1alpha1.EnforcementAudit)
	gbp.Spec.Currency = "GBP"
	p := delivering("moved")
	SetProject(p, governed(gbp), rules(t), now)
	if p.Status.Currency != "GBP" {
		t.Fatalf("currency %q under the GBP office; want GBP", p.Status.Currency)
	}
	expectCondition(t, p, v1alpha1.ConditionCurrencyMatched, metav1.ConditionTrue, v1alpha1.ReasonSameCurrency)

	SetProject(p, governed(eur), rules(t), now)
	if p.Status.Currency != "GBP" || p.Status.Display.Budget != "1M GBP" {
		t.Errorf("after the move: currency %q, budget shown %q; want GBP kept", p.Status.Currency, p.Status.Display.Budget)
	}
	expectCondition(t, p, v1alpha1.ConditionCurrencyMatched, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	Conclude(p, Pending{})
	expectCondition(t, p, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	Conclude(p, Pending{})
	expectCondition(t, p, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonMixedCurrency)

	stay := delivering("stay")
	SetProject(stay, governed(eur), rules(t), now)
	pf := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital"}}
	SetPortfolio(pf, governed(eur), PortfolioChildren{Projects: []*v1alpha1.Project{p, stay}})
	if m := pf.Status.Rollup.Money; m.Budget != "" || m.Currency != "EUR" || len(m.LeftOut) != 1 || m.LeftOut[0].Currency != "GBP" {
		t.Errorf("portfolio money %+v; want no EUR total and the GBP amounts left out", m)
	}
	rolled := expectCondition(t, pf, v1alpha1.ConditionRolledUp, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency)
	if !strings.Contains(rolled.Message, "central/moved") {
		t.Errorf("RolledUp message %q does not name the project left out", rolled.Message)
	}

	p.Spec.Currency = "EUR" // restated
	SetProject(p, governed(eur), rules(t), now)
	if p.Status.Currency != "EUR" {
		t.Errorf("restated with spec.currency: currency %q; want EUR", p.Status.Currency)
	}
	expectCondition(t, p, v1alpha1.ConditionCurrencyMatched, metav1.ConditionTrue, v1alpha1.ReasonSameCurrency)
}

// Until its governance is fully resolved an object records no currency, so
// that whichever parent arrives first cannot fix it.
func TestCurrencyIsRecordedOnlyOnceGovernanceIsComplete(t *testing.T) {
	gbp := ogcOffice("uk-pmo", v1alpha1.EnforcementAudit)
	gbp.Spec.Currency = "GBP"
	partial := governed(gbp)
	partial.Complete = false
	p := delivering("early")
	SetProject(p, partial, rules(t), now)
	if p.Status.Currency != "" {
		t.Errorf("currency %q recorded before governance is complete", p.Status.Currency)
	}
	expectCondition(t, p, v1alpha1.ConditionCurrencyMatched, metav1.ConditionTrue, v1alpha1.ReasonNoGoverningOffice)
	SetProject(p, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), rules(t), now)
	if p.Status.Currency != "EUR" {
		t.Errorf("currency %q once complete under the EUR office; want EUR", p.Status.Currency)
	}
}

// RolledUp names what it counted by kind, in the singular for one.
func TestRolledUpNamesEachKindCounted(t *testing.T) {
	for _, tc := range []struct {
		kinds []kindCount
		want  string
	}{
		{[]kindCount{{1, "portfolio", "portfolios"}, {0, "satellite office", "satellite offices"}, {0, "programme", "programmes"}, {0, "project", "projects"}}, "rolled up 1 portfolio"},
		{[]kindCount{{1, "portfolio", "portfolios"}, {1, "satellite office", "satellite offices"}}, "rolled up 1 portfolio and 1 satellite office"},
		{[]kindCount{{2, "programme", "programmes"}, {1, "project", "projects"}}, "rolled up 2 programmes and 1 project"},
		{[]kindCount{{3, "portfolio", "portfolios"}, {2, "satellite office", "satellite offices"}, {1, "programme", "programmes"}, {5, "project", "projects"}},
			"rolled up 3 portfolios, 2 satellite offices, 1 programme and 5 projects"},
		{[]kindCount{{0, "programme", "programmes"}, {0, "project", "projects"}}, "no programmes or projects attached yet"},
	} {
		pf := &v1alpha1.Portfolio{}
		setRolledUp(pf, rollup.Result{}, tc.kinds...)
		if c := conditions.Get(pf, v1alpha1.ConditionRolledUp); c == nil || c.Message != tc.want {
			t.Errorf("RolledUp %v; want %q", c, tc.want)
		}
	}
}

// A health event names the children that turned a rollup Red once, not
// the health twice.
func TestHealthEventNamesTheCauses(t *testing.T) {
	red := delivering("late")
	red.Status = v1alpha1.ProjectStatus{Health: v1alpha1.HealthRed, HealthReasons: []string{"forecast end beyond tolerance"}, Currency: "EUR"}
	other := delivering("later")
	other.Status = red.Status

	pf := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "change"},
		Status: v1alpha1.PortfolioStatus{Rollup: v1alpha1.Rollup{Health: v1alpha1.HealthGreen}}}
	out := SetPortfolio(pf, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), PortfolioChildren{Projects: []*v1alpha1.Project{red, other}})
	if len(out.Events) != 1 || out.Events[0].Message != "Health is Red: project late and project later are Red" {
		t.Errorf("portfolio events %+v", out.Events)
	}

	prog := &v1alpha1.Programme{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital", Generation: 1},
		Spec: v1alpha1.ProgrammeSpec{Phase: v1alpha1.ProgrammeDelivering}, Status: v1alpha1.ProgrammeStatus{Health: v1alpha1.HealthAmber}}
	out = SetProgramme(prog, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), Children[*v1alpha1.Project]{Admitted: []*v1alpha1.Project{red}}, rules(t), now)
	if len(out.Events) == 0 || out.Events[0].Message != "Health is Red: project late is Red" {
		t.Errorf("programme events %+v", out.Events)
	}
	if got := CauseReason(prog.Status.Rollup); got != "Red: project late" {
		t.Errorf("health reason %q", got)
	}
}

// A programme whose projects all left has no rollup health beside its own
// HEALTH: RolledUp says it has no children. One whose projects are not
// assessed yet says Unknown.
func TestEmptiedProgrammeHealthDoesNotContradict(t *testing.T) {
	prog := &v1alpha1.Programme{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital", Generation: 1},
		Spec: v1alpha1.ProgrammeSpec{Phase: v1alpha1.ProgrammeIdentifying}}
	facts := governed(ogcOffice("pmo", v1alpha1.EnforcementAudit))
	green := delivering("portal")
	green.Status = v1alpha1.ProjectStatus{Health: v1alpha1.HealthGreen, Currency: "EUR"}
	SetProgramme(prog, facts, Children[*v1alpha1.Project]{Admitted: []*v1alpha1.Project{green}}, rules(t), now)
	if prog.Status.Health != v1alpha1.HealthGreen || prog.Status.Rollup.Health != v1alpha1.HealthGreen {
		t.Fatalf("with a Green project: health %s, rollup %s", prog.Status.Health, prog.Status.Rollup.Health)
	}

	SetProgramme(prog, facts, Children[*v1alpha1.Project]{}, rules(t), now)
	if prog.Status.Health != v1alpha1.HealthGreen || prog.Status.Rollup.Health != "" {
		t.Errorf("emptied: health %s, rollup.health %q; want Green and none", prog.Status.Health, prog.Status.Rollup.Health)
	}
	if c := expectCondition(t, prog, v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonNoChildren); c.Message != "no projects attached yet" {
		t.Errorf("RolledUp message %q", c.Message)
	}

	green.Status = v1alpha1.ProjectStatus{Currency: "EUR"}
	SetProgramme(prog, facts, Children[*v1alpha1.Project]{Admitted: []*v1alpha1.Project{green}}, rules(t), now)
	if prog.Status.Rollup.Health != v1alpha1.HealthUnknown || prog.Status.Rollup.ByHealth.Unknown != 1 {
		t.Errorf("a project not assessed yet: rollup %+v", prog.Status.Rollup)
	}
}

// TestRejectedStatusSettlesAsFailed: a child whose status the API server
// refused is Failed for kstatus and settled (not pending) for its parent,
// until its generation changes.
func TestRejectedStatusSettlesAsFailed(t *testing.T) {
	child := delivering("refused")
	child.Status.ObservedGeneration = 1 // an older generation's status
	Conclude(child, Pending{v1alpha1.ReasonReconcileFailed, "retried"})
	if Settled(child, child.Status.ObservedGeneration, false) {
		t.Fatal("a child reconciling at an older generation is settled")
	}
	MarkRejected(child, strings.Repeat("status.compliance.gates[0].description: Too long ", 100))
	child.Status.ObservedGeneration = child.Generation
	ready := expectCondition(t, child, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonStatusRejected)
	expectCondition(t, child, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonStatusRejected)
	if conditions.Get(child, v1alpha1.ConditionReconciling) != nil {
		t.Error("Reconciling left beside Stalled")
	}
	if len(ready.Message) > 1300 || !strings.Contains(ready.Message, "Too long") {
		t.Errorf("Ready message %q: want the API server's reason, shortened", ready.Message)
	}
	for _, rollsUp := range []bool{false, true} {
		if !Settled(child, child.Status.ObservedGeneration, rollsUp) {
			t.Errorf("a child whose status was refused is pending for its parent (rollsUp %v)", rollsUp)
		}
	}
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(child)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := kstatus.Compute(&unstructured.Unstructured{Object: u}); err != nil || res.Status != kstatus.FailedStatus {
		t.Errorf("kstatus reads %v (%v), want Failed", res, err)
	}
	child.Generation++
	if Rejected(child) || Settled(child, child.Status.ObservedGeneration, false) {
		t.Error("a refusal of an older generation still settles the child")
	}
}

// A parent that waits for its children pass after pass keeps its Ready
// condition as it was, transition time included: Ready is made once per
// pass, never set to True and back to False in between (each such flip
// was a status write per pass).
func TestConcludeLeavesAnUnchangedReadyAlone(t *testing.T) {
	settled := &v1alpha1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "digital", Generation: 1}}
	SetPortfolio(settled, governed(ogcOffice("pmo", v1alpha1.EnforcementAudit)), PortfolioChildren{})
	pending := Pending{Reason: v1alpha1.ReasonChildrenPending, Message: "waiting"}
	Conclude(settled, pending)
	long := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for i := range settled.Status.Conditions {
		settled.Status.Conditions[i].LastTransitionTime = long
	}
	before := settled.Status.DeepCopy()
	Conclude(settled, pending)
	if !reflect.DeepEqual(before.Conditions, settled.Status.Conditions) {
		t.Errorf("a second pass with the same pending reason changed the conditions:\n%+v\nto\n%+v", before.Conditions, settled.Status.Conditions)
	}
	Conclude(settled, Pending{})
	if ready := conditions.Get(settled, v1alpha1.ConditionReady); ready.Status != metav1.ConditionTrue || ready.LastTransitionTime == long {
		t.Errorf("once settled: Ready %s at %v; want True, transition now", ready.Status, ready.LastTransitionTime)
	}
}
