/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"

	. "github.com/onsi/gomega"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// installPersonas creates the ClusterRoles of config/rbac/personas.yaml.
func installPersonas(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile("../config/rbac/personas.yaml")
	if err != nil {
		t.Fatal(err)
	}
	decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		role := &rbacv1.ClusterRole{}
		if err := decoder.Decode(role); errors.Is(err, io.EOF) {
			return
		} else if err != nil {
			t.Fatal(err)
		}
		if err := k8sClient.Create(context.Background(), role); err != nil && !apierrors.IsAlreadyExists(err) {
			t.Fatal(err)
		}
	}
}

// as returns a client that acts as user, bound to clusterRole in ns.
func actingAs(t *testing.T, ns, user, clusterRole string) client.Client {
	t.Helper()
	create(t, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: clusterRole},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: "User", Name: user}},
	})
	cfg := rest.CopyConfig(cpConfig)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Separation of duties: a project editor cannot record a Gateway Review;
// the assurance team can, and cannot edit the projects it reviews.
func TestPersonasSeparateDuties(t *testing.T) {
	installPersonas(t)
	ns := newNamespace(t, nil)
	editor := actingAs(t, ns, "alice-project-manager", "governance-editor")
	assurance := actingAs(t, ns, "bob-assurance", "governance-assurance")
	viewer := actingAs(t, ns, "carol-board", "governance-viewer")
	officeAdmin := actingAs(t, ns, "dave-pmo", "governance-office-admin")
	ctx := context.Background()
	g := NewWithT(t)

	review := func(name string) *v1alpha1.GatewayReview {
		return newReview(ns, name, projectSubject("portal", ns), 1)
	}
	// RBAC bindings take a moment to reach the authorizer's cache.
	g.Eventually(func() error { return editor.Create(ctx, newProject(ns, "portal", refPtr("digital"))) }).Should(Succeed())
	g.Expect(editor.Create(ctx, review("by-editor"))).To(Satisfy(apierrors.IsForbidden), "an editor recorded a Gateway Review")
	g.Eventually(func() error { return assurance.Create(ctx, review("by-assurance")) }).Should(Succeed())
	g.Expect(assurance.Create(ctx, newProject(ns, "sneaky", refPtr("digital")))).To(Satisfy(apierrors.IsForbidden), "the assurance team created a project")
	g.Eventually(func() error {
		return viewer.List(ctx, &v1alpha1.ProjectList{}, client.InNamespace(ns))
	}).Should(Succeed())
	g.Expect(viewer.Create(ctx, newProject(ns, "viewer-project", refPtr("digital")))).To(Satisfy(apierrors.IsForbidden))
	g.Expect(editor.Create(ctx, newOffice(ns, "shadow-pmo", v1alpha1.OfficeTypeVirtual))).To(Satisfy(apierrors.IsForbidden), "an editor created an office")
	g.Eventually(func() error { return officeAdmin.Create(ctx, newOffice(ns, "pmo", v1alpha1.OfficeTypeVirtual)) }).Should(Succeed())
}
