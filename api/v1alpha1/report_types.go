/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

// ReportMode switches report ConfigMaps on or off.
// +kubebuilder:validation:Enum=Enabled;Disabled
type ReportMode string

const (
	// ReportsEnabled publishes report ConfigMaps.
	ReportsEnabled ReportMode = "Enabled"
	// ReportsDisabled publishes none.
	ReportsDisabled ReportMode = "Disabled"
)

// ReportSettings controls the report ConfigMaps published for an object: a
// live report kept current, and periodic snapshots.
// +kubebuilder:validation:MinProperties=1
type ReportSettings struct {
	// mode is Enabled or Disabled. Offices and Portfolios publish by default;
	// Programmes publish only when set to Enabled.
	// +optional
	Mode ReportMode `json:"mode,omitempty"`

	// snapshotInterval is how often an immutable snapshot of the report is
	// taken, e.g. "1w" or "4w". No snapshots are taken when unset.
	// +optional
	SnapshotInterval Duration `json:"snapshotInterval,omitempty"`

	// snapshotRetention is how many snapshots are kept; the oldest are pruned.
	// Defaults to 12.
	// +optional
	// +kubebuilder:default=12
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=520
	SnapshotRetention int32 `json:"snapshotRetention,omitempty"`
}
