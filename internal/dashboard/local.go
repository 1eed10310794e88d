/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"k8s.io/client-go/rest"
)

// sessionCookie holds a local dashboard's session secret.
const sessionCookie = "p3o-dashboard-session"

// NewSessionSecret is a random secret for a local dashboard's session.
func NewSessionSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// LocalSession lets through only requests that carry secret: a local
// dashboard reads with its user's own credentials, and another program
// on the same machine must not read through it. The URL printed for the
// user carries the secret once (?session=); it is then kept in a cookie
// that no other site is sent, and the address bar is cleaned of it.
func LocalSession(secret string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if given := r.URL.Query().Get("session"); given != "" {
			if subtle.ConstantTimeCompare([]byte(given), []byte(secret)) != 1 {
				http.Error(w, "this session link is not valid: use the URL kubectl p3o dashboard printed", http.StatusUnauthorized)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			clean := *r.URL
			q := clean.Query()
			q.Del("session")
			clean.RawQuery = q.Encode()
			http.Redirect(w, r, clean.RequestURI(), http.StatusSeeOther)
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(secret)) != 1 {
			http.Error(w, "open the dashboard with the URL kubectl p3o dashboard printed", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Local is a dashboard served on this machine with one user's own
// credentials (kubectl p3o dashboard, make demo).
type Local struct {
	// URL opens it: it carries the session's secret.
	URL    string
	server *http.Server
	cancel context.CancelFunc
	done   chan error
}

// ServeLocal serves the dashboard on 127.0.0.1:port (0: any free port),
// reading with cfg's credentials as viewer, behind a session secret. Stop
// stops it.
func ServeLocal(ctx context.Context, cfg *rest.Config, viewer string, port int) (*Local, error) {
	ctx, cancel := context.WithCancel(ctx)
	l, err := serveLocal(ctx, cfg, viewer, port)
	if err != nil {
		cancel()
		return nil, err
	}
	l.cancel = cancel
	return l, nil
}

func serveLocal(ctx context.Context, cfg *rest.Config, viewer string, port int) (*Local, error) {
	source, err := StartCache(ctx, cfg)
	if err != nil {
		return nil, err
	}
	handler, err := (&Server{Source: source, Authn: Trusted{Name: viewer}, Authz: Trusted{}}).Handler()
	if err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("listening on 127.0.0.1:%d: %w", port, err)
	}
	secret := NewSessionSecret()
	l := &Local{
		URL:    fmt.Sprintf("http://%s/?session=%s", listener.Addr(), secret),
		server: &http.Server{Handler: LocalSession(secret, handler), ReadHeaderTimeout: 10 * time.Second},
		done:   make(chan error, 1),
	}
	go func() { l.done <- l.server.Serve(listener) }()
	return l, nil
}

// Stop stops serving and reading.
func (l *Local) Stop() error {
	defer l.cancel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := l.server.Shutdown(ctx)
	if serveErr := <-l.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}
