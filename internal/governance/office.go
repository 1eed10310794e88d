/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package governance

import (
	"context"
	"fmt"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/hierarchy"
	"p3o.dev/p3o-operator/internal/policy"
)

// MaxHubDepth bounds how far a hub chain is followed.
const MaxHubDepth = 16

// Governance is the Office that governs an object and the policy it is
// held to. The zero value means no governing office is resolved (yet).
type Governance struct {
	// Office is the primary governing Office (its own officeRef's when that
	// resolves, else the nearest one it inherits); nil while none is
	// resolved. Its currency is the object's unless the object states or
	// recorded another.
	Office *v1alpha1.Office
	// Policy combines the effective policies (each along its hub chain) of
	// every office above the object and every office it is held to
	// (status.heldTo), tighten-only; nil while there is none.
	Policy *policy.Policy
	// Complete is true when every reference on the way up (the object's,
	// its programme's and its portfolio's) resolved and was admitted.
	Complete bool
	// HeldTo is what the object's status.heldTo becomes: the offices above
	// it now once Complete, unless those are more lenient than the ones it
	// was held to, which then stay too; unchanged while not Complete.
	HeldTo []v1alpha1.ObjectReference
	// Enforcing names the offices ("namespace/name") whose policy sets
	// Enforce, along the hub chains of the offices that govern the object.
	Enforcing []string
}

// Ref is the governing office as a status reference; nil while none.
func (g Governance) Ref() *v1alpha1.ObjectReference {
	if g.Office == nil {
		return nil
	}
	return &v1alpha1.ObjectReference{Namespace: g.Office.Namespace, Name: g.Office.Name}
}

// HealthPolicy is the thresholds that derive health: the office's, or the
// defaults while none governs.
func (g Governance) HealthPolicy() health.Policy {
	if g.Policy == nil {
		return health.DefaultPolicy
	}
	return g.Policy.Health
}

// Currency is the governing office's currency; the default while none.
func (g Governance) Currency() v1alpha1.Currency {
	return CurrencyOf(g.Office)
}

// CurrencyOf is the currency an office names, or the default.
func CurrencyOf(office *v1alpha1.Office) v1alpha1.Currency {
	if office == nil || office.Spec.Currency == "" {
		return v1alpha1.DefaultCurrency
	}
	return office.Spec.Currency
}

// Chain is an office's hub chain.
type Chain struct {
	// Offices run from the root hub down to the office itself.
	Offices []*v1alpha1.Office
	// Loop describes a hubRef chain that loops or runs longer than
	// MaxHubDepth; Offices then holds the office alone.
	Loop string
}

// Root is the root hub of a chain longer than the office itself; nil else.
func (c Chain) Root() *v1alpha1.ObjectReference {
	if len(c.Offices) < 2 {
		return nil
	}
	return &v1alpha1.ObjectReference{Namespace: c.Offices[0].Namespace, Name: c.Offices[0].Name}
}

// OfficeChain follows hubRef from an office up to its root. A missing hub
// ends the chain where it is.
func (r Reader) OfficeChain(ctx context.Context, office *v1alpha1.Office) (Chain, error) {
	start := Key(office)
	seen := map[string]bool{start: true}
	path := []string{start}
	chain := []*v1alpha1.Office{office}
	current := office
	for range MaxHubDepth {
		if current.Spec.HubRef == nil {
			return Chain{Offices: reverse(chain)}, nil
		}
		key := Target(*current.Spec.HubRef, current.Namespace)
		path = append(path, key.String())
		if seen[key.String()] {
			return Chain{Offices: []*v1alpha1.Office{office}, Loop: "hubRef chain loops: " + strings.Join(path, " → ")}, nil
		}
		seen[key.String()] = true
		next := &v1alpha1.Office{}
		if err := r.Get(ctx, key, next); err != nil {
			if apierrors.IsNotFound(err) {
				return Chain{Offices: reverse(chain)}, nil
			}
			return Chain{}, fmt.Errorf("following the hub chain to %s: %w", key, err)
		}
		chain = append(chain, next)
		current = next
	}
	return Chain{Offices: []*v1alpha1.Office{office},
		Loop: fmt.Sprintf("hubRef chain is longer than %d offices: %s", MaxHubDepth, strings.Join(path, " → "))}, nil
}

func reverse(chain []*v1alpha1.Office) []*v1alpha1.Office {
	out := make([]*v1alpha1.Office, len(chain))
	for i, o := range chain {
		out[len(chain)-1-i] = o
	}
	return out
}

