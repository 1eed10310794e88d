/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"cmp"
	"slices"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// The tree is built from what the operator published in status; nothing is
// recomputed. Figures of Offices, Portfolios and Programmes are their
// rollups; a Project's are its plan and progress.

// Node is one object in the tree, as -o json and -o yaml print it.
type Node struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Type is an Office's type.
	Type string `json:"type,omitempty"`
	// Phase is a Programme's or Project's phase.
	Phase string `json:"phase,omitempty"`
	// Health is status.health (Programmes, Projects) or
	// status.rollup.health (Offices, Portfolios).
	Health string `json:"health,omitempty"`
	// Compliant is the status of the Compliant condition.
	Compliant string `json:"compliant,omitempty"`
	// Projects is status.rollup.projects (not on Projects).
	Projects *int32 `json:"projects,omitempty"`
	// Budget and Forecast are status.rollup.money's, or a Project's
	// spec.plan.budget and spec.progress.forecastCost, written exactly as
	// status writes amounts ("4500001500.25").
	Budget   v1alpha1.Amount `json:"budget,omitempty"`
	Forecast v1alpha1.Amount `json:"forecast,omitempty"`
	Currency string          `json:"currency,omitempty"`
	// Reason is the first health reason (for rollups: the first cause).
	Reason string `json:"reason,omitempty"`
	// Attachment is set when ParentResolved is False.
	Attachment *Attachment `json:"attachment,omitempty"`
	// Retired is true for a retired Temporary or ProjectSupport office.
	Retired bool `json:"retired,omitempty"`
	// DependenciesAtRisk is how many of a Programme's or Project's
	// dependencies are at risk (status.dependencies); the tree marks it.
	DependenciesAtRisk int `json:"dependenciesAtRisk,omitempty"`
	// Via says why a Programme or Project is shown under an Office it is
	// not attached to through a portfolio: "supports" (the office's
	// spec.supportedObjectRef) or "governs" (its own spec.officeRef).
	Via string `json:"via,omitempty"`
	// Loop is true where a hub chain leads back to an office shown above
	// it; the office is named again but not repeated.
	Loop     bool    `json:"loop,omitempty"`
	Children []*Node `json:"children,omitempty"`
	// Rank is a Programme's or direct Project's rank in its portfolio's
	// status.strategy.ranking (the first 20 of its open work); Priority its
	// person-set spec.priority, shown beside it; Score its status.score.
	Rank     *int32 `json:"rank,omitempty"`
	Priority int32  `json:"priority,omitempty"`
	Score    *int32 `json:"score,omitempty"`
}

// Attachment is a ParentResolved condition that is not True.
type Attachment struct {
	Reason  string `json:"reason"`
	Message string `json:"message,omitempty"`
}

// objectID names an object of a kind.
type objectID struct{ kind, namespace, name string }

// org is everything read from the cluster to draw trees.
type org struct {
	Offices    []v1alpha1.Office
	Portfolios []v1alpha1.Portfolio
	Programmes []v1alpha1.Programme
	Projects   []v1alpha1.Project
}

// entry is one object with its tree parent.
type entry struct {
	id objectID
	// parent is the object the entry hangs under: a Satellite's hub, a
	// Portfolio's office, a Programme's portfolio, a Project's programme or
	// portfolio. Unset for a root office.
	parent *objectID
	// governedBy is a Programme's or Project's spec.officeRef.
	governedBy *objectID
	// supports is a Temporary or ProjectSupport office's supported object.
	supports *objectID
	// officeType is an Office's type.
	officeType v1alpha1.OfficeType
	// ranking is a Portfolio's status.strategy.ranking.
	ranking []v1alpha1.RankedWork
	node    func() *Node
}

var kindOrder = map[string]int{"Office": 0, "Portfolio": 1, "Programme": 2, "Project": 3}

func compareIDs(a, b objectID) int {
	return cmp.Or(cmp.Compare(kindOrder[a.kind], kindOrder[b.kind]),
		cmp.Compare(a.namespace, b.namespace), cmp.Compare(a.name, b.name))
}

