/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package e2e checks the operator as a user meets it: the operator binary
// runs against a real control plane and everything is done with a real
// kubectl.
package e2e

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"p3o.dev/p3o-operator/internal/controlplane"
)

func TestOperatorWithKubectl(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// The version variables are set as the Makefile's build target sets them.
	binary := controlplane.BuildOperatorForTest(t, ctx,
		"-ldflags", "-X main.version=v0.0.0-e2e -X main.commit=0e2e0e2 -X main.date=2026-01-02T03:04:05Z")

	t.Run("--version prints the version, commit and build date and exits", func(t *testing.T) {
		out, err := exec.CommandContext(ctx, binary, "--version").CombinedOutput()
		if err != nil {
			t.Fatalf("%s --version: %v\n%s", binary, err, out)
		}
		want := "p3o-operator v0.0.0-e2e (commit 0e2e0e2, built 2026-01-02T03:04:05Z, go"
		if !strings.HasPrefix(string(out), want) || strings.Count(string(out), "\n") != 1 {
			t.Errorf("%s --version printed %q; want one line starting %q", binary, out, want)
		}
	})

	cp := controlplane.StartForTest(t)
	logPath := filepath.Join(t.TempDir(), "operator.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	op, err := cp.StartOperator(binary, logFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := op.Stop(30 * time.Second); err != nil {
			t.Errorf("stopping the operator: %v", err)
		}
		if t.Failed() {
			log, _ := os.ReadFile(logPath)
			t.Logf("operator log:\n%s", log)
		}
	})

	// The metrics endpoint serves HTTPS to subjects allowed to get /metrics.
	metricsToken, err := cp.MetricsReaderToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	scrape := func(t *testing.T, op *controlplane.Operator) string {
		t.Helper()
		code, body, err := op.Scrape(ctx, metricsToken)
		if err != nil || code != http.StatusOK {
			return ""
		}
		return body
	}

	kubectl := func(t *testing.T, args ...string) string {
		t.Helper()
		out, err := cp.Kubectl(ctx, args...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("the fail-closed overlay makes every webhook fail closed", func(t *testing.T) {
		webhooks := strings.Count(kubectl(t, "kustomize", "config/webhook"), "admissionReviewVersions:")
		if webhooks == 0 {
			t.Fatal("config/webhook renders no webhook")
		}
		closed := kubectl(t, "kustomize", "config/overlays/fail-closed")
		if n := strings.Count(closed, "failurePolicy: Fail"); n != webhooks || strings.Contains(closed, "failurePolicy: Ignore") {
			t.Errorf("fail-closed overlay: %d of %d webhooks fail closed", n, webhooks)
		}
		if n := strings.Count(kubectl(t, "kustomize", "config/default"), "failurePolicy: Ignore"); n != webhooks {
			t.Errorf("config/default: %d of %d webhooks fail open", n, webhooks)
		}
	})

	t.Run("projects applied before their parents wait with ParentNotFound", func(t *testing.T) {
		kubectl(t, "apply", "-f", "config/samples/00-namespaces.yaml")
		kubectl(t, "apply", "-f", "config/samples/projects.yaml")
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			out, _ := cp.Kubectl(ctx, "get", "project", "-n", "p3o-central", "erp-migration",
				"-o", `jsonpath={.status.conditions[?(@.type=="Ready")].reason}`)
			return out == "ParentNotFound", out
		})
	})

	t.Run("the whole sample organisation becomes Ready", func(t *testing.T) {
		kubectl(t, "apply", "-k", "config/samples")
		// kubectl wait is what a pipeline runs; it reads the Ready condition.
		kubectl(t, "wait", "--for=condition=Ready", "--timeout=120s", "-A", "--all",
			"offices,portfolios,programmes,projects,gatewayreviews")
	})

	t.Run("kubectl get p3o lists every kind with its columns", func(t *testing.T) {
		out := kubectl(t, "get", "p3o", "-A")
		for _, want := range []string{
			"office.governance.p3o.dev/portfolio-office", "PortfolioOffice", "Satellite", "Temporary", "Virtual", "ProjectSupport",
			"portfolio.governance.p3o.dev/digital-transformation",
			"programme.governance.p3o.dev/cloud-migration",
			"project.governance.p3o.dev/erp-migration",
			"gatewayreview.governance.p3o.dev/erp-migration-gate-3-2026", "AmberRed",
			"PHASE", "HEALTH", "COMPLIANT", "BUDGET", "FORECAST", "READY", "AGE",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("kubectl get p3o -A does not show %q:\n%s", want, out)
			}
		}
		for _, short := range []string{"pf", "prog", "proj", "gr"} {
			kubectl(t, "get", short, "-A")
		}
	})

	t.Run("health is derived and rolls up to the Portfolio Office", func(t *testing.T) {
		reason := kubectl(t, "get", "project", "-n", "p3o-central", "erp-migration", "-o", "jsonpath={.status.health}: {.status.healthReasons[0]}")
		if !strings.HasPrefix(reason, "Red: cost forecast 1.45M exceeds budget 1.2M beyond 10% tolerance") {
			t.Errorf("erp-migration: %q; want Red with a reason naming cost", reason)
		}
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			out, _ := cp.Kubectl(ctx, "get", "office", "-n", "p3o-central", "portfolio-office",
				"-o", "jsonpath={.status.rollup.health} {.status.rollup.causes[*].name}")
			return strings.HasPrefix(out, "Red ") && strings.Contains(out, "erp-migration"), out
		})
	})

	t.Run("reports are published as ConfigMaps for every office and portfolio", func(t *testing.T) {
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			out, _ := cp.Kubectl(ctx, "get", "cm", "-A", "-l", "governance.p3o.dev/report=live", "-o", "name")
			return strings.Contains(out, "configmap/office-portfolio-office-report") &&
				strings.Contains(out, "configmap/office-retail-pmo-report") &&
				strings.Contains(out, "configmap/portfolio-digital-transformation-report") &&
				strings.Contains(out, "configmap/portfolio-retail-growth-report"), out
		})
		md := kubectl(t, "get", "cm", "-n", "p3o-central", "office-portfolio-office-report", "-o", `jsonpath={.data.report\.md}`)
		for _, want := range []string{"# Office p3o-central/portfolio-office — Red", "## Exceptions", "erp-migration", "## Gates failing or due", "## Top risks"} {
			if !strings.Contains(md, want) {
				t.Errorf("report.md lacks %q:\n%s", want, md)
			}
		}
	})

	t.Run("the metrics endpoint serves the governance series", func(t *testing.T) {
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			body := scrape(t, op)
			return strings.Contains(body, `p3o_project_health{health="Red",namespace="p3o-central",project="erp-migration"} 1`) &&
				strings.Contains(body, `p3o_portfolio_health{health="Amber",namespace="p3o-retail",portfolio="retail-growth"} 1`), "metrics"
		})
	})

	t.Run("a restarted operator neither repeats nor skips a snapshot", func(t *testing.T) {
		snapshots := func() string {
			return kubectl(t, "get", "cm", "-n", "p3o-central", "-l", "governance.p3o.dev/report=snapshot,governance.p3o.dev/report-name=portfolio-office", "-o", "name")
		}
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) { out := snapshots(); return strings.Count(out, "configmap/") == 1, out })
		before := snapshots()
		if err := op.Stop(30 * time.Second); err != nil {
			t.Fatal(err)
		}
		var err error
		if op, err = cp.StartOperator(binary, logFile); err != nil {
			t.Fatal(err)
		}
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			body := scrape(t, op)
			return strings.Contains(body, `p3o_project_health{health="Red",namespace="p3o-central",project="erp-migration"} 1`), "restarted"
		})
		if after := snapshots(); after != before {
			t.Errorf("snapshots before the restart:\n%s\nafter:\n%s", before, after)
		}
	})

	t.Run("series of deleted objects disappear", func(t *testing.T) {
		kubectl(t, "delete", "project", "-n", "p3o-central", "customer-analytics")
		controlplane.WaitFor(t, 30*time.Second, func() (bool, string) {
			body := scrape(t, op)
			return !strings.Contains(body, `project="customer-analytics"`) && strings.Contains(body, `project="erp-migration"`), "still there"
		})
	})

	t.Run("kubectl explain documents the fields", func(t *testing.T) {
		out := kubectl(t, "explain", "project.spec")
		for _, want := range []string{
			"programmeRef", "names the Programme the project belongs to",
			"tolerances", "progress", "declaredRAG", "risks", "benefits", "allowedChildren",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("kubectl explain project.spec lacks %q:\n%s", want, out)
			}
		}
		out = kubectl(t, "explain", "office.spec.type")
		if !strings.Contains(out, "PortfolioOffice") || !strings.Contains(out, "ProjectSupport") {
			t.Errorf("kubectl explain office.spec.type does not list the office types:\n%s", out)
		}
	})

	t.Run("a CEL rule's message reaches kubectl", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.yaml")
		manifest := `apiVersion: governance.p3o.dev/v1alpha1
kind: Office
metadata: {name: nowhere, namespace: p3o-central}
spec: {type: Virtual, location: Utrecht}
`
		if err := os.WriteFile(bad, []byte(manifest), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := cp.Kubectl(ctx, "apply", "-f", bad)
		if err == nil || !strings.Contains(out, "a Virtual office has no location") {
			t.Errorf("kubectl apply of a Virtual office with a location: err=%v\n%s", err, out)
		}
	})
}
