/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"cmp"
	"html/template"
	"slices"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// listLimit is how many items a list on the organisation page shows; the
// rest are counted, and found on the offices' pages.
const listLimit = 20

// organisationView is the organisation page: every office the viewer may
// see as a tree, with its figures, and what needs attention.
type organisationView struct {
	Offices []officeNode
	Red     limited[redItem]
	Gates   limited[gateItem]
	Stale   limited[link]
	// Hidden says some objects are hidden from the viewer.
	Hidden bool
	// Heatmap is the RAG tree of the offices and their portfolios.
	Heatmap template.HTML
	// Headline are the top offices: the Portfolio Offices at the top of
	// the tree, else every office there.
	Headline []officeNode
}

func (organisationView) title() string { return "Organisation" }

// officeNode is an office in the tree, with its satellites and portfolios.
type officeNode struct {
	link
	Type       v1alpha1.OfficeType
	Figures    *figures
	Satellites []officeNode
	Portfolios []portfolioNode
}

// portfolioNode is a portfolio in the tree.
type portfolioNode struct {
	link
	Figures *figures
}

// redItem is a Red project or programme and why.
type redItem struct {
	link
	Reasons []string
}

// gateItem is a gate to act on.
type gateItem struct {
	link
	Gate v1alpha1.GateStatus
}

// limited is a list cut to listLimit items, with the number left out.
type limited[T any] struct {
	Items []T
	More  int
}

func (l *limited[T]) add(item T) {
	if len(l.Items) < listLimit {
		l.Items = append(l.Items, item)
		return
	}
	l.More++
}

// organisation builds the organisation page.
func (s *Server) organisation(q *request) (any, error) {
	v := organisationView{}
	for _, o := range q.picture.Offices {
		r := refOf("Office", o)
		if !q.sees(r) {
			v.Hidden = true
			continue
		}
		if hub := o.Spec.HubRef; hub != nil && q.sees(refTo("Office", *hub, o.Namespace)) && q.picture.Object(refTo("Office", *hub, o.Namespace)) != nil {
			continue // shown beneath its hub
		}
		v.Offices = append(v.Offices, q.officeNode(r, 0))
	}
	// The Portfolio Offices lead: the permanent offices that govern the
	// rest.
	leads := func(o officeNode) int {
		if o.Type == v1alpha1.OfficeTypePortfolioOffice {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(v.Offices, func(a, b officeNode) int { return cmp.Compare(leads(a), leads(b)) })
	v.attention(q)
	for _, o := range v.Offices {
		if o.Type == v1alpha1.OfficeTypePortfolioOffice {
			v.Headline = append(v.Headline, o)
		}
	}
	if len(v.Headline) == 0 {
		v.Headline = v.Offices
	}
	if rows := heatRows(v.Offices, 0); len(rows) > 0 {
		v.Heatmap = heatmap(rows)
	}
	return v, nil
}

// officeNode is an office with what it rolls up, to depth levels of
// satellites at most (a hub chain that loops ends there).
func (q *request) officeNode(r ref, depth int) officeNode {
	o := q.picture.Object(r).(*v1alpha1.Office)
	n := officeNode{link: linkOf(r), Type: o.Spec.Type, Figures: q.figuresOf(r)}
	for _, c := range q.picture.Children(r) {
		switch {
		case !q.sees(c):
		case c.Kind == "Office" && depth < 8:
			n.Satellites = append(n.Satellites, q.officeNode(c, depth+1))
		case c.Kind == "Portfolio":
			n.Portfolios = append(n.Portfolios, portfolioNode{link: linkOf(c), Figures: q.figuresOf(c)})
		}
	}
	return n
}

// attention lists, among what the viewer may see, the Red projects and
// programmes, the gates to act on, and the projects whose reporting is
// stale.
func (v *organisationView) attention(q *request) {
	for _, p := range q.picture.Programmes {
		r := refOf("Programme", p)
		if !q.sees(r) {
			v.Hidden = true
			continue
		}
		v.noteSubject(r, p.Status.Health, p.Status.HealthReasons, p.Status.Compliance)
	}
	for _, p := range q.picture.Projects {
		r := refOf("Project", p)
		if !q.sees(r) {
			v.Hidden = true
			continue
		}
		v.noteSubject(r, p.Status.Health, p.Status.HealthReasons, p.Status.Compliance)
		if p.Status.Reporting == v1alpha1.ReportingStale {
			v.Stale.add(linkOf(r))
		}
	}
}

func (v *organisationView) noteSubject(r ref, h v1alpha1.Health, reasons []string, c v1alpha1.ComplianceStatus) {
	if h == v1alpha1.HealthRed {
		v.Red.add(redItem{link: linkOf(r), Reasons: reasons})
	}
	for _, g := range c.Gates {
		if g.NeedsAttention() {
			v.Gates.add(gateItem{link: linkOf(r), Gate: g})
		}
	}
}
