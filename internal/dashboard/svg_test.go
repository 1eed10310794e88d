/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/inf.v0"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

func dec(s string) *inf.Dec {
	d, ok := new(inf.Dec).SetString(s)
	if !ok {
		panic(s)
	}
	return d
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

var titleText = regexp.MustCompile(`<title id="([^"]+)-title">([^<]*)</title>`)

// checkPicture checks what every picture must be: well-formed SVG, an
// image named by a title that says label, no script and no style
// attribute (the Content-Security-Policy would refuse it).
func checkPicture(t *testing.T, h template.HTML, id string, label ...string) string {
	t.Helper()
	s := string(h)
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, s)
		}
	}
	if !strings.HasPrefix(s, `<svg `) || !strings.Contains(s, `role="img"`) || !strings.Contains(s, `aria-labelledby="`+id+`-title"`) {
		t.Errorf("not an image named by its title:\n%s", s)
	}
	for _, bad := range []string{"style=", "<script", "<style", "http://", "https://"} {
		if strings.Contains(strings.ReplaceAll(s, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("picture contains %q:\n%s", bad, s)
		}
	}
	m := titleText.FindStringSubmatch(s)
	if m == nil || m[1] != id {
		t.Fatalf("no title of %s:\n%s", id, s)
	}
	name := m[2]
	for _, l := range label {
		if !strings.Contains(name, l) {
			t.Errorf("name %q does not say %q", name, l)
		}
	}
	return name
}

func TestHeatmapNamesEachCellByHealthAndHatchesWithheldOnes(t *testing.T) {
	rows := []heatRow{
		{Depth: 0, Cells: []heatCell{
			{link: link{"Office", "central", "portfolio-office"}, Health: v1alpha1.HealthRed},
			{link: link{"Portfolio", "central", "digital"}, Health: v1alpha1.HealthAmber},
			{link: link{"Portfolio", "central", "hidden<b>"}, Withheld: true},
		}},
		{Depth: 1, Cells: []heatCell{{link: link{"Office", "retail", "retail-pmo"}, Health: v1alpha1.HealthGreen}}},
		{Depth: 0, Cells: []heatCell{{link: link{"Office", "central", "new"}}}},
	}
	h := heatmap(rows)
	checkPicture(t, h, "chart-heatmap", "5 offices and portfolios", "1 Red", "1 Amber", "1 Green", "1 Unknown", "1 Withheld")
	s := string(h)
	for _, want := range []string{
		`data-cell="Office/central/portfolio-office"`, ">Red · office<", ">Amber · portfolio<", ">Withheld · portfolio<",
		">Green · office<", ">Unknown · office<", `fill="url(#chart-heatmap-hatch)"`, "hidden&lt;b&gt;",
		// shapes, not colour alone: a square, a triangle, a circle, a ring.
		`<rect class="shape health-red"`, `<polygon class="shape health-amber"`, `<circle class="shape health-green"`, `class="shape health-unknown ring"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("heatmap lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "data-object=") {
		t.Error("the heatmap repeats the tree's data-object hooks")
	}
	if strings.Count(s, `class="shape`) != 4 {
		t.Errorf("a withheld cell has a health shape:\n%s", s)
	}
}

func TestBudgetBarsSayEachAmountAndOverBudgetInWords(t *testing.T) {
	h := budgetBars([]moneyBar{
		{Label: "erp", Budget: dec("1200000"), Forecast: dec("1450000")},
		{Label: "crm", Budget: dec("950000"), Forecast: dec("950000")},
	}, "EUR")
	checkPicture(t, h, "chart-budget", "2 children", "erp: budget 1.2M EUR, forecast 1.45M EUR, over budget", "crm: budget 950k EUR, forecast 950k EUR.")
	s := string(h)
	if !strings.Contains(s, ">1.45M, over budget<") || strings.Count(s, "over budget<") != 1 {
		t.Errorf("the overrun is not said once beside its bar:\n%s", s)
	}
	if !strings.Contains(s, ">Amounts in EUR<") {
		t.Errorf("the currency is not said:\n%s", s)
	}
}

