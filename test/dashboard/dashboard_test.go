/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package dashboard_test checks the management dashboard as its viewers
// use it: the operator runs against a real control plane with the sample
// organisation, the dashboard reads what the operator published, and a
// real headless Chromium opens its pages with each viewer's own
// ServiceAccount token, follows its links, checks them with axe-core, and
// keeps screenshots of them.
package dashboard_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/browsertest"
	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/internal/dashboard"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
)

const (
	central, retail, assurance = "p3o-central", "p3o-retail", "p3o-assurance"
	// hubName is the sample organisation's hub office, in central.
	hubName = "portfolio-office"
	// viewers is the namespace of the viewers' ServiceAccounts.
	viewers = "p3o-dashboard-viewers"
	// readerRole may read the governance kinds and ConfigMaps.
	readerRole = "p3o-dashboard-reader"
)

var hubID = "Office/" + central + "/" + hubName

// organisation is the sample organisation as the operator published it,
// and the dashboard serving it.
type organisation struct {
	cp     *controlplane.ControlPlane
	admin  client.Client
	url    string
	hub    *v1alpha1.Office
	report report.Report
	// artefacts is the folder screenshots and PDFs are written to.
	artefacts string
}

func TestDashboard(t *testing.T) {
	start := time.Now()
	org := startOrganisation(t)
	t.Logf("the organisation is published and the dashboard serves it after %s", time.Since(start).Round(time.Second))

	board := viewer(t, org, "board", nil)
	centralOnly := viewer(t, org, "central-only", []string{central, assurance})

	b := browsertest.New(t)
	t.Run("board", func(t *testing.T) { boardSeesEverything(t, org, b, board) })
	t.Run("central-only", func(t *testing.T) { centralOnlySeesNoRetail(t, org, b, centralOnly) })
	t.Logf("checked in %s; screenshots in %s", time.Since(start).Round(time.Second), org.artefacts)
}

// startOrganisation runs the operator on a control plane of its own with
// config/samples applied, waits until the hub's figures and its live
// report are published and agree, and serves the dashboard over them on
// 127.0.0.1, as a cluster's dashboard runs: its own credentials to read,
// each viewer's token reviewed and their access asked of the API server.
func startOrganisation(t *testing.T) *organisation {
	t.Helper()
	ctx := t.Context()
	ctrllog.SetLogger(testr.New(t))
	binary := controlplane.BuildOperatorForTest(t, ctx)
	cp := controlplane.StartForTest(t)
	cp.StartOperatorForTest(t, binary)
	scheme, err := dashboard.Scheme()
	if err != nil {
		t.Fatal(err)
	}
	admin, err := client.New(cp.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"apply", "-k", "config/samples"},
		{"wait", "--for=condition=Ready", "--timeout=120s", "--all", "-A", "offices,portfolios,programmes,projects"},
	} {
		if _, err := cp.Kubectl(ctx, args...); err != nil {
			t.Fatal(err)
		}
	}
	org := &organisation{cp: cp, admin: admin, hub: &v1alpha1.Office{}, artefacts: artefactsDir(t, cp.Root)}
	// Ready means the figures are final; the live report follows them.
	controlplane.WaitFor(t, 60*time.Second, func() (bool, string) {
		if err := admin.Get(ctx, client.ObjectKey{Namespace: central, Name: hubName}, org.hub); err != nil {
			return false, err.Error()
		}
		cm := &corev1.ConfigMap{}
		if err := admin.Get(ctx, client.ObjectKey{Namespace: central, Name: publish.Name("Office", hubName, "")}, cm); err != nil {
			return false, err.Error()
		}
		org.report = report.Report{}
		if err := json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &org.report); err != nil {
			return false, err.Error()
		}
		r := org.hub.Status.Rollup
		agree := org.report.Counts.Projects == r.Projects && org.report.Totals.Budget == string(r.Money.Budget)
		return agree, fmt.Sprintf("status: %d projects, budget %s; report.json: %d projects, budget %s",
			r.Projects, r.Money.Budget, org.report.Counts.Projects, org.report.Totals.Budget)
	})

	source, err := dashboard.StartCache(ctx, cp.Config)
	if err != nil {
		t.Fatal(err)
	}
	srv := &dashboard.Server{Source: source, Authn: &dashboard.TokenReviews{Client: admin, TTL: time.Minute},
		Authz: &dashboard.SubjectAccessReviews{Client: admin, TTL: time.Minute}, Log: testr.New(t)}
	h, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	org.url = browsertest.Serve(t, h).URL
	return org
}

