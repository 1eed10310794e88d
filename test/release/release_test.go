/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package release checks what a release ships, as a user receives it:
// `make release` writes dist/install.yaml (config/default with the released
// image) and the Helm chart dist/p3o-operator-X.Y.Z.tgz (which loads and
// deploys the released image), and the API server accepts every object of
// both; the alert rules of config/components/alerts fire when and only when
// they should (Prometheus's own rule unit tests, run by promtool) and are
// accepted as a PrometheusRule; `make build-multiarch` and the Dockerfile's builder stage
// cross-compile static binaries for linux/amd64 and linux/arm64 carrying the
// version.
package release

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	helmchart "helm.sh/helm/v4/pkg/chart/v2"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/test/chart"
	"p3o.dev/p3o-operator/test/deploy"
)

// repo is the repository root and kubectl the control plane's kubectl.
var repo, kubectl string

func TestMain(m *testing.M) {
	var err error
	if repo, kubectl, err = deploy.RepoAndKubectl(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// runMake runs make in the repository and returns its combined output and
// error.
func runMake(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "make", append([]string{"--no-print-directory"}, args...)...)
	cmd.Dir = repo
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// release runs `make release` into a temporary folder and returns the path
// of the install.yaml it wrote.
func release(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	dist := t.TempDir()
	out, err := runMake(ctx, append([]string{"release", "DIST=" + dist, "KUBECTL=" + kubectl}, args...)...)
	if err != nil {
		t.Fatalf("make release %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return filepath.Join(dist, "install.yaml")
}

// render runs `kubectl kustomize dir` (relative to the repository root).
func render(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	out, err := deploy.Kustomize(kubectl, repo, dir)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, out)
}

func decode(t *testing.T, data []byte) []*unstructured.Unstructured {
	t.Helper()
	objs, err := deploy.DecodeObjects(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) == 0 {
		t.Fatal("no objects")
	}
	return objs
}

func readObjects(t *testing.T, path string) []*unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, data)
}

func only(objs []*unstructured.Unstructured, kinds ...string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, obj := range objs {
		if slices.Contains(kinds, obj.GetKind()) {
			out = append(out, obj)
		}
	}
	return out
}

// images returns the images of the Deployments' containers.
func images(objs []*unstructured.Unstructured) []string {
	var out []string
	for _, d := range only(objs, "Deployment") {
		containers, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
		for _, c := range containers {
			image, _, _ := unstructured.NestedString(c.(map[string]any), "image")
			out = append(out, image)
		}
	}
	return out
}

// make release VERSION=x.y.z writes config/default, with the image
// IMAGE_REPO:vX.Y.Z and nothing else changed.
func TestMakeRelease(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	installYAML := release(t, ctx, "VERSION=1.2.3")
	objs := readObjects(t, installYAML)

	t.Run("the Deployment runs the released image", func(t *testing.T) {
		if got, want := images(objs), []string{"ghcr.io/p3o-dev/p3o-operator:v1.2.3"}; !slices.Equal(got, want) {
			t.Errorf("images %v, want %v", got, want)
		}
		data, _ := os.ReadFile(installYAML)
		if bytes.Contains(data, []byte("controller:latest")) {
			t.Error("install.yaml still names controller:latest")
		}
	})

	t.Run("everything config/default deploys, and only that", func(t *testing.T) {
		want := render(t, "config/default")
		for _, d := range only(want, "Deployment") {
			containers, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
			_ = unstructured.SetNestedField(containers[0].(map[string]any), "ghcr.io/p3o-dev/p3o-operator:v1.2.3", "image")
			_ = unstructured.SetNestedSlice(d.Object, containers, "spec", "template", "spec", "containers")
		}
		if len(objs) != len(want) {
			t.Fatalf("install.yaml has %d objects, config/default renders %d", len(objs), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(objs[i].Object, want[i].Object) {
				t.Errorf("object %d: install.yaml has %s %s, config/default %s %s (or they differ)",
					i, objs[i].GetKind(), objs[i].GetName(), want[i].GetKind(), want[i].GetName())
			}
		}
	})

	t.Run("CRDs, RBAC, Deployment, webhooks with a cert-manager certificate, metrics Service", func(t *testing.T) {
		count := map[string]int{}
		for _, obj := range objs {
			count[obj.GetKind()]++
		}
		for kind, atLeast := range map[string]int{
			"Namespace": 1, "CustomResourceDefinition": 5, "ServiceAccount": 1, "ClusterRole": 2, "ClusterRoleBinding": 1,
			"Role": 1, "RoleBinding": 1, "Deployment": 1, "Service": 2, "ValidatingWebhookConfiguration": 1,
			"Certificate": 2, "Issuer": 1,
		} {
			if count[kind] < atLeast {
				t.Errorf("%d %s, want at least %d", count[kind], kind, atLeast)
			}
		}
		for _, w := range only(objs, "ValidatingWebhookConfiguration") {
			inject := w.GetAnnotations()["cert-manager.io/inject-ca-from"]
			found := false
			for _, c := range only(objs, "Certificate") {
				found = found || c.GetNamespace()+"/"+c.GetName() == inject
			}
			if !found {
				t.Errorf("%s: cert-manager.io/inject-ca-from %q names no Certificate of install.yaml", w.GetName(), inject)
			}
		}
		metrics := false
		for _, s := range only(objs, "Service") {
			metrics = metrics || s.GetLabels()["app.kubernetes.io/component"] == "metrics"
		}
		if !metrics {
			t.Error("no metrics Service")
		}
	})

	t.Run("the Helm chart, packaged with the release's version and image", func(t *testing.T) {
		checkPackagedChart(t, filepath.Dir(installYAML), "1.2.3", "ghcr.io/p3o-dev/p3o-operator")
	})

	t.Run("a leading v and another image repository", func(t *testing.T) {
		installYAML := release(t, ctx, "VERSION=v0.4.0-rc.1", "IMAGE_REPO=registry.example/p3o/operator")
		objs := readObjects(t, installYAML)
		if got, want := images(objs), []string{"registry.example/p3o/operator:v0.4.0-rc.1"}; !slices.Equal(got, want) {
			t.Errorf("images %v, want %v", got, want)
		}
		checkPackagedChart(t, filepath.Dir(installYAML), "0.4.0-rc.1", "registry.example/p3o/operator")
	})

	t.Run("no release without a release version", func(t *testing.T) {
		for _, version := range []string{"", "dev", "1.2", "1.2.3-", "v1.2.3.4", "1.2.3 extra"} {
			dist := t.TempDir()
			out, err := runMake(ctx, "release", "VERSION="+version, "DIST="+dist, "KUBECTL="+kubectl)
			if err == nil || !strings.Contains(out, "VERSION must be a release version") {
				t.Errorf("make release VERSION=%q: %v\n%s", version, err, out)
			}
			if written, _ := os.ReadDir(dist); len(written) > 0 {
				t.Errorf("make release VERSION=%q wrote %s", version, written[0].Name())
			}
		}
	})

	t.Run("leaves no temporary files behind", func(t *testing.T) {
		leftovers, _ := filepath.Glob(filepath.Join(repo, ".release-*"))
		if len(leftovers) > 0 {
			t.Errorf("left behind: %v", leftovers)
		}
	})
}

// The API server, with cert-manager's and the Prometheus Operator's CRDs,
// accepts every object of dist/install.yaml (with kubectl's server-side
// apply and with the client-side apply the README shows) and of
// config/overlays/alerts (a server-side dry run: nothing is created).
func TestReleaseAppliesToAPIServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	installYAML := release(t, ctx, "VERSION=1.2.3")
	cp := controlplane.StartForTest(t)
	if err := deploy.InstallThirdPartyCRDs(ctx, cp); err != nil {
		t.Fatal(err)
	}

	dryRun := func(t *testing.T, objs []*unstructured.Unstructured, file string, serverSide bool) {
		t.Helper()
		// A dry run creates nothing, so the namespaces come first.
		nsFile := filepath.Join(t.TempDir(), "namespaces.yaml")
		deploy.WriteObjects(t, nsFile, only(objs, "Namespace"))
		if out, err := cp.Kubectl(ctx, "apply", "--server-side", "-f", nsFile); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if err := deploy.DryRunApply(ctx, cp, objs, file, serverSide); err != nil {
			t.Error(err)
		}
	}

	t.Run("dist/install.yaml with server-side apply", func(t *testing.T) {
		dryRun(t, readObjects(t, installYAML), installYAML, true)
	})
	t.Run("dist/install.yaml with kubectl apply -f as the README shows", func(t *testing.T) {
		dryRun(t, readObjects(t, installYAML), installYAML, false)
	})
	t.Run("a Certificate without its Secret is refused: the check has teeth", func(t *testing.T) {
		objs := readObjects(t, installYAML)
		for _, c := range only(objs, "Certificate") {
			unstructured.RemoveNestedField(c.Object, "spec", "secretName")
		}
		file := filepath.Join(t.TempDir(), "broken.yaml")
		deploy.WriteObjects(t, file, objs)
		if out, err := cp.Kubectl(ctx, "apply", "--server-side", "--dry-run=server", "-f", file); err == nil || !strings.Contains(out, "secretName") {
			t.Errorf("the API server accepts Certificates without spec.secretName: %v\n%s", err, out)
		}
	})
	t.Run("the packaged Helm chart with its default values", func(t *testing.T) {
		r, err := chart.Render(filepath.Join(filepath.Dir(installYAML), "p3o-operator-1.2.3.tgz"), "p3o-operator", "p3o-system", nil)
		if err != nil {
			t.Fatal(err)
		}
		// helm install --create-namespace makes the namespace.
		ns := &unstructured.Unstructured{}
		ns.SetAPIVersion("v1")
		ns.SetKind("Namespace")
		ns.SetName("p3o-system")
		objs := append(r.Objects, ns)
		file := filepath.Join(t.TempDir(), "chart.yaml")
		deploy.WriteObjects(t, file, objs)
		dryRun(t, objs, file, true)
	})
	t.Run("config/overlays/alerts", func(t *testing.T) {
		objs := render(t, "config/overlays/alerts")
		if n := len(only(objs, "PrometheusRule")); n != 1 {
			t.Fatalf("config/overlays/alerts renders %d PrometheusRules, want 1", n)
		}
		file := filepath.Join(t.TempDir(), "alerts.yaml")
		deploy.WriteObjects(t, file, objs)
		dryRun(t, objs, file, true)
	})
}

// checkPackagedChart checks the chart make release packaged into dist: it
// loads, has the release's version, appVersion vVERSION and otherwise the
// repository's chart, and deploys imageRepo:vVERSION by default.
func checkPackagedChart(t *testing.T, dist, version, imageRepo string) {
	t.Helper()
	path := filepath.Join(dist, "p3o-operator-"+version+".tgz")
	packaged, err := chart.Load(path)
	if err != nil {
		t.Fatalf("loading the packaged chart: %v", err)
	}
	if got := packaged.Metadata.Version; got != version {
		t.Errorf("chart version %s, want %s", got, version)
	}
	if got := packaged.Metadata.AppVersion; got != "v"+version {
		t.Errorf("appVersion %s, want v%s", got, version)
	}

	source, err := chart.Load(filepath.Join(repo, chart.Dir))
	if err != nil {
		t.Fatal(err)
	}
	files := func(ch *helmchart.Chart) map[string]string {
		out := map[string]string{}
		for _, f := range append(slices.Clone(ch.Templates), ch.Files...) {
			out[f.Name] = string(f.Data)
		}
		for _, f := range ch.Raw {
			if f.Name == "values.yaml" {
				out[f.Name] = string(f.Data)
			}
		}
		return out
	}
	want := files(source)
	if imageRepo != "ghcr.io/p3o-dev/p3o-operator" {
		want["values.yaml"] = strings.Replace(want["values.yaml"], "repository: ghcr.io/p3o-dev/p3o-operator", "repository: "+imageRepo, 1)
	}
	if diff := cmp.Diff(want, files(packaged)); diff != "" {
		t.Errorf("the packaged chart differs from charts/p3o-operator in more than version and image (-repository +package):\n%s", diff)
	}

	r, err := chart.Render(path, "p3o-operator", "p3o-system", nil)
	if err != nil {
		t.Fatalf("rendering the packaged chart: %v", err)
	}
	if got, want := images(r.Objects), []string{imageRepo + ":v" + version}; !slices.Equal(got, want) {
		t.Errorf("the packaged chart deploys %v, want %v", got, want)
	}
	if n := len(only(r.Objects, "CustomResourceDefinition")); n != 5 {
		t.Errorf("the packaged chart has %d CRDs, want 5", n)
	}
}
