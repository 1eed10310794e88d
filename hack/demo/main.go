/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Command demo runs the whole operator locally: it starts a real etcd,
// kube-apiserver (with the CRDs installed) and kube-controller-manager (its
// garbage collector and namespace controller, as in a cluster: an Office's
// reports go with it, a deleted namespace is emptied and goes away), runs
// the operator binary against
// them, applies the sample organisation in config/samples and shows the
// result as `kubectl get p3o -A` does, and serves the dashboard on
// 127.0.0.1 as `kubectl p3o dashboard` does. With --keep it leaves
// everything running until Ctrl-C so that you can explore with kubectl and
// a browser.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"p3o.dev/p3o-operator/internal/controlplane"
)

func main() {
	operator := flag.String("operator", "bin/p3o-operator", "Path of the operator binary to run.")
	samples := flag.String("samples", "config/samples", "Folder of manifests to apply (with kubectl apply -k).")
	keep := flag.Bool("keep", false, "Leave the control plane and operator running until Ctrl-C.")
	plugin := flag.String("plugin", "bin/kubectl-p3o", "Path of the kubectl plugin to show the organisation with (empty: none).")
	timeout := flag.Duration("timeout", 2*time.Minute, "How long to wait for every object to become Ready.")
	flag.Parse()
	// The demo speaks for itself; the clients it makes (the dashboard's)
	// log nothing, rather than controller-runtime's warning that no logger
	// was set.
	ctrllog.SetLogger(logr.Discard())

	// SIGPIPE too: `make demo | head` closes the pipe early. Without this the
	// first write after that would kill the demo before it stops the control
	// plane, leaving etcd and kube-apiserver running; with it the write
	// fails and the demo cleans up.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	defer stop()
	if _, err := os.Stat(*plugin); *plugin != "" && err != nil {
		fmt.Fprintf(os.Stderr, "demo: no kubectl plugin at %s (make plugin builds it); the tree is left out\n", *plugin)
		*plugin = ""
	}
	if *plugin != "" {
		// kubectl finds plugins on the PATH: put the built one first.
		dir, err := filepath.Abs(filepath.Dir(*plugin))
		if err == nil {
			err = os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
			os.Exit(1)
		}
	}
	if err := run(ctx, *operator, *samples, *keep, *timeout, *plugin != ""); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func step(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n", args...)
}

func run(ctx context.Context, operatorBinary, samples string, keep bool, timeout time.Duration, showTree bool) (err error) {
	operatorBinary, err = filepath.Abs(operatorBinary)
	if err != nil {
		return err
	}
	step("Starting the local control plane (etcd, kube-apiserver and kube-controller-manager on 127.0.0.1) with the CRDs installed")
	cp, err := controlplane.Start(controlplane.WithControllerManager())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, cp.Stop()) }()

	// A log of this run's own, kept afterwards.
	logFile, err := os.CreateTemp("", "p3o-operator-demo-*.log")
	if err != nil {
		return err
	}
	logPath := logFile.Name()
	defer logFile.Close()
	step("Starting the operator (log: %s)", logPath)
	op, err := cp.StartOperator(operatorBinary, logFile)
	if err != nil {
		return err
	}
	fmt.Printf("operator pid %d\n", op.PID())
	defer func() { err = errors.Join(err, op.Stop(30*time.Second)) }()
	// With --keep, an operator that exits leaves the control plane running:
	// say how to start it again and wait for Ctrl-C. (Deferred after the
	// stops above, so it runs before them.)
	defer func() {
		select {
		case <-op.Exited():
		default:
			return
		}
		fmt.Fprintf(os.Stderr, "\n==> The operator exited (%v); its log: %s\n", op.Err(), logPath)
		if !keep {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
		}
		fmt.Printf("\n==> The control plane keeps running until Ctrl-C. Start the operator again with:\n  %s >>%s 2>&1\n", op.CommandLine(), logPath)
		fmt.Printf("  kubeconfig: %s\n", cp.Kubeconfig)
		<-ctx.Done()
		step("Stopping the control plane")
	}()

	kubectl := func(args ...string) error {
		fmt.Printf("$ kubectl %s\n", strings.Join(args, " "))
		out, err := cp.Kubectl(ctx, args...)
		fmt.Print(out)
		return err
	}

	step("Applying the sample organisation")
	if err := kubectl("apply", "-k", samples); err != nil {
		return err
	}

	step("Waiting until every object is Ready")
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := waitReady(waitCtx, cp, op); err != nil {
		return err
	}

	step("The organisation as the operator sees it")
	if err := kubectl("get", "p3o", "-A"); err != nil {
		return err
	}

	step("Report ConfigMaps")
	if err := kubectl("get", "configmaps", "-A", "-l", "governance.p3o.dev/report"); err != nil {
		return err
	}
	step("The Portfolio Office's dashboard (report.md)")
	if err := kubectl("get", "configmap", "-n", "p3o-central", "office-portfolio-office-report", "-o", `jsonpath={.data.report\.md}`); err != nil {
		return err
	}

	if showTree {
		step("The organisation as a tree (the kubectl plugin, from the published status)")
		fmt.Println("$ kubectl p3o tree -A")
		// Flags cannot come before a plugin's name: the kubeconfig goes in
		// the environment, as a user's would.
		tree := exec.CommandContext(ctx, filepath.Join(cp.Assets, "kubectl"), "p3o", "tree", "-A")
		tree.Env = append(os.Environ(), "KUBECONFIG="+cp.Kubeconfig)
		tree.Stdout, tree.Stderr = os.Stdout, os.Stderr
		if err := tree.Run(); err != nil {
			return fmt.Errorf("kubectl p3o tree -A: %w", err)
		}
	}

	step("Scraping the metrics as Prometheus does (HTTPS, a ServiceAccount token bound to metrics-reader)")
	scrapeCmd, err := showMetrics(ctx, cp, op)
	if err != nil {
		return err
	}

	step("The dashboard, as `kubectl p3o dashboard` serves it (on 127.0.0.1, with %s's credentials)", demoUser)
	dash, err := startDashboard(ctx, cp)
	if err != nil {
		return fmt.Errorf("starting the dashboard: %w", err)
	}
	defer func() { err = errors.Join(err, dash.Stop()) }()
	if err := dash.showDashboard(ctx); err != nil {
		return err
	}

	if !keep {
		step("Stopping the dashboard, the operator and the control plane (operator log: %s)", logPath)
		return nil
	}
	step("Running until Ctrl-C. Explore with:")
	fmt.Printf("  export KUBECONFIG=%s\n", cp.Kubeconfig)
	fmt.Printf("  alias kubectl=%s\n", filepath.Join(cp.Assets, "kubectl"))
	fmt.Println("  kubectl get p3o -A")
	fmt.Printf("  export PATH=%s:$PATH   # kubectl p3o tree -A, kubectl p3o why project -n p3o-central erp-migration\n", filepath.Join(cp.Root, "bin"))
	fmt.Println("  kubectl describe project -n p3o-central erp-migration")
	fmt.Println("  kubectl explain project.spec.progress")
	fmt.Println("  kubectl get cm -n p3o-central office-portfolio-office-report -o jsonpath='{.data.report\\.md}'")
	fmt.Println("  # the operator's metrics (a token of a ServiceAccount bound to metrics-reader):")
	fmt.Println(scrapeCmd)
	fmt.Println("  # the dashboard (read-only; `kubectl p3o dashboard --open` serves one of your own):")
	fmt.Printf("  %s\n", dash.URL)
	fmt.Printf("  # the operator's log: %s\n", logPath)
	fmt.Printf("  # kube-controller-manager's log (garbage collector, namespace controller): %s\n", cp.ControllerManagerLog())
	select {
	case <-ctx.Done():
	case <-op.Exited():
		return nil // the deferred function above says how to restart it
	}
	step("Stopping the dashboard, the operator and the control plane")
	return nil
}

