/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package metrics exports the governance metrics, computed from the cache
// on every scrape.
package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/resource"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
)

// The operator's metrics, in kube-state-metrics style: generated from the
// cache on every scrape, so series of deleted objects disappear with them;
// a series per state with value 1 for the current one; labels are names and
// enums only, never free text.
var (
	descProjectInfo = prometheus.NewDesc("p3o_project_info", "Information about a project: its phase and where it sits.",
		[]string{"namespace", "project", "phase", "programme", "portfolio", "office"}, nil)
	descProjectHealth = prometheus.NewDesc("p3o_project_health", "Health of a project: 1 for its current health, 0 for the others.",
		[]string{"namespace", "project", "health"}, nil)
	descProjectBudget = prometheus.NewDesc("p3o_project_budget", "Approved budget of a project, in its office's currency.",
		[]string{"namespace", "project", "currency"}, nil)
	descProjectActual = prometheus.NewDesc("p3o_project_actual_cost", "Cost a project incurred so far.",
		[]string{"namespace", "project", "currency"}, nil)
	descProjectForecast = prometheus.NewDesc("p3o_project_forecast_cost", "Forecast cost of a project at completion (its budget while it reports none).",
		[]string{"namespace", "project", "currency"}, nil)
	descProjectCompliant = prometheus.NewDesc("p3o_project_compliant", "Gate compliance of a project: 1 for its current status (true, false, unknown).",
		[]string{"namespace", "project", "status"}, nil)
	descProjectReport = prometheus.NewDesc("p3o_project_progress_report_timestamp_seconds", "When a project last reported progress (spec.progress.asOf), as a Unix time.",
		[]string{"namespace", "project"}, nil)
	descProgrammeHealth = prometheus.NewDesc("p3o_programme_health", "Health of a programme: 1 for its current health, 0 for the others.",
		[]string{"namespace", "programme", "health"}, nil)
	descProgrammeCompliant = prometheus.NewDesc("p3o_programme_compliant", "Gate compliance of a programme: 1 for its current status (true, false, unknown).",
		[]string{"namespace", "programme", "status"}, nil)
	descPortfolioHealth = prometheus.NewDesc("p3o_portfolio_health", "Rolled-up health of a portfolio: 1 for its current health, 0 for the others.",
		[]string{"namespace", "portfolio", "health"}, nil)
	descPortfolioCapacity = prometheus.NewDesc("p3o_portfolio_capacity", "Budget capacity of a portfolio.",
		[]string{"namespace", "portfolio"}, nil)
	descPortfolioCommitted = prometheus.NewDesc("p3o_portfolio_committed", "Budget a portfolio committed to its programmes and projects.",
		[]string{"namespace", "portfolio"}, nil)
	descOfficeHealth = prometheus.NewDesc("p3o_office_health", "Rolled-up health of an office: 1 for its current health, 0 for the others.",
		[]string{"namespace", "office", "type", "health"}, nil)
	descRollupProjects = prometheus.NewDesc("p3o_rollup_projects", "Open projects beneath an office, portfolio or programme, by health.",
		[]string{"kind", "namespace", "name", "health"}, nil)
	descRollupNonCompliant = prometheus.NewDesc("p3o_rollup_noncompliant", "Projects and programmes beneath an object with at least one unmet gate.",
		[]string{"kind", "namespace", "name"}, nil)
)

var healths = []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed, v1alpha1.HealthUnknown}

// MetricNames lists every metric the operator exports (besides
// controller-runtime's own), for dashboards to be checked against.
var MetricNames = []string{
	"p3o_project_info", "p3o_project_health", "p3o_project_budget", "p3o_project_actual_cost", "p3o_project_forecast_cost",
	"p3o_project_compliant", "p3o_project_progress_report_timestamp_seconds", "p3o_programme_health", "p3o_programme_compliant",
	"p3o_portfolio_health", "p3o_portfolio_capacity", "p3o_portfolio_committed", "p3o_office_health", "p3o_rollup_projects",
	"p3o_rollup_noncompliant",
}

// Collector exports the governance metrics from the cache.
type Collector struct {
	reader client.Reader
}

