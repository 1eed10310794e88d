// Package browsertest drives a real headless Chromium from Go tests: it opens
// pages served on loopback, reads their rendered text, takes screenshots and
// PDFs, and checks them for accessibility with axe-core. It is test support,
// for the _test.go files of other packages.
//
// The browser is Debian's chromium at $P3O_CHROMIUM (default
// /usr/bin/chromium) and axe-core is the axe.min.js at $P3O_AXE_JS. `make
// browser` (or `bash hack/browser.sh`, which prints the path of axe.min.js)
// installs both, and `make test` passes both to `go test`. By hand:
//
//	P3O_AXE_JS="$(bash hack/browser.sh)" go test ./internal/browsertest/
//
// A test that finds no browser or no axe-core fails; it never skips.
//
//	srv := browsertest.Serve(t, handler)
//	b := browsertest.New(t)
//	b.SetHeaders(t, map[string]string{"Authorization": "Bearer " + token})
//	if status := b.Open(t, srv.URL+"/"); status != http.StatusOK {
//		t.Fatalf("status %d", status)
//	}
//	if got := b.Text(t, "#projects-total"); got != "3" {
//		t.Errorf("total %q, want 3", got)
//	}
//	for _, v := range browsertest.SeriousOrWorse(b.Axe(t)) {
//		t.Errorf("accessibility: %s", v)
//	}
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const (
	// EnvChromium names the environment variable that holds the path of the
	// Chromium binary; DefaultChromium is used when it is empty.
	EnvChromium = "P3O_CHROMIUM"
	// DefaultChromium is where Debian's chromium package puts the browser.
	DefaultChromium = "/usr/bin/chromium"
	// EnvAxe names the environment variable that holds the path of axe-core's
	// axe.min.js, as printed by hack/browser.sh.
	EnvAxe = "P3O_AXE_JS"
	// Width and Height are the size of the browser window, in CSS pixels.
	Width, Height = 1280, 900
	// ActionTimeout bounds each call on a Browser (a navigation, a query, an
	// axe-core run, a screenshot); a call that takes longer fails the test.
	ActionTimeout = 30 * time.Second
	// StartTimeout bounds the start of the browser in New.
	StartTimeout = 60 * time.Second
)

const install = "run `make browser` (or `bash hack/browser.sh`) to install Chromium and axe-core, " +
	"and pass " + EnvAxe + "=\"$(bash hack/browser.sh)\" to go test (make test does)"

// Browser is one headless Chromium with one tab. Its methods fail the test
// they are given when the browser does not answer, and are not safe for use
// by several goroutines at once.
type Browser struct {
	ctx    context.Context // the tab's chromedp context
	axe    string          // the source of axe.min.js
	output *syncBuffer     // what Chromium and chromedp printed
}

// New starts headless Chromium for the test, with a window of Width×Height
// and a fresh user-data directory, and stops it (and every process it
// started) when the test and its subtests end. It fails the test, telling how
// to install them, when $P3O_CHROMIUM (default /usr/bin/chromium) is not an
// executable file or $P3O_AXE_JS is not axe-core's axe.min.js.
func New(t testing.TB) *Browser {
	t.Helper()
	exe, axe := installed(t)
	output := &syncBuffer{}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), allocatorOptions(exe, output)...)
	logf := func(format string, args ...any) { fmt.Fprintf(output, "chromedp: "+format+"\n", args...) }
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(logf), chromedp.WithLogf(logf))
	b := &Browser{ctx: ctx, axe: axe, output: output}
	t.Cleanup(func() {
		stop, stopCancel := context.WithTimeout(ctx, 10*time.Second)
		defer stopCancel()
		if err := chromedp.Cancel(stop); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("browsertest: closing Chromium: %v", err)
		}
		cancel()
		allocCancel() // waits for the processes to end and the directory to go
		if t.Failed() {
			if out := output.withoutDBus(); out != "" {
				t.Logf("browsertest: Chromium's output:\n%s", out)
			}
		}
	})

	// The first Run starts the browser and binds it to ctx, so it cannot
	// carry a deadline of its own: a timer cancels it instead.
	started := time.Now()
	timer := time.AfterFunc(StartTimeout, cancel)
	err := chromedp.Do(ctx)
	timer.Stop()
	if err != nil {
		// The cleanup above logs what Chromium printed.
		t.Fatalf("browsertest: starting %s: %v (after %s)", exe, err, time.Since(started).Round(time.Millisecond))
	}
	return b
}

