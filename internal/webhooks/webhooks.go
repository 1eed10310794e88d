/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package webhooks holds the validating admission webhooks:
//
//   - Projects and Programmes: spec.closedOn is never after today; under an
//     Enforce policy, a change that moves
//     the object forward into a phase whose required gates are unmet is
//     denied, naming each missing gate; under Warn it is allowed with a
//     warning per gate. Creating an object is never blocked (GitOps applies
//     folders in any order, reviews may arrive after their subject), nor are
//     edits that do not change the phase (teams must always be able to
//     report bad news) or that move it back. The decision is taken on the
//     facts the reconciler reports, read through internal/governance.
//   - GatewayReviews: findings cannot be recorded on a review dated after
//     today (CEL has no clock). A review planned ahead without findings is
//     a plan, and is admitted. The controller, independently, never lets a
//     review count before its date.
//   - Offices: every gate rule must compile.
//
// The webhooks are registered with failurePolicy Ignore: when the operator
// is unavailable the API server admits the change and the controller still
// reports non-compliance in conditions. Availability of reporting wins over
// strictness of enforcement.
package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/policy"
)

// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-project,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=projects,verbs=create;update,versions=v1alpha1,name=vproject.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-programme,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=programmes,verbs=create;update,versions=v1alpha1,name=vprogramme.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-gatewayreview,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=gatewayreviews,verbs=create;update,versions=v1alpha1,name=vgatewayreview.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-office,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=offices,verbs=create;update,versions=v1alpha1,name=voffice.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5

// Setup registers the webhooks with the manager's webhook server.
func Setup(mgr ctrl.Manager, rules *policy.Rules) error {
	gates := &gateChecker{read: governance.Reader{Reader: mgr.GetClient()}, rules: rules, now: time.Now}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Project{}).WithValidator(&projectValidator{gates}).Complete(); err != nil {
		return fmt.Errorf("registering the Project webhook: %w", err)
	}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Programme{}).WithValidator(&programmeValidator{gates}).Complete(); err != nil {
		return fmt.Errorf("registering the Programme webhook: %w", err)
	}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.GatewayReview{}).WithValidator(&reviewValidator{now: time.Now}).Complete(); err != nil {
		return fmt.Errorf("registering the GatewayReview webhook: %w", err)
	}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Office{}).WithValidator(&officeValidator{rules}).Complete(); err != nil {
		return fmt.Errorf("registering the Office webhook: %w", err)
	}
	return nil
}

// gateChecker decides on phase changes.
type gateChecker struct {
	read  governance.Reader
	rules *policy.Rules
	now   func() time.Time
}

