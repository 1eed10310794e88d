/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

// The decisions a portfolio board takes, as published — status, report.json,
// projects.csv and the metrics — compared with the twin of decisions_test.go.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// ratText is a decimal written as an exact rational ("none" for "", and
// the text marked when it is not a decimal), so that amounts written in
// different but equal forms compare equal.
func ratText(s string) string {
	if s == "" {
		return "none"
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return "not a decimal: " + s
	}
	return r.RatString()
}

// amountText is a status amount as ratText writes it; one not written as
// status writes amounts is marked.
func amountText(a v1alpha1.Amount) string {
	if a != "" && money.Value(a) == nil {
		return "not an amount as status writes it: " + string(a)
	}
	return ratText(string(a))
}

// twinText is the twin's amount as ratText writes it.
func twinText(r *big.Rat) string {
	if r == nil {
		return "none"
	}
	return r.RatString()
}

func intText[T int32 | int64](p *T) string {
	if p == nil {
		return "none"
	}
	return strconv.FormatInt(int64(*p), 10)
}

// lineText is one balance line for comparison.
func lineText(name, committed string, actual int64, target, weight string) string {
	return fmt.Sprintf("%s: %s, %d%%, target %s, %s", name, committed, actual, target, weight)
}

// decisions is what the twin says of one portfolio.
type decisions struct {
	ranking []rankedTwin
	balance balanceTwin
	years   []yearTwin
}

// checkDecisions compares every published figure of the board's decisions
// with the twin.
func checkDecisions(d *diffs, o *org, state *live, obs observed, byScope map[string]figures, m scraped, today string) {
	for _, k := range sorted(keysOf(o.portfolios)) {
		p, ok := state.portfolios[k]
		if !ok {
			continue
		}
		twin := decisions{ranking: o.ranking(k), balance: o.balance(k), years: o.portfolioYears(k)}
		checkStrategyStatus(d, "Portfolio "+k, p.Status.Strategy, twin)
		checkYearsStatus(d, "Portfolio "+k, p.Status.CommittedByYear, twin.years)
		if data, ok := state.reports["Portfolio/"+k]; ok {
			checkDecisionsReport(d, "Portfolio "+k+" report.json", data["report.json"], twin, byScope["Portfolio/"+k])
		}
		checkDecisionsMetrics(d, p.Namespace, p.Name, twin, m)
	}
	for _, k := range sorted(keysOf(o.programmes)) {
		p, ok := state.programmes[k]
		if !ok {
			continue
		}
		where := "Programme " + k
		d.eq(where+" status.score", intText(p.Status.Score), intText(o.scoreOf(o.portfolioOfProgramme(k), o.programmes[k].Spec.Contributions)))
		var years []string
		for _, y := range p.Status.CommittedByYear {
			years = append(years, fmt.Sprintf("%d %s", y.Year, amountText(y.Amount)))
		}
		twinYears := o.programmeYears(k)
		var want []string
		for _, y := range sortedYears(twinYears) {
			want = append(want, fmt.Sprintf("%d %s", y, twinText(twinYears[y])))
		}
		d.eq(where+" status.committedByYear", years, want)
		d.eq(where+" status.dependencies", dependencyTexts(p.Status.Dependencies), verdictTexts(o.verdicts("Programme", k, obs, byScope, today)))
	}
	for _, k := range sorted(keysOf(o.projects)) {
		p, ok := state.projects[k]
		if !ok {
			continue
		}
		where := "Project " + k
		d.eq(where+" status.score", intText(p.Status.Score), intText(o.scoreOf(o.portfolioOfProject(k), o.projects[k].Spec.Contributions)))
		d.eq(where+" status.dependencies", dependencyTexts(p.Status.Dependencies), verdictTexts(o.verdicts("Project", k, obs, byScope, today)))
	}
	for _, s := range o.scopes() {
		if data, ok := state.reports[s.kind+"/"+s.key]; ok {
			checkWorkRows(d, o, s, obs, byScope, today, data)
			if s.kind == "Office" {
				checkOfficeYears(d, o, s.key, data["report.json"])
			}
		}
	}
}

// scoreOf is the score of contributions in a portfolio; nil without one.
func (o *org) scoreOf(pfKey string, contributions []contribution) *int64 {
	if pfKey == "" {
		return nil
	}
	return o.portfolios[pfKey].score(contributions)
}

