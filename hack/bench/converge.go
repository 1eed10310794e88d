/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Convergence: when the operator has rolled every input up, and when a
// restarted operator has verified everything again.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/controlplane"
	"p3o.dev/p3o-operator/internal/money"
)

// converge waits until the hub office's rollup equals the generated totals
// and every object is Ready at its generation.
func converge(ctx context.Context, c client.Client, org *organisation, op *controlplane.Operator, progress func()) error {
	deadline := time.Now().Add(30 * time.Minute)
	lastProgress := time.Now()
	for {
		if time.Since(lastProgress) >= 10*time.Second {
			progress()
			lastProgress = time.Now()
		}
		if ok, why := converged(ctx, c, org); ok {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("no convergence within 30 minutes: %s", why)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-op.Exited():
			return errors.New("the operator exited")
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// sameAmount says whether a status amount is set and equals want exactly.
func sameAmount(a v1alpha1.Amount, want resource.Quantity) bool {
	v := money.Value(a)
	return v != nil && v.Cmp(money.Of(&want)) == 0
}

func converged(ctx context.Context, c client.Client, org *organisation) (bool, string) {
	hub := &v1alpha1.Office{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(org.hub), hub); err != nil {
		return false, err.Error()
	}
	r := hub.Status.Rollup
	if int(r.Projects) != len(org.projects) || !sameAmount(r.Money.Budget, org.budgetTotal) || !sameAmount(r.Money.ForecastCost, org.forecastTotal) {
		return false, fmt.Sprintf("hub rollup: %d projects, budget %v, forecast %v", r.Projects, r.Money.Budget, r.Money.ForecastCost)
	}
	for _, list := range []client.ObjectList{&v1alpha1.OfficeList{}, &v1alpha1.PortfolioList{}, &v1alpha1.ProgrammeList{}, &v1alpha1.ProjectList{}, &v1alpha1.GatewayReviewList{}} {
		if err := c.List(ctx, list, client.InNamespace(org.ns)); err != nil {
			return false, err.Error()
		}
		items, err := meta.ExtractList(list)
		if err != nil {
			return false, err.Error()
		}
		for _, item := range items {
			o := item.(client.Object)
			conds := o.(v1alpha1.Conditioned).GetConditions()
			ready := false
			for _, cond := range conds {
				if cond.Type == string(v1alpha1.ConditionReady) && cond.Status == metav1.ConditionTrue && cond.ObservedGeneration == o.GetGeneration() {
					ready = true
				}
			}
			if !ready {
				return false, fmt.Sprintf("%T %s not Ready", o, o.GetName())
			}
		}
	}
	return true, ""
}

var (
	reconcileLine = regexp.MustCompile(`^controller_runtime_reconcile_total\{controller="([^"]+)",result="[^"]+"\} ([0-9.e+]+)$`)
	depthLine     = regexp.MustCompile(`^workqueue_depth\{[^}]*name="([^"]+)"[^}]*\} ([0-9.e+]+)$`)
)

// reverified waits until a restarted operator has reconciled every object
// at least once, its work queues are empty and every object is still
// Ready at its generation with the totals of the inputs.
func reverified(ctx context.Context, c client.Client, org *organisation, op *controlplane.Operator) error {
	want := map[string]int{}
	for _, o := range org.objects {
		want[strings.ToLower(fmt.Sprintf("%T", o)[len("*v1alpha1."):])]++
	}
	deadline := time.Now().Add(10 * time.Minute)
	for {
		reconciled, depth, err := queueFigures(op.MetricsAddress)
		done := err == nil
		for kind, n := range want {
			done = done && reconciled[kind] >= n
		}
		for _, d := range depth {
			done = done && d == 0
		}
		if done {
			if ok, why := converged(ctx, c, org); !ok {
				return fmt.Errorf("after the restart: %s", why)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the restarted operator did not reconcile every object within 10 minutes (reconciled %v, queues %v, %v)", reconciled, depth, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-op.Exited():
			return errors.New("the restarted operator exited")
		case <-time.After(time.Second): // a scrape renders every project's series
		}
	}
}

// queueFigures reads the operator's reconciles per controller and its work
// queues' depths.
func queueFigures(metricsAddress string) (reconciled, depth map[string]int, err error) {
	resp, err := http.Get("http://" + metricsAddress + "/metrics")
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	reconciled, depth = map[string]int{}, map[string]int{}
	for _, line := range strings.Split(string(body), "\n") {
		if m := reconcileLine.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			reconciled[m[1]] += int(v)
		} else if m := depthLine.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			depth[m[1]] += int(v)
		}
	}
	return reconciled, depth, nil
}
