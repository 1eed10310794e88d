/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance/governancetest"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
)

// The test organisation: a hub office in central with a satellite in
// retail, a portfolio under each, a programme and two projects in central
// and one project in retail. Every object carries the status the operator
// would have published; the dashboard must show it as it is.
const (
	central = "central"
	retail  = "retail"
)

// asOf is the clock of every test server, so that two answers can be
// compared byte for byte.
var asOf = time.Date(2026, 10, 20, 9, 30, 0, 0, time.UTC)

func objectMeta(namespace, name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: namespace, Name: name}
}

func parentRef(name, namespace string) v1alpha1.ParentReference {
	return v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name), Namespace: v1alpha1.Namespace(namespace)}
}

func refp(name, namespace string) *v1alpha1.ParentReference {
	r := parentRef(name, namespace)
	return &r
}

// rollup is a published rollup of projects by health, with money totals.
func rollup(h v1alpha1.Health, counts v1alpha1.HealthCounts, budget, forecast, variance v1alpha1.Amount, display v1alpha1.MoneyDisplay) v1alpha1.Rollup {
	return v1alpha1.Rollup{Health: h, Projects: counts.Red + counts.Amber + counts.Green + counts.Unknown, ByHealth: counts,
		Money: v1alpha1.MoneySummary{Currency: "EUR", Budget: budget, ForecastCost: forecast, Variance: variance, Display: display}}
}

func project(namespace, name string, h v1alpha1.Health, reasons ...string) *v1alpha1.Project {
	p := &v1alpha1.Project{ObjectMeta: objectMeta(namespace, name)}
	p.Status.Health, p.Status.HealthReasons, p.Status.Currency = h, reasons, "EUR"
	return p
}

// organisation is the test organisation.
func organisation() []client.Object {
	hq := &v1alpha1.Office{ObjectMeta: objectMeta(central, "hq"), Spec: v1alpha1.OfficeSpec{Type: v1alpha1.OfficeTypePortfolioOffice, Currency: "EUR",
		AllowedChildren: v1alpha1.AllowedChildren{Namespaces: &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}}}}
	hq.Status.Rollup = rollup(v1alpha1.HealthRed, v1alpha1.HealthCounts{Red: 2, Green: 1}, "3715000", "4180000", "465000",
		v1alpha1.MoneyDisplay{Budget: "3.72M EUR", Forecast: "4.18M EUR"})
	hq.Status.Rollup.Programmes = 1

	satellite := &v1alpha1.Office{ObjectMeta: objectMeta(retail, "retail-pmo"), Spec: v1alpha1.OfficeSpec{Type: v1alpha1.OfficeTypeSatellite, HubRef: refp("hq", central)}}
	satellite.Status.Rollup = rollup(v1alpha1.HealthRed, v1alpha1.HealthCounts{Red: 1}, "1115000", "1230000", "115000",
		v1alpha1.MoneyDisplay{Budget: "1.12M EUR", Forecast: "1.23M EUR"})

	group := &v1alpha1.Portfolio{ObjectMeta: objectMeta(central, "group-change"), Spec: v1alpha1.PortfolioSpec{OfficeRef: parentRef("hq", "")}}
	group.Status.Rollup = rollup(v1alpha1.HealthRed, v1alpha1.HealthCounts{Red: 1, Green: 1}, "2600000", "2950000", "350000",
		v1alpha1.MoneyDisplay{Budget: "2.6M EUR", Forecast: "2.95M EUR"})
	group.Status.Rollup.Programmes = 1
	group.Status.Currency, group.Status.Committed, group.Status.Display.Committed = "EUR", "2600000", "2.6M EUR"
	group.Status.Strategy = groupStrategy()
	over, within := true, false
	group.Spec.CapacityByYear = []v1alpha1.YearAmount{{Year: 2026, Amount: yearAmount("1M")}, {Year: 2027, Amount: yearAmount("2M")}}
	group.Status.CommittedByYear = []v1alpha1.YearCommitment{
		{Year: 2026, Committed: "1200000", Display: v1alpha1.MoneyDisplay{Capacity: "1M EUR", Committed: "1.2M EUR"}, OverCommitted: &over},
		{Year: 2027, Committed: "900000", Display: v1alpha1.MoneyDisplay{Capacity: "2M EUR", Committed: "900k EUR"}, OverCommitted: &within},
		{Year: 2028, Committed: "500000", Display: v1alpha1.MoneyDisplay{Committed: "500k EUR"}},
	}

	growth := &v1alpha1.Portfolio{ObjectMeta: objectMeta(retail, "retail-growth"), Spec: v1alpha1.PortfolioSpec{OfficeRef: parentRef("retail-pmo", "")}}
	growth.Status.Rollup = satellite.Status.Rollup

	cloud := &v1alpha1.Programme{ObjectMeta: objectMeta(central, "cloud-move"), Spec: v1alpha1.ProgrammeSpec{PortfolioRef: parentRef("group-change", "")}}
	cloud.Status.Health = v1alpha1.HealthRed
	cloud.Spec.Category, cloud.Spec.Priority, cloud.Status.Score = "Infrastructure", 2, new(int32(67))
	cloud.Status.Rollup = rollup(v1alpha1.HealthRed, v1alpha1.HealthCounts{Red: 1}, "1200000", "1450000", "250000",
		v1alpha1.MoneyDisplay{Budget: "1.2M EUR", Forecast: "1.45M EUR"})

	erp := project(central, "erp-move", v1alpha1.HealthRed, "cost forecast 1.45M exceeds budget 1.2M beyond 10% tolerance")
	erp.Spec.ProgrammeRef = refp("cloud-move", "")
	erp.Status.Display = v1alpha1.MoneyDisplay{Budget: "1.2M EUR", Forecast: "1.45M EUR"}
	erp.Status.CostVariance = "250000"

	erp.Status.Dependencies = []v1alpha1.DependencyStatus{{Kind: v1alpha1.SubjectKindProject,
		Provider: v1alpha1.ObjectReference{Namespace: central, Name: "web-portal"}, NeededBy: "2027-03-01",
		State: v1alpha1.DependencyAtRisk, Cause: v1alpha1.CauseForecastLate, ProviderForecastEnd: "2027-04-30", Impact: v1alpha1.HealthAmber}}

	portal := project(central, "web-portal", v1alpha1.HealthGreen)
	portal.Spec.PortfolioRef = refp("group-change", "")
	portal.Spec.Category, portal.Status.Score = "Customer", new(int32(33))

	shop := project(retail, "shopfront-refit", v1alpha1.HealthRed, "cost forecast 1.23M exceeds budget 1.115M beyond 10% tolerance")
	shop.Spec.PortfolioRef = refp("retail-growth", "")

	return []client.Object{hq, satellite, group, growth, cloud, erp, portal, shop,
		liveReport("Office", central, "hq"), liveReport("Portfolio", retail, "retail-growth")}
}

