/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package consistency

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/api/v1alpha1"
)

// Order is a property, not a path: the sample organisation applied in many
// orders (forward, reverse, reverse one kind at a time with the operator
// settling in between, and random shuffles), each into namespaces of its
// own, converges to the same status of every object and the same live
// reports as the forward apply, object by object. Namespaces come first
// (as GitOps tools create them first); everything else arrives in the
// order given.
func TestOrderDoesNotMatter(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	run := startOperator(ctx, t)
	samples, err := filepath.Glob(filepath.Join(run.root, "config", "samples", "*.yaml"))
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples in config/samples: %v", err)
	}
	fixture := filepath.Join(t.TempDir(), "two-currencies.yaml")
	if err := os.WriteFile(fixture, []byte(twoCurrencies), 0o600); err != nil {
		t.Fatal(err)
	}
	namespaces, objects, err := readSamples(append(samples, fixture))
	if err != nil {
		t.Fatal(err)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("shuffles seeded with %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	variants := []orderVariant{{name: "forward", objects: objects}, {name: "reverse", objects: reversed(objects)},
		{name: "reverse by kind, settling between", objects: reversed(objects), byKind: true}}
	for i := range 4 {
		shuffled := append([]*unstructured.Unstructured(nil), objects...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		variants = append(variants, orderVariant{name: fmt.Sprintf("shuffle %d", i+1), objects: shuffled})
	}
	dir := t.TempDir()
	for i := range variants {
		variants[i].prefix = fmt.Sprintf("order%d-", i)
		if err := variants[i].apply(ctx, t, run, dir, namespaces); err != nil {
			t.Fatalf("%s: %v", variants[i].name, err)
		}
	}
	for _, v := range variants {
		for _, ns := range namespaces {
			if _, err := run.cp.Kubectl(ctx, "wait", "--for=condition=Ready", "--timeout=180s", "-n", v.prefix+ns.GetName(),
				"offices,portfolios,programmes,projects,gatewayreviews", "-l", "!"+mixedLabel); err != nil {
				t.Fatalf("%s: %v", v.name, err)
			}
		}
	}
	// What every order must agree on, forward included: the project's
	// amounts are in its own office's EUR, left out of the GBP totals.
	for _, v := range variants {
		project := &v1alpha1.Project{}
		if err := run.client.Get(ctx, client.ObjectKey{Namespace: v.prefix + "p3o-central", Name: "payroll-euro"}, project); err != nil {
			t.Fatal(err)
		}
		if project.Status.Currency != "EUR" {
			t.Errorf("%s: payroll-euro recorded currency %q, want EUR (its own office's)", v.name, project.Status.Currency)
		}
	}
	compareVariants(ctx, t, run.client, variants)
}

// mixedLabel marks the objects of twoCurrencies that are not Ready by
// design (their totals leave out an amount in another currency).
const mixedLabel = "consistency.p3o.dev/mixed-currency"

// twoCurrencies adds what the samples lack: a project whose own office
// (EUR) differs from the one it inherits (GBP), so that the currency it
// records depends on which office governs it once everything has arrived,
// never on which arrived first; its programme's GBP totals leave it out.
const twoCurrencies = `apiVersion: governance.p3o.dev/v1alpha1
kind: Office
metadata: {name: london, namespace: p3o-central, labels: {` + mixedLabel + `: "true"}}
spec: {type: PortfolioOffice, location: London, currency: GBP, governance: {profile: OGCGateway}}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Portfolio
metadata: {name: uk, namespace: p3o-central, labels: {` + mixedLabel + `: "true"}}
spec: {officeRef: {name: london}, capacity: 2M}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Programme
metadata: {name: payroll, namespace: p3o-central, labels: {` + mixedLabel + `: "true"}}
spec: {portfolioRef: {name: uk}, phase: Delivering, budget: 300k}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Project
metadata: {name: payroll-euro, namespace: p3o-central}
spec:
  programmeRef: {name: payroll}
  officeRef: {name: euro-support}
  phase: Initiating
  plan: {budget: 100k}
---
apiVersion: governance.p3o.dev/v1alpha1
kind: Office
metadata: {name: euro-support, namespace: p3o-central}
spec: {type: Virtual, currency: EUR}
`

// orderVariant is one order of applying the organisation, into namespaces
// named with prefix.
type orderVariant struct {
	name    string
	prefix  string
	objects []*unstructured.Unstructured
	// byKind applies one kind at a time and waits for the operator to
	// settle each before the next arrives.
	byKind bool
}

// apply writes the variant's namespaces and objects, renamed, and applies
// them with kubectl in order.
func (v orderVariant) apply(ctx context.Context, t *testing.T, run running, dir string, namespaces []*unstructured.Unstructured) error {
	batches := [][]*unstructured.Unstructured{v.objects}
	if v.byKind {
		batches = byKind(v.objects)
	}
	batches = append([][]*unstructured.Unstructured{namespaces}, batches...)
	for i, batch := range batches {
		var out bytes.Buffer
		for _, obj := range batch {
			data, err := yaml.Marshal(v.rename(obj, namespaces).Object)
			if err != nil {
				return err
			}
			out.WriteString("---\n")
			out.Write(data)
		}
		file := filepath.Join(dir, fmt.Sprintf("%s%d.yaml", v.prefix, i))
		if err := os.WriteFile(file, out.Bytes(), 0o600); err != nil {
			return err
		}
		if _, err := run.cp.Kubectl(ctx, "apply", "-f", file); err != nil {
			return err
		}
		if v.byKind && i > 0 {
			time.Sleep(3 * time.Second) // what arrived is reconciled before its parents arrive
		}
	}
	t.Logf("%s: applied %d objects into namespaces %s*", v.name, len(v.objects), v.prefix)
	return nil
}

// rename puts an object, and every namespace it names, into the variant's
// namespaces.
func (v orderVariant) rename(obj *unstructured.Unstructured, namespaces []*unstructured.Unstructured) *unstructured.Unstructured {
	data, _ := json.Marshal(obj.Object)
	text := string(data)
	for _, ns := range namespaces {
		name := ns.GetName()
		text = strings.ReplaceAll(text, `"namespace":"`+name+`"`, `"namespace":"`+v.prefix+name+`"`)
		if obj.GetKind() == "Namespace" {
			text = strings.ReplaceAll(text, `"name":"`+name+`"`, `"name":"`+v.prefix+name+`"`)
		}
	}
	out := &unstructured.Unstructured{}
	_ = json.Unmarshal([]byte(text), &out.Object)
	return out
}

// readSamples reads the sample organisation: its namespaces, and every
// other object in the order of the files.
func readSamples(files []string) (namespaces, objects []*unstructured.Unstructured, err error) {
	sort.Strings(files)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, err
		}
		decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			obj := &unstructured.Unstructured{}
			if err := decoder.Decode(&obj.Object); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", file, err)
			}
			switch {
			case len(obj.Object) == 0:
			case obj.GetKind() == "Namespace":
				namespaces = append(namespaces, obj)
			default:
				objects = append(objects, obj)
			}
		}
	}
	return namespaces, objects, nil
}

