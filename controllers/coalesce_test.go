/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"testing"
	"time"
)

// A parent waits while its children settle one after another, however long
// that takes up to MaxDeferral; it rolls up anyway when they make no
// progress for StalledChildren, and at once when none is pending.
func TestParentsWaitForChildrenThatMakeProgress(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	t.Run("progress keeps it waiting until the longest deferral", func(t *testing.T) {
		d := newDeferrals(&progress{})
		pending := 10_000
		for s := time.Duration(0); s < MaxDeferral; s += 10 * time.Second {
			if !d.wait(ctx, "p", pending, at(s)) {
				t.Fatalf("rolled up after %s with %d children pending and settling", s, pending)
			}
			pending -= 30
		}
		if d.wait(ctx, "p", pending, at(MaxDeferral)) {
			t.Fatalf("still waiting after %s", MaxDeferral)
		}
		if !d.wait(ctx, "p", pending-1, at(MaxDeferral+time.Second)) {
			t.Error("after rolling up anyway, a parent with children pending waits again")
		}
	})

	t.Run("no progress rolls up after StalledChildren", func(t *testing.T) {
		d := newDeferrals(&progress{})
		if !d.wait(ctx, "p", 3, at(0)) || !d.wait(ctx, "p", 2, at(10*time.Second)) {
			t.Fatal("did not wait for pending children")
		}
		// One child keeps failing: 2 pending from 10 s on.
		if !d.wait(ctx, "p", 2, at(10*time.Second+StalledChildren-time.Second)) {
			t.Error("rolled up before the children stalled for StalledChildren")
		}
		if d.wait(ctx, "p", 2, at(10*time.Second+StalledChildren)) {
			t.Error("still waiting for children that made no progress for StalledChildren")
		}
		// A count that rises (children added) is no progress either.
		d = newDeferrals(&progress{})
		if !d.wait(ctx, "q", 2, at(0)) || !d.wait(ctx, "q", 5, at(StalledChildren-time.Second)) {
			t.Fatal("did not wait")
		}
		if d.wait(ctx, "q", 4, at(StalledChildren)) {
			t.Error("children that never fell below the first count counted as progress")
		}
	})

	t.Run("progress beneath keeps parents above waiting", func(t *testing.T) {
		shared := &progress{}
		programmes, portfolios := newDeferrals(shared), newDeferrals(shared)
		// The portfolio's two programmes stay pending while their
		// projects settle one after another.
		projects := 100
		for s := time.Duration(0); s < 2*StalledChildren; s += time.Second {
			if !portfolios.wait(ctx, "portfolio", 2, at(s)) {
				t.Fatalf("the portfolio rolled up after %s while the projects beneath it settled", s)
			}
			programmes.wait(ctx, "programme", projects, at(s))
			projects--
		}
		// The projects stop settling: after StalledChildren both roll up.
		end := 2 * StalledChildren
		if !portfolios.wait(ctx, "portfolio", 2, at(end+StalledChildren-2*time.Second)) {
			t.Error("the portfolio rolled up before nothing had progressed for StalledChildren")
		}
		if portfolios.wait(ctx, "portfolio", 2, at(end+StalledChildren)) || programmes.wait(ctx, "programme", projects+1, at(end+StalledChildren)) {
			t.Error("parents still wait although nothing progressed for StalledChildren")
		}
	})

	t.Run("nothing pending rolls up at once", func(t *testing.T) {
		d := newDeferrals(&progress{})
		if d.wait(ctx, "p", 0, at(0)) {
			t.Error("waited with nothing pending")
		}
		if !d.wait(ctx, "p", 1, at(time.Second)) || d.wait(ctx, "p", 0, at(2*time.Second)) {
			t.Error("did not roll up once the last child settled")
		}
		if got := d.waitingFor("p", at(3*time.Second)); got != 0 {
			t.Errorf("still waiting for %s after rolling up", got)
		}
	})
}

// A parent down to its last few pending children is woken by their
// changes within the rollup window; one waiting for many looks again by
// itself.
func TestParentsWithFewPendingChildrenAreWokenSooner(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	d := newDeferrals(&progress{})
	d.wait(ctx, "many", 500, t0)
	d.wait(ctx, "few", 500, t0)
	d.wait(ctx, "few", FewPending, t0.Add(time.Second))
	if d.fewPending("many") || !d.fewPending("few") || d.fewPending("not-waiting") {
		t.Errorf("fewPending: many %v, few %v, not waiting %v; want false, true, false",
			d.fewPending("many"), d.fewPending("few"), d.fewPending("not-waiting"))
	}
}
