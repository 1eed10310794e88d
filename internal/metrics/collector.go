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

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/health"
)

// The operator's metrics, in kube-state-metrics style: generated from the
// cache on every scrape, so series of deleted objects disappear with them;
// a series per state with value 1 for the current one; labels are names and
// enums only, never free text.
//
// Labels name objects one way throughout: an object's own namespace is
// "namespace" and its name is labelled by its kind ("project",
// "programme", "portfolio", "office"); an object it refers to is labelled
// by the referent's kind with its name, and "<kind>_namespace" with its
// namespace, because references may cross namespaces. Both are "" when
// there is no such referent: a programme or portfolio is named only when
// the reference resolves and the parent admits the child (it is then
// counted there), and the office is status.office, the governing Office.
// A project's portfolio is its own portfolioRef's, or its programme's.
var (
	descProjectInfo        = newFamily("p3o_project_info", "Information about a project: its phase, the programme and portfolio it is counted in, and its governing office.", "namespace", "project", "phase", "programme", "programme_namespace", "portfolio", "portfolio_namespace", "office", "office_namespace")
	descProjectStale       = newFamily("p3o_project_stale", "1 when a project in Initiating, Delivering or Closing has no progress report within its reporting cadence (or none at all), else 0.", "namespace", "project")
	descProjectCadence     = newFamily("p3o_project_reporting_cadence_seconds", "The reporting cadence a project is held to: the shortest of the effective policies of the offices above it.", "namespace", "project")
	descProgrammeInfo      = newFamily("p3o_programme_info", "Information about a programme: its phase, the portfolio it is counted in, and its governing office.", "namespace", "programme", "phase", "portfolio", "portfolio_namespace", "office", "office_namespace")
	descPortfolioInfo      = newFamily("p3o_portfolio_info", "Information about a portfolio: its governing office.", "namespace", "portfolio", "office", "office_namespace")
	descProjectHealth      = newFamily("p3o_project_health", "Health of a project: 1 for its current health, 0 for the others.", "namespace", "project", "health")
	descProjectBudget      = newFamily("p3o_project_budget", "Approved budget of a project, in its office's currency.", "namespace", "project", "currency")
	descProjectActual      = newFamily("p3o_project_actual_cost", "Cost a project incurred so far.", "namespace", "project", "currency")
	descProjectForecast    = newFamily("p3o_project_forecast_cost", "Forecast cost of a project at completion (its budget while it reports none).", "namespace", "project", "currency")
	descProjectCompliant   = newFamily("p3o_project_compliant", "Gate compliance of a project: 1 for its current status (true, false, unknown).", "namespace", "project", "status")
	descProjectReport      = newFamily("p3o_project_progress_report_timestamp_seconds", "When a project last reported progress (spec.progress.asOf), as a Unix time.", "namespace", "project")
	descProgrammeHealth    = newFamily("p3o_programme_health", "Health of a programme: 1 for its current health, 0 for the others.", "namespace", "programme", "health")
	descProgrammeCompliant = newFamily("p3o_programme_compliant", "Gate compliance of a programme: 1 for its current status (true, false, unknown).", "namespace", "programme", "status")
	descPortfolioHealth    = newFamily("p3o_portfolio_health", "Rolled-up health of a portfolio: 1 for its current health, 0 for the others.", "namespace", "portfolio", "health")
	descPortfolioCapacity  = newFamily("p3o_portfolio_capacity", "Budget capacity of a portfolio.", "namespace", "portfolio")
	descPortfolioCommitted = newFamily("p3o_portfolio_committed", "Budget a portfolio committed to its programmes and projects.", "namespace", "portfolio")
	descOfficeHealth       = newFamily("p3o_office_health", "Rolled-up health of an office: 1 for its current health, 0 for the others.", "namespace", "office", "type", "health")
	descRollupProjects     = newFamily("p3o_rollup_projects", "Open projects beneath an office, portfolio or programme, by health.", "kind", "namespace", "name", "health")
	descRollupNonCompliant = newFamily("p3o_rollup_noncompliant", "Projects and programmes beneath an object with at least one unmet gate.", "kind", "namespace", "name")
)

var healths = []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed, v1alpha1.HealthUnknown}