func target(kind string, ref *v1alpha1.ParentReference, namespace string) *objectID {
	if ref == nil || ref.Name == "" {
		return nil
	}
	return &objectID{kind, ref.NamespaceOr(namespace), string(ref.Name)}
}

// forest indexes an org for drawing trees.
type forest struct {
	entries    map[objectID]*entry
	children   map[objectID][]*entry
	governedBy map[objectID][]*entry
	// placed records every object drawn so far.
	placed map[objectID]bool
}

func newForest(o org) *forest {
	f := &forest{entries: map[objectID]*entry{}, children: map[objectID][]*entry{}, governedBy: map[objectID][]*entry{}, placed: map[objectID]bool{}}
	add := func(e *entry) {
		f.entries[e.id] = e
		if e.parent != nil {
			f.children[*e.parent] = append(f.children[*e.parent], e)
		}
		if e.governedBy != nil {
			f.governedBy[*e.governedBy] = append(f.governedBy[*e.governedBy], e)
		}
	}
	for i := range o.Offices {
		x := &o.Offices[i]
		e := &entry{id: objectID{"Office", x.Namespace, x.Name}, parent: target("Office", x.Spec.HubRef, x.Namespace), officeType: x.Spec.Type, node: func() *Node { return officeNode(x) }}
		if r := x.Spec.SupportedObjectRef; r != nil {
			e.supports = target(string(r.Kind), &r.ParentReference, x.Namespace)
		}
		add(e)
	}
	for i := range o.Portfolios {
		x := &o.Portfolios[i]
		add(&entry{id: objectID{"Portfolio", x.Namespace, x.Name}, parent: target("Office", &x.Spec.OfficeRef, x.Namespace),
			ranking: x.Status.Strategy.Ranking, node: func() *Node { return portfolioNode(x) }})
	}
	for i := range o.Programmes {
		x := &o.Programmes[i]
		add(&entry{id: objectID{"Programme", x.Namespace, x.Name}, parent: target("Portfolio", &x.Spec.PortfolioRef, x.Namespace),
			governedBy: target("Office", x.Spec.OfficeRef, x.Namespace), node: func() *Node { return programmeNode(x) }})
	}
	for i := range o.Projects {
		x := &o.Projects[i]
		parent := target("Programme", x.Spec.ProgrammeRef, x.Namespace)
		if parent == nil {
			parent = target("Portfolio", x.Spec.PortfolioRef, x.Namespace)
		}
		add(&entry{id: objectID{"Project", x.Namespace, x.Name}, parent: parent,
			governedBy: target("Office", x.Spec.OfficeRef, x.Namespace), node: func() *Node { return projectNode(x) }})
	}
	for _, list := range []map[objectID][]*entry{f.children, f.governedBy} {
		for _, l := range list {
			slices.SortFunc(l, func(a, b *entry) int { return compareIDs(a.id, b.id) })
		}
	}
	return f
}

// tree draws the tree below one object.
func (f *forest) tree(id objectID) *Node {
	e := f.entries[id]
	if e == nil {
		return nil
	}
	return f.draw(e, "", map[objectID]bool{})
}

// draw builds the node of e and its descendants. path holds the offices
// above, so that a hub loop is drawn once.
func (f *forest) draw(e *entry, via string, path map[objectID]bool) *Node {
	n := e.node()
	n.Via = via
	f.placed[e.id] = true
	if path[e.id] {
		n.Loop = true
		return n
	}
	path[e.id] = true
	defer delete(path, e.id)
	below := map[objectID]bool{}
	for _, c := range f.children[e.id] {
		child := f.draw(c, "", path)
		for _, w := range e.ranking {
			if string(w.Kind) == c.id.kind && w.Namespace == c.id.namespace && w.Name == c.id.name {
				child.Rank = new(w.Rank)
			}
		}
		n.Children = append(n.Children, child)
	}
	if e.id.kind != "Office" {
		return n
	}
	// What an office supports or governs outside its portfolios is shown
	// beneath it too, once: a Temporary office's programme, a Project
	// Support office's project, what names a Virtual office in officeRef.
	mark(n, below)
	extra := func(c *entry, via string) {
		if c == nil || below[c.id] || path[c.id] {
			return
		}
		child := f.draw(c, via, path)
		mark(child, below)
		n.Children = append(n.Children, child)
	}
	if e.supports != nil {
		extra(f.entries[*e.supports], "supports")
	}
	for _, c := range f.governedBy[e.id] {
		extra(c, "governs")
	}
	return n
}

