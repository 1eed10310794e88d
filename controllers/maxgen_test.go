/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package controllers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// A generator of objects at the maxima of their schema: it reads a kind's
// spec schema from config/crd/bases and fills every field: strings to
// maxLength, integers to maximum, lists to maxItems (items filled in turn),
// maps with a few long keys. What a pattern, a format or a CEL rule of the
// kind asks for is special-cased by the shape of the field (names, dates,
// currencies, amounts, periods); what only makes sense for one object
// (references, phases, office types) the test states in fixed.

// omitField in fixed leaves a field out (a CEL rule forbids it for the
// object at hand, e.g. hubRef on an office that is not a Satellite).
type omitField struct{}

// maxFill is the special-casing of one field for one object: a path such
// as "spec.governance.gates[].rule.expression" and its value, or a
// function of the item's index in its list, or omitField{}.
type maxFill map[string]any

// maxGen fills one kind's spec. It counts, by schema path, the fields it
// filled and those filled at their maximum (maxLength, maximum, maxItems).
type maxGen struct {
	kind   string
	schema apiextensionsv1.JSONSchemaProps
	// today is the latest date a field may hold (dates are never ahead).
	today  time.Time
	filled map[string]bool
	atMax  map[string]bool
}

// newMaxGen reads the spec schema of kind (its plural file name) from the
// CRD the suite installs.
func newMaxGen(t *testing.T, kind, plural string) *maxGen {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "config", "crd", "bases", "governance.p3o.dev_"+plural+".yaml"))
	if err != nil {
		t.Fatalf("reading the %s CRD: %v", kind, err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(data, &crd); err != nil {
		t.Fatalf("decoding the %s CRD: %v", kind, err)
	}
	spec, ok := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"]
	if !ok {
		t.Fatalf("the %s CRD has no spec schema", kind)
	}
	// Yesterday in UTC: not ahead anywhere on Earth.
	return &maxGen{kind: kind, schema: spec, today: time.Now().UTC().AddDate(0, 0, -1),
		filled: map[string]bool{}, atMax: map[string]bool{}}
}

// object is a new object of the generator's kind with its spec at the
// maxima, fixed fields as fixed says.
func (m *maxGen) object(ns, name string, fixed maxFill) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{"spec": m.value("spec", m.schema, 0, fixed)}}
	u.SetAPIVersion(v1alpha1.GroupVersion.String())
	u.SetKind(m.kind)
	u.SetNamespace(ns)
	u.SetName(name)
	return u
}

// value is the value of the field at path (index: the item's index in the
// innermost list), nil to leave it out.
func (m *maxGen) value(path string, s apiextensionsv1.JSONSchemaProps, index int, fixed maxFill) any {
	v, isFixed := fixed[path]
	switch f := v.(type) {
	case omitField:
		return nil
	case func(int) any:
		v = f(index)
	}
	if !isFixed {
		v = m.generate(path, s, index, fixed)
	}
	if v != nil {
		m.record(path, s, v)
	}
	return v
}

// record counts v and what it holds as filled, and at its maximum where it
// is.
func (m *maxGen) record(path string, s apiextensionsv1.JSONSchemaProps, v any) {
	m.filled[path] = true
	if atMaximum(v, s) {
		m.atMax[path] = true
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if p, ok := s.Properties[k]; ok {
				m.record(path+"."+k, p, x)
			} else if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
				m.record(path+"{}", *s.AdditionalProperties.Schema, x)
			}
		}
	case []any:
		for _, x := range v {
			m.record(path+"[]", *s.Items.Schema, x)
		}
	}
}

// generate is a field's value from its schema alone.
func (m *maxGen) generate(path string, s apiextensionsv1.JSONSchemaProps, index int, fixed maxFill) any {
	switch {
	case s.XIntOrString:
		// Every int-or-string of these kinds is an amount of money.
		return maxAmount
	case s.Type == "object":
		return m.objectValue(path, s, index, fixed)
	case s.Type == "array":
		return m.list(path, s, fixed)
	case s.Type == "integer":
		return integerAtMax(s)
	case s.Type == "string":
		return m.text(path, s, index)
	case s.Type == "boolean":
		return true
	}
	return nil
}

