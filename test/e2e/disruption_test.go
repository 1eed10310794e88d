/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
)

// The disruption tests sync a generated organisation of a few hundred
// objects while something fails (the leader is killed, the API server
// restarts), then hold its live reports to those of an undisturbed run.

// disruptionNamespace holds the generated organisation.
const disruptionNamespace = "p3o-disruption"

// disruptionKinds are what kubectl waits on to be Ready.
const disruptionKinds = "offices,portfolios,programmes,projects,gatewayreviews"

// generatedOrganisation is a hub office with the OGC Gateway profile and one
// satellite, 3 portfolios, 8 programmes that publish reports, 160 projects
// (a tenth directly under a portfolio; Green, Amber and Red by forecast) and
// 32 gateway reviews: 205 objects. Dates are relative to today, so that the
// reference run and the disturbed run of one test binary apply the same
// YAML.
func generatedOrganisation(today time.Time) string {
	var b strings.Builder
	day := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
	fmt.Fprintf(&b, "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n", disruptionNamespace)
	object := func(kind, name, spec string) {
		fmt.Fprintf(&b, "---\napiVersion: governance.p3o.dev/v1alpha1\nkind: %s\nmetadata: {name: %s, namespace: %s}\nspec:\n%s",
			kind, name, disruptionNamespace, spec)
	}
	object("Office", "hub", "  type: PortfolioOffice\n  currency: EUR\n  governance: {profile: OGCGateway}\n")
	object("Office", "satellite", "  type: Satellite\n  hubRef: {name: hub}\n")
	offices := []string{"hub", "satellite"}
	for i := range 3 {
		object("Portfolio", fmt.Sprintf("portfolio-%d", i),
			fmt.Sprintf("  officeRef: {name: %s}\n  capacity: 20M\n", offices[i%2]))
	}
	for i := range 8 {
		object("Programme", fmt.Sprintf("programme-%d", i),
			fmt.Sprintf("  portfolioRef: {name: portfolio-%d}\n  phase: Delivering\n  reports: {mode: Enabled}\n", i%3))
	}
	for i := range 160 {
		parent := fmt.Sprintf("programmeRef: {name: programme-%d}", i%8)
		if i%10 == 9 {
			parent = fmt.Sprintf("portfolioRef: {name: portfolio-%d}", i%3)
		}
		budget := 100 + (i%50)*10 // thousands
		forecast := budget * (95 + i%21) / 100
		phase := []string{"Initiating", "Delivering"}[i%2]
		object("Project", fmt.Sprintf("project-%03d", i), fmt.Sprintf(
			"  %s\n  phase: %s\n  plan: {budget: %dk, start: %q, end: %q}\n  progress: {asOf: %q, actualCost: %dk, forecastCost: %dk}\n",
			parent, phase, budget, day(-200), day(300), day(-3), budget/2, forecast))
	}
	for i := range 32 {
		object("GatewayReview", fmt.Sprintf("review-%03d", i), fmt.Sprintf(
			"  subjectRef: {kind: Project, name: project-%03d}\n  gate: 1\n  date: %q\n  findings: {deliveryConfidence: %s}\n",
			i*5, day(-30), []string{"Green", "AmberGreen", "Amber", "AmberRed"}[i%4]))
	}
	return b.String()
}

// disruptionFixture is what both disruption tests share: the operator
// binary, the organisation's manifest and the reports of an undisturbed run.
type disruptionFixture struct {
	dir, binary, manifest string
	reference             map[string]map[string]string
	err                   error
}

var (
	fixtureOnce sync.Once
	fixture     disruptionFixture
)

// undisturbed builds the operator and computes, once per test binary, the
// live reports of the generated organisation synced by one operator on a
// fresh control plane with nothing going wrong. The comparison that needs
// the least trust: a run that shares nothing with the disturbed one but the
// binary and the YAML (a restart of the survivor on the same control plane
// would rewrite only what it found different, and could not tell us when
// it had looked at everything).
func undisturbed(t *testing.T) disruptionFixture {
	t.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "p3o-disruption-")
		if err != nil {
			fixture.err = err
			return
		}
		fixture.dir = dir
		fixture.binary, fixture.manifest = filepath.Join(dir, "p3o-operator"), filepath.Join(dir, "organisation.yaml")
		fixture.err = os.WriteFile(fixture.manifest, []byte(generatedOrganisation(time.Now().UTC())), 0o600)
		if fixture.err == nil {
			fixture.err = buildOperator(fixture.binary)
		}
		if fixture.err == nil {
			fixture.reference, fixture.err = referenceReports(t, fixture.binary, fixture.manifest)
		}
	})
	if fixture.err != nil {
		t.Fatalf("the undisturbed run: %v", fixture.err)
	}
	return fixture
}

