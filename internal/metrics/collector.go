/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package metrics exports the governance metrics, computed from the cache
// on every scrape.
package metrics

import (
	"bufio"
	"cmp"
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/conditions"
	"p3o.dev/p3o-operator/internal/evidence"
	"p3o.dev/p3o-operator/internal/governance"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/money"
	"p3o.dev/p3o-operator/internal/travel"
)

// The operator's metrics, in kube-state-metrics style: written from the
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
	descProjectInfo              = newFamily("p3o_project_info", "Information about a project: its phase, the programme and portfolio it is counted in, and its governing office.", "namespace", "project", "phase", "programme", "programme_namespace", "portfolio", "portfolio_namespace", "office", "office_namespace")
	descProjectStale             = newFamily("p3o_project_stale", "1 when a project in Initiating, Delivering or Closing has no progress report within its reporting cadence (or none at all), else 0.", "namespace", "project")
	descProjectCadence           = newFamily("p3o_project_reporting_cadence_seconds", "The reporting cadence a project is held to: the shortest of the effective policies of the offices above it.", "namespace", "project")
	descProgrammeInfo            = newFamily("p3o_programme_info", "Information about a programme: its phase, the portfolio it is counted in, and its governing office.", "namespace", "programme", "phase", "portfolio", "portfolio_namespace", "office", "office_namespace")
	descPortfolioInfo            = newFamily("p3o_portfolio_info", "Information about a portfolio: its governing office.", "namespace", "portfolio", "office", "office_namespace")
	descProjectHealth            = newFamily("p3o_project_health", "Health of a project: 1 for its current health, 0 for the others.", "namespace", "project", "health")
	descProjectBudget            = newFamily("p3o_project_budget", "Approved budget of a project, in its office's currency.", "namespace", "project", "currency")
	descProjectActual            = newFamily("p3o_project_actual_cost", "Cost a project incurred so far.", "namespace", "project", "currency")
	descProjectForecast          = newFamily("p3o_project_forecast_cost", "Forecast cost of a project at completion (its budget while it reports none).", "namespace", "project", "currency")
	descProjectCompliant         = newFamily("p3o_project_compliant", "Gate compliance of a project: 1 for its current status (true, false, unknown).", "namespace", "project", "status")
	descProjectReport            = newFamily("p3o_project_progress_report_timestamp_seconds", "When a project last reported progress (spec.progress.asOf), as a Unix time.", "namespace", "project")
	descProjectException         = newFamily("p3o_project_tolerance_exception", "1 for each kind of a project's forecasts beyond tolerance (status.toleranceExceptions: CostOverrun, Underspend, LateFinish, EarlyFinish, RiskExposure, RiskSeverity, Benefits, Scope, Quality), PRINCE2's exceptions; no series for a kind the project is not in exception for.", "namespace", "project", "kind")
	descProjectRiskExposure      = newFamily("p3o_project_risk_exposure", "Summed severity (probability x impact) of a project's open risks by kind (Threat, Opportunity; status.risks), reported apart: an opportunity never offsets a threat. No series for a project with no open risk.", "namespace", "project", "kind")
	descProgrammeHealth          = newFamily("p3o_programme_health", "Health of a programme: 1 for its current health, 0 for the others.", "namespace", "programme", "health")
	descProgrammeCompliant       = newFamily("p3o_programme_compliant", "Gate compliance of a programme: 1 for its current status (true, false, unknown).", "namespace", "programme", "status")
	descPortfolioHealth          = newFamily("p3o_portfolio_health", "Rolled-up health of a portfolio: 1 for its current health, 0 for the others.", "namespace", "portfolio", "health")
	descPortfolioCapacity        = newFamily("p3o_portfolio_capacity", "Budget capacity of a portfolio.", "namespace", "portfolio")
	descPortfolioCommitted       = newFamily("p3o_portfolio_committed", "Budget a portfolio committed to its programmes and projects.", "namespace", "portfolio")
	descPortfolioCapacityByYear  = newFamily("p3o_portfolio_capacity_by_year", "Budget capacity of a portfolio in one financial year (spec.capacityByYear), the year named by the calendar year it starts in.", "namespace", "portfolio", "year")
	descPortfolioCommittedByYear = newFamily("p3o_portfolio_committed_by_year", "Budget a portfolio committed in one financial year (status.committedByYear; 0 for a year with a capacity and nothing phased into it).", "namespace", "portfolio", "year")
	descPortfolioOverByYear      = newFamily("p3o_portfolio_over_committed_by_year", "1 when a portfolio's committed money in a financial year exceeds its capacity for the year, 0 when it does not; no series for a year without a capacity.", "namespace", "portfolio", "year")
	descPortfolioShare           = newFamily("p3o_portfolio_balance_share", "Share of a portfolio's committed money in one category or objective (0 to 1; status.strategy).", "namespace", "portfolio", "dimension", "name")
	descPortfolioTarget          = newFamily("p3o_portfolio_balance_target_share", "Target share of a portfolio's committed money for one category or objective (0 to 1), where the portfolio sets one.", "namespace", "portfolio", "dimension", "name")
	descPortfolioWeight          = newFamily("p3o_portfolio_balance_weight", "Balance of a category or objective against its target: 1 for its current weight (OverWeight, UnderWeight, Balanced, NoTarget), 0 for the others.", "namespace", "portfolio", "dimension", "name", "weight")
	descPortfolioRank            = newFamily("p3o_portfolio_work_rank", "Rank of an open programme or direct project in its portfolio (1 the first; status.strategy.ranking, the first 20).", "namespace", "portfolio", "kind", "name")
	descPortfolioScore           = newFamily("p3o_portfolio_work_score", "Strategic score (0 to 100) of an open programme or direct project ranked in its portfolio.", "namespace", "portfolio", "kind", "name")
	descOfficeHealth             = newFamily("p3o_office_health", "Rolled-up health of an office: 1 for its current health, 0 for the others.", "namespace", "office", "type", "health")
	descRollupBenefits           = newFamily("p3o_rollup_benefits", "Money benefits beneath an office, portfolio or programme, counted once (a project's contribution to a programme benefit counts in that benefit), as improvements from their baselines in the object's currency (status.rollup.benefits); no series for a figure nobody states.", "kind", "namespace", "name", "figure")
	descRollupBenefitsByYear     = newFamily("p3o_rollup_benefits_by_year", "Money benefits beneath an office, portfolio or programme by the financial year they fall due in (status.rollup.benefits.byYear), as p3o_rollup_benefits counts them.", "kind", "namespace", "name", "year", "figure")
	descRollupProjects           = newFamily("p3o_rollup_projects", "Open projects beneath an office, portfolio or programme, by health.", "kind", "namespace", "name", "health")
	descRollupNonCompliant       = newFamily("p3o_rollup_noncompliant", "Projects and programmes beneath an object with at least one unmet gate.", "kind", "namespace", "name")
	descTravelProjects           = newFamily("p3o_direction_of_travel_projects", "Projects beneath an office, portfolio or programme by how their health moved since the last sealed snapshot of its report (Improved, Declined, Unchanged, Joined, Left; status.directionOfTravel); no series until a report was compared.", "kind", "namespace", "name", "direction")
	descOfficeEvidence           = newFamily("p3o_office_evidence_share", "An office's indicator of practice under a P3M3 perspective (status.evidence; docs/evidence.md): the share, 0 to 1, of what is in scope that shows the practice; no series for an indicator with nothing in scope or a perspective not evidenced. Evidence of practice, not a maturity level or an assessment.", "namespace", "office", "perspective", "indicator")
	descTravelPersistent         = newFamily("p3o_direction_of_travel_persistently_red_or_amber_projects", "Projects beneath an office, portfolio or programme Red or Amber for two report periods or more in a row (status.directionOfTravel).", "kind", "namespace", "name")
)