// installed is the Chromium to run and axe-core's script; it fails the
// test, saying how to install them, when either is missing.
func installed(t testing.TB) (exe, axe string) {
	t.Helper()
	exe = os.Getenv(EnvChromium)
	if exe == "" {
		exe = DefaultChromium
	}
	if fi, err := os.Stat(exe); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("browsertest: no Chromium at %s (%s, default %s): %s: %s", exe, EnvChromium, DefaultChromium, describe(err, "not an executable file"), install)
	}
	axePath := os.Getenv(EnvAxe)
	if axePath == "" {
		t.Fatalf("browsertest: %s is not set: %s", EnvAxe, install)
	}
	script, err := os.ReadFile(axePath)
	if err != nil || !bytes.Contains(script, []byte("axe")) {
		t.Fatalf("browsertest: %s=%s is not axe-core's axe.min.js (%s): %s", EnvAxe, axePath, describe(err, "no axe in it"), install)
	}
	return exe, string(script)
}

// allocatorOptions start headless Chromium from exe with the flags this
// machine's closed network needs, its output kept in output.
func allocatorOptions(exe string, output io.Writer) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		// Without the background-networking flags Chromium keeps dialling out.
		chromedp.Headless,
		chromedp.NoSandbox, // as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(Width, Height),
		chromedp.CombinedOutput(output),
		// No user-data-dir: chromedp makes a fresh one, kills every process
		// started with it when the browser stops, then removes it.
	)
}

// describe returns err's text, or alt when err is nil.
func describe(err error, alt string) string {
	if err != nil {
		return err.Error()
	}
	return alt
}

// run runs a within ActionTimeout and fails the test with what it was doing
// when a fails.
func run[T any](t testing.TB, b *Browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, ActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browsertest: %s: %v", what, err)
	}
	return v
}

// Open navigates the tab to url, waits for the page's load event and returns
// the HTTP status of the document (0 when there was no HTTP response). A
// page that does not load, for want of a server say, fails the test; an
// error status does not.
func (b *Browser) Open(t testing.TB, url string) int {
	t.Helper()
	resp := run(t, b, "opening "+url, chromedp.NavigateResponse(url))
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// SetHeaders sends headers with every later request of the tab (documents,
// stylesheets, images), e.g. {"Authorization": "Bearer …"}. Each call
// replaces the headers of the one before; an empty map sends none.
func (b *Browser) SetHeaders(t testing.TB, headers map[string]string) {
	t.Helper()
	h := make(network.Headers, len(headers))
	for k, v := range headers {
		h[k] = v
	}
	run(t, b, "setting request headers", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: h})
		return err
	}))
}

// eval evaluates the JavaScript expression in the page and decodes its
// value into T. DevTools' evaluation is not subject to the page's
// Content-Security-Policy.
func eval[T any](t testing.TB, b *Browser, what, expression string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	return run(t, b, what, chromedp.Evaluate[T](expression, opts...))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s) // a string always marshals
	return string(q)
}

// rendered is the JavaScript expression of the text of the element e as a
// reader sees it: its innerText, trimmed, or "" when it is not rendered.
const rendered = `(e.checkVisibility() ? e.innerText.trim() : "")`

// Text returns the text of the first element that the CSS selector matches
// as a reader sees it: its innerText (hidden descendants left out, white
// space collapsed as rendered) without leading and trailing white space, or
// "" when the element itself is not rendered (display: none on it or an
// ancestor, the hidden attribute). It fails the test when no element
// matches.
func (b *Browser) Text(t testing.TB, selector string) string {
	t.Helper()
	text := eval[*string](t, b, "reading "+selector,
		`(() => { const e = document.querySelector(`+jsString(selector)+`); return e === null ? null : `+rendered+`; })()`)
	if text == nil {
		t.Fatalf("browsertest: no element matches %q on %s", selector, b.location(t))
	}
	return *text
}

// Texts returns the rendered text of every element that the CSS selector
// matches, in document order, as Text does for one; none when none matches.
func (b *Browser) Texts(t testing.TB, selector string) []string {
	t.Helper()
	texts := eval[[]string](t, b, "reading "+selector,
		`Array.from(document.querySelectorAll(`+jsString(selector)+`), e => `+rendered+`)`)
	if texts == nil {
		texts = []string{}
	}
	return texts
}

// Link is a link on a page: its text as a reader sees it (as Text reads
// it) and the address it leads to, resolved against the page's.
type Link struct {
	Text string `json:"text"`
	Href string `json:"href"`
}

