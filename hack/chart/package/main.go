/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Command package packages the Helm chart for a release with Helm's Go SDK,
// as `helm package --version X.Y.Z --app-version vX.Y.Z` would: it writes
// <out>/p3o-operator-X.Y.Z.tgz whose chart version is X.Y.Z and whose
// appVersion is vX.Y.Z, the image tag the chart defaults to; with
// -image-repo other than the chart's default, values.yaml names that
// repository instead. `make release` runs it; test/release checks that the
// package loads and renders the released image.
//
//	go run ./hack/chart/package -version 1.2.3 [-image-repo REPO] [-chart charts/p3o-operator] [-out dist]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/Masterminds/semver/v3"
	helmchart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
)

func main() {
	version := flag.String("version", "", "The release version X.Y.Z (without v).")
	imageRepo := flag.String("image-repo", "", "The image repository the chart deploys (default: the chart's image.repository).")
	chartDir := flag.String("chart", "charts/p3o-operator", "The chart folder.")
	out := flag.String("out", "dist", "The folder to write the package into.")
	flag.Parse()
	path, err := packageChart(*chartDir, *version, *imageRepo, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "package:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}

func packageChart(dir, version, imageRepo, out string) (string, error) {
	if _, err := semver.StrictNewVersion(version); err != nil {
		return "", fmt.Errorf("-version %q is not a release version X.Y.Z: %w", version, err)
	}
	ch, err := loader.LoadDir(dir)
	if err != nil {
		return "", err
	}
	ch.Metadata.Version = version
	ch.Metadata.AppVersion = "v" + version
	if imageRepo != "" {
		if err := setImageRepository(ch, imageRepo); err != nil {
			return "", err
		}
	}
	// Written beside the destination and renamed, so that a failure leaves
	// no partial package.
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(out, ".package-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	written, err := chartutil.Save(ch, tmp)
	if err != nil {
		return "", err
	}
	path := filepath.Join(out, filepath.Base(written))
	return path, os.Rename(written, path)
}

// setImageRepository makes values.yaml name repo as image.repository,
// changing only that line so that the documentation stays.
func setImageRepository(ch *helmchart.Chart, repo string) error {
	image, _ := ch.Values["image"].(map[string]any)
	current, _ := image["repository"].(string)
	if current == "" {
		return errors.New("values.yaml has no image.repository")
	}
	if repo == current {
		return nil
	}
	line := regexp.MustCompile(`(?m)^(  repository: *)` + regexp.QuoteMeta(current) + ` *$`)
	for _, f := range ch.Raw {
		if f.Name != chartutil.ValuesfileName {
			continue
		}
		if n := len(line.FindAllIndex(f.Data, -1)); n != 1 {
			return fmt.Errorf("values.yaml: found %d lines `  repository: %s`, want 1", n, current)
		}
		f.Data = line.ReplaceAll(f.Data, append([]byte("${1}"), bytes.ReplaceAll([]byte(repo), []byte("$"), []byte("$$"))...))
		image["repository"] = repo
		return nil
	}
	return errors.New("the chart has no values.yaml")
}
