/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package chart checks the Helm chart in charts/p3o-operator as a user meets
// it, through Helm's own Go SDK: with its default values it deploys what
// config/default deploys, object by object, except for the differences the
// chart's README lists; each value a user sets shows where the user would
// look for it; values that cannot work are refused with the reason; every
// rendering is accepted by a real API server with the cert-manager and
// Prometheus Operator CRDs; and `helm install` and `helm uninstall` work
// against it. The package's non-test code renders the chart, for the other
// suites that do (test/release checks the packaged chart).
package chart

import (
	"errors"
	"fmt"
	"io"
	"log/slog"

	"helm.sh/helm/v4/pkg/action"
	helmchart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	release "helm.sh/helm/v4/pkg/release/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/test/deploy"
)

// Dir is the chart's folder in the repository.
const Dir = "charts/p3o-operator"

// Rendering is what `helm template --include-crds` prints and the release
// notes `helm install` would show.
type Rendering struct {
	// Manifest is the rendered YAML stream, CRDs first.
	Manifest string
	// Objects are the objects of Manifest.
	Objects []*unstructured.Unstructured
	// Notes is the rendered NOTES.txt.
	Notes string
}

// Load loads a chart from its folder or a packaged .tgz.
func Load(path string) (*helmchart.Chart, error) {
	return loader.Load(path)
}

// Render renders the chart at path (a folder or a .tgz) as
// `helm install --dry-run=client --include-crds` does: for the release name
// in namespace, with values over the chart's defaults (and checked against
// its values.schema.json).
func Render(path, releaseName, namespace string, values map[string]any) (*Rendering, error) {
	ch, err := Load(path)
	if err != nil {
		return nil, err
	}
	install := action.NewInstall(quietConfiguration())
	install.DryRunStrategy = action.DryRunClient
	install.ReleaseName = releaseName
	install.Namespace = namespace
	install.IncludeCRDs = true
	install.Replace = true // no release store to check the name against
	r, err := install.Run(ch, values)
	if err != nil {
		return nil, err
	}
	rel, ok := r.(*release.Release)
	if !ok {
		return nil, fmt.Errorf("helm returned a %T, not a *release.Release", r)
	}
	objs, err := deploy.DecodeObjects([]byte(rel.Manifest))
	if err != nil {
		return nil, fmt.Errorf("decoding the rendering: %w", err)
	}
	if len(objs) == 0 {
		return nil, errors.New("the chart renders nothing")
	}
	notes := ""
	if rel.Info != nil {
		notes = rel.Info.Notes
	}
	return &Rendering{Manifest: rel.Manifest, Objects: objs, Notes: notes}, nil
}

// quietConfiguration is an action configuration whose log goes nowhere:
// the SDK's warnings (a chart with CRDs may render inaccurately) are for a
// person at a terminal.
func quietConfiguration() *action.Configuration {
	cfg := action.NewConfiguration()
	cfg.SetLogger(slog.NewTextHandler(io.Discard, nil))
	return cfg
}