// showMetrics binds config/rbac's metrics-reader ClusterRole to a
// ServiceAccount, scrapes the operator with its token, prints the project
// health series and returns the equivalent shell commands.
func showMetrics(ctx context.Context, cp *controlplane.ControlPlane, op *controlplane.Operator) (string, error) {
	token, err := cp.MetricsReaderToken(ctx)
	if err != nil {
		return "", err
	}
	caFile, err := cp.MetricsCAFile()
	if err != nil {
		return "", err
	}
	command := fmt.Sprintf("  TOKEN=$(%s --kubeconfig %s create token p3o-metrics-reader -n kube-system)\n"+
		"  curl -sS --cacert %s -H \"Authorization: Bearer $TOKEN\" %s",
		filepath.Join(cp.Assets, "kubectl"), cp.Kubeconfig, caFile, op.MetricsURL())
	fmt.Println(command + " | grep '^p3o_project_health.* 1$'")
	code, body, err := op.Scrape(ctx, token)
	if err != nil {
		return "", fmt.Errorf("scraping the metrics: %w", err)
	}
	if code != http.StatusOK {
		return "", fmt.Errorf("scraping the metrics: HTTP %d", code)
	}
	for line := range strings.Lines(body) {
		if strings.HasPrefix(line, "p3o_project_health{") && strings.HasSuffix(line, " 1\n") {
			fmt.Print(line)
		}
	}
	code, _, err = op.Scrape(ctx, "")
	if err != nil {
		return "", err
	}
	fmt.Printf("(without a token: HTTP %d %s)\n", code, http.StatusText(code))
	return command, nil
}

// waitReady polls until every governance object reports Ready=True and
// nothing has changed for a second (Ready means a parent's figures reflect
// the children it has seen; a second without writes means it has seen them
// all), failing early when the operator exits.
func waitReady(ctx context.Context, cp *controlplane.ControlPlane, op *controlplane.Operator) error {
	const columns = `custom-columns=READY:.status.conditions[?(@.type=="Ready")].status,VERSION:.metadata.resourceVersion`
	last, settledAt := "", ""
	for {
		out, err := cp.Kubectl(ctx, "get", "p3o", "-A", "--no-headers", "-o", columns)
		if err == nil {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			ready := 0
			for _, line := range lines {
				if f := strings.Fields(line); len(f) > 0 && f[0] == "True" {
					ready++
				}
			}
			progress := fmt.Sprintf("%d of %d objects Ready", ready, len(lines))
			if progress != last {
				fmt.Println(progress)
				last = progress
			}
			switch {
			case len(lines) == 0 || ready < len(lines):
				settledAt = ""
			case settledAt == out:
				return nil
			default:
				settledAt = out // all Ready: settled if nothing changes within a second
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not every object became Ready (%s); see `kubectl get p3o -A`", last)
		case <-op.Exited():
			return errors.New("the operator exited before the organisation settled")
		case <-time.After(time.Second):
		}
	}
}
