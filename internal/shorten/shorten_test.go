/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package shorten

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTo(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"ééééé", 4, "ééé…"},
		{"日本語のテキスト", 5, "日本語の…"},
		{"a\xffbcd", 3, "a\xff…"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
	}
	for _, c := range cases {
		if got := To(c.in, c.max); got != c.want {
			t.Errorf("To(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// FuzzTo checks that whatever the input, the result fits, keeps the
// input's beginning, is valid wherever the input was, and is marked when
// and only when it was cut.
func FuzzTo(f *testing.F) {
	f.Add("Gate 3 Investment decision", 10)
	f.Add(strings.Repeat("ü", 300), 256)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%2048 + 1
		if max < 1 {
			max += 2048
		}
		got, cut := Cut(s, max)
		if n := utf8.RuneCountInString(got); n > max {
			t.Fatalf("Cut(%q, %d) has %d characters", s, max, n)
		}
		switch {
		case !cut && got != s:
			t.Fatalf("Cut(%q, %d) = %q changed a text that fits", s, max, got)
		case cut && (!strings.HasSuffix(got, Mark) || !strings.HasPrefix(s, strings.TrimSuffix(got, Mark))):
			t.Fatalf("Cut(%q, %d) = %q is not s's beginning marked", s, max, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Cut(%q, %d) = %q split a character", s, max, got)
		}
	})
}
