/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package status composes the status of every governance kind from the
// facts the reconcilers read (through internal/governance): conditions,
// health, compliance, rollups, retirement, and the events that the changes
// call for, returned as data for the reconciler to record. It is pure: no
// client, no clock (the time is an input), so it is tested without a
// control plane.
package status

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/inf.v0"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/shorten"
)

// maxReasons is how many health reasons status holds.
const maxReasons = 16

// setParentResolved records the outcome of an object's references.
func setParentResolved(obj conditions.Object, resolutions []hierarchy.Resolution) {
	status, reason, message := hierarchy.Summarise(resolutions)
	conditions.Set(obj, v1alpha1.ConditionParentResolved, status, reason, message)
}

// Pending says why an object's figures are not final yet (its children are
// pending, its report is being rebuilt, its reconcile failed); the zero
// value says they are.
type Pending struct {
	Reason  v1alpha1.ConditionReason
	Message string
}

// Conclude makes Ready, the one place it is made: from the conditions the
// object's kind summarises (summarised) and, when the figures are not
// final, the pending reason: Reconciling True, and Ready False with it
// unless Ready is already False for another reason. A reason only a
// person can help with (stalledReasons) makes Stalled True instead.
// Reconcilers call it once, just before the status patch. Ready is set
// once, so that a pass that changes nothing leaves its transition time
// as it was.
func Conclude(obj conditions.Object, pending Pending) {
	status, reason, message := conditions.Summary(obj, summarised(obj)...)
	stalled := status == metav1.ConditionFalse && stalledReasons[reason]
	if pending.Reason == "" || stalled {
		conditions.Set(obj, v1alpha1.ConditionReady, status, reason, message)
		conditions.Delete(obj, v1alpha1.ConditionReconciling)
		if stalled {
			conditions.Set(obj, v1alpha1.ConditionStalled, metav1.ConditionTrue, reason, message)
		} else {
			conditions.Delete(obj, v1alpha1.ConditionStalled)
		}
		return
	}
	if status != metav1.ConditionFalse {
		status, reason, message = metav1.ConditionFalse, pending.Reason, pending.Message
	}
	conditions.Set(obj, v1alpha1.ConditionReady, status, reason, message)
	conditions.Set(obj, v1alpha1.ConditionReconciling, metav1.ConditionTrue, pending.Reason, pending.Message)
	conditions.Delete(obj, v1alpha1.ConditionStalled)
}

// summarised are the conditions Ready of each kind summarises, with
// ReportPublished when the object publishes reports. Compliant is
// deliberately not among them: an object that misses a gate is fully
// observed, and Ready says its figures are final.
func summarised(obj conditions.Object) []v1alpha1.ConditionType {
	var owned []v1alpha1.ConditionType
	switch obj.(type) {
	case *v1alpha1.Project:
		owned = []v1alpha1.ConditionType{v1alpha1.ConditionParentResolved, v1alpha1.ConditionCurrencyMatched}
	case *v1alpha1.GatewayReview:
		owned = []v1alpha1.ConditionType{v1alpha1.ConditionParentResolved}
	case *v1alpha1.Office:
		owned = []v1alpha1.ConditionType{v1alpha1.ConditionParentResolved, v1alpha1.ConditionPolicyValid, v1alpha1.ConditionRolledUp}
	default: // Portfolio, Programme
		owned = []v1alpha1.ConditionType{v1alpha1.ConditionParentResolved, v1alpha1.ConditionCurrencyMatched, v1alpha1.ConditionRolledUp}
	}
	if conditions.Get(obj, v1alpha1.ConditionReportPublished) != nil {
		owned = append(owned, v1alpha1.ConditionReportPublished)
	}
	return owned
}

// stalledReasons are the reasons for which only a person can help: a
// refused attachment, a hub chain that loops, amounts in another currency,
// a gate that cannot work, a report whose name another object holds. With them Ready is False and Stalled is True, so
// that kstatus reads Failed and GitOps tools fail fast. A parent that does
// not exist yet is not among them: it heals when the parent is applied.
var stalledReasons = map[v1alpha1.ConditionReason]bool{
	v1alpha1.ReasonNotPermitted:  true,
	v1alpha1.ReasonHubLoop:       true,
	v1alpha1.ReasonMixedCurrency: true,
	v1alpha1.ReasonInvalidRule:   true,
	// The report's name is held by another object's ConfigMap.
	v1alpha1.ReasonReportNameTaken: true,
}