// artefactsDir is $P3O_ARTIFACTS, else bin/artifacts/dashboard.
func artefactsDir(t *testing.T, root string) string {
	t.Helper()
	dir := os.Getenv("P3O_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(root, "bin", "artifacts", "dashboard")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// viewer is a person with a ServiceAccount of their own who may get, list
// and watch the governance kinds and ConfigMaps in the namespaces given
// (every namespace when none is), and their token.
func viewer(t *testing.T, org *organisation, name string, namespaces []string) string {
	t.Helper()
	ctx := t.Context()
	token, err := org.cp.ServiceAccountToken(ctx, viewers, name)
	if err != nil {
		t.Fatal(err)
	}
	role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: readerRole}, Rules: []rbacv1.PolicyRule{
		{APIGroups: []string{v1alpha1.GroupVersion.Group}, Resources: []string{"offices", "portfolios", "programmes", "projects", "gatewayreviews"},
			Verbs: []string{"get", "list", "watch"}},
		{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "list", "watch"}},
	}}
	if err := org.admin.Create(ctx, role); client.IgnoreAlreadyExists(err) != nil {
		t.Fatal(err)
	}
	roleRef := rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: readerRole}
	subjects := []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: viewers, Name: name}}
	bindings := []client.Object{&rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name}, RoleRef: roleRef, Subjects: subjects}}
	if namespaces != nil {
		bindings = nil
		for _, ns := range namespaces {
			bindings = append(bindings, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, RoleRef: roleRef, Subjects: subjects})
		}
	}
	for _, binding := range bindings {
		if err := org.admin.Create(ctx, binding); err != nil {
			t.Fatal(err)
		}
	}
	return token
}

// tab is the browser as one viewer uses it.
type tab struct {
	*browsertest.Browser
	org  *organisation
	who  string
	shot int
}

func open(t *testing.T, org *organisation, b *browsertest.Browser, who, token string) *tab {
	b.SetHeaders(t, map[string]string{"Authorization": "Bearer " + token})
	return &tab{Browser: b, org: org, who: who}
}

// visit opens a page that must answer 200, checks it with axe-core (no
// serious or critical violation) and keeps a screenshot of it.
func (tb *tab) visit(t *testing.T, url, page string) {
	t.Helper()
	if status := tb.Open(t, url); status != http.StatusOK {
		t.Fatalf("%s opening %s: %d, want 200", tb.who, url, status)
	}
	for _, v := range browsertest.SeriousOrWorse(tb.Axe(t)) {
		t.Errorf("accessibility of %s (%s): %s", page, url, v)
	}
	tb.shot++
	path := filepath.Join(tb.org.artefacts, fmt.Sprintf("%s-%d-%s.png", tb.who, tb.shot, page))
	tb.Screenshot(t, path)
	t.Logf("screenshot of %s: %s", page, path)
}

// follow follows the link on the page that names the object name (its
// text is the name, or ends with /name), as a reader would, to a page
// that must answer 200, checked and kept as visit does.
func (tb *tab) follow(t *testing.T, within, name, page string) {
	t.Helper()
	links := tb.Links(t, within+" a")
	i := slices.IndexFunc(links, func(l browsertest.Link) bool { return l.Text == name || strings.HasSuffix(l.Text, "/"+name) })
	if i < 0 {
		t.Fatalf("%s finds no link to %s among %v", tb.who, name, links)
	}
	tb.visit(t, links[i].Href, page)
}

// own is the selector of the elements matching inner that belong to the
// object marked data-object=id itself, not to one shown within it.
func own(id, inner string) string {
	return fmt.Sprintf(`[data-object=%q] %s:not([data-object=%q] [data-object] *)`, id, inner, id)
}

// shown writes a report.json total as the pages write amounts: rounded
// for people by money.Display, with the currency.
func shown(exact, currency string) string {
	return money.Display(money.Value(v1alpha1.Amount(exact))) + " " + currency
}

// theHubsFigures are the figures the organisation page must show for the
// hub, read from its live report.json: what a board member would compare.
func theHubsFigures(r report.Report) map[string]string {
	return map[string]string{
		`[data-figure="health"] dd`:   string(r.Health),
		`[data-figure="projects"] dd`: fmt.Sprint(r.Counts.Projects),
		`[data-count="red"]`:          fmt.Sprintf("%d Red", r.Counts.ByHealth.Red),
		`[data-count="amber"]`:        fmt.Sprintf("%d Amber", r.Counts.ByHealth.Amber),
		`[data-count="green"]`:        fmt.Sprintf("%d Green", r.Counts.ByHealth.Green),
		`[data-figure="budget"] dd`:   shown(r.Totals.Budget, r.Currency),
		`[data-figure="forecast"] dd`: shown(r.Totals.ForecastCost, r.Currency),
		`[data-figure="variance"] dd`: shown(r.Totals.Variance, r.Currency),
	}
}

