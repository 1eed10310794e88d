/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package shorten fits text the operator derives into the bounded fields
// it goes into: status strings, condition messages, report cells. A
// shortened text keeps its beginning and ends in Mark, so a person sees
// that it was cut; it is never refused.
package shorten

import "unicode/utf8"

// Mark ends a text that was shortened to fit.
const Mark = "…"

// To returns s when it has at most max characters (as the API server
// counts a schema's maxLength: runes), else its first max-1 characters
// followed by Mark. It never splits a character; an invalid UTF-8 byte
// counts as one character (the API server reads it as U+FFFD). max below 1
// gives "".
func To(s string, max int) string {
	s, _ = Cut(s, max)
	return s
}

// Cut is To that also says whether s was shortened.
func Cut(s string, max int) (string, bool) {
	if utf8.RuneCountInString(s) <= max {
		return s, false
	}
	if max < 1 {
		return "", true
	}
	end := 0
	for range max - 1 {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	return s[:end] + Mark, true
}