// Settled reports whether an object's figures are final for its parent:
// reconciled at its generation, not waiting for children of its own or
// failing, and (for kinds that roll up) rolled up. A child whose only
// pending work is its own report (ReportPending) is settled for its parent:
// its status figures are final. So is a child whose status the API server
// refused at its generation (StatusRejected): it failed, and waiting for
// it would keep its parents pending until a person helps.
func Settled(obj conditions.Object, observedGeneration int64, rollsUp bool) bool {
	if Rejected(obj) {
		return true
	}
	if observedGeneration != obj.GetGeneration() {
		return false
	}
	if c := conditions.Get(obj, v1alpha1.ConditionReconciling); c != nil && c.Status == metav1.ConditionTrue &&
		c.Reason != string(v1alpha1.ReasonReportPending) {
		return false
	}
	return !rollsUp || conditions.Get(obj, v1alpha1.ConditionRolledUp) != nil
}

// rejectedDetail bounds the API server's reason quoted in a StatusRejected
// message, so that the status patch saying so stays small.
const rejectedDetail = 1024

// MarkRejected records that the API server refused the status computed for
// obj at its generation, and why: Ready is False and Stalled True with
// reason StatusRejected, Reconciling is removed. It changes nothing else,
// so that the patch which says so is small and fits.
func MarkRejected(obj conditions.Object, why string) {
	message := "the API server refused the status computed for this generation, so status is not up to date: " +
		shorten.To(why, rejectedDetail)
	conditions.Set(obj, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonStatusRejected, message)
	conditions.Set(obj, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonStatusRejected, message)
	conditions.Delete(obj, v1alpha1.ConditionReconciling)
}

// Rejected reports whether obj's status says the API server refused the
// status computed for its current generation (MarkRejected).
func Rejected(obj conditions.Object) bool {
	c := conditions.Get(obj, v1alpha1.ConditionStalled)
	return conditions.Is(c, metav1.ConditionTrue, v1alpha1.ReasonStatusRejected) && c.ObservedGeneration == obj.GetGeneration()
}

// resolveGovernance records what governs a subject (a Project or Programme): how
// its references resolved, and whether its amounts are in its governing
// office's currency. It returns the office, the offices it is held to and
// the currency of its amounts, for its status.
func resolveGovernance(obj conditions.Object, facts governance.Facts, spec, recorded v1alpha1.Currency) (*v1alpha1.ObjectReference, []v1alpha1.ObjectReference, v1alpha1.Currency) {
	setParentResolved(obj, facts.Resolutions)
	currency := statedCurrency(spec, recorded, facts.Governance)
	setCurrencyMatched(obj, currency, facts.Governance)
	return facts.Ref(), facts.HeldTo, currency
}

// setCompliant records the Compliant condition.
func setCompliant(obj conditions.Object, known bool, res policy.Result) {
	switch {
	case !known:
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionUnknown, v1alpha1.ReasonNoPolicy, "no governing office is resolved yet")
	case len(res.Unmet) > 0:
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet, strings.Join(append(res.Unmet, res.Unknown...), "; "))
	case len(res.Unknown) > 0:
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionUnknown, v1alpha1.ReasonRuleError, strings.Join(res.Unknown, "; "))
	default:
		due := 0
		for _, g := range res.Gates {
			if g.State == v1alpha1.GateMet {
				due++
			}
		}
		conditions.Set(obj, v1alpha1.ConditionCompliant, metav1.ConditionTrue, v1alpha1.ReasonGatesMet, fmt.Sprintf("all %d gates due are met", due))
	}
}

// compliance evaluates a subject's gates and records status.compliance and
// the Compliant condition.
func compliance(obj subject, facts governance.Facts, rules *policy.Rules, previous v1alpha1.ComplianceStatus, now time.Time) (v1alpha1.ComplianceStatus, policy.Result) {
	c, res := governance.Compliance(facts, rules, obj, previous, now)
	setCompliant(obj, facts.Policy != nil, res)
	return c, res
}