// mark records the objects of a subtree.
func mark(n *Node, seen map[objectID]bool) {
	seen[objectID{n.Kind, n.Namespace, n.Name}] = true
	for _, c := range n.Children {
		mark(c, seen)
	}
}

// officeTypeOrder puts permanent offices before those set up for one
// programme or project.
var officeTypeOrder = map[v1alpha1.OfficeType]int{v1alpha1.OfficeTypePortfolioOffice: 0, v1alpha1.OfficeTypeSatellite: 1,
	v1alpha1.OfficeTypeVirtual: 2, v1alpha1.OfficeTypeTemporary: 3, v1alpha1.OfficeTypeProjectSupport: 4}

// compareTop orders trees: Offices before Portfolios, Programmes and
// Projects, Portfolio Offices before the others, then by namespace and name.
func compareTop(a, b *entry) int {
	return cmp.Or(cmp.Compare(kindOrder[a.id.kind], kindOrder[b.id.kind]),
		cmp.Compare(officeTypeOrder[a.officeType], officeTypeOrder[b.officeType]), compareIDs(a.id, b.id))
}

// sortedTop sorts the entries of ids with compareTop.
func (f *forest) sortedTop(ids []objectID) []objectID {
	slices.SortFunc(ids, func(a, b objectID) int { return compareTop(f.entries[a], f.entries[b]) })
	return ids
}

// rootOffices are the offices without a hub, in the namespace ("" for
// all).
func (f *forest) rootOffices(namespace string) []objectID {
	var roots []objectID
	for id, e := range f.entries {
		if id.kind == "Office" && e.parent == nil && (namespace == "" || id.namespace == namespace) {
			roots = append(roots, id)
		}
	}
	return f.sortedTop(roots)
}

// topOf are the objects in the namespace ("" for all) whose parent is not
// among the objects read: the highest objects of that namespace, and
// children whose parent does not exist.
func (f *forest) topOf(namespace string) []objectID {
	var top []objectID
	for id, e := range f.entries {
		if namespace != "" && id.namespace != namespace {
			continue
		}
		if e.parent == nil {
			top = append(top, id)
			continue
		}
		p, ok := f.entries[*e.parent]
		if !ok || (namespace != "" && p.id.namespace != namespace) {
			top = append(top, id)
		}
	}
	return f.sortedTop(top)
}

// unplaced are the objects (in the namespace, "" for all) not drawn yet:
// children whose parent is missing, and offices in a hub loop.
func (f *forest) unplaced(namespace string) []objectID {
	var out []objectID
	for id := range f.entries {
		if !f.placed[id] && (namespace == "" || id.namespace == namespace) {
			out = append(out, id)
		}
	}
	return f.sortedTop(out)
}

// forestOf draws the trees the tree command shows: below root when it is
// set, else every root office (allNamespaces) or every top object of the
// namespace, followed by whatever those do not reach.
func forestOf(o org, root *objectID, namespace string, allNamespaces bool) []*Node {
	f := newForest(o)
	if root != nil {
		if n := f.tree(*root); n != nil {
			return []*Node{n}
		}
		return nil
	}
	var starts []objectID
	scope := namespace
	if allNamespaces {
		starts, scope = f.rootOffices(""), ""
	} else {
		starts = f.topOf(namespace)
	}
	var out []*Node
	for _, id := range starts {
		if !f.placed[id] {
			out = append(out, f.tree(id))
		}
	}
	// Unplaced objects are drawn as trees of their own, topmost first: an
	// orphan's children then hang under it.
	for {
		rest := f.unplaced(scope)
		if len(rest) == 0 {
			break
		}
		id := rest[0]
		for _, r := range rest {
			if e := f.entries[r]; e.parent == nil || f.placed[*e.parent] || f.entries[*e.parent] == nil {
				id = r
				break
			}
		}
		out = append(out, f.tree(id))
	}
	return out
}