// governanceOf fetches the offices above an object (primary first, then
// the others; missing ones are skipped) and those it is held to, and
// combines their effective policies, each along its own hub chain.
// Governance.Office is the primary office that still exists.
func (r Reader) governanceOf(ctx context.Context, above officesAbove, heldTo []v1alpha1.ObjectReference) (Governance, error) {
	g := Governance{Complete: above.complete}
	seen := map[types.NamespacedName]bool{}
	now, err := r.policiesOf(ctx, above.all(), seen, &g)
	if err != nil {
		return Governance{}, err
	}
	held, err := r.policiesOf(ctx, referenceKeys(heldTo), seen, &g)
	if err != nil {
		return Governance{}, err
	}
	if all := append(now.policies, held.policies...); len(all) > 0 {
		combined := policy.Combine(all...)
		g.Policy = &combined
	}
	switch {
	case !g.Complete:
		g.HeldTo = heldTo
	case len(held.policies) == 0 || policy.Covers(policy.Combine(now.policies...), policy.Combine(held.policies...)):
		g.HeldTo = now.refs
	default:
		g.HeldTo = unionRefs(heldTo, now.refs)
	}
	return g, nil
}

// officePolicies are the offices found and their effective policies.
type officePolicies struct {
	refs     []v1alpha1.ObjectReference
	policies []policy.Policy
}

// policiesOf fetches offices (missing ones, and those seen before, are
// skipped) with their hub chains; the first found becomes g.Office when none is yet, and those
// that enforce are added to g.Enforcing.
func (r Reader) policiesOf(ctx context.Context, keys []types.NamespacedName, seen map[types.NamespacedName]bool, g *Governance) (officePolicies, error) {
	var out officePolicies
	for _, key := range keys {
		if seen[key] {
			continue
		}
		seen[key] = true
		office := &v1alpha1.Office{}
		if err := r.Get(ctx, key, office); err != nil {
			if apierrors.IsNotFound(err) {
				continue
			}
			return officePolicies{}, fmt.Errorf("getting office %s: %w", key, err)
		}
		chain, err := r.OfficeChain(ctx, office)
		if err != nil {
			return officePolicies{}, err
		}
		if g.Office == nil {
			g.Office = office
		}
		for _, o := range chain.Offices {
			if k := Key(o); o.Spec.Governance.Enforcement == v1alpha1.EnforcementEnforce && !slices.Contains(g.Enforcing, k) {
				g.Enforcing = append(g.Enforcing, k)
			}
		}
		out.refs = append(out.refs, v1alpha1.ObjectReference{Namespace: key.Namespace, Name: key.Name})
		out.policies = append(out.policies, policy.Effective(chain.Offices))
	}
	return out, nil
}

// referenceKeys are the keys of status references.
func referenceKeys(refs []v1alpha1.ObjectReference) []types.NamespacedName {
	out := make([]types.NamespacedName, 0, len(refs))
	for _, ref := range refs {
		out = append(out, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name})
	}
	return out
}

// maxHeldTo is status.heldTo's MaxItems.
const maxHeldTo = 16

// unionRefs is a followed by those of b it lacks, at most maxHeldTo.
func unionRefs(a, b []v1alpha1.ObjectReference) []v1alpha1.ObjectReference {
	out := append([]v1alpha1.ObjectReference(nil), a...)
	for _, ref := range b {
		if !slices.Contains(out, ref) && len(out) < maxHeldTo {
			out = append(out, ref)
		}
	}
	return out
}

// Facts are what governs one object, as read from the cache.
type Facts struct {
	// Resolutions are the outcomes of the object's own references.
	Resolutions []hierarchy.Resolution
	// Governance is the governing office and its policy.
	Governance
	// Reviews are the subject's admitted GatewayReviews (Projects and
	// Programmes only).
	Reviews []policy.Review
	// Portfolio is the Portfolio a Programme or Project belongs to
	// (directly, or through the project's programme) when every reference
	// on the way resolves and admits it; nil otherwise. The cache's object:
	// read it, never modify it.
	Portfolio *v1alpha1.Portfolio
	// Programme is the Programme a Project belongs to when its programmeRef
	// resolves and admits it; nil otherwise (and for Programmes). The
	// cache's object: read it, never modify it.
	Programme *v1alpha1.Programme
	// Dependencies are the subject's spec.dependsOn with what was read of
	// each provider (Reader.Dependencies; the reconcilers read them, the
	// webhooks do not need them).
	Dependencies []DependencyFact
}

// officesAbove are the offices that govern an object: the primary one (its
// own officeRef when that resolves, else the nearest one it inherits) and
// every other office above it. A reference that does not resolve adds
// nothing and removes nothing.
type officesAbove struct {
	primary *types.NamespacedName
	others  []types.NamespacedName
	// complete is true when every reference on the way up resolved.
	complete bool
}

