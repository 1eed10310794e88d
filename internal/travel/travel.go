/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package travel defines the direction of travel between report periods:
// how an object and each project beneath it moved since the last sealed
// snapshot of the object's report. Health then and now gives Improved,
// Declined or Unchanged; projects that joined or left are counted apart
// (as the NAO reports the Government Major Projects Portfolio); forecast,
// variance and Delivery Confidence are compared; and a Red or Amber health
// is counted in periods in a row. Pure: the report package feeds it the
// two periods and writes what it returns into every output.
package travel

import (
	"cmp"
	"slices"

	"gopkg.in/inf.v0"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/health"
	"p3o.dev/p3o-operator/internal/money"
)

// Direction is how a health moved between two periods.
type Direction string

const (
	// Improved: better than then (Red to Amber, Amber to Green, ...).
	Improved Direction = "Improved"
	// Declined: worse than then.
	Declined Direction = "Declined"
	// Unchanged: the same as then.
	Unchanged Direction = "Unchanged"
	// Joined: reported now, not then.
	Joined Direction = "Joined"
	// Left: reported then, not now.
	Left Direction = "Left"
	// NotComparable: one of the two healths is Unknown, or the project was
	// not listed then because that report was summarised.
	NotComparable Direction = "NotComparable"
)

// State is one object (a project, or the reported object itself) in one
// period.
type State struct {
	Namespace, Name string
	Health          v1alpha1.Health
	// Forecast is the forecast cost and Variance forecast minus budget;
	// nil when unknown.
	Forecast, Variance *inf.Dec
	// Confidence is the latest Delivery Confidence ("" when none).
	Confidence v1alpha1.DeliveryConfidence
	// RedOrAmberPeriods is how many periods in a row, this one included,
	// the object was Red or Amber, as that period's report counted them
	// (0 when it did not count them).
	RedOrAmberPeriods int32
}

// Period is what one report said.
type Period struct {
	// Start is the period's start (RFC 3339, UTC); "" for the report being
	// built now.
	Start    string
	Currency string
	Object   State
	Projects []State
	// Complete is false when the report's project list was summarised:
	// a project missing from it may have been cut, not absent.
	Complete bool
}

// Movement is how one object moved.
type Movement struct {
	Direction Direction
	// HealthThen is "" for a project that joined.
	HealthThen, HealthNow v1alpha1.Health
	// ForecastChange and VarianceChange are now minus then; nil when either
	// is unknown or the currencies differ.
	ForecastThen, ForecastChange *inf.Dec
	VarianceThen, VarianceChange *inf.Dec
	ConfidenceThen               v1alpha1.DeliveryConfidence
	// Confidence is how the Delivery Confidence moved: Improved, Declined,
	// Unchanged, or "" when there is none now or then.
	Confidence Direction
	// RedOrAmberPeriods counts the periods in a row, now included, of a
	// Red or Amber health; 0 when the health now is neither.
	RedOrAmberPeriods int32
}

// Travel is the direction of travel of a report.
type Travel struct {
	// Since is the compared period's start; "" when there was none, and
	// then only RedOrAmberPeriods is set in the movements.
	Since string
	// Object is how the reported object moved.
	Object Movement
	// Projects are the movements of the projects reported now, in the
	// order given; Left are the projects reported then and not now, by
	// name.
	Projects []Movement
	Left     []State
	Counts   Counts
}

// Counts counts the projects by direction.
type Counts struct {
	Improved, Declined, Unchanged, Joined, Left, NotComparable int32
	// PersistentlyRedOrAmber counts the projects Red or Amber for two
	// periods in a row or more.
	PersistentlyRedOrAmber int32
}