func sortedYears(b byYear) []int32 {
	var out []int32
	for y := range b {
		out = append(out, y)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// rankingTexts are the twin's ranked work, at most limit (0: all).
func rankingTexts(r []rankedTwin, limit int) []string {
	var out []string
	for _, w := range r {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, fmt.Sprintf("%d %s %s score %d priority %d", w.rank, w.kind, w.key, w.score, w.priority))
	}
	return out
}

func twinLines(lines []lineTwin) []string {
	var out []string
	for _, l := range lines {
		target := "none"
		if l.target != nil {
			target = strconv.FormatInt(*l.target, 10)
		}
		out = append(out, lineText(l.name, twinText(l.committed), l.actual, target, l.weight))
	}
	return out
}

func statusLines(lines []v1alpha1.BalanceLine) []string {
	var out []string
	for _, l := range lines {
		actual := int64(-1)
		if l.ActualPercent != nil {
			actual = int64(*l.ActualPercent)
		}
		out = append(out, lineText(l.Name, amountText(l.Committed), actual, intText(l.TargetPercent), string(l.Weight)))
	}
	return out
}

// checkStrategyStatus compares status.strategy with the twin.
func checkStrategyStatus(d *diffs, where string, s v1alpha1.PortfolioStrategy, twin decisions) {
	var ranking []string
	for _, w := range s.Ranking {
		ranking = append(ranking, fmt.Sprintf("%d %s %s/%s score %s priority %d", w.Rank, w.Kind, w.Namespace, w.Name, intText(w.Score), w.Priority))
	}
	d.eq(where+" status.strategy.ranking", ranking, rankingTexts(twin.ranking, 20))
	d.eq(where+" status.strategy.ranked", s.Ranked, len(twin.ranking))
	b := twin.balance
	d.eq(where+" status.strategy.byCategory", statusLines(s.ByCategory), twinLines(b.byCategory))
	d.eq(where+" status.strategy.byObjective", statusLines(s.ByObjective), twinLines(b.byObjective))
	d.eq(where+" status.strategy.uncategorised", amountText(s.Uncategorised), twinText(knownOnly(b, b.uncategorised)))
	d.eq(where+" status.strategy.unaligned", amountText(s.Unaligned), twinText(knownOnly(b, b.unaligned)))
	d.eq(where+" status.strategy.objectivesWithoutWork", s.ObjectivesWithoutWork, b.objectivesWithoutWork)
	d.eq(where+" status.strategy.unalignedWork", s.UnalignedWork, b.unalignedWork)
}

// knownOnly is an amount of the balance, none while the balance is
// unknown.
func knownOnly(b balanceTwin, r *big.Rat) *big.Rat {
	if !b.known {
		return nil
	}
	return r
}

// checkYearsStatus compares status.committedByYear with the twin.
func checkYearsStatus(d *diffs, where string, years []v1alpha1.YearCommitment, twin []yearTwin) {
	var got, want []string
	for _, y := range years {
		got = append(got, fmt.Sprintf("%d %s %s", y.Year, amountText(y.Committed), boolPtr(y.OverCommitted)))
	}
	for _, y := range twin {
		want = append(want, fmt.Sprintf("%d %s %s", y.year, twinText(y.committed), boolPtr(y.over)))
	}
	d.eq(where+" status.committedByYear", got, want)
}

// decisionsJSON is the part of report.json the decisions appear in.
type decisionsJSON struct {
	Strategy *struct {
		Ranking []struct {
			Kind, Namespace, Name string
			Rank, Score           int32
			Priority              *int32
		} `json:"ranking"`
		Balanced                 bool
		Committed                string
		ByCategory, ByObjective  []reportLine
		Uncategorised, Unaligned string
		ObjectivesWithoutWork    []string `json:"objectivesWithoutWork"`
		UnalignedWork            []struct{ Kind, Namespace, Name string }
	} `json:"strategy"`
	CapacityByYear *struct {
		Years []struct {
			Year                int32
			Capacity, Committed string
			OverCommitted       *bool `json:"overCommitted"`
		} `json:"years"`
		NotPhased string `json:"notPhased"`
	} `json:"capacityByYear"`
}

type reportLine struct {
	Name          string
	Committed     string
	ActualPercent int64  `json:"actualPercent"`
	TargetPercent *int64 `json:"targetPercent"`
	Weight        string
}

func reportLines(lines []reportLine) []string {
	var out []string
	for _, l := range lines {
		out = append(out, lineText(l.Name, ratText(l.Committed), l.ActualPercent, intText(l.TargetPercent), l.Weight))
	}
	return out
}

// checkDecisionsReport compares a portfolio's report.json with the twin:
// the whole ranking, the balance and capacity by year.
func checkDecisionsReport(d *diffs, where, data string, twin decisions, f figures) {
	var r decisionsJSON
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		d.add("%s: %v", where, err)
		return
	}
	if r.Strategy == nil {
		d.add("%s: no strategy", where)
	} else {
		s := r.Strategy
		var ranking []string
		for _, w := range s.Ranking {
			priority := int32(0)
			if w.Priority != nil {
				priority = *w.Priority
			}
			ranking = append(ranking, fmt.Sprintf("%d %s %s/%s score %d priority %d", w.Rank, w.Kind, w.Namespace, w.Name, w.Score, priority))
		}
		b := twin.balance
		d.eq(where+" strategy.ranking", ranking, rankingTexts(twin.ranking, 0))
		d.eq(where+" strategy.balanced", s.Balanced, b.known)
		d.eq(where+" strategy.committed", ratText(s.Committed), twinText(knownOnly(b, b.total)))
		d.eq(where+" strategy.byCategory", reportLines(s.ByCategory), twinLines(b.byCategory))
		d.eq(where+" strategy.byObjective", reportLines(s.ByObjective), twinLines(b.byObjective))
		d.eq(where+" strategy.uncategorised", ratText(s.Uncategorised), twinText(knownOnly(b, b.uncategorised)))
		d.eq(where+" strategy.unaligned", ratText(s.Unaligned), twinText(knownOnly(b, b.unaligned)))
		d.eq(where+" strategy.objectivesWithoutWork", s.ObjectivesWithoutWork, b.objectivesWithoutWork)
		d.eq(where+" strategy.unalignedWork", len(s.UnalignedWork), b.unalignedWork)
	}
	checkYearsReport(d, where, r, twin.years, f)
}

