/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package benefits

import (
	"fmt"
	"strings"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/words"
)

// Links is the verdict on a project's contributions to its programme's
// benefits (the BenefitsLinked condition).
type Links struct {
	Reason v1alpha1.ConditionReason
	// Unknown names the programmeBenefits the programme does not declare
	// (or all of them when there is no programme), in spec order.
	Unknown []string
	// Linked counts the contributions to a benefit the programme declares.
	Linked int
}

// Link checks the programmeBenefit of each of a project's benefits against
// the benefits of its programme; programme is nil when the project belongs
// to none or its programme is not resolved.
func Link(project []v1alpha1.Benefit, programme *v1alpha1.Programme) Links {
	declared := map[string]bool{}
	if programme != nil {
		for _, b := range programme.Spec.Benefits {
			declared[b.Name] = true
		}
	}
	var l Links
	for _, b := range project {
		switch {
		case b.ProgrammeBenefit == "":
		case declared[b.ProgrammeBenefit]:
			l.Linked++
		default:
			l.Unknown = append(l.Unknown, b.ProgrammeBenefit)
		}
	}
	switch {
	case l.Linked == 0 && len(l.Unknown) == 0:
		l.Reason = v1alpha1.ReasonNoContributions
	case programme == nil:
		l.Reason = v1alpha1.ReasonNoProgramme
	case len(l.Unknown) > 0:
		l.Reason = v1alpha1.ReasonUnknownBenefit
	default:
		l.Reason = v1alpha1.ReasonBenefitsLinked
	}
	return l
}

// OK reports whether the condition is True.
func (l Links) OK() bool { return len(l.Unknown) == 0 }

// Message is the condition's message.
func (l Links) Message(programme string) string {
	quoted := make([]string, len(l.Unknown))
	for i, u := range l.Unknown {
		quoted[i] = fmt.Sprintf("%q", u)
	}
	switch l.Reason {
	case v1alpha1.ReasonNoContributions:
		return "no benefit names a programme benefit"
	case v1alpha1.ReasonNoProgramme:
		return "programmeBenefit " + strings.Join(quoted, ", ") + " named, but the project belongs to no resolved programme"
	case v1alpha1.ReasonUnknownBenefit:
		return fmt.Sprintf("programme %s declares no benefit %s (spec.benefits); the contribution counts for nothing until it does", programme, strings.Join(quoted, ", "))
	}
	return words.Count(l.Linked, "contribution", "contributions") + " to benefits of programme " + programme
}