// check decides on an update of a Project or Programme. A change that keeps
// the phase, or moves it back, is never blocked. A move forward is judged on
// the facts the reconciler reports (internal/governance: references
// resolved under the attachment rules, the governing office, its effective
// policy and the subject's reviews), under the governance of the object as
// it was and as it would be, so that editing a reference in the same change
// cannot shed a gate.
func (g *gateChecker) check(ctx context.Context, oldObj, newObj client.Object) (admission.Warnings, error) {
	log := ctrl.LoggerFrom(ctx).V(1).WithValues("object", client.ObjectKeyFromObject(newObj))
	kind, oldPhase := governance.SubjectOf(oldObj)
	_, newPhase := governance.SubjectOf(newObj)
	if oldPhase == newPhase || !policy.Advances(kind, oldPhase, newPhase) {
		return nil, nil
	}
	now := g.now()
	var unmet []string
	var offices []string
	enforcement := v1alpha1.EnforcementAudit
	seen := map[string]bool{}
	for _, obj := range []client.Object{oldObj, newObj} {
		facts, err := g.read.SubjectFacts(ctx, obj)
		if err != nil {
			// Not knowing the policy never blocks a change; the controller
			// reports compliance once it does.
			log.Info("Admitting a phase change whose governance could not be read", "error", err.Error())
			return nil, nil
		}
		key := facts.Ref().String()
		if facts.Policy == nil || seen[key] {
			continue
		}
		seen[key] = true
		_, res := governance.Compliance(facts, g.rules, newObj, v1alpha1.ComplianceStatus{}, now)
		// A gate whose rule fails on the object counts as unmet here: an
		// error must never be a way through.
		failing := append(append([]string(nil), res.Unmet...), res.Unknown...)
		if len(failing) == 0 || facts.Policy.Enforcement == v1alpha1.EnforcementAudit {
			continue
		}
		offices = append(offices, key)
		enforcement = policy.Stricter(enforcement, facts.Policy.Enforcement)
		for _, u := range failing {
			if !slices.Contains(unmet, u) {
				unmet = append(unmet, u)
			}
		}
	}
	switch {
	case len(unmet) == 0:
		log.Info("Admitting a phase change: every gate it requires is met", "from", oldPhase, "to", newPhase)
		return nil, nil
	case enforcement == v1alpha1.EnforcementEnforce:
		log.Info("Denying a phase change under Enforce", "from", oldPhase, "to", newPhase, "offices", offices, "unmet", len(unmet))
		return nil, fmt.Errorf("entering phase %s requires gates that are not met (enforcement Enforce, office %s): %s",
			newPhase, strings.Join(offices, ", "), strings.Join(unmet, "; "))
	default:
		log.Info("Admitting a phase change with warnings under Warn", "from", oldPhase, "to", newPhase, "offices", offices, "unmet", len(unmet))
		warnings := make(admission.Warnings, 0, len(unmet))
		for _, u := range unmet {
			warnings = append(warnings, fmt.Sprintf("entering phase %s with an unmet gate: %s", newPhase, u))
		}
		return warnings, nil
	}
}

type projectValidator struct{ gates *gateChecker }

func (v *projectValidator) ValidateCreate(ctx context.Context, p *v1alpha1.Project) (admission.Warnings, error) {
	return nil, errors.Join(closedOnNotAhead(p.Spec.ClosedOn, v.gates.now()), listAmounts(ctx))
}

func (v *projectValidator) ValidateUpdate(ctx context.Context, oldObj, newObj *v1alpha1.Project) (admission.Warnings, error) {
	if err := errors.Join(closedOnNotAhead(newObj.Spec.ClosedOn, v.gates.now()), listAmounts(ctx)); err != nil {
		return nil, err
	}
	return v.gates.check(ctx, oldObj, newObj)
}

