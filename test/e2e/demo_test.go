/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// make demo KEEP=1: it logs to a file of its own run, shows how to scrape
// the metrics, serves the dashboard at the URL it prints, and when the operator exits it keeps the control plane,
// prints the command that starts the operator again (which works) and
// stops only on Ctrl-C.
func TestDemoKeepsTheControlPlaneWhenTheOperatorExits(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	root, err := controlplane.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, b := range []struct{ out, pkg string }{{"p3o-operator", "."}, {"demo", "./hack/demo"}, {"kubectl-p3o", "./cmd/kubectl-p3o"}} {
		controlplane.BuildForTest(t, ctx, dir, b.out, b.pkg)
	}
	demo := exec.Command(filepath.Join(dir, "demo"), "--operator", filepath.Join(dir, "p3o-operator"), "--plugin", filepath.Join(dir, "kubectl-p3o"), "--keep")
	demo.Dir = root
	demo.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &controlplane.SyncBuffer{}
	demo.Stdout, demo.Stderr = out, out
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- demo.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-demo.Process.Pid, syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(time.Minute):
			_ = syscall.Kill(-demo.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			t.Logf("demo output:\n%s", out.String())
		}
	})
	waitOutput := func(re *regexp.Regexp, timeout time.Duration) []string {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for {
			if m := re.FindStringSubmatch(out.String()); m != nil {
				return m
			}
			select {
			case err := <-done:
				t.Fatalf("the demo exited (%v) before printing %s", err, re)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("the demo did not print %s within %s", re, timeout)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	logPath := waitOutput(regexp.MustCompile(`Starting the operator \(log: (\S*/p3o-operator-demo-\d+\.log)\)`), 3*time.Minute)[1]
	pid, _ := strconv.Atoi(waitOutput(regexp.MustCompile(`operator pid (\d+)`), time.Minute)[1])
	waitOutput(regexp.MustCompile(`Running until Ctrl-C`), 3*time.Minute)
	// The demo ends with the organisation as the kubectl plugin draws it.
	waitOutput(regexp.MustCompile(`\$ kubectl p3o tree -A\nNAME .*\nOffice/portfolio-office +PortfolioOffice +Red`), time.Second)
	if !strings.Contains(out.String(), "curl -sS --cacert ") || !strings.Contains(out.String(), `-H "Authorization: Bearer $TOKEN" https://127.0.0.1:`) {
		t.Errorf("the demo does not show how to scrape the metrics with a token")
	}
	checkDemoDashboard(t, ctx, waitOutput(regexp.MustCompile(`# the dashboard .*\n  (http://127\.0\.0\.1:\d+/\?session=[0-9a-f]+)\n`), time.Second)[1])
	if !strings.Contains(out.String(), "GET / -> 200 OK\nThe organisation page names the Portfolio Office") {
		t.Errorf("the demo does not show that the dashboard's organisation page answers")
	}
	if log, err := os.ReadFile(logPath); err != nil || !strings.Contains(string(log), "Starting operator") {
		t.Errorf("the demo's log %s: %v\n%.500s", logPath, err, log)
	}
	t.Cleanup(func() { _ = os.Remove(logPath) })

	// The operator exits; the control plane stays.
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	m := waitOutput(regexp.MustCompile(`Start the operator again with:\n  (.*) >>(\S+) 2>&1\n  kubeconfig: (\S+)\n`), time.Minute)
	restart, restartLog, kubeconfig := m[1], m[2], m[3]
	if restartLog != logPath || !strings.Contains(restart, "--kubeconfig "+kubeconfig) {
		t.Errorf("restart command %q (log %s, kubeconfig %s)", restart, restartLog, kubeconfig)
	}
	time.Sleep(time.Second)
	select {
	case err := <-done:
		t.Fatalf("the demo exited when the operator did: %v", err)
	default:
	}
	kubectl := filepath.Join(filepath.Dir(strings.Fields(waitOutput(regexp.MustCompile(`alias kubectl=(\S+)`), time.Second)[1])[0]), "kubectl")
	if got, err := exec.CommandContext(ctx, kubectl, "--kubeconfig", kubeconfig, "get", "offices", "-A", "-o", "name").CombinedOutput(); err != nil || !strings.Contains(string(got), "portfolio-office") {
		t.Fatalf("the control plane after the operator exited: %v\n%s", err, got)
	}

	// The printed command starts the operator again.
	again := exec.Command("bash", "-c", restart)
	again.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := again.Start(); err != nil {
		t.Fatal(err)
	}
	againDone := make(chan error, 1)
	go func() { againDone <- again.Wait() }()
	probe := regexp.MustCompile(`--health-probe-bind-address (\S+)`).FindStringSubmatch(restart)
	if probe == nil {
		t.Fatalf("restart command without a probe address: %s", restart)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + probe[1] + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the restarted operator is not ready within a minute: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	_ = syscall.Kill(-again.Process.Pid, syscall.SIGTERM)
	<-againDone

	// Ctrl-C stops the demo and the control plane, which removes its files.
	if err := syscall.Kill(-demo.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the demo after Ctrl-C: %v", err)
		}
		done <- err // for the cleanup
	case <-time.After(time.Minute):
		t.Fatal("the demo did not stop within a minute of Ctrl-C")
	}
	if _, err := os.Stat(kubeconfig); !os.IsNotExist(err) {
		t.Errorf("the control plane's kubeconfig %s is still there after Ctrl-C: %v", kubeconfig, err)
	}
}

// checkDemoDashboard opens the dashboard URL the demo printed as a browser
// does (the session secret in the URL becomes a cookie) and checks that the
// organisation page answers and names the Portfolio Office, and that
// without the secret nothing is served.
func checkDemoDashboard(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	get := func(client *http.Client, url string) (int, string) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("the dashboard at %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, body := get(&http.Client{Jar: jar, Timeout: 30 * time.Second}, url)
	if code != http.StatusOK || !strings.Contains(body, `data-object="Office/p3o-central/portfolio-office"`) {
		t.Errorf("the dashboard's organisation page: HTTP %d, want 200 naming Office p3o-central/portfolio-office:\n%.800s", code, body)
	}
	base, _, _ := strings.Cut(url, "?")
	if code, _ := get(&http.Client{Timeout: 30 * time.Second}, base); code != http.StatusUnauthorized {
		t.Errorf("the dashboard without its session secret: HTTP %d, want 401", code)
	}
}
