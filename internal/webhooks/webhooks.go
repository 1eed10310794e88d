/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package webhooks holds the validating admission webhooks:
//
//   - Projects and Programmes: spec.closedOn is never after today; under an
//     Enforce policy, entering a phase whose required gates are unmet is
//     denied, naming each missing gate and the office whose Enforce
//     applies; under Warn it is allowed with a warning per gate. Entering
//     means moving forward, being created in a phase beyond the first, or
//     changing a reference (programmeRef, portfolioRef, officeRef) so that
//     the current phase is judged under the new governance. The object is
//     judged under the offices above it as it was, as it would be, and
//     those its status says it is held to (status.heldTo), so that a
//     reference edited to something missing or more lenient never sheds a
//     gate. Edits that keep the phase and the references, or move the phase
//     back, are never blocked (teams must always be able to report bad
//     news). A subject created before its parents exist has no governance
//     yet and is admitted (GitOps applies folders in any order); a
//     reference edited to point at a governance later is judged then.
//   - Programmes and Portfolios changing a reference: every Project and
//     Programme beneath is judged in its current phase under the
//     governance it would have, where that adds an office that enforces.
//     The decisions are taken on the facts the reconciler reports, read
//     through internal/governance.
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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gopkg.in/inf.v0"
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
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-portfolio,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=portfolios,verbs=update,versions=v1alpha1,name=vportfolio.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-gatewayreview,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=gatewayreviews,verbs=create;update,versions=v1alpha1,name=vgatewayreview.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5
// +kubebuilder:webhook:path=/validate-governance-p3o-dev-v1alpha1-office,mutating=false,failurePolicy=ignore,sideEffects=None,groups=governance.p3o.dev,resources=offices,verbs=create;update,versions=v1alpha1,name=voffice.governance.p3o.dev,admissionReviewVersions=v1,timeoutSeconds=5

// Setup registers the webhooks with the manager's webhook server.
func Setup(mgr ctrl.Manager, rules *policy.Rules) error {
	gates := &gateChecker{read: governance.Reader{Reader: mgr.GetClient()}, rules: rules, now: time.Now}
	server := mgr.GetWebhookServer()
	server.Register(ProjectPath, reviewServer{&admission.Webhook{Handler: projectHandler(gates)}})
	server.Register(ProgrammePath, reviewServer{&admission.Webhook{Handler: programmeHandler(gates)}})
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Portfolio{}).WithValidator(&portfolioValidator{gates}).Complete(); err != nil {
		return fmt.Errorf("registering the Portfolio webhook: %w", err)
	}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.GatewayReview{}).WithValidator(&reviewValidator{now: time.Now}).Complete(); err != nil {
		return fmt.Errorf("registering the GatewayReview webhook: %w", err)
	}
	if err := ctrl.NewWebhookManagedBy(mgr, &v1alpha1.Office{}).WithValidator(&officeValidator{rules}).Complete(); err != nil {
		return fmt.Errorf("registering the Office webhook: %w", err)
	}
	return nil
}

// The paths of the Project and Programme webhooks (the markers above).
const (
	ProjectPath   = "/validate-governance-p3o-dev-v1alpha1-project"
	ProgrammePath = "/validate-governance-p3o-dev-v1alpha1-programme"
)

func projectHandler(gates *gateChecker) admission.Handler {
	return subjectHandler[*v1alpha1.Project]{validator: &projectValidator{gates}, new: func() *v1alpha1.Project { return &v1alpha1.Project{} }, stored: storedProject}
}

func programmeHandler(gates *gateChecker) admission.Handler {
	return subjectHandler[*v1alpha1.Programme]{validator: &programmeValidator{gates}, new: func() *v1alpha1.Programme { return &v1alpha1.Programme{} }, stored: storedProgramme}
}

type projectValidator struct{ gates *gateChecker }

func (v *projectValidator) ValidateCreate(ctx context.Context, p *v1alpha1.Project) (admission.Warnings, error) {
	if err := errors.Join(closedOnNotAhead(p.Spec.ClosedOn, v.gates.now()), listAmounts(ctx), budgetByYearWithinBudget(p)); err != nil {
		return nil, err
	}
	return v.gates.check(ctx, nil, p)
}

func (v *projectValidator) ValidateUpdate(ctx context.Context, oldObj, newObj *v1alpha1.Project) (admission.Warnings, error) {
	if err := errors.Join(closedOnNotAhead(newObj.Spec.ClosedOn, v.gates.now()), listAmounts(ctx), budgetByYearWithinBudget(newObj)); err != nil {
		return nil, err
	}
	return v.gates.check(ctx, oldObj, newObj)
}

