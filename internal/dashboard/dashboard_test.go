/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
)

// wantFigures are the figures a page must show for a published rollup:
// its own words, the variance written as money.Display writes it.
func wantFigures(r v1alpha1.Rollup) map[string]string {
	return map[string]string{
		"health":      string(r.Health),
		"projects":    fmt.Sprint(r.Projects),
		"count-red":   fmt.Sprintf("%d Red", r.ByHealth.Red),
		"count-amber": fmt.Sprintf("%d Amber", r.ByHealth.Amber),
		"count-green": fmt.Sprintf("%d Green", r.ByHealth.Green),
		"budget":      r.Money.Display.Budget,
		"forecast":    r.Money.Display.Forecast,
		"variance":    money.Display(money.Value(r.Money.Variance)) + " " + string(r.Money.Currency),
	}
}

// checkFigures compares the figures shown in some HTML with a rollup's.
func checkFigures(t *testing.T, where, shown string, r v1alpha1.Rollup) {
	t.Helper()
	got, want := figuresIn(shown), wantFigures(r)
	// The health figure reads "■ Red": a mark, then the word.
	if h := got["health"]; strings.HasSuffix(h, " "+want["health"]) {
		got["health"] = want["health"]
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: figure %s is %q, the published status says %q", where, k, got[k], w)
		}
	}
}

// rollupsOf are the published rollups of the offices and portfolios, by
// the data-object id the pages mark them with.
func rollupsOf(objs []client.Object) map[string]v1alpha1.Rollup {
	out := map[string]v1alpha1.Rollup{}
	for _, o := range objs {
		switch o := o.(type) {
		case *v1alpha1.Office:
			out["Office/"+o.Namespace+"/"+o.Name] = o.Status.Rollup
		case *v1alpha1.Portfolio:
			out["Portfolio/"+o.Namespace+"/"+o.Name] = o.Status.Rollup
		}
	}
	return out
}

func TestAViewerAllowedEverythingSeesEveryOfficeWithItsFigures(t *testing.T) {
	org := organisation()
	srv := serve(t, allowIn(central, retail), org...)
	body := page(t, srv, "/")
	rollups := rollupsOf(org)
	for id, r := range rollups {
		checkFigures(t, "organisation page, "+id, node(t, body, id), r)
	}
	if got, want := len(objectsOn(body)), len(rollups); got != want {
		t.Errorf("the organisation page marks %d objects %v, want the %d offices and portfolios", got, objectsOn(body), want)
	}
	if strings.Contains(body, "Withheld") || strings.Contains(body, "hidden from you") {
		t.Errorf("a viewer who may see everything is told something is withheld:\n%s", text(body))
	}
	hub := page(t, srv, "/offices/central/hq")
	checkFigures(t, "hub office page", hub, rollups["Office/central/hq"])
	for _, file := range []string{report.KeyJSON, report.KeyMarkdown, report.KeyCSV} {
		if !strings.Contains(hub, `href="/reports/Office/central/hq/`+file+`"`) {
			t.Errorf("the hub's page offers no download of %s", file)
		}
	}
	a := get(t, srv.Client(), srv.URL+"/reports/Office/central/hq/report.json")
	if want := liveReport("Office", central, "hq").Data[report.KeyJSON]; a.status != http.StatusOK || a.body != want {
		t.Errorf("downloading the hub's report.json: %d %q, want 200 %q", a.status, a.body, want)
	}
}

// retailWords are what no page may show a viewer who may not see retail:
// its namespace, the names of its objects and their own figures.
var retailWords = []string{"retail", "shopfront", "1.12M EUR", "1.23M EUR"}

// centralPages are the pages of objects in central.
var centralPages = []string{"/", "/offices/central/hq", "/offices/central/hq?sort=health", "/offices/central/hq?health=Red",
	"/portfolios/central/group-change", "/programmes/central/cloud-move", "/projects/central/erp-move", "/projects/central/web-portal"}