func boardSeesEverything(t *testing.T, org *organisation, b *browsertest.Browser, token string) {
	tb := open(t, org, b, "board", token)
	tb.visit(t, org.url+"/", "organisation")
	tb.PrintToPDF(t, filepath.Join(org.artefacts, "board-organisation.pdf"))
	t.Logf("PDF of the organisation page: %s", filepath.Join(org.artefacts, "board-organisation.pdf"))

	var compared []string
	for selector, want := range theHubsFigures(org.report) {
		got := tb.Text(t, own(hubID, selector))
		if selector == `[data-figure="health"] dd` {
			got = got[strings.LastIndex(got, " ")+1:] // after its mark
		}
		if got != want {
			t.Errorf("the hub's %s reads %q on the organisation page; its report.json says %q", selector, got, want)
		}
		compared = append(compared, fmt.Sprintf("%s %q", selector, got))
	}
	slices.Sort(compared)
	t.Logf("the hub's figures on the organisation page, compared with its report.json: %s", strings.Join(compared, ", "))
	for _, id := range []string{"Office/" + retail + "/retail-pmo", "Portfolio/" + retail + "/retail-growth"} {
		if len(tb.Texts(t, fmt.Sprintf("[data-object=%q]", id))) != 1 {
			t.Errorf("the board does not see %s on the organisation page", id)
		}
	}

	// Why is erp-migration Red? Down the picture: hub, portfolio,
	// programme, project.
	erp := &v1alpha1.Project{}
	if err := org.admin.Get(t.Context(), client.ObjectKey{Namespace: central, Name: "erp-migration"}, erp); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(erp.Status.HealthReasons, func(r string) bool { return strings.Contains(r, "cost") })
	if erp.Status.Health != v1alpha1.HealthRed || i < 0 {
		t.Fatalf("the sample erp-migration is %s for %q: not Red for cost, as the samples intend", erp.Status.Health, erp.Status.HealthReasons)
	}
	tb.follow(t, fmt.Sprintf("[data-object=%q]", hubID), hubName, "office")
	hubsEvidence(t, tb, org)
	tb.follow(t, "main", "digital-transformation", "portfolio")
	tb.follow(t, "main", "cloud-migration", "programme")
	tb.follow(t, "main", "erp-migration", "project")
	if h1 := tb.Text(t, "h1"); !strings.Contains(h1, "erp-migration") {
		t.Fatalf("following the links led to %q, not erp-migration", h1)
	}
	if why := tb.Text(t, "#why"); !strings.HasSuffix(why, string(v1alpha1.HealthRed)) {
		t.Errorf("the project page says %q, want its health Red", why)
	}
	if reasons := tb.Texts(t, "main li"); !slices.Contains(reasons, erp.Status.HealthReasons[i]) {
		t.Errorf("the project page does not give the cost reason %q; it lists %q", erp.Status.HealthReasons[i], reasons)
	}

	// The hub's report downloads, as its page offers.
	path := "/reports/Office/" + central + "/" + hubName + "/" + report.KeyJSON
	status, body := download(t, org.url+path, token)
	var got report.Report
	if err := json.Unmarshal([]byte(body), &got); status != http.StatusOK || err != nil || got.Name != hubName {
		t.Errorf("the board downloading %s: %d %v, want 200 and the hub's report", path, status, err)
	}
}