// Links returns the links that the CSS selector matches (a and area
// elements), in document order, as a reader would follow them; none when
// none matches. An element without an href has Href "".
func (b *Browser) Links(t testing.TB, selector string) []Link {
	t.Helper()
	links := eval[[]Link](t, b, "reading the links "+selector,
		`Array.from(document.querySelectorAll(`+jsString(selector)+`), e => ({text: `+rendered+`, href: e.href || ""}))`)
	if links == nil {
		links = []Link{}
	}
	return links
}

// location returns the address of the page in the tab, for messages.
func (b *Browser) location(t testing.TB) string {
	t.Helper()
	return eval[string](t, b, "reading the location", `location.href`)
}

// Screenshot writes a PNG of the whole page, beyond the window if the page
// is longer, to path, creating its directory.
func (b *Browser) Screenshot(t testing.TB, path string) {
	t.Helper()
	png := run(t, b, "taking a screenshot", chromedp.FullScreenshot(100))
	writeFile(t, path, png)
}

// PrintToPDF prints the page as the browser's print dialog would with its
// defaults (Letter paper, portrait, print stylesheets applied, no
// backgrounds) and writes the PDF to path, creating its directory.
func (b *Browser) PrintToPDF(t testing.TB, path string) {
	t.Helper()
	pdf := run(t, b, "printing to PDF", chromedp.PrintToPDF())
	writeFile(t, path, pdf)
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}

// Violation is one axe-core rule that the page breaks.
type Violation struct {
	// ID is the rule's id, e.g. "image-alt" or "color-contrast".
	ID string `json:"id"`
	// Impact is "minor", "moderate", "serious" or "critical".
	Impact string `json:"impact"`
	// Help says in a sentence what the rule asks for.
	Help string `json:"help"`
	// HelpURL explains the rule at length, on Deque's site.
	HelpURL string `json:"helpUrl"`
	// Nodes are the elements that break the rule.
	Nodes []Node `json:"nodes"`
}

// Node is one element that breaks a rule.
type Node struct {
	// Target is the CSS selector of the element; an element inside shadow
	// DOM has one selector per tree, joined by " >>> ".
	Target string `json:"target"`
	// HTML is the element's opening tag, as axe-core quotes it.
	HTML string `json:"html"`
	// FailureSummary says how to fix the element.
	FailureSummary string `json:"failureSummary"`
}

// String reads like "image-alt (critical): Images must have alternative
// text: img#logo, img.avatar (https://dequeuniversity.com/…)".
func (v Violation) String() string {
	targets := make([]string, len(v.Nodes))
	for i, n := range v.Nodes {
		targets[i] = n.Target
	}
	return fmt.Sprintf("%s (%s): %s: %s (%s)", v.ID, v.Impact, v.Help, strings.Join(targets, ", "), v.HelpURL)
}

// axeRun runs every axe-core rule on the top document (frames are not
// looked into) and keeps what Violation needs of the violations.
const axeRun = `axe.run(document, {resultTypes: ["violations"], iframes: false}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)).join(" >>> "),
		html: n.html, failureSummary: n.failureSummary || "",
	})),
})))`

// Axe runs axe-core's rules (WCAG 2 A and AA, and its best practices) on the
// page in the tab and returns the violations, none when it passes. It
// injects axe-core through the DevTools protocol, so a page's strict
// Content-Security-Policy (script-src 'none') does not stop it, while the
// page itself still renders under its policy. Frames are not checked.
func (b *Browser) Axe(t testing.TB) []Violation {
	t.Helper()
	if !eval[bool](t, b, "looking for axe-core", `typeof axe === "object"`) {
		// void 0: the script's last value is not sent back.
		run(t, b, "injecting axe-core", chromedp.Evaluate[chromedp.Void](b.axe+"\n;void 0"))
	}
	v := eval[[]Violation](t, b, "running axe-core", axeRun, chromedp.EvalAwaitPromise)
	if v == nil {
		v = []Violation{}
	}
	return v
}

// SeriousOrWorse returns the violations whose impact is serious or critical.
func SeriousOrWorse(violations []Violation) []Violation {
	var out []Violation
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			out = append(out, v)
		}
	}
	return out
}

// Serve starts an HTTP server for the test on 127.0.0.1 (never another
// interface) and closes it when the test ends. Its URL field is the base
// address, e.g. http://127.0.0.1:40123.
func Serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("browsertest: listening on 127.0.0.1: %v", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// syncBuffer is a bytes.Buffer that Chromium's output goroutine and the
// test can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// withoutDBus returns the output without the lines of Chromium's failed
// attempts to reach D-Bus, which a machine without D-Bus fills it with.
func (b *syncBuffer) withoutDBus() string {
	var kept []string
	for line := range strings.Lines(b.String()) {
		if !strings.Contains(line, ":ERROR:dbus/") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "")
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
