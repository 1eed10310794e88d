/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Tables show amounts for reading, rounded to three significant digits as
// status.display shows them; -o json|yaml keeps them exact.
func TestAmountIsRoundedForReading(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "950": "950", "130k": "130k", "1.45M": "1.45M", "1450000": "1.45M", "20534000": "20.5M",
		"1234567": "1.23M", "2.5G": "2.5G", "4451102674.24": "4.45G", "1.2T": "1.2T", "999.99": "1k", "-250k": "-250k", "1000": "1k",
	} {
		if got := amount(amt(in)); got != want {
			t.Errorf("amount(%s) = %s, want %s", in, got, want)
		}
	}
	if amount("") != "" || moneyCell("", "EUR") != "-" || moneyCell(amt("1M"), "EUR") != "1M EUR" {
		t.Error("an absent amount is not shown as -")
	}
}

func TestParseTarget(t *testing.T) {
	reportKinds := []kind{kindOffice, kindPortfolio, kindProgramme}
	for _, tc := range []struct {
		args []string
		kind string
		name string
		err  string
	}{
		{args: []string{"office", "hq"}, kind: "Office", name: "hq"},
		{args: []string{"pf", "digital"}, kind: "Portfolio", name: "digital"},
		{args: []string{"programmes.governance.p3o.dev", "cloud"}, kind: "Programme", name: "cloud"},
		{args: []string{"prog/cloud"}, kind: "Programme", name: "cloud"},
		{args: []string{"Project", "erp"}, err: "this command does not take a project: use office, portfolio or programme"},
		{args: []string{"team", "x"}, err: `unknown kind "team": use office, portfolio or programme`},
		{args: []string{"office"}, err: "want KIND NAME"},
		{args: []string{"office/"}, err: "the name is empty"},
	} {
		k, name, err := parseTarget(tc.args, reportKinds)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || k.Kind != tc.kind || name != tc.name {
			t.Errorf("%v: %s %s %v, want %s %s", tc.args, k.Kind, name, err, tc.kind, tc.name)
		}
	}
}