// checkYearsReport compares report.json's capacityByYear with the twin:
// each year, and what committed counts that no year holds.
func checkYearsReport(d *diffs, where string, r decisionsJSON, twin []yearTwin, f figures) {
	if len(twin) == 0 {
		if r.CapacityByYear != nil {
			d.add("%s capacityByYear: %+v, want none", where, *r.CapacityByYear)
		}
		return
	}
	if r.CapacityByYear == nil {
		d.add("%s capacityByYear: missing", where)
		return
	}
	var got, want []string
	phased := new(big.Rat)
	for _, y := range r.CapacityByYear.Years {
		got = append(got, fmt.Sprintf("%d capacity %s committed %s %s", y.Year, ratText(y.Capacity), ratText(y.Committed), boolPtr(y.OverCommitted)))
	}
	for _, y := range twin {
		committed := y.committed
		if committed == nil {
			committed = new(big.Rat) // the report writes 0 for a known year with nothing phased
		}
		phased.Add(phased, committed)
		want = append(want, fmt.Sprintf("%d capacity %s committed %s %s", y.year, twinText(y.capacity), twinText(committed), boolPtr(y.over)))
	}
	d.eq(where+" capacityByYear.years", got, want)
	notPhased := new(big.Rat)
	if f.Committed != nil {
		total, _ := new(big.Rat).SetString(f.Committed.String())
		notPhased.Sub(total, phased)
	}
	if notPhased.Sign() < 0 {
		notPhased.SetInt64(0)
	}
	d.eq(where+" capacityByYear.notPhased", ratText(r.CapacityByYear.NotPhased), notPhased.RatString())
}