func TestBudgetChartLeavesOutWhatItCannotDrawAndSaysWhy(t *testing.T) {
	eur := func(b, f string) *figures {
		return &figures{amounts: amounts{budget: dec(b), forecast: dec(f), currency: "EUR"}}
	}
	rows := []childRow{
		{link: link{Kind: "Project", Name: "a"}, Figures: eur("100", "120")},
		{link: link{Kind: "Project", Name: "hidden"}},
		{link: link{Kind: "Programme", Name: "mixed"}, Figures: &figures{Incomplete: true}},
		{link: link{Kind: "Project", Name: "dollars"}, Figures: &figures{amounts: amounts{budget: dec("5"), currency: "USD"}}},
		{link: link{Kind: "Project", Name: "none"}, Figures: &figures{}},
	}
	v := budgetChart(rows, "")
	if v == nil {
		t.Fatal("no chart")
	}
	checkPicture(t, v.Chart, "chart-budget", "1 child", "a: budget 100 EUR, forecast 120 EUR, over budget")
	got := fmt.Sprint(v.Left)
	for _, want := range []string{"hidden} withheld", "mixed} its totals are incomplete", "dollars} its amounts are in USD", "none} no budget stated"} {
		if !strings.Contains(got, want) {
			t.Errorf("left out %s, want %q in it", got, want)
		}
	}
	if budgetChart(rows[1:2], "EUR") != nil {
		t.Error("a chart of nothing but withheld children")
	}
}

func TestCapacityGaugeSaysOverCapacityInWords(t *testing.T) {
	h := capacityGauge(dec("4000000"), dec("8650000"), "EUR", yes())
	checkPicture(t, h, "chart-capacity", "Committed 8.65M EUR of a capacity of 4M EUR (216%): over capacity.")
	s := string(h)
	if !strings.Contains(s, ">Committed 8.65M EUR: over capacity<") || !strings.Contains(s, `class="gauge-over"`) {
		t.Errorf("over capacity is not drawn and said:\n%s", s)
	}
	h = capacityGauge(dec("14000000"), dec("10900000"), "EUR", no())
	checkPicture(t, h, "chart-capacity", "(77%): within capacity.")
	if strings.Contains(string(h), "gauge-over") {
		t.Errorf("within capacity drawn as over:\n%s", h)
	}
}

func TestCapacityChartNeedsPublishedCapacityAndVerdict(t *testing.T) {
	f := &figures{OverCommitted: no(), amounts: amounts{capacity: dec("10"), currency: "EUR"}}
	if capacityChart(f) == "" {
		t.Error("nothing committed yet should draw an empty gauge")
	}
	f.OverCommitted = nil
	if capacityChart(f) != "" || capacityChart(nil) != "" {
		t.Error("a gauge without a published verdict, or of withheld figures")
	}
}

func TestConfidenceChartCountsRatingsInTheScalesOrder(t *testing.T) {
	items := []confidenceItem{{Rating: "Amber"}, {Rating: "Green"}, {Rating: "AmberRed"}, {Rating: "Green"}}
	v := confidenceDistribution(items)
	name := checkPicture(t, v.Chart, "chart-confidence", "latest review of 4 projects",
		"2 Green (successful delivery appears highly likely)", "0 Amber/Green", "1 Amber/Red (successful delivery is in doubt")
	if i, j := strings.Index(name, "Green ("), strings.Index(name, "Red ("); i > j {
		t.Errorf("ratings out of order: %s", name)
	}
	var names []string
	for _, m := range regexp.MustCompile(`class="column-name"[^>]*>([^<]+)<`).FindAllStringSubmatch(string(v.Chart), -1) {
		names = append(names, m[1])
	}
	if got := strings.Join(names, ","); got != "Green,Amber/Green,Amber,Amber/Red,Red" {
		t.Errorf("columns %s", got)
	}
	if fmt.Sprint(v.Counts) != "[{Green 2} {AmberGreen 0} {Amber 1} {AmberRed 1} {Red 0}]" {
		t.Errorf("counts %v", v.Counts)
	}
	if confidenceDistribution(nil) != nil {
		t.Error("a distribution of no review")
	}
}

