/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/report"
)

// travelView is the direction of travel of a report, as
// --since-last-period prints it with -o json or yaml: the report.json
// section, and each project's movement from its row.
type travelView struct {
	// Health is the object's health now.
	Health            v1alpha1.Health          `json:"health"`
	DirectionOfTravel report.DirectionOfTravel `json:"directionOfTravel"`
	Projects          []travelRow              `json:"projects"`
}

// travelRow is one project's movement, the fields of its report row.
type travelRow struct {
	Namespace                   string                      `json:"namespace"`
	Name                        string                      `json:"name"`
	HealthThen                  v1alpha1.Health             `json:"healthThen"`
	Health                      v1alpha1.Health             `json:"health"`
	Direction                   string                      `json:"direction"`
	PeriodsRedOrAmber           int32                       `json:"periodsRedOrAmber"`
	ForecastCostChange          string                      `json:"forecastCostChange"`
	VarianceChange              string                      `json:"varianceChange"`
	DeliveryConfidenceThen      v1alpha1.DeliveryConfidence `json:"deliveryConfidenceThen"`
	DeliveryConfidence          v1alpha1.DeliveryConfidence `json:"deliveryConfidence"`
	DeliveryConfidenceDirection string                      `json:"deliveryConfidenceDirection"`
}

// readTravel reads the direction of travel from a report.json.
func readTravel(data string) (travelView, error) {
	var r report.Report
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return travelView{}, fmt.Errorf("reading report.json: %w", err)
	}
	if r.SchemaVersion != report.SchemaVersion {
		return travelView{}, fmt.Errorf("report.json has schema %q; this plugin reads %s", r.SchemaVersion, report.SchemaVersion)
	}
	v := travelView{Health: r.Health, DirectionOfTravel: r.DirectionOfTravel, Projects: make([]travelRow, 0, len(r.Projects))}
	for _, p := range r.Projects {
		v.Projects = append(v.Projects, travelRow{Namespace: p.Namespace, Name: p.Name, HealthThen: p.HealthThen, Health: p.Health,
			Direction: string(p.Direction), PeriodsRedOrAmber: p.PeriodsRedOrAmber, ForecastCostChange: p.ForecastCostChange,
			VarianceChange: p.VarianceChange, DeliveryConfidenceThen: p.DeliveryConfidenceThen, DeliveryConfidence: p.DeliveryConfidence,
			DeliveryConfidenceDirection: string(p.DeliveryConfidenceDirection)})
	}
	return v, nil
}

// writeTravel prints the direction of travel for people: a headline, the
// counts, a row per project and the projects that left.
func writeTravel(w io.Writer, p printer, what string, v travelView) error {
	d := v.DirectionOfTravel
	if d.Since == "" {
		_, err := fmt.Fprintf(w, "%s: no sealed snapshot of an earlier period is held, nothing to compare with yet.\n", what)
		return err
	}
	c := d.Counts
	runs := ""
	if d.PeriodsRedOrAmber >= 2 {
		runs = fmt.Sprintf("; Red or Amber for %d periods in a row", d.PeriodsRedOrAmber)
	}
	if _, err := fmt.Fprintf(w, "%s since the period of %s: health %s then, %s now (%s)%s; forecast %s, variance %s.\n"+
		"%d improved, %d declined, %d unchanged, %d joined, %d left, %d not comparable; %d Red or Amber two periods or more.\n\n",
		what, d.Since, orDash(string(d.HealthThen)), v.Health, d.Direction, runs, signed(d.ForecastCostChange), signed(d.VarianceChange),
		c.Improved, c.Declined, c.Unchanged, c.Joined, c.Left, c.NotComparable, c.PersistentlyRedOrAmber); err != nil {
		return err
	}
	t := &table{header: []string{"PROJECT", "THEN", "NOW", "DIRECTION", "RED/AMBER PERIODS", "FORECAST", "VARIANCE", "CONFIDENCE"}, healthCol: 2}
	for _, r := range v.Projects {
		t.add(r.Namespace+"/"+r.Name, orDash(string(r.HealthThen)), string(r.Health), orDash(r.Direction), strconv.Itoa(int(r.PeriodsRedOrAmber)),
			signed(r.ForecastCostChange), signed(r.VarianceChange), confidence(r))
	}
	if err := t.write(w, p); err != nil {
		return err
	}
	if len(d.Left) == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "\nLeft since then:\n"); err != nil {
		return err
	}
	left := &table{header: []string{"PROJECT", "THEN"}, healthCol: 1}
	for _, l := range d.Left {
		left.add(l.Namespace+"/"+l.Name, orDash(string(l.HealthThen)))
	}
	return left.write(w, p)
}

// signed writes a change of an amount for reading: "+150k", "-50k", "0";
// "-" when unknown.
func signed(s string) string {
	d := money.Value(v1alpha1.Amount(strings.TrimPrefix(s, "-")))
	switch {
	case d == nil:
		return "-"
	case d.Sign() == 0:
		return "0"
	case strings.HasPrefix(s, "-"):
		return "-" + money.Display(d)
	}
	return "+" + money.Display(d)
}

// confidence writes a project's Delivery Confidence then and now.
func confidence(r travelRow) string {
	if r.DeliveryConfidenceThen == "" && r.DeliveryConfidence == "" {
		return "-"
	}
	out := orDash(string(r.DeliveryConfidenceThen)) + " -> " + orDash(string(r.DeliveryConfidence))
	if r.DeliveryConfidenceDirection != "" && r.DeliveryConfidenceDirection != "Unchanged" {
		out += " (" + r.DeliveryConfidenceDirection + ")"
	}
	return out
}