// checkDecisionsMetrics compares a portfolio's decision metrics with the
// twin: rank and score of the first 20, balance shares, targets and
// weights, and capacity, committed and over-commitment by year.
func checkDecisionsMetrics(d *diffs, ns, name string, twin decisions, m scraped) {
	id := map[string]string{"namespace": ns, "portfolio": name}
	where := "metric " + ns + "/" + name
	var ranks, wantRanks []string
	for _, x := range m["p3o_portfolio_work_rank"] {
		if includes(x.labels, id) {
			ranks = append(ranks, fmt.Sprintf("%g %s %s", x.value, x.labels["kind"], x.labels["name"]))
		}
	}
	for _, x := range m["p3o_portfolio_work_score"] {
		if includes(x.labels, id) {
			ranks = append(ranks, fmt.Sprintf("score %g %s %s", x.value, x.labels["kind"], x.labels["name"]))
		}
	}
	for i, w := range twin.ranking {
		if i == 20 {
			break
		}
		_, n := split(w.key)
		wantRanks = append(wantRanks, fmt.Sprintf("%d %s %s", w.rank, w.kind, n))
	}
	for i, w := range twin.ranking {
		if i == 20 {
			break
		}
		_, n := split(w.key)
		wantRanks = append(wantRanks, fmt.Sprintf("score %d %s %s", w.score, w.kind, n))
	}
	d.eq(where+" p3o_portfolio_work_rank and _score", sortedCopy(ranks), sortedCopy(wantRanks))

	b := twin.balance
	var shares, wantShares []string
	for _, family := range []string{"p3o_portfolio_balance_share", "p3o_portfolio_balance_target_share"} {
		for _, x := range m[family] {
			if includes(x.labels, id) {
				shares = append(shares, fmt.Sprintf("%s %s %s %.9f", family, x.labels["dimension"], x.labels["name"], x.value))
			}
		}
	}
	for _, x := range m["p3o_portfolio_balance_weight"] {
		if includes(x.labels, id) && x.value == 1 {
			shares = append(shares, fmt.Sprintf("weight %s %s %s", x.labels["dimension"], x.labels["name"], x.labels["weight"]))
		}
	}
	if b.known {
		for dimension, lines := range map[string][]lineTwin{"category": b.byCategory, "objective": b.byObjective} {
			for _, l := range lines {
				share, _ := new(big.Rat).Quo(l.committed, b.total).Float64()
				wantShares = append(wantShares, fmt.Sprintf("p3o_portfolio_balance_share %s %s %.9f", dimension, l.name, share))
				if l.target != nil {
					wantShares = append(wantShares, fmt.Sprintf("p3o_portfolio_balance_target_share %s %s %.9f", dimension, l.name, float64(*l.target)/100))
				}
				wantShares = append(wantShares, fmt.Sprintf("weight %s %s %s", dimension, l.name, l.weight))
			}
		}
	}
	d.eq(where+" p3o_portfolio_balance_*", sortedCopy(shares), sortedCopy(wantShares))

	var years, wantYears []string
	for _, family := range []string{"p3o_portfolio_capacity_by_year", "p3o_portfolio_committed_by_year", "p3o_portfolio_over_committed_by_year"} {
		for _, x := range m[family] {
			if includes(x.labels, id) {
				years = append(years, fmt.Sprintf("%s %s %.2f", family, x.labels["year"], x.value))
			}
		}
	}
	for _, y := range twin.years {
		year := strconv.Itoa(int(y.year))
		committed, _ := new(big.Rat).Set(orZero(y.committed)).Float64()
		wantYears = append(wantYears, fmt.Sprintf("p3o_portfolio_committed_by_year %s %.2f", year, committed))
		if y.capacity != nil {
			capacity, _ := y.capacity.Float64()
			over := 0.0
			if *y.over {
				over = 1
			}
			wantYears = append(wantYears, fmt.Sprintf("p3o_portfolio_capacity_by_year %s %.2f", year, capacity),
				fmt.Sprintf("p3o_portfolio_over_committed_by_year %s %.2f", year, over))
		}
	}
	d.eq(where+" p3o_portfolio_*_by_year", sortedCopy(years), sortedCopy(wantYears))
}

func orZero(r *big.Rat) *big.Rat {
	if r == nil {
		return new(big.Rat)
	}
	return r
}

func sortedCopy(s []string) []string {
	return sorted(append([]string(nil), s...))
}

// verdictTexts and dependencyTexts are dependency verdicts for comparison.
func verdictTexts(vs []verdictTwin) []string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s %s needed by %s: %s %s, ends %s, impact %s", v.kind, v.provider, v.neededBy, v.state, v.cause, orDash(v.providerEnd), orDash(v.impact)))
	}
	return out
}

