/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// RepoAndKubectl returns the repository root and the control plane's
// kubectl (built by hack/controlplane.sh when missing), for the TestMain of
// a package that renders and applies manifests.
func RepoAndKubectl() (repo, kubectl string, err error) {
	if repo, err = controlplane.RepoRoot(); err != nil {
		return "", "", err
	}
	assets, err := controlplane.Assets(repo)
	if err != nil {
		return "", "", err
	}
	return repo, filepath.Join(assets, "kubectl"), nil
}

// Kustomize runs `kubectl kustomize dir` in the repository at root (dir
// relative to it) and returns the rendering.
func Kustomize(kubectl, root, dir string) ([]byte, error) {
	cmd := exec.Command(kubectl, "kustomize", dir)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("kubectl kustomize %s: %w\n%s", dir, err, stderr.String())
	}
	return out, nil
}

// EncodeObjects writes objects as one multi-document YAML stream.
func EncodeObjects(objs []*unstructured.Unstructured) ([]byte, error) {
	var buf bytes.Buffer
	for _, obj := range objs {
		data, err := yaml.Marshal(obj.Object)
		if err != nil {
			return nil, err
		}
		buf.WriteString("---\n")
		buf.Write(data)
	}
	return buf.Bytes(), nil
}

// WriteObjects writes objects to path as one multi-document YAML stream,
// failing the test when it cannot.
func WriteObjects(t testing.TB, path string, objs []*unstructured.Unstructured) {
	t.Helper()
	data, err := EncodeObjects(objs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
