/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/kubectl-p3o -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (-want +got; go test ./cmd/kubectl-p3o -update rewrites it):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

// The fixed organisation the rendering tests draw, as the operator would
// have published its status.

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func q(s string) *resource.Quantity {
	v := resource.MustParse(s)
	return &v
}

// amt is an amount as the operator writes it in status.
func amt(s string) v1alpha1.Amount {
	return money.Amount(money.Of(q(s)))
}

func ref(name, namespace string) *v1alpha1.ParentReference {
	return &v1alpha1.ParentReference{Name: v1alpha1.ObjectName(name), Namespace: v1alpha1.Namespace(namespace)}
}

func cond(t v1alpha1.ConditionType, status metav1.ConditionStatus, reason v1alpha1.ConditionReason, message string) metav1.Condition {
	return metav1.Condition{Type: string(t), Status: status, Reason: string(reason), Message: message}
}

func resolved(parent string) []metav1.Condition {
	return []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionTrue, v1alpha1.ReasonResolved, "resolved "+parent),
		cond(v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded, "all conditions are met"),
	}
}

func compliant(status metav1.ConditionStatus, reason v1alpha1.ConditionReason, message string) metav1.Condition {
	return cond(v1alpha1.ConditionCompliant, status, reason, message)
}

func objMeta(namespace, name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: namespace, Name: name, Generation: 1}
}

func rollup(health v1alpha1.Health, projects int32, budget, forecast string, causes ...v1alpha1.HealthCause) v1alpha1.Rollup {
	return v1alpha1.Rollup{Health: health, Projects: projects, Causes: causes,
		Money: v1alpha1.MoneySummary{Currency: "EUR", Budget: amt(budget), ForecastCost: amt(forecast)}}
}

var erpCause = v1alpha1.HealthCause{Kind: v1alpha1.SubjectKindProject, Namespace: "central", Name: "erp", Health: v1alpha1.HealthRed,
	Reason: "cost forecast 1.45M exceeds budget 1.2M beyond 10% tolerance (overrun 250k)"}

var clickCause = v1alpha1.HealthCause{Kind: v1alpha1.SubjectKindProject, Namespace: "retail", Name: "click", Health: v1alpha1.HealthAmber,
	Reason: "the project manager declares Amber"}

func office(namespace, name string, typ v1alpha1.OfficeType, hub *v1alpha1.ParentReference, conds []metav1.Condition, r v1alpha1.Rollup) v1alpha1.Office {
	o := v1alpha1.Office{ObjectMeta: objMeta(namespace, name), Spec: v1alpha1.OfficeSpec{Type: typ, HubRef: hub, Currency: "EUR"}}
	o.Status = v1alpha1.OfficeStatus{ObservedGeneration: 1, Conditions: conds, Rollup: r, Enforcement: v1alpha1.EnforcementAudit}
	return o
}

func project(namespace, name string, programme, portfolio *v1alpha1.ParentReference, phase v1alpha1.ProjectPhase, health v1alpha1.Health, budget, forecast string, conds []metav1.Condition, reasons ...string) v1alpha1.Project {
	p := v1alpha1.Project{ObjectMeta: objMeta(namespace, name), Spec: v1alpha1.ProjectSpec{ProgrammeRef: programme, PortfolioRef: portfolio, Phase: phase,
		Plan: v1alpha1.Plan{Budget: q(budget)}}}
	if forecast != "" {
		p.Spec.Progress = &v1alpha1.Progress{AsOf: "2026-11-20", ForecastCost: q(forecast)}
	}
	p.Status = v1alpha1.ProjectStatus{ObservedGeneration: 1, Conditions: conds, Currency: "EUR", Health: health, DerivedHealth: health, HealthReasons: reasons}
	return p
}

