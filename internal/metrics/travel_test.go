/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package metrics

import (
	"bufio"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// The direction of travel series say what status.directionOfTravel says,
// and none is written for an object whose report was never compared.
func TestTravelSeriesFollowStatus(t *testing.T) {
	since := metav1.Now()
	compared := v1alpha1.DirectionOfTravel{Since: &since, Improved: 2, Declined: 1, Unchanged: 5, Joined: 3, Left: 4, PersistentlyRedOrAmber: 6}
	var out strings.Builder
	w := bufio.NewWriter(&out)
	s := &scrape{t: &textWriter{w: w}}
	s.writeTravel([]rolledUp{
		{kind: "Office", namespace: "ns", name: "central", travel: &compared},
		{kind: "Portfolio", namespace: "ns", name: "new", travel: &v1alpha1.DirectionOfTravel{}},
	})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for direction, n := range map[string]string{"Improved": "2", "Declined": "1", "Unchanged": "5", "Joined": "3", "Left": "4"} {
		want := `p3o_direction_of_travel_projects{direction="` + direction + `",kind="Office",name="central",namespace="ns"} ` + n + "\n"
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if want := `p3o_direction_of_travel_persistently_red_or_amber_projects{kind="Office",name="central",namespace="ns"} 6` + "\n"; !strings.Contains(text, want) {
		t.Errorf("missing %q in\n%s", want, text)
	}
	if strings.Contains(text, `name="new"`) {
		t.Errorf("series for a report never compared:\n%s", text)
	}
}
