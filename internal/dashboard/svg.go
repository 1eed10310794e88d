/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// The pictures are drawn on the server as inline SVG: no script, no image
// from elsewhere, no style attribute (the Content-Security-Policy allows
// only the dashboard's stylesheet, whose classes colour them). Each is an
// image with a name that states its figures in words, and the page shows
// the same figures as text beside it. Colour is never the only sign of a
// health or a rating: every coloured mark has a shape, a pattern or the
// word. The pictures draw figures the operator published; the geometry is
// the only arithmetic they do.

// svg builds one picture.
type svg struct {
	b  strings.Builder
	id string
}

// newSVG opens a picture id of width × height (user units; it scales to
// the width of the page) named by label.
func newSVG(id, class string, width, height float64, label string) *svg {
	s := &svg{id: id}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="chart %s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-title" focusable="false">`,
		id, class, num(width), num(height), num(width), num(height), id)
	fmt.Fprintf(&s.b, `<title id="%s-title">%s</title>`, id, esc(label))
	return s
}

// hatch defines the pattern of withheld, unknown or over marks:
// id-hatch.
func (s *svg) hatch(class string) {
	fmt.Fprintf(&s.b, `<defs><pattern id="%s-hatch" class="%s" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="8" class="hatch-line"/></pattern></defs>`, s.id, class)
}

// hatchFill is the fill that paints with the picture's hatch pattern.
func (s *svg) hatchFill() string { return "url(#" + s.id + "-hatch)" }

func (s *svg) rect(class string, x, y, w, h float64, extra string) {
	fmt.Fprintf(&s.b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s"%s/>`, class, num(x), num(y), num(max(w, 0)), num(max(h, 0)), extra)
}

func (s *svg) line(class string, x1, y1, x2, y2 float64) {
	fmt.Fprintf(&s.b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s"/>`, class, num(x1), num(y1), num(x2), num(y2))
}

// text writes text at x, y; anchor is start, middle or end.
func (s *svg) text(class string, x, y float64, anchor, text string) {
	fmt.Fprintf(&s.b, `<text class="%s" x="%s" y="%s" text-anchor="%s">%s</text>`, class, num(x), num(y), anchor, esc(text))
}

// healthShape draws the shape of a health centred at x, y: a circle for
// Green, a triangle for Amber, a square for Red, a ring for Unknown (the
// shapes of healthMark).
func (s *svg) healthShape(h v1alpha1.Health, x, y, r float64) {
	class := "shape " + healthClass(h)
	switch h {
	case v1alpha1.HealthGreen:
		fmt.Fprintf(&s.b, `<circle class="%s" cx="%s" cy="%s" r="%s"/>`, class, num(x), num(y), num(r))
	case v1alpha1.HealthAmber:
		fmt.Fprintf(&s.b, `<polygon class="%s" points="%s,%s %s,%s %s,%s"/>`, class,
			num(x), num(y-r*1.15), num(x+r*1.15), num(y+r*0.85), num(x-r*1.15), num(y+r*0.85))
	case v1alpha1.HealthRed:
		s.rect(class, x-r*0.9, y-r*0.9, r*1.8, r*1.8, "")
	default:
		fmt.Fprintf(&s.b, `<circle class="%s ring" cx="%s" cy="%s" r="%s"/>`, class, num(x), num(y), num(r*0.85))
	}
}

// html closes the picture.
func (s *svg) html() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String()) //nolint:gosec // every text in it is escaped by esc
}