var healths = []v1alpha1.Health{v1alpha1.HealthGreen, v1alpha1.HealthAmber, v1alpha1.HealthRed, v1alpha1.HealthUnknown}

// MetricNames lists every metric the operator exports (besides
// controller-runtime's own), for dashboards to be checked against.
var MetricNames = func() []string {
	var names []string
	for _, f := range families {
		names = append(names, f.name)
	}
	return names
}()

// Labels are the label names of each metric the operator exports (besides
// controller-runtime's own), by metric name.
func Labels() map[string][]string {
	labels := map[string][]string{}
	for _, f := range families {
		labels[f.name] = slices.Clone(f.labels)
	}
	return labels
}

// families lists every family in the order a scrape writes them.
var families = []*family{descProjectInfo, descProjectStale, descProjectCadence, descProgrammeInfo, descPortfolioInfo,
	descProjectHealth, descProjectBudget, descProjectActual, descProjectForecast, descProjectCompliant, descProjectReport,
	descProjectException, descProjectRiskExposure,
	descProgrammeHealth, descProgrammeCompliant, descPortfolioHealth, descPortfolioCapacity, descPortfolioCommitted,
	descPortfolioCapacityByYear, descPortfolioCommittedByYear, descPortfolioOverByYear, descPortfolioShare, descPortfolioTarget, descPortfolioWeight, descPortfolioRank, descPortfolioScore,
	descOfficeHealth, descRollupProjects, descRollupNonCompliant, descRollupBenefits, descRollupBenefitsByYear, descTravelProjects, descTravelPersistent, descOfficeEvidence}

