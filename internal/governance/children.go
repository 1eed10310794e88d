/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"context"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// OfficeChildren are what an Office rolls up.
type OfficeChildren struct {
	Portfolios []*v1alpha1.Portfolio
	Satellites []*v1alpha1.Office
	// Programmes and Projects are those the office governs or supports
	// directly (officeRef, supportedObjectRef), outside its portfolios and
	// satellites.
	Programmes []*v1alpha1.Programme
	Projects   []*v1alpha1.Project
	// Refused is the number of portfolios and satellites it does not admit.
	Refused int
}

// PortfolioChildren are what a Portfolio rolls up.
type PortfolioChildren struct {
	Programmes []*v1alpha1.Programme
	Projects   []*v1alpha1.Project
	// Refused is the number of programmes and projects it does not admit.
	Refused int
}

// OfficeChildren reads what an office rolls up: the portfolios and
// satellites it admits (none of the satellites when its hub chain loops:
// they would count themselves), and its direct scope.
func (r Reader) OfficeChildren(ctx context.Context, office *v1alpha1.Office, facts OfficeFacts) (OfficeChildren, error) {
	var c OfficeChildren
	var err error
	if c.Portfolios, c.Refused, err = Children[*v1alpha1.Portfolio](ctx, r.Reader, office, &v1alpha1.PortfolioList{}, IndexOfficeRef); err != nil {
		return OfficeChildren{}, err
	}
	if facts.Chain.Loop == "" {
		satellites, refused, err := Children[*v1alpha1.Office](ctx, r.Reader, office, &v1alpha1.OfficeList{}, IndexHubRef)
		if err != nil {
			return OfficeChildren{}, err
		}
		c.Satellites, c.Refused = satellites, c.Refused+refused
	}
	if c.Programmes, c.Projects, err = r.DirectScope(ctx, office, facts.Supported, c.Portfolios, c.Satellites); err != nil {
		return OfficeChildren{}, err
	}
	return c, nil
}

// OfficeRows are the programmes and projects an office's report lists:
// everything beneath its portfolios and satellites, its direct scope, and
// the projects of the programmes in it.
func (r Reader) OfficeRows(ctx context.Context, office *v1alpha1.Office, c OfficeChildren) ([]*v1alpha1.Programme, []*v1alpha1.Project, error) {
	programmes, projects, err := r.OfficeContents(ctx, office, c.Portfolios, c.Satellites)
	if err != nil {
		return nil, nil, err
	}
	beneath, err := r.ProjectsOf(ctx, c.Programmes)
	programmes = append(programmes, c.Programmes...)
	projects = append(append(projects, c.Projects...), beneath...)
	return programmes, projects, err
}

// PortfolioChildren reads what a portfolio rolls up: the programmes and
// direct projects it admits.
func (r Reader) PortfolioChildren(ctx context.Context, portfolio *v1alpha1.Portfolio) (PortfolioChildren, error) {
	programmes, refusedProgrammes, err := Children[*v1alpha1.Programme](ctx, r.Reader, portfolio, &v1alpha1.ProgrammeList{}, IndexPortfolioRef)
	if err != nil {
		return PortfolioChildren{}, err
	}
	projects, refusedProjects, err := Children[*v1alpha1.Project](ctx, r.Reader, portfolio, &v1alpha1.ProjectList{}, IndexPortfolioRef)
	if err != nil {
		return PortfolioChildren{}, err
	}
	return PortfolioChildren{Programmes: programmes, Projects: projects, Refused: refusedProgrammes + refusedProjects}, nil
}

// PortfolioRows are the projects a portfolio's report lists: its direct
// projects and those of its programmes.
func (r Reader) PortfolioRows(ctx context.Context, c PortfolioChildren) ([]*v1alpha1.Project, error) {
	beneath, err := r.ProjectsOf(ctx, c.Programmes)
	return append(append([]*v1alpha1.Project(nil), c.Projects...), beneath...), err
}

// ProgrammeChildren reads the projects a programme admits, and how many it
// refuses.
func (r Reader) ProgrammeChildren(ctx context.Context, programme *v1alpha1.Programme) ([]*v1alpha1.Project, int, error) {
	return Children[*v1alpha1.Project](ctx, r.Reader, programme, &v1alpha1.ProjectList{}, IndexProgrammeRef)
}
