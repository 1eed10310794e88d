/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// +kubebuilder:rbac:groups=authentication.k8s.io,resources=tokenreviews,verbs=create
// +kubebuilder:rbac:groups=authorization.k8s.io,resources=subjectaccessreviews,verbs=create

// Viewer is the person a page is served to, as the API server knows them.
type Viewer struct {
	Name   string
	UID    string
	Groups []string
	Extra  map[string][]string
}

// Authenticator says who sent a request.
type Authenticator interface {
	Authenticate(r *http.Request) (Viewer, error)
}

// Authorizer says whether a viewer may list a resource in a namespace, as
// the API server would answer `kubectl get`.
type Authorizer interface {
	MayList(ctx context.Context, v Viewer, group, resource, namespace string) (bool, error)
}

// errUnauthenticated is a request without valid credentials.
var errUnauthenticated = errors.New("no valid bearer token: sign in through the organisation's single sign-on, which passes your token to the dashboard")

// TokenReviews authenticates each request by its bearer token with a
// TokenReview, remembering the answer for TTL (keyed by the token's hash).
type TokenReviews struct {
	Client client.Client
	// Audiences, when set, are the audiences the token must be valid for.
	Audiences []string
	TTL       time.Duration
	now       func() time.Time
	cache     ttlCache[Viewer]
}

// Authenticate implements Authenticator.
func (t *TokenReviews) Authenticate(r *http.Request) (Viewer, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return Viewer{}, errUnauthenticated
	}
	key := fmt.Sprintf("%x", sha256.Sum256([]byte(token)))
	if v, ok := t.cache.get(key, t.clock()); ok {
		return v, nil
	}
	review := &authenticationv1.TokenReview{Spec: authenticationv1.TokenReviewSpec{Token: token, Audiences: t.Audiences}}
	if err := t.Client.Create(r.Context(), review); err != nil {
		return Viewer{}, fmt.Errorf("reviewing the token: %w", err)
	}
	if !review.Status.Authenticated {
		return Viewer{}, errUnauthenticated
	}
	u := review.Status.User
	v := Viewer{Name: u.Username, UID: u.UID, Groups: u.Groups, Extra: map[string][]string{}}
	for k, e := range u.Extra {
		v.Extra[k] = e
	}
	t.cache.put(key, v, t.clock().Add(t.TTL))
	return v, nil
}

func (t *TokenReviews) clock() time.Time {
	if t.now != nil {
		return t.now()
	}
	return time.Now()
}

// SubjectAccessReviews authorises with SubjectAccessReviews, remembering
// each answer for TTL.
type SubjectAccessReviews struct {
	Client client.Client
	TTL    time.Duration
	now    func() time.Time
	cache  ttlCache[bool]
}

// MayList implements Authorizer.
func (s *SubjectAccessReviews) MayList(ctx context.Context, v Viewer, group, resource, namespace string) (bool, error) {
	key := strings.Join([]string{v.Name, v.UID, strings.Join(v.Groups, ","), group, resource, namespace}, "\x00")
	now := time.Now()
	if s.now != nil {
		now = s.now()
	}
	if allowed, ok := s.cache.get(key, now); ok {
		return allowed, nil
	}
	extra := map[string]authorizationv1.ExtraValue{}
	for k, e := range v.Extra {
		extra[k] = e
	}
	review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User: v.Name, UID: v.UID, Groups: v.Groups, Extra: extra,
		ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: namespace, Verb: "list", Group: group, Resource: resource},
	}}
	if err := s.Client.Create(ctx, review); err != nil {
		return false, fmt.Errorf("reviewing access to %s in %s: %w", resource, namespace, err)
	}
	s.cache.put(key, review.Status.Allowed, now.Add(s.TTL))
	return review.Status.Allowed, nil
}

// Trusted is the authenticator and authorizer of a dashboard that reads
// with its viewer's own credentials (kubectl p3o dashboard): the API
// server already limits what it can read to what the viewer may.
type Trusted struct{ Name string }

// Authenticate implements Authenticator.
func (t Trusted) Authenticate(*http.Request) (Viewer, error) { return Viewer{Name: t.Name}, nil }

// MayList implements Authorizer.
func (Trusted) MayList(context.Context, Viewer, string, string, string) (bool, error) {
	return true, nil
}

// ttlCache remembers values until they expire; it holds at most
// maxCached, and forgets all when full (a burst of new viewers).
type ttlCache[V any] struct {
	mu      sync.Mutex
	entries map[string]cached[V]
}

type cached[V any] struct {
	value   V
	expires time.Time
}

const maxCached = 1 << 14

func (c *ttlCache[V]) get(key string, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.value, true
}

func (c *ttlCache[V]) put(key string, v V, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCached {
		c.entries = map[string]cached[V]{}
	}
	c.entries[key] = cached[V]{value: v, expires: expires}
}

// Resources the dashboard shows, by kind, as the API server names them.
var resources = map[string]string{
	"Office": "offices", "Portfolio": "portfolios", "Programme": "programmes", "Project": "projects", "GatewayReview": "gatewayreviews",
}

// scope is what one viewer may see, asked once per kind and namespace in
// a request.
type scope struct {
	ctx    context.Context
	viewer Viewer
	authz  Authorizer
	known  map[string]bool
	err    error
}

func newScope(ctx context.Context, v Viewer, authz Authorizer) *scope {
	return &scope{ctx: ctx, viewer: v, authz: authz, known: map[string]bool{}}
}

// sees says whether the viewer may list objects of kind in namespace. An
// error counts as no (and is kept, to be shown).
func (s *scope) sees(kind, namespace string) bool {
	key := kind + "/" + namespace
	if allowed, ok := s.known[key]; ok {
		return allowed
	}
	group, resource := v1alpha1.GroupVersion.Group, resources[kind]
	if kind == "ConfigMap" {
		group, resource = "", "configmaps"
	}
	allowed, err := s.authz.MayList(s.ctx, s.viewer, group, resource, namespace)
	if err != nil && s.err == nil {
		s.err = err
	}
	s.known[key] = allowed && err == nil
	return s.known[key]
}