// Exporter writes the governance metrics from the cache on every scrape,
// as it reads them: ten thousand projects are 150,000 series, which the
// client library would build and hold all at once (about 50 MB a scrape).
type Exporter struct {
	mu     sync.RWMutex
	reader client.Reader
	// now is the clock: whether a project's reporting is stale depends on
	// it.
	now func() time.Time
}

// NewExporter is an exporter with nothing to read yet (see Attach).
func NewExporter() *Exporter { return &Exporter{now: time.Now} }

// Attach gives the exporter the cache to read: the manager's, with the
// field indexes of internal/governance. Until then a scrape holds
// controller-runtime's metrics only.
func (e *Exporter) Attach(reader client.Reader) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reader = reader
}

// Write writes every governance series to w in the text format. What
// cannot be read is logged and left out of this scrape.
func (e *Exporter) Write(ctx context.Context, w io.Writer) error {
	e.mu.RLock()
	reader := e.reader
	e.mu.RUnlock()
	if reader == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	log := ctrl.Log.WithName("metrics")
	buffered := bufio.NewWriterSize(w, 32<<10)
	s := &scrape{t: &textWriter{w: buffered}, now: e.now()}
	s.list(ctx, reader, log)
	s.place(newAttachments(ctx, reader, log))

	// A family at a time, in the order of families.
	s.writePlacements()
	s.writeProjects()
	s.writeProgrammes()
	s.writePortfolios()
	s.writeOffices()
	s.writeRollups()
	s.writeEvidence()
	return buffered.Flush()
}

// scrape is one scrape: the objects read from the cache, where each is
// counted, and the writer their series go to.
type scrape struct {
	t   *textWriter
	now time.Time

	projects   []*v1alpha1.Project
	programmes []*v1alpha1.Programme
	portfolios []*v1alpha1.Portfolio
	offices    []*v1alpha1.Office

	// projectPlaces is where each project is counted, by its index in
	// projects; nil when what governs it could not be read.
	projectPlaces []*placement
	// programmePortfolios is the portfolio each programme is counted in,
	// by its index in programmes; nil when it could not be read.
	programmePortfolios []*types.NamespacedName
}

// list reads every project, programme, portfolio and office from the
// cache. A kind that cannot be listed is logged and has no series in this
// scrape.
func (s *scrape) list(ctx context.Context, reader client.Reader, log logr.Logger) {
	if err := listSorted(ctx, reader, &v1alpha1.ProjectList{}, &s.projects); err != nil {
		log.Error(err, "Listing projects for metrics failed; their series are missing from this scrape")
	}
	if err := listSorted(ctx, reader, &v1alpha1.ProgrammeList{}, &s.programmes); err != nil {
		log.Error(err, "Listing programmes for metrics failed; their series are missing from this scrape")
	}
	if err := listSorted(ctx, reader, &v1alpha1.PortfolioList{}, &s.portfolios); err != nil {
		log.Error(err, "Listing portfolios for metrics failed; their series are missing from this scrape")
	}
	if err := listSorted(ctx, reader, &v1alpha1.OfficeList{}, &s.offices); err != nil {
		log.Error(err, "Listing offices for metrics failed; their series are missing from this scrape")
	}
}