func reversed(objects []*unstructured.Unstructured) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, len(objects))
	for i, o := range objects {
		out[len(objects)-1-i] = o
	}
	return out
}

// byKind splits objects into runs of one kind, in their order.
func byKind(objects []*unstructured.Unstructured) [][]*unstructured.Unstructured {
	var out [][]*unstructured.Unstructured
	for i, obj := range objects {
		if i == 0 || obj.GetKind() != objects[i-1].GetKind() {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], obj)
	}
	return out
}

// compareVariants compares every variant's published state with the
// forward apply's, object by object, until they agree or 60 s pass.
func compareVariants(ctx context.Context, t *testing.T, c client.Client, variants []orderVariant) {
	var diffs []string
	deadline := time.Now().Add(60 * time.Second)
	for {
		published, err := readPublished(ctx, c, variants)
		if err != nil {
			t.Fatal(err)
		}
		diffs = diffs[:0]
		want := published[variants[0].prefix]
		if len(want) == 0 {
			t.Fatal("the forward apply published nothing")
		}
		for _, v := range variants[1:] {
			diffs = append(diffs, diffPublished(v.name, want, published[v.prefix])...)
		}
		if len(diffs) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Second)
	}
	for _, d := range diffs {
		t.Error(d)
	}
	t.Logf("%d orders compared object by object with the forward apply", len(variants)-1)
}