func testOrg() org {
	central := office("central", "group-office", v1alpha1.OfficeTypePortfolioOffice, nil, []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionTrue, v1alpha1.ReasonNoParent, "the object references no parent"),
		cond(v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded, "all conditions are met"),
		cond(v1alpha1.ConditionPolicyValid, metav1.ConditionTrue, v1alpha1.ReasonPolicyValid, "7 gates, enforcement Audit"),
		cond(v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonAggregated, "rolled up 1 portfolio and 1 satellite office"),
	}, rollup(v1alpha1.HealthRed, 7, "10.534M", "11.2M", erpCause, clickCause))
	central.Status.Gates = []string{"gate-0", "gate-1", "gate-2", "gate-3", "risk-owners", "gate-4", "gate-5"}

	satellite := office("retail", "retail-pmo", v1alpha1.OfficeTypeSatellite, ref("group-office", "central"),
		resolved("Office central/group-office"), rollup(v1alpha1.HealthAmber, 2, "2.5M", "2.6M", clickCause))
	satellite.Status.Hub = &v1alpha1.ObjectReference{Namespace: "central", Name: "group-office"}
	rogue := office("other", "rogue-pmo", v1alpha1.OfficeTypeSatellite, ref("group-office", "central"), []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted, "Office central/group-office does not admit children from namespace other"),
		cond(v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted, "Office central/group-office does not admit children from namespace other"),
	}, v1alpha1.Rollup{Health: v1alpha1.HealthUnknown})
	temporary := office("central", "cloud-pmo", v1alpha1.OfficeTypeTemporary, nil, resolved("Programme central/cloud"), v1alpha1.Rollup{Health: v1alpha1.HealthUnknown})
	temporary.Spec.SupportedObjectRef = &v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProgramme, ParentReference: *ref("cloud", "")}
	temporary.Status.Conditions = append(temporary.Status.Conditions, cond(v1alpha1.ConditionRetired, metav1.ConditionFalse, v1alpha1.ReasonSupportedObjectActive, "Programme central/cloud is Delivering"))
	support := office("central", "intranet-support", v1alpha1.OfficeTypeProjectSupport, nil, resolved("Project central/intranet"), v1alpha1.Rollup{Health: v1alpha1.HealthUnknown})
	support.Spec.SupportedObjectRef = &v1alpha1.SubjectReference{Kind: v1alpha1.SubjectKindProject, ParentReference: *ref("intranet", "")}
	support.Status.Conditions = append(support.Status.Conditions, cond(v1alpha1.ConditionRetired, metav1.ConditionTrue, v1alpha1.ReasonSupportedObjectClosed, "Project central/intranet is Closed"))
	loopA := office("central", "loop-a", v1alpha1.OfficeTypeSatellite, ref("loop-b", ""), []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonHubLoop, "hub chain loops: central/loop-a → central/loop-b → central/loop-a"),
	}, v1alpha1.Rollup{Health: v1alpha1.HealthUnknown})
	loopB := office("central", "loop-b", v1alpha1.OfficeTypeSatellite, ref("loop-a", ""), []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonHubLoop, "hub chain loops: central/loop-b → central/loop-a → central/loop-b"),
	}, v1alpha1.Rollup{Health: v1alpha1.HealthUnknown})

	digital := v1alpha1.Portfolio{ObjectMeta: objMeta("central", "digital"), Spec: v1alpha1.PortfolioSpec{OfficeRef: *ref("group-office", ""), Capacity: q("12M")}}
	digital.Status = v1alpha1.PortfolioStatus{ObservedGeneration: 1, Conditions: resolved("Office central/group-office"),
		Office: &v1alpha1.ObjectReference{Namespace: "central", Name: "group-office"}, Committed: amt("8.634M"), OverCommitted: new(bool),
		Rollup: rollup(v1alpha1.HealthRed, 5, "8.034M", "8.6M", erpCause)}
	// Capacity by year: 2026 over, 2027 within, 2028 phased without a
	// capacity stated.
	over, within := true, false
	digital.Spec.CapacityByYear = []v1alpha1.YearAmount{{Year: 2026, Amount: q("4M")}, {Year: 2027, Amount: q("5M")}}
	digital.Status.CommittedByYear = []v1alpha1.YearCommitment{
		{Year: 2026, Committed: amt("4.5M"), Display: v1alpha1.MoneyDisplay{Capacity: "4M EUR", Committed: "4.5M EUR"}, OverCommitted: &over},
		{Year: 2027, Committed: amt("3M"), Display: v1alpha1.MoneyDisplay{Capacity: "5M EUR", Committed: "3M EUR"}, OverCommitted: &within},
		{Year: 2028, Committed: amt("1M"), Display: v1alpha1.MoneyDisplay{Committed: "1M EUR"}},
	}
	// The portfolio's ranking of its open work: portal before cloud by
	// score, though cloud's person-set priority is 1 (the tree shows both).
	digital.Status.Strategy.Ranking = []v1alpha1.RankedWork{
		{Kind: v1alpha1.SubjectKindProject, Namespace: "central", Name: "portal", Rank: 1, Score: new(int32(67)), Priority: 2},
		{Kind: v1alpha1.SubjectKindProgramme, Namespace: "central", Name: "cloud", Rank: 2, Score: new(int32(50)), Priority: 1},
	}
	growth := v1alpha1.Portfolio{ObjectMeta: objMeta("retail", "growth"), Spec: v1alpha1.PortfolioSpec{OfficeRef: *ref("retail-pmo", "")}}
	growth.Status = v1alpha1.PortfolioStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionTrue, v1alpha1.ReasonResolved, "resolved Office retail/retail-pmo"),
		cond(v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonChildrenPending, "1 of 2 projects not yet reconciled"),
		cond(v1alpha1.ConditionReconciling, metav1.ConditionTrue, v1alpha1.ReasonChildrenPending, "1 of 2 projects not yet reconciled"),
		cond(v1alpha1.ConditionRolledUp, metav1.ConditionTrue, v1alpha1.ReasonAggregated, "rolled up 2 projects"),
	},
		Rollup: rollup(v1alpha1.HealthAmber, 2, "2.5M", "2.6M", clickCause)}

	cloud := v1alpha1.Programme{ObjectMeta: objMeta("central", "cloud"), Spec: v1alpha1.ProgrammeSpec{PortfolioRef: *ref("digital", ""), OfficeRef: ref("cloud-pmo", ""), Phase: v1alpha1.ProgrammeDelivering, Priority: 1}}
	cloud.Status = v1alpha1.ProgrammeStatus{ObservedGeneration: 1, Health: v1alpha1.HealthRed, HealthReasons: []string{"projects Red: project erp"},
		Conditions: append(resolved("Portfolio central/digital, Office central/cloud-pmo"), compliant(metav1.ConditionTrue, v1alpha1.ReasonGatesMet, "all 2 gates due are met")),
		Office:     &v1alpha1.ObjectReference{Namespace: "central", Name: "cloud-pmo"},
		Rollup:     rollup(v1alpha1.HealthRed, 3, "3.1M", "3.35M", erpCause)}

	met := compliant(metav1.ConditionTrue, v1alpha1.ReasonGatesMet, "all 3 gates due are met")
	portal := project("central", "portal", nil, ref("digital", ""), v1alpha1.ProjectDelivering, v1alpha1.HealthAmber, "2.5M", "2.7M",
		append(resolved("Portfolio central/digital"), met), "cost forecast 2.7M uses 80% of the 10% tolerance on budget 2.5M")
	portal.Spec.Priority, portal.Status.Score = 2, new(int32(67))
	erp := project("central", "erp", ref("cloud", ""), nil, v1alpha1.ProjectDelivering, v1alpha1.HealthRed, "1.2M", "1.45M",
		append(resolved("Programme central/cloud"), compliant(metav1.ConditionFalse, v1alpha1.ReasonGatesUnmet, "Gate 3 Investment decision: review of 2026-10-14 gave AmberRed, worse than the minimum Amber")),
		erpCause.Reason, "gate unmet: Gate 3 Investment decision: review of 2026-10-14 gave AmberRed, worse than the minimum Amber")
	erp.Spec.DeclaredRAG = v1alpha1.RAG("Amber")
	erp.Status.Office = &v1alpha1.ObjectReference{Namespace: "central", Name: "cloud-pmo"}
	erp.Status.Compliance = v1alpha1.ComplianceStatus{Enforcement: v1alpha1.EnforcementAudit, NextGate: "gate-4", Gates: []v1alpha1.GateStatus{
		{Name: "gate-1", Description: "Gate 1 Business justification", State: v1alpha1.GateMet, Cause: v1alpha1.CauseReviewMet,
			Review: &v1alpha1.ObjectReference{Namespace: "assurance", Name: "erp-gate-1"}, Message: "review of 2025-03-18 gave Green"},
		{Name: "gate-3", Description: "Gate 3 Investment decision", State: v1alpha1.GateUnmet, Cause: v1alpha1.CauseBelowMinimum,
			Review:  &v1alpha1.ObjectReference{Namespace: "assurance", Name: "erp-gate-3"},
			Message: "review of 2026-10-14 gave AmberRed, worse than the minimum Amber"},
		{Name: "risk-owners", Description: "risk-owners (Every open risk has an owner)", State: v1alpha1.GateMet, Cause: v1alpha1.CauseRuleHolds, Message: "rule holds"},
		{Name: "security-review", Description: "Security sign-off", State: v1alpha1.GateUnmet, Cause: v1alpha1.CauseNoReview,
			DueAt: &metav1.Time{Time: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}, Message: "no review"},
		{Name: "gate-0", Description: "Gate 0 Strategic assessment", State: v1alpha1.GateMet, Cause: v1alpha1.CauseReviewMet,
			Review:    &v1alpha1.ObjectReference{Namespace: "assurance", Name: "erp-gate-0"},
			ExpiresAt: &metav1.Time{Time: time.Date(2027, 9, 7, 0, 0, 0, 0, time.UTC)}, Message: "review of 2026-09-08 gave Amber"},
		{Name: "gate-4", Description: "Gate 4 Readiness for service", State: v1alpha1.GateNotYetRequired, Cause: v1alpha1.CausePhaseNotReached, Message: "required from Closing"},
	}}

	erp.Status.Dependencies = []v1alpha1.DependencyStatus{
		{Kind: v1alpha1.SubjectKindProject, Provider: v1alpha1.ObjectReference{Namespace: "central", Name: "identity"}, NeededBy: "2027-01-31",
			State: v1alpha1.DependencyOnTrack, Cause: v1alpha1.CauseForecastOnTime, ProviderForecastEnd: "2026-12-18"},
		{Kind: v1alpha1.SubjectKindProgramme, Provider: v1alpha1.ObjectReference{Namespace: "central", Name: "data-platform"}, NeededBy: "2027-03-01",
			State: v1alpha1.DependencyAtRisk, Cause: v1alpha1.CauseMissing, Impact: v1alpha1.HealthAmber},
	}
	erp.Status.Conditions = append(erp.Status.Conditions, cond(v1alpha1.ConditionDependenciesOnTrack, metav1.ConditionFalse, v1alpha1.ReasonDependenciesAtRisk,
		"1 of 2 dependencies at risk: "+erp.Status.Dependencies[1].Text()))
	erp.Status.HealthReasons = append(erp.Status.HealthReasons, erp.Status.Dependencies[1].Text())
	erp.Status.ToleranceExceptions = []v1alpha1.ToleranceException{
		{Kind: v1alpha1.ExceptionCostOverrun, Health: v1alpha1.HealthRed, Message: erp.Status.HealthReasons[0]},
		{Kind: v1alpha1.ExceptionEarlyFinish, Health: v1alpha1.HealthGreen, Message: "forecast end 2027-01-15 is 10w before planned end 2027-03-26, beyond the 4w time tolerance"},
	}
	erp.Status.Risks = v1alpha1.RiskSummary{Open: 2, High: 1, Exposure: 29, Opportunities: 1, OpportunityExposure: 16}

	intranet := project("central", "intranet", nil, ref("digital", ""), v1alpha1.ProjectClosed, v1alpha1.HealthGreen, "120k", "118k",
		append(resolved("Portfolio central/digital, Office central/intranet-support"), met))
	intranet.Spec.OfficeRef = ref("intranet-support", "")
	orphan := project("central", "orphan", ref("gone", ""), nil, v1alpha1.ProjectStartingUp, v1alpha1.HealthUnknown, "50k", "", []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound, "Programme central/gone not found"),
		cond(v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonParentNotFound, "Programme central/gone not found"),
	})
	orphan.Status.Currency = ""
	shadow := project("other", "shadow", ref("cloud", "central"), nil, v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "300k", "290k", []metav1.Condition{
		cond(v1alpha1.ConditionParentResolved, metav1.ConditionFalse, v1alpha1.ReasonNotPermitted, "Programme central/cloud does not admit children from namespace other"),
	})

	return org{
		Offices:    []v1alpha1.Office{central, satellite, rogue, temporary, support, loopA, loopB},
		Portfolios: []v1alpha1.Portfolio{digital, growth},
		Programmes: []v1alpha1.Programme{cloud},
		Projects: []v1alpha1.Project{
			erp,
			project("central", "dc-exit", ref("cloud", ""), nil, v1alpha1.ProjectDelivering, v1alpha1.HealthGreen, "1.1M", "1.1M", append(resolved("Programme central/cloud"), met)),
			project("central", "identity", ref("cloud", ""), nil, v1alpha1.ProjectClosing, v1alpha1.HealthGreen, "800k", "790k", append(resolved("Programme central/cloud"), met)),
			portal,
			intranet,
			project("retail", "loyalty", nil, ref("growth", ""), v1alpha1.ProjectInitiating, v1alpha1.HealthGreen, "900k", "", append(resolved("Portfolio retail/growth"), met)),
			project("retail", "click", nil, ref("growth", ""), v1alpha1.ProjectDelivering, v1alpha1.HealthAmber, "1.6M", "1.62M",
				append(resolved("Portfolio retail/growth"), met), clickCause.Reason),
			orphan,
			shadow,
		},
	}
}
