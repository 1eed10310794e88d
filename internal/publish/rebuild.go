/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package publish

import (
	"context"
	"errors"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/report"
	"p3o.dev/p3o-operator/internal/shorten"
)

// maxMessage bounds an error quoted in the ReportPublished condition.
const maxMessage = 4096

// rebuild builds, renders and writes the live report and the current
// period's snapshot, one rebuild at a time.
func (p *Publisher) rebuild(ctx context.Context, req Request) *outcome {
	select {
	case p.rebuilding <- struct{}{}:
	case <-ctx.Done():
		return failed(ctx.Err())
	}
	defer func() { <-p.rebuilding }()
	now := p.now()
	began := time.Now()
	in, err := req.Build(ctx, req.Object)
	if err != nil {
		return failed(err)
	}
	if in.Previous, err = p.previous(ctx, req.key(), req.Object, req.Kind, req.Settings, now); err != nil {
		return failed(err)
	}
	gathered := time.Now()
	built := report.Build(in)
	rendered := report.Render(built)
	rendering := time.Since(gathered)
	name := Name(req.Kind, req.Object.GetName(), "")
	defer func() {
		ctrl.LoggerFrom(ctx).V(1).Info("Report rebuilt", "configMap", name, "gather", gathered.Sub(began).String(),
			"render", rendering.String(), "total", time.Since(began).String())
	}()
	if err := p.writeLive(ctx, req.Object, req.Kind, name, rendered.Data); err != nil {
		if taken := (*nameTakenError)(nil); errors.As(err, &taken) {
			// Only a person can free the name: Stalled, and no hot retry.
			return &outcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonReportNameTaken, message: err.Error(),
				recheck: now.Add(NameTakenRecheck)}
		}
		return failed(err)
	}
	o := published(name, rendered)
	o.travel = built.DirectionOfTravel.Status()
	o.evidence = built.Evidence.Status()
	next, err := p.snapshot(ctx, req.Object, req.Kind, req.Settings, rendered.Data, now, req.Settled)
	if err != nil {
		return failed(err)
	}
	if next > 0 {
		o.recheck = now.Add(next)
	}
	return o
}

// published is the outcome of a live report written in full or
// summarised.
func published(name string, rendered report.Rendered) *outcome {
	o := &outcome{status: metav1.ConditionTrue, reason: v1alpha1.ReasonPublished, message: "ConfigMap " + name + " holds the report",
		digest: ContentDigest(rendered.Data, nil)}
	if rendered.Truncated {
		o.reason = v1alpha1.ReasonTruncated
		o.message = "ConfigMap " + name + " holds a summarised report: the organisation is too large to list in full"
	}
	return o
}

// failed is the outcome of a rebuild that could not read or write: tried
// again when next due.
func failed(err error) *outcome {
	return &outcome{status: metav1.ConditionFalse, reason: v1alpha1.ReasonPublishFailed, message: shorten.To(err.Error(), maxMessage), err: err}
}