func dependencyTexts(ds []v1alpha1.DependencyStatus) []string {
	var out []string
	for _, v := range ds {
		out = append(out, fmt.Sprintf("%s %s/%s needed by %s: %s %s, ends %s, impact %s", v.Kind, v.Provider.Namespace, v.Provider.Name, v.NeededBy,
			v.State, v.Cause, orDash(string(v.ProviderForecastEnd)), orDash(string(v.Impact))))
	}
	return out
}

// checkWorkRows compares, in a report, the dependencies at risk beneath
// the object and each project row's category, priority, score, rank and
// dependencies at risk (report.json and projects.csv) with the twin.
func checkWorkRows(d *diffs, o *org, s scope, obs observed, byScope map[string]figures, today string, data map[string]string) {
	where := s.kind + " " + s.key + " report"
	var r struct {
		DependenciesAtRisk []struct {
			Kind, Namespace, Name                 string
			ProviderKind, ProviderNamespace       string
			ProviderName, NeededBy, Cause, Impact string
			ProviderForecastEnd                   string
		} `json:"dependenciesAtRisk"`
		Projects []struct {
			Namespace, Name, Category, Priority, Score, Rank string
			DependenciesAtRisk                               int `json:"dependenciesAtRisk"`
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(data["report.json"]), &r); err != nil {
		d.add("%s.json: %v", where, err)
		return
	}
	var atRisk, wantAtRisk []string
	for _, x := range r.DependenciesAtRisk {
		atRisk = append(atRisk, fmt.Sprintf("%s %s/%s on %s %s/%s needed by %s: %s, ends %s, impact %s", x.Kind, x.Namespace, x.Name,
			x.ProviderKind, x.ProviderNamespace, x.ProviderName, x.NeededBy, x.Cause, orDash(x.ProviderForecastEnd), x.Impact))
	}
	consumers := map[string][]string{"Programme": s.programmes, "Project": s.projects}
	for kind, keys := range consumers {
		for _, k := range keys {
			for _, v := range o.verdicts(kind, k, obs, byScope, today) {
				if v.state == "AtRisk" {
					wantAtRisk = append(wantAtRisk, fmt.Sprintf("%s %s on %s %s needed by %s: %s, ends %s, impact %s", kind, k, v.kind, v.provider, v.neededBy, v.cause, orDash(v.providerEnd), v.impact))
				}
			}
		}
	}
	d.eq(where+".json dependenciesAtRisk", sortedCopy(atRisk), sortedCopy(wantAtRisk))

	want := map[string]string{}
	ranks := map[string]int{}
	if s.kind == "Portfolio" {
		for _, w := range o.ranking(s.key) {
			if w.kind == "Project" {
				ranks[w.key] = w.rank
			}
		}
	}
	for _, k := range s.projects {
		p := o.projects[k]
		priority, score, rank := "", "", ""
		if p.Spec.Priority > 0 {
			priority = strconv.Itoa(int(p.Spec.Priority))
		}
		if sc := o.scoreOf(o.portfolioOfProject(k), p.Spec.Contributions); sc != nil {
			score = strconv.FormatInt(*sc, 10)
		}
		if n, ok := ranks[k]; ok {
			rank = strconv.Itoa(n)
		}
		n := 0
		for _, v := range o.verdicts("Project", k, obs, byScope, today) {
			if v.state == "AtRisk" {
				n++
			}
		}
		want[k] = fmt.Sprintf("category %q priority %q score %q rank %q at risk %d", p.Spec.Category, priority, score, rank, n)
	}
	got := map[string]string{}
	for _, p := range r.Projects {
		got[p.Namespace+"/"+p.Name] = fmt.Sprintf("category %q priority %q score %q rank %q at risk %d", p.Category, p.Priority, p.Score, p.Rank, p.DependenciesAtRisk)
	}
	d.eq(where+".json projects' decisions", ordered(got), ordered(want))

	records, err := csv.NewReader(strings.NewReader(data["projects.csv"])).ReadAll()
	if err != nil || len(records) == 0 || len(records[0]) < 18 {
		d.add("%s projects.csv: %v (%d rows)", where, err, len(records))
		return
	}
	got = map[string]string{}
	for _, rec := range records[1:] {
		n, _ := strconv.Atoi(rec[17])
		got[rec[0]+"/"+rec[1]] = fmt.Sprintf("category %q priority %q score %q rank %q at risk %d", rec[13], rec[14], rec[15], rec[16], n)
	}
	d.eq(where+" projects.csv decisions", ordered(got), ordered(want))
}

// decisionsTable lays out the twin's decisions for the log: each
// portfolio's ranking, balance and years, and every dependency's verdict.
func decisionsTable(o *org, obs observed, byScope map[string]figures, today string) string {
	var b strings.Builder
	for _, k := range sorted(keysOf(o.portfolios)) {
		fmt.Fprintf(&b, "\nPortfolio %s, recomputed from the specs:\n", k)
		for _, w := range rankingTexts(o.ranking(k), 0) {
			fmt.Fprintf(&b, "  rank %s\n", w)
		}
		bal := o.balance(k)
		for _, l := range twinLines(bal.byCategory) {
			fmt.Fprintf(&b, "  category %s\n", l)
		}
		for _, l := range twinLines(bal.byObjective) {
			fmt.Fprintf(&b, "  objective %s\n", l)
		}
		fmt.Fprintf(&b, "  uncategorised %s, unaligned %s, objectives without work %v, unaligned work %d\n",
			twinText(bal.uncategorised), twinText(bal.unaligned), bal.objectivesWithoutWork, bal.unalignedWork)
		for _, y := range o.portfolioYears(k) {
			fmt.Fprintf(&b, "  year %d: capacity %s, committed %s, over-committed %s\n", y.year, twinText(y.capacity), twinText(y.committed), boolPtr(y.over))
		}
	}
	b.WriteString("\nDependencies, judged from the specs:\n")
	for kind, keys := range map[string][]string{"Programme": sorted(keysOf(o.programmes)), "Project": sorted(keysOf(o.projects))} {
		for _, k := range keys {
			for _, v := range verdictTexts(o.verdicts(kind, k, obs, byScope, today)) {
				fmt.Fprintf(&b, "  %s %s on %s\n", kind, k, v)
			}
		}
	}
	return b.String()
}

// checkOfficeYears compares an office's report.json portfoliosByYear with
// the twin: the years of the portfolios it governs directly, added up, and
// the portfolios over-committed in each.
func checkOfficeYears(d *diffs, o *org, key, data string) {
	where := "Office " + key + " report.json portfoliosByYear"
	var r struct {
		PortfoliosByYear *struct {
			FinancialYearStart int
			Portfolios         int
			Unknown            int
			Years              []struct {
				Year                int32
				Capacity, Committed string
				OverCommitted       int
			}
		} `json:"portfoliosByYear"`
	}
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		d.add("%s: %v", where, err)
		return
	}
	capacity, committed, over := byYear{}, byYear{}, map[int32]int{}
	portfolios := 0
	for _, k := range sorted(keysOf(o.portfolios)) {
		pf := o.portfolios[k]
		years := o.portfolioYears(k)
		if o.officeOf(&pf.Spec.OfficeRef, pf.Namespace) != key || len(years) == 0 {
			continue
		}
		portfolios++
		for _, y := range years {
			capacity.add(y.year, y.capacity)
			committed.add(y.year, orZero(y.committed))
			if y.over != nil && *y.over {
				over[y.year]++
			}
		}
	}
	if portfolios == 0 {
		if r.PortfoliosByYear != nil {
			d.add("%s: %+v, want none", where, *r.PortfoliosByYear)
		}
		return
	}
	if r.PortfoliosByYear == nil {
		d.add("%s: missing", where)
		return
	}
	p := r.PortfoliosByYear
	d.eq(where+" financialYearStart/portfolios/unknown", fmt.Sprint(p.FinancialYearStart, p.Portfolios, p.Unknown),
		fmt.Sprint(max(o.offices[key].Spec.FinancialYearStart, 1), portfolios, 0))
	var got, want []string
	for _, y := range p.Years {
		got = append(got, fmt.Sprintf("%d capacity %s committed %s over %d", y.Year, ratText(y.Capacity), ratText(y.Committed), y.OverCommitted))
	}
	for _, y := range sortedYears(committed) {
		want = append(want, fmt.Sprintf("%d capacity %s committed %s over %d", y, twinText(capacity[y]), twinText(committed[y]), over[y]))
	}
	d.eq(where+" years", got, want)
}
