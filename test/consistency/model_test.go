/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

// The twin: the organisation read from the YAML that was applied, with
// every aggregate recomputed here from the specs — attachment under
// allowedChildren, office scope counted once, counts, money, benefits,
// risks, committed budget, stale reporting — by code of this test's own.
// What cannot be recomputed from specs without reimplementing the health
// model and the gates (a project's health, a programme's own health, an
// object's Compliant condition) is taken per object from its status, and
// only aggregated here.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/inf.v0"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// amount is money as written in a spec: a quantity string ("1.2M") or a
// plain number (300000).
type amount struct{ d *inf.Dec }

func (a *amount) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(data), `"`)
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return fmt.Errorf("amount %s: %w", data, err)
	}
	a.d = q.AsDec()
	return nil
}

// dec is an amount's value; nil for none.
func (a *amount) dec() *inf.Dec {
	if a == nil {
		return nil
	}
	return a.d
}

type ref struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

// key is the "namespace/name" the reference points at from namespace ns.
func (r *ref) key(ns string) string {
	if r == nil {
		return ""
	}
	if r.Namespace != "" {
		ns = r.Namespace
	}
	return ns + "/" + r.Name
}

type allowedChildren struct {
	Namespaces *struct {
		From     string                `json:"from"`
		Selector *metav1.LabelSelector `json:"selector"`
	} `json:"namespaces"`
}

type reports struct {
	Mode string `json:"mode"`
}

type benefit struct {
	Baseline *amount `json:"baseline"`
	Target   *amount `json:"target"`
	Planned  *amount `json:"planned"`
	Realised *amount `json:"realised"`
	Measure  struct {
		Unit string `json:"unit"`
	} `json:"measure"`
	ProgrammeBenefit string `json:"programmeBenefit"`
}

// improvements are a money benefit's planned and realised improvements as
// the README defines them (level minus baseline, counted downwards when the
// target is below the baseline); nothing for a benefit in another unit or a
// project's contribution to its programme's benefit, whose figures the
// programme holds.
func (b benefit) improvements() (planned, realised *inf.Dec) {
	if b.ProgrammeBenefit != "" || (b.Measure.Unit != "" && b.Measure.Unit != "Money") {
		return nil, nil
	}
	base := new(inf.Dec)
	if b.Baseline != nil {
		base = b.Baseline.dec()
	}
	target := b.Target.dec()
	if target == nil {
		target = b.Planned.dec()
	}
	sign := int64(1)
	if target != nil && target.Cmp(base) < 0 {
		sign = -1
	}
	from := func(level *inf.Dec) *inf.Dec {
		if level == nil {
			return nil
		}
		d := new(inf.Dec).Sub(level, base)
		return d.Mul(d, inf.NewDec(sign, 0))
	}
	return from(target), from(b.Realised.dec())
}

type risk struct {
	// Kind is Threat (or empty, a threat) or Opportunity.
	Kind        string `json:"kind"`
	Probability int64  `json:"probability"`
	Impact      int64  `json:"impact"`
	Status      string `json:"status"`
}

type meta struct {
	Name      string            `json:"name"`
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels"`
}

func (m meta) key() string { return m.Namespace + "/" + m.Name }

type office struct {
	meta
	Spec struct {
		Type               string `json:"type"`
		HubRef             *ref   `json:"hubRef"`
		SupportedObjectRef *struct {
			Kind string `json:"kind"`
			ref
		} `json:"supportedObjectRef"`
		Currency           string `json:"currency"`
		FinancialYearStart int    `json:"financialYearStart"`
		Governance         struct {
			ReportingCadence string `json:"reportingCadence"`
			HighRiskSeverity int64  `json:"highRiskSeverity"`
		} `json:"governance"`
		Reports         reports         `json:"reports"`
		AllowedChildren allowedChildren `json:"allowedChildren"`
	} `json:"spec"`
}

