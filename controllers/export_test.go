/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
)

// TestPublisher exposes the report publisher to the tests of this package,
// with a clock they control.
type TestPublisher struct{ p *publisher }

// NewTestPublisher is a publisher that reads and writes through c (an
// uncached client) at the times now gives.
func NewTestPublisher(c client.Client, now func() time.Time) TestPublisher {
	return TestPublisher{p: newPublisher(c, c, now)}
}

// Publish publishes in as obj's report under kind.
func (t TestPublisher) Publish(ctx context.Context, obj reportedObject, kind string, settings v1alpha1.ReportSettings, settled bool, in report.Input) error {
	_, err := t.p.publish(ctx, obj, kind, settings, true, in, settled, false, func(context.Context, reportedObject) (report.Input, error) { return in, nil })
	return err
}
