/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/report"
)

// maxHubDepth bounds how far a hub chain is followed.
const maxHubDepth = 16

// OfficeReconciler reconciles Offices: it resolves a Satellite's hub (and
// detects hub chains that loop) and the object a Temporary or ProjectSupport
// office supports, marks such an office retired when that object closes, and
// rolls up its Portfolios and satellite Offices.
type OfficeReconciler struct {
	client.Client
	Recorder recorder.EventRecorder
	// Rules compiles the gates' CEL rules, to report those that do not.
	Rules *policy.Rules
	// Reports publishes the report ConfigMaps.
	Reports *publisher
	// Deferrals hold rollups back while children are pending.
	Deferrals *deferrals
}

// +kubebuilder:rbac:groups=governance.p3o.dev,resources=offices,verbs=get;list;watch
// +kubebuilder:rbac:groups=governance.p3o.dev,resources=offices/status,verbs=get;update;patch

// Reconcile brings one Office's status up to date.
func (r *OfficeReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, req.NamespacedName, &v1alpha1.Office{}, r.update)
}

func (r *OfficeReconciler) update(ctx context.Context, office *v1alpha1.Office) (ctrl.Result, error) {
	supported := subjectRef("spec.supportedObjectRef", office.Spec.SupportedObjectRef)
	resolutions, err := resolver{r.Client}.resolveAll(ctx, office.Namespace,
		parentRef{"spec.hubRef", "Office", office.Spec.HubRef, &v1alpha1.Office{}},
		supported,
	)
	if err != nil {
		return ctrl.Result{}, err
	}
	obs := officeObservation{resolutions: resolutions}
	if resolvedKey(resolutions, supported.field) != "" {
		obs.supportedPhase = phaseOf(supported.parent)
	}
	chain, loop, err := officeChain(ctx, r.Client, office)
	if err != nil {
		return ctrl.Result{}, err
	}
	obs.hubLoop = loop
	if len(chain) > 1 {
		obs.hub = byKey(chain[0])
	}
	obs.policy = policy.Effective(chain)
	obs.ruleErrors = r.checkRules(obs.policy)

	key := byKey(office)
	portfolios, refusedPortfolios, err := children(ctx, r.Client, office, &v1alpha1.PortfolioList{}, IndexOfficeRef, key)
	if err != nil {
		return ctrl.Result{}, err
	}
	obs.portfolios, obs.refused = as[*v1alpha1.Portfolio](portfolios), refusedPortfolios
	// An office in a loop adds up no satellites: they would count themselves.
	if obs.hubLoop == "" {
		satellites, refusedSatellites, err := children(ctx, r.Client, office, &v1alpha1.OfficeList{}, IndexHubRef, key)
		if err != nil {
			return ctrl.Result{}, err
		}
		obs.satellites, obs.refused = as[*v1alpha1.Office](satellites), obs.refused+refusedSatellites
	}
	before := office.DeepCopy()
	pendingChildren := anyPending(obs.portfolios, portfolioObserved, true) || anyPending(obs.satellites, officeObserved, true)
	if r.Deferrals.wait(byKey(office), pendingChildren, time.Now()) {
		return ctrl.Result{RequeueAfter: DeferralRecheck}, nil
	}
	setOfficeStatus(office, obs)
	recordTransitions(r.Recorder, before, office, before.Status.Rollup.Health, office.Status.Rollup.Health, causeReason(office.Status.Rollup))

	wait, err := r.Reports.publish(ctx, office, "Office", office.Spec.Reports, true, func() (report.Input, error) {
		programmes, projects, err := officeContents(ctx, r.Client, office, obs.portfolios, obs.satellites)
		return report.Input{Kind: "Office", Namespace: office.Namespace, Name: office.Name, Health: office.Status.Rollup.Health,
			Rollup: office.Status.Rollup, Programmes: programmes, Projects: projects}, err
	})
	summarise(office, v1alpha1.ConditionParentResolved, v1alpha1.ConditionPolicyValid, ConditionRolledUp)
	return ctrl.Result{RequeueAfter: wait}, err
}

// checkRules compiles every rule of a policy and describes those that do
// not compile.
func (r *OfficeReconciler) checkRules(p policy.Policy) []string {
	var out []string
	for _, g := range p.Gates {
		if g.Rule == nil {
			continue
		}
		if err := r.Rules.Check(g.Rule.Expression); err != nil {
			out = append(out, fmt.Sprintf("gate %s: rule %v", g.Name, err))
		}
	}
	return out
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

// SetupWithManager registers the reconciler and its watches: an Office is
// requeued when it changes; when one of its Portfolios or
// satellites changes (spec or status: that is what it rolls up); when its
// hub changes (the hub chain); when the object it supports appears, goes or
// changes its spec; and when the labels of its namespace change.
func (r *OfficeReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	newList := func() client.ObjectList { return &v1alpha1.OfficeList{} }
	specChanged := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	rollups := newCoalescer(RollupWindow, r.Deferrals)
	satellitesOfHub := referrersOf(r.Client, newList, IndexHubRef, byKey)
	hubOfSatellite := parentsOf(func(obj client.Object) []types.NamespacedName {
		o := obj.(*v1alpha1.Office)
		if o.Spec.HubRef == nil {
			return nil
		}
		return []types.NamespacedName{refTarget(*o.Spec.HubRef, o.Namespace)}
	})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Office{}).
		Watches(&v1alpha1.Office{}, handler.EnqueueRequestsFromMapFunc(satellitesOfHub), specChanged).
		Watches(&v1alpha1.Office{}, rollups.toParents(hubOfSatellite)).
		Watches(&v1alpha1.Portfolio{}, rollups.toParents(parentsOf(portfolioOffice))).
		Watches(&v1alpha1.Programme{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexSupportedObjectRef, subjectKeyOf(v1alpha1.SubjectKindProgramme))), specChanged).
		Watches(&v1alpha1.Project{}, handler.EnqueueRequestsFromMapFunc(referrersOf(r.Client, newList, IndexSupportedObjectRef, subjectKeyOf(v1alpha1.SubjectKindProject))), specChanged).
		Watches(&corev1.Namespace{}, handler.EnqueueRequestsFromMapFunc(objectsInNamespace(r.Client, newList)), builder.WithPredicates(predicate.LabelChangedPredicate{})).
		Owns(&corev1.ConfigMap{}).
		Named("office").
		WithOptions(opts).
		Complete(r)
}