// groupStrategy is the priorities and balance the central portfolio
// publishes: its programme and direct project ranked, its committed
// 2.6M EUR by category and by objective, one of each weight.
func groupStrategy() v1alpha1.PortfolioStrategy {
	return v1alpha1.PortfolioStrategy{
		Ranking: []v1alpha1.RankedWork{
			{Kind: v1alpha1.SubjectKindProgramme, Namespace: central, Name: "cloud-move", Rank: 1, Score: new(int32(67)), Priority: 2},
			{Kind: v1alpha1.SubjectKindProject, Namespace: central, Name: "web-portal", Rank: 2, Score: new(int32(33))},
		},
		Ranked: 2,
		ByCategory: []v1alpha1.BalanceLine{
			{Name: "Infrastructure", Committed: "1200000", ActualPercent: new(int32(46)), TargetPercent: new(int32(30)), Weight: v1alpha1.BalanceOverWeight},
			{Name: "Customer", Committed: "1400000", ActualPercent: new(int32(54)), TargetPercent: new(int32(50)), Weight: v1alpha1.BalanceBalanced},
			{Name: "Compliance", Committed: "0", ActualPercent: new(int32(0)), TargetPercent: new(int32(20)), Weight: v1alpha1.BalanceUnderWeight},
		},
		ByObjective: []v1alpha1.BalanceLine{
			{Name: "Resilience", Committed: "1200000", ActualPercent: new(int32(46)), TargetPercent: new(int32(50)), Weight: v1alpha1.BalanceBalanced},
			{Name: "Growth", Committed: "1050000", ActualPercent: new(int32(40)), Weight: v1alpha1.BalanceNoTarget},
		},
		Unaligned:             "350000",
		ObjectivesWithoutWork: []string{"Sustainability"},
		UnalignedWork:         1,
	}
}

// withRetailChild is the organisation with a project in retail ranked in
// the central portfolio, which admits children from every namespace.
func withRetailChild() []client.Object {
	org := organisation()
	for _, o := range org {
		if g, ok := o.(*v1alpha1.Portfolio); ok && g.Name == "group-change" {
			g.Spec.AllowedChildren = v1alpha1.AllowedChildren{Namespaces: &v1alpha1.ChildNamespaces{From: v1alpha1.NamespacesFromAll}}
			g.Status.Strategy.Ranking = append(g.Status.Strategy.Ranking,
				v1alpha1.RankedWork{Kind: v1alpha1.SubjectKindProject, Namespace: retail, Name: "kiosk-pilot", Rank: 3, Score: new(int32(0))})
			g.Status.Strategy.Ranked = 3
		}
	}
	kiosk := project(retail, "kiosk-pilot", v1alpha1.HealthGreen)
	kiosk.Spec.PortfolioRef = refp("group-change", central)
	kiosk.Spec.Category = "Customer"
	return append(org, kiosk)
}

// liveReport is an object's live report ConfigMap.
func liveReport(kind, namespace, name string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: publish.Name(kind, name, ""), Labels: publish.Labels(kind, name, "live")},
		Data: map[string]string{
			report.KeyJSON:     fmt.Sprintf(`{"kind":%q,"namespace":%q,"name":%q}`, kind, namespace, name),
			report.KeyMarkdown: "# " + kind + " " + name + "\n",
			report.KeyCSV:      "namespace,name\n",
		},
	}
}