func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most one decimal.
func num(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

// float is an amount as a float, for geometry only (never for a figure).
func float(d *inf.Dec) float64 {
	if d == nil {
		return 0
	}
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// shorten cuts a label to n characters for drawing; the picture's name and
// the text beside it carry the whole.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// healthWord is a health as a word, Unknown for none.
func healthWord(h v1alpha1.Health) string {
	if h == "" {
		return string(v1alpha1.HealthUnknown)
	}
	return string(h)
}

// heatCell is one office or portfolio of the RAG tree.
type heatCell struct {
	link
	// Health is its published health; Withheld says its figures include
	// objects the viewer may not see.
	Health   v1alpha1.Health
	Withheld bool
}

// heatRow is an office and its portfolios, at the depth of the office in
// the tree of hubs and satellites.
type heatRow struct {
	Depth int
	Cells []heatCell
}

// Geometry of the RAG tree.
const (
	heatWidth   = 720.0
	heatCellW   = 232.0
	heatCellH   = 56.0
	heatGap     = 8.0
	heatIndent  = 32.0
	heatNameLen = 23
)

// heatmap draws the RAG tree: a row per office, its portfolios beside it,
// satellites indented beneath their hub, each cell with its name, the
// shape and the word of its health, or hatched and "Withheld".
func heatmap(rows []heatRow) template.HTML {
	type placed struct {
		heatCell
		x, y   float64
		office bool
	}
	var cells []placed
	y := 0.0
	counts := map[string]int{}
	for _, row := range rows {
		indent := float64(min(row.Depth, 8)) * heatIndent
		perLine := max(1, int((heatWidth-indent+heatGap)/(heatCellW+heatGap)))
		for i, c := range row.Cells {
			if i > 0 && i%perLine == 0 {
				y += heatCellH + heatGap
			}
			cells = append(cells, placed{heatCell: c, x: indent + float64(i%perLine)*(heatCellW+heatGap), y: y, office: i == 0})
			counts[heatWord(c)]++
		}
		y += heatCellH + heatGap
	}
	height := max(y-heatGap, heatCellH)
	s := newSVG("chart-heatmap", "heatmap", heatWidth, height, heatLabel(len(cells), counts))
	s.hatch("withheld")
	for _, c := range cells {
		class := "cell " + healthClass(c.Health)
		if c.Withheld {
			class = "cell withheld"
		}
		if c.office {
			class += " cell-office"
		}
		fmt.Fprintf(&s.b, `<g class="%s" data-cell="%s/%s/%s">`, class, esc(c.Kind), esc(c.Namespace), esc(c.Name))
		fmt.Fprintf(&s.b, `<title>%s %s/%s: %s</title>`, esc(c.Kind), esc(c.Namespace), esc(c.Name), heatWord(c.heatCell))
		extra := ` rx="4"`
		if c.Withheld {
			extra += ` fill="` + s.hatchFill() + `"`
		}
		s.rect("cell-bg", c.x, c.y, heatCellW, heatCellH, extra)
		if !c.Withheld {
			s.healthShape(c.Health, c.x+16, c.y+heatCellH/2, 8)
		}
		s.text("cell-name", c.x+32, c.y+22, "start", shorten(c.Name, heatNameLen))
		s.text("cell-word", c.x+32, c.y+41, "start", heatWord(c.heatCell)+" · "+strings.ToLower(c.Kind))
		s.b.WriteString(`</g>`)
	}
	return s.html()
}

// heatWord is what a cell says of its health.
func heatWord(c heatCell) string {
	if c.Withheld {
		return "Withheld"
	}
	return healthWord(c.Health)
}

// heatLabel names the RAG tree by its counts.
func heatLabel(n int, counts map[string]int) string {
	var parts []string
	for _, w := range []string{"Red", "Amber", "Green", "Unknown", "Withheld"} {
		if counts[w] > 0 {
			parts = append(parts, strconv.Itoa(counts[w])+" "+w)
		}
	}
	label := "Health of " + countWords(n, "office or portfolio", "offices and portfolios")
	if len(parts) > 0 {
		label += ": " + strings.Join(parts, ", ")
	}
	return label + "."
}

func countWords(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// moneyBar is one child's budget and forecast, as published.
type moneyBar struct {
	Label            string
	Budget, Forecast *inf.Dec
}

// Geometry of the budget bars.
const (
	barsWidth  = 760.0
	barsLabelW = 200.0
	barsValueW = 170.0
	barsH      = 14.0
	barsRowH   = 46.0
	barsTop    = 26.0
)

// budgetBars draws each child's budget (a solid bar) against its forecast
// (a hatched bar), on one scale, with both amounts written at the ends of
// the bars and "over budget" where the forecast exceeds the budget. All
// bars are in currency.
func budgetBars(bars []moneyBar, currency v1alpha1.Currency) template.HTML {
	top := 0.0
	for _, b := range bars {
		top = max(top, float(b.Budget), float(b.Forecast))
	}
	scale := 0.0
	if top > 0 {
		scale = (barsWidth - barsLabelW - barsValueW) / top
	}
	var words []string
	for _, b := range bars {
		words = append(words, fmt.Sprintf("%s: budget %s, forecast %s%s", b.Label, amountWords(b.Budget, currency), amountWords(b.Forecast, currency), overWords(b)))
	}
	label := "Budget against forecast"
	if len(words) > 0 {
		label += " of " + countWords(len(bars), "child", "children") + ". " + strings.Join(words, "; ") + "."
	}
	s := newSVG("chart-budget", "bars", barsWidth, barsTop+float64(len(bars))*barsRowH, label)
	s.hatch("forecast")
	s.rect("bar-budget", barsLabelW, 4, 24, 12, "")
	s.text("legend", barsLabelW+30, 15, "start", "Budget")
	s.rect("bar-forecast", barsLabelW+110, 4, 24, 12, ` fill="`+s.hatchFill()+`"`)
	s.text("legend", barsLabelW+140, 15, "start", "Forecast")
	if currency != "" {
		s.text("legend", barsLabelW+230, 15, "start", "Amounts in "+string(currency))
	}
	for i, b := range bars {
		y := barsTop + float64(i)*barsRowH
		s.text("bar-label", barsLabelW-10, y+barsH+4, "end", shorten(b.Label, 24))
		for j, v := range []struct {
			class, word string
			d           *inf.Dec
		}{{"bar-budget", "Budget", b.Budget}, {"bar-forecast", "Forecast", b.Forecast}} {
			by := y + float64(j)*(barsH+2)
			w := float(v.d) * scale
			extra := ""
			if j == 1 {
				extra = ` fill="` + s.hatchFill() + `"`
				if isOver(b) {
					v.class += " over"
				}
			}
			s.rect(v.class, barsLabelW, by, w, barsH, extra)
			text, class := money.Display(v.d), "bar-value"
			if j == 1 {
				class += " forecast"
				if isOver(b) {
					text += ", over budget"
				}
			}
			s.text(class, barsLabelW+w+6, by+barsH-3, "start", text)
		}
	}
	return s.html()
}

// isOver says whether a bar's forecast exceeds its budget.
func isOver(b moneyBar) bool {
	return b.Budget != nil && b.Forecast != nil && b.Forecast.Cmp(b.Budget) > 0
}

func overWords(b moneyBar) string {
	if isOver(b) {
		return ", over budget"
	}
	return ""
}

// amountWords writes an amount with its currency for a picture's name.
func amountWords(d *inf.Dec, currency v1alpha1.Currency) string {
	if d == nil {
		return "none"
	}
	return strings.TrimSpace(money.Display(d) + " " + string(currency))
}

// Geometry of the capacity gauge.
const (
	gaugeWidth = 640.0
	gaugeBar   = 480.0
	gaugeLeft  = 10.0
)

// capacityGauge draws a portfolio's committed budget against its capacity:
// a track as long as the capacity, filled as far as the committed budget,
// with what goes beyond the capacity hatched and said in words. over is
// the portfolio's published overCommitted.
func capacityGauge(capacity, committed *inf.Dec, currency v1alpha1.Currency, over *bool) template.HTML {
	isOver := over != nil && *over
	label := fmt.Sprintf("Committed %s of a capacity of %s", amountWords(committed, currency), amountWords(capacity, currency))
	if p := capacityPercent(capacity, committed); p >= 0 {
		label += fmt.Sprintf(" (%d%%)", p)
	}
	if isOver {
		label += ": over capacity"
	} else if over != nil {
		label += ": within capacity"
	}
	s := newSVG("chart-capacity", "gauge", gaugeWidth, 78, label+".")
	s.hatch("over")
	top := max(float(capacity), float(committed))
	scale := 0.0
	if top > 0 {
		scale = gaugeBar / top
	}
	capW, comW := float(capacity)*scale, float(committed)*scale
	s.rect("gauge-track", gaugeLeft, 22, capW, 22, "")
	s.rect("gauge-fill", gaugeLeft, 22, min(comW, capW), 22, "")
	if comW > capW {
		s.rect("gauge-over", gaugeLeft+capW, 22, comW-capW, 22, ` fill="`+s.hatchFill()+`"`)
	}
	s.line("gauge-mark", gaugeLeft+capW, 14, gaugeLeft+capW, 52)
	s.text("gauge-cap", gaugeLeft+capW, 66, "middle", "Capacity "+amountWords(capacity, currency))
	word, class := "Committed "+amountWords(committed, currency), "gauge-value"
	if isOver {
		word, class = word+": over capacity", class+" over"
	}
	s.text(class, gaugeLeft, 14, "start", word)
	if p := capacityPercent(capacity, committed); p >= 0 {
		s.text("gauge-pct", gaugeLeft+max(comW, capW)+8, 38, "start", strconv.FormatInt(p, 10)+"%")
	}
	return s.html()
}

// capacityPercent is committed as a percentage of capacity, rounded down;
// -1 when either is unknown or the capacity is zero.
func capacityPercent(capacity, committed *inf.Dec) int64 {
	if capacity == nil || committed == nil {
		return -1
	}
	return money.Ratio(committed, capacity)
}

// ratings are the Delivery Confidence ratings in the order of the
// Infrastructure and Projects Authority's scale, best first.
var ratings = []v1alpha1.DeliveryConfidence{v1alpha1.ConfidenceGreen, v1alpha1.ConfidenceAmberGreen,
	v1alpha1.ConfidenceAmber, v1alpha1.ConfidenceAmberRed, v1alpha1.ConfidenceRed}

// ratingName writes a rating as people write it: Amber/Green, not
// AmberGreen.
func ratingName(c v1alpha1.DeliveryConfidence) string {
	if rest, ok := strings.CutPrefix(string(c), "Amber"); ok && rest != "" {
		return "Amber/" + rest
	}
	return string(c)
}

// Geometry of the Delivery Confidence distribution.
const (
	dcaWidth  = 640.0
	dcaColW   = 100.0
	dcaGap    = 24.0
	dcaPlot   = 120.0
	dcaTop    = 22.0
	dcaBottom = 40.0
)

// confidenceChart draws how many of the latest reviews gave each rating,
// a column per rating from Green to Red, each with its count and name.
func confidenceChart(counts map[v1alpha1.DeliveryConfidence]int) template.HTML {
	total, most := 0, 0
	var words []string
	for _, c := range ratings {
		total += counts[c]
		most = max(most, counts[c])
		words = append(words, fmt.Sprintf("%d %s (%s)", counts[c], ratingName(c), strings.ToLower(c.Meaning())))
	}
	label := "Delivery Confidence of the latest review of " + countWords(total, "project", "projects") + ": " + strings.Join(words, ", ") + "."
	s := newSVG("chart-confidence", "columns", dcaWidth, dcaTop+dcaPlot+dcaBottom, label)
	base := dcaTop + dcaPlot
	s.line("axis", 0, base, dcaWidth, base)
	for i, c := range ratings {
		x := dcaGap/2 + float64(i)*(dcaColW+dcaGap)
		h := 0.0
		if most > 0 {
			h = float64(counts[c]) / float64(most) * dcaPlot
		}
		s.rect("column "+ratingClass(c), x, base-h, dcaColW, h, "")
		s.text("column-count", x+dcaColW/2, base-h-6, "middle", strconv.Itoa(counts[c]))
		s.text("column-name", x+dcaColW/2, base+18, "middle", ratingName(c))
	}
	return s.html()
}

// ratingClass is the CSS class of a rating.
func ratingClass(c v1alpha1.DeliveryConfidence) string {
	return "rating-" + strings.ToLower(string(c))
}

// Geometry of the sparklines.
const (
	sparkWidth = 420.0
	sparkLeft  = 70.0
	sparkRight = 110.0
)

// sparkAxisH is the height of a sparkline's period labels.
const sparkAxisH = 22.0

// periods writes the first and the last period beneath a sparkline of
// height.
func (s *svg) periods(points []trendPoint, height float64) {
	n := len(points)
	if n == 0 {
		return
	}
	s.text("spark-axis", sparkX(0, n), height-4, "middle", points[0].Period)
	if n > 1 {
		s.text("spark-axis", sparkX(n-1, n), height-4, "middle", points[n-1].Period)
	}
}

// sparkX is the x of the i-th of n points.
func sparkX(i, n int) float64 {
	if n <= 1 {
		return sparkLeft
	}
	return sparkLeft + float64(i)*(sparkWidth-sparkLeft-sparkRight)/float64(n-1)
}

// healthLevels are the rows of the health sparkline, best on top.
var healthLevels = []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed, v1alpha1.HealthUnknown}

// healthSparkline draws health across periods: a row per health, named at
// the left, and each period's health as its shape on its row.
func healthSparkline(points []trendPoint) template.HTML {
	var words []string
	for _, p := range points {
		words = append(words, p.Period+" "+healthWord(p.Health))
	}
	label := "Health over " + countWords(len(points), "period", "periods") + ": " + strings.Join(words, ", ") + "."
	const rowH, top = 20.0, 12.0
	height := top + rowH*float64(len(healthLevels)-1) + sparkAxisH
	s := newSVG("chart-trend-health", "spark", sparkWidth, height, label)
	s.periods(points, height)
	level := func(h v1alpha1.Health) float64 {
		for i, l := range healthLevels {
			if l == h {
				return top + float64(i)*rowH
			}
		}
		return top + 3*rowH
	}
	for _, l := range healthLevels {
		s.line("guide", sparkLeft-8, level(l), sparkWidth-sparkRight+8, level(l))
		s.text("spark-axis", sparkLeft-14, level(l)+4, "end", string(l))
	}
	var path []string
	for i, p := range points {
		path = append(path, num(sparkX(i, len(points)))+","+num(level(healthOrUnknown(p.Health))))
	}
	fmt.Fprintf(&s.b, `<polyline class="spark-line" points="%s"/>`, strings.Join(path, " "))
	for i, p := range points {
		s.healthShape(healthOrUnknown(p.Health), sparkX(i, len(points)), level(healthOrUnknown(p.Health)), 5)
	}
	if n := len(points); n > 0 {
		last := healthOrUnknown(points[n-1].Health)
		s.text("spark-last", sparkX(n-1, n)+14, level(last)+4, "start", "Latest "+string(last))
	}
	return s.html()
}

func healthOrUnknown(h v1alpha1.Health) v1alpha1.Health {
	if h == "" {
		return v1alpha1.HealthUnknown
	}
	return h
}

// varianceSparkline draws the variance (forecast minus budget) across
// periods against a zero line: above it an overrun, below an underrun.
// Periods whose variance is unknown are left out of the line.
func varianceSparkline(points []trendPoint, currency v1alpha1.Currency) template.HTML {
	var words []string
	lo, hi := 0.0, 0.0
	for _, p := range points {
		words = append(words, p.Period+" "+varianceWords(p.variance, currency))
		if p.variance != nil {
			lo, hi = min(lo, float(p.variance)), max(hi, float(p.variance))
		}
	}
	label := "Variance over " + countWords(len(points), "period", "periods") + ": " + strings.Join(words, ", ") + "."
	const plot, pad = 80.0, 10.0
	s := newSVG("chart-trend-variance", "spark", sparkWidth, plot+sparkAxisH, label)
	s.periods(points, plot+sparkAxisH)
	y := func(v float64) float64 {
		if hi == lo {
			return plot / 2
		}
		return pad + (hi-v)/(hi-lo)*(plot-2*pad)
	}
	s.line("zero", sparkLeft-8, y(0), sparkWidth-sparkRight+8, y(0))
	s.text("spark-axis", sparkLeft-14, y(0)+4, "end", "0")
	if hi > 0 {
		s.text("spark-axis", sparkLeft-14, pad+4, "end", "overrun")
	}
	if lo < 0 {
		s.text("spark-axis", sparkLeft-14, plot-pad+4, "end", "underrun")
	}
	var path []string
	var last *trendPoint
	lastX := 0.0
	for i, p := range points {
		if p.variance == nil {
			continue
		}
		x := sparkX(i, len(points))
		path = append(path, num(x)+","+num(y(float(p.variance))))
		last, lastX = &points[i], x
	}
	if len(path) > 1 {
		fmt.Fprintf(&s.b, `<polyline class="spark-line" points="%s"/>`, strings.Join(path, " "))
	}
	for _, pt := range path {
		xy := strings.Split(pt, ",")
		fmt.Fprintf(&s.b, `<circle class="spark-point" cx="%s" cy="%s" r="3"/>`, xy[0], xy[1])
	}
	if last != nil {
		s.text("spark-last", lastX+10, y(float(last.variance))+4, "start", "Latest "+money.Display(last.variance))
	}
	return s.html()
}

// varianceWords writes a variance for people: an overrun or underrun of an
// amount, or unknown.
func varianceWords(d *inf.Dec, currency v1alpha1.Currency) string {
	switch {
	case d == nil:
		return "unknown"
	case d.Sign() > 0:
		return "overrun of " + amountWords(d, currency)
	case d.Sign() < 0:
		return "underrun of " + amountWords(new(inf.Dec).Neg(d), currency)
	}
	return "on budget"
}

// Geometry of the balance bars.
const (
	shareWidth  = 720.0
	shareLabelW = 180.0
	shareBar    = 300.0
	shareH      = 12.0
	shareRowH   = 40.0
	shareTop    = 26.0
)

// balanceBars draws a portfolio's balance by category or by objective
// (dimension): for each line its actual share of the committed money (a
// solid bar) against its target share (a hatched bar), on a scale of 0 to
// 100%, with both shares and the weight written beside the bars. The
// shares are the published percentages.
func balanceBars(dimension string, lines []balanceRow) template.HTML {
	var words []string
	for _, l := range lines {
		words = append(words, fmt.Sprintf("%s: actual %s, %s", l.Name, percentWords(l.Actual), targetWords(l)))
	}
	label := "Actual against target share of the committed money by " + dimension + ". " + strings.Join(words, "; ") + "."
	s := newSVG("chart-balance-"+dimension, "shares", shareWidth, shareTop+float64(len(lines))*shareRowH, label)
	s.hatch("target")
	s.rect("share-actual", shareLabelW, 4, 24, 12, "")
	s.text("legend", shareLabelW+30, 15, "start", "Actual share")
	s.rect("share-target", shareLabelW+140, 4, 24, 12, ` fill="`+s.hatchFill()+`"`)
	s.text("legend", shareLabelW+170, 15, "start", "Target share")
	scale := shareBar / 100
	for i, l := range lines {
		y := shareTop + float64(i)*shareRowH
		s.text("bar-label", shareLabelW-10, y+shareH+4, "end", shorten(l.Name, 22))
		actual := 0.0
		if l.Actual != nil {
			actual = float64(*l.Actual)
		}
		s.rect("share-actual "+weightClass(l.Weight), shareLabelW, y, actual*scale, shareH, "")
		s.text("bar-value", shareLabelW+actual*scale+6, y+shareH-2, "start", "Actual "+percentWords(l.Actual))
		ty := y + shareH + 2
		if l.Target != nil {
			target := float64(*l.Target)
			s.rect("share-target", shareLabelW, ty, target*scale, shareH, ` fill="`+s.hatchFill()+`"`)
			s.text("bar-value "+weightClass(l.Weight), shareLabelW+target*scale+6, ty+shareH-2, "start", targetWords(l))
		} else {
			s.text("bar-value "+weightClass(l.Weight), shareLabelW, ty+shareH-2, "start", targetWords(l))
		}
	}
	return s.html()
}

// percentWords writes a published share, "unknown" for none.
func percentWords(p *int32) string {
	if p == nil {
		return "unknown"
	}
	return strconv.Itoa(int(*p)) + "%"
}

// targetWords writes a line's target share and weight.
func targetWords(l balanceRow) string {
	if l.Target == nil {
		return "no target"
	}
	return "target " + percentWords(l.Target) + ", " + l.Weight.Words()
}
