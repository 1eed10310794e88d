/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/hierarchy"
)

// Table tests of the read path, each asserting what a person reads off the
// objects: which parent a reference resolves to and why not, which offices
// govern and enforce, which reviews count, what an office's picture holds.

func project(name string, change func(*v1alpha1.Project)) *v1alpha1.Project {
	p := &v1alpha1.Project{}
	p.Namespace, p.Name = ns, name
	if change != nil {
		change(p)
	}
	return p
}

func namespace(name string, labels map[string]string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
}

// names are the "namespace/name" keys of objects, in order.
func names[T client.Object](objs []T) []string {
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, governance.Key(o))
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func keyNames(keys []types.NamespacedName) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k.String())
	}
	return sorted(out)
}

// A Programme in namespace team refers to the Portfolio org/pf: whether it
// attaches (its ParentResolved condition) and whether the portfolio counts
// it follow the portfolio's spec.allowedChildren and the labels of team.
func TestAttachmentRules(t *testing.T) {
	selector := func(labels map[string]string) *v1alpha1.ChildNamespaces {
		return &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromSelector, Selector: &metav1.LabelSelector{MatchLabels: labels}}
	}
	cases := []struct {
		name        string
		childNS     string
		allowed     *v1alpha1.ChildNamespaces
		nsLabels    map[string]string // nil: namespace team does not exist
		noPortfolio bool
		wantReason  v1alpha1.ConditionReason
		wantMessage string
	}{
		{name: "same namespace, no opt-in", childNS: ns, wantReason: v1alpha1.ReasonResolved},
		{name: "other namespace, no opt-in", childNS: "team", nsLabels: map[string]string{}, wantReason: v1alpha1.ReasonNotPermitted,
			wantMessage: "Portfolio org/pf (spec.portfolioRef) does not admit children from namespace team: spec.allowedChildren.namespaces.from is Same"},
		{name: "other namespace, from Same", childNS: "team", allowed: &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromSame},
			nsLabels: map[string]string{}, wantReason: v1alpha1.ReasonNotPermitted, wantMessage: "namespaces.from is Same"},
		{name: "other namespace, from All", childNS: "team", allowed: &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll},
			nsLabels: map[string]string{}, wantReason: v1alpha1.ReasonResolved},
		{name: "selector matches the namespace's labels", childNS: "team", allowed: selector(map[string]string{"p3o.dev/portfolio": "pf"}),
			nsLabels: map[string]string{"p3o.dev/portfolio": "pf", "team": "erp"}, wantReason: v1alpha1.ReasonResolved},
		{name: "selector does not match", childNS: "team", allowed: selector(map[string]string{"p3o.dev/portfolio": "pf"}),
			nsLabels: map[string]string{"p3o.dev/portfolio": "other"}, wantReason: v1alpha1.ReasonNotPermitted,
			wantMessage: "namespace team does not match spec.allowedChildren.namespaces.selector"},
		{name: "selector, namespace without labels", childNS: "team", allowed: selector(map[string]string{"p3o.dev/portfolio": "pf"}),
			wantReason: v1alpha1.ReasonNotPermitted, wantMessage: "does not match spec.allowedChildren.namespaces.selector"},
		{name: "selector admits the portfolio's own namespace", childNS: ns, allowed: selector(map[string]string{"p3o.dev/portfolio": "pf"}),
			wantReason: v1alpha1.ReasonResolved},
		{name: "portfolio missing", childNS: "team", noPortfolio: true, nsLabels: map[string]string{}, wantReason: v1alpha1.ReasonParentNotFound,
			wantMessage: "Portfolio org/pf (spec.portfolioRef) not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pf := portfolio("pf", "central")
			if tc.allowed != nil {
				pf.Spec.AllowedChildren.Namespaces = tc.allowed
			}
			pg := programme("pg", "pf")
			pg.Namespace, pg.Spec.PortfolioRef.Namespace = tc.childNS, ns
			objs := []client.Object{office("central", v1alpha1.EnforcementEnforce, ""), pg}
			if !tc.noPortfolio {
				objs = append(objs, pf)
			}
			if tc.nsLabels != nil {
				objs = append(objs, namespace(tc.childNS, tc.nsLabels))
			}
			read, _ := newReader(t, objs...)
			ctx := context.Background()
			facts, err := read.SubjectFacts(ctx, pg)
			if err != nil {
				t.Fatal(err)
			}
			_, reason, message := hierarchy.Summarise(facts.Resolutions)
			if reason != tc.wantReason || !strings.Contains(message, tc.wantMessage) {
				t.Errorf("ParentResolved reason %s, message %q; want %s with %q", reason, message, tc.wantReason, tc.wantMessage)
			}
			attached := tc.wantReason == v1alpha1.ReasonResolved
			if governed := facts.Ref() != nil; governed != attached {
				t.Errorf("governed by %v; want governed by the portfolio's office: %v", facts.Ref(), attached)
			}
			if tc.noPortfolio {
				return
			}
			programmes, _, err := read.PortfolioContents(ctx, pf)
			if err != nil {
				t.Fatal(err)
			}
			if counted := slices.Contains(names(programmes), governance.Key(pg)); counted != attached {
				t.Errorf("portfolio counts %v; want %s counted: %v", names(programmes), governance.Key(pg), attached)
			}
		})
	}
}

