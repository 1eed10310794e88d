/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// organisation is a small organisation whose programme, in gov-e2e, admits
// projects from every namespace; team-e2e holds two of its three projects.
const organisation = `apiVersion: v1
kind: Namespace
metadata: {name: gov-e2e}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-e2e}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Office
metadata: {name: pmo, namespace: gov-e2e}
spec: {type: PortfolioOffice, currency: EUR}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Portfolio
metadata: {name: change, namespace: gov-e2e}
spec: {officeRef: {name: pmo}}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Programme
metadata: {name: platform, namespace: gov-e2e}
spec:
  portfolioRef: {name: change}
  phase: Delivering
  allowedChildren: {namespaces: {from: All}}
%s`

func project(namespace, name string) string {
	return fmt.Sprintf(`---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: %s, namespace: %s}
spec:
  programmeRef: {name: platform, namespace: gov-e2e}
  phase: Delivering
  plan: {budget: 100k, start: "2026-01-01", end: "2027-01-01"}
`, name, namespace)
}

// With kube-controller-manager's garbage collector and namespace
// controller, as in a cluster: an Office's reports go with it, and a
// namespace of projects can be deleted while their programme elsewhere
// rolls up what is left.
func TestWithGarbageCollectionAndNamespaceDeletion(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	binary := controlplane.BuildOperatorForTest(t, ctx)
	cp := controlplane.StartForTest(t, controlplane.WithControllerManager())
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(cp.ControllerManagerLog())
			t.Logf("kube-controller-manager log (last 5000 bytes):\n%s", log[max(0, len(log)-5000):])
		}
	})
	cp.StartOperatorForTest(t, binary)
	kubectl := func(t *testing.T, args ...string) string {
		t.Helper()
		out, err := cp.Kubectl(ctx, args...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("deleting an Office removes its report ConfigMaps", func(t *testing.T) {
		kubectl(t, "apply", "-k", "config/samples")
		kubectl(t, "wait", "--for=condition=Ready", "--timeout=120s", "-A", "--all", "offices,portfolios,programmes,projects,gatewayreviews")
		reports := func() string {
			out, _ := cp.Kubectl(ctx, "get", "cm", "-n", "p3o-central", "-o", "name",
				"-l", "governance.p3o.dev/report-kind=Office,governance.p3o.dev/report-name=portfolio-office")
			return strings.TrimSpace(out)
		}
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			out := reports()
			return strings.Contains(out, "configmap/office-portfolio-office-report") && strings.Count(out, "configmap/") >= 2, out
		})
		kubectl(t, "delete", "office", "-n", "p3o-central", "portfolio-office")
		controlplane.WaitFor(t, 90*time.Second, func() (bool, string) {
			out := reports()
			return out == "", out
		})
	})

	t.Run("deleting a namespace of projects under a programme elsewhere finishes and the rollup drops", func(t *testing.T) {
		manifest := filepath.Join(t.TempDir(), "organisation.yaml")
		content := fmt.Sprintf(organisation, project("gov-e2e", "core")+project("team-e2e", "api")+project("team-e2e", "portal"))
		if err := os.WriteFile(manifest, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		kubectl(t, "apply", "-f", manifest)
		rolledUp := func() string {
			out, _ := cp.Kubectl(ctx, "get", "programme", "-n", "gov-e2e", "platform", "-o",
				`jsonpath={.status.rollup.projects} {.status.conditions[?(@.type=="Ready")].status}`)
			return out
		}
		controlplane.WaitFor(t, 60*time.Second, func() (bool, string) { out := rolledUp(); return out == "3 True", out })
		// kubectl waits until the namespace is gone: the namespace
		// controller has deleted the projects and removed its finalizer.
		kubectl(t, "delete", "namespace", "team-e2e", "--timeout=120s")
		if out, _ := cp.Kubectl(ctx, "get", "namespace", "team-e2e", "--ignore-not-found", "-o", "name"); out != "" {
			t.Fatalf("namespace team-e2e is still there: %s", out)
		}
		controlplane.WaitFor(t, 60*time.Second, func() (bool, string) { out := rolledUp(); return out == "1 True", out })
	})
}
