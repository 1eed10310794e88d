/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strconv"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/health"
)

// pageSize is how many rows a table shows at once.
const pageSize = 50

// parentView is the page of an Office, Portfolio or Programme.
type parentView struct {
	link
	Figures *figures
	// Children are its direct children the viewer may see, filtered,
	// sorted and paged as asked.
	Children table
	// Red are the Red programmes and projects beneath, with why.
	Red shown[redItem]
	// Gates are the gates to act on beneath.
	Gates shown[gateItem]
	// Risks are the most severe open risks beneath.
	Risks []riskItem
	// Confidence is the Delivery Confidence of the latest review of each
	// project beneath.
	Confidence shown[confidenceItem]
	// Reports are the report files to download, when the viewer may.
	Reports []download
	Hidden  bool
	// Priorities are a portfolio's ranking and balance; nil for an office
	// or programme.
	Priorities *prioritiesView
	// Years are a portfolio's capacity by financial year; nil for an
	// office or programme, or a portfolio that publishes no year.
	Years *yearsView
	// Evidence is an office's indicators of practice; nil for a portfolio
	// or programme, or an office that publishes none.
	Evidence *evidenceView

	// Type is an office's type.
	Type v1alpha1.OfficeType
	// Capacity is a portfolio's capacity gauge; Bars the children's
	// budgets against forecasts; Distribution the Delivery Confidence
	// ratings counted; Trend health and variance across sealed periods.
	Capacity     template.HTML
	Bars         *barsView
	Distribution *confidenceView
	Trend        *trendView
	// Travel is the direction of travel since the last sealed period.
	Travel *travelView
}

func (v parentView) title() string { return v.Kind + " " + v.Name }

// table is a sortable, filterable, paged list of children.
type table struct {
	Rows []childRow
	// Sort and Health are the sort key and health filter in use.
	Sort, Health string
	Page, Pages  int
	Total        int
	query        url.Values
}

// shown is a list beneath a parent of which the page shows the first
// listLimit items and counts the rest: beneath an office of 10,000
// projects thousands are Red or have a gate due, and those are found on
// the pages of its children.
type shown[T any] []T

// First are the items shown.
func (l shown[T]) First() []T { return l[:min(len(l), listLimit)] }

// More is how many are not shown.
func (l shown[T]) More() int { return max(0, len(l)-listLimit) }

// childRow is one child.
type childRow struct {
	link
	Figures *figures
}

// riskItem is an open risk of an object.
type riskItem struct {
	link
	Risk v1alpha1.Risk
}

// confidenceItem is the latest review of a project.
type confidenceItem struct {
	Project link
	Review  link
	Rating  v1alpha1.DeliveryConfidence
}

// parent builds the page of a parent of kind.
func (s *Server) parent(kind string) func(*request) (any, error) {
	return func(q *request) (any, error) {
		r := ref{Kind: kind, Namespace: q.PathValue("namespace"), Name: q.PathValue("name")}
		if q.picture.Object(r) == nil || !q.sees(r) {
			return nil, errNotFound
		}
		v := parentView{link: linkOf(r), Figures: q.figuresOf(r)}
		v.Children = q.children(r)
		v.beneath(q, r)
		v.Reports = q.downloads(r)
		v.Hidden = !q.picture.covered(r, q.scope)
		if o, ok := q.picture.Object(r).(*v1alpha1.Office); ok {
			v.Type = o.Spec.Type
		}
		v.Capacity = capacityChart(v.Figures)
		v.Bars = budgetChart(v.Children.Rows, rollupCurrency(q.picture.Object(r)))
		v.Distribution = confidenceDistribution(v.Confidence)
		v.Trend = q.trend(r)
		v.Travel = q.travelOf(r)
		v.Priorities = q.priorities(r, v.Figures)
		v.Years = q.years(r, v.Figures)
		v.Evidence = q.evidenceOf(r, v.Figures)
		return v, nil
	}
}

