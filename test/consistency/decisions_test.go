/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

// The twin of the decisions a portfolio board takes (MoP): each open
// programme's and direct project's score and rank, the balance of the
// committed money by category and by objective against the targets,
// capacity per financial year, and the verdict on every dependency. Each is
// recomputed here from the specs as the README states the rule, in exact
// rational arithmetic (math/big), by code of this test's own; only a
// provider's health (what the health model says) is taken from its status.

import (
	"cmp"
	"math/big"
	"slices"
	"time"
)

type yearAmount struct {
	Year   int32   `json:"year"`
	Amount *amount `json:"amount"`
}

type tranche struct {
	Start  string  `json:"start"`
	End    string  `json:"end"`
	Budget *amount `json:"budget"`
}

type contribution struct {
	Objective string `json:"objective"`
	Strength  string `json:"strength"`
}

type dependency struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	NeededBy  string `json:"neededBy"`
}

// decisionsOfPortfolio is what a Portfolio declares for its board.
type decisionsOfPortfolio struct {
	Objectives []struct {
		Name   string `json:"name"`
		Weight int64  `json:"weight"`
	} `json:"objectives"`
	Categories      []string `json:"categories"`
	CategoryTargets []struct {
		Category     string `json:"category"`
		SharePercent *int64 `json:"sharePercent"`
	} `json:"categoryTargets"`
	CapacityByYear []yearAmount `json:"capacityByYear"`
}

// decisionsOfWork is what a Programme or Project declares for its
// portfolio's board.
type decisionsOfWork struct {
	Category      string         `json:"category"`
	Priority      int32          `json:"priority"`
	Contributions []contribution `json:"contributions"`
	DependsOn     []dependency   `json:"dependsOn"`
}

// rat is an amount as an exact rational; nil for none.
func rat(a *amount) *big.Rat {
	if a.dec() == nil {
		return nil
	}
	r, ok := new(big.Rat).SetString(a.dec().String())
	if !ok {
		panic("not a decimal: " + a.dec().String())
	}
	return r
}

// plus adds b (nil adds nothing) to *sum, making it when needed.
func plus(sum **big.Rat, b *big.Rat) {
	if b == nil {
		return
	}
	if *sum == nil {
		*sum = new(big.Rat)
	}
	*sum = new(big.Rat).Add(*sum, b)
}

// halfUp is x rounded half up to a whole number, for x ≥ 0.
func halfUp(x *big.Rat) int64 {
	n := new(big.Int).Mul(x.Num(), big.NewInt(2))
	n.Add(n, x.Denom())
	return n.Quo(n, new(big.Int).Mul(x.Denom(), big.NewInt(2))).Int64()
}

// strengthOf counts a contribution: Low 1, High 3, Medium (or unset) 2.
func strengthOf(s string) int64 {
	switch s {
	case "Low":
		return 1
	case "High":
		return 3
	}
	return 2
}

// weights are a portfolio's objectives by name with their weights (at
// least 1), and their sum.
func (pf *portfolio) weights() (map[string]int64, int64) {
	out, total := map[string]int64{}, int64(0)
	for _, o := range pf.Spec.Objectives {
		w := max(o.Weight, 1)
		out[o.Name] = w
		total += w
	}
	return out, total
}

// score is round(100 × Σ weight × strength / (3 × Σ weights)) over the
// contributions to declared objectives; nil when the portfolio declares
// none.
func (pf *portfolio) score(contributions []contribution) *int64 {
	weights, total := pf.weights()
	if total == 0 {
		return nil
	}
	var sum int64
	for _, c := range contributions {
		sum += weights[c.Objective] * strengthOf(c.Strength)
	}
	s := halfUp(big.NewRat(100*sum, 3*total))
	return &s
}

// component is a programme or direct project of a portfolio.
type component struct {
	kind, key string
	open      bool
	work      decisionsOfWork
	committed *big.Rat
}

// components are a portfolio's admitted programmes and direct projects,
// each with its committed money: a project's budget, a programme's own
// budget plus its projects' budgets.
func (o *org) components(pfKey string) []component {
	s := o.portfolioScope(pfKey)
	var out []component
	for _, k := range s.programmes {
		p := o.programmes[k]
		c := component{kind: "Programme", key: k, open: p.phase() != "Closed", work: p.Spec.decisionsOfWork, committed: rat(p.Spec.Budget)}
		for _, j := range o.projectsOfProgramme(k) {
			plus(&c.committed, rat(o.projects[j].Spec.Plan.Budget))
		}
		out = append(out, c)
	}
	for _, k := range s.projects {
		if o.directPortfolioOfProject(k) != pfKey {
			continue
		}
		p := o.projects[k]
		out = append(out, component{kind: "Project", key: k, open: p.open(), work: p.Spec.decisionsOfWork, committed: rat(p.Spec.Plan.Budget)})
	}
	return out
}

