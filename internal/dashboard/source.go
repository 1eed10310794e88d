/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/selection"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
)

// MinRebuild is the least time between two rebuilds of the picture: a
// burst of status writes is shown once it has passed, not rebuilt per
// event.
const MinRebuild = time.Second

// Source keeps the picture of the organisation and its report ConfigMaps
// as the operator published them, read through a cache of its own.
type Source struct {
	reader client.Reader
	now    func() time.Time

	// changed is set by every watch event; the picture is rebuilt when a
	// page asks for it after a change, at most once per MinRebuild.
	changed atomic.Bool
	mu      sync.Mutex
	picture *Picture
}

// NewSource is a source over reader, which must hold the operator's field
// indexes; it reads the organisation afresh at most once per MinRebuild
// (tests, and readers that are not watched).
func NewSource(reader client.Reader, now func() time.Time) *Source {
	s := &Source{reader: reader, now: now}
	s.changed.Store(true)
	return s
}

// Scheme is the scheme of what the dashboard reads.
func Scheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return nil, err
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		return nil, err
	}
	return s, nil
}

// StartCache starts a cache of the governance objects and report
// ConfigMaps with cfg's credentials, in the given namespaces (every
// namespace when none), waits for it to sync and returns the source
// reading from it. The cache stops when ctx ends. Credentials that may
// not list and watch what it reads are refused at once, saying what is
// missing.
func StartCache(ctx context.Context, cfg *rest.Config, namespaces ...string) (*Source, error) {
	scheme, err := Scheme()
	if err != nil {
		return nil, err
	}
	if err := mayRead(ctx, cfg, scheme, namespaces); err != nil {
		return nil, err
	}
	reports, err := labels.NewRequirement(v1alpha1.LabelReport, selection.Exists, nil)
	if err != nil {
		return nil, err
	}
	opts := cache.Options{Scheme: scheme, ByObject: map[client.Object]cache.ByObject{
		&corev1.ConfigMap{}: {Label: labels.NewSelector().Add(*reports)},
	}}
	if len(namespaces) > 0 {
		opts.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range namespaces {
			opts.DefaultNamespaces[ns] = cache.Config{}
		}
	}
	c, err := cache.New(cfg, opts)
	if err != nil {
		return nil, fmt.Errorf("creating the cache: %w", err)
	}
	if err := governance.SetupIndexes(ctx, c); err != nil {
		return nil, err
	}
	s := NewSource(c, time.Now)
	for _, obj := range []client.Object{&v1alpha1.Office{}, &v1alpha1.Portfolio{}, &v1alpha1.Programme{}, &v1alpha1.Project{},
		&v1alpha1.GatewayReview{}, &corev1.ConfigMap{}} {
		informer, err := c.GetInformer(ctx, obj)
		if err != nil {
			return nil, fmt.Errorf("watching %T: %w", obj, err)
		}
		mark := func(any) { s.changed.Store(true) }
		if _, err := informer.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
			AddFunc: mark, DeleteFunc: mark, UpdateFunc: func(_, o any) { mark(o) },
		}); err != nil {
			return nil, err
		}
	}
	go func() { _ = c.Start(ctx) }()
	if !c.WaitForCacheSync(ctx) {
		return nil, fmt.Errorf("reading the organisation was stopped before it completed")
	}
	return s, nil
}

// mayRead checks, with SelfSubjectAccessReviews, that cfg's credentials
// may list and watch what the dashboard reads, in every namespace or in
// those given.
func mayRead(ctx context.Context, cfg *rest.Config, scheme *runtime.Scheme, namespaces []string) error {
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return fmt.Errorf("connecting to the cluster: %w", err)
	}
	where := namespaces
	if len(where) == 0 {
		where = []string{""}
	}
	var missing []string
	for _, ns := range where {
		for _, res := range readResources() {
			for _, verb := range []string{"list", "watch"} {
				review := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
					ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: verb, Group: res.group, Resource: res.resource}}}
				if err := c.Create(ctx, review); err != nil {
					return fmt.Errorf("asking the API server what these credentials may read: %w", err)
				}
				if !review.Status.Allowed {
					missing = append(missing, fmt.Sprintf("%s %s in %s", verb, res.resource, orAll(ns)))
				}
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("these credentials may not %s; the dashboard reads the organisation as a whole (a dashboard deployed in the cluster shows each viewer what they may see)",
			strings.Join(missing, ", "))
	}
	return nil
}

// readResources are what the dashboard reads.
func readResources() []struct{ group, resource string } {
	// Namespaces: a parent admits children by their namespace's labels.
	out := []struct{ group, resource string }{{"", "configmaps"}, {"", "namespaces"}}
	for _, kind := range []string{"Office", "Portfolio", "Programme", "Project", "GatewayReview"} {
		out = append(out, struct{ group, resource string }{v1alpha1.GroupVersion.Group, resources[kind]})
	}
	return out
}

func orAll(ns string) string {
	if ns == "" {
		return "all namespaces"
	}
	return ns
}

// Picture is the organisation as last read; it is read again when
// something changed and the last read is MinRebuild old.
func (s *Source) Picture(ctx context.Context) (*Picture, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.picture != nil && (!s.changed.Load() || now.Sub(s.picture.Built) < MinRebuild) {
		return s.picture, nil
	}
	s.changed.Store(false)
	p, err := buildPicture(ctx, s.reader, now)
	if err != nil {
		s.changed.Store(true)
		return nil, err
	}
	s.picture = p
	return p, nil
}

// ConfigMap is a report ConfigMap, or nil when there is none.
func (s *Source) ConfigMap(ctx context.Context, namespace, name string) (*corev1.ConfigMap, error) {
	cm := &corev1.ConfigMap{}
	if err := s.reader.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, cm); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	if _, ok := cm.Labels[v1alpha1.LabelReport]; !ok {
		return nil, nil
	}
	return cm, nil
}

// Snapshots are the snapshot ConfigMaps of an object, in any order.
func (s *Source) Snapshots(ctx context.Context, kind, namespace, name string) ([]corev1.ConfigMap, error) {
	list := &corev1.ConfigMapList{}
	err := s.reader.List(ctx, list, client.InNamespace(namespace), client.MatchingLabels{
		v1alpha1.LabelReport: "snapshot", v1alpha1.LabelReportKind: kind, v1alpha1.LabelReportName: name})
	return list.Items, err
}