// budgetByYearWithinBudget refuses a project's budget phased by year into
// more than its budget: the years are a split of the budget, and money
// phased beyond it would be committed in a year but not over the whole life.
// Less is fine: the rest is not phased.
func budgetByYearWithinBudget(p *v1alpha1.Project) error {
	var sum *inf.Dec
	for _, y := range p.Spec.Plan.BudgetByYear {
		money.Accumulate(&sum, money.Of(y.Amount))
	}
	budget := money.Of(p.Spec.Plan.Budget)
	if sum == nil || budget == nil || sum.Cmp(budget) <= 0 {
		return nil
	}
	return fmt.Errorf("spec.plan.budgetByYear: the years add up to %s, more than spec.plan.budget %s", money.Exact(sum), money.Exact(budget))
}

// listAmounts checks the amounts in lists (spec.benefits' levels in every
// unit, spec.tranches,
// spec.plan.budgetByYear, spec.capacityByYear) as
// they were written, with the grammar the CRD enforces on single amounts
// (money.Check): the API server cannot bound the cost of that rule in a
// list, and a decoded quantity no longer says how it was written (1.234M
// and 1234k are the same quantity; only the first is refused).
func listAmounts(ctx context.Context) error {
	req, err := admission.RequestFromContext(ctx)
	if err != nil || len(req.Object.Raw) == 0 {
		return nil // not an admission request: nothing was written
	}
	if !mentionsListAmounts(req.Object.Raw) {
		return nil // decoding a project with 128 risks to find none costs a millisecond
	}
	var obj struct {
		Spec struct {
			Benefits []struct {
				Baseline, Target, Planned, Forecast, Realised json.RawMessage
			} `json:"benefits"`
			Tranches []struct{ Budget json.RawMessage } `json:"tranches"`
			Plan     struct {
				BudgetByYear []struct{ Amount json.RawMessage } `json:"budgetByYear"`
			} `json:"plan"`
			CapacityByYear []struct{ Amount json.RawMessage } `json:"capacityByYear"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(req.Object.Raw, &obj); err != nil {
		return fmt.Errorf("reading spec amounts: %w", err)
	}
	var errs []error
	for i, b := range obj.Spec.Benefits {
		// Every unit's levels are decimal amounts in this grammar: money's
		// and also hours, percentages, counts and scores.
		for _, f := range []struct {
			name string
			raw  json.RawMessage
		}{{"baseline", b.Baseline}, {"target", b.Target}, {"planned", b.Planned}, {"forecast", b.Forecast}, {"realised", b.Realised}} {
			errs = append(errs, writtenAmount(fmt.Sprintf("spec.benefits[%d].%s", i, f.name), f.raw))
		}
	}
	for i, t := range obj.Spec.Tranches {
		errs = append(errs, writtenAmount(fmt.Sprintf("spec.tranches[%d].budget", i), t.Budget))
	}
	for i, y := range obj.Spec.Plan.BudgetByYear {
		errs = append(errs, writtenAmount(fmt.Sprintf("spec.plan.budgetByYear[%d].amount", i), y.Amount))
	}
	for i, y := range obj.Spec.CapacityByYear {
		errs = append(errs, writtenAmount(fmt.Sprintf("spec.capacityByYear[%d].amount", i), y.Amount))
	}
	return errors.Join(errs...)
}

// mentionsListAmounts reports whether an object's JSON may hold one of
// the lists listAmounts checks. The API server sends the object encoded
// afresh from what it decoded, so a key is never written with escapes
// there: a list it holds has its key in the text as is.
func mentionsListAmounts(raw []byte) bool {
	for _, key := range []string{`"benefits"`, `"tranches"`, `"budgetByYear"`, `"capacityByYear"`} {
		if bytes.Contains(raw, []byte(key)) {
			return true
		}
	}
	return false
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
	if err := programmeInput(ctx, p, v.gates.now()); err != nil {
		return nil, err
	}
	return v.gates.check(ctx, nil, p)
}

func (v *programmeValidator) ValidateUpdate(ctx context.Context, oldObj, newObj *v1alpha1.Programme) (admission.Warnings, error) {
	if err := programmeInput(ctx, newObj, v.gates.now()); err != nil {
		return nil, err
	}
	warnings, err := v.gates.check(ctx, oldObj, newObj)
	if err != nil {
		return warnings, err
	}
	beneath, err := v.gates.checkBeneath(ctx, oldObj, newObj)
	return append(warnings, beneath...), err
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
