/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
	"p3o.dev/p3o-operator/internal/money"
)

// printer holds what every command's text output depends on.
type printer struct {
	// terminal is true when stdout is a terminal.
	terminal bool
	// color paints health words: on a terminal, unless NO_COLOR is set.
	color bool
	// now is the time against which due dates are called overdue.
	now time.Time
}

const (
	ansiRed   = "\x1b[31m"
	ansiAmber = "\x1b[33m"
	ansiGreen = "\x1b[32m"
	ansiReset = "\x1b[0m"
)

// health paints a health word (Green, Amber, Red) when colour is on. The
// text must already be clean.
func (p printer) health(s string) string {
	if !p.color {
		return s
	}
	var code string
	switch s {
	case "Green":
		code = ansiGreen
	case "Amber":
		code = ansiAmber
	case "Red":
		code = ansiRed
	default:
		return s
	}
	return code + s + ansiReset
}

// clean makes text from the cluster safe to print on a terminal: control
// and format characters (escape sequences, line breaks, bidirectional
// overrides) become a space, so a name or message cannot repaint the screen
// or break a table row.
func clean(s string) string {
	if s == "" {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
}

// orDash is "-" for an empty value.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// amount writes an amount for reading, rounded to three significant digits
// with an SI suffix (money.Display: 950, 130k, 1.45M, 20.5M), as
// status.display does; "" for none. -o json|yaml keeps the exact amounts.
func amount(a v1alpha1.Amount) string {
	d := money.Value(a)
	if d == nil {
		return ""
	}
	return money.Display(d)
}

// moneyCell is an amount with its currency, or "-".
func moneyCell(am v1alpha1.Amount, currency string) string {
	a := amount(am)
	if a == "" {
		return "-"
	}
	if currency == "" {
		return a
	}
	return a + " " + clean(currency)
}

// date writes a time as its UTC date, or "" for none.
func date(t *metav1.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// table writes aligned columns separated by two spaces. The column at
// healthCol (or none, when -1) is painted by health. Cells are cleaned;
// lines carry no trailing blanks.
type table struct {
	header    []string
	rows      [][]string
	healthCol int
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer, p printer) error {
	all := append([][]string{t.header}, t.rows...)
	widths := make([]int, len(t.header))
	for _, row := range all {
		for i := range row {
			row[i] = clean(row[i])
			if n := utf8.RuneCountInString(row[i]); n > widths[i] {
				widths[i] = n
			}
		}
	}
	var b strings.Builder
	for r, row := range all {
		var line strings.Builder
		for i, cell := range row {
			text := cell
			if r > 0 && i == t.healthCol {
				text = p.health(cell)
			}
			line.WriteString(text)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeStructured prints v as JSON or YAML for machines, cleaned like every
// other output (cleanLines): JSON escapes the C0 controls but not DEL, the
// C1 controls or format characters. YAML is written from the cleaned JSON,
// so that its emitter quotes what the cleaning changed.
func writeStructured(w io.Writer, format string, v any) error {
	if format != "json" && format != "yaml" {
		return fmt.Errorf("unknown output format %q: use json or yaml", format)
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	data = []byte(cleanLines(string(data)) + "\n")
	if format == "yaml" {
		if data, err = yaml.JSONToYAML(data); err != nil {
			return err
		}
	}
	_, err = w.Write(data)
	return err
}

// checkOutput validates -o.
func checkOutput(format string) error {
	switch format {
	case "", "json", "yaml":
		return nil
	}
	return fmt.Errorf("unknown output format %q: use -o json or -o yaml, or leave -o out for text", format)
}
