/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"encoding/json"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/publish"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/travel"
)

// travelRows is how many moved projects the page lists; the report lists
// them all.
const travelRows = 10

// travelView is a parent's direction of travel since the last sealed
// period, as its live report.json publishes it (internal/travel defines
// it). The dashboard computes none of it.
type travelView struct {
	// Compared says the report was compared with a sealed period; the
	// other fields are empty until it has been.
	Compared bool
	report.DirectionOfTravel
	// Since is the day the compared period starts.
	Since  string
	Health v1alpha1.Health
	// Moved are the projects whose health declined or that were Red or
	// Amber two periods or more in a row, the first travelRows of them,
	// worst health first as the report orders its rows; More is how many
	// more the report lists.
	Moved []movedProject
	More  int
}

// movedProject is one project's movement, as its report row says it.
type movedProject struct {
	Namespace, Name        string
	HealthThen, Health     v1alpha1.Health
	Direction              travel.Direction
	PeriodsRedOrAmber      int32
	DeliveryConfidenceThen v1alpha1.DeliveryConfidence
	DeliveryConfidence     v1alpha1.DeliveryConfidence
}

// travelOf is a parent's direction of travel, or nil when the viewer may
// not download its reports (its rows name projects the viewer may not
// see).
func (q *request) travelOf(r ref) *travelView {
	if !q.mayDownload(r) {
		return nil
	}
	cm, err := q.source.ConfigMap(q.Context(), r.Namespace, publish.Name(r.Kind, r.Name, ""))
	if err != nil || cm == nil {
		return &travelView{}
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(cm.Data[report.KeyJSON]), &rep); err != nil || rep.SchemaVersion != report.SchemaVersion {
		return &travelView{}
	}
	return travelFromReport(rep)
}

// travelFromReport reads the direction of travel of a report, not
// Compared when no sealed snapshot was held.
func travelFromReport(rep report.Report) *travelView {
	d := rep.DirectionOfTravel
	if d.Since == "" {
		return &travelView{}
	}
	v := &travelView{Compared: true, DirectionOfTravel: d, Since: periodDay(d.Since), Health: rep.Health}
	for _, p := range rep.Projects {
		if p.Direction != travel.Declined && p.PeriodsRedOrAmber < 2 {
			continue
		}
		if len(v.Moved) == travelRows {
			v.More++
			continue
		}
		v.Moved = append(v.Moved, movedProject{Namespace: p.Namespace, Name: p.Name, HealthThen: p.HealthThen, Health: p.Health,
			Direction: p.Direction, PeriodsRedOrAmber: p.PeriodsRedOrAmber,
			DeliveryConfidenceThen: p.DeliveryConfidenceThen, DeliveryConfidence: p.DeliveryConfidence})
	}
	return v
}

// directionWords says a direction for people.
func directionWords(d travel.Direction) string {
	switch d {
	case travel.Improved:
		return "improved"
	case travel.Declined:
		return "declined"
	case travel.Unchanged:
		return "unchanged"
	case travel.Joined:
		return "joined since"
	case travel.Left:
		return "left since"
	case travel.NotComparable:
		return "not comparable (a health unknown, or the earlier report was summarised)"
	}
	return "not compared"
}

// Movement is the headline's direction in words.
func (v travelView) Movement() string { return directionWords(v.Direction) }

// Movement is the project's direction in words.
func (m movedProject) Movement() string { return directionWords(m.Direction) }

// Href is the project's page.
func (m movedProject) Href() string {
	return linkOf(ref{Kind: "Project", Namespace: m.Namespace, Name: m.Name}).Href()
}
