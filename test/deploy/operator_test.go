/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"context"
	"fmt"
	"io"
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
// electing a leader in the rendered namespace. The API server writes an
// audit log of every request the operator makes.
type deployed struct {
	cp       *controlplane.ControlPlane
	op       *controlplane.Operator
	rendered []*unstructured.Unstructured
	sa       *unstructured.Unstructured
	logPath  string
	auditLog string
}

// startDeployed installs the RBAC objects of config/default's rendering
// (Namespace, ServiceAccount, roles and bindings) on a fresh control plane
// and runs the operator with the ServiceAccount's token.
func startDeployed(t *testing.T, ctx context.Context) *deployed {
	t.Helper()
	binary := controlplane.BuildOperatorForTest(t, ctx)
	d := &deployed{rendered: render(t, "config/default")}
	d.sa = one(t, d.rendered, "ServiceAccount")
	if got := field(one(t, d.rendered, "Deployment"), "spec", "template", "spec", "serviceAccountName"); got != d.sa.GetName() {
		t.Fatalf("the Deployment runs as ServiceAccount %q; the rendering has %s", got, nameOf(d.sa))
	}

	dir := t.TempDir()
	policy := filepath.Join(dir, "audit-policy.yaml")
	d.auditLog = filepath.Join(dir, "audit.log")
	if err := os.WriteFile(policy, []byte(fmt.Sprintf(`apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  users: [%q]
- level: None
`, d.username())), 0o600); err != nil {
		t.Fatal(err)
	}
	d.cp = controlplane.StartForTest(t, controlplane.WithAuditLog(policy, d.auditLog))
	apply(t, ctx, d.cp, only(d.rendered, "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"))

	token, err := d.cp.ServiceAccountToken(ctx, d.sa.GetNamespace(), d.sa.GetName())
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig, err := d.cp.KubeconfigForToken("operator", token)
	if err != nil {
		t.Fatal(err)
	}
	d.logPath = filepath.Join(dir, "operator.log")
	logFile, err := os.Create(d.logPath)
	if err != nil {
		t.Fatal(err)
	}
	d.op, err = d.cp.StartOperatorWithKubeconfig(binary, kubeconfig, logFile,
		"--leader-elect", "--leader-election-namespace", d.sa.GetNamespace())
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

// username is the operator's user name at the API server.
func (d *deployed) username() string {
	return "system:serviceaccount:" + d.sa.GetNamespace() + ":" + d.sa.GetName()
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

	t.Run("the operator is ready once its informers synced and its webhooks listen", func(t *testing.T) {
		controlplane.WaitFor(t, 60*time.Second, func() (bool, string) {
			resp, err := http.Get("http://" + d.op.ProbeAddress + "/readyz?verbose")
			if err != nil {
				return false, err.Error()
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode == http.StatusOK &&
				strings.Contains(string(body), "[+]informers ok") &&
				strings.Contains(string(body), "[+]webhooks ok"), string(body)
		})
	})

	t.Run("the sample organisation becomes Ready", func(t *testing.T) {
		d.kubectl(t, ctx, "apply", "-f", "config/samples/00-namespaces.yaml")
		// A report ConfigMap made by hand, without the report labels: the
		// operator reads it from the API server (it is not in its cache)
		// and adopts it.
		d.kubectl(t, ctx, "create", "configmap", "-n", "p3o-central", "office-portfolio-office-report", "--from-literal=note=made by hand")
		d.kubectl(t, ctx, "apply", "-k", "config/samples")
		d.kubectl(t, ctx, "wait", "--for=condition=Ready", "--timeout=120s", "-A", "--all",
			"offices,portfolios,programmes,projects,gatewayreviews")
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			out, _ := d.cp.Kubectl(ctx, "get", "cm", "-n", "p3o-central", "office-portfolio-office-report", "-o", "jsonpath={.metadata.ownerReferences[0].kind}")
			return out == "Office", "owner " + out
		})
	})

	t.Run("turning a programme's reports off deletes its report", func(t *testing.T) {
		d.kubectl(t, ctx, "patch", "programme", "-n", "p3o-central", "cloud-migration", "--type=merge", "-p", `{"spec":{"reports":{"mode":"Disabled"}}}`)
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			out, err := d.cp.Kubectl(ctx, "get", "cm", "-n", "p3o-central", "programme-cloud-migration-report", "--ignore-not-found", "-o", "name")
			return err == nil && out == "", out
		})
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
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			code, body, err := d.op.Scrape(ctx, token)
			return err == nil && code == http.StatusOK &&
					strings.Contains(body, `p3o_project_health{health="Red",namespace="p3o-central",project="erp-migration"} 1`),
				http.StatusText(code)
		})
	})

	// Last, when the run has used what it will.
	t.Run("the operator's roles grant exactly what it uses", func(t *testing.T) {
		checkLeastPrivilege(t, d)
	})
}