// Register registers the collector with controller-runtime's
// registry, which the manager serves on its metrics endpoint.
func Register(reader client.Reader) error {
	err := ctrlmetrics.Registry.Register(&Collector{reader: reader})
	if errors.As(err, &prometheus.AlreadyRegisteredError{}) {
		return nil
	}
	return err
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descProjectInfo, descProjectHealth, descProjectBudget, descProjectActual, descProjectForecast,
		descProjectCompliant, descProjectReport, descProgrammeHealth, descProgrammeCompliant, descPortfolioHealth, descPortfolioCapacity,
		descPortfolioCommitted, descOfficeHealth, descRollupProjects, descRollupNonCompliant} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log := ctrl.Log.WithName("metrics")
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	oneOf := func(d *prometheus.Desc, current v1alpha1.Health, labels ...string) {
		if current == "" {
			current = v1alpha1.HealthUnknown
		}
		for _, h := range healths {
			gauge(d, boolean(h == current), append(labels, string(h))...)
		}
	}
	compliance := func(d *prometheus.Desc, obj conditions.Object, labels ...string) {
		status := "unknown"
		if cond := conditions.Get(obj, v1alpha1.ConditionCompliant); cond != nil {
			status = map[string]string{"True": "true", "False": "false"}[string(cond.Status)]
			if status == "" {
				status = "unknown"
			}
		}
		for _, s := range []string{"true", "false", "unknown"} {
			gauge(d, boolean(s == status), append(labels, s)...)
		}
	}
	rollup := func(kind, ns, name string, r v1alpha1.Rollup) {
		for h, n := range map[v1alpha1.Health]int32{v1alpha1.HealthGreen: r.ByHealth.Green, v1alpha1.HealthAmber: r.ByHealth.Amber,
			v1alpha1.HealthRed: r.ByHealth.Red, v1alpha1.HealthUnknown: r.ByHealth.Unknown} {
			gauge(descRollupProjects, float64(n), kind, ns, name, string(h))
		}
		gauge(descRollupNonCompliant, float64(r.Compliance.NonCompliant), kind, ns, name)
	}

	projects := &v1alpha1.ProjectList{}
	if err := c.reader.List(ctx, projects, client.UnsafeDisableDeepCopy); err != nil {
		log.Error(err, "Listing projects for metrics failed; their series are missing from this scrape")
	} else {
		for i := range projects.Items {
			p := &projects.Items[i]
			programme, portfolio := "", ""
			if p.Spec.ProgrammeRef != nil {
				programme = string(p.Spec.ProgrammeRef.Name)
			}
			if p.Spec.PortfolioRef != nil {
				portfolio = string(p.Spec.PortfolioRef.Name)
			}
			gauge(descProjectInfo, 1, p.Namespace, p.Name, string(p.Spec.Phase), programme, portfolio, p.Status.Office.String())
			oneOf(descProjectHealth, p.Status.Health, p.Namespace, p.Name)
			compliance(descProjectCompliant, p, p.Namespace, p.Name)
			currency := string(p.Status.Currency)
			gauge(descProjectBudget, amount(p.Spec.Plan.Budget), p.Namespace, p.Name, currency)
			forecast := p.Spec.Plan.Budget
			if pr := p.Spec.Progress; pr != nil {
				if pr.ActualCost != nil {
					gauge(descProjectActual, amount(pr.ActualCost), p.Namespace, p.Name, currency)
				}
				if pr.ForecastCost != nil {
					forecast = pr.ForecastCost
				}
				if asOf, err := pr.AsOf.Time(); err == nil {
					gauge(descProjectReport, float64(asOf.Unix()), p.Namespace, p.Name)
				}
			}
			gauge(descProjectForecast, amount(forecast), p.Namespace, p.Name, currency)
		}
	}
	programmes := &v1alpha1.ProgrammeList{}
	if err := c.reader.List(ctx, programmes, client.UnsafeDisableDeepCopy); err != nil {
		log.Error(err, "Listing programmes for metrics failed; their series are missing from this scrape")
	} else {
		for i := range programmes.Items {
			p := &programmes.Items[i]
			oneOf(descProgrammeHealth, p.Status.Health, p.Namespace, p.Name)
			compliance(descProgrammeCompliant, p, p.Namespace, p.Name)
			rollup("Programme", p.Namespace, p.Name, p.Status.Rollup)
		}
	}
	portfolios := &v1alpha1.PortfolioList{}
	if err := c.reader.List(ctx, portfolios, client.UnsafeDisableDeepCopy); err != nil {
		log.Error(err, "Listing portfolios for metrics failed; their series are missing from this scrape")
	} else {
		for i := range portfolios.Items {
			p := &portfolios.Items[i]
			oneOf(descPortfolioHealth, p.Status.Rollup.Health, p.Namespace, p.Name)
			if p.Spec.Capacity != nil {
				gauge(descPortfolioCapacity, amount(p.Spec.Capacity), p.Namespace, p.Name)
			}
			if p.Status.Committed != nil {
				gauge(descPortfolioCommitted, amount(p.Status.Committed), p.Namespace, p.Name)
			}
			rollup("Portfolio", p.Namespace, p.Name, p.Status.Rollup)
		}
	}
	offices := &v1alpha1.OfficeList{}
	if err := c.reader.List(ctx, offices, client.UnsafeDisableDeepCopy); err != nil {
		log.Error(err, "Listing offices for metrics failed; their series are missing from this scrape")
	} else {
		for i := range offices.Items {
			o := &offices.Items[i]
			oneOf(descOfficeHealth, o.Status.Rollup.Health, o.Namespace, o.Name, string(o.Spec.Type))
			rollup("Office", o.Namespace, o.Name, o.Status.Rollup)
		}
	}
}

func boolean(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// amount converts money to a float for Prometheus, which only has floats;
// the exact figures stay in status and reports. q is the cache's and is
// not modified.
func amount(q *resource.Quantity) float64 {
	if q == nil {
		return 0
	}
	c := q.DeepCopy()
	return c.AsApproximateFloat64()
}
