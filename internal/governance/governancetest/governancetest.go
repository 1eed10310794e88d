/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package governancetest builds an in-memory client with the operator's
// own field indexes, for tests of what reads through internal/governance
// (the read path itself and the admission webhooks) without an API server.
package governancetest

import (
	"context"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
)

// Scheme holds the built-in kinds (namespaces, for attachment by label
// selector) and the operator's.
func Scheme(t testing.TB) *runtime.Scheme {
	t.Helper()
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, v1alpha1.AddToScheme} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	return scheme
}

// NewClient is a fake client holding objs, with the field indexes
// governance.SetupIndexes registers with the manager's cache and the
// status subresources the CRDs have.
func NewClient(t testing.TB, objs ...client.Object) client.Client {
	t.Helper()
	b := fake.NewClientBuilder().WithScheme(Scheme(t)).WithObjects(objs...).
		WithStatusSubresource(&v1alpha1.Project{}, &v1alpha1.Programme{}, &v1alpha1.Portfolio{}, &v1alpha1.Office{})
	if err := governance.SetupIndexes(context.Background(), indexer{b}); err != nil {
		t.Fatal(err)
	}
	return b.Build()
}

// indexer registers indexes with a fake client builder.
type indexer struct{ b *fake.ClientBuilder }

func (i indexer) IndexField(_ context.Context, obj client.Object, field string, extract client.IndexerFunc) error {
	i.b.WithIndex(obj, field, extract)
	return nil
}