// An office's hub chain runs from the root hub down to the office; a
// chain that loops, or runs too long, is named and then holds the office
// alone, so that its effective policy is its own.
func TestHubChains(t *testing.T) {
	longChain := []client.Object{office("o0", v1alpha1.EnforcementAudit, "")}
	for i := 1; i <= governance.MaxHubDepth+1; i++ {
		longChain = append(longChain, office(fmt.Sprintf("o%d", i), v1alpha1.EnforcementAudit, fmt.Sprintf("o%d", i-1)))
	}
	cases := []struct {
		name      string
		objs      []client.Object
		start     string
		wantChain []string
		wantRoot  string
		wantLoop  string
	}{
		{name: "portfolio office is its own root",
			objs:  []client.Object{office("root", v1alpha1.EnforcementEnforce, "")},
			start: "root", wantChain: []string{"org/root"}},
		{name: "satellite under a hub under a root",
			objs: []client.Object{office("root", v1alpha1.EnforcementEnforce, ""), office("hub", v1alpha1.EnforcementAudit, "root"),
				office("sat", v1alpha1.EnforcementAudit, "hub")},
			start: "sat", wantChain: []string{"org/root", "org/hub", "org/sat"}, wantRoot: "org/root"},
		{name: "missing hub ends the chain",
			objs:  []client.Object{office("hub", v1alpha1.EnforcementAudit, "gone"), office("sat", v1alpha1.EnforcementAudit, "hub")},
			start: "sat", wantChain: []string{"org/hub", "org/sat"}, wantRoot: "org/hub"},
		{name: "satellite naming itself",
			objs:  []client.Object{office("self", v1alpha1.EnforcementAudit, "self")},
			start: "self", wantChain: []string{"org/self"}, wantLoop: "hubRef chain loops: org/self → org/self"},
		{name: "loop of two",
			objs:  []client.Object{office("a", v1alpha1.EnforcementAudit, "b"), office("b", v1alpha1.EnforcementEnforce, "a")},
			start: "a", wantChain: []string{"org/a"}, wantLoop: "hubRef chain loops: org/a → org/b → org/a"},
		{name: "loop of three",
			objs: []client.Object{office("a", v1alpha1.EnforcementAudit, "b"), office("b", v1alpha1.EnforcementAudit, "c"),
				office("c", v1alpha1.EnforcementEnforce, "a")},
			start: "b", wantChain: []string{"org/b"}, wantLoop: "hubRef chain loops: org/b → org/c → org/a → org/b"},
		{name: "satellite hanging off a loop",
			objs: []client.Object{office("a", v1alpha1.EnforcementAudit, "b"), office("b", v1alpha1.EnforcementAudit, "a"),
				office("sat", v1alpha1.EnforcementAudit, "a")},
			start: "sat", wantChain: []string{"org/sat"}, wantLoop: "hubRef chain loops: org/sat → org/a → org/b → org/a"},
		{name: "chain longer than the bound",
			objs:  longChain,
			start: fmt.Sprintf("o%d", governance.MaxHubDepth+1), wantChain: []string{fmt.Sprintf("org/o%d", governance.MaxHubDepth+1)},
			wantLoop: fmt.Sprintf("hubRef chain is longer than %d offices", governance.MaxHubDepth)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			read, c := newReader(t, tc.objs...)
			ctx := context.Background()
			start := &v1alpha1.Office{}
			if err := c.Get(ctx, types.NamespacedName{Namespace: ns, Name: tc.start}, start); err != nil {
				t.Fatal(err)
			}
			facts, err := read.OfficeFacts(ctx, start)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(facts.Chain.Offices); !slices.Equal(got, tc.wantChain) {
				t.Errorf("chain %v; want %v", got, tc.wantChain)
			}
			root := ""
			if r := facts.Chain.Root(); r != nil {
				root = r.String()
			}
			if root != tc.wantRoot {
				t.Errorf("root hub %q; want %q", root, tc.wantRoot)
			}
			if !strings.HasPrefix(facts.Chain.Loop, tc.wantLoop) || (tc.wantLoop == "") != (facts.Chain.Loop == "") {
				t.Errorf("loop %q; want %q", facts.Chain.Loop, tc.wantLoop)
			}
			// In a loop nothing is inherited: the office's own enforcement holds.
			if tc.wantLoop != "" && facts.Policy.Enforcement != start.Spec.Governance.Enforcement {
				t.Errorf("enforcement %s in a loop; want the office's own %s", facts.Policy.Enforcement, start.Spec.Governance.Enforcement)
			}
		})
	}
}