// place finds, once, where each project and programme is counted.
func (s *scrape) place(where *attachments) {
	s.projectPlaces = make([]*placement, len(s.projects))
	for i, p := range s.projects {
		if placed, ok := where.project(p); ok {
			s.projectPlaces[i] = &placed
		}
	}
	s.programmePortfolios = make([]*types.NamespacedName, len(s.programmes))
	for i, p := range s.programmes {
		if portfolio, ok := where.portfolioOf(p); ok {
			s.programmePortfolios[i] = &portfolio
		}
	}
}

// healthSeries writes a series of f per health, 1 for current (Unknown
// when unset) and 0 for the others, each with labels and the health.
func (s *scrape) healthSeries(f *family, current v1alpha1.Health, labels ...string) {
	if current == "" {
		current = v1alpha1.HealthUnknown
	}
	for _, h := range healths {
		s.t.gauge(f, boolean(h == current), append(labels, string(h))...)
	}
}

// complianceSeries writes a series of f per compliance status (true,
// false, unknown), 1 for obj's Compliant condition and 0 for the others.
func (s *scrape) complianceSeries(f *family, obj conditions.Object, labels ...string) {
	status := "unknown"
	if cond := conditions.Get(obj, v1alpha1.ConditionCompliant); cond != nil {
		status = map[string]string{"True": "true", "False": "false"}[string(cond.Status)]
		if status == "" {
			status = "unknown"
		}
	}
	for _, st := range []string{"true", "false", "unknown"} {
		s.t.gauge(f, boolean(st == status), append(labels, st)...)
	}
}

// writePlacements writes the families that say where objects are counted:
// each project's info, staleness and cadence, then each programme's and
// portfolio's info.
func (s *scrape) writePlacements() {
	for i, p := range s.projects {
		if placed := s.projectPlaces[i]; placed != nil {
			phase := p.Spec.Phase
			if phase == "" {
				phase = v1alpha1.ProjectStartingUp
			}
			office := objectRef(p.Status.Office)
			s.t.gauge(descProjectInfo, 1, p.Namespace, p.Name, string(phase), placed.programme.Name, placed.programme.Namespace,
				placed.portfolio.Name, placed.portfolio.Namespace, office.Name, office.Namespace)
		}
	}
	for i, p := range s.projects {
		if placed := s.projectPlaces[i]; placed != nil {
			stale, _ := health.Stale(p.Spec, placed.cadence, s.now)
			s.t.gauge(descProjectStale, boolean(stale), p.Namespace, p.Name)
		}
	}
	for i, p := range s.projects {
		if placed := s.projectPlaces[i]; placed != nil {
			s.t.gauge(descProjectCadence, placed.cadence.Seconds(), p.Namespace, p.Name)
		}
	}
	for i, p := range s.programmes {
		if portfolio := s.programmePortfolios[i]; portfolio != nil {
			phase := p.Spec.Phase
			if phase == "" {
				phase = v1alpha1.ProgrammeIdentifying
			}
			office := objectRef(p.Status.Office)
			s.t.gauge(descProgrammeInfo, 1, p.Namespace, p.Name, string(phase), portfolio.Name, portfolio.Namespace, office.Name, office.Namespace)
		}
	}
	for _, p := range s.portfolios {
		office := objectRef(p.Status.Office)
		s.t.gauge(descPortfolioInfo, 1, p.Namespace, p.Name, office.Name, office.Namespace)
	}
}

// writeProjects writes the projects' health, money, compliance and last
// report, a family at a time.
func (s *scrape) writeProjects() {
	for _, p := range s.projects {
		s.healthSeries(descProjectHealth, p.Status.Health, p.Namespace, p.Name)
	}
	for _, p := range s.projects {
		s.t.gauge(descProjectBudget, amount(p.Spec.Plan.Budget), p.Namespace, p.Name, string(p.Status.Currency))
	}
	for _, p := range s.projects {
		if pr := p.Spec.Progress; pr != nil && pr.ActualCost != nil {
			s.t.gauge(descProjectActual, amount(pr.ActualCost), p.Namespace, p.Name, string(p.Status.Currency))
		}
	}
	for _, p := range s.projects {
		s.t.gauge(descProjectForecast, amount(p.Forecast()), p.Namespace, p.Name, string(p.Status.Currency))
	}
	for _, p := range s.projects {
		s.complianceSeries(descProjectCompliant, p, p.Namespace, p.Name)
	}
	for _, p := range s.projects {
		if pr := p.Spec.Progress; pr != nil {
			if asOf, err := pr.AsOf.Time(); err == nil {
				s.t.gauge(descProjectReport, float64(asOf.Unix()), p.Namespace, p.Name)
			}
		}
	}
	s.writeExceptionsAndRisks()
}