func condition(conds []metav1.Condition, t v1alpha1.ConditionType) *metav1.Condition {
	return meta.FindStatusCondition(conds, string(t))
}

func attachment(conds []metav1.Condition) *Attachment {
	c := condition(conds, v1alpha1.ConditionParentResolved)
	if c == nil || c.Status != metav1.ConditionFalse {
		return nil
	}
	return &Attachment{Reason: c.Reason, Message: c.Message}
}

func conditionStatus(conds []metav1.Condition, t v1alpha1.ConditionType) string {
	if c := condition(conds, t); c != nil {
		return string(c.Status)
	}
	return ""
}

func first(reasons []string) string {
	if len(reasons) == 0 {
		return ""
	}
	return reasons[0]
}

// causeText is a rollup's first cause: "Project ns/name: reason".
func causeText(r v1alpha1.Rollup) string {
	if len(r.Causes) == 0 {
		return ""
	}
	c := r.Causes[0]
	s := string(c.Kind) + " " + c.Namespace + "/" + c.Name
	if c.Reason != "" {
		return s + ": " + c.Reason
	}
	return s + " is " + string(c.Health)
}

func rollupNode(n *Node, r v1alpha1.Rollup) *Node {
	n.Health = string(r.Health)
	projects := r.Projects
	n.Projects = &projects
	n.Budget, n.Forecast, n.Currency = r.Money.Budget, r.Money.ForecastCost, string(r.Money.Currency)
	n.Reason = causeText(r)
	return n
}

func officeNode(o *v1alpha1.Office) *Node {
	n := rollupNode(&Node{Kind: "Office", Namespace: o.Namespace, Name: o.Name, Type: string(o.Spec.Type)}, o.Status.Rollup)
	n.Attachment = attachment(o.Status.Conditions)
	n.Retired = conditionStatus(o.Status.Conditions, v1alpha1.ConditionRetired) == string(metav1.ConditionTrue)
	return n
}

func portfolioNode(p *v1alpha1.Portfolio) *Node {
	n := rollupNode(&Node{Kind: "Portfolio", Namespace: p.Namespace, Name: p.Name}, p.Status.Rollup)
	n.Attachment = attachment(p.Status.Conditions)
	return n
}

func programmeNode(p *v1alpha1.Programme) *Node {
	n := rollupNode(&Node{Kind: "Programme", Namespace: p.Namespace, Name: p.Name, Phase: string(p.Spec.Phase)}, p.Status.Rollup)
	n.Health = string(p.Status.Health)
	n.Reason = first(p.Status.HealthReasons)
	n.Compliant = conditionStatus(p.Status.Conditions, v1alpha1.ConditionCompliant)
	n.Attachment = attachment(p.Status.Conditions)
	n.Priority, n.Score = p.Spec.Priority, p.Status.Score
	n.DependenciesAtRisk = atRisk(p.Status.Dependencies)
	return n
}

// atRisk counts the dependencies at risk.
func atRisk(deps []v1alpha1.DependencyStatus) int {
	n := 0
	for _, d := range deps {
		if d.AtRisk() {
			n++
		}
	}
	return n
}

func projectNode(p *v1alpha1.Project) *Node {
	n := &Node{Kind: "Project", Namespace: p.Namespace, Name: p.Name, Phase: string(p.Spec.Phase),
		Health: string(p.Status.Health), Reason: first(p.Status.HealthReasons),
		Compliant: conditionStatus(p.Status.Conditions, v1alpha1.ConditionCompliant),
		Budget:    money.Amount(money.Of(p.Spec.Plan.Budget)), Forecast: money.Amount(money.Of(p.Forecast())),
		Currency: string(p.Status.Currency), Attachment: attachment(p.Status.Conditions),
		Priority: p.Spec.Priority, Score: p.Status.Score, DependenciesAtRisk: atRisk(p.Status.Dependencies)}
	return n
}
