/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package dashboard

import (
	"p3o.dev/p3o-operator/api/v1alpha1"
)

// projectView is a project's page: why its health is what it is, its
// gates, its reviews and what they recommend, progress, risks and
// benefits.
type projectView struct {
	link
	Project *v1alpha1.Project
	Figures *figures
	// Parents are the programme, portfolio and office above it that the
	// viewer may see.
	Parents []link
	Reviews []*v1alpha1.GatewayReview
	// Dependencies are its status.dependencies, each with a link to the
	// provider when the viewer may see it.
	Dependencies []dependencyRow
	// Benefits are its spec.benefits as written, for people.
	Benefits []benefitRow
}

// dependencyRow is one dependency on a project's page.
type dependencyRow struct {
	v1alpha1.DependencyStatus
	// Link is the provider's page; nil when the viewer may not see it or
	// it is not in the picture.
	Link *link
}

func (v projectView) title() string { return "Project " + v.Name }

// project builds a project's page.
func (s *Server) project(q *request) (any, error) {
	r := ref{Kind: "Project", Namespace: q.PathValue("namespace"), Name: q.PathValue("name")}
	p, ok := q.picture.Object(r).(*v1alpha1.Project)
	if !ok || !q.sees(r) {
		return nil, errNotFound
	}
	v := projectView{link: linkOf(r), Project: p, Figures: q.figuresOf(r), Reviews: q.reviewsOf(r), Benefits: benefitRows(p)}
	for _, above := range []struct {
		kind string
		ref  *v1alpha1.ParentReference
	}{{"Programme", p.Spec.ProgrammeRef}, {"Portfolio", p.Spec.PortfolioRef}} {
		if above.ref == nil {
			continue
		}
		if pr := refTo(above.kind, *above.ref, p.Namespace); q.sees(pr) && q.picture.Object(pr) != nil {
			v.Parents = append(v.Parents, linkOf(pr))
		}
	}
	for _, d := range p.Status.Dependencies {
		row := dependencyRow{DependencyStatus: d}
		if pr := (ref{string(d.Kind), d.Provider.Namespace, d.Provider.Name}); q.sees(pr) && q.picture.Object(pr) != nil {
			l := linkOf(pr)
			row.Link = &l
		}
		v.Dependencies = append(v.Dependencies, row)
	}
	if office := p.Status.Office; office != nil {
		if or := (ref{"Office", office.Namespace, office.Name}); q.sees(or) && q.picture.Object(or) != nil {
			v.Parents = append(v.Parents, linkOf(or))
		}
	}
	return v, nil
}
