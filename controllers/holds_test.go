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

// A project waits for unsettled providers while the operator progresses,
// up to MaxDeferral; HoldStalled when nothing progresses; never once its
// providers have settled.
func TestProjectsWaitForUnsettledProviders(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	const a, pa, q = "Project/ns/a", "Programme/ns/pa", "Programme/ns/q"

	t.Run("progress keeps it waiting until the longest deferral", func(t *testing.T) {
		p := &progress{}
		h := newHolds(p)
		for s := time.Duration(0); s < MaxDeferral; s += HoldRecheck {
			p.seen(at(s))
			if !h.wait(ctx, a, pa, []string{q}, at(s)) {
				t.Fatalf("judged after %s while the operator progresses", s)
			}
		}
		if h.wait(ctx, a, pa, []string{q}, at(MaxDeferral)) {
			t.Fatalf("still held after %s", MaxDeferral)
		}
	})

	t.Run("nothing progressing ends the hold after HoldStalled", func(t *testing.T) {
		p := &progress{}
		p.seen(t0)
		h := newHolds(p)
		if !h.wait(ctx, a, pa, []string{q}, at(time.Second)) {
			t.Fatal("not held at first")
		}
		if !h.wait(ctx, a, pa, []string{q}, at(HoldStalled-time.Second)) {
			t.Fatalf("judged before %s without progress", HoldStalled)
		}
		if h.wait(ctx, a, pa, []string{q}, at(HoldStalled+time.Second)) {
			t.Fatalf("still held after %s without progress", HoldStalled)
		}
		if HoldStalled >= StalledChildren {
			t.Errorf("a held project (%s) must be judged before its parent stops waiting for it (%s)", HoldStalled, StalledChildren)
		}
	})

	t.Run("settled providers end the hold", func(t *testing.T) {
		h := newHolds(&progress{})
		h.wait(ctx, a, pa, []string{q}, t0)
		if h.wait(ctx, a, pa, nil, at(time.Second)) {
			t.Fatal("held with every provider settled")
		}
		if len(h.held) != 0 {
			t.Errorf("holds kept after judging: %v", h.held)
		}
	})
}

// A hold never closes a loop of waits: a provider that waits, through the
// programmes and held projects between, for the project itself.
func TestHoldsNeverCloseALoop(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	p := &progress{}
	p.seen(now)
	cases := []struct {
		name string
		// earlier holds: project → (parent, providers)
		earlier map[string][2]string
		// the project asking, its parent and provider
		project, parent, provider string
		held                      bool
	}{
		{name: "its own programme", project: "Project/ns/a", parent: "Programme/ns/pa", provider: "Programme/ns/pa"},
		{name: "an unrelated programme", project: "Project/ns/a", parent: "Programme/ns/pa", provider: "Programme/ns/q", held: true},
		{name: "two programmes waiting for each other's projects",
			earlier: map[string][2]string{"Project/ns/b": {"Programme/ns/q", "Programme/ns/pa"}},
			project: "Project/ns/a", parent: "Programme/ns/pa", provider: "Programme/ns/q"},
		{name: "three programmes in a ring",
			earlier: map[string][2]string{
				"Project/ns/b": {"Programme/ns/q", "Programme/ns/r"},
				"Project/ns/c": {"Programme/ns/r", "Programme/ns/pa"}},
			project: "Project/ns/a", parent: "Programme/ns/pa", provider: "Programme/ns/q"},
		{name: "a held project provider that waits for the project's programme",
			earlier: map[string][2]string{"Project/ns/b": {"Portfolio/ns/f", "Programme/ns/pa"}},
			project: "Project/ns/a", parent: "Programme/ns/pa", provider: "Project/ns/b"},
		{name: "a chain that ends",
			earlier: map[string][2]string{
				"Project/ns/b": {"Programme/ns/q", "Programme/ns/r"},
				"Project/ns/c": {"Programme/ns/r", "Programme/ns/s"}},
			project: "Project/ns/a", parent: "Programme/ns/pa", provider: "Programme/ns/q", held: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHolds(p)
			for node, w := range tc.earlier {
				if !h.wait(ctx, node, w[0], []string{w[1]}, now) {
					t.Fatalf("setting up: %s not held", node)
				}
			}
			if got := h.wait(ctx, tc.project, tc.parent, []string{tc.provider}, now); got != tc.held {
				t.Errorf("held = %v, want %v", got, tc.held)
			}
		})
	}
}
