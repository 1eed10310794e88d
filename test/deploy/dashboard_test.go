/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// The dashboard as config/overlays/dashboard deploys it: `p3o-operator
// dashboard` with the arguments of the rendered Deployment, reading with
// the token of the rendered ServiceAccount bound to the rendered read-only
// ClusterRole and nothing more. It answers a viewer without a valid token
// with 401, shows each viewer the offices they may list and no others,
// serves /healthz to the probes without a token, and stops on SIGTERM.
func TestDashboardAsDeployed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	binary := controlplane.BuildOperatorForTest(t, ctx)
	rendered := render(t, "config/overlays/dashboard")
	deployment := named(t, rendered, "Deployment", "p3o-dashboard")
	cp := controlplane.StartForTest(t)
	apply(t, ctx, cp, only(rendered, "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"))
	if out, err := cp.Kubectl(ctx, "apply", "-k", "config/samples"); err != nil {
		t.Fatalf("applying the samples: %v\n%s", err, out)
	}

	sa := field(deployment, "spec", "template", "spec", "serviceAccountName")
	token, err := cp.ServiceAccountToken(ctx, deployment.GetNamespace(), sa)
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig, err := cp.KubeconfigForToken("dashboard", token)
	if err != nil {
		t.Fatal(err)
	}
	address, err := controlplane.FreeLoopbackAddress()
	if err != nil {
		t.Fatal(err)
	}
	containers, _, _ := unstructured.NestedSlice(deployment.Object, "spec", "template", "spec", "containers")
	args, _, _ := unstructured.NestedStringSlice(containers[0].(map[string]any), "args")
	// As rendered, but on loopback and with its kubeconfig: a test server
	// listens on 127.0.0.1 only.
	args = append(args, "--bind-address="+address, "--kubeconfig="+kubeconfig)
	dashboard := startDashboardProcess(t, binary, args)
	base := "http://" + address

	controlplane.WaitFor(t, time.Minute, func() (bool, string) {
		code, body := dashboardGet(ctx, base+"/healthz", "")
		return code == http.StatusOK, body
	})
	t.Run("a viewer without a valid token is refused with 401", func(t *testing.T) {
		for _, bearer := range []string{"", "not-a-token"} {
			if code, _ := dashboardGet(ctx, base+"/", bearer); code != http.StatusUnauthorized {
				t.Errorf("token %q: HTTP %d, want 401", bearer, code)
			}
		}
	})
	t.Run("each viewer sees the offices they may list", func(t *testing.T) {
		checkViewers(t, ctx, cp, base, only(rendered, "ClusterRole"))
	})
	t.Run("SIGTERM stops it", func(t *testing.T) {
		if err := dashboard.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- dashboard.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("the dashboard after SIGTERM: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("the dashboard did not stop within 20 s of SIGTERM")
		}
	})
}

// checkViewers binds the governance-viewer persona role of roles to one
// viewer in p3o-central only and to another cluster-wide, and checks what
// the organisation page shows each, and a viewer bound to nothing.
func checkViewers(t *testing.T, ctx context.Context, cp *controlplane.ControlPlane, base string, roles []*unstructured.Unstructured) {
	viewer := ""
	for _, role := range roles {
		if strings.HasSuffix(role.GetName(), "governance-viewer") {
			viewer = role.GetName()
		}
	}
	if viewer == "" {
		t.Fatal("the rendering has no governance-viewer ClusterRole")
	}
	for _, args := range [][]string{
		{"create", "rolebinding", "-n", "p3o-central", "central-viewer", "--clusterrole=" + viewer, "--serviceaccount=people:central"},
		{"create", "clusterrolebinding", "everywhere-viewer", "--clusterrole=" + viewer, "--serviceaccount=people:everywhere"},
	} {
		if out, err := cp.Kubectl(ctx, args...); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	const central, retail = `data-object="Office/p3o-central/portfolio-office"`, `data-object="Office/p3o-retail/retail-pmo"`
	for _, c := range []struct {
		name        string
		sees, hides []string
	}{
		{"nobody", nil, []string{central, retail}},
		{"central", []string{central}, []string{retail}},
		{"everywhere", []string{central, retail}, nil},
	} {
		token, err := cp.ServiceAccountToken(ctx, "people", c.name)
		if err != nil {
			t.Fatal(err)
		}
		code, body := dashboardGet(ctx, base+"/", token)
		if code != http.StatusOK {
			t.Errorf("%s: HTTP %d, want 200\n%.800s", c.name, code, body)
			continue
		}
		for _, want := range c.sees {
			if !strings.Contains(body, want) {
				t.Errorf("%s does not see %s", c.name, want)
			}
		}
		for _, hidden := range c.hides {
			if strings.Contains(body, hidden) {
				t.Errorf("%s sees %s, which they may not list", c.name, hidden)
			}
		}
	}
}

// startDashboardProcess runs the operator binary with args, stopping it
// at the end of the test and logging its output when the test failed.
func startDashboardProcess(t *testing.T, binary string, args []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, args...)
	out := &controlplane.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		if t.Failed() {
			t.Logf("dashboard log:\n%s", out.String())
		}
	})
	return cmd
}

// dashboardGet gets url with bearer as the Authorization header (none when
// empty), as an authenticating proxy in front of the dashboard sends it.
func dashboardGet(ctx context.Context, url, bearer string) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err.Error()
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// named returns the object of kind and name, failing the test without it.
func named(t *testing.T, objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	for _, obj := range only(objs, kind) {
		if obj.GetName() == name {
			return obj
		}
	}
	t.Fatalf("the rendering has no %s %s", kind, name)
	return nil
}