// writeExceptionsAndRisks writes each project's tolerance exceptions by
// kind and its threat and opportunity exposure, as its status holds them.
func (s *scrape) writeExceptionsAndRisks() {
	for _, p := range s.projects {
		written := map[v1alpha1.ToleranceExceptionKind]bool{}
		for _, x := range p.Status.ToleranceExceptions {
			if !written[x.Kind] {
				s.t.gauge(descProjectException, 1, p.Namespace, p.Name, string(x.Kind))
				written[x.Kind] = true
			}
		}
	}
	for _, p := range s.projects {
		if r := p.Status.Risks; r.Open > 0 || r.Opportunities > 0 {
			s.t.gauge(descProjectRiskExposure, float64(r.Exposure), p.Namespace, p.Name, string(v1alpha1.RiskThreat))
			s.t.gauge(descProjectRiskExposure, float64(r.OpportunityExposure), p.Namespace, p.Name, string(v1alpha1.RiskOpportunity))
		}
	}
}

// writeProgrammes writes the programmes' health and compliance.
func (s *scrape) writeProgrammes() {
	for _, p := range s.programmes {
		s.healthSeries(descProgrammeHealth, p.Status.Health, p.Namespace, p.Name)
	}
	for _, p := range s.programmes {
		s.complianceSeries(descProgrammeCompliant, p, p.Namespace, p.Name)
	}
}

// writePortfolios writes the portfolios' rolled-up health, capacity and
// committed budget.
func (s *scrape) writePortfolios() {
	for _, p := range s.portfolios {
		s.healthSeries(descPortfolioHealth, p.Status.Rollup.Health, p.Namespace, p.Name)
	}
	for _, p := range s.portfolios {
		if p.Spec.Capacity != nil {
			s.t.gauge(descPortfolioCapacity, amount(p.Spec.Capacity), p.Namespace, p.Name)
		}
	}
	for _, p := range s.portfolios {
		if committed := money.Value(p.Status.Committed); committed != nil {
			s.t.gauge(descPortfolioCommitted, approximate(committed), p.Namespace, p.Name)
		}
	}
	s.writeYears()
	s.writeBalance()
	s.writeRanking()
}

// writeYears writes each portfolio's capacity by financial year (its
// spec) and what it committed in each year, over or within the year's
// capacity (status.committedByYear): at most MaxYears and
// MaxCommittedYears series a portfolio each.
func (s *scrape) writeYears() {
	for _, p := range s.portfolios {
		for _, y := range p.Spec.CapacityByYear {
			s.t.gauge(descPortfolioCapacityByYear, amount(y.Amount), p.Namespace, p.Name, strconv.Itoa(int(y.Year)))
		}
	}
	for _, p := range s.portfolios {
		for _, y := range p.Status.CommittedByYear {
			committed := 0.0
			if c := money.Value(y.Committed); c != nil {
				committed = approximate(c)
			}
			s.t.gauge(descPortfolioCommittedByYear, committed, p.Namespace, p.Name, strconv.Itoa(int(y.Year)))
		}
	}
	for _, p := range s.portfolios {
		for _, y := range p.Status.CommittedByYear {
			if y.OverCommitted != nil {
				s.t.gauge(descPortfolioOverByYear, boolean(*y.OverCommitted), p.Namespace, p.Name, strconv.Itoa(int(y.Year)))
			}
		}
	}
}

// balanceDimension is one dimension of a portfolio's balance: its label
// value and its lines.
type balanceDimension struct {
	name  string
	lines []v1alpha1.BalanceLine
}