// A project under a portfolio of a satellite is held to the policy of the
// satellite's whole hub chain: a satellite tightens its hub, never loosens
// it, and the offices that enforce are named.
func TestEffectivePolicyOfASatellite(t *testing.T) {
	extraGate := v1alpha1.Gate{Name: "security-review", AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject}, RequiredFrom: "Initiating",
		Rule: &v1alpha1.GateRule{Expression: "has(object.spec.description)"}}
	cases := []struct {
		name            string
		hub, sat        v1alpha1.Enforcement
		satGates        []v1alpha1.Gate
		satWarning      int32
		wantEnforcement v1alpha1.Enforcement
		wantEnforcing   []string
		wantIgnored     string
		wantGate        string
		wantWarning     int32
	}{
		{name: "hub enforces, satellite audits: the hub's Enforce holds", hub: v1alpha1.EnforcementEnforce, sat: v1alpha1.EnforcementAudit,
			wantEnforcement: v1alpha1.EnforcementEnforce, wantEnforcing: []string{"org/hub"},
			wantIgnored: "org/sat: enforcement Audit is weaker than the hub's Enforce", wantGate: "gate-1"},
		{name: "hub audits, satellite enforces", hub: v1alpha1.EnforcementAudit, sat: v1alpha1.EnforcementEnforce,
			wantEnforcement: v1alpha1.EnforcementEnforce, wantEnforcing: []string{"org/sat"}, wantGate: "gate-3"},
		{name: "both enforce: both named", hub: v1alpha1.EnforcementEnforce, sat: v1alpha1.EnforcementEnforce,
			wantEnforcement: v1alpha1.EnforcementEnforce, wantEnforcing: []string{"org/hub", "org/sat"}},
		{name: "both warn: none enforces", hub: v1alpha1.EnforcementWarn, sat: v1alpha1.EnforcementWarn,
			wantEnforcement: v1alpha1.EnforcementWarn},
		{name: "satellite adds a gate of its own", hub: v1alpha1.EnforcementWarn, sat: v1alpha1.EnforcementWarn,
			satGates: []v1alpha1.Gate{extraGate}, wantEnforcement: v1alpha1.EnforcementWarn, wantGate: "security-review"},
		{name: "satellite tightens the warning share", hub: v1alpha1.EnforcementAudit, sat: v1alpha1.EnforcementAudit,
			satWarning: 50, wantEnforcement: v1alpha1.EnforcementAudit, wantWarning: 50},
		{name: "satellite cannot loosen the warning share", hub: v1alpha1.EnforcementAudit, sat: v1alpha1.EnforcementAudit,
			satWarning: 99, wantEnforcement: v1alpha1.EnforcementAudit, wantIgnored: "org/sat: toleranceWarningPercent 99 is looser than the hub's"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hub, sat := office("hub", tc.hub, ""), office("sat", tc.sat, "hub")
			sat.Spec.Governance.Profile = ""
			sat.Spec.Governance.Gates = tc.satGates
			sat.Spec.Governance.ToleranceWarningPercent = tc.satWarning
			p := project("erp", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef = ref("pg") })
			read, _ := newReader(t, hub, sat, portfolio("pf", "sat"), programme("pg", "pf"), p)
			facts, err := read.SubjectFacts(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if facts.Ref() == nil || facts.Ref().String() != "org/sat" {
				t.Errorf("governing office %v; want org/sat", facts.Ref())
			}
			if !facts.Complete {
				t.Error("governance not complete although every reference resolves")
			}
			if facts.Policy == nil {
				t.Fatal("no policy")
			}
			if facts.Policy.Enforcement != tc.wantEnforcement {
				t.Errorf("enforcement %s; want %s", facts.Policy.Enforcement, tc.wantEnforcement)
			}
			if !slices.Equal(sorted(facts.Enforcing), tc.wantEnforcing) {
				t.Errorf("enforcing offices %v; want %v", facts.Enforcing, tc.wantEnforcing)
			}
			if tc.wantGate != "" && !slices.Contains(facts.Policy.Names(), tc.wantGate) {
				t.Errorf("gates %v lack %s", facts.Policy.Names(), tc.wantGate)
			}
			if tc.wantWarning != 0 && facts.Policy.Health.WarningPercent != tc.wantWarning {
				t.Errorf("warning share %d%%; want %d%%", facts.Policy.Health.WarningPercent, tc.wantWarning)
			}
			if tc.wantIgnored != "" && !slices.ContainsFunc(facts.Policy.Ignored, func(s string) bool { return strings.HasPrefix(s, tc.wantIgnored) }) {
				t.Errorf("ignored settings %q lack %q", facts.Policy.Ignored, tc.wantIgnored)
			}
		})
	}
}