// TestMain removes the shared operator binary and manifest after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		_ = os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func buildOperator(binary string) error {
	root, err := controlplane.RepoRoot()
	if err != nil {
		return err
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the operator: %w\n%s", err, out)
	}
	return nil
}

// referenceReports syncs the organisation on a control plane of its own
// and returns its live reports.
func referenceReports(t *testing.T, binary, manifest string) (map[string]map[string]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	cp, err := controlplane.Start()
	if err != nil {
		return nil, err
	}
	defer cp.Stop()
	if _, err := cp.Kubectl(ctx, "apply", "-f", manifest); err != nil {
		return nil, err
	}
	applied := time.Now()
	logFile, err := os.CreateTemp("", "p3o-disruption-reference-*.log")
	if err != nil {
		return nil, err
	}
	defer os.Remove(logFile.Name())
	defer logFile.Close()
	op, err := cp.StartOperator(binary, logFile)
	if err != nil {
		return nil, err
	}
	defer op.Stop(30 * time.Second)
	if _, err := cp.Kubectl(ctx, "wait", "-n", disruptionNamespace, "--for=condition=Ready", "--timeout=120s", "--all", disruptionKinds); err != nil {
		return nil, err
	}
	reports, err := liveReports(ctx, cp)
	t.Logf("undisturbed run: %d live reports in %s (control plane and apply %s)", len(reports),
		time.Since(start).Round(time.Second), applied.Sub(start).Round(time.Second))
	return reports, err
}

// liveReports are the data of the live report ConfigMaps of the
// organisation, by name.
func liveReports(ctx context.Context, cp *controlplane.ControlPlane) (map[string]map[string]string, error) {
	cs, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		return nil, err
	}
	list, err := cs.CoreV1().ConfigMaps(disruptionNamespace).List(ctx, metav1.ListOptions{LabelSelector: "governance.p3o.dev/report=live"})
	if err != nil {
		return nil, err
	}
	reports := map[string]map[string]string{}
	for _, cm := range list.Items {
		reports[cm.Name] = cm.Data
	}
	return reports, nil
}

// sameReports fails the test unless got holds the reports of want, byte
// for byte, naming what differs.
func sameReports(t *testing.T, got, want map[string]map[string]string) {
	t.Helper()
	// 2 offices, 3 portfolios, 8 programmes.
	if len(want) != 13 {
		t.Fatalf("the undisturbed run published %d live reports; want 13", len(want))
	}
	var diffs []string
	for name, data := range want {
		for key, value := range data {
			if got[name][key] != value {
				diffs = append(diffs, fmt.Sprintf("%s %s (%d bytes, want %d)", name, key, len(got[name][key]), len(value)))
			}
		}
	}
	if len(diffs) > 0 || !reflect.DeepEqual(got, want) {
		sort.Strings(diffs)
		t.Errorf("%d live reports differ from the undisturbed run's %d: %s", len(got), len(want), strings.Join(diffs, "; "))
	}
}

// newClient is a client of the governance kinds, bypassing any cache.
func newClient(t *testing.T, cp *controlplane.ControlPlane) client.Client {
	t.Helper()
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(cp.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// synced counts the projects the operator has reconciled at their current
// generation, and all projects.
func synced(ctx context.Context, c client.Client) (done, all int, err error) {
	var projects v1alpha1.ProjectList
	if err := c.List(ctx, &projects, client.InNamespace(disruptionNamespace)); err != nil {
		return 0, 0, err
	}
	for _, p := range projects.Items {
		if p.Status.ObservedGeneration == p.Generation {
			done++
		}
	}
	return done, len(projects.Items), nil
}

// waitMidSync polls until the operator has reconciled at least a tenth of
// the projects and fails the test when it has already reconciled them all:
// the disruption must land while the sync is under way.
func waitMidSync(t *testing.T, ctx context.Context, c client.Client) (done, all int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		done, all, err := synced(ctx, c)
		switch {
		case err == nil && done == all && all > 0:
			t.Fatalf("all %d projects were reconciled before the disruption; the organisation is too small to disturb a sync", all)
		case err == nil && all > 0 && done*10 >= all:
			return done, all
		case time.Now().After(deadline):
			t.Fatalf("the sync did not get under way within 60s: %d of %d projects reconciled (%v)", done, all, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