// balanceDimensions are a portfolio's balance lines by dimension.
func balanceDimensions(p *v1alpha1.Portfolio) []balanceDimension {
	return []balanceDimension{{"category", p.Status.Strategy.ByCategory}, {"objective", p.Status.Strategy.ByObjective}}
}

// writeBalance writes each portfolio's balance from status.strategy: the
// share of status.committed per category and objective, the target share
// and the weight.
func (s *scrape) writeBalance() {
	weights := []v1alpha1.BalanceWeight{v1alpha1.BalanceOverWeight, v1alpha1.BalanceUnderWeight, v1alpha1.BalanceBalanced, v1alpha1.BalanceNoTarget}
	each := func(write func(p *v1alpha1.Portfolio, dimension string, l v1alpha1.BalanceLine, total float64)) {
		for _, p := range s.portfolios {
			committed := money.Value(p.Status.Committed)
			if committed == nil || committed.Sign() == 0 {
				continue
			}
			total := approximate(committed)
			for _, d := range balanceDimensions(p) {
				for _, l := range d.lines {
					write(p, d.name, l, total)
				}
			}
		}
	}
	each(func(p *v1alpha1.Portfolio, dimension string, l v1alpha1.BalanceLine, total float64) {
		if c := money.Value(l.Committed); c != nil {
			s.t.gauge(descPortfolioShare, approximate(c)/total, p.Namespace, p.Name, dimension, l.Name)
		}
	})
	each(func(p *v1alpha1.Portfolio, dimension string, l v1alpha1.BalanceLine, _ float64) {
		if l.TargetPercent != nil {
			s.t.gauge(descPortfolioTarget, float64(*l.TargetPercent)/100, p.Namespace, p.Name, dimension, l.Name)
		}
	})
	each(func(p *v1alpha1.Portfolio, dimension string, l v1alpha1.BalanceLine, _ float64) {
		for _, w := range weights {
			s.t.gauge(descPortfolioWeight, boolean(l.Weight == w), p.Namespace, p.Name, dimension, l.Name, string(w))
		}
	})
}

// writeRanking writes the rank and score of the work each portfolio ranks
// in status.strategy.ranking.
func (s *scrape) writeRanking() {
	for _, p := range s.portfolios {
		for _, w := range p.Status.Strategy.Ranking {
			s.t.gauge(descPortfolioRank, float64(w.Rank), p.Namespace, p.Name, string(w.Kind), w.Name)
		}
	}
	for _, p := range s.portfolios {
		for _, w := range p.Status.Strategy.Ranking {
			if w.Score != nil {
				s.t.gauge(descPortfolioScore, float64(*w.Score), p.Namespace, p.Name, string(w.Kind), w.Name)
			}
		}
	}
}

// writeOffices writes the offices' rolled-up health.
func (s *scrape) writeOffices() {
	for _, o := range s.offices {
		s.healthSeries(descOfficeHealth, o.Status.Rollup.Health, o.Namespace, o.Name, string(o.Spec.Type))
	}
}

// writeEvidence writes each office's measured indicators of practice, as
// its status.evidence holds them.
func (s *scrape) writeEvidence() {
	for _, o := range s.offices {
		for _, i := range o.Status.Evidence.Indicators {
			if share, ok := evidence.Share(i); ok {
				s.t.gauge(descOfficeEvidence, share, o.Namespace, o.Name, string(i.Perspective), string(i.Indicator))
			}
		}
	}
}

// rolledUp is the rollup of a programme, portfolio or office, named as the
// rollup families label it.
type rolledUp struct {
	kind, namespace, name string
	rollup                *v1alpha1.Rollup
	travel                *v1alpha1.DirectionOfTravel
}

// rollups lists the rollups of every programme, then every portfolio, then
// every office.
func (s *scrape) rollups() []rolledUp {
	var rollups []rolledUp
	for _, p := range s.programmes {
		rollups = append(rollups, rolledUp{"Programme", p.Namespace, p.Name, &p.Status.Rollup, &p.Status.DirectionOfTravel})
	}
	for _, p := range s.portfolios {
		rollups = append(rollups, rolledUp{"Portfolio", p.Namespace, p.Name, &p.Status.Rollup, &p.Status.DirectionOfTravel})
	}
	for _, o := range s.offices {
		rollups = append(rollups, rolledUp{"Office", o.Namespace, o.Name, &o.Status.Rollup, &o.Status.DirectionOfTravel})
	}
	return rollups
}