func review(namespace, name string, kind v1alpha1.SubjectKind, subject, subjectNamespace string, gate int32) *v1alpha1.GatewayReview {
	r := &v1alpha1.GatewayReview{}
	r.Namespace, r.Name = namespace, name
	r.Spec.SubjectRef = v1alpha1.SubjectReference{Kind: kind, ParentReference: v1alpha1.ParentReference{
		Name: v1alpha1.ObjectName(subject), Namespace: v1alpha1.Namespace(subjectNamespace)}}
	r.Spec.Gate, r.Spec.Date = &gate, "2026-03-01"
	r.Spec.Findings = &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmberGreen}
	return r
}

// Which GatewayReviews count for a subject: those naming it (kind,
// namespace and name) from a namespace it admits reviews from.
func TestReviewsOfASubject(t *testing.T) {
	reviews := []client.Object{
		review(ns, "erp-gate-1", v1alpha1.SubjectKindProject, "erp", "", 1),
		review(ns, "erp-gate-2", v1alpha1.SubjectKindProject, "erp", ns, 2),
		review(ns, "programme-erp", v1alpha1.SubjectKindProgramme, "erp", "", 0),
		review(ns, "crm-gate-1", v1alpha1.SubjectKindProject, "crm", "", 1),
		review("assurance", "erp-gate-3", v1alpha1.SubjectKindProject, "erp", ns, 3),
		review("assurance", "programme-erp-0", v1alpha1.SubjectKindProgramme, "erp", ns, 0),
	}
	cases := []struct {
		name    string
		subject client.Object
		want    []string
	}{
		{name: "project in its own namespace only",
			subject: project("erp", nil),
			want:    []string{"org/erp-gate-1 gate 1", "org/erp-gate-2 gate 2"}},
		{name: "project admitting the assurance team's namespace",
			subject: project("erp", func(p *v1alpha1.Project) {
				p.Spec.AllowedChildren.Namespaces = &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}
			}),
			want: []string{"assurance/erp-gate-3 gate 3", "org/erp-gate-1 gate 1", "org/erp-gate-2 gate 2"}},
		{name: "programme of the same name counts only its own",
			subject: programme("erp", "pf"),
			want:    []string{"org/programme-erp gate 0"}},
		{name: "project without reviews",
			subject: project("billing", nil)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			read, _ := newReader(t, append([]client.Object{tc.subject}, reviews...)...)
			got, err := read.Reviews(context.Background(), tc.subject)
			if err != nil {
				t.Fatal(err)
			}
			var counted []string
			for _, r := range got {
				counted = append(counted, fmt.Sprintf("%s gate %d", r.Key(), r.Gate))
				if r.Confidence != v1alpha1.ConfidenceAmberGreen || r.Date.Format("2006-01-02") != "2026-03-01" {
					t.Errorf("review %s read as %s on %s", r.Key(), r.Confidence, r.Date)
				}
			}
			if !slices.Equal(sorted(counted), tc.want) {
				t.Errorf("reviews %v; want %v", counted, tc.want)
			}
		})
	}
}

