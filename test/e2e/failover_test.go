/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"p3o.dev/p3o-operator/internal/controlplane"
)

const (
	// leaseName is the operator's leader election Lease, in
	// leaseNamespace.
	leaseName, leaseNamespace = "p3o-operator.governance.p3o.dev", "kube-system"
	// renewDeadline is controller-runtime's default: how long a leader
	// keeps trying to renew before it gives the lease up.
	renewDeadline = 10 * time.Second
)

// Two replicas with leader election sync the generated organisation; the
// leader is killed with SIGKILL (no chance to release the lease) while the
// sync is under way. The other replica must hold the lease within the lease
// duration plus the renew deadline of the kill, bring every object to Ready,
// and publish live reports byte-identical to an undisturbed run's.
func TestLeaderFailover(t *testing.T) {
	f := undisturbed(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cp := controlplane.StartForTest(t)
	c := newClient(t, cp)
	cs, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		t.Fatal(err)
	}
	token, err := cp.MetricsReaderToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Applied before any replica runs, so that the leader meets the
	// whole organisation at once, as after an upgrade.
	if _, err := cp.Kubectl(ctx, "apply", "-f", f.manifest); err != nil {
		t.Fatal(err)
	}
	args := []string{"--leader-elect", "--leader-election-namespace", leaseNamespace}
	ops := []*controlplane.Operator{
		cp.StartOperatorForTest(t, f.binary, args...),
		// One webhook server per port: the second replica serves none
		// (webhooks are not leader-elected, and nothing is applied after
		// the kill).
		cp.StartOperatorForTest(t, f.binary, append(args, "--enable-webhooks=false")...),
	}
	leader := waitLeader(t, ctx, ops, token)
	lease, err := cs.CoordinationV1().Leases(leaseNamespace).Get(ctx, leaseName, metav1.GetOptions{})
	if err != nil || lease.Spec.HolderIdentity == nil || lease.Spec.LeaseDurationSeconds == nil {
		t.Fatalf("the lease of the leader: %v %v", lease, err)
	}
	holder, limit := *lease.Spec.HolderIdentity, time.Duration(*lease.Spec.LeaseDurationSeconds)*time.Second+renewDeadline

	done, all := waitMidSync(t, ctx, c)
	if err := ops[leader].Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	t.Logf("killed the leader %s with %d of %d projects reconciled", holder, done, all)
	survivor := ops[1-leader]

	newHolder := waitNewHolder(t, ctx, cs, holder, killed.Add(limit+5*time.Second))
	took := time.Since(killed)
	t.Logf("%s took the lease %s after the kill (limit %s)", newHolder, took.Round(100*time.Millisecond), limit)
	if took > limit {
		t.Errorf("the lease changed hands %s after the kill; want within the lease duration plus the renew deadline, %s", took, limit)
	}
	if !isLeader(ctx, survivor, token) {
		t.Errorf("the surviving replica does not report itself leader though %s holds the lease", newHolder)
	}
	if _, err := cp.Kubectl(ctx, "wait", "-n", disruptionNamespace, "--for=condition=Ready", "--timeout=120s", "--all", disruptionKinds); err != nil {
		t.Fatal(err)
	}
	t.Logf("every object Ready %s after the kill", time.Since(killed).Round(100*time.Millisecond))
	reports, err := liveReports(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	sameReports(t, reports, f.reference)
	select {
	case <-survivor.Exited():
		t.Errorf("the surviving replica exited: %v", survivor.Err())
	default:
	}
}

// isLeader says whether the operator's metrics report it the leader
// (client-go's leader_election_master_status, which controller-runtime
// exports).
func isLeader(ctx context.Context, op *controlplane.Operator, token string) bool {
	_, body, err := op.Scrape(ctx, token)
	return err == nil && strings.Contains(body, `leader_election_master_status{name="`+leaseName+`"} 1`)
}

// waitLeader returns the index of the one operator that reports itself
// leader, failing the test when none or both do for 30 s.
func waitLeader(t *testing.T, ctx context.Context, ops []*controlplane.Operator, token string) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var leaders []int
		for i, op := range ops {
			if isLeader(ctx, op, token) {
				leaders = append(leaders, i)
			}
		}
		if len(leaders) == 1 {
			return leaders[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("operators reporting themselves leader after 30s: %v; want exactly one", leaders)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitNewHolder polls the lease until someone other than old holds it and
// returns the new holder, failing the test at the deadline.
func waitNewHolder(t *testing.T, ctx context.Context, cs kubernetes.Interface, old string, deadline time.Time) string {
	t.Helper()
	for {
		lease, err := cs.CoordinationV1().Leases(leaseNamespace).Get(ctx, leaseName, metav1.GetOptions{})
		if err == nil && lease.Spec.HolderIdentity != nil && *lease.Spec.HolderIdentity != "" && *lease.Spec.HolderIdentity != old {
			return *lease.Spec.HolderIdentity
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still holds the lease (or it cannot be read: %v)", old, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
