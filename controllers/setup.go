/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers

import (
	"context"
	"fmt"
	"runtime"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/metrics"
	"p3o.dev/p3o-operator/internal/policy"
	"p3o.dev/p3o-operator/internal/publish"
)

// Options tune every reconciler.
type Options struct {
	// MaxConcurrentReconciles is how many reconciles each controller runs in
	// parallel. Zero means one.
	MaxConcurrentReconciles int

	// SkipNameValidation allows more than one manager with these controllers
	// in one process, as tests that restart the operator need.
	SkipNameValidation bool

	// Metrics, when set, is given the manager's cache to write the
	// governance metrics from.
	Metrics *metrics.Exporter
}

// Setup registers the field indexes and every reconciler with the manager.
func Setup(ctx context.Context, mgr ctrl.Manager, opts Options) error {
	if err := governance.SetupIndexes(ctx, mgr.GetFieldIndexer()); err != nil {
		return err
	}
	c := mgr.GetClient()
	events := mgr.GetEventRecorder("p3o-operator")
	rules, err := policy.NewRules()
	if err != nil {
		return err
	}
	reports := publish.New(c, mgr.GetAPIReader(), time.Now)
	if err := mgr.Add(reports); err != nil {
		return fmt.Errorf("adding the report publisher: %w", err)
	}
	controllerOpts := controller.Options{
		MaxConcurrentReconciles: opts.MaxConcurrentReconciles,
		SkipNameValidation:      &opts.SkipNameValidation,
	}
	// Parents of every kind wait while any of them sees progress.
	sharedProgress := &progress{}
	newParents := func() parents {
		return parents{Client: c, recorder: events, reports: reports, deferrals: newDeferrals(sharedProgress), now: time.Now}
	}
	reconcilers := []struct {
		name  string
		setup func(ctrl.Manager, controller.Options) error
	}{
		{"Office", (&OfficeReconciler{parents: newParents(), rules: rules}).SetupWithManager},
		{"Portfolio", (&PortfolioReconciler{parents: newParents()}).SetupWithManager},
		{"Programme", (&ProgrammeReconciler{parents: newParents(), rules: rules}).SetupWithManager},
		{"Project", (&ProjectReconciler{Client: c, Recorder: events, Rules: rules, Now: time.Now, holds: newHolds(sharedProgress)}).SetupWithManager},
		{"GatewayReview", (&GatewayReviewReconciler{Client: c, Recorder: events, Rules: rules, Now: time.Now}).SetupWithManager},
	}
	for _, r := range reconcilers {
		if err := r.setup(mgr, controllerOpts); err != nil {
			return fmt.Errorf("setting up the %s controller: %w", r.name, err)
		}
	}
	if opts.Metrics != nil {
		opts.Metrics.Attach(mgr.GetCache())
	}
	return nil
}

// FieldManager is the field manager of every write the operator makes:
// status patches, report ConfigMaps, events and its leader-election lease.
// It is fixed, so that a GitOps tool can be told to ignore the fields it
// owns (Argo CD's ignoreDifferences managedFieldsManagers); without it the
// API server would name the binary's file name, whatever that is.
const FieldManager = "p3o-operator"

// ClientOptions are the manager's client settings: every write names
// FieldManager.
func ClientOptions() client.Options {
	return client.Options{FieldOwner: FieldManager}
}

// RestConfig is cfg, copied, with the user agent starting with
// FieldManager: the API server names a write's field manager after it when
// the write names none (events, the leader-election lease), and audit logs
// show it.
func RestConfig(cfg *rest.Config, version string) *rest.Config {
	out := rest.CopyConfig(cfg)
	out.UserAgent = fmt.Sprintf("%s/%s (%s/%s)", FieldManager, version, runtime.GOOS, runtime.GOARCH)
	return out
}

// CacheOptions are the manager's cache settings: what the operator never
// reads is dropped and repeated strings are shared (trimForCache; large
// organisations save memory), and only report ConfigMaps are cached, not
// every ConfigMap of the cluster.
func CacheOptions() cache.Options {
	reports, err := labels.NewRequirement(v1alpha1.LabelReport, selection.Exists, nil)
	if err != nil {
		panic(err) // a constant, valid requirement
	}
	return cache.Options{
		DefaultTransform: trimForCache(),
		ByObject: map[client.Object]cache.ByObject{
			&corev1.ConfigMap{}: {Label: labels.NewSelector().Add(*reports)},
		},
	}
}
