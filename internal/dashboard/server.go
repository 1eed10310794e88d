/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package dashboard serves the P3O's management dashboard: read-only web
// pages of what the operator published (status and report ConfigMaps),
// for people who govern and do not run kubectl. It computes no health,
// gate or total of its own. Each viewer sees what they may list: an
// object in a namespace they may not read never appears, and a figure
// that includes one is withheld, with a note saying so, rather than
// recomputed. Pages are rendered on the server, need no JavaScript, load
// nothing from outside, and print.
package dashboard

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"time"

	"github.com/go-logr/logr"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Server serves the dashboard.
type Server struct {
	Source *Source
	Authn  Authenticator
	Authz  Authorizer
	// Now is the clock of "as of" lines and of what falls due.
	Now func() time.Time
	Log logr.Logger

	pages map[string]*template.Template
}

// contentSecurityPolicy lets a page load only the dashboard's own
// stylesheet: no script, no frame, nothing from elsewhere.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Handler is the dashboard's HTTP handler.
func (s *Server) Handler() (http.Handler, error) {
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.Handle("GET /{$}", s.page("organisation", s.organisation))
	for _, kind := range []string{"Office", "Portfolio", "Programme"} {
		mux.Handle("GET /"+pathOf(kind)+"/{namespace}/{name}", s.page("parent", s.parent(kind)))
	}
	mux.Handle("GET /projects/{namespace}/{name}", s.page("project", s.project))
	mux.Handle("GET /reports/{kind}/{namespace}/{name}/{file}", s.authenticated(s.download))
	return secured(mux), nil
}

// secured sets the headers every response carries.
func secured(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// request is one authenticated request: who asks, what they may see, and
// the picture it is answered from.
type request struct {
	*http.Request
	viewer  Viewer
	scope   *scope
	picture *Picture
	source  *Source
	now     time.Time
}

// sees says whether the viewer may see the object r names.
func (q *request) sees(r ref) bool { return q.scope.sees(r.Kind, r.Namespace) }

// errNotFound is an object that does not exist or that the viewer may not
// see: the two are answered alike, so that a page reveals nothing.
var errNotFound = errors.New("there is no such object, or you may not see it")

// authenticated answers a request only when its viewer is known.
func (s *Server) authenticated(handle func(http.ResponseWriter, *request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		viewer, err := s.Authn.Authenticate(r)
		if err != nil {
			s.fail(w, r, http.StatusUnauthorized, err)
			return
		}
		picture, err := s.Source.Picture(r.Context())
		if err != nil {
			s.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("reading the organisation: %w", err))
			return
		}
		q := &request{Request: r, viewer: viewer, scope: newScope(r.Context(), viewer, s.Authz), picture: picture, source: s.Source, now: s.now()}
		if err := handle(w, q); err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, errNotFound) {
				status = http.StatusNotFound
			}
			s.fail(w, r, status, err)
		}
	})
}

// page renders the named page with the view a build function makes.
func (s *Server) page(name string, build func(*request) (any, error)) http.Handler {
	return s.authenticated(func(w http.ResponseWriter, q *request) error {
		view, err := build(q)
		if err != nil {
			return err
		}
		if q.scope.err != nil {
			return fmt.Errorf("checking what you may see: %w", q.scope.err)
		}
		return s.render(w, http.StatusOK, name, frame{Title: titleOf(view), Viewer: q.viewer.Name, AsOf: q.picture.Built, View: view})
	})
}

// frame is what the layout around every page shows.
type frame struct {
	Title  string
	Viewer string
	AsOf   time.Time
	View   any
	Error  string
}

// titled is a view that names its page.
type titled interface{ title() string }

func titleOf(view any) string {
	if t, ok := view.(titled); ok {
		return t.title()
	}
	return "P3O dashboard"
}

// render writes a page, whole or not at all.
func (s *Server) render(w http.ResponseWriter, status int, name string, f frame) error {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", f); err != nil {
		return fmt.Errorf("rendering %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// fail answers with an error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status >= http.StatusInternalServerError {
		s.Log.Error(err, "Serving a page failed", "path", r.URL.Path)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="p3o-dashboard"`)
	}
	f := frame{Title: http.StatusText(status), Error: err.Error(), AsOf: s.now()}
	if rerr := s.render(w, status, "error", f); rerr != nil {
		http.Error(w, err.Error(), status)
	}
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// parseTemplates parses each page with the layout and the shared parts.
func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	for _, name := range []string{"organisation", "parent", "project", "error"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/parts.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("parsing the %s page: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}