// subject is a Project or Programme.
type subject interface {
	client.Object
	v1alpha1.Conditioned
}

// complianceCounts is how one object counts in a rollup's compliance.
func complianceCounts(obj conditions.Object) v1alpha1.ComplianceCounts {
	c := conditions.Get(obj, v1alpha1.ConditionCompliant)
	switch {
	case c == nil || c.Status == metav1.ConditionUnknown:
		return v1alpha1.ComplianceCounts{Unknown: 1}
	case c.Status == metav1.ConditionTrue:
		return v1alpha1.ComplianceCounts{Compliant: 1}
	default:
		return v1alpha1.ComplianceCounts{NonCompliant: 1}
	}
}

// boundedReasons keeps at most the reasons status allows.
func boundedReasons(reasons []string) []string {
	if len(reasons) > maxReasons {
		return reasons[:maxReasons]
	}
	return reasons
}

// firstReason is the first of reasons, or "".
func firstReason(reasons []string) string {
	if len(reasons) == 0 {
		return ""
	}
	return reasons[0]
}

// earliest returns the earlier non-zero time.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

// amountText writes an amount for people, rounded for reading, with its
// currency, as reports write it, shortened to fit status.display; "" when
// there is none.
func amountText(d *inf.Dec, currency v1alpha1.Currency) string {
	if d == nil {
		return ""
	}
	text := money.Display(d)
	if currency != "" {
		text += " " + string(currency)
	}
	return shorten.To(text, v1alpha1.MoneyDisplayMaxLength)
}

// rollupDisplay is a rollup's budget and forecast written for people, or
// "incomplete" when amounts in another currency were left out.
func rollupDisplay(m v1alpha1.MoneySummary) v1alpha1.MoneyDisplay {
	if len(m.LeftOut) > 0 {
		return v1alpha1.MoneyDisplay{Budget: "incomplete", Forecast: "incomplete"}
	}
	return v1alpha1.MoneyDisplay{Budget: amountText(money.Value(m.Budget), m.Currency), Forecast: amountText(money.Value(m.ForecastCost), m.Currency)}
}

// statedCurrency is the currency of an object's amounts: spec.currency when
// set; else the one status recorded; else, once the object's governance is
// fully resolved, its governing office's (then recorded, and kept across
// moves: an amount is never relabelled). "" while none is known.
func statedCurrency(spec, recorded v1alpha1.Currency, g governance.Governance) v1alpha1.Currency {
	switch {
	case spec != "":
		return spec
	case recorded != "":
		return recorded
	case g.Office != nil && g.Complete:
		return g.Currency()
	}
	return ""
}

// setCurrencyMatched says whether an object's amounts are in its governing
// office's currency. Amounts in another one are left out of that office's
// totals (rollup.Builder), and only a person can restate them.
func setCurrencyMatched(obj conditions.Object, stated v1alpha1.Currency, g governance.Governance) {
	switch {
	case g.Office == nil || stated == "":
		conditions.Set(obj, v1alpha1.ConditionCurrencyMatched, metav1.ConditionTrue, v1alpha1.ReasonNoGoverningOffice,
			"no governing office is fully resolved yet: the amounts' currency is recorded once one is")
	case stated == g.Currency():
		conditions.Set(obj, v1alpha1.ConditionCurrencyMatched, metav1.ConditionTrue, v1alpha1.ReasonSameCurrency,
			fmt.Sprintf("amounts are in %s, the currency of office %s", stated, g.Ref()))
	default:
		conditions.Set(obj, v1alpha1.ConditionCurrencyMatched, metav1.ConditionFalse, v1alpha1.ReasonMixedCurrency,
			fmt.Sprintf("amounts are in %s but the governing office %s keeps %s: they are left out of its totals until restated (write them in %s and set spec.currency: %s)",
				stated, g.Ref(), g.Currency(), g.Currency(), g.Currency()))
	}
}

// rollupCurrency is the currency a parent adds its children up in: its own
// amounts' currency, or the default while none is known.
func rollupCurrency(stated v1alpha1.Currency) v1alpha1.Currency {
	if stated == "" {
		return v1alpha1.DefaultCurrency
	}
	return stated
}