func centralOnlySeesNoRetail(t *testing.T, org *organisation, b *browsertest.Browser, token string) {
	ctx := t.Context()
	tb := open(t, org, b, "central-only", token)

	// What they may not see: everything in retail, by name, read from the
	// cluster.
	hidden := []string{retail}
	var retailProjects []string
	for _, list := range []client.ObjectList{&v1alpha1.OfficeList{}, &v1alpha1.PortfolioList{}, &v1alpha1.ProgrammeList{}, &v1alpha1.ProjectList{}} {
		if err := org.admin.List(ctx, list, client.InNamespace(retail)); err != nil {
			t.Fatal(err)
		}
		items := names(t, list)
		hidden = append(hidden, items...)
		if _, ok := list.(*v1alpha1.ProjectList); ok {
			retailProjects = items
		}
	}
	if len(retailProjects) == 0 {
		t.Fatal("the samples have no project in retail")
	}
	noRetail := func(page string) {
		t.Helper()
		body := tb.Text(t, "body")
		for _, name := range hidden {
			if strings.Contains(body, name) {
				t.Errorf("the %s page shows %q to a viewer who may not see %s", page, name, retail)
			}
		}
		if n := len(tb.Links(t, fmt.Sprintf("a[href*=%q]", retail))) + len(tb.Texts(t, fmt.Sprintf("[data-object*=%q]", retail))); n != 0 {
			t.Errorf("the %s page has %d links or elements of %s objects", page, n, retail)
		}
	}

	tb.visit(t, org.url+"/", "organisation")
	noRetail("organisation")
	if hub := tb.Text(t, fmt.Sprintf("[data-object=%q]", hubID)); !strings.Contains(hub, "Withheld") {
		t.Errorf("the hub's figures are not withheld from a viewer who may not see retail: %q", hub)
	}
	if figures := tb.Texts(t, own(hubID, "[data-figure]")); len(figures) != 0 {
		t.Errorf("the hub shows figures %q that include retail", figures)
	}
	tb.follow(t, fmt.Sprintf("[data-object=%q]", hubID), hubName, "office")
	noRetail("office")
	tb.follow(t, "main", "digital-transformation", "portfolio")
	noRetail("portfolio")
	tb.follow(t, "main", "cloud-migration", "programme")
	noRetail("programme")
	tb.follow(t, "main", "erp-migration", "project")
	noRetail("project")

	for _, path := range []string{"/projects/" + retail + "/" + retailProjects[0], "/reports/Office/" + central + "/" + hubName + "/" + report.KeyJSON} {
		if status := tb.Open(t, org.url+path); status != http.StatusNotFound {
			t.Errorf("central-only visiting %s: %d, want 404", path, status)
		}
		noRetail("not found")
	}
	if status, _ := download(t, org.url+"/projects/"+retail+"/"+retailProjects[0], token); status != http.StatusNotFound {
		t.Errorf("the retail project answers %d to central-only, want 404", status)
	}
}

// names are the names of a list's items.
func names(t *testing.T, list client.ObjectList) []string {
	t.Helper()
	var out []string
	if err := meta.EachListItem(list, func(o runtime.Object) error {
		out = append(out, o.(client.Object).GetName())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// bearer sends a viewer's token with every request, as the
// organisation's single sign-on would.
type bearer string

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+string(b))
	return http.DefaultTransport.RoundTrip(r)
}

// download GETs url with a viewer's token, as a browser's download would.
func download(t *testing.T, url, token string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Transport: bearer(token), Timeout: 30 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body strings.Builder
	if _, err := io.Copy(&body, resp.Body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body.String()
}

// hubsEvidence checks the hub's page (open in tb) against the indicators
// of practice its live report.json publishes, row by row, and logs the
// section of its report.md that people read.
func hubsEvidence(t *testing.T, tb *tab, org *organisation) {
	t.Helper()
	e := org.report.Evidence
	if e == nil || len(e.Indicators) == 0 {
		t.Fatal("the hub's report.json has no evidence of practice")
	}
	if rows := tb.Texts(t, `[data-table="evidence"] tbody tr`); len(rows) != len(e.Indicators) {
		t.Errorf("the hub's page lists %d indicators, its report.json %d", len(rows), len(e.Indicators))
	}
	for _, i := range e.Indicators {
		if i.State == v1alpha1.EvidenceNotEvidenced {
			continue
		}
		want := []string{i.Title, fmt.Sprint(i.Numerator), fmt.Sprint(i.Denominator), "nothing in scope", "Not comparable"}
		if i.Percent != nil {
			want[3] = fmt.Sprintf("%d%%", *i.Percent)
		}
		if i.Trend != v1alpha1.EvidenceNotComparable {
			want[4] = string(i.Trend)
		}
		if got := tb.Texts(t, fmt.Sprintf(`[data-indicator=%q] td`, i.Indicator)); !slices.Equal(got, want) {
			t.Errorf("the hub's page reads %q for %s; its report.json says %q", got, i.Indicator, want)
		}
	}
	cm := &corev1.ConfigMap{}
	if err := org.admin.Get(t.Context(), client.ObjectKey{Namespace: central, Name: publish.Name("Office", hubName, "")}, cm); err != nil {
		t.Fatal(err)
	}
	md := cm.Data[report.KeyMarkdown]
	start := strings.Index(md, "## Evidence of practice")
	if start < 0 {
		t.Fatal("the hub's report.md has no evidence section")
	}
	section, _, _ := strings.Cut(md[start:], "\n## ")
	t.Logf("the hub's report.md, as printed:\n%s", section)
}