// listAmounts checks the amounts in lists (spec.benefits, spec.tranches) as
// they were written, with the grammar the CRD enforces on single amounts
// (money.Check): the API server cannot bound the cost of that rule in a
// list, and a decoded quantity no longer says how it was written (1.234M
// and 1234k are the same quantity; only the first is refused).
func listAmounts(ctx context.Context) error {
	req, err := admission.RequestFromContext(ctx)
	if err != nil || len(req.Object.Raw) == 0 {
		return nil // not an admission request: nothing was written
	}
	var obj struct {
		Spec struct {
			Benefits []struct{ Planned, Realised json.RawMessage } `json:"benefits"`
			Tranches []struct{ Budget json.RawMessage }            `json:"tranches"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(req.Object.Raw, &obj); err != nil {
		return fmt.Errorf("reading spec amounts: %w", err)
	}
	var errs []error
	for i, b := range obj.Spec.Benefits {
		errs = append(errs, writtenAmount(fmt.Sprintf("spec.benefits[%d].planned", i), b.Planned),
			writtenAmount(fmt.Sprintf("spec.benefits[%d].realised", i), b.Realised))
	}
	for i, t := range obj.Spec.Tranches {
		errs = append(errs, writtenAmount(fmt.Sprintf("spec.tranches[%d].budget", i), t.Budget))
	}
	return errors.Join(errs...)
}

// writtenAmount checks one amount as written: a JSON string's text, or an
// integer's digits (the API server has refused any other number).
func writtenAmount(field string, raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return fmt.Errorf("%s: %w", field, err)
		}
	}
	return money.Check(field, text)
}

func (v *projectValidator) ValidateDelete(context.Context, *v1alpha1.Project) (admission.Warnings, error) {
	return nil, nil
}

type programmeValidator struct{ gates *gateChecker }

func (v *programmeValidator) ValidateCreate(ctx context.Context, p *v1alpha1.Programme) (admission.Warnings, error) {
	return nil, programmeInput(ctx, p, v.gates.now())
}

func (v *programmeValidator) ValidateUpdate(ctx context.Context, oldObj, newObj *v1alpha1.Programme) (admission.Warnings, error) {
	if err := programmeInput(ctx, newObj, v.gates.now()); err != nil {
		return nil, err
	}
	return v.gates.check(ctx, oldObj, newObj)
}

// programmeInput checks what the CRD cannot: the closing date against
// today, and the amounts in lists.
func programmeInput(ctx context.Context, p *v1alpha1.Programme, now time.Time) error {
	return errors.Join(closedOnNotAhead(p.Spec.ClosedOn, now), listAmounts(ctx))
}

// closedOnNotAhead refuses a closing date after today: Gate 5 falls due from
// it, so dating it ahead would put off the review of benefits.
func closedOnNotAhead(closedOn v1alpha1.Date, now time.Time) error {
	if today := latestToday(now); closedOn != "" && string(closedOn) > today {
		return fmt.Errorf("spec.closedOn: %s is after today (%s): record the date the object actually closed", closedOn, today)
	}
	return nil
}

func (v *programmeValidator) ValidateDelete(context.Context, *v1alpha1.Programme) (admission.Warnings, error) {
	return nil, nil
}

// reviewValidator rejects findings recorded on a review dated ahead.
type reviewValidator struct{ now func() time.Time }

// latestToday is the last calendar date that is today somewhere on Earth
// (UTC+14): a review dated today by a team east of UTC is not "ahead".
func latestToday(now time.Time) string {
	return now.UTC().Add(14 * time.Hour).Format(time.DateOnly)
}

func (v *reviewValidator) validate(ctx context.Context, r *v1alpha1.GatewayReview) error {
	if r.Spec.Findings == nil {
		return nil
	}
	today := latestToday(v.now())
	if string(r.Spec.Date) > today {
		ctrl.LoggerFrom(ctx).V(1).Info("Denying findings on a review dated ahead", "review", client.ObjectKeyFromObject(r), "date", r.Spec.Date)
		return fmt.Errorf("spec.date: findings cannot be recorded on a review dated %s, after today (%s): record the review on or after its date, or leave spec.findings out to plan it", r.Spec.Date, today)
	}
	return nil
}

func (v *reviewValidator) ValidateCreate(ctx context.Context, r *v1alpha1.GatewayReview) (admission.Warnings, error) {
	return nil, v.validate(ctx, r)
}

func (v *reviewValidator) ValidateUpdate(ctx context.Context, _, r *v1alpha1.GatewayReview) (admission.Warnings, error) {
	return nil, v.validate(ctx, r)
}

func (v *reviewValidator) ValidateDelete(context.Context, *v1alpha1.GatewayReview) (admission.Warnings, error) {
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
	var total uint64
	for i, g := range o.Spec.Governance.Gates {
		if err := policy.Applicable(g); err != nil {
			problems = append(problems, fmt.Sprintf("spec.governance.gates[%d].requiredFrom: %v", i, err))
		}
		cost, err := v.rules.CheckGate(g)
		if err != nil {
			problems = append(problems, fmt.Sprintf("spec.governance.gates[%d].rule.expression: %v", i, err))
		}
		total += cost
	}
	if total > policy.CostBudget {
		problems = append(problems, fmt.Sprintf("spec.governance.gates: the rules' estimated cost together, %d, exceeds the budget %d for one object's rules by a factor of %.1f",
			total, policy.CostBudget, float64(total)/policy.CostBudget))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}