// One organisation with an office of each type. Central (PortfolioOffice)
// has portfolio core and satellite sat (with portfolio regional); tmp
// (Temporary) supports programme launch; virt (Virtual) is named by work
// in officeRef; ps (ProjectSupport) supports project tiny. Some work names
// central in officeRef as well as its portfolio core. Portfolio side
// has an office that does not exist.
func organisation() []client.Object {
	supports := func(o *v1alpha1.Office, t v1alpha1.OfficeType, kind v1alpha1.SubjectKind, name string) *v1alpha1.Office {
		o.Spec.Type = t
		o.Spec.SupportedObjectRef = &v1alpha1.SubjectReference{Kind: kind, ParentReference: v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name)}}
		return o
	}
	virt := office("virt", v1alpha1.EnforcementAudit, "")
	virt.Spec.Type = v1alpha1.OfficeTypeVirtual
	virtPg := programme("virt-pg", "side")
	virtPg.Spec.OfficeRef = ref("virt")
	coreNamed := programme("core-named-pg", "core")
	coreNamed.Spec.OfficeRef = ref("central")
	return []client.Object{
		office("central", v1alpha1.EnforcementAudit, ""),
		office("sat", v1alpha1.EnforcementAudit, "central"),
		supports(office("tmp", v1alpha1.EnforcementAudit, ""), v1alpha1.OfficeTypeTemporary, v1alpha1.SubjectKindProgramme, "launch"),
		virt,
		supports(office("ps", v1alpha1.EnforcementAudit, ""), v1alpha1.OfficeTypeProjectSupport, v1alpha1.SubjectKindProject, "tiny"),
		portfolio("core", "central"), portfolio("regional", "sat"), portfolio("side", "elsewhere"),
		programme("core-pg", "core"), programme("regional-pg", "regional"), programme("launch", "side"), virtPg, coreNamed,
		project("core-named", func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.OfficeRef = ref("core"), ref("central") }),
		project("core-direct", func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("core") }),
		project("regional-p", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.OfficeRef = ref("regional-pg"), ref("central") }),
		project("side-p", func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.OfficeRef = ref("side"), ref("central") }),
		project("sat-named", func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.OfficeRef = ref("side"), ref("sat") }),
		project("launch-p", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.OfficeRef = ref("launch"), ref("tmp") }),
		project("virt-p", func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.OfficeRef = ref("side"), ref("virt") }),
		project("virt-pg-p", func(p *v1alpha1.Project) { p.Spec.ProgrammeRef, p.Spec.OfficeRef = ref("virt-pg"), ref("virt") }),
		project("tiny", func(p *v1alpha1.Project) { p.Spec.PortfolioRef, p.Spec.OfficeRef = ref("side"), ref("ps") }),
	}
}