type portfolio struct {
	meta
	Spec struct {
		OfficeRef       ref             `json:"officeRef"`
		Capacity        *amount         `json:"capacity"`
		Reports         reports         `json:"reports"`
		AllowedChildren allowedChildren `json:"allowedChildren"`
		decisionsOfPortfolio
	} `json:"spec"`
}

type programme struct {
	meta
	Spec struct {
		PortfolioRef    ref             `json:"portfolioRef"`
		OfficeRef       *ref            `json:"officeRef"`
		Phase           string          `json:"phase"`
		Budget          *amount         `json:"budget"`
		Benefits        []benefit       `json:"benefits"`
		Risks           []risk          `json:"risks"`
		Reports         reports         `json:"reports"`
		AllowedChildren allowedChildren `json:"allowedChildren"`
		decisionsOfWork
		ClosedOn string    `json:"closedOn"`
		Tranches []tranche `json:"tranches"`
	} `json:"spec"`
}

func (p *programme) phase() string {
	if p.Spec.Phase == "" {
		return "Identifying"
	}
	return p.Spec.Phase
}

type project struct {
	meta
	Spec struct {
		ProgrammeRef *ref   `json:"programmeRef"`
		PortfolioRef *ref   `json:"portfolioRef"`
		OfficeRef    *ref   `json:"officeRef"`
		Phase        string `json:"phase"`
		Plan         struct {
			Budget       *amount      `json:"budget"`
			End          string       `json:"end"`
			BudgetByYear []yearAmount `json:"budgetByYear"`
		} `json:"plan"`
		Progress *struct {
			AsOf            string  `json:"asOf"`
			ActualCost      *amount `json:"actualCost"`
			ForecastCost    *amount `json:"forecastCost"`
			ForecastEnd     string  `json:"forecastEnd"`
			PercentComplete *int    `json:"percentComplete"`
		} `json:"progress"`
		Benefits        []benefit       `json:"benefits"`
		Risks           []risk          `json:"risks"`
		AllowedChildren allowedChildren `json:"allowedChildren"`
		decisionsOfWork
		ClosedOn string `json:"closedOn"`
	} `json:"spec"`
}

func (p *project) phase() string {
	if p.Spec.Phase == "" {
		return "StartingUp"
	}
	return p.Spec.Phase
}

func (p *project) open() bool { return p.phase() != "Closed" }

// forecast is the forecast at completion: the budget while none is reported.
func (p *project) forecast() *inf.Dec {
	if p.Spec.Progress != nil && p.Spec.Progress.ForecastCost != nil {
		return p.Spec.Progress.ForecastCost.dec()
	}
	return p.Spec.Plan.Budget.dec()
}

// costVariance is the reported forecast minus the budget: none while the
// project reports no forecast (the budget stands in for it, so there is no
// variance to state) or states no budget.
func (p *project) costVariance() *inf.Dec {
	if p.Spec.Progress == nil || p.Spec.Progress.ForecastCost == nil || p.Spec.Plan.Budget == nil {
		return nil
	}
	return new(inf.Dec).Sub(p.Spec.Progress.ForecastCost.dec(), p.Spec.Plan.Budget.dec())
}

func (p *project) actual() *inf.Dec {
	if p.Spec.Progress == nil {
		return nil
	}
	return p.Spec.Progress.ActualCost.dec()
}

// observed is what is taken per object from its status: what only the
// health model and the gates can say.
type observed struct {
	// health of each project ("Unknown" when unset) and own health of each
	// programme.
	health, ownHealth map[string]string
	// compliant is the Compliant condition's status of each project and
	// programme ("True", "False", "Unknown").
	compliant map[string]string
}

// org is the organisation as its specs describe it.
type org struct {
	namespaces map[string]map[string]string
	offices    map[string]*office
	portfolios map[string]*portfolio
	programmes map[string]*programme
	projects   map[string]*project
	// practice is what the indicators of practice read of each project's
	// and programme's spec, by "Kind/namespace/name" (evidence_check_test.go).
	practice map[string]*practiceSpec
}

