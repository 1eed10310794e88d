/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"context"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// The contents of a report: everything beneath an object that its parents
// admit, each counted once. The objects are the cache's own: callers read
// them and never modify them.

// ProjectsOf lists the admitted projects of each programme.
func (r Reader) ProjectsOf(ctx context.Context, programmes []*v1alpha1.Programme) ([]*v1alpha1.Project, error) {
	var out []*v1alpha1.Project
	for _, prog := range programmes {
		projects, _, err := Children[*v1alpha1.Project](ctx, r.Reader, prog, &v1alpha1.ProjectList{}, IndexProgrammeRef)
		if err != nil {
			return nil, err
		}
		out = append(out, projects...)
	}
	return out, nil
}

// PortfolioContents lists the programmes and projects of a portfolio.
func (r Reader) PortfolioContents(ctx context.Context, pf *v1alpha1.Portfolio) ([]*v1alpha1.Programme, []*v1alpha1.Project, error) {
	programmes, _, err := Children[*v1alpha1.Programme](ctx, r.Reader, pf, &v1alpha1.ProgrammeList{}, IndexPortfolioRef)
	if err != nil {
		return nil, nil, err
	}
	direct, _, err := Children[*v1alpha1.Project](ctx, r.Reader, pf, &v1alpha1.ProjectList{}, IndexPortfolioRef)
	if err != nil {
		return nil, nil, err
	}
	projects, err := r.ProjectsOf(ctx, programmes)
	return programmes, append(direct, projects...), err
}

// OfficeContents lists the programmes and projects beneath an office whose
// portfolios and satellites are given: its portfolios' and, recursively,
// its satellites'.
func (r Reader) OfficeContents(ctx context.Context, office *v1alpha1.Office, portfolios []*v1alpha1.Portfolio, satellites []*v1alpha1.Office) ([]*v1alpha1.Programme, []*v1alpha1.Project, error) {
	var programmes []*v1alpha1.Programme
	var projects []*v1alpha1.Project
	seen := map[string]bool{Key(office): true}
	type level struct {
		portfolios []*v1alpha1.Portfolio
		satellites []*v1alpha1.Office
	}
	queue := []level{{portfolios, satellites}}
	for depth := 0; len(queue) > 0 && depth < MaxHubDepth; depth++ {
		var next []level
		for _, l := range queue {
			for _, pf := range l.portfolios {
				progs, projs, err := r.PortfolioContents(ctx, pf)
				if err != nil {
					return nil, nil, err
				}
				programmes, projects = append(programmes, progs...), append(projects, projs...)
			}
			for _, s := range l.satellites {
				if seen[Key(s)] {
					continue
				}
				seen[Key(s)] = true
				pfs, _, err := Children[*v1alpha1.Portfolio](ctx, r.Reader, s, &v1alpha1.PortfolioList{}, IndexOfficeRef)
				if err != nil {
					return nil, nil, err
				}
				sats, _, err := Children[*v1alpha1.Office](ctx, r.Reader, s, &v1alpha1.OfficeList{}, IndexHubRef)
				if err != nil {
					return nil, nil, err
				}
				next = append(next, level{pfs, sats})
			}
		}
		queue = next
	}
	return programmes, projects, nil
}
