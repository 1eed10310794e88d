/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package chart

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/test/deploy"
)

// A real API server, with cert-manager's and the Prometheus Operator's
// CRDs, accepts every object of every scenario's rendering (a server-side
// dry run: nothing is created); and `helm install` with the default values
// creates the operator's objects, `helm uninstall` removes them and leaves
// the CRDs, and with them every governance object.
func TestRenderingsApplyToAPIServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cp := controlplane.StartForTest(t)
	if err := deploy.InstallThirdPartyCRDs(ctx, cp); err != nil {
		t.Fatal(err)
	}

	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			s := findScenario(t, s.name)
			r := s.render(t)
			createNamespace(t, ctx, cp, s.namespace)
			file := filepath.Join(t.TempDir(), "rendering.yaml")
			deploy.WriteObjects(t, file, r.Objects)
			if err := deploy.DryRunApply(ctx, cp, r.Objects, file, true); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("the check has teeth: a ServiceMonitor without its selector is refused", func(t *testing.T) {
		r := renderScenario(t, "monitoring")
		for _, m := range only(r.Objects, "ServiceMonitor") {
			unstructured.RemoveNestedField(m.Object, "spec", "selector")
		}
		file := filepath.Join(t.TempDir(), "broken.yaml")
		deploy.WriteObjects(t, file, r.Objects)
		if err := deploy.DryRunApply(ctx, cp, r.Objects, file, true); err == nil || !strings.Contains(err.Error(), "selector") {
			t.Errorf("the API server accepts a ServiceMonitor without spec.selector: %v", err)
		}
	})

	t.Run("helm install and helm uninstall", func(t *testing.T) {
		cfg := helmConfiguration(t, cp, namespace)
		ch, err := Load(chartPath)
		if err != nil {
			t.Fatal(err)
		}
		install := action.NewInstall(cfg)
		install.ReleaseName = releaseName
		install.Namespace = namespace
		install.CreateNamespace = true
		install.WaitStrategy = kube.HookOnlyStrategy
		install.Timeout = 2 * time.Minute
		if _, err := install.RunWithContext(ctx, ch, nil); err != nil {
			t.Fatalf("helm install: %v", err)
		}
		image, err := cp.Kubectl(ctx, "get", "deployment", "-n", namespace, prefix+"-controller-manager", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
		if err != nil || image != "ghcr.io/p3o-dev/p3o-operator:"+ch.Metadata.AppVersion {
			t.Errorf("after helm install: the Deployment's image %q, %v", image, err)
		}
		for _, object := range []string{
			"validatingwebhookconfiguration/" + prefix + "-validating-webhook-configuration",
			"clusterrole/" + prefix + "-manager-role",
			"clusterrole/" + prefix + "-governance-viewer",
			"certificate.cert-manager.io/" + prefix + "-serving-cert",
			"service/" + prefix + "-controller-manager-metrics",
		} {
			if out, err := cp.Kubectl(ctx, "get", "-n", namespace, object, "-o", "name"); err != nil {
				t.Errorf("after helm install: %v\n%s", err, out)
			}
		}

		uninstall := action.NewUninstall(cfg)
		uninstall.WaitStrategy = kube.HookOnlyStrategy
		uninstall.Timeout = 2 * time.Minute
		if _, err := uninstall.Run(releaseName); err != nil {
			t.Fatalf("helm uninstall: %v", err)
		}
		if out, err := cp.Kubectl(ctx, "get", "deployments,services,serviceaccounts,certificates,issuers,roles,rolebindings", "-n", namespace, "-o", "name"); err != nil || strings.Contains(out, prefix+"-") {
			t.Errorf("after helm uninstall, %s holds:\n%s%v", namespace, out, err)
		}
		if out, err := cp.Kubectl(ctx, "get", "clusterroles,validatingwebhookconfigurations", "-o", "name"); err != nil || strings.Contains(out, prefix+"-") {
			t.Errorf("after helm uninstall: %v\n%s", err, out)
		}
		if out, err := cp.Kubectl(ctx, "get", "crd", "projects.governance.p3o.dev", "-o", "name"); err != nil {
			t.Errorf("helm uninstall removed the CRDs (and every governance object): %v\n%s", err, out)
		}
	})
}

// helmConfiguration is Helm's action configuration for the control plane's
// admin, as `helm --kubeconfig ... -n namespace` uses it.
func helmConfiguration(t *testing.T, cp *controlplane.ControlPlane, namespace string) *action.Configuration {
	t.Helper()
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &cp.Kubeconfig
	flags.Namespace = &namespace
	cfg := quietConfiguration()
	if err := cfg.Init(flags, namespace, "secret"); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func createNamespace(t *testing.T, ctx context.Context, cp *controlplane.ControlPlane, name string) {
	t.Helper()
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(name)
	file := filepath.Join(t.TempDir(), "namespace.yaml")
	deploy.WriteObjects(t, file, []*unstructured.Unstructured{ns})
	if out, err := cp.Kubectl(ctx, "apply", "--server-side", "-f", file); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
