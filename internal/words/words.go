/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package words writes what the operator says in words to people: status
// messages, report notes, the kubectl plugin's lines.
package words

import "strconv"

// Count writes n with the noun in the singular for one and the plural
// otherwise: "1 project", "0 projects", "3 satellite offices".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
