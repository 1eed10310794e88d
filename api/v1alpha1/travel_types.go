/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// DirectionOfTravel counts how the projects beneath an object moved since
// the last sealed snapshot of its report (report.json's directionOfTravel
// lists them; docs/report-schema.md defines each count).
type DirectionOfTravel struct {
	// since is the start of the period whose sealed snapshot the report
	// was compared with.
	// +required
	Since *metav1.Time `json:"since,omitempty"`

	// improved counts the projects whose health is better than then.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Improved int32 `json:"improved,omitempty"`

	// declined counts the projects whose health is worse than then.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Declined int32 `json:"declined,omitempty"`

	// unchanged counts the projects whose health is the same as then.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Unchanged int32 `json:"unchanged,omitempty"`

	// joined counts the projects reported now that the snapshot did not
	// list.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Joined int32 `json:"joined,omitempty"`

	// left counts the projects the snapshot listed that are reported no
	// more.
	// +optional
	// +kubebuilder:validation:Minimum=0
	Left int32 `json:"left,omitempty"`

	// persistentlyRedOrAmber counts the projects Red or Amber in this
	// period and in the snapshot's (two periods or more in a row).
	// +optional
	// +kubebuilder:validation:Minimum=0
	PersistentlyRedOrAmber int32 `json:"persistentlyRedOrAmber,omitempty"`
}

// TravelReporter is an object whose status shows its direction of travel
// (Office, Portfolio and Programme).
// +kubebuilder:object:generate=false
type TravelReporter interface {
	SetDirectionOfTravel(DirectionOfTravel)
}

// SetDirectionOfTravel sets status.directionOfTravel.
func (o *Office) SetDirectionOfTravel(d DirectionOfTravel) { o.Status.DirectionOfTravel = d }

// SetDirectionOfTravel sets status.directionOfTravel.
func (p *Portfolio) SetDirectionOfTravel(d DirectionOfTravel) { p.Status.DirectionOfTravel = d }

// SetDirectionOfTravel sets status.directionOfTravel.
func (p *Programme) SetDirectionOfTravel(d DirectionOfTravel) { p.Status.DirectionOfTravel = d }
