/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package deploy

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"p3o.dev/p3o-operator/internal/controlplane"
)

// ResourceName is how kubectl -o name names obj: kind.group/name.
func ResourceName(obj *unstructured.Unstructured) string {
	gvk := obj.GroupVersionKind()
	resource := strings.ToLower(gvk.Kind)
	if gvk.Group != "" {
		resource += "." + gvk.Group
	}
	return resource + "/" + obj.GetName()
}

var objectName = regexp.MustCompile(`^[a-z0-9.-]+/[a-z0-9.-]+$`)

// DryRunApply sends file, which holds objs, to the control plane's API
// server with `kubectl apply --dry-run=server -o name` (and --server-side
// when serverSide): nothing is created, and every object is checked as an
// apply would check it, against the installed CRDs' schemas too. It fails
// unless kubectl reports each object of objs as applied and nothing else.
// A dry run creates nothing, so the namespaces must exist.
func DryRunApply(ctx context.Context, cp *controlplane.ControlPlane, objs []*unstructured.Unstructured, file string, serverSide bool) error {
	args := []string{"apply", "--dry-run=server", "-o", "name", "-f", file}
	if serverSide {
		args = append(args, "--server-side")
	}
	out, err := cp.Kubectl(ctx, args...)
	if err != nil {
		return fmt.Errorf("the API server refuses objects: %w", err)
	}
	// -o name prints kind.group/name per object; kubectl's warnings
	// (client-side apply over objects created otherwise) are not names.
	var accepted []string
	for _, line := range strings.Split(out, "\n") {
		if objectName.MatchString(line) {
			accepted = append(accepted, line)
		}
	}
	var problems []error
	for _, obj := range objs {
		if name := ResourceName(obj); !slices.Contains(accepted, name) {
			problems = append(problems, fmt.Errorf("kubectl %s does not report %s as applied", strings.Join(args, " "), name))
		}
	}
	if len(accepted) != len(objs) {
		problems = append(problems, fmt.Errorf("kubectl reports %d objects, the file has %d", len(accepted), len(objs)))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w\n%s", errors.Join(problems...), out)
	}
	return nil
}