// readPublished reads, per variant prefix, every object's status and every
// live report, keyed by kind and namespace/name with the prefix taken out.
func readPublished(ctx context.Context, c client.Client, variants []orderVariant) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, v := range variants {
		out[v.prefix] = map[string]string{}
	}
	lists := map[string]client.ObjectList{"Office": &v1alpha1.OfficeList{}, "Portfolio": &v1alpha1.PortfolioList{},
		"Programme": &v1alpha1.ProgrammeList{}, "Project": &v1alpha1.ProjectList{}, "GatewayReview": &v1alpha1.GatewayReviewList{}}
	for kind, list := range lists {
		if err := c.List(ctx, list); err != nil {
			return nil, err
		}
		data, _ := json.Marshal(list)
		var items struct {
			Items []struct {
				Metadata struct{ Namespace, Name string }
				Status   json.RawMessage
			}
		}
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, err
		}
		for _, item := range items.Items {
			record(out, variants, kind, item.Metadata.Namespace, item.Metadata.Name, string(item.Status))
		}
	}
	cms := &corev1.ConfigMapList{}
	if err := c.List(ctx, cms, client.MatchingLabels{v1alpha1.LabelReport: "live"}); err != nil {
		return nil, err
	}
	for _, cm := range cms.Items {
		data, _ := json.Marshal(cm.Data)
		record(out, variants, "report", cm.Namespace, cm.Name, string(data))
	}
	return out, nil
}

// timestamps are the times that say when the operator first saw a phase
// (seconds apart between variants), compared by day.
var timestamps = regexp.MustCompile(`(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}Z`)

var transitions = regexp.MustCompile(`"lastTransitionTime":"[^"]*",?`)

func record(out map[string]map[string]string, variants []orderVariant, kind, ns, name, text string) {
	text = conditionsByType(text)
	for _, v := range variants {
		if strings.HasPrefix(ns, v.prefix) {
			text = strings.ReplaceAll(text, v.prefix, "")
			text = transitions.ReplaceAllString(text, "")
			out[v.prefix][kind+" "+strings.TrimPrefix(ns, v.prefix)+"/"+name] = timestamps.ReplaceAllString(text, "$1")
			return
		}
	}
}

// conditionsByType sorts a status's conditions by type: they are a map,
// listed in the order they were first set.
func conditionsByType(status string) string {
	var fields map[string]any
	if err := json.Unmarshal([]byte(status), &fields); err != nil {
		return status
	}
	conds, _ := fields["conditions"].([]any)
	sort.Slice(conds, func(i, j int) bool {
		return fmt.Sprint(conds[i].(map[string]any)["type"]) < fmt.Sprint(conds[j].(map[string]any)["type"])
	})
	data, _ := json.Marshal(fields)
	return string(data)
}

// diffPublished names every object whose status or report differs from
// the forward apply's, or is missing from either.
func diffPublished(variant string, want, got map[string]string) []string {
	var out []string
	for key, w := range want {
		g, ok := got[key]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: %s is missing", variant, key))
		case g != w:
			out = append(out, fmt.Sprintf("%s: %s differs from the forward apply:\n got: %s\nwant: %s", variant, key, g, w))
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			out = append(out, fmt.Sprintf("%s: %s was published only in this order", variant, key))
		}
	}
	sort.Strings(out)
	return out
}