func snapshot(t *testing.T, period, state string, rep report.Report) corev1.ConfigMap {
	t.Helper()
	rep.SchemaVersion = report.SchemaVersion
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{
		v1alpha1.AnnotationPeriodStart: period, v1alpha1.AnnotationSnapshotState: state}},
		Data: map[string]string{report.KeyJSON: string(b)}}
}

func TestTrendReadsSealedSnapshotsInPeriodOrder(t *testing.T) {
	rep := func(h v1alpha1.Health, variance string) report.Report {
		return report.Report{Health: h, Currency: "EUR", Totals: report.Totals{Variance: variance},
			Counts: report.Counts{ByHealth: v1alpha1.HealthCounts{Red: 1, Green: 2}}}
	}
	snaps := []corev1.ConfigMap{
		snapshot(t, "2026-03-01T00:00:00Z", v1alpha1.SnapshotSealed, rep(v1alpha1.HealthRed, "250000")),
		snapshot(t, "2026-04-01T00:00:00Z", v1alpha1.SnapshotOpen, rep(v1alpha1.HealthGreen, "0")),
		snapshot(t, "2026-01-01T00:00:00Z", v1alpha1.SnapshotSealed, rep(v1alpha1.HealthGreen, "-100000")),
		snapshot(t, "2026-02-01T00:00:00Z", v1alpha1.SnapshotSealed, rep(v1alpha1.HealthAmber, "")),
		{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{v1alpha1.AnnotationPeriodStart: "2026-02-15T00:00:00Z",
			v1alpha1.AnnotationSnapshotState: v1alpha1.SnapshotSealed}}, Data: map[string]string{report.KeyJSON: "{"}},
	}
	v := trendOf(snaps)
	if v == nil {
		t.Fatal("no trend")
	}
	var got []string
	for _, p := range v.Points {
		got = append(got, p.Period+" "+string(p.Health)+" "+p.Variance)
	}
	want := "2026-01-01 Green underrun of 100k EUR|2026-02-01 Amber unknown|2026-03-01 Red overrun of 250k EUR"
	if strings.Join(got, "|") != want {
		t.Errorf("trend\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	checkPicture(t, v.Health, "chart-trend-health", "Health over 3 periods: 2026-01-01 Green, 2026-02-01 Amber, 2026-03-01 Red.")
	checkPicture(t, v.Variance, "chart-trend-variance", "2026-01-01 underrun of 100k EUR, 2026-02-01 unknown, 2026-03-01 overrun of 250k EUR.")
	if !strings.Contains(string(v.Health), ">Latest Red<") || !strings.Contains(string(v.Variance), ">Latest 250k<") {
		t.Errorf("the latest period is not said:\n%s\n%s", v.Health, v.Variance)
	}
	if trendOf(snaps[1:2]) != nil {
		t.Error("a trend of an open period only")
	}
}

func TestTrendKeepsTheLatestPeriods(t *testing.T) {
	var snaps []corev1.ConfigMap
	for m := 1; m <= trendPeriods+3; m++ {
		snaps = append(snaps, snapshot(t, fmt.Sprintf("2025-%02d-01T00:00:00Z", m), v1alpha1.SnapshotSealed, report.Report{Health: v1alpha1.HealthGreen}))
	}
	v := trendOf(snaps)
	if len(v.Points) != trendPeriods || v.Points[0].Period != "2025-04-01" {
		t.Errorf("kept %d periods from %s", len(v.Points), v.Points[0].Period)
	}
}

func TestOfficeTypeWords(t *testing.T) {
	for typ, want := range map[v1alpha1.OfficeType]string{
		v1alpha1.OfficeTypePortfolioOffice: "Portfolio Office", v1alpha1.OfficeTypeSatellite: "Satellite office",
		v1alpha1.OfficeTypeTemporary: "Temporary office", v1alpha1.OfficeTypeVirtual: "Virtual office",
		v1alpha1.OfficeTypeProjectSupport: "Project Support Office", "": "Office",
	} {
		if got := officeTypeWords(typ); got != want {
			t.Errorf("%q: %q, want %q", typ, got, want)
		}
	}
}