// Each office type's direct scope (what it governs or supports besides its
// portfolios and satellites) and its whole picture (what its report
// lists), gathered as the Office reconciler gathers them: everything once.
func TestDirectScopeOfEachOfficeType(t *testing.T) {
	cases := []struct {
		office                             string
		directProgrammes, directProjects   []string
		pictureProgrammes, pictureProjects []string
	}{
		{office: "central", // PortfolioOffice: side-p names it; what else names it is counted through portfolio core or the satellite
			directProjects:    []string{"org/side-p"},
			pictureProgrammes: []string{"org/core-named-pg", "org/core-pg", "org/regional-pg"},
			pictureProjects:   []string{"org/core-direct", "org/core-named", "org/regional-p", "org/side-p"}},
		{office: "sat", // Satellite: its portfolio, and what names it
			directProjects:    []string{"org/sat-named"},
			pictureProgrammes: []string{"org/regional-pg"},
			pictureProjects:   []string{"org/regional-p", "org/sat-named"}},
		{office: "tmp", // Temporary: the programme it supports; launch-p, naming it too, comes with the programme
			directProgrammes:  []string{"org/launch"},
			pictureProgrammes: []string{"org/launch"},
			pictureProjects:   []string{"org/launch-p"}},
		{office: "virt", // Virtual: what names it in officeRef
			directProgrammes:  []string{"org/virt-pg"},
			directProjects:    []string{"org/virt-p"},
			pictureProgrammes: []string{"org/virt-pg"},
			pictureProjects:   []string{"org/virt-p", "org/virt-pg-p"}},
		{office: "ps", // ProjectSupport: the one project it supports, which also names it
			directProjects:  []string{"org/tiny"},
			pictureProjects: []string{"org/tiny"}},
	}
	read, c := newReader(t, organisation()...)
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.office, func(t *testing.T) {
			o := &v1alpha1.Office{}
			if err := c.Get(ctx, types.NamespacedName{Namespace: ns, Name: tc.office}, o); err != nil {
				t.Fatal(err)
			}
			facts, err := read.OfficeFacts(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			portfolios, _, err := governance.Children[*v1alpha1.Portfolio](ctx, c, o, &v1alpha1.PortfolioList{}, governance.IndexOfficeRef)
			if err != nil {
				t.Fatal(err)
			}
			satellites, _, err := governance.Children[*v1alpha1.Office](ctx, c, o, &v1alpha1.OfficeList{}, governance.IndexHubRef)
			if err != nil {
				t.Fatal(err)
			}
			programmes, projects, err := read.DirectScope(ctx, o, facts.Supported, portfolios, satellites)
			if err != nil {
				t.Fatal(err)
			}
			if got := sorted(names(programmes)); !slices.Equal(got, sorted(tc.directProgrammes)) {
				t.Errorf("direct programmes %v; want %v", got, tc.directProgrammes)
			}
			if got := sorted(names(projects)); !slices.Equal(got, sorted(tc.directProjects)) {
				t.Errorf("direct projects %v; want %v", got, tc.directProjects)
			}
			allProgrammes, allProjects, err := read.OfficeContents(ctx, o, portfolios, satellites)
			if err != nil {
				t.Fatal(err)
			}
			beneath, err := read.ProjectsOf(ctx, programmes)
			if err != nil {
				t.Fatal(err)
			}
			allProgrammes = append(allProgrammes, programmes...)
			allProjects = append(append(allProjects, projects...), beneath...)
			if got := sorted(names(allProgrammes)); !slices.Equal(got, tc.pictureProgrammes) {
				t.Errorf("picture's programmes %v; want %v (each once)", got, tc.pictureProgrammes)
			}
			if got := sorted(names(allProjects)); !slices.Equal(got, tc.pictureProjects) {
				t.Errorf("picture's projects %v; want %v (each once)", got, tc.pictureProjects)
			}
		})
	}
}