// children is the table of a parent's children the viewer may see.
func (q *request) children(parent ref) table {
	t := table{Sort: q.URL.Query().Get("sort"), Health: q.URL.Query().Get("health"), query: q.URL.Query()}
	for _, c := range q.picture.Children(parent) {
		if !q.sees(c) {
			continue
		}
		row := childRow{link: linkOf(c), Figures: q.figuresOf(c)}
		if t.Health != "" && (row.Figures == nil || string(row.Figures.Health) != t.Health) {
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	slices.SortStableFunc(t.Rows, rowOrder(t.Sort))
	t.Total = len(t.Rows)
	t.Pages = max(1, (t.Total+pageSize-1)/pageSize)
	t.Page, _ = strconv.Atoi(q.URL.Query().Get("page"))
	t.Page = min(max(t.Page, 1), t.Pages)
	t.Rows = t.Rows[(t.Page-1)*pageSize : min(t.Page*pageSize, t.Total)]
	return t
}

// rowOrder orders children by a sort key: name (default), health (worst
// first), kind.
func rowOrder(key string) func(a, b childRow) int {
	byName := func(a, b childRow) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	}
	switch key {
	case "health":
		return func(a, b childRow) int { return cmp.Or(cmp.Compare(rank(b.Figures), rank(a.Figures)), byName(a, b)) }
	case "name":
		return func(a, b childRow) int { return cmp.Or(cmp.Compare(a.Name, b.Name), byName(a, b)) }
	}
	return byName
}

func rank(f *figures) int {
	if f == nil {
		return -1
	}
	return health.Rank(f.Health)
}

// With is the page's query with key set to value (and back to page 1 for
// another sort or filter).
func (t table) With(key, value string) string {
	q := url.Values{}
	for k, v := range t.query {
		q[k] = slices.Clone(v)
	}
	if key != "page" {
		q.Del("page")
	}
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	return "?" + q.Encode()
}

// beneath lists what needs attention among the programmes and projects
// beneath a parent that the viewer may see.
func (v *parentView) beneath(q *request, parent ref) {
	for _, r := range q.picture.Rows(parent) {
		if !q.sees(r) {
			continue
		}
		obj := q.picture.Object(r)
		if obj == nil {
			continue
		}
		if healthOf(obj) == v1alpha1.HealthRed {
			v.Red = append(v.Red, redItem{link: linkOf(r), Reasons: reasonsOf(obj)})
		}
		for _, g := range complianceOf(obj).Gates {
			if g.NeedsAttention() {
				v.Gates = append(v.Gates, gateItem{link: linkOf(r), Gate: g})
			}
		}
		for _, risk := range risksOf(obj) {
			if risk.Status != v1alpha1.RiskClosed {
				v.Risks = append(v.Risks, riskItem{link: linkOf(r), Risk: risk})
			}
		}
		if c, ok := q.latestReview(r); ok {
			v.Confidence = append(v.Confidence, c)
		}
	}
	slices.SortStableFunc(v.Risks, func(a, b riskItem) int { return cmp.Compare(b.Risk.Severity(), a.Risk.Severity()) })
	v.Risks = v.Risks[:min(len(v.Risks), 10)]
}

// risksOf is an object's risk register.
func risksOf(obj any) []v1alpha1.Risk {
	switch o := obj.(type) {
	case *v1alpha1.Programme:
		return o.Spec.Risks
	case *v1alpha1.Project:
		return o.Spec.Risks
	}
	return nil
}

// latestReview is the latest review with a Delivery Confidence rating of
// a project, among those the viewer may see.
func (q *request) latestReview(r ref) (confidenceItem, bool) {
	if r.Kind != "Project" {
		return confidenceItem{}, false
	}
	var latest *v1alpha1.GatewayReview
	for _, g := range q.reviewsOf(r) {
		if g.Spec.Findings != nil && g.Spec.Findings.DeliveryConfidence != "" && (latest == nil || g.Spec.Date > latest.Spec.Date) {
			latest = g
		}
	}
	if latest == nil {
		return confidenceItem{}, false
	}
	return confidenceItem{Project: linkOf(r), Review: linkOf(refOf("GatewayReview", latest)), Rating: latest.Spec.Findings.DeliveryConfidence}, true
}

// reviewsOf are the reviews of a subject the viewer may see, oldest first.
func (q *request) reviewsOf(subject ref) []*v1alpha1.GatewayReview {
	var out []*v1alpha1.GatewayReview
	for _, g := range q.picture.reviews[subject] {
		if q.sees(refOf("GatewayReview", g)) {
			out = append(out, g)
		}
	}
	return out
}
