/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// makeTarget runs make in the repository with the given arguments, without
// regenerating the manifests (the tree's are checked by make test).
func makeTarget(t *testing.T, ctx context.Context, env []string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "make", append([]string{"-o", "manifests", "-o", "generate"}, args...)...)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// make deploy and make undeploy against a real API server (with
// cert-manager's CRDs, which config/default needs): undeploy keeps the CRDs
// and so every governance object unless DELETE_CRDS=1, and says so.
func TestMakeDeployUndeploy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	crds := []string{}
	for _, m := range crdModules[:1] {
		dir := moduleDir(t, ctx, m.module)
		for _, f := range m.files {
			crds = append(crds, filepath.Join(dir, f))
		}
	}
	cp := controlplane.StartForTest(t)
	if _, err := envtest.InstallCRDs(cp.Config, envtest.CRDInstallOptions{Paths: crds, ErrorIfPathMissing: true}); err != nil {
		t.Fatal(err)
	}
	kubectlArg := "KUBECTL=" + kubectl + " --kubeconfig=" + cp.Kubeconfig

	makeTarget(t, ctx, nil, "deploy", "IMG=registry.example/p3o-operator:v9", kubectlArg)
	image, err := cp.Kubectl(ctx, "get", "deployment", "-n", "p3o-system", "p3o-controller-manager", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
	if err != nil || image != "registry.example/p3o-operator:v9" {
		t.Fatalf("after make deploy: image %q, %v", image, err)
	}
	for _, f := range []string{"config/samples/00-namespaces.yaml", "config/samples/offices.yaml"} {
		if _, err := cp.Kubectl(ctx, "apply", "-f", f); err != nil {
			t.Fatal(err)
		}
	}

	out := makeTarget(t, ctx, nil, "undeploy", "WAIT=false", kubectlArg)
	if !strings.Contains(out, "keeping the CRDs and every governance object (DELETE_CRDS=1 deletes them too)") {
		t.Errorf("make undeploy does not say it keeps the CRDs:\n%s", out)
	}
	if strings.Contains(out, "customresourcedefinition") {
		t.Errorf("make undeploy deleted CRDs:\n%s", out)
	}
	if got, err := cp.Kubectl(ctx, "get", "deployment", "-n", "p3o-system", "--ignore-not-found", "-o", "name"); err != nil || got != "" {
		t.Errorf("after make undeploy: deployments %q, %v", got, err)
	}
	if got, err := cp.Kubectl(ctx, "get", "offices", "-A", "-o", "name"); err != nil || !strings.Contains(got, "office.governance.p3o.dev/portfolio-office") {
		t.Errorf("after make undeploy the offices are gone: %q, %v", got, err)
	}

	out = makeTarget(t, ctx, nil, "undeploy", "WAIT=false", "DELETE_CRDS=1", kubectlArg)
	if !strings.Contains(out, "DELETE_CRDS=1: deleting the CRDs too") || !strings.Contains(out, `customresourcedefinition.apiextensions.k8s.io "projects.governance.p3o.dev" deleted`) {
		t.Errorf("make undeploy DELETE_CRDS=1 did not delete the CRDs, or did not say so:\n%s", out)
	}
}

// make run works without certificates: the webhooks are off, and it says so.
func TestMakeRunWithoutCertificates(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cp := controlplane.StartForTest(t)
	metrics, err := controlplane.FreeLoopbackAddress()
	if err != nil {
		t.Fatal(err)
	}
	probe, err := controlplane.FreeLoopbackAddress()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "-o", "manifests", "-o", "generate", "run", "METRICS_ADDR="+metrics, "PROBE_ADDR="+probe)
	cmd.Dir = repo
	// TMPDIR: a folder with no k8s-webhook-server/serving-certs in it.
	cmd.Env = append(os.Environ(), "KUBECONFIG="+cp.Kubeconfig, "TMPDIR="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &controlplane.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		// make, go run and the operator share the process group.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			t.Logf("make run:\n%s", out.String())
		}
	})
	controlplane.WaitFor(t, 3*time.Minute, func() (bool, string) {
		select {
		case err := <-done:
			t.Fatalf("make run exited: %v", err)
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+probe+"/readyz?verbose", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == http.StatusOK, string(body)
	})
	text := out.String()
	for _, want := range []string{"make run: webhooks OFF (no WEBHOOK_CERT_DIR)", "Admission webhooks are off", "--enable-webhooks=false"} {
		if !strings.Contains(text, want) {
			t.Errorf("make run does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Serving the admission webhooks") {
		t.Errorf("make run serves webhooks without certificates:\n%s", text)
	}
}
