/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package webhooks holds the validating admission webhooks:
//
//   - Projects and Programmes: under an Enforce policy, a change that moves
//     the object into a phase whose required gates are unmet is denied,
//     naming each missing gate; under Warn it is allowed with a warning per
//     gate. Creating an object is never blocked (GitOps applies folders in
//     any order, reviews may arrive after their subject), and edits that do
//     not change the phase are never blocked (teams must always be able to
//     report bad news).
//   - Offices: every gate rule must compile.
//
// The webhooks are registered with failurePolicy Ignore: when the operator
// is unavailable the API server admits the change and the controller still
// reports non-compliance in conditions. Availability of reporting wins over
// strictness of enforcement.
package webhooks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/controllers"
	"p3o.dev/p3o-operator/internal/policy"
)

// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-project,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=projects,verbs=update,versions=v1alpha1,name=vproject.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-programme,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=programmes,verbs=update,versions=v1alpha1,name=vprogramme.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-office,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=offices,verbs=create;update,versions=v1alpha1,name=voffice.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5

// Setup registers the webhooks with the manager's webhook server.
func Setup(mgr ctrl.Manager, rules *policy.Rules) error {
	gates := &gateChecker{client: mgr.GetClient(), rules: rules, now: time.Now}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Project{}).WithValidator(&projectValidator{gates}).Complete(); err != nil {
		return fmt.Errorf("registering the Project webhook: %w", err)
	}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Programme{}).WithValidator(&programmeValidator{gates}).Complete(); err != nil {
		return fmt.Errorf("registering the Programme webhook: %w", err)
	}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Office{}).WithValidator(&officeValidator{rules}).Complete(); err != nil {
		return fmt.Errorf("registering the Office webhook: %w", err)
	}
	return nil
}

// gateChecker decides on phase changes.
type gateChecker struct {
	client client.Reader
	rules  *policy.Rules
	now    func() time.Time
}

// check evaluates the gates of the phase an object moves into. officeKey is
// the governing office the controller last reported for the object.
func (g *gateChecker) check(ctx context.Context, kind v1alpha1.SubjectKind, obj client.Object, officeKey, oldPhase, newPhase string) (admission.Warnings, error) {
	if oldPhase == newPhase || officeKey == "" {
		return nil, nil
	}
	p, err := controllers.EffectivePolicy(ctx, g.client, officeKey)
	if err != nil || p == nil || p.Enforcement == v1alpha1.EnforcementAudit {
		// Not knowing the policy never blocks a change; the controller
		// reports compliance once it does.
		return nil, nil
	}
	reviews, err := controllers.ReviewsOf(ctx, g.client, obj, kind)
	if err != nil {
		return nil, nil
	}
	object, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, nil
	}
	now := g.now()
	res := policy.Evaluate(*p, g.rules, policy.Subject{Kind: kind, Phase: newPhase, PhaseSince: now, Reviews: reviews, Object: object}, now)
	if len(res.Unmet) == 0 {
		return nil, nil
	}
	if p.Enforcement == v1alpha1.EnforcementEnforce {
		return nil, fmt.Errorf("entering phase %s requires gates that are not met (enforcement Enforce, office %s): %s",
			newPhase, officeKey, strings.Join(res.Unmet, "; "))
	}
	warnings := make(admission.Warnings, 0, len(res.Unmet))
	for _, unmet := range res.Unmet {
		warnings = append(warnings, fmt.Sprintf("entering phase %s with an unmet gate: %s", newPhase, unmet))
	}
	return warnings, nil
}

// governingOffice is the office an object is governed by: the one it names,
// else the one the controller reported in status.
func governingOffice(ns string, ref *v1alpha1.ParentReference, reported string) string {
	if ref != nil {
		return ref.NamespaceOr(ns) + "/" + string(ref.Name)
	}
	return reported
}

type projectValidator struct{ gates *gateChecker }

func (v *projectValidator) ValidateCreate(context.Context, *v1alpha1.Project) (admission.Warnings, error) {
	return nil, nil
}

func (v *projectValidator) ValidateUpdate(ctx context.Context, oldObj, newObj *v1alpha1.Project) (admission.Warnings, error) {
	office := governingOffice(newObj.Namespace, newObj.Spec.OfficeRef, oldObj.Status.Office)
	return v.gates.check(ctx, v1alpha1.SubjectKindProject, newObj, office, string(oldObj.Spec.Phase), string(newObj.Spec.Phase))
}

func (v *projectValidator) ValidateDelete(context.Context, *v1alpha1.Project) (admission.Warnings, error) {
	return nil, nil
}

type programmeValidator struct{ gates *gateChecker }

func (v *programmeValidator) ValidateCreate(context.Context, *v1alpha1.Programme) (admission.Warnings, error) {
	return nil, nil
}

func (v *programmeValidator) ValidateUpdate(ctx context.Context, oldObj, newObj *v1alpha1.Programme) (admission.Warnings, error) {
	office := governingOffice(newObj.Namespace, newObj.Spec.OfficeRef, oldObj.Status.Office)
	return v.gates.check(ctx, v1alpha1.SubjectKindProgramme, newObj, office, string(oldObj.Spec.Phase), string(newObj.Spec.Phase))
}

func (v *programmeValidator) ValidateDelete(context.Context, *v1alpha1.Programme) (admission.Warnings, error) {
	return nil, nil
}

// officeValidator rejects gate rules that do not compile.
type officeValidator struct{ rules *policy.Rules }

func (v *officeValidator) ValidateCreate(_ context.Context, o *v1alpha1.Office) (admission.Warnings, error) {
	return nil, v.validate(o)
}

func (v *officeValidator) ValidateUpdate(_ context.Context, _, o *v1alpha1.Office) (admission.Warnings, error) {
	return nil, v.validate(o)
}

func (v *officeValidator) ValidateDelete(context.Context, *v1alpha1.Office) (admission.Warnings, error) {
	return nil, nil
}

func (v *officeValidator) validate(o *v1alpha1.Office) error {
	var problems []string
	for i, g := range o.Spec.Governance.Gates {
		if g.Rule == nil {
			continue
		}
		if err := v.rules.Check(g.Rule.Expression); err != nil {
			problems = append(problems, fmt.Sprintf("spec.governance.gates[%d].rule.expression: %v", i, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}
