/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package chart

import (
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/test/deploy"
)

// The dashboard is off by default; dashboard.enabled deploys it from the
// operator's image with the values' replicas, cache TTL, token audience
// and arguments, under a ClusterRole that only reads; its objects hold
// together with the operator's, and the notes say how to reach it.
func TestDashboard(t *testing.T) {
	for _, obj := range renderScenario(t, "defaults").Objects {
		if strings.Contains(obj.GetName(), "dashboard") {
			t.Errorf("the defaults render %s %s; the dashboard is off by default", obj.GetKind(), obj.GetName())
		}
	}
	r := renderScenario(t, "dashboard")
	d := get(t, r.Objects, "Deployment", prefix+"-dashboard")
	if replicas, _, _ := unstructured.NestedInt64(d.Object, "spec", "replicas"); replicas != 2 {
		t.Errorf("replicas %d, want 2", replicas)
	}
	containers, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	c := containers[0].(map[string]any)
	_, operator := deploymentNamed(t, r.Objects, prefix+"-controller-manager")
	if str(c, "image") != str(operator, "image") {
		t.Errorf("the dashboard's image %s is not the operator's %s", str(c, "image"), str(operator, "image"))
	}
	want := []string{"dashboard", "--bind-address=:8080", "--cache-ttl=30s", "--token-audience=p3o-dashboard", "--zap-log-level=debug"}
	if args := strs(c, "args"); !slices.Equal(args, want) {
		t.Errorf("args %v, want %v", args, want)
	}
	role := get(t, r.Objects, "ClusterRole", prefix+"-dashboard")
	rules, _, _ := unstructured.NestedSlice(role.Object, "rules")
	for _, rule := range rules {
		for _, verb := range strs(rule.(map[string]any), "verbs") {
			resources := strs(rule.(map[string]any), "resources")
			review := slices.Equal(resources, []string{"tokenreviews"}) || slices.Equal(resources, []string{"subjectaccessreviews"})
			if !slices.Contains([]string{"get", "list", "watch"}, verb) && !(review && verb == "create") {
				t.Errorf("the dashboard's ClusterRole may %s %v; it should only read", verb, resources)
			}
		}
	}
	if svc := get(t, r.Objects, "Service", prefix+"-dashboard"); stringMap(svc.Object, "spec", "selector")["app.kubernetes.io/component"] != "dashboard" {
		t.Errorf("the dashboard Service selects %v", stringMap(svc.Object, "spec", "selector"))
	}
	for _, problem := range deploy.CheckReferences(withNamespace(r.Objects, namespace), false) {
		t.Error(problem)
	}
	if !strings.Contains(r.Notes, "Service "+prefix+"-dashboard") || !strings.Contains(r.Notes, "--pass-authorization-header") {
		t.Errorf("the notes do not say where the dashboard is and how to put it behind single sign-on:\n%s", r.Notes)
	}
	if _, err := renderValues(t, `dashboard: {enabled: true, cacheTTL: ten seconds}`); err == nil || !strings.Contains(err.Error(), "cacheTTL") {
		t.Errorf("dashboard.cacheTTL: ten seconds: %v; want the schema to refuse it", err)
	}
}

// deploymentNamed returns the Deployment of that name and its one
// container.
func deploymentNamed(t *testing.T, objs []*unstructured.Unstructured, name string) (*unstructured.Unstructured, map[string]any) {
	t.Helper()
	d := get(t, objs, "Deployment", name)
	containers, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	if len(containers) != 1 {
		t.Fatalf("Deployment %s: want one container, found %d", name, len(containers))
	}
	return d, containers[0].(map[string]any)
}
