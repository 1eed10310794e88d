/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/rollup"
)

// OfficeChildren are what an Office rolls up (governance.Reader.OfficeChildren).
type OfficeChildren = governance.OfficeChildren

// SetOffice computes an Office's status: its hub chain, retirement, the
// effective policy and whether its rules compile (ruleErrors describe those
// that do not), and the rollup of its portfolios and satellites.
func SetOffice(o *v1alpha1.Office, facts governance.OfficeFacts, ruleErrors []string, children OfficeChildren) Outcome {
	before := o.Status.DeepCopy()
	beforeObj := &v1alpha1.Office{Status: *before}
	setParentResolved(o, facts.Resolutions)
	if facts.Chain.Loop != "" {
		conditions.Set(o, v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonHubLoop, facts.Chain.Loop)
	}
	o.Status.Hub = facts.Chain.Root()
	setRetired(o, facts.SupportedPhase)
	setPolicyValid(o, facts.Policy, ruleErrors)

	b := rollup.New(governance.CurrencyOf(o)).WithFinancialYearStart(int(o.Spec.FinancialYearStart))
	for _, p := range children.Portfolios {
		b.AddPortfolio(p.Status.Rollup, money.Value(p.Status.Committed))
	}
	for _, s := range children.Satellites {
		b.AddSatellite(s.Status.Rollup, nil)
	}
	addChildren(b, children.Programmes, children.Projects, children.Refused)
	res := b.Build()
	o.Status.Rollup = res.Rollup
	o.Status.Rollup.Money.Display = rollupDisplay(res.Rollup.Money)
	setRolledUp(o, res, kindCount{len(children.Portfolios), "portfolio", "portfolios"},
		kindCount{len(children.Satellites), "satellite office", "satellite offices"},
		kindCount{len(children.Programmes), "programme", "programmes"},
		kindCount{len(children.Projects), "project", "projects"})

	o.Status.ObservedGeneration = o.Generation
	return Outcome{Events: transitions(beforeObj, o, before.Rollup.Health, o.Status.Rollup.Health, Causes(o.Status.Rollup))}
}

// setRetired marks a Temporary or ProjectSupport office retired once the
// object it supports is Closed. Other types carry no Retired condition.
func setRetired(o *v1alpha1.Office, supportedPhase string) {
	if o.Spec.SupportedObjectRef == nil {
		conditions.Delete(o, v1alpha1.ConditionRetired)
		return
	}
	ref := o.Spec.SupportedObjectRef
	switch {
	case supportedPhase == "":
		conditions.Set(o, v1alpha1.ConditionRetired, metav1.ConditionUnknown, v1alpha1.ReasonParentNotFound,
			"the supported "+string(ref.Kind)+" is not resolved")
	case supportedPhase == string(v1alpha1.ProjectClosed):
		conditions.Set(o, v1alpha1.ConditionRetired, metav1.ConditionTrue, v1alpha1.ReasonSupportedObjectClosed,
			"the supported "+string(ref.Kind)+" "+string(ref.Name)+" is Closed")
	default:
		conditions.Set(o, v1alpha1.ConditionRetired, metav1.ConditionFalse, v1alpha1.ReasonSupportedObjectActive,
			"the supported "+string(ref.Kind)+" "+string(ref.Name)+" is "+supportedPhase)
	}
}

// setPolicyValid records the office's effective policy and whether it is
// usable as written.
func setPolicyValid(o *v1alpha1.Office, p policy.Policy, ruleErrors []string) {
	o.Status.Enforcement = p.Enforcement
	o.Status.Gates, o.Status.GatesNotListed = p.Names(), 0
	if n := len(o.Status.Gates); n > v1alpha1.GatesMaxItems {
		o.Status.Gates, o.Status.GatesNotListed = o.Status.Gates[:v1alpha1.GatesMaxItems], int32(n-v1alpha1.GatesMaxItems)
	}
	o.Status.PolicyDigest = Digest(p)
	switch {
	case len(ruleErrors) > 0:
		conditions.Set(o, v1alpha1.ConditionPolicyValid, metav1.ConditionFalse, v1alpha1.ReasonInvalidRule, strings.Join(ruleErrors, "; "))
	case len(p.Ignored) > 0:
		conditions.Set(o, v1alpha1.ConditionPolicyValid, metav1.ConditionTrue, v1alpha1.ReasonLooserSettingsIgnored,
			"the hub's settings apply instead of: "+strings.Join(p.Ignored, "; "))
	default:
		conditions.Set(o, v1alpha1.ConditionPolicyValid, metav1.ConditionTrue, v1alpha1.ReasonPolicyValid,
			fmt.Sprintf("%d gates, enforcement %s", len(p.Gates), p.Enforcement))
	}
}

// Digest is a short, stable identifier of an effective policy: objects an
// office governs are looked at again when it changes.
func Digest(p policy.Policy) string {
	data, _ := json.Marshal(struct {
		E v1alpha1.Enforcement
		G []v1alpha1.Gate
		H health.Policy
	}{p.Enforcement, p.Gates, p.Health})
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// RuleErrors checks every gate of a policy (its rule compiles and stays
// within the cost limit; it can apply at all) and describes those that do
// not pass.
func RuleErrors(p policy.Policy, rules *policy.Rules) []string {
	var out []string
	for _, g := range p.Gates {
		if err := policy.Applicable(g); err != nil {
			out = append(out, fmt.Sprintf("gate %s: %v", g.Name, err))
		}
		if _, err := rules.CheckGate(g); err != nil {
			out = append(out, fmt.Sprintf("gate %s: rule %v", g.Name, err))
		}
	}
	return out
}