func TestAViewerDeniedANamespaceNeverSeesItsObjects(t *testing.T) {
	org := organisation()
	everyone := serve(t, allowIn(central, retail), org...)
	centralOnly := serve(t, allowIn(central), org...)

	// Everyone sees retail somewhere among these pages, so that a page
	// leaving it out for the other viewer is telling.
	var all strings.Builder
	for _, path := range centralPages {
		all.WriteString(page(t, everyone, path))
	}
	for _, w := range retailWords {
		if !strings.Contains(all.String(), w) {
			t.Fatalf("the pages show %q to no one: the check below could not fail", w)
		}
	}
	for _, path := range centralPages {
		body := page(t, centralOnly, path)
		for _, w := range retailWords {
			if strings.Contains(strings.ToLower(body), strings.ToLower(w)) {
				t.Errorf("%s shows %q to a viewer who may not see retail", path, w)
			}
		}
	}

	// The hub's figures include retail's: withheld, not recomputed; the
	// central portfolio's include nothing of retail: shown.
	org0 := page(t, centralOnly, "/")
	hub := node(t, org0, "Office/central/hq")
	if !strings.Contains(hub, "Withheld") {
		t.Errorf("the hub's figures are not said to be withheld:\n%s", text(hub))
	}
	if f := figuresIn(hub); len(f) != 0 {
		t.Errorf("the hub shows figures %v that include retail", f)
	}
	checkFigures(t, "central portfolio", node(t, org0, "Portfolio/central/group-change"), rollupsOf(org)["Portfolio/central/group-change"])
	hubPage := page(t, centralOnly, "/offices/central/hq")
	hq := rollupsOf(org)["Office/central/hq"]
	for _, figure := range []string{hq.Money.Display.Budget, hq.Money.Display.Forecast} {
		if strings.Contains(hubPage, figure) || strings.Contains(org0, figure) {
			t.Errorf("the hub's figure %q is shown to a viewer who may not see all it includes", figure)
		}
	}
	if !strings.Contains(hubPage, "Withheld") || strings.Contains(hubPage, "/reports/") {
		t.Errorf("the hub's page does not withhold its figures and reports:\n%s", text(hubPage))
	}

	// A hidden object answers as a missing one does, byte for byte.
	for _, hidden := range []string{"/projects/retail/shopfront-refit", "/offices/retail/retail-pmo", "/portfolios/retail/retail-growth"} {
		missing := hidden[:strings.LastIndex(hidden, "/")] + "/no-such-object"
		h, m := get(t, centralOnly.Client(), centralOnly.URL+hidden), get(t, centralOnly.Client(), centralOnly.URL+missing)
		if h.status != http.StatusNotFound || h.status != m.status || h.body != m.body {
			t.Errorf("%s answers %d, a missing object %d; bodies equal: %v", hidden, h.status, m.status, h.body == m.body)
		}
		if a := get(t, everyone.Client(), everyone.URL+hidden); a.status != http.StatusOK {
			t.Errorf("%s answers %d to a viewer who may see it, want 200", hidden, a.status)
		}
	}

	// The hub's reports list retail's projects: no download.
	for _, path := range []string{"/reports/Office/central/hq/report.json", "/reports/Office/central/hq/report.md",
		"/reports/Office/central/hq/projects.csv", "/reports/Portfolio/retail/retail-growth/report.json"} {
		if a := get(t, centralOnly.Client(), centralOnly.URL+path); a.status != http.StatusNotFound {
			t.Errorf("%s answers %d to a viewer who may not see retail, want 404", path, a.status)
		}
		if a := get(t, everyone.Client(), everyone.URL+path); a.status != http.StatusOK {
			t.Errorf("%s answers %d to a viewer who may see everything, want 200", path, a.status)
		}
	}
}

func TestReportsNeedConfigMapsToo(t *testing.T) {
	a := allowIn(central, retail)
	delete(a, "configmaps/"+central)
	srv := serve(t, a, organisation()...)
	hub := page(t, srv, "/offices/central/hq")
	checkFigures(t, "hub office page", hub, rollupsOf(organisation())["Office/central/hq"])
	if strings.Contains(hub, "/reports/") {
		t.Errorf("the hub's page offers reports to a viewer who may not list ConfigMaps in central")
	}
	if got := get(t, srv.Client(), srv.URL+"/reports/Office/central/hq/report.json"); got.status != http.StatusNotFound {
		t.Errorf("the hub's report.json answers %d to a viewer who may not list ConfigMaps in central, want 404", got.status)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	srv := serve(t, allowIn(central, retail), organisation()...)
	unauthenticated := serveWith(t, &Server{Authn: &TokenReviews{Client: reviewer(t, &reviews{})}, Authz: allowIn(central)}, organisation()...)
	for _, c := range []struct {
		url    string
		status int
	}{
		{srv.URL + "/", http.StatusOK},
		{srv.URL + "/offices/central/hq", http.StatusOK},
		{srv.URL + "/projects/central/erp-move", http.StatusOK},
		{srv.URL + "/static/dashboard.css", http.StatusOK},
		{srv.URL + "/healthz", http.StatusOK},
		{srv.URL + "/reports/Office/central/hq/report.json", http.StatusOK},
		{srv.URL + "/projects/central/no-such-project", http.StatusNotFound},
		{srv.URL + "/no/such/page", http.StatusNotFound},
		{unauthenticated.URL + "/", http.StatusUnauthorized},
	} {
		a := get(t, srv.Client(), c.url)
		if a.status != c.status {
			t.Errorf("GET %s: %d, want %d", c.url, a.status, c.status)
		}
		csp := a.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
			t.Errorf("GET %s: Content-Security-Policy %q, want default-src 'none' and no script-src", c.url, csp)
		}
		if got := a.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", c.url, got)
		}
		if got := a.header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("GET %s: Referrer-Policy %q, want no-referrer", c.url, got)
		}
	}
}