func TestErrorsSayWhatToDo(t *testing.T) {
	gr := schema.GroupResource{Group: v1alpha1.GroupVersion.Group, Resource: "projects"}
	for _, tc := range []struct {
		err       error
		k         kind
		namespace string
		name      string
		want      string
	}{
		{apierrors.NewNotFound(gr, "x"), kindProject, "y", "x", "project x not found in namespace y; list them with kubectl get projects -n y"},
		{&meta.NoKindMatchError{GroupKind: schema.GroupKind{Group: v1alpha1.GroupVersion.Group, Kind: "Project"}}, kindProject, "y", "x",
			"the p3o-operator CRDs are not installed: see README"},
		{&meta.NoResourceMatchError{PartialResource: gr.WithVersion("")}, kindOffice, "", "", "the p3o-operator CRDs are not installed: see README"},
		{apierrors.NewForbidden(gr, "x", errors.New("RBAC")), kindProject, "y", "x", "you may not read projects in namespace y; ask for the governance-viewer role"},
		{apierrors.NewForbidden(gr, "", errors.New("RBAC")), kindOffice, "", "", "you may not read offices in all namespaces; ask for the governance-viewer role cluster-wide"},
		{apierrors.NewForbidden(schema.GroupResource{Resource: "configmaps"}, "", errors.New("RBAC")), kindConfigMap, "y", "",
			"you may not read configmaps in namespace y; ask for the view role"},
		{apierrors.NewUnauthorized("no"), kindProject, "y", "x", "log in again"},
	} {
		got := readError(tc.err, tc.k, tc.namespace, tc.name)
		if !strings.Contains(got.Error(), tc.want) {
			t.Errorf("readError(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	var forbidden *forbiddenError
	if err := readError(apierrors.NewForbidden(gr, "", errors.New("RBAC")), kindProject, "", ""); !errors.As(err, &forbidden) || !apierrors.IsForbidden(err) {
		t.Errorf("a refused read is not recognisable: %v", err)
	}
}

func reportCM(name, reportType, periodStart string, owner types.UID) corev1.ConfigMap {
	cm := corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{v1alpha1.LabelReport: reportType}}}
	if periodStart != "" {
		cm.Annotations = map[string]string{v1alpha1.AnnotationPeriodStart: periodStart}
	}
	yes := true
	cm.OwnerReferences = []metav1.OwnerReference{{Kind: "Office", Name: "hq", UID: owner, Controller: &yes}}
	return cm
}

func TestSnapshots(t *testing.T) {
	cms := []corev1.ConfigMap{
		reportCM("office-hq-report", "live", "", "hq"),
		reportCM("office-hq-report-20261026", "snapshot", "2026-10-26T00:00:00Z", "hq"),
		reportCM("office-hq-report-20261123", "snapshot", "2026-11-23T00:00:00Z", "hq"),
		reportCM("office-hq-report-20261123t06", "snapshot", "2026-11-23T06:00:00Z", "hq"),
		// Another office's report, with a name that also starts like ours.
		reportCM("office-hq-report-20261102", "snapshot", "2026-11-02T00:00:00Z", "someone-else"),
	}
	live, snaps := reportsOf(cms, "hq", 6*time.Hour)
	if live == nil || live.Name != "office-hq-report" {
		t.Fatalf("live report: %v", live)
	}
	// One snapshot starts at 06:00, so every period is listed with its
	// start time, the midnight ones too.
	var got []string
	for _, s := range snaps {
		got = append(got, s.period()+" "+s.Name)
	}
	want := "2026-11-23T06:00:00Z office-hq-report-20261123t06,2026-11-23T00:00:00Z office-hq-report-20261123,2026-10-26T00:00:00Z office-hq-report-20261026"
	if strings.Join(got, ",") != want {
		t.Errorf("snapshots, newest first:\n%s\nwant:\n%s", strings.Join(got, ","), want)
	}
	expectEveryListedPeriodAccepted(t, snaps)
	for period, want := range map[string]string{
		"2026-10-26": "office-hq-report-20261026", "20261026": "office-hq-report-20261026",
		"20261123": "office-hq-report-20261123", "20261123t06": "office-hq-report-20261123t06",
		"office-hq-report-20261123": "office-hq-report-20261123",
	} {
		s, err := matchSnapshot(snaps, period)
		if err != nil || s.Name != want {
			t.Errorf("--snapshot %s: %s %v, want %s", period, s.Name, err, want)
		}
	}
	if _, err := matchSnapshot(snaps, "2026-11-23"); err == nil || !strings.Contains(err.Error(), "2 snapshots match \"2026-11-23\": name one of 2026-11-23T06:00:00Z, 2026-11-23T00:00:00Z") {
		t.Errorf("an ambiguous period: %v", err)
	}
	if _, err := matchSnapshot(snaps, "2026-11-02"); err == nil || !strings.Contains(err.Error(), "there are: 2026-11-23T06:00:00Z, 2026-11-23T00:00:00Z, 2026-10-26T00:00:00Z") {
		t.Errorf("a period without a snapshot of this office: %v", err)
	}
}

// Weekly snapshots are listed by date; a 12-hour interval lists its first
// (midnight) snapshot with its time already, as the next one will be.
func TestSnapshotPeriodsFollowTheInterval(t *testing.T) {
	weekly := []corev1.ConfigMap{
		reportCM("office-hq-report-20261116", "snapshot", "2026-11-16T00:00:00Z", "hq"),
		reportCM("office-hq-report-20261123", "snapshot", "2026-11-23T00:00:00Z", "hq"),
	}
	_, snaps := reportsOf(weekly, "hq", 7*24*time.Hour)
	if got := periods(snaps); got != "2026-11-23, 2026-11-16" {
		t.Errorf("weekly periods: %s", got)
	}
	expectEveryListedPeriodAccepted(t, snaps)
	_, snaps = reportsOf(weekly[1:], "hq", 12*time.Hour)
	if got := periods(snaps); got != "2026-11-23T00:00:00Z" {
		t.Errorf("the first of 12-hour periods: %s", got)
	}
	expectEveryListedPeriodAccepted(t, snaps)
}

func expectEveryListedPeriodAccepted(t *testing.T, snaps []snapshot) {
	t.Helper()
	for _, want := range snaps {
		got, err := matchSnapshot(snaps, want.period())
		if err != nil || got.Name != want.Name {
			t.Errorf("--snapshot %s, as listed: %s %v, want %s", want.period(), got.Name, err, want.Name)
		}
	}
}

// Each command's help has an example, and the root's names the plugin
// as kubectl runs it.
func TestHelpHasExamples(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"tree", "--help"}, {"why", "--help"}, {"gates", "--help"}, {"report", "--help"}} {
		var out bytes.Buffer
		cmd := newRootCommand(&out, &out, plain)
		cmd.SetArgs(args)
		cmd.SetOut(&out)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "Examples:\n  ") || !strings.Contains(out.String(), "kubectl p3o ") {
			t.Errorf("kubectl p3o %s has no example:\n%s", strings.Join(args, " "), out.String())
		}
	}
}

func TestBadArgumentsAreRefusedBeforeConnecting(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"why", "project"}, "why takes KIND NAME"},
		{[]string{"tree", "-A", "office", "hq"}, "leave out KIND NAME, or -A"},
		{[]string{"tree", "-o", "wide"}, `unknown output format "wide"`},
		{[]string{"report", "office", "hq", "--format", "pdf"}, `unknown format "pdf"`},
		{[]string{"report", "office", "hq", "--snapshot", "x", "--list-snapshots"}, "none of the others can be"},
		{[]string{"gates", "portfolio", "x"}, "this command does not take a portfolio"},
	} {
		var out bytes.Buffer
		cmd := newRootCommand(&out, &out, plain)
		cmd.SetArgs(append(tc.args, "--kubeconfig", "/nonexistent"))
		err := cmd.Execute()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}