// MetricNames lists every metric the operator exports (besides
// controller-runtime's own), for dashboards to be checked against.
var MetricNames = []string{
	"p3o_project_info", "p3o_project_stale", "p3o_project_reporting_cadence_seconds", "p3o_programme_info", "p3o_portfolio_info",
	"p3o_project_health", "p3o_project_budget", "p3o_project_actual_cost", "p3o_project_forecast_cost", "p3o_project_compliant", "p3o_project_progress_report_timestamp_seconds", "p3o_programme_health", "p3o_programme_compliant",
	"p3o_portfolio_health", "p3o_portfolio_capacity", "p3o_portfolio_committed", "p3o_office_health", "p3o_rollup_projects",
	"p3o_rollup_noncompliant",
}

// Collector exports the governance metrics from the cache.
type Collector struct {
	reader client.Reader
	// now is the clock: whether a project's reporting is stale depends on
	// it.
	now func() time.Time
}

// Register registers the collector with controller-runtime's
// registry, which the manager serves on its metrics endpoint. reader must
// be the manager's cache, with the field indexes of internal/governance.
func Register(reader client.Reader) error {
	err := ctrlmetrics.Registry.Register(&Collector{reader: reader, now: time.Now})
	if errors.As(err, &prometheus.AlreadyRegisteredError{}) {
		return nil
	}
	return err
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, f := range []*family{descProjectInfo, descProjectStale, descProjectCadence, descProgrammeInfo, descPortfolioInfo,
		descProjectHealth, descProjectBudget, descProjectActual, descProjectForecast, descProjectCompliant, descProjectReport, descProgrammeHealth, descProgrammeCompliant, descPortfolioHealth, descPortfolioCapacity,
		descPortfolioCommitted, descOfficeHealth, descRollupProjects, descRollupNonCompliant} {
		ch <- f.desc
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log := ctrl.Log.WithName("metrics")
	pairs := newLabelPairs()
	gauge := func(f *family, v float64, labels ...string) {
		ch <- pairs.gauge(f, v, labels...)
	}
	oneOf := func(d *family, current v1alpha1.Health, labels ...string) {
		if current == "" {
			current = v1alpha1.HealthUnknown
		}
		for _, h := range healths {
			gauge(d, boolean(h == current), append(labels, string(h))...)
		}
	}
	compliance := func(d *family, obj conditions.Object, labels ...string) {
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

	now := c.now()
	where := newAttachments(ctx, c.reader, log)
	projects := &v1alpha1.ProjectList{}
	if err := c.reader.List(ctx, projects, client.UnsafeDisableDeepCopy); err != nil {
		log.Error(err, "Listing projects for metrics failed; their series are missing from this scrape")
	} else {
		for i := range projects.Items {
			p := &projects.Items[i]
			if placed, ok := where.project(p); ok {
				phase := p.Spec.Phase
				if phase == "" {
					phase = v1alpha1.ProjectStartingUp
				}
				office := objectRef(p.Status.Office)
				gauge(descProjectInfo, 1, p.Namespace, p.Name, string(phase), placed.programme.Name, placed.programme.Namespace,
					placed.portfolio.Name, placed.portfolio.Namespace, office.Name, office.Namespace)
				stale, _ := health.Stale(p.Spec, placed.cadence, now)
				gauge(descProjectStale, boolean(stale), p.Namespace, p.Name)
				gauge(descProjectCadence, placed.cadence.Seconds(), p.Namespace, p.Name)
			}
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
			if portfolio, ok := where.portfolioOf(p); ok {
				phase := p.Spec.Phase
				if phase == "" {
					phase = v1alpha1.ProgrammeIdentifying
				}
				office := objectRef(p.Status.Office)
				gauge(descProgrammeInfo, 1, p.Namespace, p.Name, string(phase), portfolio.Name, portfolio.Namespace, office.Name, office.Namespace)
			}
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
			office := objectRef(p.Status.Office)
			gauge(descPortfolioInfo, 1, p.Namespace, p.Name, office.Name, office.Namespace)
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

// objectRef is a status reference, or the zero reference for none.
func objectRef(r *v1alpha1.ObjectReference) v1alpha1.ObjectReference {
	if r == nil {
		return v1alpha1.ObjectReference{}
	}
	return *r
}

// placement is where a project is counted and the cadence it reports on.
type placement struct {
	programme, portfolio types.NamespacedName
	cadence              time.Duration
}

// attachments finds, through internal/governance (the reconcilers' read
// path), the programme and portfolio each object is counted in and the
// reporting cadence each project is held to. It remembers what it read for
// the length of one scrape: projects that make the same references share
// one lookup.
type attachments struct {
	ctx  context.Context
	read governance.Reader
	log  logr.Logger
	// facts are the governance facts per set of references a project makes.
	facts map[string]governance.Facts
	// portfolios are the portfolio each programme is counted in (the zero
	// name when none); failed lists programmes that could not be read.
	portfolios map[types.NamespacedName]types.NamespacedName
	failed     map[types.NamespacedName]bool
}

func newAttachments(ctx context.Context, reader client.Reader, log logr.Logger) *attachments {
	return &attachments{ctx: ctx, read: governance.Reader{Reader: reader}, log: log,
		facts: map[string]governance.Facts{}, portfolios: map[types.NamespacedName]types.NamespacedName{},
		failed: map[types.NamespacedName]bool{}}
}

// project places a project; false when what governs it could not be read
// (its info, stale and cadence series are then missing from this scrape).
func (a *attachments) project(p *v1alpha1.Project) (placement, bool) {
	refs := p.Namespace
	for _, ref := range []*v1alpha1.ParentReference{p.Spec.ProgrammeRef, p.Spec.PortfolioRef, p.Spec.OfficeRef} {
		refs += "|"
		if ref != nil {
			refs += governance.Target(*ref, p.Namespace).String()
		}
	}
	facts, ok := a.facts[refs]
	if !ok {
		var err error
		if facts, err = a.read.SubjectFacts(a.ctx, p); err != nil {
			a.log.Error(err, "Reading what governs a project failed; its info, stale and cadence series are missing from this scrape",
				"project", client.ObjectKeyFromObject(p))
			return placement{}, false
		}
		facts.Reviews = nil // the project's own, not shared
		a.facts[refs] = facts
	}
	out := placement{cadence: facts.HealthPolicy().ReportingCadence}
	if key, ok := governance.Resolved(facts.Resolutions, governance.FieldProgrammeRef); ok {
		out.programme = key
		portfolio, ok := a.portfolioOfKey(key)
		if !ok {
			return placement{}, false
		}
		out.portfolio = portfolio
	} else if key, ok := governance.Resolved(facts.Resolutions, governance.FieldPortfolioRef); ok {
		out.portfolio = key
	}
	return out, true
}

// portfolioOfKey is the portfolio the programme key is counted in, reading
// the programme from the cache.
func (a *attachments) portfolioOfKey(key types.NamespacedName) (types.NamespacedName, bool) {
	if portfolio, ok := a.portfolios[key]; ok {
		return portfolio, true
	}
	if a.failed[key] {
		return types.NamespacedName{}, false
	}
	programme := &v1alpha1.Programme{}
	if err := a.read.Get(a.ctx, key, programme); err != nil {
		a.log.Error(err, "Reading a programme failed; the info series of its projects are missing from this scrape", "programme", key)
		a.failed[key] = true
		return types.NamespacedName{}, false
	}
	return a.portfolioOf(programme)
}

// portfolioOf is the portfolio a programme is counted in: its portfolioRef
// when that resolves and admits it; the zero name otherwise.
func (a *attachments) portfolioOf(p *v1alpha1.Programme) (types.NamespacedName, bool) {
	key := client.ObjectKeyFromObject(p)
	if portfolio, ok := a.portfolios[key]; ok {
		return portfolio, true
	}
	if a.failed[key] {
		return types.NamespacedName{}, false
	}
	resolutions, err := a.read.ResolveAll(a.ctx, p.Namespace,
		governance.Ref{Field: governance.FieldPortfolioRef, Kind: "Portfolio", Ref: &p.Spec.PortfolioRef, Parent: &v1alpha1.Portfolio{}})
	if err != nil {
		a.log.Error(err, "Resolving a programme's portfolio failed; its info series and its projects' are missing from this scrape", "programme", key)
		a.failed[key] = true
		return types.NamespacedName{}, false
	}
	portfolio, _ := governance.Resolved(resolutions, governance.FieldPortfolioRef)
	a.portfolios[key] = portfolio
	return portfolio, true
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