func (a officesAbove) all() []types.NamespacedName {
	var out []types.NamespacedName
	if a.primary != nil {
		out = append(out, *a.primary)
	}
	return append(out, a.others...)
}

// with adds the offices an object inherits from a parent: its own, if it
// names one that resolves, stays primary.
func (a officesAbove) with(inherited officesAbove) officesAbove {
	if a.primary == nil {
		a.primary, inherited.primary = inherited.primary, nil
	}
	a.others = append(a.others, inherited.all()...)
	a.complete = a.complete && inherited.complete
	return a
}

// ownOffice is the office an object's own officeRef resolves to.
// It is complete when every one of the object's references resolved.
func ownOffice(resolutions []hierarchy.Resolution) officesAbove {
	above := officesAbove{complete: true}
	for _, r := range resolutions {
		above.complete = above.complete && r.Outcome == hierarchy.Resolved
	}
	if key, ok := Resolved(resolutions, FieldOfficeRef); ok {
		above.primary = &key
	}
	return above
}

// portfolioOffices are the offices of a fetched Portfolio.
func (r Reader) portfolioOffices(ctx context.Context, pf *v1alpha1.Portfolio) ([]hierarchy.Resolution, officesAbove, error) {
	resolutions, err := r.ResolveAll(ctx, pf.Namespace, Ref{FieldOfficeRef, "Office", &pf.Spec.OfficeRef, &v1alpha1.Office{}})
	if err != nil {
		return nil, officesAbove{}, err
	}
	return resolutions, ownOffice(resolutions), nil
}

// programmeOffices are the offices above a fetched Programme: its own
// officeRef's and its portfolio's. They follow the specs, not the parents'
// status, so that children know their offices on the first pass whatever
// order the objects are reconciled in.
func (r Reader) programmeOffices(ctx context.Context, prog *v1alpha1.Programme) ([]hierarchy.Resolution, officesAbove, *v1alpha1.Portfolio, error) {
	portfolio := &v1alpha1.Portfolio{}
	resolutions, err := r.ResolveAll(ctx, prog.Namespace,
		Ref{FieldPortfolioRef, "Portfolio", &prog.Spec.PortfolioRef, portfolio},
		Ref{FieldOfficeRef, "Office", prog.Spec.OfficeRef, &v1alpha1.Office{}},
	)
	if err != nil {
		return nil, officesAbove{}, nil, err
	}
	above := ownOffice(resolutions)
	if _, ok := Resolved(resolutions, FieldPortfolioRef); ok {
		_, inherited, err := r.portfolioOffices(ctx, portfolio)
		if err != nil {
			return nil, officesAbove{}, nil, err
		}
		return resolutions, above.with(inherited), portfolio, nil
	}
	return resolutions, above, nil, nil
}

// projectOffices are the offices above a fetched Project: its own
// officeRef's, and its programme's or portfolio's.
func (r Reader) projectOffices(ctx context.Context, p *v1alpha1.Project) ([]hierarchy.Resolution, officesAbove, *v1alpha1.Portfolio, *v1alpha1.Programme, error) {
	programme, portfolio := &v1alpha1.Programme{}, &v1alpha1.Portfolio{}
	resolutions, err := r.ResolveAll(ctx, p.Namespace,
		Ref{FieldProgrammeRef, "Programme", p.Spec.ProgrammeRef, programme},
		Ref{FieldPortfolioRef, "Portfolio", p.Spec.PortfolioRef, portfolio},
		Ref{FieldOfficeRef, "Office", p.Spec.OfficeRef, &v1alpha1.Office{}},
	)
	if err != nil {
		return nil, officesAbove{}, nil, nil, err
	}
	above := ownOffice(resolutions)
	var inherited officesAbove
	var inPortfolio *v1alpha1.Portfolio
	var inProgramme *v1alpha1.Programme
	if _, ok := Resolved(resolutions, FieldProgrammeRef); ok {
		_, inherited, inPortfolio, err = r.programmeOffices(ctx, programme)
		inProgramme = programme
	} else if _, ok := Resolved(resolutions, FieldPortfolioRef); ok {
		_, inherited, err = r.portfolioOffices(ctx, portfolio)
		inPortfolio = portfolio
	} else {
		inherited.complete = false // no parent resolved
	}
	if err != nil {
		return nil, officesAbove{}, nil, nil, err
	}
	return resolutions, above.with(inherited), inPortfolio, inProgramme, nil
}

