/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"fmt"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/controller"

	"p3o.dev/p3o-operator/internal/policy"
)

// Options tune every reconciler.
type Options struct {
	// MaxConcurrentReconciles is how many reconciles each controller runs in
	// parallel. Zero means one.
	MaxConcurrentReconciles int

	// SkipNameValidation allows more than one manager with these controllers
	// in one process, as tests that restart the operator need.
	SkipNameValidation bool
}

// Setup registers the field indexes and every reconciler with the manager.
func Setup(ctx context.Context, mgr ctrl.Manager, opts Options) error {
	if err := SetupIndexes(ctx, mgr); err != nil {
		return err
	}
	c := mgr.GetClient()
	events := mgr.GetEventRecorder("p3o-operator")
	rules, err := policy.NewRules()
	if err != nil {
		return err
	}
	controllerOpts := controller.Options{
		MaxConcurrentReconciles: opts.MaxConcurrentReconciles,
		SkipNameValidation:      &opts.SkipNameValidation,
	}
	reconcilers := []struct {
		name  string
		setup func(ctrl.Manager, controller.Options) error
	}{
		{"Office", (&OfficeReconciler{Client: c, Recorder: events, Rules: rules}).SetupWithManager},
		{"Portfolio", (&PortfolioReconciler{Client: c, Recorder: events}).SetupWithManager},
		{"Programme", (&ProgrammeReconciler{Client: c, Recorder: events, Rules: rules, Now: time.Now}).SetupWithManager},
		{"Project", (&ProjectReconciler{Client: c, Recorder: events, Rules: rules, Now: time.Now}).SetupWithManager},
		{"GatewayReview", (&GatewayReviewReconciler{Client: c, Recorder: events}).SetupWithManager},
	}
	for _, r := range reconcilers {
		if err := r.setup(mgr, controllerOpts); err != nil {
			return fmt.Errorf("setting up the %s controller: %w", r.name, err)
		}
	}
	return nil
}
