/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// deployed is the operator running as config/default deploys it: with the
// token of the rendered ServiceAccount, bound to the rendered roles only,
// electing a leader in the rendered namespace.
type deployed struct {
	cp       *controlplane.ControlPlane
	op       *controlplane.Operator
	rendered []*unstructured.Unstructured
	logPath  string
}

// startDeployed installs the RBAC objects of config/default's rendering
// (Namespace, ServiceAccount, roles and bindings) on a fresh control plane
// and runs the operator with the ServiceAccount's token.
func startDeployed(t *testing.T, ctx context.Context) *deployed {
	t.Helper()
	binary := buildOperator(t, ctx)
	d := &deployed{cp: startControlPlane(t), rendered: render(t, "config/default")}
	apply(t, ctx, d.cp, only(d.rendered, "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"))

	sa := one(t, d.rendered, "ServiceAccount")
	if got := field(one(t, d.rendered, "Deployment"), "spec", "template", "spec", "serviceAccountName"); got != sa.GetName() {
		t.Fatalf("the Deployment runs as ServiceAccount %q; the rendering has %s", got, nameOf(sa))
	}
	token, err := d.cp.ServiceAccountToken(ctx, sa.GetNamespace(), sa.GetName())
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig, err := d.cp.KubeconfigForToken("operator", token)
	if err != nil {
		t.Fatal(err)
	}
	d.logPath = filepath.Join(t.TempDir(), "operator.log")
	logFile, err := os.Create(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	d.op, err = d.cp.StartOperatorWithKubeconfig(binary, kubeconfig, logFile,
		"--leader-elect", "--leader-election-namespace", sa.GetNamespace())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.op.Stop(30 * time.Second); err != nil {
			t.Errorf("stopping the operator: %v", err)
		}
		logFile.Close()
		if t.Failed() {
			log, _ := os.ReadFile(d.logPath)
			t.Logf("operator log:\n%s", log)
		}
	})
	return d
}

func (d *deployed) kubectl(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	out, err := d.cp.Kubectl(ctx, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The operator as deployed: it reconciles the sample organisation with the
// permissions config/rbac gives its ServiceAccount, and serves metrics over
// HTTPS only to subjects allowed to get /metrics.
func TestOperatorAsDeployed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	d := startDeployed(t, ctx)

	t.Run("the sample organisation becomes Ready", func(t *testing.T) {
		d.kubectl(t, ctx, "apply", "-k", "config/samples")
		d.kubectl(t, ctx, "wait", "--for=condition=Ready", "--timeout=120s", "-A", "--all",
			"offices,portfolios,programmes,projects,gatewayreviews")
	})

	t.Run("an anonymous scrape is refused with 401", func(t *testing.T) {
		code, body, err := d.op.Scrape(ctx, "")
		if err != nil || code != http.StatusUnauthorized {
			t.Errorf("anonymous scrape: %d, %v\n%s", code, err, body)
		}
	})

	t.Run("a ServiceAccount without metrics-reader is refused with 403", func(t *testing.T) {
		token, err := d.cp.ServiceAccountToken(ctx, "monitoring", "nobody")
		if err != nil {
			t.Fatal(err)
		}
		code, body, err := d.op.Scrape(ctx, token)
		if err != nil || code != http.StatusForbidden {
			t.Errorf("scrape as monitoring/nobody: %d, %v\n%s", code, err, body)
		}
	})

	t.Run("a ServiceAccount bound to metrics-reader scrapes the governance series", func(t *testing.T) {
		reader := ""
		for _, role := range only(d.rendered, "ClusterRole") {
			if strings.HasSuffix(role.GetName(), "metrics-reader") {
				reader = role.GetName()
			}
		}
		if reader == "" {
			t.Fatal("config/default renders no metrics-reader ClusterRole")
		}
		token, err := d.cp.ServiceAccountToken(ctx, "monitoring", "prometheus")
		if err != nil {
			t.Fatal(err)
		}
		// As the README tells a cluster admin to bind it.
		d.kubectl(t, ctx, "create", "clusterrolebinding", "prometheus-p3o-metrics",
			"--clusterrole="+reader, "--serviceaccount=monitoring:prometheus")
		waitFor(t, 30*time.Second, func() (bool, string) {
			code, body, err := d.op.Scrape(ctx, token)
			return err == nil && code == http.StatusOK &&
					strings.Contains(body, `p3o_project_health{health="Red",namespace="p3o-central",project="erp-migration"} 1`),
				http.StatusText(code)
		})
	})
}