// objectValue fills every property, and a map (additionalProperties) with
// a few long keys. The properties of a list's item share its index.
func (m *maxGen) objectValue(path string, s apiextensionsv1.JSONSchemaProps, index int, fixed maxFill) any {
	out := map[string]any{}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Properties {
			if !yield(k) {
				return
			}
		}
	}) {
		if v := m.value(path+"."+name, s.Properties[name], index, fixed); v != nil {
			out[name] = v
		}
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		for i := range 3 {
			out[fmt.Sprintf("key-%d-%s", i, strings.Repeat("k", 50))] = m.value(path+"{}", *s.AdditionalProperties.Schema, i, fixed)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// list fills maxItems items (three when unbounded). Items are distinct:
// every generated string carries its index, and enums in a list take
// their values in turn, so map keys and set items are unique.
func (m *maxGen) list(path string, s apiextensionsv1.JSONSchemaProps, fixed maxFill) any {
	n := 3
	if s.MaxItems != nil {
		n = int(*s.MaxItems)
	}
	if item := s.Items.Schema; len(item.Enum) > 0 {
		n = min(n, len(item.Enum))
	}
	out := make([]any, 0, n)
	for i := range n {
		if v := m.value(path+"[]", *s.Items.Schema, i, fixed); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// maxAmount is the largest amount the money grammar admits (below 1000T,
// at most two decimals), written out in full.
const maxAmount = "999999999999999.99"

func integerAtMax(s apiextensionsv1.JSONSchemaProps) any {
	switch {
	case s.Maximum != nil:
		return int64(*s.Maximum)
	case s.Minimum != nil:
		return int64(*s.Minimum)
	}
	return int64(1)
}

// atMaximum says whether v is as long or as large as the schema admits.
func atMaximum(v any, s apiextensionsv1.JSONSchemaProps) bool {
	switch v := v.(type) {
	case string:
		if s.XIntOrString {
			return v == maxAmount
		}
		return s.MaxLength != nil && int64(utf8.RuneCountInString(v)) == *s.MaxLength
	case int64:
		return s.Maximum != nil && float64(v) == *s.Maximum
	case []any:
		return s.MaxItems != nil && int64(len(v)) == *s.MaxItems
	}
	return false
}

// Patterns of the kinds' schemas, each filled its own way.
const (
	periodPattern    = `^[1-9][0-9]{0,3}(h|d|w)$`
	tolerancePattern = `^(0|[1-9][0-9]{0,3})(h|d|w)$`
	labelPattern     = `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	subdomainPattern = `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	currencyPattern  = `^[A-Z]{3}$`
)

// text is a string field's value: an enum value (in turn, by index), a
// date, or a string of maxLength characters that passes its pattern.
func (m *maxGen) text(path string, s apiextensionsv1.JSONSchemaProps, index int) any {
	n := 63
	if s.MaxLength != nil {
		n = int(*s.MaxLength)
	}
	switch {
	case len(s.Enum) > 0:
		var v string
		if err := yaml.Unmarshal(s.Enum[index%len(s.Enum)].Raw, &v); err != nil {
			panic(fmt.Sprintf("%s %s: enum value %s: %v", m.kind, path, s.Enum[index%len(s.Enum)].Raw, err))
		}
		return v
	case s.Format == "date":
		return m.date(path)
	case s.Pattern == "":
		return prose(n, index)
	case s.Pattern == periodPattern, s.Pattern == tolerancePattern:
		return "9999w"
	case s.Pattern == labelPattern:
		return dnsName(n, fmt.Sprintf("l%d", index))
	case s.Pattern == subdomainPattern:
		return dnsName(n, fmt.Sprintf("s%d", index))
	case s.Pattern == currencyPattern:
		return "EUR"
	}
	panic(fmt.Sprintf("%s %s: no way to fill pattern %s: special-case it", m.kind, path, s.Pattern))
}

// date is a recent date, never ahead: a start a year and a month ago,
// every other date (ends, closing, as-of, due, review dates) yesterday,
// so that CEL's start <= end and the webhooks' "not ahead" hold.
func (m *maxGen) date(path string) string {
	if strings.HasSuffix(path, ".start") {
		return m.today.AddDate(0, 0, -400).Format(time.DateOnly)
	}
	return m.today.Format(time.DateOnly)
}

// prose is n characters of text, letters outside ASCII among them (a
// maxLength counts characters, a shortening bytes), starting with index so
// that items of one list differ.
func prose(n, index int) string {
	const words = "Zürich café — Ωmega ✓ office gate review "
	s := fmt.Sprintf("%d ", index) + strings.Repeat(words, n/utf8.RuneCountInString(words)+1)
	return string([]rune(s)[:n])
}

// dnsName is a DNS subdomain (or, within 63 characters, a DNS label) of
// exactly n characters starting with prefix: labels of 63 characters
// separated by dots.
func dnsName(n int, prefix string) string {
	b := []byte(prefix + "-")
	for len(b) < n {
		if len(b)%64 == 63 && n-len(b) > 1 {
			b = append(b, '.')
		} else {
			b = append(b, 'z')
		}
	}
	return string(b[:n])
}

// fields lists the fields of the spec schema by path, true for those that
// have a maximum (maxLength, maximum, maxItems, or an amount's).
func fields(path string, s apiextensionsv1.JSONSchemaProps, out map[string]bool) {
	out[path] = s.MaxLength != nil || s.Maximum != nil || s.MaxItems != nil || s.XIntOrString
	for k, p := range s.Properties {
		fields(path+"."+k, p, out)
	}
	if s.Items != nil && s.Items.Schema != nil {
		fields(path+"[]", *s.Items.Schema, out)
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		fields(path+"{}", *s.AdditionalProperties.Schema, out)
	}
}

// maxCounts is what the generator did for one kind, over every object it
// made of it.
type maxCounts struct {
	// fields is how many fields the spec schema has, bounded how many of
	// them have a maximum; filled and atMax count those filled, and filled
	// at their maximum, by schema path.
	fields, bounded, filled, atMax int
	// unfilled lists the fields no object had; short those with a maximum
	// never filled at it.
	unfilled, short []string
}

func (m *maxGen) counts() maxCounts {
	all := map[string]bool{}
	fields("spec", m.schema, all)
	c := maxCounts{fields: len(all), filled: len(m.filled), atMax: len(m.atMax)}
	for path, hasMax := range all {
		if !m.filled[path] {
			c.unfilled = append(c.unfilled, path)
		}
		if hasMax {
			c.bounded++
			if !m.atMax[path] {
				c.short = append(c.short, path)
			}
		}
	}
	slices.Sort(c.unfilled)
	slices.Sort(c.short)
	return c
}