// rankedTwin is one open component in rank order.
type rankedTwin struct {
	kind, key string
	rank      int
	score     int64
	priority  int32
}

// ranking orders the open components by score (highest first), then
// priority (set before unset, 1 first), then namespace and name.
func (o *org) ranking(pfKey string) []rankedTwin {
	pf := o.portfolios[pfKey]
	var out []rankedTwin
	for _, c := range o.components(pfKey) {
		if !c.open {
			continue
		}
		r := rankedTwin{kind: c.kind, key: c.key, priority: c.work.Priority}
		if s := pf.score(c.work.Contributions); s != nil {
			r.score = *s
		}
		out = append(out, r)
	}
	unset := func(p int32) int64 {
		if p <= 0 {
			return 1 << 40
		}
		return int64(p)
	}
	slices.SortFunc(out, func(a, b rankedTwin) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(unset(a.priority), unset(b.priority)),
			cmp.Compare(a.key, b.key), cmp.Compare(a.kind, b.kind))
	})
	for i := range out {
		out[i].rank = i + 1
	}
	return out
}

// lineTwin is the committed money of one category or objective against
// its target.
type lineTwin struct {
	name      string
	committed *big.Rat
	actual    int64
	target    *int64
	weight    string
}

// balanceTwin is a portfolio's balance; known is false when nothing is
// committed.
type balanceTwin struct {
	known                     bool
	total                     *big.Rat
	byCategory, byObjective   []lineTwin
	uncategorised, unaligned  *big.Rat
	objectivesWithoutWork     []string
	unalignedWork             int
	categoryOf, objectiveOf   map[string]*big.Rat
	declaredCategory, covered map[string]bool
}

// balance splits each component's committed money to its category and,
// between the declared objectives it contributes to, by the share of each
// contribution's strength (rounded half up to the cent, the last taking
// the rest); a share more than 5 points off its target is flagged.
func (o *org) balance(pfKey string) balanceTwin {
	pf := o.portfolios[pfKey]
	weights, totalWeight := pf.weights()
	b := balanceTwin{categoryOf: map[string]*big.Rat{}, objectiveOf: map[string]*big.Rat{}, declaredCategory: map[string]bool{}, covered: map[string]bool{}}
	for _, c := range pf.Spec.Categories {
		b.declaredCategory[c] = true
	}
	for _, c := range o.components(pfKey) {
		b.addComponent(c, weights)
	}
	for _, ob := range pf.Spec.Objectives {
		if !b.covered[ob.Name] {
			b.objectivesWithoutWork = append(b.objectivesWithoutWork, ob.Name)
		}
	}
	if b.total == nil || b.total.Sign() == 0 {
		return balanceTwin{objectivesWithoutWork: b.objectivesWithoutWork, unalignedWork: b.unalignedWork}
	}
	b.known = true
	targets := map[string]*big.Rat{}
	for _, t := range pf.Spec.CategoryTargets {
		if t.SharePercent != nil {
			targets[t.Category] = big.NewRat(*t.SharePercent, 1)
		}
	}
	for _, c := range pf.Spec.Categories {
		b.byCategory = append(b.byCategory, b.line(c, b.categoryOf[c], targets[c]))
	}
	for _, ob := range pf.Spec.Objectives {
		b.byObjective = append(b.byObjective, b.line(ob.Name, b.objectiveOf[ob.Name], big.NewRat(100*weights[ob.Name], totalWeight)))
	}
	return b
}

// addComponent counts one component's money, its coverage of objectives
// and whether it is open work contributing to none.
func (b *balanceTwin) addComponent(c component, weights map[string]int64) {
	var declared []contribution
	var strengths int64
	for _, ct := range c.work.Contributions {
		if _, ok := weights[ct.Objective]; ok {
			declared = append(declared, ct)
			strengths += strengthOf(ct.Strength)
		}
		if c.open {
			b.covered[ct.Objective] = true
		}
	}
	if c.open && len(declared) == 0 {
		b.unalignedWork++
	}
	if c.committed == nil {
		return
	}
	plus(&b.total, c.committed)
	if b.declaredCategory[c.work.Category] {
		sum := b.categoryOf[c.work.Category]
		plus(&sum, c.committed)
		b.categoryOf[c.work.Category] = sum
	} else {
		plus(&b.uncategorised, c.committed)
	}
	if len(declared) == 0 {
		plus(&b.unaligned, c.committed)
		return
	}
	rest := new(big.Rat).Set(c.committed)
	for i, ct := range declared {
		share := rest
		if i < len(declared)-1 {
			cents := new(big.Rat).Mul(c.committed, big.NewRat(100*strengthOf(ct.Strength), strengths))
			share = big.NewRat(halfUp(cents), 100)
			rest = new(big.Rat).Sub(rest, share)
		}
		sum := b.objectiveOf[ct.Objective]
		plus(&sum, share)
		b.objectiveOf[ct.Objective] = sum
	}
}

