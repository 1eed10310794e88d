/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// Labels on report ConfigMaps.
const (
	// LabelReport is on every report ConfigMap ("live" or "snapshot").
	LabelReport = "governance.p3o.dev/report"
	// LabelReportKind is the kind of the reported object.
	LabelReportKind = "governance.p3o.dev/report-kind"
	// LabelReportName is the name of the reported object (shortened with a
	// hash when longer than a label value may be).
	LabelReportName = "governance.p3o.dev/report-name"
	// AnnotationPeriodStart is the start of a snapshot's period (RFC 3339).
	AnnotationPeriodStart = "governance.p3o.dev/period-start"
	// AnnotationSnapshotState is SnapshotOpen while a snapshot's period is
	// open (it then holds the latest settled report) and SnapshotSealed
	// once the period has ended (it is then immutable).
	AnnotationSnapshotState = "governance.p3o.dev/snapshot-state"
	// AnnotationBuiltAt is when a snapshot's content was built (RFC 3339).
	AnnotationBuiltAt = "governance.p3o.dev/built-at"
	// AnnotationContentDigest is the SHA-256 of a report ConfigMap's data,
	// written with it: the operator compares reports by it instead of
	// keeping their content in memory.
	AnnotationContentDigest = "governance.p3o.dev/content-sha256"
	// SnapshotOpen is the state of the current period's snapshot.
	SnapshotOpen = "open"
	// SnapshotSealed is the state of the snapshot of an ended period.
	SnapshotSealed = "sealed"
)
