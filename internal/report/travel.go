/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package report

import (
	"time"

	"gopkg.in/inf.v0"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/travel"
)

// DirectionOfTravel is how the reported object and the projects beneath
// moved since the last sealed snapshot of its report (internal/travel
// defines each figure). Each project's own movement is in its row.
type DirectionOfTravel struct {
	// Since is the start of the compared period, as its period-start
	// annotation says (RFC 3339, UTC); "" when no earlier period's
	// snapshot is held: then only the runs of Red or Amber are counted.
	Since string `json:"since"`
	// HealthThen and Direction are the object's health then and how it
	// moved; PeriodsRedOrAmber counts its periods Red or Amber in a row,
	// this one included.
	HealthThen        v1alpha1.Health  `json:"healthThen"`
	Direction         travel.Direction `json:"direction"`
	PeriodsRedOrAmber int32            `json:"periodsRedOrAmber"`
	// ForecastCostThen and VarianceThen are the totals then; the changes
	// are now minus then, "" when either is unknown or the currency
	// changed.
	ForecastCostThen   string       `json:"forecastCostThen"`
	ForecastCostChange string       `json:"forecastCostChange"`
	VarianceThen       string       `json:"varianceThen"`
	VarianceChange     string       `json:"varianceChange"`
	Counts             TravelCounts `json:"counts"`
	// Left are the projects the snapshot listed that are reported no more.
	Left []LeftProject `json:"left"`
}

// TravelCounts counts the projects by direction.
type TravelCounts struct {
	Improved      int32 `json:"improved"`
	Declined      int32 `json:"declined"`
	Unchanged     int32 `json:"unchanged"`
	Joined        int32 `json:"joined"`
	Left          int32 `json:"left"`
	NotComparable int32 `json:"notComparable"`
	// PersistentlyRedOrAmber counts the projects Red or Amber for two
	// periods or more in a row.
	PersistentlyRedOrAmber int32 `json:"persistentlyRedOrAmber"`
}

// LeftProject is a project reported then and not now.
type LeftProject struct {
	Namespace  string          `json:"namespace"`
	Name       string          `json:"name"`
	HealthThen v1alpha1.Health `json:"healthThen"`
}

// Previous is the last sealed snapshot's report, and the period it closed.
type Previous struct {
	// Start is its period-start annotation.
	Start  string
	Report Report
}

// Status is the counts as status.directionOfTravel shows them; empty
// when nothing was compared.
func (d DirectionOfTravel) Status() v1alpha1.DirectionOfTravel {
	since, err := parseTime(d.Since)
	if err != nil {
		return v1alpha1.DirectionOfTravel{}
	}
	c := d.Counts
	return v1alpha1.DirectionOfTravel{Since: &since, Improved: c.Improved, Declined: c.Declined, Unchanged: c.Unchanged,
		Joined: c.Joined, Left: c.Left, PersistentlyRedOrAmber: c.PersistentlyRedOrAmber}
}

// addTravel compares the report with the previous one and writes the
// direction of travel into it and its rows.
func (r *Report) addTravel(previous *Previous) {
	var then *travel.Period
	if previous != nil {
		p := periodOf(previous.Report)
		p.Start = previous.Start
		then = &p
	}
	t := travel.Compare(then, periodOf(*r))
	for i := range r.Projects {
		setRowTravel(&r.Projects[i], t.Projects[i], then != nil)
	}
	o := t.Object
	c := t.Counts
	r.DirectionOfTravel = DirectionOfTravel{Since: t.Since, HealthThen: o.HealthThen, Direction: o.Direction, PeriodsRedOrAmber: o.RedOrAmberPeriods,
		ForecastCostThen: money.Exact(o.ForecastThen), ForecastCostChange: money.Exact(o.ForecastChange),
		VarianceThen: money.Exact(o.VarianceThen), VarianceChange: money.Exact(o.VarianceChange),
		Counts: TravelCounts{Improved: c.Improved, Declined: c.Declined, Unchanged: c.Unchanged, Joined: c.Joined, Left: c.Left,
			NotComparable: c.NotComparable, PersistentlyRedOrAmber: c.PersistentlyRedOrAmber},
		Left: make([]LeftProject, 0, len(t.Left))}
	for _, s := range t.Left {
		r.DirectionOfTravel.Left = append(r.DirectionOfTravel.Left, LeftProject{Namespace: s.Namespace, Name: s.Name, HealthThen: s.Health})
	}
}

// setRowTravel writes a project's movement into its row.
func setRowTravel(row *ProjectRow, m travel.Movement, compared bool) {
	row.PeriodsRedOrAmber = m.RedOrAmberPeriods
	if !compared {
		return
	}
	row.HealthThen, row.Direction = m.HealthThen, m.Direction
	row.ForecastCostChange, row.VarianceChange = money.Exact(m.ForecastChange), money.Exact(m.VarianceChange)
	row.DeliveryConfidenceThen, row.DeliveryConfidenceDirection = m.ConfidenceThen, m.Confidence
}

// periodOf is what a report says, as the comparison reads it. A report
// that was summarised to fit may have cut project rows: it is not
// complete.
func periodOf(r Report) travel.Period {
	p := travel.Period{Currency: r.Currency, Complete: !r.Truncated,
		Object: travel.State{Namespace: r.Namespace, Name: r.Name, Health: r.Health,
			Forecast: parseAmount(r.Totals.ForecastCost), Variance: parseAmount(r.Totals.Variance),
			RedOrAmberPeriods: r.DirectionOfTravel.PeriodsRedOrAmber},
		Projects: make([]travel.State, len(r.Projects))}
	for i, row := range r.Projects {
		p.Projects[i] = travel.State{Namespace: row.Namespace, Name: row.Name, Health: row.Health,
			Forecast: parseAmount(row.ForecastCost), Variance: parseAmount(row.Variance),
			Confidence: row.DeliveryConfidence, RedOrAmberPeriods: row.PeriodsRedOrAmber}
	}
	return p
}

// parseAmount reads an exact decimal of a report; nil when there is none.
func parseAmount(s string) *inf.Dec {
	if s == "" {
		return nil
	}
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		return nil
	}
	return d
}

// parseTime reads a period-start annotation.
func parseTime(s string) (metav1.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	return metav1.NewTime(t), err
}
