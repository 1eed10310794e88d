/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// ThirdPartyCRD is a CRD file of a module pinned in hack/crds/go.mod.
type ThirdPartyCRD struct {
	Module string
	File   string
}

// ThirdPartyCRDs are the CRDs that renderings of config/ need besides the
// operator's own: cert-manager's Certificate and Issuer (config/default) and
// the Prometheus Operator's ServiceMonitor (config/prometheus) and
// PrometheusRule (config/components/alerts). Exported for the other suites
// that apply renderings (test/release).
var ThirdPartyCRDs = []ThirdPartyCRD{
	{"github.com/cert-manager/cert-manager", "deploy/crds/cert-manager.io_certificates.yaml"},
	{"github.com/cert-manager/cert-manager", "deploy/crds/cert-manager.io_issuers.yaml"},
	{"github.com/prometheus-operator/prometheus-operator", "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"},
	{"github.com/prometheus-operator/prometheus-operator", "example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml"},
}

// ThirdPartyCRDFiles downloads each module of crds at the version
// hack/crds/go.mod pins (in the repository at root) into the module cache
// and returns the paths of the files there.
func ThirdPartyCRDFiles(ctx context.Context, root string, crds []ThirdPartyCRD) ([]string, error) {
	dirs := map[string]string{}
	var paths []string
	for _, crd := range crds {
		dir, ok := dirs[crd.Module]
		if !ok {
			cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", crd.Module)
			cmd.Dir = filepath.Join(root, "hack", "crds")
			out, err := cmd.Output()
			var info struct{ Dir, Error string }
			if jerr := json.Unmarshal(out, &info); err != nil || jerr != nil || info.Error != "" || info.Dir == "" {
				return nil, fmt.Errorf("go mod download -json %s (in hack/crds): %w %s", crd.Module, errors.Join(err, jerr), info.Error)
			}
			dir, dirs[crd.Module] = info.Dir, info.Dir
		}
		paths = append(paths, filepath.Join(dir, crd.File))
	}
	return paths, nil
}

// InstallThirdPartyCRDs installs ThirdPartyCRDs on the control plane and
// waits until the API server serves them.
func InstallThirdPartyCRDs(ctx context.Context, cp *controlplane.ControlPlane) error {
	paths, err := ThirdPartyCRDFiles(ctx, cp.Root, ThirdPartyCRDs)
	if err != nil {
		return err
	}
	if _, err := envtest.InstallCRDs(cp.Config, envtest.CRDInstallOptions{Paths: paths, ErrorIfPathMissing: true}); err != nil {
		return fmt.Errorf("installing the cert-manager and Prometheus Operator CRDs: %w", err)
	}
	return nil
}

// DecodeObjects decodes a multi-document YAML (or JSON) stream, such as a
// kustomize rendering, into objects, skipping empty documents.
func DecodeObjects(data []byte) ([]*unstructured.Unstructured, error) {
	var objs []*unstructured.Unstructured
	decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		// Decoding into Unstructured keeps integers int64.
		obj := &unstructured.Unstructured{}
		if err := decoder.Decode(obj); errors.Is(err, io.EOF) {
			return objs, nil
		} else if err != nil {
			return nil, err
		}
		if len(obj.Object) > 0 {
			objs = append(objs, obj)
		}
	}
}
