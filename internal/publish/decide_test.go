/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"errors"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	written := &outcome{status: metav1.ConditionTrue, reason: v1alpha1.ReasonPublished, digest: "d1"}
	nextPeriod := &outcome{status: metav1.ConditionTrue, reason: v1alpha1.ReasonPublished, digest: "d1", recheck: now.Add(time.Hour)}
	periodBegan := &outcome{status: metav1.ConditionTrue, reason: v1alpha1.ReasonPublished, digest: "d1", recheck: ago(time.Second)}
	writeFailed := &outcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonPublishFailed, err: errors.New("boom")}
	nameTaken := &outcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonReportNameTaken, recheck: now.Add(10 * time.Minute)}
	nameTakenDue := &outcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonReportNameTaken, recheck: ago(time.Second)}
	same := situation{fingerprint: "f1", held: "d1", settled: true, shown: true, background: true, now: now}
	with := func(change func(*situation)) situation { s := same; change(&s); return s }

	tests := []struct {
		name string
		st   state
		s    situation
		want decision
	}{
		{"nothing built since start: now, within the reconcile",
			state{}, same, decision{action: rebuildNow}},
		{"nothing built since start, though status shows figures: still within the reconcile (a restart writes nothing new)",
			state{}, with(func(s *situation) { s.shown = true }), decision{action: rebuildNow}},
		{"unchanged and written: nothing, nothing pending",
			state{last: ago(time.Minute), published: "f1", outcome: written}, same, decision{action: keep}},
		{"unchanged, the next snapshot period later: look again then",
			state{last: ago(time.Minute), published: "f1", outcome: nextPeriod}, same, decision{action: keep, after: time.Hour}},
		{"unchanged, the next snapshot period began: rebuild apart",
			state{last: ago(time.Minute), published: "f1", outcome: periodBegan}, same, decision{action: rebuildApart, after: MinInterval, pending: true}},
		{"figures changed, status shows figures: rebuild apart, pending",
			state{last: ago(time.Minute), published: "f0", outcome: written}, same, decision{action: rebuildApart, after: MinInterval, pending: true}},
		{"figures changed, status shows none yet: within the reconcile",
			state{last: ago(time.Minute), published: "f0", outcome: written}, with(func(s *situation) { s.shown = false }), decision{action: rebuildNow}},
		{"figures changed before the manager runs: within the reconcile",
			state{last: ago(time.Minute), published: "f0", outcome: written}, with(func(s *situation) { s.background = false }), decision{action: rebuildNow}},
		{"figures changed 2 s after the last rebuild: wait the rest of the interval, pending",
			state{last: ago(2 * time.Second), published: "f0", outcome: written}, same, decision{action: wait, after: 3 * time.Second, pending: true}},
		{"unsettled figures changed a minute after the last rebuild: wait for the unsettled interval",
			state{last: ago(time.Minute), published: "f0", outcome: written}, with(func(s *situation) { s.settled = false }),
			decision{action: wait, after: UnsettledInterval - time.Minute, pending: true}},
		{"live report edited by hand: written again",
			state{last: ago(time.Minute), published: "f1", outcome: written}, with(func(s *situation) { s.held = "" }),
			decision{action: rebuildApart, after: MinInterval, pending: true}},
		{"last write failed: tried again once the interval passed",
			state{last: ago(time.Minute), published: "f1", outcome: writeFailed}, same, decision{action: rebuildApart, after: MinInterval, pending: true}},
		{"last write failed 1 s ago: wait",
			state{last: ago(time.Second), published: "f1", outcome: writeFailed}, same, decision{action: wait, after: 4 * time.Second}},
		{"name held by another object: look again at the recheck, not pending (stalled, not waiting)",
			state{last: ago(time.Minute), published: "f0", outcome: nameTaken}, same, decision{action: keep, after: 10 * time.Minute}},
		{"name held by another object, recheck due: try again",
			state{last: ago(time.Hour), published: "f0", outcome: nameTakenDue}, same, decision{action: rebuildApart, after: MinInterval, pending: true}},
		{"a rebuild apart under way: await it, pending",
			state{last: ago(time.Second), published: "f0", outcome: written, inFlight: true}, same, decision{action: await, after: MinInterval, pending: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := decide(tc.st, tc.s); got != tc.want {
				t.Errorf("decide() = %+v, want %+v", got, tc.want)
			}
		})
	}
}