// Beneath reaches what an office's governance decides, by spec and by
// what status last recorded, and nothing above or beside it.
func TestBeneathOfEachOffice(t *testing.T) {
	moved := project("moved", func(p *v1alpha1.Project) {
		p.Spec.PortfolioRef = ref("side")
		p.Status.Office = &v1alpha1.ObjectReference{Namespace: ns, Name: "virt"}
	})
	loopA, loopB := office("loop-a", v1alpha1.EnforcementAudit, "loop-b"), office("loop-b", v1alpha1.EnforcementAudit, "loop-a")
	objs := append(organisation(), moved, loopA, loopB, portfolio("loop-pf", "loop-b"),
		project("loop-p", func(p *v1alpha1.Project) { p.Spec.PortfolioRef = ref("loop-pf") }))
	cases := []struct {
		office                           string
		portfolios, programmes, projects []string
	}{
		{office: "central",
			portfolios: []string{"org/core", "org/regional"},
			programmes: []string{"org/core-named-pg", "org/core-pg", "org/regional-pg"},
			projects:   []string{"org/core-direct", "org/core-named", "org/regional-p", "org/sat-named", "org/side-p"}},
		{office: "sat", // not its hub's portfolio core
			portfolios: []string{"org/regional"},
			programmes: []string{"org/regional-pg"},
			projects:   []string{"org/regional-p", "org/sat-named"}},
		{office: "tmp", // officeRef only: the supported programme names no office
			projects: []string{"org/launch-p"}},
		{office: "virt", // moved recorded virt in status before its reference moved away
			programmes: []string{"org/virt-pg"},
			projects:   []string{"org/moved", "org/virt-p", "org/virt-pg-p"}},
		{office: "ps", projects: []string{"org/tiny"}},
		{office: "loop-a", // a loop of satellites ends
			portfolios: []string{"org/loop-pf"},
			projects:   []string{"org/loop-p"}},
		{office: "elsewhere", // a missing office still reaches what names it
			portfolios: []string{"org/side"},
			programmes: []string{"org/launch", "org/virt-pg"},
			projects:   []string{"org/launch-p", "org/moved", "org/sat-named", "org/side-p", "org/tiny", "org/virt-p", "org/virt-pg-p"}},
	}
	read, _ := newReader(t, objs...)
	for _, tc := range cases {
		t.Run(tc.office, func(t *testing.T) {
			o := &v1alpha1.Office{}
			o.Namespace, o.Name = ns, tc.office
			got, err := read.Beneath(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{
				{"portfolios", keyNames(got.Portfolios), tc.portfolios},
				{"programmes", keyNames(got.Programmes), tc.programmes},
				{"projects", keyNames(got.Projects), tc.projects},
			} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s beneath %s: %v; want %v", c.what, tc.office, c.got, c.want)
				}
			}
		})
	}
}