// readOrg reads every object of the YAML files.
func readOrg(files ...string) (*org, error) {
	o := &org{namespaces: map[string]map[string]string{}, offices: map[string]*office{}, portfolios: map[string]*portfolio{},
		programmes: map[string]*programme{}, projects: map[string]*project{}, practice: map[string]*practiceSpec{}}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var raw json.RawMessage
			if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if len(raw) == 0 || string(raw) == "null" {
				continue
			}
			if err := o.add(raw); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
		}
	}
	return o, nil
}

func (o *org) add(raw json.RawMessage) error {
	var head struct {
		Kind     string `json:"kind"`
		Metadata meta   `json:"metadata"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return err
	}
	if err := o.addPractice(head.Kind, head.Metadata.key(), raw); err != nil {
		return err
	}
	decode := func(into any, m *meta) error {
		if err := json.Unmarshal(raw, into); err != nil {
			return fmt.Errorf("%s %s: %w", head.Kind, head.Metadata.key(), err)
		}
		*m = head.Metadata
		return nil
	}
	switch head.Kind {
	case "Namespace":
		o.namespaces[head.Metadata.Name] = head.Metadata.Labels
	case "Office":
		x := &office{}
		o.offices[head.Metadata.key()] = x
		return decode(x, &x.meta)
	case "Portfolio":
		x := &portfolio{}
		o.portfolios[head.Metadata.key()] = x
		return decode(x, &x.meta)
	case "Programme":
		x := &programme{}
		o.programmes[head.Metadata.key()] = x
		return decode(x, &x.meta)
	case "Project":
		x := &project{}
		o.projects[head.Metadata.key()] = x
		return decode(x, &x.meta)
	}
	return nil
}

// admits says whether a parent in parentNS with the given allowedChildren
// admits a child from childNS (Gateway API style: Same by default, All, or
// a label selector on the child's namespace).
func (o *org) admits(parentNS string, a allowedChildren, childNS string) bool {
	if parentNS == childNS {
		return true
	}
	if a.Namespaces == nil {
		return false
	}
	switch a.Namespaces.From {
	case "All":
		return true
	case "Selector":
		sel, err := metav1.LabelSelectorAsSelector(a.Namespaces.Selector)
		return err == nil && sel.Matches(labels.Set(o.namespaces[childNS]))
	}
	return false
}

// officeOf is the office a reference from namespace ns attaches to; "" if
// it does not exist or does not admit ns.
func (o *org) officeOf(r *ref, ns string) string {
	if off, ok := o.offices[r.key(ns)]; ok && o.admits(off.Namespace, off.Spec.AllowedChildren, ns) {
		return off.key()
	}
	return ""
}

// portfolioOfProgramme is the portfolio a programme is counted in ("" for
// none).
func (o *org) portfolioOfProgramme(key string) string {
	p := o.programmes[key]
	if pf, ok := o.portfolios[p.Spec.PortfolioRef.key(p.Namespace)]; ok && o.admits(pf.Namespace, pf.Spec.AllowedChildren, p.Namespace) {
		return pf.key()
	}
	return ""
}

// programmeOfProject is the programme a project is counted in ("" for none).
func (o *org) programmeOfProject(key string) string {
	p := o.projects[key]
	if p.Spec.ProgrammeRef == nil {
		return ""
	}
	if prog, ok := o.programmes[p.Spec.ProgrammeRef.key(p.Namespace)]; ok && o.admits(prog.Namespace, prog.Spec.AllowedChildren, p.Namespace) {
		return prog.key()
	}
	return ""
}

// directPortfolioOfProject is the portfolio a stand-alone project is counted
// in ("" for none).
func (o *org) directPortfolioOfProject(key string) string {
	p := o.projects[key]
	if p.Spec.PortfolioRef == nil {
		return ""
	}
	if pf, ok := o.portfolios[p.Spec.PortfolioRef.key(p.Namespace)]; ok && o.admits(pf.Namespace, pf.Spec.AllowedChildren, p.Namespace) {
		return pf.key()
	}
	return ""
}

// portfolioOfProject is the portfolio a project is counted in, directly or
// through its programme.
func (o *org) portfolioOfProject(key string) string {
	if prog := o.programmeOfProject(key); prog != "" {
		return o.portfolioOfProgramme(prog)
	}
	return o.directPortfolioOfProject(key)
}

// officesAbove are the offices governing an object, the primary one first:
// its own officeRef's, then those it inherits from its programme and
// portfolio.
func (o *org) officesAbovePortfolio(key string) []string {
	pf := o.portfolios[key]
	return nonEmpty(o.officeOf(&pf.Spec.OfficeRef, pf.Namespace))
}

func (o *org) officesAboveProgramme(key string) []string {
	p := o.programmes[key]
	out := []string{}
	if p.Spec.OfficeRef != nil {
		out = nonEmpty(o.officeOf(p.Spec.OfficeRef, p.Namespace))
	}
	if pf := o.portfolioOfProgramme(key); pf != "" {
		out = append(out, o.officesAbovePortfolio(pf)...)
	}
	return out
}

func (o *org) officesAboveProject(key string) []string {
	p := o.projects[key]
	out := []string{}
	if p.Spec.OfficeRef != nil {
		out = nonEmpty(o.officeOf(p.Spec.OfficeRef, p.Namespace))
	}
	if prog := o.programmeOfProject(key); prog != "" {
		out = append(out, o.officesAboveProgramme(prog)...)
	} else if pf := o.directPortfolioOfProject(key); pf != "" {
		out = append(out, o.officesAbovePortfolio(pf)...)
	}
	return out
}

func nonEmpty(s string) []string {
	if s == "" {
		return []string{}
	}
	return []string{s}
}

// first is the primary office of a list, "" for none.
func first(offices []string) string {
	if len(offices) == 0 {
		return ""
	}
	return offices[0]
}

// Defaults of a root office that sets no threshold.
const (
	defaultCadence          = 28 * 24 * time.Hour
	defaultHighRiskSeverity = 15
)

// hubChain runs from an office up its hubRef chain to the root, the root
// last.
func (o *org) hubChain(key string) []*office {
	var chain []*office
	seen := map[string]bool{}
	for key != "" && !seen[key] {
		off, ok := o.offices[key]
		if !ok {
			break
		}
		seen[key] = true
		chain = append(chain, off)
		key = ""
		if off.Spec.HubRef != nil {
			key = off.Spec.HubRef.key(off.Namespace)
		}
	}
	return chain
}

// cadence is the reporting cadence an office holds its projects to: its
// root's (4w unless set), shortened by every satellite below that sets a
// shorter one.
func (o *org) cadence(key string) time.Duration {
	chain := o.hubChain(key)
	out := defaultCadence
	for i := len(chain) - 1; i >= 0; i-- {
		d, ok := parseCadence(chain[i].Spec.Governance.ReportingCadence)
		if ok && (i == len(chain)-1 || d < out) {
			out = d
		}
	}
	return out
}

func parseCadence(s string) (time.Duration, bool) {
	if len(s) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil {
		return 0, false
	}
	unit := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	return time.Duration(n) * unit, unit != 0
}

// highRiskSeverity is the severity from which an office counts a risk high.
func (o *org) highRiskSeverity(key string) int64 {
	chain := o.hubChain(key)
	out := int64(defaultHighRiskSeverity)
	for i := len(chain) - 1; i >= 0; i-- {
		if v := chain[i].Spec.Governance.HighRiskSeverity; v != 0 && (i == len(chain)-1 || v < out) {
			out = v
		}
	}
	return out
}

// projectCadence is the shortest cadence of the offices above a project.
func (o *org) projectCadence(key string) time.Duration {
	above := o.officesAboveProject(key)
	if len(above) == 0 {
		return defaultCadence
	}
	out := o.cadence(above[0])
	for _, off := range above[1:] {
		out = min(out, o.cadence(off))
	}
	return out
}

func (o *org) strictestSeverity(above []string) int64 {
	if len(above) == 0 {
		return defaultHighRiskSeverity
	}
	out := o.highRiskSeverity(above[0])
	for _, off := range above[1:] {
		out = min(out, o.highRiskSeverity(off))
	}
	return out
}

// stale says whether a project's reporting is stale at now: in
// Initiating, Delivering or Closing with no progress report, or one as old
// as its cadence.
func (o *org) stale(key string, now time.Time) bool {
	p := o.projects[key]
	switch p.phase() {
	case "Initiating", "Delivering", "Closing":
	default:
		return false
	}
	if p.Spec.Progress == nil {
		return true
	}
	asOf, err := time.Parse(time.DateOnly, p.Spec.Progress.AsOf)
	if err != nil {
		return false
	}
	return now.Sub(asOf) >= o.projectCadence(key)
}

// currency is the currency of an office ("EUR" when it names none, or when
// there is no office).
func (o *org) currency(officeKey string) string {
	if off, ok := o.offices[officeKey]; ok && off.Spec.Currency != "" {
		return off.Spec.Currency
	}
	return "EUR"
}

// scope is what an object's figures cover.
type scope struct {
	kind, key  string
	currency   string
	portfolios []string
	satellites []string
	programmes []string
	projects   []string
	refused    int
}

// projectsOfProgramme lists the projects counted in a programme.
func (o *org) projectsOfProgramme(key string) []string {
	var out []string
	for k := range o.projects {
		if o.programmeOfProject(k) == key {
			out = append(out, k)
		}
	}
	return sorted(out)
}

func (o *org) programmeScope(key string) scope {
	s := scope{kind: "Programme", key: key, currency: o.currency(first(o.officesAboveProgramme(key))), projects: o.projectsOfProgramme(key)}
	for k, p := range o.projects {
		if p.Spec.ProgrammeRef != nil && p.Spec.ProgrammeRef.key(p.Namespace) == key && o.programmeOfProject(k) == "" {
			s.refused++
		}
	}
	return s
}

func (o *org) portfolioScope(key string) scope {
	s := scope{kind: "Portfolio", key: key, currency: o.currency(first(o.officesAbovePortfolio(key)))}
	for k, p := range o.programmes {
		if o.portfolioOfProgramme(k) == key {
			s.programmes = append(s.programmes, k)
		} else if p.Spec.PortfolioRef.key(p.Namespace) == key {
			s.refused++
		}
	}
	for k, p := range o.projects {
		if o.portfolioOfProject(k) == key {
			s.projects = append(s.projects, k)
		}
		if p.Spec.PortfolioRef != nil && p.Spec.PortfolioRef.key(p.Namespace) == key && o.directPortfolioOfProject(k) == "" {
			s.refused++
		}
	}
	s.programmes, s.projects = sorted(s.programmes), sorted(s.projects)
	return s
}

// officeScope is everything an office governs or supports, counted once:
// its portfolios and, through its satellites (recursively), theirs; the
// programmes and projects naming it or a satellite in officeRef, or
// supported by one of them, and the projects of those programmes.
func (o *org) officeScope(key string) scope {
	s := scope{kind: "Office", key: key, currency: o.currency(key)}
	programmes, projects := map[string]bool{}, map[string]bool{}
	seen := map[string]bool{key: true}
	queue := []string{key}
	for len(queue) > 0 {
		current := queue[0]
		queue = queue[1:]
		for k, pf := range o.portfolios {
			if pf.Spec.OfficeRef.key(pf.Namespace) != current {
				continue
			}
			if o.officeOf(&pf.Spec.OfficeRef, pf.Namespace) != current {
				if current == key {
					s.refused++
				}
				continue
			}
			s.portfolios = append(s.portfolios, k)
			inner := o.portfolioScope(k)
			for _, j := range inner.programmes {
				programmes[j] = true
			}
			for _, j := range inner.projects {
				projects[j] = true
			}
		}
		for k, sat := range o.offices {
			if sat.Spec.HubRef == nil || sat.Spec.HubRef.key(sat.Namespace) != current || seen[k] {
				continue
			}
			if o.officeOf(sat.Spec.HubRef, sat.Namespace) != current {
				if current == key {
					s.refused++
				}
				continue
			}
			seen[k] = true
			s.satellites = append(s.satellites, k)
			queue = append(queue, k)
		}
		o.directScope(current, programmes, projects)
	}
	s.programmes, s.projects = sorted(keys(programmes)), sorted(keys(projects))
	s.portfolios, s.satellites = sorted(s.portfolios), sorted(s.satellites)
	return s
}

// directScope adds what an office governs or supports outside portfolios:
// the programmes and projects naming it in officeRef and the object it
// supports, with the projects of those programmes.
func (o *org) directScope(key string, programmes, projects map[string]bool) {
	off := o.offices[key]
	supported := ""
	if ref := off.Spec.SupportedObjectRef; ref != nil {
		supported = ref.Kind + "/" + ref.key(off.Namespace)
	}
	for k, p := range o.programmes {
		if (p.Spec.OfficeRef != nil && o.officeOf(p.Spec.OfficeRef, p.Namespace) == key) ||
			(supported == "Programme/"+k && o.admits(p.Namespace, p.Spec.AllowedChildren, off.Namespace)) {
			programmes[k] = true
			for _, j := range o.projectsOfProgramme(k) {
				projects[j] = true
			}
		}
	}
	for k, p := range o.projects {
		if (p.Spec.OfficeRef != nil && o.officeOf(p.Spec.OfficeRef, p.Namespace) == key) ||
			(supported == "Project/"+k && o.admits(p.Namespace, p.Spec.AllowedChildren, off.Namespace)) {
			projects[k] = true
		}
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sorted(s []string) []string {
	sort.Strings(s)
	return s
}

// figures are the aggregates of a scope, as every output should show them.
type figures struct {
	Portfolios, Satellites, Programmes, Projects int
	// ByHealth counts open projects by health; ByPhase counts projects and
	// programmes ("Project/Delivering").
	ByHealth map[string]int
	ByPhase  map[string]int
	Health   string
	// Money; nil when unknown (no amounts, or amounts in another currency).
	Currency                           string
	Budget, Actual, Forecast, Variance *inf.Dec
	Committed                          *inf.Dec
	BenefitsPlanned, BenefitsRealised  *inf.Dec
	Capacity                           *inf.Dec
	OverCommitted                      *bool
	RisksOpen, RisksHigh, Exposure     int64
	Opportunities, OpportunityExposure int64
	Compliant, NonCompliant, Unknown   int
	Refused                            int
	// Red lists the Red open projects.
	Red []string
}

var healthRank = map[string]int{"Unknown": 0, "Green": 1, "Amber": 2, "Red": 3}

func worse(a, b string) string {
	if healthRank[b] > healthRank[a] {
		return b
	}
	return a
}

func add(sum **inf.Dec, d *inf.Dec) {
	if d == nil {
		return
	}
	if *sum == nil {
		*sum = new(inf.Dec)
	}
	*sum = new(inf.Dec).Add(*sum, d)
}

func (o *org) figures(s scope, obs observed) figures {
	f := figures{
		Portfolios: len(s.portfolios), Satellites: len(s.satellites), Programmes: len(s.programmes), Projects: len(s.projects),
		ByHealth: map[string]int{"Green": 0, "Amber": 0, "Red": 0, "Unknown": 0}, ByPhase: map[string]int{},
		Health: "Unknown", Currency: s.currency, Refused: s.refused,
	}
	mixed := false
	compliance := func(key string) {
		switch obs.compliant[key] {
		case "True":
			f.Compliant++
		case "False":
			f.NonCompliant++
		default:
			f.Unknown++
		}
	}
	risks := func(rs []risk, high int64) {
		for _, r := range rs {
			if r.Status == "Closed" {
				continue
			}
			if r.Kind == "Opportunity" {
				// M_o_R reports opportunities apart; only threats are high.
				f.Opportunities++
				f.OpportunityExposure += r.Probability * r.Impact
				continue
			}
			f.RisksOpen++
			f.Exposure += r.Probability * r.Impact
			if r.Probability*r.Impact >= high {
				f.RisksHigh++
			}
		}
	}
	benefits := func(bs []benefit) {
		for _, b := range bs {
			planned, realised := b.improvements()
			add(&f.BenefitsPlanned, planned)
			add(&f.BenefitsRealised, realised)
		}
	}
	for _, k := range s.projects {
		p := o.projects[k]
		f.ByPhase["Project/"+p.phase()]++
		if p.open() {
			h := obs.health[k]
			f.ByHealth[h]++
			f.Health = worse(f.Health, h)
			if h == "Red" {
				f.Red = append(f.Red, k)
			}
		}
		compliance(k)
		above := o.officesAboveProject(k)
		risks(p.Spec.Risks, o.strictestSeverity(above))
		if len(above) > 0 && o.currency(above[0]) != s.currency {
			mixed = true
			continue
		}
		add(&f.Budget, p.Spec.Plan.Budget.dec())
		add(&f.Committed, p.Spec.Plan.Budget.dec())
		add(&f.Actual, p.actual())
		add(&f.Forecast, p.forecast())
		benefits(p.Spec.Benefits)
	}
	for _, k := range s.programmes {
		p := o.programmes[k]
		f.ByPhase["Programme/"+p.phase()]++
		if p.phase() != "Closed" {
			f.Health = worse(f.Health, obs.ownHealth[k])
		}
		compliance(k)
		above := o.officesAboveProgramme(k)
		risks(p.Spec.Risks, o.strictestSeverity(above))
		add(&f.Committed, p.Spec.Budget.dec())
		benefits(p.Spec.Benefits)
	}
	if s.kind == "Programme" {
		// A programme's register is its own: its benefits count in its
		// rollup as its projects' own do.
		benefits(o.programmes[s.key].Spec.Benefits)
	}
	if s.kind == "Programme" && len(s.projects) == 0 {
		f.Health = "" // nothing to judge beside its own health: RolledUp NoChildren
	}
	if mixed {
		f.Budget, f.Actual, f.Forecast, f.Committed, f.BenefitsPlanned, f.BenefitsRealised = nil, nil, nil, nil, nil, nil
	}
	if f.Budget != nil && f.Forecast != nil {
		f.Variance = new(inf.Dec).Sub(f.Forecast, f.Budget)
	}
	if s.kind == "Portfolio" {
		f.Capacity = o.portfolios[s.key].Spec.Capacity.dec()
		if f.Capacity != nil && !mixed {
			over := f.Committed != nil && f.Committed.Cmp(f.Capacity) > 0
			f.OverCommitted = &over
		}
	}
	if s.kind != "Portfolio" {
		f.Committed = nil // only a portfolio states what it committed
	}
	return f
}

// reportsEnabled says whether an object publishes a live report: Offices
// and Portfolios unless Disabled, Programmes only when Enabled.
func (o *org) reportsEnabled(kind, key string) bool {
	switch kind {
	case "Office":
		return o.offices[key].Spec.Reports.Mode != "Disabled"
	case "Portfolio":
		return o.portfolios[key].Spec.Reports.Mode != "Disabled"
	}
	return o.programmes[key].Spec.Reports.Mode == "Enabled"
}

// scopes lists every Office, Portfolio and Programme with its scope.
func (o *org) scopes() []scope {
	var out []scope
	for _, k := range sorted(keysOf(o.offices)) {
		out = append(out, o.officeScope(k))
	}
	for _, k := range sorted(keysOf(o.portfolios)) {
		out = append(out, o.portfolioScope(k))
	}
	for _, k := range sorted(keysOf(o.programmes)) {
		out = append(out, o.programmeScope(k))
	}
	return out
}

func keysOf[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func split(key string) (string, string) {
	ns, name, _ := strings.Cut(key, "/")
	return ns, name
}
