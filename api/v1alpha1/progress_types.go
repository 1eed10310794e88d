/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// Reasons of Reconciling (and of Ready while it is True): why an object's
// figures are not final yet. kstatus reads the object as InProgress.
const (
	// ReasonChildrenPending: some children have not been reconciled at their
	// current generation (or are themselves still reconciling), so the
	// rollup does not reflect them yet.
	ReasonChildrenPending ConditionReason = "ChildrenPending"
	// ReasonReportPending: the rollup changed and the live report has not
	// been rebuilt with it yet (reports are rebuilt at most every few
	// seconds).
	ReasonReportPending ConditionReason = "ReportPending"
	// ReasonReconcileFailed: the last reconciliation failed with an error
	// that is retried (the message says which); status may be out of date.
	ReasonReconcileFailed ConditionReason = "ReconcileFailed"
)

// Reasons of Stalled (and of Ready while it is True) that every kind may
// carry. kstatus reads the object as Failed.
const (
	// ReasonStatusRejected: the API server refused the status the operator
	// computed (the message says why). Status then holds only these
	// conditions beside what it held before; parents count the object as
	// failed, not pending. The object is reconciled again when it or what
	// it derives from changes.
	ReasonStatusRejected ConditionReason = "StatusRejected"
)

// ConditionMessageMaxLength bounds a condition's message, as
// metav1.Condition's schema does: internal/conditions shortens longer
// messages to it (internal/shorten).
const ConditionMessageMaxLength = 32768
