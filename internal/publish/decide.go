/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// MinInterval is the least time between two rebuilds of one object's live
// report: a burst of changes beneath it (a GitOps sync of hundreds of
// projects) is coalesced into one rebuild.
const MinInterval = 5 * time.Second

// UnsettledInterval is the least time between two rebuilds of a live
// report whose figures are not final (children still pending: a parent
// that rolls up anyway during a long sync, or above a child that keeps
// failing).
const UnsettledInterval = 5 * time.Minute

// NameTakenRecheck is how long an object whose live report name is held by
// another owner's ConfigMap waits before it looks again. Such a ConfigMap
// may carry no report label, so no watch event says when it goes.
const NameTakenRecheck = 10 * time.Minute

// state is what the publisher remembers of one object's report.
type state struct {
	// last is when its last rebuild began.
	last time.Time
	// published is the fingerprint of what its live report was built from.
	published string
	// outcome is the last rebuild's (nil before the first since start).
	outcome *outcome
	// inFlight is true while it is rebuilt apart from its reconcile.
	inFlight bool
}

// outcome is what one rebuild did.
type outcome struct {
	// status, reason and message are the ReportPublished condition.
	status  metav1.ConditionStatus
	reason  v1alpha1.ConditionReason
	message string
	// err is a failed read or write; the rebuild is tried again when it is
	// next due (MinInterval on).
	err error
	// recheck is when to look again (the next snapshot period, or a name
	// held by another object); zero when never.
	recheck time.Time
	// digest is the content digest of the live report it wrote.
	digest string
	// travel is the report's direction of travel, as status shows it.
	travel v1alpha1.DirectionOfTravel
	// evidence is an office report's indicators of practice, as status
	// shows them.
	evidence v1alpha1.Evidence
}

// situation is what a decision depends on besides the remembered state.
type situation struct {
	// fingerprint identifies what the report would be built from now.
	fingerprint string
	// held is the digest of the live report as it stands ("" when there is
	// none, or it was edited by hand).
	held string
	// settled says the figures are final (no child pending).
	settled bool
	// shown says the object's status already shows rolled-up figures.
	shown bool
	// background says rebuilds may run apart from reconciles (the manager
	// runs).
	background bool
	now        time.Time
}

// action is what to do with a report now.
type action int

const (
	// keep: nothing is due; the live report holds what it should, or
	// cannot be written before its recheck.
	keep action = iota
	// wait: a rebuild is due, but the last one began too recently.
	wait
	// await: a rebuild apart from the reconcile is under way.
	await
	// rebuildNow: rebuild within the reconcile.
	rebuildNow
	// rebuildApart: rebuild apart from the reconcile, which is woken when
	// it is done.
	rebuildApart
)

// decision is what decide asks for.
type decision struct {
	action action
	// after is when to look again; zero when only a change should bring
	// the object back. For rebuildNow it is settled by the rebuild.
	after time.Duration
	// pending says the live report does not hold what it would be built
	// from now.
	pending bool
}

// decide is when an object's report is rebuilt: now (within the
// reconcile), apart from it (its status already shows figures, so they
// are written at once and the report follows), later (the last rebuild
// began less than the interval ago) or not at all (nothing changed).
//
// A report is due when nothing was built since start, what it is built
// from changed, its live copy differs from what was written (deleted or
// edited by hand), the last rebuild failed, the next snapshot period
// began, or the time to look again at a name held by another object came.
func decide(st state, s situation) decision {
	interval := MinInterval
	if !s.settled {
		// Figures rolled up while children are still pending change again
		// soon: the report follows them rarely, and at once when they settle.
		interval = UnsettledInterval
	}
	if st.inFlight {
		return decision{action: await, after: interval, pending: true} // its end wakes the object too
	}
	o := st.outcome
	nameTaken := o != nil && o.reason == v1alpha1.ReasonReportNameTaken
	stale := st.published != s.fingerprint
	due := true
	switch {
	case o == nil:
	case nameTaken:
		due = !s.now.Before(o.recheck)
	case o.err == nil && !stale && s.held == o.digest:
		due = !o.recheck.IsZero() && !s.now.Before(o.recheck) // the next snapshot period
	}
	if remaining := st.last.Add(interval).Sub(s.now); !due || remaining > 0 {
		d := decision{action: keep, pending: stale && !nameTaken}
		switch {
		case due:
			d.action, d.after = wait, remaining
		case o != nil && !o.recheck.IsZero():
			d.after = o.recheck.Sub(s.now)
		}
		return d
	}
	if s.shown && o != nil && s.background {
		return decision{action: rebuildApart, after: interval, pending: true}
	}
	return decision{action: rebuildNow}
}
