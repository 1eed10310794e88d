/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/internal/money"
)

// TestKubectlPlugin runs kubectl-p3o the way a user does: built, put on
// PATH and found by the real kubectl, against the operator's published
// status of the sample organisation. Every figure it shows is checked
// against the objects read with kubectl itself.
func TestKubectlPlugin(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	root, err := controlplane.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	binary := controlplane.BuildForTest(t, ctx, dir, "p3o-operator", ".")
	plugins := filepath.Join(dir, "plugins")
	controlplane.BuildForTest(t, ctx, plugins, "kubectl-p3o", "./cmd/kubectl-p3o")

	cp := controlplane.StartForTest(t)
	op := cp.StartOperatorForTest(t, binary)

	// kubectl runs with the plugin folder first on PATH and the kubeconfig
	// in KUBECONFIG, as a user's shell has them; stdout is a pipe, so no
	// colour.
	run := func(kubeconfig string, args ...string) (string, string, error) {
		cmd := exec.CommandContext(ctx, filepath.Join(cp.Assets, "kubectl"), args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "PATH="+plugins+string(os.PathListSeparator)+os.Getenv("PATH"), "KUBECONFIG="+kubeconfig)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	kubectl := func(t *testing.T, args ...string) string {
		t.Helper()
		out, stderr, err := run(cp.Kubeconfig, args...)
		if err != nil {
			t.Fatalf("kubectl %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
		}
		return out
	}
	getJSON := func(t *testing.T, into any, args ...string) {
		t.Helper()
		if err := json.Unmarshal([]byte(kubectl(t, append(args, "-o", "json")...)), into); err != nil {
			t.Fatalf("kubectl %s -o json: %v", strings.Join(args, " "), err)
		}
	}

	kubectl(t, "apply", "-k", "config/samples")
	kubectl(t, "wait", "--for=condition=Ready", "--timeout=180s", "-A", "--all", "offices,portfolios,programmes,projects,gatewayreviews")

	t.Run("kubectl finds the plugin on PATH", func(t *testing.T) {
		if out := kubectl(t, "plugin", "list"); !strings.Contains(out, filepath.Join(plugins, "kubectl-p3o")) {
			t.Errorf("kubectl plugin list does not list kubectl-p3o:\n%s", out)
		}
	})

	t.Run("tree -A shows each figure as status has it", func(t *testing.T) {
		out := kubectl(t, "p3o", "tree", "-A")
		t.Logf("kubectl p3o tree -A:\n%s", out)
		if strings.Contains(out, "\x1b") {
			t.Errorf("colour on a pipe:\n%q", out)
		}
		if !strings.Contains(out, "Green projects") {
			t.Errorf("Green projects are not folded:\n%s", out)
		}
		rows := readTable(t, out)
		var office v1alpha1.Office
		getJSON(t, &office, "get", "office", "-n", "p3o-central", "portfolio-office")
		line := rows.find("Office/portfolio-office")
		if line == nil {
			t.Fatalf("no line for the Portfolio Office:\n%s", out)
		}
		r := office.Status.Rollup
		if r.Projects != 15 {
			t.Errorf("the sample organisation has 15 projects; status says %d", r.Projects)
		}
		checkCell(t, line, "PROJECTS", itoa(r.Projects))
		checkCell(t, line, "HEALTH", string(r.Health))
		checkMoney(t, line, "BUDGET", money.Value(r.Money.Budget), r.Money.Currency)
		checkMoney(t, line, "FORECAST", money.Value(r.Money.ForecastCost), r.Money.Currency)
		if reason := line["REASON"]; len(r.Causes) == 0 || !strings.Contains(reason, r.Causes[0].Name+": "+r.Causes[0].Reason) {
			t.Errorf("REASON %q is not the first cause %+v", reason, r.Causes)
		}
		// The satellite hangs under its hub, named with its namespace.
		if rows.find("Office/retail-pmo (p3o-retail)") == nil || !strings.Contains(out, "├─Office/retail-pmo (p3o-retail)") {
			t.Errorf("the satellite is not drawn under its hub:\n%s", out)
		}
	})

	t.Run("tree --show-all shows every project with its own figures", func(t *testing.T) {
		rows := readTable(t, kubectl(t, "p3o", "tree", "-A", "--show-all"))
		var projects v1alpha1.ProjectList
		getJSON(t, &projects, "get", "projects", "-A")
		for _, p := range projects.Items {
			label := "Project/" + p.Name
			if p.Namespace != "p3o-central" {
				label += " (" + p.Namespace + ")"
			}
			lines := rows.findAll(label)
			if len(lines) == 0 {
				t.Errorf("%s/%s is not in the tree", p.Namespace, p.Name)
			}
			for _, line := range lines {
				checkCell(t, line, "PHASE", string(p.Spec.Phase))
				checkCell(t, line, "HEALTH", string(p.Status.Health))
				checkMoney(t, line, "BUDGET", money.Of(p.Spec.Plan.Budget), p.Status.Currency)
				if p.Status.Health != v1alpha1.HealthGreen && len(p.Status.HealthReasons) > 0 {
					checkCell(t, line, "REASON", p.Status.HealthReasons[0])
				}
			}
		}
	})

	t.Run("why explains a project from its status", func(t *testing.T) {
		out := kubectl(t, "p3o", "why", "project", "-n", "p3o-central", "erp-migration")
		var p v1alpha1.Project
		getJSON(t, &p, "get", "project", "-n", "p3o-central", "erp-migration")
		want := []string{"Project p3o-central/erp-migration (Delivering)", "Health: " + string(p.Status.Health),
			"Next gate: " + p.Status.Compliance.NextGate, "ParentResolved: True (Resolved)", "Ready: True (Succeeded)"}
		for _, r := range p.Status.HealthReasons {
			want = append(want, "  - "+r)
		}
		for _, g := range p.Status.Compliance.Gates {
			want = append(want, ": "+string(g.State)+" ("+string(g.Cause)+"), "+g.Message)
		}
		for _, x := range p.Status.ToleranceExceptions {
			want = append(want, "  - "+x.Kind.Words()+" ("+string(x.Health)+"): "+x.Message)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("why lacks %q:\n%s", w, out)
			}
		}
		if p.Status.Health != v1alpha1.HealthRed || len(p.Status.Compliance.Gates) == 0 || len(p.Status.ToleranceExceptions) == 0 {
			t.Errorf("the sample's erp-migration is Red with gates and a cost exception; status: %s, %d gates, exceptions %v",
				p.Status.Health, len(p.Status.Compliance.Gates), p.Status.ToleranceExceptions)
		}
	})

	t.Run("gates -o json is status.compliance", func(t *testing.T) {
		var view struct {
			Gates    []v1alpha1.GateStatus `json:"gates"`
			NextGate string                `json:"nextGate"`
		}
		if err := json.Unmarshal([]byte(kubectl(t, "p3o", "gates", "project", "-n", "p3o-central", "erp-migration", "-o", "json")), &view); err != nil {
			t.Fatal(err)
		}
		var p v1alpha1.Project
		getJSON(t, &p, "get", "project", "-n", "p3o-central", "erp-migration")
		got, _ := json.Marshal(view.Gates)
		want, _ := json.Marshal(p.Status.Compliance.Gates)
		if !bytes.Equal(got, want) || view.NextGate != p.Status.Compliance.NextGate {
			t.Errorf("gates -o json:\n%s\nstatus:\n%s", got, want)
		}
	})

	t.Run("report prints the live report ConfigMap", func(t *testing.T) {
		out := kubectl(t, "p3o", "report", "office", "-n", "p3o-central", "portfolio-office", "--format", "json")
		cm := kubectl(t, "get", "cm", "-n", "p3o-central", "office-portfolio-office-report", "-o", `jsonpath={.data.report\.json}`)
		if !json.Valid([]byte(out)) || strings.TrimSpace(out) != strings.TrimSpace(cm) {
			t.Errorf("report --format json is not the ConfigMap's report.json:\n%s", out)
		}
		md := kubectl(t, "p3o", "report", "office", "-n", "p3o-central", "portfolio-office")
		if !strings.HasPrefix(md, "# Office p3o-central/portfolio-office") {
			t.Errorf("report (md) does not start with the dashboard's title:\n%s", md)
		}
	})

	t.Run("report lists and prints snapshots", func(t *testing.T) {
		name := strings.TrimPrefix(strings.TrimSpace(kubectl(t, "get", "cm", "-n", "p3o-central", "-o", "name",
			"-l", "governance.p3o.dev/report=snapshot,governance.p3o.dev/report-name=portfolio-office")), "configmap/")
		if name == "" || strings.Contains(name, "\n") {
			t.Fatalf("want one snapshot of the Portfolio Office, have %q", name)
		}
		start := kubectl(t, "get", "cm", "-n", "p3o-central", name, "-o", `jsonpath={.metadata.annotations.governance\.p3o\.dev/period-start}`)
		period := strings.Split(start, "T")[0]
		list := kubectl(t, "p3o", "report", "office", "-n", "p3o-central", "portfolio-office", "--list-snapshots")
		if !strings.Contains(list, period+"  "+name) {
			t.Errorf("--list-snapshots does not list %s of %s:\n%s", name, period, list)
		}
		want := kubectl(t, "get", "cm", "-n", "p3o-central", name, "-o", `jsonpath={.data.projects\.csv}`)
		for _, p := range []string{period, strings.TrimPrefix(name, "office-portfolio-office-report-")} {
			got := kubectl(t, "p3o", "report", "office", "-n", "p3o-central", "portfolio-office", "--snapshot", p, "--format", "csv")
			if strings.TrimSpace(got) != strings.TrimSpace(want) {
				t.Errorf("--snapshot %s --format csv:\n%s\nwant:\n%s", p, got, want)
			}
		}
	})

	t.Run("errors say what to do", func(t *testing.T) {
		_, stderr, err := run(cp.Kubeconfig, "p3o", "why", "project", "-n", "p3o-central", "nope")
		if err == nil || !strings.Contains(stderr, "project nope not found in namespace p3o-central; list them with kubectl get projects -n p3o-central") {
			t.Errorf("why of a missing project: %v\n%s", err, stderr)
		}
	})

	t.Run("a viewer of one namespace is told what to ask for", func(t *testing.T) {
		kubeconfig := userKubeconfig(t, cp, "viewer")
		kubectl(t, "apply", "-f", "config/rbac/personas.yaml")
		kubectl(t, "create", "rolebinding", "viewer", "-n", "p3o-central", "--clusterrole", "governance-viewer", "--user", "viewer")
		var out, stderr string
		deadline := time.Now().Add(30 * time.Second)
		for {
			out, stderr, err = run(kubeconfig, "p3o", "tree", "-n", "p3o-central")
			if err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if err != nil || !strings.Contains(out, "Office/portfolio-office") ||
			!strings.Contains(stderr, "you may not read offices in all namespaces; ask for the governance-viewer role cluster-wide") {
			t.Errorf("tree as a viewer of p3o-central: %v\n%s%s", err, out, stderr)
		}
		_, stderr, err = run(kubeconfig, "p3o", "why", "project", "-n", "p3o-retail", "click-and-collect")
		if err == nil || !strings.Contains(stderr, "you may not read projects in namespace p3o-retail; ask for the governance-viewer role") {
			t.Errorf("why in a namespace the viewer may not read: %v\n%s", err, stderr)
		}
		_, stderr, err = run(kubeconfig, "p3o", "report", "office", "-n", "p3o-central", "portfolio-office")
		if err == nil || !strings.Contains(stderr, "you may not read configmaps in namespace p3o-central; ask for the view role") {
			t.Errorf("report without read access to ConfigMaps: %v\n%s", err, stderr)
		}
	})

	t.Run("without the CRDs the plugin says to install them", func(t *testing.T) {
		if err := op.Stop(30 * time.Second); err != nil {
			t.Fatal(err)
		}
		kubectl(t, "delete", "crd", "gatewayreviews.governance.p3o.dev")
		var stderr string
		deadline := time.Now().Add(30 * time.Second)
		for {
			_, stderr, err = run(cp.Kubeconfig, "p3o", "why", "gr", "-n", "p3o-assurance", "erp-migration-gate-1")
			if strings.Contains(stderr, "the p3o-operator CRDs are not installed: see README") || time.Now().After(deadline) {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if err == nil || !strings.Contains(stderr, "the p3o-operator CRDs are not installed: see README") {
			t.Errorf("why of a kind the cluster does not serve: %v\n%s", err, stderr)
		}
	})
}

// userKubeconfig writes a kubeconfig for a user without any group.
func userKubeconfig(t *testing.T, cp *controlplane.ControlPlane, name string) string {
	t.Helper()
	user, err := cp.Env.AddUser(envtest.User{Name: name}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := user.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// tableRows are the lines of the plugin's table, as cells by column name.
type tableRows []map[string]string

// readTable splits an aligned table at the columns its header starts.
func readTable(t *testing.T, out string) tableRows {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	header := []rune(lines[0])
	var names []string
	var starts []int
	for i := 0; i < len(header); i++ {
		if header[i] != ' ' && (i == 0 || header[i-1] == ' ') {
			starts = append(starts, i)
			end := i
			for end < len(header) && header[end] != ' ' {
				end++
			}
			names = append(names, string(header[i:end]))
		}
	}
	if len(names) == 0 || names[0] != "NAME" {
		t.Fatalf("not a table:\n%s", out)
	}
	var rows tableRows
	for _, l := range lines[1:] {
		r := []rune(l)
		row := map[string]string{}
		for i, start := range starts {
			end := len(r)
			if i+1 < len(starts) {
				end = min(starts[i+1], len(r))
			}
			if start < len(r) {
				row[names[i]] = strings.TrimSpace(string(r[start:end]))
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// name is the NAME cell without the tree's box-drawing prefix.
func rowName(row map[string]string) string {
	return strings.TrimLeft(row["NAME"], "│├└─ ")
}

func (rows tableRows) findAll(label string) []map[string]string {
	var out []map[string]string
	for _, r := range rows {
		if n := rowName(r); n == label || strings.HasPrefix(n, label+" [") {
			out = append(out, r)
		}
	}
	return out
}

func (rows tableRows) find(label string) map[string]string {
	if all := rows.findAll(label); len(all) > 0 {
		return all[0]
	}
	return nil
}

func checkCell(t *testing.T, row map[string]string, column, want string) {
	t.Helper()
	if got := row[column]; got != want {
		t.Errorf("%s: %s is %q, status says %q", rowName(row), column, got, want)
	}
}

// checkMoney compares an amount and currency on screen with status, as
// amounts: the screen may write 18320000 as 18.32M.
func checkMoney(t *testing.T, row map[string]string, column string, want *inf.Dec, currency v1alpha1.Currency) {
	t.Helper()
	cell := row[column]
	if want == nil {
		if cell != "-" {
			t.Errorf("%s: %s is %q, status has none", rowName(row), column, cell)
		}
		return
	}
	// The cell is rounded to three significant digits: within half a unit
	// of its last digit, at most 0.5% of the amount, of status's figure.
	amount, unit, _ := strings.Cut(cell, " ")
	got, err := resource.ParseQuantity(amount)
	w, _ := strconv.ParseFloat(want.String(), 64)
	if err != nil || math.Abs(got.AsApproximateFloat64()-w) > 0.005*math.Abs(w) || unit != string(currency) {
		t.Errorf("%s: %s is %q, status says %s %s (%v)", rowName(row), column, cell, money.Exact(want), currency, err)
	}
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }
