/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

import (
	"context"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
)

// running is an operator built from this checkout, running against a
// control plane of its own, with a client for the test.
type running struct {
	root   string
	cp     *controlplane.ControlPlane
	op     *controlplane.Operator
	client client.Client
}

// startOperator builds the operator and runs it against a new control
// plane, both stopped when the test ends.
func startOperator(ctx context.Context, t *testing.T) running {
	t.Helper()
	root, err := controlplane.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	binary := controlplane.BuildOperatorForTest(t, ctx)
	cp := controlplane.StartForTest(t)
	op := cp.StartOperatorForTest(t, binary)
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, v1alpha1.AddToScheme} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	c, err := client.New(cp.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return running{root: root, cp: cp, op: op, client: c}
}