// writeRollups writes the open projects by health and the non-compliant
// count beneath each programme, portfolio and office.
func (s *scrape) writeRollups() {
	rollups := s.rollups()
	for _, r := range rollups {
		byHealth := r.rollup.ByHealth
		for i, n := range []int32{byHealth.Green, byHealth.Amber, byHealth.Red, byHealth.Unknown} { // the order of healths
			s.t.gauge(descRollupProjects, float64(n), r.kind, r.namespace, r.name, string(healths[i]))
		}
	}
	for _, r := range rollups {
		s.t.gauge(descRollupNonCompliant, float64(r.rollup.Compliance.NonCompliant), r.kind, r.namespace, r.name)
	}
	s.writeBenefits(rollups)
	s.writeTravel(rollups)
}

// benefitFigures are the figures of a benefits summary or one of its
// years, by the figure label: planned, forecast, realised.
func benefitFigures(planned, forecast, realised v1alpha1.Amount) [3]struct {
	figure string
	value  v1alpha1.Amount
} {
	return [3]struct {
		figure string
		value  v1alpha1.Amount
	}{{"planned", planned}, {"forecast", forecast}, {"realised", realised}}
}

// writeBenefits writes the money benefits beneath each programme,
// portfolio and office, whole and by the year they fall due in.
func (s *scrape) writeBenefits(rollups []rolledUp) {
	for _, r := range rollups {
		b := r.rollup.Benefits
		for _, f := range benefitFigures(b.Planned, b.Forecast, b.Realised) {
			if v := money.Value(f.value); v != nil {
				s.t.gauge(descRollupBenefits, approximate(v), r.kind, r.namespace, r.name, f.figure)
			}
		}
	}
	for _, r := range rollups {
		for _, y := range r.rollup.Benefits.ByYear {
			for _, f := range benefitFigures(y.Planned, y.Forecast, y.Realised) {
				if v := money.Value(f.value); v != nil {
					s.t.gauge(descRollupBenefitsByYear, approximate(v), r.kind, r.namespace, r.name, strconv.Itoa(int(y.Year)), f.figure)
				}
			}
		}
	}
}

// writeTravel writes the direction of travel counts of each object whose
// report was compared with an earlier period's.
func (s *scrape) writeTravel(rollups []rolledUp) {
	for _, r := range rollups {
		if t := r.travel; t.Since != nil {
			for _, c := range []struct {
				direction travel.Direction
				n         int32
			}{{travel.Improved, t.Improved}, {travel.Declined, t.Declined}, {travel.Unchanged, t.Unchanged}, {travel.Joined, t.Joined}, {travel.Left, t.Left}} {
				s.t.gauge(descTravelProjects, float64(c.n), r.kind, r.namespace, r.name, string(c.direction))
			}
		}
	}
	for _, r := range rollups {
		if t := r.travel; t.Since != nil {
			s.t.gauge(descTravelPersistent, float64(t.PersistentlyRedOrAmber), r.kind, r.namespace, r.name)
		}
	}
}

// listSorted lists every object of list's kind from the cache, without
// copying them (they are only read), ordered by namespace and name so that
// scrapes are written in a stable order.
func listSorted[T client.Object](ctx context.Context, reader client.Reader, list client.ObjectList, into *[]T) error {
	if err := reader.List(ctx, list, client.UnsafeDisableDeepCopy); err != nil {
		return err
	}
	err := meta.EachListItem(list, func(o runtime.Object) error {
		*into = append(*into, o.(T))
		return nil
	})
	slices.SortFunc(*into, func(a, b T) int {
		return cmp.Or(strings.Compare(a.GetNamespace(), b.GetNamespace()), strings.Compare(a.GetName(), b.GetName()))
	})
	return err
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

// approximate converts an amount read from status (money.Value) to the
// nearest float for Prometheus. d.String() is a plain decimal, which
// ParseFloat always reads (rounding it to the nearest float).
func approximate(d *inf.Dec) float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}