// PortfolioFacts reads what governs a Portfolio.
func (r Reader) PortfolioFacts(ctx context.Context, pf *v1alpha1.Portfolio) (Facts, error) {
	resolutions, above, err := r.portfolioOffices(ctx, pf)
	if err != nil {
		return Facts{}, err
	}
	g, err := r.governanceOf(ctx, above, nil)
	return Facts{Resolutions: resolutions, Governance: g}, err
}

// SubjectFacts reads what governs a Project or Programme: its references,
// the offices above it and their combined policy, and its reviews. The
// reconcilers report on these facts and the webhooks decide on them.
func (r Reader) SubjectFacts(ctx context.Context, subject client.Object) (Facts, error) {
	var resolutions []hierarchy.Resolution
	var above officesAbove
	var heldTo []v1alpha1.ObjectReference
	var portfolio *v1alpha1.Portfolio
	var programme *v1alpha1.Programme
	var err error
	switch s := subject.(type) {
	case *v1alpha1.Project:
		resolutions, above, portfolio, programme, err = r.projectOffices(ctx, s)
		heldTo = s.Status.HeldTo
	case *v1alpha1.Programme:
		resolutions, above, portfolio, err = r.programmeOffices(ctx, s)
		heldTo = s.Status.HeldTo
	default:
		return Facts{}, fmt.Errorf("%T is not a Project or Programme", subject)
	}
	if err != nil {
		return Facts{}, err
	}
	g, err := r.governanceOf(ctx, above, heldTo)
	if err != nil {
		return Facts{}, err
	}
	reviews, err := r.Reviews(ctx, subject)
	if err != nil {
		return Facts{}, err
	}
	return Facts{Resolutions: resolutions, Governance: g, Reviews: reviews, Portfolio: portfolio, Programme: programme}, nil
}

// Reviews lists the GatewayReviews of a Project or Programme that it
// admits, for gate evaluation.
func (r Reader) Reviews(ctx context.Context, subject client.Object) ([]policy.Review, error) {
	reviews, _, err := Children[*v1alpha1.GatewayReview](ctx, r.Reader, subject, &v1alpha1.GatewayReviewList{}, IndexSubjectRef)
	if err != nil {
		return nil, err
	}
	out := make([]policy.Review, 0, len(reviews))
	for _, rv := range reviews {
		date, err := rv.Spec.Date.Time()
		if err != nil {
			continue // the schema validates dates; an unparsable one cannot satisfy a gate
		}
		review := policy.Review{Namespace: rv.Namespace, Name: rv.Name, Gate: rv.Spec.GateNumber(), Date: date}
		if rv.Spec.Findings != nil {
			review.Confidence, review.Scale = rv.Spec.Findings.DeliveryConfidence, rv.Spec.Findings.Scale
		}
		out = append(out, review)
	}
	return out, nil
}

// OfficeFacts are what an Office's status follows from.
type OfficeFacts struct {
	// Resolutions are the outcomes of spec.hubRef and spec.supportedObjectRef.
	Resolutions []hierarchy.Resolution
	// SupportedPhase is the phase of the resolved supported object, if any.
	SupportedPhase string
	// Supported is the resolved supported Project or Programme, if any (the
	// cache's object: read it, never modify it).
	Supported client.Object
	// Chain is the office's hub chain.
	Chain Chain
	// Policy is the office's effective policy.
	Policy policy.Policy
}

// OfficeFacts reads what an Office's own status follows from.
func (r Reader) OfficeFacts(ctx context.Context, office *v1alpha1.Office) (OfficeFacts, error) {
	supported := SubjectRef(FieldSupportedObjectRef, office.Spec.SupportedObjectRef)
	resolutions, err := r.ResolveAll(ctx, office.Namespace, Ref{FieldHubRef, "Office", office.Spec.HubRef, &v1alpha1.Office{}}, supported)
	if err != nil {
		return OfficeFacts{}, err
	}
	facts := OfficeFacts{Resolutions: resolutions}
	if _, ok := Resolved(resolutions, FieldSupportedObjectRef); ok {
		facts.SupportedPhase = phaseOf(supported.Parent)
		facts.Supported = supported.Parent
	}
	if facts.Chain, err = r.OfficeChain(ctx, office); err != nil {
		return OfficeFacts{}, err
	}
	facts.Policy = policy.Effective(facts.Chain.Offices)
	return facts, nil
}

// phaseOf returns the phase of a fetched Project or Programme.
func phaseOf(obj client.Object) string {
	switch o := obj.(type) {
	case *v1alpha1.Project:
		return string(o.Spec.Phase)
	case *v1alpha1.Programme:
		return string(o.Spec.Phase)
	}
	return ""
}