func TestLocalSessionLetsThroughOnlyItsSecret(t *testing.T) {
	const secret = "0123456789abcdef"
	dashboard := serve(t, Trusted{}, organisation()...)
	srv := serveHandler(t, LocalSession(secret, dashboard.Config.Handler))
	c := withCookies(t, srv)

	for _, path := range []string{"/", "/offices/central/hq", "/?session=not-the-secret", "/reports/Office/central/hq/report.json"} {
		a := get(t, c, srv.URL+path)
		if a.status != http.StatusUnauthorized || strings.Contains(a.body, "hq") {
			t.Errorf("GET %s without the secret: %d %q, want 401 and nothing of the organisation", path, a.status, a.body)
		}
	}
	a := get(t, c, srv.URL+"/offices/central/hq?sort=health&session="+secret)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/offices/central/hq?sort=health" {
		t.Fatalf("GET with ?session=secret: %d to %q, want 303 to the same page without the secret", a.status, a.header.Get("Location"))
	}
	cookie := a.header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("the session cookie %q lacks %s", cookie, attr)
		}
	}
	for _, path := range []string{"/", "/offices/central/hq?sort=health"} {
		a := get(t, c, srv.URL+path)
		if a.status != http.StatusOK || !strings.Contains(a.body, "hq") {
			t.Errorf("GET %s with the session cookie: %d, want 200 and the page", path, a.status)
		}
	}
	other := get(t, srv.Client(), srv.URL+"/", "Cookie", sessionCookie+"=not-the-secret")
	if other.status != http.StatusUnauthorized {
		t.Errorf("GET / with another cookie value: %d, want 401", other.status)
	}
}

func TestReviewsAreAskedOncePerTTL(t *testing.T) {
	counts := &reviews{users: map[string]string{"alice-token": "alice", "bob-token": "bob"}}
	c := reviewer(t, counts)
	clock := asOf
	now := func() time.Time { return clock }
	srv := serveWith(t, &Server{Authn: &TokenReviews{Client: c, TTL: time.Minute, now: now},
		Authz: &SubjectAccessReviews{Client: c, TTL: time.Minute, now: now}}, organisation()...)
	open := func(token string) answer {
		t.Helper()
		return get(t, srv.Client(), srv.URL+"/", "Authorization", "Bearer "+token)
	}

	if a := open("alice-token"); a.status != http.StatusOK || !strings.Contains(a.body, "alice") {
		t.Fatalf("alice's first request: %d, want 200 signed in as alice", a.status)
	}
	tokens, access := counts.counts()
	if tokens != 1 || access == 0 {
		t.Fatalf("the first request made %d TokenReviews and %d SubjectAccessReviews, want 1 and some", tokens, access)
	}
	clock = clock.Add(59 * time.Second)
	open("alice-token")
	if tk, ac := counts.counts(); tk != tokens || ac != access {
		t.Errorf("a second request within the TTL made %d TokenReviews and %d SubjectAccessReviews more, want none", tk-tokens, ac-access)
	}
	if a := open("bob-token"); a.status != http.StatusOK || !strings.Contains(a.body, "bob") {
		t.Errorf("bob's request: %d, want 200 signed in as bob", a.status)
	}
	if tk, ac := counts.counts(); tk != tokens+1 || ac != 2*access {
		t.Errorf("another viewer made %d TokenReviews and %d SubjectAccessReviews, want 1 and %d of their own", tk-tokens, ac-access, access)
	}
	clock = clock.Add(2 * time.Second)
	open("alice-token")
	if tk, ac := counts.counts(); tk != tokens+2 || ac != 3*access {
		t.Errorf("after the TTL alice's request made %d TokenReviews and %d SubjectAccessReviews, want 1 and %d", tk-tokens-1, ac-2*access, access)
	}
	if a := open("forged-token"); a.status != http.StatusUnauthorized || strings.Contains(a.body, "data-object") {
		t.Errorf("a token the API server does not know: %d, want 401 and no organisation", a.status)
	}
}