// line is one category's or objective's money against its target share
// (percent; nil for none).
func (b *balanceTwin) line(name string, committed, target *big.Rat) lineTwin {
	if committed == nil {
		committed = new(big.Rat)
	}
	share := new(big.Rat).Quo(new(big.Rat).Mul(committed, big.NewRat(100, 1)), b.total)
	l := lineTwin{name: name, committed: committed, actual: halfUp(share), weight: "NoTarget"}
	if target == nil {
		return l
	}
	t := halfUp(target)
	l.target = &t
	switch {
	case share.Cmp(new(big.Rat).Add(target, big.NewRat(5, 1))) > 0:
		l.weight = "OverWeight"
	case share.Cmp(new(big.Rat).Sub(target, big.NewRat(5, 1))) < 0:
		l.weight = "UnderWeight"
	default:
		l.weight = "Balanced"
	}
	return l
}

// financialYear is the financial year of a date (YYYY-MM-DD) for years
// starting in month start (1 when unset): named by the calendar year in
// which it starts.
func financialYear(date string, start int) (int32, bool) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, false
	}
	if start < 1 {
		start = 1
	}
	y := t.Year()
	if int(t.Month()) < start {
		y--
	}
	return int32(y), true
}

// byYear is money by financial year.
type byYear map[int32]*big.Rat

func (b byYear) add(year int32, v *big.Rat) {
	if v == nil {
		return
	}
	sum := b[year]
	plus(&sum, v)
	b[year] = sum
}

// projectYears is a project's spec.plan.budgetByYear.
func (o *org) projectYears(key string) byYear {
	out := byYear{}
	for _, y := range o.projects[key].Spec.Plan.BudgetByYear {
		out.add(y.Year, rat(y.Amount))
	}
	return out
}

// programmeYears is what a programme commits by year: each tranche's
// budget in the year of its start under its governing office's
// financialYearStart (nothing without the programme's own budget), plus
// its projects' budgets by year.
func (o *org) programmeYears(key string) byYear {
	p := o.programmes[key]
	out := byYear{}
	start := 1
	if off, ok := o.offices[first(o.officesAboveProgramme(key))]; ok {
		start = off.Spec.FinancialYearStart
	}
	if p.Spec.Budget != nil {
		for _, t := range p.Spec.Tranches {
			if y, ok := financialYear(t.Start, start); ok {
				out.add(y, rat(t.Budget))
			}
		}
	}
	for _, j := range o.projectsOfProgramme(key) {
		for y, v := range o.projectYears(j) {
			out.add(y, v)
		}
	}
	return out
}

// yearTwin is one financial year of a portfolio.
type yearTwin struct {
	year      int32
	capacity  *big.Rat
	committed *big.Rat
	// over is nil without a capacity for the year.
	over *bool
}

// portfolioYears are a portfolio's years, earliest first: each with a
// capacity or money phased into it, the money of its programmes and direct
// projects by year against the year's capacity.
func (o *org) portfolioYears(pfKey string) []yearTwin {
	committed := byYear{}
	for _, c := range o.components(pfKey) {
		years := o.projectYears
		if c.kind == "Programme" {
			years = o.programmeYears
		}
		for y, v := range years(c.key) {
			committed.add(y, v)
		}
	}
	capacity := byYear{}
	for _, y := range o.portfolios[pfKey].Spec.CapacityByYear {
		capacity.add(y.Year, rat(y.Amount))
	}
	all := map[int32]bool{}
	for y := range committed {
		all[y] = true
	}
	for y := range capacity {
		all[y] = true
	}
	years := make([]int32, 0, len(all))
	for y := range all {
		years = append(years, y)
	}
	slices.Sort(years)
	var out []yearTwin
	for _, y := range years {
		yt := yearTwin{year: y, capacity: capacity[y], committed: committed[y]}
		if yt.capacity != nil {
			over := yt.committed != nil && yt.committed.Cmp(yt.capacity) > 0
			yt.over = &over
		}
		out = append(out, yt)
	}
	return out
}

// verdictTwin is the verdict on one dependency.
type verdictTwin struct {
	kind, provider, neededBy string
	state, cause, impact     string
	providerEnd              string
}

