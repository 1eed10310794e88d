/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package status

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/benefits"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/health"
)

// lowerForBenefits lowers health by the benefits rule (benefits.Assess) on
// the benefits an object holds itself, under its benefits tolerance, and
// says when the verdict may next change by the passing of a due date.
func lowerForBenefits(a *health.Assessment, bs []v1alpha1.Benefit, tolerance *int32, now time.Time) time.Time {
	for _, f := range benefits.Assess(bs, benefits.Tolerance(tolerance), now) {
		a.Lower(f.Health, f.Reason())
		if f.Kind == benefits.ForecastBeyondTolerance {
			a.Exceptions = append(a.Exceptions, v1alpha1.ToleranceException{Kind: v1alpha1.ExceptionBenefits, Health: f.Health, Message: f.Reason()})
		}
	}
	return benefits.NextDue(bs, now)
}

// setBenefitsLinked sets a Project's BenefitsLinked condition from its
// contributions to its programme's benefits (benefits.Link).
func setBenefitsLinked(p *v1alpha1.Project, programme *v1alpha1.Programme) {
	links := benefits.Link(p.Spec.Benefits, programme)
	name := ""
	if programme != nil {
		name = programme.Namespace + "/" + programme.Name
	}
	state := metav1.ConditionTrue
	if !links.OK() {
		state = metav1.ConditionFalse
	}
	conditions.Set(p, v1alpha1.ConditionBenefitsLinked, state, links.Reason, links.Message(name))
}