// rowsOf are the children a parent page's table lists, as "name health",
// and the page's links by their words.
func rowsOf(t *testing.T, body string) (rows []string, links map[string]string) {
	t.Helper()
	_, section, ok := strings.Cut(body, `id="children"`)
	if !ok {
		t.Fatalf("no children section:\n%s", body)
	}
	section, _, _ = strings.Cut(section, "</section>")
	links = map[string]string{}
	for _, m := range linkHook.FindAllStringSubmatch(section, -1) {
		links[text(m[2])] = html.UnescapeString(m[1])
	}
	_, tbody, _ := strings.Cut(section, "<tbody>")
	tbody, _, _ = strings.Cut(tbody, "</tbody>")
	for _, tr := range strings.Split(tbody, "<tr")[1:] {
		name := childHook.FindStringSubmatch(tr)
		h := healthHook.FindStringSubmatch(tr)
		if name == nil || h == nil {
			t.Fatalf("a row without a child or a health: %s", tr)
		}
		rows = append(rows, name[1]+" "+h[1])
	}
	return rows, links
}

func TestChildrenTableFiltersSortsAndPages(t *testing.T) {
	const n = 60
	objs := []client.Object{&v1alpha1.Programme{ObjectMeta: objectMeta(central, "big")}}
	want := map[v1alpha1.Health][]string{}
	healths := []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthRed, v1alpha1.HealthAmber}
	for i := range n {
		p := project(central, fmt.Sprintf("p-%02d", i), healths[i%len(healths)])
		p.Spec.ProgrammeRef = refp("big", "")
		objs = append(objs, p)
		want[p.Status.Health] = append(want[p.Status.Health], p.Name+" "+strings.ToLower(string(p.Status.Health)))
	}
	srv := serve(t, allowIn(central), objs...)
	const base = "/programmes/central/big"

	first, links := rowsOf(t, page(t, srv, base))
	if len(first) != pageSize {
		t.Errorf("page 1 lists %d children, want %d", len(first), pageSize)
	}
	next, ok := links["Next page"]
	if !ok {
		t.Fatalf("page 1 of %d children has no link to the next page; links: %v", n, links)
	}
	second, links2 := rowsOf(t, page(t, srv, base+next))
	if len(first)+len(second) != n {
		t.Errorf("pages 1 and 2 list %d and %d children, want %d in all", len(first), len(second), n)
	}
	all := append(slices.Clone(first), second...)
	slices.Sort(all)
	if len(slices.Compact(all)) != n {
		t.Errorf("pages 1 and 2 repeat children: %v", all)
	}
	back, ok := links2["First page"]
	if !ok {
		t.Fatalf("page 2 has no link to page 1; links: %v", links2)
	}
	if again, _ := rowsOf(t, page(t, srv, base+back)); !slices.Equal(again, first) {
		t.Errorf("following page 2's link to page 1 lists %v, want %v", again, first)
	}

	for _, h := range healths {
		rows, _ := rowsOf(t, page(t, srv, base+"?health="+string(h)))
		if !slices.Equal(rows, want[h]) {
			t.Errorf("filtered by health %s the table lists %v, want %v", h, rows, want[h])
		}
	}

	sorted, links := rowsOf(t, page(t, srv, base+"?sort=health"))
	rest, _ := rowsOf(t, page(t, srv, base+links["Next page"]))
	wantSorted := slices.Concat(want[v1alpha1.HealthRed], want[v1alpha1.HealthAmber], want[v1alpha1.HealthGreen])
	if got := append(sorted, rest...); !slices.Equal(got, wantSorted) {
		t.Errorf("sorted by health, worst first, the two pages list %v, want %v", got, wantSorted)
	}
}

// A project's page lists its dependencies, linking to a provider the
// viewer may see, with the state, cause and what it rests on.
func TestProjectPageListsDependencies(t *testing.T) {
	srv := serve(t, allowIn(central, retail), organisation()...)
	body := page(t, srv, "/projects/central/erp-move")
	for _, want := range []string{`<h2 id="dependencies">`, `<a href="/projects/central/web-portal">central/web-portal</a>`, "2027-03-01",
		"AtRisk (ForecastLate)", "it is forecast to end 2027-04-30"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page of erp-move lacks %q", want)
		}
	}
	if body := page(t, srv, "/projects/central/web-portal"); !strings.Contains(body, "It depends on no other project or programme.") {
		t.Errorf("the page of web-portal does not say it depends on nothing")
	}
}

