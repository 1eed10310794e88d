/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package policy

import "p3o.dev/p3o-operator/api/v1alpha1"

// GateTitles are the names of the OGC Gateway Reviews.
var GateTitles = map[int32]string{
	0: "Strategic assessment",
	1: "Business justification",
	2: "Delivery strategy",
	3: "Investment decision",
	4: "Readiness for service",
	5: "Operations review and benefits realisation",
}

// Profile returns the gates of a built-in profile.
//
// OGCGateway maps the OGC Gateway Review Process onto the lifecycles:
//   - Programme: gate-0 (Strategic assessment) from Defining, repeated: a
//     review satisfies it for 52 weeks, so a Delivering programme is
//     reassessed yearly.
//   - Project: gate-1 (Business justification) from Initiating; gate-2
//     (Delivery strategy) and gate-3 (Investment decision) from Delivering;
//     gate-4 (Readiness for service) from Closing; gate-5 (Operations review
//     and benefits realisation) due within 26 weeks after the project is
//     Closed.
//
// Every gate requires a Delivery Confidence of Amber or better.
func Profile(p v1alpha1.GateProfile) []v1alpha1.Gate {
	if p != v1alpha1.GateProfileOGCGateway {
		return nil
	}
	review := func(n int32, maxAge v1alpha1.Duration) *v1alpha1.ReviewRequirement {
		return &v1alpha1.ReviewRequirement{Gate: &n, MinimumConfidence: v1alpha1.ConfidenceAmber, MaxAge: maxAge}
	}
	project := []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject}
	return []v1alpha1.Gate{
		{Name: "gate-0", Description: GateTitles[0], AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProgramme},
			RequiredFrom: "Defining", Review: review(0, "52w")},
		{Name: "gate-1", Description: GateTitles[1], AppliesTo: project, RequiredFrom: "Initiating", Review: review(1, "")},
		{Name: "gate-2", Description: GateTitles[2], AppliesTo: project, RequiredFrom: "Delivering", Review: review(2, "")},
		{Name: "gate-3", Description: GateTitles[3], AppliesTo: project, RequiredFrom: "Delivering", Review: review(3, "")},
		{Name: "gate-4", Description: GateTitles[4], AppliesTo: project, RequiredFrom: "Closing", Review: review(4, "")},
		{Name: "gate-5", Description: GateTitles[5], AppliesTo: project, RequiredFrom: "Closed", DueWithin: "26w", Review: review(5, "")},
	}
}
