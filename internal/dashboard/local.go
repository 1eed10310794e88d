/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
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
