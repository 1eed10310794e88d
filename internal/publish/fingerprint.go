/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/internal/report"
)

// fingerprint identifies values: the same values, the same fingerprint.
func fingerprint(values any) string {
	data, err := json.Marshal(values)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// inputFingerprint identifies what a request's report ConfigMaps are built
// from: a change of any asks for a rebuild (settled figures are
// snapshotted; unsettled ones are not). A settled report shows every object
// beneath as it is now, and a row can change (a reason, a gate) without
// the figures changing, so it counts the versions of those objects too,
// unless the request's figures already do (Request.FiguresCoverRows).
func inputFingerprint(ctx context.Context, req Request) (string, error) {
	var rows string
	if req.Settled && !req.FiguresCoverRows {
		in, err := req.Build(ctx, req.Object)
		if err != nil {
			return "", err
		}
		rows = rowsVersion(in)
	}
	return fingerprint([]any{req.Figures, req.Settings, req.Settled, rows}), nil
}

// rowsVersion identifies the versions of the objects a report lists: any
// change to one of them changes it.
func rowsVersion(in report.Input) string {
	objs := make([]client.Object, 0, len(in.Programmes)+len(in.Projects))
	for _, p := range in.Programmes {
		objs = append(objs, p)
	}
	for _, p := range in.Projects {
		objs = append(objs, p)
	}
	return Versions(objs...)
}

// Versions identifies the versions of objects, in any order: a figure
// that changes whenever one of them does.
func Versions(objs ...client.Object) string {
	lines := make([]string, 0, len(objs))
	for _, o := range objs {
		lines = append(lines, fmt.Sprintf("%T/%s/%s/%s", o, o.GetNamespace(), o.GetName(), o.GetResourceVersion()))
	}
	sort.Strings(lines) // the cache lists in no fixed order
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}
