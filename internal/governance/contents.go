/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

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

// DirectScope lists what an office governs or supports besides its
// portfolios and satellites: the Programmes and Projects that name it in
// spec.officeRef (how a Virtual office governs) and the object it supports
// (a Temporary or Project Support office), leaving out whatever its
// portfolios and satellites already hold and projects whose programme is in
// the scope, so that nothing is counted twice.
func (r Reader) DirectScope(ctx context.Context, office *v1alpha1.Office, supported client.Object, portfolios []*v1alpha1.Portfolio, satellites []*v1alpha1.Office) ([]*v1alpha1.Programme, []*v1alpha1.Project, error) {
	covered, err := r.portfoliosBeneath(ctx, office, portfolios, satellites)
	if err != nil {
		return nil, nil, err
	}
	programmes, _, err := Children[*v1alpha1.Programme](ctx, r.Reader, office, &v1alpha1.ProgrammeList{}, IndexOfficeRef)
	if err != nil {
		return nil, nil, err
	}
	projects, _, err := Children[*v1alpha1.Project](ctx, r.Reader, office, &v1alpha1.ProjectList{}, IndexOfficeRef)
	if err != nil {
		return nil, nil, err
	}
	switch s := supported.(type) {
	case *v1alpha1.Programme:
		programmes = append(programmes, s)
	case *v1alpha1.Project:
		projects = append(projects, s)
	}

	inScope := map[string]bool{}
	var outProgrammes []*v1alpha1.Programme
	for _, p := range programmes {
		key := Key(p)
		if inScope[key] || covered[Target(p.Spec.PortfolioRef, p.Namespace).String()] {
			continue
		}
		inScope[key] = true
		outProgrammes = append(outProgrammes, p)
	}
	seen := map[string]bool{}
	var outProjects []*v1alpha1.Project
	for _, p := range projects {
		key := Key(p)
		if seen[key] {
			continue
		}
		seen[key] = true
		beneath, err := r.projectBeneath(ctx, p, covered, inScope)
		if err != nil {
			return nil, nil, err
		}
		if !beneath {
			outProjects = append(outProjects, p)
		}
	}
	return outProgrammes, outProjects, nil
}

// projectBeneath reports whether a project is already counted through a
// covered portfolio or a programme in scope.
func (r Reader) projectBeneath(ctx context.Context, p *v1alpha1.Project, covered, programmes map[string]bool) (bool, error) {
	if ref := p.Spec.PortfolioRef; ref != nil {
		return covered[Target(*ref, p.Namespace).String()], nil
	}
	if p.Spec.ProgrammeRef == nil {
		return false, nil
	}
	key := Target(*p.Spec.ProgrammeRef, p.Namespace)
	if programmes[key.String()] {
		return true, nil
	}
	programme := &v1alpha1.Programme{}
	if err := r.Get(ctx, key, programme); err != nil {
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		return false, fmt.Errorf("getting programme %s: %w", key, err)
	}
	return covered[Target(programme.Spec.PortfolioRef, programme.Namespace).String()], nil
}

// portfoliosBeneath is the set of portfolio keys an office counts through
// its portfolios and, recursively, its satellites'.
func (r Reader) portfoliosBeneath(ctx context.Context, office *v1alpha1.Office, portfolios []*v1alpha1.Portfolio, satellites []*v1alpha1.Office) (map[string]bool, error) {
	covered := map[string]bool{}
	for _, pf := range portfolios {
		covered[Key(pf)] = true
	}
	seen := map[string]bool{Key(office): true}
	queue := satellites
	for depth := 0; len(queue) > 0 && depth < MaxHubDepth; depth++ {
		var next []*v1alpha1.Office
		for _, s := range queue {
			if seen[Key(s)] {
				continue
			}
			seen[Key(s)] = true
			pfs, _, err := Children[*v1alpha1.Portfolio](ctx, r.Reader, s, &v1alpha1.PortfolioList{}, IndexOfficeRef)
			if err != nil {
				return nil, err
			}
			for _, pf := range pfs {
				covered[Key(pf)] = true
			}
			sats, _, err := Children[*v1alpha1.Office](ctx, r.Reader, s, &v1alpha1.OfficeList{}, IndexHubRef)
			if err != nil {
				return nil, err
			}
			next = append(next, sats...)
		}
		queue = next
	}
	return covered, nil
}
