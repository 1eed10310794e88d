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
// OGCGateway maps the OGC Gateway Review Process onto the lifecycles, each
// gate where OGC's guidance places it. The sources are OGC's "OGC Gateway
// Process" and its review workbooks for Gates 0 to 5 (OGC 2007, archived by
// the National Archives; the IPA's Gateway guidance since), whose premise
// is that the process "examines programmes and projects at key decision
// points in their lifecycle":
//   - gate-0 Strategic assessment, Programme, from Defining (Gateway
//     Review 0 workbook): a programme review at its start, "repeated
//     throughout the life of the programme at key decision points". The
//     operator takes the programme's start (entering Defining) and the end
//     of each tranche (spec.tranches) as those points: decisionPoints
//     TrancheEnds. OGC sets no age on a Gate 0; an office that wants one
//     yearly adds maxAge: 52w.
//   - gate-1 Business justification, Project, from Initiating (Gateway
//     Review 1 workbook): once the strategic business case is complete,
//     before the project is initiated.
//   - gate-2 Delivery strategy, Project, from Delivering (Gateway Review 2
//     workbook): before the procurement (delivery) approach is committed
//     to.
//   - gate-3 Investment decision, Project, from Delivering (Gateway Review
//     3 workbook): "before a work order is placed with a supplier and
//     funding and resources committed", i.e. before delivery starts.
//   - gate-4 Readiness for service, Project, from Closing (Gateway Review 4
//     workbook): before the products go into service.
//   - gate-5 Operations review and benefits realisation, Project and
//     Programme, due within 26 weeks after it is Closed (Gateway Review 5
//     workbook): OGC holds it once the service or the programme's outcomes
//     are in operation (typically six to twelve months after handover), to
//     confirm the benefits; the 26-week window is the operator's.
//
// Every gate requires a Delivery Confidence of Amber or better. The
// reviews are advisory in OGC's guidance (the report belongs to the SRO);
// making a rating binding is the office's choice (enforcement,
// minimumConfidence). README, "How the methods map", lists the same.
func Profile(p v1alpha1.GateProfile) []v1alpha1.Gate {
	if p != v1alpha1.GateProfileOGCGateway {
		return nil
	}
	review := func(n int32) *v1alpha1.ReviewRequirement {
		return &v1alpha1.ReviewRequirement{Gate: &n, MinimumConfidence: v1alpha1.ConfidenceAmber}
	}
	gate0 := review(0)
	gate0.DecisionPoints = v1alpha1.DecisionPointsTrancheEnds
	project := []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject}
	return []v1alpha1.Gate{
		{Name: "gate-0", Description: GateTitles[0], AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProgramme},
			RequiredFrom: "Defining", Review: gate0},
		{Name: "gate-1", Description: GateTitles[1], AppliesTo: project, RequiredFrom: "Initiating", Review: review(1)},
		{Name: "gate-2", Description: GateTitles[2], AppliesTo: project, RequiredFrom: "Delivering", Review: review(2)},
		{Name: "gate-3", Description: GateTitles[3], AppliesTo: project, RequiredFrom: "Delivering", Review: review(3)},
		{Name: "gate-4", Description: GateTitles[4], AppliesTo: project, RequiredFrom: "Closing", Review: review(4)},
		{Name: "gate-5", Description: GateTitles[5], AppliesTo: []v1alpha1.SubjectKind{v1alpha1.SubjectKindProject, v1alpha1.SubjectKindProgramme},
			RequiredFrom: "Closed", DueWithin: "26w", Review: review(5)},
	}
}
