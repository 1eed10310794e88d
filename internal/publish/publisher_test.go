/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/report"
)

// fixture is a publisher over a fake client holding one Office.
type fixture struct {
	t      *testing.T
	client client.Client
	pub    *Publisher
	office *v1alpha1.Office
	now    time.Time
}

func newFixture(t *testing.T, objs ...client.Object) *fixture {
	t.Helper()
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	office := &v1alpha1.Office{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "pmo", UID: "office-uid", Generation: 1}}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(append(objs, office)...).Build()
	f := &fixture{t: t, client: c, office: office, now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	f.pub = New(c, c, func() time.Time { return f.now })
	return f
}

// publish publishes a report of projects projects for the office.
func (f *fixture) publish(projects int32, settings v1alpha1.ReportSettings) Result {
	f.t.Helper()
	in := report.Input{Kind: "Office", Namespace: "central", Name: "pmo", Health: v1alpha1.HealthGreen,
		Rollup: v1alpha1.Rollup{Projects: projects, Health: v1alpha1.HealthGreen}}
	res, err := f.pub.Publish(context.Background(), Request{Object: f.office, Kind: "Office", Settings: settings, EnabledByDefault: true,
		Figures: in.Rollup, Settled: true, Build: func(context.Context, Object) (report.Input, error) { return in, nil }})
	if err != nil {
		f.t.Fatalf("Publish: %v", err)
	}
	return res
}

// live is the office's live report, or nil.
func (f *fixture) live() *corev1.ConfigMap {
	f.t.Helper()
	cm := &corev1.ConfigMap{}
	if err := f.client.Get(context.Background(), client.ObjectKey{Namespace: "central", Name: "office-pmo-report"}, cm); err != nil {
		return nil
	}
	return cm
}

// projectsIn is the number of projects the live report counts.
func (f *fixture) projectsIn() int32 {
	f.t.Helper()
	var r report.Report
	if err := json.Unmarshal([]byte(f.live().Data[report.KeyJSON]), &r); err != nil {
		f.t.Fatal(err)
	}
	return r.Counts.Projects
}

func (f *fixture) expectPublished(reason v1alpha1.ConditionReason) {
	f.t.Helper()
	c := conditions.Get(f.office, v1alpha1.ConditionReportPublished)
	if c == nil || c.Reason != string(reason) {
		f.t.Fatalf("ReportPublished = %+v; want reason %s", c, reason)
	}
}

// The live report is written once, owned by its object, labelled and
// carrying its digest; publishing the same figures again writes nothing;
// new figures are written once the interval has passed.
func TestLiveReportIsWrittenOnlyWhenItChanges(t *testing.T) {
	f := newFixture(t)
	if res := f.publish(4, v1alpha1.ReportSettings{}); res.Pending || res.Rebuilding {
		t.Fatalf("first publication: %+v; the report is written within the reconcile", res)
	}
	f.expectPublished(v1alpha1.ReasonPublished)
	cm := f.live()
	if cm == nil || !metav1.IsControlledBy(cm, f.office) || cm.Labels[v1alpha1.LabelReport] != "live" ||
		cm.Annotations[v1alpha1.AnnotationContentDigest] != ContentDigest(cm.Data, nil) || f.projectsIn() != 4 {
		t.Fatalf("live report: %+v", cm)
	}
	version := cm.ResourceVersion

	f.now = f.now.Add(time.Minute)
	f.publish(4, v1alpha1.ReportSettings{})
	if got := f.live().ResourceVersion; got != version {
		t.Errorf("unchanged figures rewrote the report (%s → %s)", version, got)
	}
	f.publish(5, v1alpha1.ReportSettings{})
	if f.projectsIn() != 5 {
		t.Errorf("new figures: the report counts %d projects, want 5", f.projectsIn())
	}
}

// A live report deleted by hand is written again.
func TestDeletedLiveReportIsWrittenAgain(t *testing.T) {
	f := newFixture(t)
	f.publish(4, v1alpha1.ReportSettings{})
	if err := f.client.Delete(context.Background(), f.live()); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Minute)
	f.publish(4, v1alpha1.ReportSettings{})
	if f.live() == nil {
		t.Fatal("a deleted live report was not written again")
	}
}

// A ConfigMap of the report's name that no object controls is adopted; one
// another object controls is left alone, and the condition says so.
func TestTheReportsNameIsAdoptedOrLeftAlone(t *testing.T) {
	mine := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "office-pmo-report"}, Data: map[string]string{"note": "made by hand"}}
	f := newFixture(t, mine)
	f.publish(4, v1alpha1.ReportSettings{})
	if cm := f.live(); !metav1.IsControlledBy(cm, f.office) || f.projectsIn() != 4 {
		t.Fatalf("an unowned ConfigMap of the report's name was not adopted: %+v", cm)
	}

	yes := true
	taken := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "central", Name: "office-pmo-report",
		OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Secret", Name: "other", UID: "other-uid", Controller: &yes}}},
		Data: map[string]string{"note": "someone else's"}}
	f = newFixture(t, taken)
	res := f.publish(4, v1alpha1.ReportSettings{})
	f.expectPublished(v1alpha1.ReasonReportNameTaken)
	if f.live().Data["note"] != "someone else's" {
		t.Error("a ConfigMap another object controls was overwritten")
	}
	if res.Wait != NameTakenRecheck || res.Pending {
		t.Errorf("name taken: %+v; want to look again after %s, not pending", res, NameTakenRecheck)
	}
}

// Turning reports off deletes the live report and the condition.
func TestReportsOffDeleteTheLiveReport(t *testing.T) {
	f := newFixture(t)
	f.publish(4, v1alpha1.ReportSettings{})
	f.publish(4, v1alpha1.ReportSettings{Mode: v1alpha1.ReportsDisabled})
	if f.live() != nil {
		t.Error("the live report stayed after reports were turned off")
	}
	if conditions.Get(f.office, v1alpha1.ConditionReportPublished) != nil {
		t.Error("ReportPublished stayed after reports were turned off")
	}
}

// Snapshots of ended periods are sealed, and those beyond the retention
// count pruned, oldest first.
func TestSnapshotsArePrunedToTheRetention(t *testing.T) {
	f := newFixture(t)
	settings := v1alpha1.ReportSettings{SnapshotInterval: "1d", SnapshotRetention: 2}
	for day := range 4 {
		f.publish(int32(day+1), settings)
		f.now = f.now.Add(24 * time.Hour)
	}
	list := &corev1.ConfigMapList{}
	if err := f.client.List(context.Background(), list, client.MatchingLabels{v1alpha1.LabelReport: "snapshot"}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, cm := range list.Items {
		names = append(names, cm.Name)
		sealed := cm.Annotations[v1alpha1.AnnotationSnapshotState] == v1alpha1.SnapshotSealed && cm.Immutable != nil && *cm.Immutable
		if ended := cm.Name != "office-pmo-report-20261210"; sealed != ended {
			t.Errorf("snapshot %s: sealed %v; a snapshot is sealed exactly when its period has ended", cm.Name, sealed)
		}
	}
	want := map[string]bool{"office-pmo-report-20261209": true, "office-pmo-report-20261210": true}
	if len(names) != 2 || !want[names[0]] || !want[names[1]] {
		t.Errorf("snapshots %v; want the two newest, %v", names, want)
	}
}