// Compare is how now moved since then (nil when no earlier period is
// held).
func Compare(then *Period, now Period) Travel {
	t := Travel{Projects: make([]Movement, len(now.Projects)), Left: []State{}}
	if then == nil {
		t.Object = Movement{HealthNow: now.Object.Health, RedOrAmberPeriods: streak(nil, now.Object.Health)}
		for i, p := range now.Projects {
			t.Projects[i] = Movement{HealthNow: p.Health, RedOrAmberPeriods: streak(nil, p.Health)}
			t.Counts.add(t.Projects[i])
		}
		return t
	}
	t.Since = then.Start
	sameMoney := then.Currency == now.Currency
	t.Object = move(&then.Object, now.Object, sameMoney)
	before := make(map[key]*State, len(then.Projects))
	for i := range then.Projects {
		before[keyOf(then.Projects[i])] = &then.Projects[i]
	}
	for i, p := range now.Projects {
		prev := before[keyOf(p)]
		delete(before, keyOf(p))
		m := move(prev, p, sameMoney)
		if prev == nil && !then.Complete {
			m.Direction = NotComparable
		}
		t.Projects[i] = m
		t.Counts.add(m)
	}
	for _, s := range before {
		t.Left = append(t.Left, *s)
	}
	slices.SortFunc(t.Left, func(a, b State) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	t.Counts.Left = int32(len(t.Left))
	return t
}

type key struct{ namespace, name string }

func keyOf(s State) key { return key{s.Namespace, s.Name} }

// move is how one object moved from then (nil: it joined) to now.
func move(then *State, now State, sameMoney bool) Movement {
	m := Movement{HealthNow: now.Health, RedOrAmberPeriods: streak(then, now.Health)}
	if then == nil {
		m.Direction = Joined
		return m
	}
	m.HealthThen = then.Health
	m.Direction = HealthDirection(then.Health, now.Health)
	m.ConfidenceThen = then.Confidence
	m.Confidence = ConfidenceDirection(then.Confidence, now.Confidence)
	m.ForecastThen, m.VarianceThen = then.Forecast, then.Variance
	if sameMoney {
		m.ForecastChange = money.Sub(now.Forecast, then.Forecast)
		m.VarianceChange = money.Sub(now.Variance, then.Variance)
	}
	return m
}

// HealthDirection is how a health moved from then to now: Red is worst,
// Green best; Unknown on either side is NotComparable unless both are.
func HealthDirection(then, now v1alpha1.Health) Direction {
	a, b := health.Rank(then), health.Rank(now)
	switch {
	case a == b:
		return Unchanged
	case a == 0 || b == 0:
		return NotComparable
	case b < a:
		return Improved
	default:
		return Declined
	}
}

// confidenceRank orders the five-point Delivery Confidence scale, Green
// best.
var confidenceRank = map[v1alpha1.DeliveryConfidence]int{
	v1alpha1.ConfidenceGreen: 1, v1alpha1.ConfidenceAmberGreen: 2, v1alpha1.ConfidenceAmber: 3,
	v1alpha1.ConfidenceAmberRed: 4, v1alpha1.ConfidenceRed: 5,
}

// ConfidenceDirection is how a Delivery Confidence moved; "" when there is
// none then or now.
func ConfidenceDirection(then, now v1alpha1.DeliveryConfidence) Direction {
	a, b := confidenceRank[then], confidenceRank[now]
	switch {
	case a == 0 || b == 0:
		return ""
	case a == b:
		return Unchanged
	case b < a:
		return Improved
	default:
		return Declined
	}
}

// RedOrAmber says whether a health counts towards a Red or Amber run.
func RedOrAmber(h v1alpha1.Health) bool {
	return h == v1alpha1.HealthRed || h == v1alpha1.HealthAmber
}

// streak counts the periods in a row, now included, of a Red or Amber
// health, carrying on then's count (a report that did not count it counts
// as one period when it was Red or Amber).
func streak(then *State, now v1alpha1.Health) int32 {
	if !RedOrAmber(now) {
		return 0
	}
	if then == nil || !RedOrAmber(then.Health) {
		return 1
	}
	return max(then.RedOrAmberPeriods, 1) + 1
}

// add counts a movement.
func (c *Counts) add(m Movement) {
	switch m.Direction {
	case Improved:
		c.Improved++
	case Declined:
		c.Declined++
	case Unchanged:
		c.Unchanged++
	case Joined:
		c.Joined++
	case NotComparable:
		c.NotComparable++
	}
	if m.RedOrAmberPeriods >= 2 {
		c.PersistentlyRedOrAmber++
	}
}