// allowed is a fake Authorizer: the resources a viewer may list, as
// "resource/namespace".
type allowed map[string]bool

// MayList implements Authorizer.
func (a allowed) MayList(_ context.Context, _ Viewer, _, resource, namespace string) (bool, error) {
	return a[resource+"/"+namespace], nil
}

// allowIn lets a viewer list every kind the dashboard shows, and
// ConfigMaps, in the namespaces given.
func allowIn(namespaces ...string) allowed {
	a := allowed{}
	for _, ns := range namespaces {
		for _, resource := range resources {
			a[resource+"/"+ns] = true
		}
		a["configmaps/"+ns] = true
	}
	return a
}

// serve serves the dashboard over objs to one viewer whom authz decides
// for.
func serve(t *testing.T, authz Authorizer, objs ...client.Object) *httptest.Server {
	t.Helper()
	return serveWith(t, &Server{Authn: Trusted{Name: "viewer"}, Authz: authz}, objs...)
}

// serveWith serves s, reading from a fake client holding objs, on
// 127.0.0.1 until the test ends.
func serveWith(t *testing.T, s *Server, objs ...client.Object) *httptest.Server {
	t.Helper()
	s.Source = NewSource(governancetest.NewClient(t, objs...), func() time.Time { return asOf })
	s.Now = func() time.Time { return asOf }
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// answer is one response, read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// get sends a GET with the headers given (name, value, ...).
func get(t *testing.T, c *http.Client, url string, headers ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// page GETs a page that must answer 200.
func page(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	a := get(t, srv.Client(), srv.URL+path)
	if a.status != http.StatusOK {
		t.Fatalf("GET %s: %d, want 200:\n%s", path, a.status, a.body)
	}
	return a.body
}

var (
	tags       = regexp.MustCompile(`<[^>]*>`)
	spaces     = regexp.MustCompile(`\s+`)
	figureHook = regexp.MustCompile(`(?s)data-figure="([a-z-]+)"><dt>[^<]*</dt><dd>(.*?)</dd>`)
	countHook  = regexp.MustCompile(`data-count="([a-z]+)">([^<]*)<`)
	objectHook = regexp.MustCompile(`data-object="([^"]+)"`)
)

// text is what a reader sees of some HTML: its text, spaces collapsed.
func text(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(html.UnescapeString(tags.ReplaceAllString(s, " ")), " "))
}

// node is the part of a page that belongs to the object marked
// data-object=id, up to the next object marked.
func node(t *testing.T, body, id string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `data-object="`+id+`"`)
	if !ok {
		t.Fatalf("no element data-object=%q on the page:\n%s", id, body)
	}
	if i := strings.Index(rest, "data-object="); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// figuresIn are the figures (data-figure) and counts by health
// (data-count) shown in some HTML, as read.
func figuresIn(s string) map[string]string {
	out := map[string]string{}
	for _, m := range figureHook.FindAllStringSubmatch(s, -1) {
		out[m[1]] = text(m[2])
	}
	for _, m := range countHook.FindAllStringSubmatch(s, -1) {
		out["count-"+m[1]] = text(m[2])
	}
	return out
}

// objectsOn are the objects a page marks (data-object).
func objectsOn(body string) []string {
	var out []string
	for _, m := range objectHook.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

var (
	linkHook   = regexp.MustCompile(`<a href="([^"]*)"[^>]*>(.*?)</a>`)
	childHook  = regexp.MustCompile(`<a href="/[a-z]+/[a-z0-9-]+/([a-z0-9-]+)"`)
	healthHook = regexp.MustCompile(`health-(red|amber|green|unknown)`)
)

// serveHandler serves h on 127.0.0.1 until the test ends.
func serveHandler(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// withCookies is a client of srv that keeps cookies and does not follow
// redirects, so that a test sees them.
func withCookies(t *testing.T, srv *httptest.Server) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := *srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// reviews answers TokenReviews (users maps a token to its user; any
// other token is not authenticated) and SubjectAccessReviews (all
// allowed), counting each.
type reviews struct {
	users          map[string]string
	mu             sync.Mutex
	tokens, access int
}

func (r *reviews) counts() (tokens, access int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tokens, r.access
}

// reviewer is a fake API client that answers reviews as r says.
func reviewer(t *testing.T, r *reviews) client.Client {
	t.Helper()
	return fake.NewClientBuilder().WithScheme(governancetest.Scheme(t)).WithInterceptorFuncs(interceptor.Funcs{
		Create: func(_ context.Context, _ client.WithWatch, obj client.Object, _ ...client.CreateOption) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			switch o := obj.(type) {
			case *authenticationv1.TokenReview:
				r.tokens++
				if name, ok := r.users[o.Spec.Token]; ok {
					o.Status.Authenticated, o.Status.User = true, authenticationv1.UserInfo{Username: name, UID: name + "-uid"}
				}
			case *authorizationv1.SubjectAccessReview:
				r.access++
				o.Status.Allowed = o.Spec.User != ""
			default:
				return fmt.Errorf("unexpected create of %T", obj)
			}
			return nil
		},
	}).Build()
}
