/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// renderings are the kustomize entry points a user deploys, each with
// whether it holds a ServiceMonitor.
var renderings = []struct {
	dir            string
	serviceMonitor bool
}{
	{"config/default", false},
	{"config/overlays/fail-closed", false},
	{"config/overlays/prometheus", true},
	{"config/overlays/dashboard", false},
}

// renamedOverlay writes, under test/deploy/testdata, an overlay that deploys
// config/overlays/prometheus under another namespace and name prefix the
// way config/default/references/kustomization.yaml tells a user to, and
// returns its folder relative to the repository root.
func renamedOverlay(t *testing.T) string {
	t.Helper()
	testdata := filepath.Join(repo, "test", "deploy", "testdata")
	if err := os.MkdirAll(testdata, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(testdata, "overlay-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	config, err := filepath.Rel(dir, filepath.Join(repo, "config"))
	if err != nil {
		t.Fatal(err)
	}
	kustomization := fmt.Sprintf(`namespace: governance
namePrefix: acme-
resources:
- %[1]s/overlays/prometheus
transformers:
- %[1]s/default/references
`, filepath.ToSlash(config))
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(kustomization), 0o600); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(repo, dir)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// Every reference between the rendered objects resolves to an object of the
// same rendering: kustomize's namePrefix and namespace reach names that sit
// inside strings and in kinds it does not know only through
// config/default/references, and nothing else checks that they did.
func TestRenderingsHoldTogether(t *testing.T) {
	for _, r := range renderings {
		t.Run(r.dir, func(t *testing.T) {
			objs := render(t, r.dir)
			for _, problem := range CheckReferences(objs, r.serviceMonitor) {
				t.Error(problem)
			}
		})
	}
	t.Run("an overlay with another namespace and name prefix", func(t *testing.T) {
		objs := render(t, renamedOverlay(t))
		for _, problem := range CheckReferences(objs, true) {
			t.Error(problem)
		}
		for _, obj := range objs {
			if ns := obj.GetNamespace(); ns != "" && ns != "governance" {
				t.Errorf("%s %s is in namespace %s; the overlay says governance", obj.GetKind(), nameOf(obj), ns)
			}
			if obj.GetKind() != "CustomResourceDefinition" && obj.GetKind() != "Namespace" && !strings.HasPrefix(obj.GetName(), "acme-") {
				t.Errorf("%s %s lacks the overlay's name prefix acme-", obj.GetKind(), nameOf(obj))
			}
		}
	})
}

// The check itself finds each kind of broken reference (so that a passing
// TestRenderingsHoldTogether means something).
func TestCheckReferencesFindsBreakage(t *testing.T) {
	breakages := map[string]func(objs []*unstructured.Unstructured){
		"issuerRef names no Issuer": func(objs []*unstructured.Unstructured) {
			_ = unstructured.SetNestedField(only(objs, "Certificate")[0].Object, "selfsigned-issuer", "spec", "issuerRef", "name")
		},
		"webhook certificate Secret not mounted": func(objs []*unstructured.Unstructured) {
			for _, c := range only(objs, "Certificate") {
				if c.GetName() == "p3o-serving-cert" {
					_ = unstructured.SetNestedField(c.Object, "other-secret", "spec", "secretName")
				}
			}
		},
		"webhook Service not in the output": func(objs []*unstructured.Unstructured) {
			w := only(objs, "ValidatingWebhookConfiguration")[0]
			hooks, _, _ := unstructured.NestedSlice(w.Object, "webhooks")
			_ = unstructured.SetNestedField(hooks[0].(map[string]any), "webhook-service", "clientConfig", "service", "name")
			_ = unstructured.SetNestedSlice(w.Object, hooks, "webhooks")
		},
		"CA injected from no Certificate": func(objs []*unstructured.Unstructured) {
			w := only(objs, "ValidatingWebhookConfiguration")[0]
			w.SetAnnotations(map[string]string{"cert-manager.io/inject-ca-from": "p3o-system/serving-cert"})
		},
		"certificate without the Service's DNS name": func(objs []*unstructured.Unstructured) {
			for _, c := range only(objs, "Certificate") {
				_ = unstructured.SetNestedStringSlice(c.Object, []string{"webhook-service.system.svc"}, "spec", "dnsNames")
			}
		},
		"metrics Service selects no pod": func(objs []*unstructured.Unstructured) {
			for _, s := range only(objs, "Service") {
				_ = unstructured.SetNestedStringMap(s.Object, map[string]string{"app": "other"}, "spec", "selector")
			}
		},
		"ServiceMonitor selects no Service": func(objs []*unstructured.Unstructured) {
			m := only(objs, "ServiceMonitor")[0]
			_ = unstructured.SetNestedStringMap(m.Object, map[string]string{"app": "other"}, "spec", "selector", "matchLabels")
		},
		"ServiceMonitor in another namespace": func(objs []*unstructured.Unstructured) {
			only(objs, "ServiceMonitor")[0].SetNamespace("system")
		},
		"dashboard Service selects the operator's pods": func(objs []*unstructured.Unstructured) {
			for _, s := range only(objs, "Service") {
				if s.GetName() == "p3o-dashboard" {
					_ = unstructured.SetNestedStringMap(s.Object, map[string]string{"control-plane": "controller-manager"}, "spec", "selector")
				}
			}
		},
		"dashboard run as the operator": func(objs []*unstructured.Unstructured) {
			for _, d := range only(objs, "Deployment") {
				if d.GetName() == "p3o-dashboard" {
					containers, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
					containers[0].(map[string]any)["args"] = []any{"--leader-elect"}
					_ = unstructured.SetNestedSlice(d.Object, containers, "spec", "template", "spec", "containers")
				}
			}
		},
		"dashboard ServiceAccount unbound": func(objs []*unstructured.Unstructured) {
			for _, b := range only(objs, "ClusterRoleBinding") {
				if b.GetName() == "p3o-dashboard" {
					_ = unstructured.SetNestedSlice(b.Object, []any{map[string]any{"kind": "ServiceAccount", "name": "p3o-dashboard", "namespace": "system"}}, "subjects")
				}
			}
		},
		"binding to an absent ServiceAccount": func(objs []*unstructured.Unstructured) {
			b := only(objs, "ClusterRoleBinding")[0]
			_ = unstructured.SetNestedSlice(b.Object, []any{map[string]any{"kind": "ServiceAccount", "name": "controller-manager", "namespace": "system"}}, "subjects")
		},
	}
	// The ServiceMonitor's rendering with the dashboard's objects added.
	intact := render(t, "config/overlays/prometheus")
	for _, obj := range render(t, "config/overlays/dashboard") {
		if obj.GetName() == "p3o-dashboard" {
			intact = append(intact, obj)
		}
	}
	if problems := CheckReferences(intact, true); len(problems) > 0 {
		t.Fatalf("the intact rendering has problems: %v", problems)
	}
	for name, breakIt := range breakages {
		t.Run(name, func(t *testing.T) {
			objs := make([]*unstructured.Unstructured, len(intact))
			for i, obj := range intact {
				objs[i] = obj.DeepCopy()
			}
			breakIt(objs)
			if problems := CheckReferences(objs, true); len(problems) == 0 {
				t.Errorf("no problem found")
			} else {
				t.Logf("found: %v", problems)
			}
		})
	}
}

// crdModules are the modules (pinned in hack/crds/go.mod) whose CRDs the
// renderings need, with the files to install from each.
var crdModules = []struct {
	module string
	files  []string
}{
	{"github.com/cert-manager/cert-manager", []string{"deploy/crds/cert-manager.io_certificates.yaml", "deploy/crds/cert-manager.io_issuers.yaml"}},
	{"github.com/prometheus-operator/prometheus-operator", []string{"example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"}},
}

// moduleDir downloads module at the version hack/crds/go.mod pins into the
// module cache and returns its folder there.
func moduleDir(t *testing.T, ctx context.Context, module string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module)
	cmd.Dir = filepath.Join(repo, "hack", "crds")
	out, err := cmd.Output()
	var info struct{ Dir, Version, Error string }
	if jerr := json.Unmarshal(out, &info); jerr != nil || err != nil || info.Error != "" || info.Dir == "" {
		t.Fatalf("go mod download -json %s (in hack/crds): %v %v %s\n%s", module, err, jerr, info.Error, out)
	}
	t.Logf("CRDs from %s@%s", module, info.Version)
	return info.Dir
}

// The API server accepts every rendering (a server-side dry run, with the
// cert-manager and Prometheus Operator CRDs installed, so that their
// objects are checked against the real schemas).
func TestRenderingsApplyToAPIServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var crds []string
	for _, m := range crdModules {
		dir := moduleDir(t, ctx, m.module)
		for _, f := range m.files {
			crds = append(crds, filepath.Join(dir, f))
		}
	}
	cp := controlplane.StartForTest(t)
	if _, err := envtest.InstallCRDs(cp.Config, envtest.CRDInstallOptions{Paths: crds, ErrorIfPathMissing: true}); err != nil {
		t.Fatalf("installing the cert-manager and Prometheus Operator CRDs: %v", err)
	}

	dirs := []string{renamedOverlay(t)}
	for _, r := range renderings {
		dirs = append(dirs, r.dir)
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			objs := render(t, dir)
			// A dry run creates nothing, so the namespaces come first.
			apply(t, ctx, cp, only(objs, "Namespace"))
			out := apply(t, ctx, cp, objs, "--dry-run=server")
			for _, obj := range objs {
				if !strings.Contains(out, obj.GetName()) {
					t.Errorf("kubectl apply --dry-run=server does not mention %s %s:\n%s", obj.GetKind(), nameOf(obj), out)
				}
			}
		})
	}
}
