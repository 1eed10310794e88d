/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package words

import "testing"

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0 projects"},
		{1, "1 project"},
		{2, "2 projects"},
		{-1, "-1 projects"},
		{10000, "10000 projects"},
	} {
		if got := Count(tc.n, "project", "projects"); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := Count(1, "object's", "objects'"); got != "1 object's" {
		t.Errorf("the singular: %q", got)
	}
}
