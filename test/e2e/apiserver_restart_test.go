/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// apiServerDowntime is how long the API server stays down mid-sync.
const apiServerDowntime = 10 * time.Second

// The kube-apiserver is killed (SIGKILL, as in a crash) while the operator
// syncs the generated organisation, kept down for 10 s and started again
// on the same address, certificates and etcd. The operator must ride it out without exiting, bring every
// object to Ready and publish live reports byte-identical to an undisturbed
// run's. It runs without leader election: with --leader-elect (as
// config/manager deploys it) a leader that cannot renew its lease for the
// renew deadline (10 s) gives it up and exits by design, and its pod is
// restarted; TestLeaderFailover covers a replica that goes away.
func TestAPIServerRestart(t *testing.T) {
	f := undisturbed(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cp := controlplane.StartForTest(t)
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(cp.APIServerLog())
			t.Logf("kube-apiserver log (last 5000 bytes):\n%s", log[max(0, len(log)-5000):])
		}
	})
	c := newClient(t, cp)
	if _, err := cp.Kubectl(ctx, "apply", "-f", f.manifest); err != nil {
		t.Fatal(err)
	}
	op := cp.StartOperatorForTest(t, f.binary)
	done, all := waitMidSync(t, ctx, c)
	if err := cp.KillAPIServer(); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed the API server with %d of %d projects reconciled", done, all)
	if _, _, err := synced(ctx, c); err == nil {
		t.Fatal("the API server still answers after KillAPIServer")
	}
	// The outage itself: a duration, not a condition to wait for.
	select {
	case <-op.Exited():
		t.Fatalf("the operator exited while the API server was down: %v", op.Err())
	case <-time.After(apiServerDowntime):
	}
	if err := cp.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	if _, err := cp.Kubectl(ctx, "wait", "-n", disruptionNamespace, "--for=condition=Ready", "--timeout=120s", "--all", disruptionKinds); err != nil {
		t.Fatal(err)
	}
	t.Logf("every object Ready %s after the API server was back", time.Since(restarted).Round(100*time.Millisecond))
	reports, err := liveReports(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	sameReports(t, reports, f.reference)
	select {
	case <-op.Exited():
		t.Errorf("the operator exited after the API server came back: %v", op.Err())
	default:
	}
}
