/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// RAG is a Red, Amber or Green rating given by a person.
// +kubebuilder:validation:Enum=Green;Amber;Red
type RAG string

// Health is a RAG status computed by the operator, or Unknown.
// +kubebuilder:validation:Enum=Green;Amber;Red;Unknown
type Health string

const (
	// HealthGreen is on track: forecasts within the warning share of tolerance.
	HealthGreen Health = "Green"
	// HealthAmber needs attention: forecasts within tolerance but beyond the
	// warning share, or a lesser issue such as stale reporting.
	HealthAmber Health = "Amber"
	// HealthRed needs a decision: a forecast beyond tolerance (an exception,
	// listed in status.toleranceExceptions), a Red Delivery Confidence, a
	// dependency overdue, or a declared Red.
	HealthRed Health = "Red"
	// HealthUnknown is used in status when health cannot be determined yet.
	HealthUnknown Health = "Unknown"
)

// ReportingState says whether a project's progress reporting keeps its
// cadence.
// +kubebuilder:validation:Enum=Current;Stale;NotRequired
type ReportingState string

const (
	// ReportingCurrent: the last progress report is within the cadence.
	ReportingCurrent ReportingState = "Current"
	// ReportingStale: no progress reported, or the last report is a
	// cadence or more old.
	ReportingStale ReportingState = "Stale"
	// ReportingNotRequired: the project's phase is not held to a cadence.
	ReportingNotRequired ReportingState = "NotRequired"
)