// providerOf finds a dependency's provider: its key, whether it exists,
// and whether its namespace admits the consumer's.
func (o *org) providerOf(consumerNS string, d dependency) (string, bool, bool) {
	ns := cmp.Or(d.Namespace, consumerNS)
	key := ns + "/" + d.Name
	switch d.Kind {
	case "Project":
		p, ok := o.projects[key]
		return key, ok, ok && o.admits(ns, p.Spec.AllowedChildren, consumerNS)
	case "Programme":
		p, ok := o.programmes[key]
		return key, ok, ok && o.admits(ns, p.Spec.AllowedChildren, consumerNS)
	}
	return key, false, false
}

// dependsOn is an object's spec.dependsOn ("Project" or "Programme").
func (o *org) dependsOn(kind, key string) []dependency {
	if kind == "Project" {
		if p, ok := o.projects[key]; ok {
			return p.Spec.DependsOn
		}
		return nil
	}
	if p, ok := o.programmes[key]; ok {
		return p.Spec.DependsOn
	}
	return nil
}

// reaches says whether following dependencies from kind/key leads to
// target within 16 steps.
func (o *org) reaches(kind, key, target string, depth int) bool {
	if depth > 16 {
		return false
	}
	for _, d := range o.dependsOn(kind, key) {
		ns, _ := split(key)
		next, exists, _ := o.providerOf(ns, d)
		if !exists {
			continue
		}
		if d.Kind+"/"+next == target || o.reaches(d.Kind, next, target, depth+1) {
			return true
		}
	}
	return false
}

// providerEnd is when a provider ends: its closedOn once Closed; a
// project's forecast end, else its planned end; a programme's latest
// project end, else its last tranche's end.
func (o *org) providerEnd(kind, key string) string {
	if kind == "Project" {
		p := o.projects[key]
		switch {
		case p.phase() == "Closed" && p.Spec.ClosedOn != "":
			return p.Spec.ClosedOn
		case p.Spec.Progress != nil && p.Spec.Progress.ForecastEnd != "":
			return p.Spec.Progress.ForecastEnd
		}
		return p.Spec.Plan.End
	}
	p := o.programmes[key]
	if p.phase() == "Closed" && p.Spec.ClosedOn != "" {
		return p.Spec.ClosedOn
	}
	end := ""
	for _, j := range o.projectsOfProgramme(key) {
		end = max(end, o.providerEnd("Project", j))
	}
	if end != "" {
		return end
	}
	for _, t := range p.Spec.Tranches {
		end = max(end, t.End)
	}
	return end
}

// closedUndelivered says whether a provider closed without delivering: a
// project reporting under 100 percent complete, a programme with projects
// still open.
func (o *org) closedUndelivered(kind, key string) bool {
	if kind == "Project" {
		p := o.projects[key]
		return p.phase() == "Closed" && p.Spec.Progress != nil && p.Spec.Progress.PercentComplete != nil && *p.Spec.Progress.PercentComplete < 100
	}
	if o.programmes[key].phase() != "Closed" {
		return false
	}
	for _, j := range o.projectsOfProgramme(key) {
		if o.projects[j].open() {
			return true
		}
	}
	return false
}

// verdicts judges an object's dependencies on the day today; the first
// rule that applies is the cause (the README's table).
func (o *org) verdicts(kind, key string, obs observed, byScope map[string]figures, today string) []verdictTwin {
	var out []verdictTwin
	ns, _ := split(key)
	for _, d := range o.dependsOn(kind, key) {
		provider, exists, admitted := o.providerOf(ns, d)
		v := verdictTwin{kind: d.Kind, provider: provider, neededBy: d.NeededBy, state: "AtRisk"}
		closed := false
		red := false
		if exists {
			v.providerEnd = o.providerEnd(d.Kind, provider)
			if d.Kind == "Project" {
				closed, red = o.projects[provider].phase() == "Closed", obs.health[provider] == "Red"
			} else {
				closed = o.programmes[provider].phase() == "Closed"
				red = worse(obs.ownHealth[provider], byScope["Programme/"+provider].Health) == "Red"
			}
		}
		switch {
		case !exists:
			v.cause = "Missing"
		case !admitted:
			v.cause = "NotAdmitted"
		case o.reaches(d.Kind, provider, kind+"/"+key, 1):
			v.cause = "Cycle"
		case closed && o.closedUndelivered(d.Kind, provider):
			v.cause = "ClosedUndelivered"
		case closed:
			v.state, v.cause = "OnTrack", "Delivered"
		case red:
			v.cause = "ProviderRed"
		case v.providerEnd > d.NeededBy, today > d.NeededBy:
			v.cause = "ForecastLate"
		default:
			v.state, v.cause = "OnTrack", "ForecastOnTime"
		}
		if v.state == "AtRisk" {
			v.impact = "Amber"
			if today > d.NeededBy {
				v.impact = "Red"
			}
		}
		out = append(out, v)
	}
	return out
}
