package browsertest

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

const style = `body { font-family: sans-serif; color: #1a1a1a; background: #fff; margin: 2rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #555; padding: 0.25rem 0.5rem; }
`

// accessible is a small page like the dashboard's: landmarks, a heading, a
// table of figures, and nothing axe-core objects to.
const accessible = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Portfolio overview</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><p>p3o-operator</p></header>
<main>
<h1>Portfolio overview</h1>
<p>Projects in total: <strong id="total">42</strong></p>
<table>
<caption>Projects by gate</caption>
<thead><tr><th scope="col">Gate</th><th scope="col">Projects</th></tr></thead>
<tbody>
<tr><th scope="row">Gate 1</th><td class="count">30</td></tr>
<tr><th scope="row">Gate 2</th><td class="count">12</td></tr>
<tr hidden><th scope="row">Gate 3</th><td class="count">hidden</td></tr>
</tbody>
</table>
<p><a href="broken">The broken page</a></p>
</main>
</body>
</html>
`

// broken breaks two rules: an image without alternative text and a button
// without a name.
const broken = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<main>
<h1>Broken</h1>
<img id="logo" src="/logo.png">
<button id="refresh"></button>
</main>
</body>
</html>
`

// strict is served with a Content-Security-Policy that allows no script at
// all: its inline script must not run, yet axe-core must, and find the image
// without alternative text.
const strict = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Strict</title>
<link rel="stylesheet" href="/style.css">
<script>document.title = "the inline script ran";</script>
</head>
<body>
<main>
<h1>Strict</h1>
<img id="chart" src="/chart.png">
</main>
</body>
</html>
`

const strictCSP = "default-src 'none'; style-src 'self'"

// server serves the pages above and records the Authorization header of
// every request. /private answers 401 without "Bearer s3cret".
type server struct {
	mu   sync.Mutex
	auth map[string][]string // path → Authorization headers seen
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.auth == nil {
		s.auth = map[string][]string{}
	}
	s.auth[r.URL.Path] = append(s.auth[r.URL.Path], r.Header.Get("Authorization"))
	s.mu.Unlock()

	page := func(csp, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		fmt.Fprint(w, body)
	}
	switch r.URL.Path {
	case "/":
		page("", accessible)
	case "/broken":
		page("", broken)
	case "/strict":
		page(strictCSP, strict)
	case "/private":
		if r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		page(strictCSP, accessible)
	case "/style.css":
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, style)
	default:
		http.NotFound(w, r)
	}
}

func (s *server) authSeen(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.auth[path])
}

func ids(violations []Violation) []string {
	var out []string
	for _, v := range violations {
		out = append(out, v.ID)
	}
	return out
}

func find(violations []Violation, id string) (Violation, bool) {
	for _, v := range violations {
		if v.ID == id {
			return v, true
		}
	}
	return Violation{}, false
}

func TestAccessiblePage(t *testing.T) {
	srv := Serve(t, &server{})
	b := New(t)
	if status := b.Open(t, srv.URL+"/"); status != http.StatusOK {
		t.Fatalf("status %d, want 200", status)
	}

	if got := b.Text(t, "#total"); got != "42" {
		t.Errorf("Text(#total) = %q, want 42", got)
	}
	if got := b.Text(t, "h1"); got != "Portfolio overview" {
		t.Errorf("Text(h1) = %q", got)
	}
	// The hidden row shows no text.
	if got, want := b.Texts(t, "td.count"), []string{"30", "12", ""}; !slices.Equal(got, want) {
		t.Errorf("Texts(td.count) = %q, want %q", got, want)
	}
	if got := b.Texts(t, ".nothing"); len(got) != 0 {
		t.Errorf("Texts(.nothing) = %q, want none", got)
	}

	violations := b.Axe(t)
	for _, v := range SeriousOrWorse(violations) {
		t.Errorf("accessibility: %s", v)
	}
	if len(violations) > 0 {
		t.Logf("minor or moderate: %v", ids(violations))
	}

	// The link's address is resolved against the page's, as a click
	// would resolve it.
	links := b.Links(t, "main a")
	if want := []Link{{Text: "The broken page", Href: srv.URL + "/broken"}}; !slices.Equal(links, want) {
		t.Errorf("Links(main a) = %v, want %v", links, want)
	}
	if got := b.Links(t, ".nothing"); len(got) != 0 {
		t.Errorf("Links(.nothing) = %v, want none", got)
	}

	dir := t.TempDir()
	shot := filepath.Join(dir, "shots", "overview.png")
	b.Screenshot(t, shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is no PNG: %v", err)
	}
	if w := img.Bounds().Dx(); w != Width {
		t.Errorf("screenshot %d pixels wide, want %d", w, Width)
	}

	pdf := filepath.Join(dir, "print", "overview.pdf")
	b.PrintToPDF(t, pdf)
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) || len(data) < 1000 {
		t.Errorf("PrintToPDF wrote %d bytes starting %q, want a PDF", len(data), data[:min(len(data), 8)])
	}
}

func TestAxeReportsViolations(t *testing.T) {
	srv := Serve(t, &server{})
	b := New(t)
	b.Open(t, srv.URL+"/broken")

	violations := b.Axe(t)
	serious := SeriousOrWorse(violations)
	for id, target := range map[string]string{"image-alt": "#logo", "button-name": "#refresh"} {
		v, ok := find(serious, id)
		if !ok {
			t.Errorf("axe-core did not report %s as serious or worse; it reported %v", id, ids(violations))
			continue
		}
		if len(v.Nodes) != 1 || v.Nodes[0].Target != target {
			t.Errorf("%s: nodes %+v, want the one %s", id, v.Nodes, target)
		}
		if v.Help == "" || !strings.HasPrefix(v.HelpURL, "https://") {
			t.Errorf("%s: no help: %+v", id, v)
		}
		if s := v.String(); !strings.Contains(s, id) || !strings.Contains(s, target) {
			t.Errorf("String() = %q, want the rule and the element", s)
		}
	}

	// A second run reuses the axe-core already in the page.
	if again := b.Axe(t); !slices.Equal(ids(again), ids(violations)) {
		t.Errorf("second run: %v, first: %v", ids(again), ids(violations))
	}
}

func TestAxeUnderStrictCSP(t *testing.T) {
	srv := Serve(t, &server{})
	b := New(t)
	b.Open(t, srv.URL+"/strict")

	// The page is seen as a reader sees it: its policy still applies.
	if got := b.Text(t, "h1"); got != "Strict" {
		t.Errorf("Text(h1) = %q", got)
	}
	if title := eval[string](t, b, "reading the title", "document.title"); title != "Strict" {
		t.Errorf("title %q: the inline script ran despite script-src 'none'", title)
	}

	if _, ok := find(b.Axe(t), "image-alt"); !ok {
		t.Errorf("axe-core did not report image-alt under %q", strictCSP)
	}
}

func TestSetHeaders(t *testing.T) {
	s := &server{}
	srv := Serve(t, s)
	b := New(t)

	if status := b.Open(t, srv.URL+"/private"); status != http.StatusUnauthorized {
		t.Errorf("without a token: status %d, want 401", status)
	}
	b.SetHeaders(t, map[string]string{"Authorization": "Bearer s3cret"})
	if status := b.Open(t, srv.URL+"/private"); status != http.StatusOK {
		t.Fatalf("with a token: status %d, want 200", status)
	}
	if got := b.Text(t, "#total"); got != "42" {
		t.Errorf("Text(#total) = %q, want 42", got)
	}
	if got, want := s.authSeen("/private"), []string{"", "Bearer s3cret"}; !slices.Equal(got, want) {
		t.Errorf("Authorization on /private: %q, want %q", got, want)
	}
	// The stylesheet the page loads carries it too.
	if got := s.authSeen("/style.css"); len(got) == 0 || got[len(got)-1] != "Bearer s3cret" {
		t.Errorf("Authorization on /style.css: %q, want the token", got)
	}

	b.SetHeaders(t, nil)
	if status := b.Open(t, srv.URL+"/private"); status != http.StatusUnauthorized {
		t.Errorf("after SetHeaders(nil): status %d, want 401", status)
	}
}

// fatalRecorder stands in for the testing.TB given to New, and records how
// New gave up.
type fatalRecorder struct {
	testing.TB
	fatal   string
	skipped bool
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *fatalRecorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func (r *fatalRecorder) Skip(...any)          { r.SkipNow() }
func (r *fatalRecorder) Skipf(string, ...any) { r.SkipNow() }
func (r *fatalRecorder) SkipNow()             { r.skipped = true; runtime.Goexit() }

// newFails runs New with r in a goroutine of its own, as the testing package
// runs a test, so that its Fatalf can end it.
func newFails(t *testing.T) *fatalRecorder {
	r := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		New(r)
	}()
	<-done
	return r
}

func TestNewFailsWithoutChromium(t *testing.T) {
	t.Setenv(EnvChromium, filepath.Join(t.TempDir(), "no-chromium"))
	r := newFails(t)
	if r.skipped || !strings.Contains(r.fatal, "make browser") {
		t.Errorf("New without Chromium: skipped %v, fatal %q; want a failure that says to run make browser", r.skipped, r.fatal)
	}
}

func TestNewFailsWithoutAxe(t *testing.T) {
	t.Setenv(EnvAxe, "")
	r := newFails(t)
	if r.skipped || !strings.Contains(r.fatal, EnvAxe+" is not set") || !strings.Contains(r.fatal, "make browser") {
		t.Errorf("New without axe-core: skipped %v, fatal %q; want a failure that names %s", r.skipped, r.fatal, EnvAxe)
	}
}
