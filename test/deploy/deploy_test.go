/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package deploy checks the operator as config/ deploys it, not as a
// developer runs it: the kustomize renderings hold together (every
// reference between the rendered objects resolves, also under another
// namespace and name prefix) and are accepted by a real API server with the
// cert-manager and Prometheus Operator CRDs; and the operator, running with
// the rendered ServiceAccount's credentials and nothing more, reconciles the
// sample organisation, serves metrics only to those allowed to read them and
// needs exactly the permissions config/rbac grants.
package deploy

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// repo is the repository root and kubectl the control plane's kubectl.
var repo, kubectl string

func TestMain(m *testing.M) {
	var err error
	if repo, kubectl, err = RepoAndKubectl(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// render runs `kubectl kustomize dir` (dir relative to the repository root)
// and returns the objects.
func render(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	out := renderYAML(t, dir)
	objs, err := decode(out)
	if err != nil {
		t.Fatalf("decoding the rendering of %s: %v", dir, err)
	}
	if len(objs) == 0 {
		t.Fatalf("%s renders nothing", dir)
	}
	return objs
}

func renderYAML(t *testing.T, dir string) []byte {
	t.Helper()
	out, err := Kustomize(kubectl, repo, dir)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decode(data []byte) ([]*unstructured.Unstructured, error) {
	return DecodeObjects(data)
}

// encode writes objects as one multi-document YAML stream.
func encode(t *testing.T, objs []*unstructured.Unstructured) []byte {
	t.Helper()
	data, err := EncodeObjects(objs)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// one returns the single object of kind, failing the test unless there is
// exactly one.
func one(t *testing.T, objs []*unstructured.Unstructured, kind string) *unstructured.Unstructured {
	t.Helper()
	found := only(objs, kind)
	if len(found) != 1 {
		t.Fatalf("want one %s in the rendering, found %d", kind, len(found))
	}
	return found[0]
}

// buildOperator builds the operator binary into a temporary folder.
// apply applies objects with kubectl as the control plane's admin.
func apply(t *testing.T, ctx context.Context, cp *controlplane.ControlPlane, objs []*unstructured.Unstructured, extraArgs ...string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "objects.yaml")
	if err := os.WriteFile(file, encode(t, objs), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := cp.Kubectl(ctx, append([]string{"apply", "--server-side", "-f", file}, extraArgs...)...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
