/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Deleting a folder of objects is quiet: whatever is deleted while it is
// reconciled is dropped without an error, a stack trace or a retry.
func TestDeletionIsQuiet(t *testing.T) {
	o := newOrganisation(t)
	var objs []client.Object
	for i := range 10 {
		name := fmt.Sprintf("p%d", i)
		objs = append(objs, reporting(newProject(o.ns, name, refPtr("cloud")), "1M", "1.1M"),
			newReview(o.ns, name+"-gate-1", projectSubject(name, o.ns), 1))
	}
	create(t, objs...)
	// Deleted while they, and their parents, are being reconciled.
	all := append(objs, o.programme, o.portfolio, o.office)
	for _, obj := range all {
		if err := k8sClient.Delete(context.Background(), obj); err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
	}
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		list := &v1alpha1.ProjectList{}
		g.Expect(k8sClient.List(context.Background(), list, client.InNamespace(o.ns))).To(Succeed())
		g.Expect(list.Items).To(BeEmpty())
	}).Should(Succeed())
	time.Sleep(3 * time.Second) // reconciles already queued run; none may fail
	for _, line := range strings.Split(suiteLog.String(), "\n") {
		if strings.Contains(line, `"namespace":"`+o.ns+`"`) {
			t.Errorf("the operator logged for a deleted object: %s", line)
		}
	}
}
