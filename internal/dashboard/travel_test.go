/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/travel"
)

// travelReport is a portfolio's live report compared with a sealed period:
// one project declined, one Red for three periods, one improved, and
// twelve more declined (so that the page lists ten and says how many more).
func travelReport(t *testing.T) client.Object {
	t.Helper()
	rep := report.Report{SchemaVersion: report.SchemaVersion, Kind: "Portfolio", Namespace: central, Name: "group-change", Health: v1alpha1.HealthRed}
	rep.DirectionOfTravel = report.DirectionOfTravel{Since: "2026-10-01T00:00:00Z", HealthThen: v1alpha1.HealthAmber, Direction: travel.Declined, PeriodsRedOrAmber: 3,
		Counts: report.TravelCounts{Improved: 1, Declined: 13, Unchanged: 1, Joined: 2, Left: 1, PersistentlyRedOrAmber: 1}}
	row := func(name string, then, now v1alpha1.Health, d travel.Direction, runs int32) report.ProjectRow {
		return report.ProjectRow{Namespace: central, Name: name, HealthThen: then, Health: now, Direction: d, PeriodsRedOrAmber: runs}
	}
	rep.Projects = []report.ProjectRow{
		row("erp-move", v1alpha1.HealthRed, v1alpha1.HealthRed, travel.Unchanged, 3),
		row("web-portal", v1alpha1.HealthGreen, v1alpha1.HealthAmber, travel.Declined, 1),
		row("crm-retire", v1alpha1.HealthAmber, v1alpha1.HealthGreen, travel.Improved, 0),
	}
	rep.Projects[0].DeliveryConfidenceThen, rep.Projects[0].DeliveryConfidence = v1alpha1.ConfidenceAmber, v1alpha1.ConfidenceAmberRed
	for i := range 12 {
		rep.Projects = append(rep.Projects, row(fmt.Sprintf("more-%02d", i), v1alpha1.HealthGreen, v1alpha1.HealthAmber, travel.Declined, 1))
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	cm := liveReport("Portfolio", central, "group-change")
	cm.Data[report.KeyJSON] = string(data)
	return cm
}

func TestPortfolioPageShowsTheDirectionOfTravelOfItsReport(t *testing.T) {
	objs := append(organisation(), travelReport(t))
	body := page(t, serve(t, allowIn(central, retail), objs...), "/portfolios/central/group-change")
	section := travelSection(t, body)
	for _, want := range []string{"Compared with the sealed period from 2026-10-01", "Amber then", "Red now, declined", "Red or Amber 3 periods in a row",
		"1 13 1 2 1 0 1", "the first 10, 4 more in the report",
		"central/erp-move ■ Red ■ Red unchanged 3 Amber, Amber/Red", "central/web-portal ● Green ▲ Amber declined 1 none, none"} {
		if !strings.Contains(section, want) {
			t.Errorf("the direction of travel lacks %q:\n%s", want, section)
		}
	}
	if strings.Contains(section, "crm-retire") || strings.Contains(section, "more-10") {
		t.Errorf("the direction of travel lists an improved project or more than ten:\n%s", section)
	}
}

// The rows of a report name projects the viewer may not see: a viewer who
// may not download the report sees none of them.
func TestDirectionOfTravelNeedsTheReport(t *testing.T) {
	a := allowIn(central, retail)
	delete(a, "configmaps/"+central)
	objs := append(organisation(), travelReport(t))
	section := travelSection(t, page(t, serve(t, a, objs...), "/portfolios/central/group-change"))
	if !strings.Contains(section, "read from the report, which you may not download") || strings.Contains(section, "erp-move") {
		t.Errorf("a viewer who may not download the report sees:\n%s", section)
	}
	section = travelSection(t, page(t, serve(t, allowIn(central, retail), organisation()...), "/portfolios/central/group-change"))
	if !strings.Contains(section, "Nothing to compare with yet") {
		t.Errorf("a portfolio without a compared report shows:\n%s", section)
	}
}

// travelSection is the text of a page's "Since the last period" section.
func travelSection(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `<h2 id="travel">`)
	if !ok {
		t.Fatalf("no direction of travel on the page:\n%s", body)
	}
	section, _, _ := strings.Cut(rest, "</section>")
	return text(section)
}