// A snapshot asked for by a suffix that makes the name of another
// object's report ("hq" + "-report-x-report" is the live report of an
// office "hq-report-x") is not served: only the object's own reports are.
func TestADownloadServesOnlyTheObjectsOwnReports(t *testing.T) {
	other := liveReport("Office", central, "hq-report-x")
	other.Data[report.KeyJSON] = `{"kind":"Office","name":"hq-report-x"}`
	srv := serve(t, allowIn(central, retail), append(organisation(), other)...)
	if name := publish.Name("Office", "hq", "x-report"); name != other.Name {
		t.Fatalf("the names no longer collide (%s, %s): the test needs another suffix", name, other.Name)
	}
	a := get(t, srv.Client(), srv.URL+"/reports/Office/central/hq/report.json?snapshot=x-report")
	if a.status != http.StatusNotFound || strings.Contains(a.body, "hq-report-x") {
		t.Errorf("another office's report served as hq's snapshot: %d %q", a.status, a.body)
	}
	if a := get(t, srv.Client(), srv.URL+"/reports/Office/central/hq/report.json"); a.status != http.StatusOK {
		t.Errorf("hq's own live report: %d", a.status)
	}
}

// A project's page lists its tolerance exceptions by kind in PRINCE2's
// words, and its threats and opportunities apart, as its status and spec
// hold them.
func TestProjectPageListsExceptionsByKindAndRisksApart(t *testing.T) {
	objs := organisation()
	for _, o := range objs {
		if p, ok := o.(*v1alpha1.Project); ok && p.Name == "erp-move" {
			p.Status.ToleranceExceptions = []v1alpha1.ToleranceException{
				{Kind: v1alpha1.ExceptionCostOverrun, Health: v1alpha1.HealthRed, Message: "cost forecast 1.45M exceeds budget 1.2M beyond 10% tolerance"},
				{Kind: v1alpha1.ExceptionUnderspend, Health: v1alpha1.HealthAmber, Message: "spent <less>"},
			}
			p.Spec.Risks = []v1alpha1.Risk{
				{Name: "T-1", Probability: 3, Impact: 4, Response: v1alpha1.ResponseFallback},
				{Name: "O-1", Kind: v1alpha1.RiskOpportunity, Probability: 4, Impact: 4, Proximity: "2027-01-31", Response: v1alpha1.ResponseExploit},
			}
			p.Status.Risks = v1alpha1.RiskSummary{Open: 1, Exposure: 12, Opportunities: 1, OpportunityExposure: 16}
		}
	}
	gate := int32(3)
	objs = append(objs, &v1alpha1.GatewayReview{ObjectMeta: objectMeta(central, "erp-move-gate-3"), Spec: v1alpha1.GatewayReviewSpec{
		SubjectRef: v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: v1alpha1.ParentReference{Name: "erp-move"}},
		Gate:       &gate, Date: "2026-10-14", Findings: &v1alpha1.Findings{DeliveryConfidence: v1alpha1.ConfidenceAmber, Scale: v1alpha1.ConfidenceScaleThreePoint}}})
	srv := serve(t, allowIn(central, retail), objs...)
	body := page(t, srv, "/projects/central/erp-move")
	for _, want := range []string{`<h2 id="exceptions">Exceptions</h2>`, "</strong> (rated on the ThreePoint scale): ",
		`<tr data-exception="CostOverrun"><td>Cost overrun beyond tolerance</td>`,
		`<tr data-exception="Underspend"><td>Underspend beyond tolerance</td>`, "spent &lt;less&gt;",
		"Open threats: 1, exposure 12. Open opportunities: 1, exposure 16.",
		"<td>T-1</td><td>Threat</td><td>12</td><td></td><td></td><td>Prepare</td>",
		"<td>O-1</td><td>Opportunity</td><td>16</td><td>2027-01-31</td><td></td><td>Exploit</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page of erp-move lacks %q", want)
		}
	}
	if body := page(t, srv, "/projects/central/web-portal"); !strings.Contains(body, "No forecast is beyond tolerance.") {
		t.Errorf("the page of web-portal does not say no forecast is beyond tolerance")
	}
}
