/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

// Package argocd tests the Argo CD health checks in config/argocd: the Lua
// shipped in the argocd-cm snippet runs in gopher-lua (the engine Argo CD
// uses, in the same sandbox) against objects of every kind read from a real
// API server in every state their status can be in.
package argocd

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	lua "github.com/yuin/gopher-lua"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	kstatus "sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/internal/controlplane"
)

var update = flag.Bool("update", false, "rewrite config/argocd/argocd-cm-patch.yaml from config/argocd/health.lua")

const (
	group      = "governance.p3o.dev"
	scriptPath = "config/argocd/health.lua"
	patchPath  = "config/argocd/argocd-cm-patch.yaml"
)

// kinds are the operator's kinds, in the order the snippet lists them.
var kinds = []string{"Office", "Portfolio", "Programme", "Project", "GatewayReview"}

// healthKey is the argocd-cm key of a kind's health check.
func healthKey(kind string) string {
	return "resource.customizations.health." + group + "_" + kind
}

const snippetHeader = `# Argo CD health checks for the p3o-operator kinds, one key per kind, all
# with the script of config/argocd/health.lua. GENERATED from that file by
#   go test ./test/argocd -run TestSnippet -update
# do not edit by hand; test/argocd checks that the two agree.
#
# Healthy when Ready=True at the current generation; Progressing while the
# operator has not observed the object's generation, while Reconciling=True,
# and while Ready=False with reason ParentNotFound (a parent not applied
# yet); Degraded when Stalled=True (only a person can help) or Ready=False for
# any other reason. See docs/gitops.md.
#
# Merge it into an installed Argo CD's argocd-cm (other keys are kept):
#   kubectl -n argocd patch configmap argocd-cm --type merge \
#     --patch-file config/argocd/argocd-cm-patch.yaml
# or list it under patches: in a kustomization that installs Argo CD with
# namespace: argocd (so the patch names no namespace). With the Argo CD Helm
# chart, put the data keys under configs.cm.
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  labels:
    app.kubernetes.io/name: argocd-cm
    app.kubernetes.io/part-of: argocd
data:
`

// renderSnippet is the argocd-cm snippet for a script.
func renderSnippet(script string) []byte {
	var b strings.Builder
	b.WriteString(snippetHeader)
	for _, kind := range kinds {
		b.WriteString("  " + healthKey(kind) + ": |\n")
		for _, line := range strings.SplitAfter(script, "\n") {
			switch line {
			case "":
			case "\n":
				b.WriteString(line)
			default:
				b.WriteString("    " + line)
			}
		}
	}
	return []byte(b.String())
}

func repoFile(t *testing.T, path string) string {
	t.Helper()
	root, err := controlplane.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, path)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(repoFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The snippet carries exactly the shipped script for every kind: no drift.
func TestSnippetMatchesScript(t *testing.T) {
	script := readFile(t, scriptPath)
	if !strings.HasSuffix(script, "\n") || strings.Contains(script, "\t") || strings.Contains(script, " \n") {
		t.Fatalf("%s must end with a newline and hold no tabs or trailing spaces (YAML literal blocks keep them badly)", scriptPath)
	}
	want := renderSnippet(script)
	if *update {
		if err := os.WriteFile(repoFile(t, patchPath), want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := readFile(t, patchPath)
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s is not generated from %s (-want +got); run go test ./test/argocd -run TestSnippet -update:\n%s", patchPath, scriptPath, diff)
	}

	var cm corev1.ConfigMap
	if err := yaml.UnmarshalStrict([]byte(got), &cm); err != nil {
		t.Fatalf("%s: %v", patchPath, err)
	}
	// No namespace: kubectl patch takes it from -n, and a kustomization
	// setting namespace: argocd matches a patch without one.
	if cm.Kind != "ConfigMap" || cm.Name != "argocd-cm" || cm.Namespace != "" {
		t.Errorf("%s patches %s %q/%s; want ConfigMap argocd-cm without a namespace", patchPath, cm.Kind, cm.Namespace, cm.Name)
	}
	if len(cm.Data) != len(kinds) {
		t.Errorf("%s has %d keys; want one per kind (%d)", patchPath, len(cm.Data), len(kinds))
	}
	for _, kind := range kinds {
		if cm.Data[healthKey(kind)] != script {
			t.Errorf("%s: %s differs from %s", patchPath, healthKey(kind), scriptPath)
		}
	}
}

// manifests are minimal objects of each kind. Their parents do not exist and
// no operator runs: status is what the test writes.
var manifests = map[string]string{
	"Office":        `{apiVersion: governance.p3o.dev/v1alpha1, kind: Office, spec: {type: PortfolioOffice}}`,
	"Portfolio":     `{apiVersion: governance.p3o.dev/v1alpha1, kind: Portfolio, spec: {officeRef: {name: central}}}`,
	"Programme":     `{apiVersion: governance.p3o.dev/v1alpha1, kind: Programme, spec: {portfolioRef: {name: transformation}}}`,
	"Project":       `{apiVersion: governance.p3o.dev/v1alpha1, kind: Project, spec: {programmeRef: {name: digital}, plan: {budget: 1.2M, start: "2026-01-01", end: "2026-12-31"}}}`,
	"GatewayReview": `{apiVersion: governance.p3o.dev/v1alpha1, kind: GatewayReview, spec: {subjectRef: {kind: Project, name: portal}, gate: 3, date: "2026-06-01"}}`,
}

// specEdits change each kind's spec, so that metadata.generation moves on.
var specEdits = map[string]string{
	"Office":        `{"spec":{"description":"edited"}}`,
	"Portfolio":     `{"spec":{"description":"edited"}}`,
	"Programme":     `{"spec":{"description":"edited"}}`,
	"Project":       `{"spec":{"description":"edited"}}`,
	"GatewayReview": `{"spec":{"reviewTeamLead":"edited"}}`,
}

func condition(conditionType, status, reason, message string) map[string]any {
	return map[string]any{
		"type": conditionType, "status": status, "reason": reason, "message": message,
		"lastTransitionTime": "2026-11-27T09:00:00Z",
	}
}

// observed is a status observed at the given generation with conditions.
func observed(generation int64, conds ...map[string]any) map[string]any {
	s := map[string]any{"observedGeneration": generation}
	if len(conds) > 0 {
		list := make([]any, len(conds))
		for i, c := range conds {
			list[i] = c
		}
		s["conditions"] = list
	}
	return s
}

const (
	allMet      = "all conditions are met"
	pending     = "2 children are not reconciled at their current generation yet"
	refused     = "office p3o-central/central does not admit objects from namespace p3o-retail (allowedChildren: Same)"
	notFound    = "portfolio p3o-health/transformation not found"
	writeFailed = "writing ConfigMap office-central-report: the server is currently unable to handle the request"
	notYet      = "RolledUp has not been evaluated yet"
)

// healthCase is one state of an object's status and what Argo CD (through
// the Lua check) and kstatus (what Flux and kubectl-based tooling compute)
// make of it.
type healthCase struct {
	name string
	// status builds the status written through the status subresource at
	// the object's generation; nil writes none.
	status func(generation int64) map[string]any
	// editSpec changes the spec after the status is written.
	editSpec    bool
	wantHealth  string
	wantMessage string
	wantKstatus kstatus.Status
}

var cases = []healthCase{{
	name:        "no status",
	wantHealth:  "Progressing",
	wantMessage: "Waiting for the p3o-operator to report status",
	// kstatus reads an object without status as Current; the Lua check
	// waits for the operator.
	wantKstatus: kstatus.CurrentStatus,
}, {
	name:        "status without conditions",
	status:      func(g int64) map[string]any { return observed(g) },
	wantHealth:  "Progressing",
	wantMessage: "Waiting for the p3o-operator to report status",
	wantKstatus: kstatus.CurrentStatus,
}, {
	name: "Ready at the current generation",
	status: func(g int64) map[string]any {
		return observed(g, condition("ParentResolved", "True", "Resolved", "every reference resolved"), condition("Ready", "True", "Succeeded", allMet))
	},
	wantHealth:  "Healthy",
	wantMessage: allMet,
	wantKstatus: kstatus.CurrentStatus,
}, {
	name: "Reconciling",
	status: func(g int64) map[string]any {
		return observed(g, condition("Ready", "False", "ChildrenPending", pending), condition("Reconciling", "True", "ChildrenPending", pending))
	},
	wantHealth:  "Progressing",
	wantMessage: pending,
	wantKstatus: kstatus.InProgressStatus,
}, {
	name: "Stalled",
	status: func(g int64) map[string]any {
		return observed(g,
			condition("ParentResolved", "False", "NotPermitted", refused),
			condition("Ready", "False", "NotPermitted", refused),
			condition("Stalled", "True", "NotPermitted", refused))
	},
	wantHealth:  "Degraded",
	wantMessage: refused,
	wantKstatus: kstatus.FailedStatus,
}, {
	name: "Stalled without a message",
	status: func(g int64) map[string]any {
		return observed(g, condition("Ready", "False", "HubLoop", ""), condition("Stalled", "True", "HubLoop", ""))
	},
	wantHealth:  "Degraded",
	wantMessage: "HubLoop",
	wantKstatus: kstatus.FailedStatus,
}, {
	name: "ParentNotFound",
	status: func(g int64) map[string]any {
		return observed(g, condition("ParentResolved", "False", "ParentNotFound", notFound), condition("Ready", "False", "ParentNotFound", notFound))
	},
	wantHealth:  "Progressing",
	wantMessage: notFound,
	wantKstatus: kstatus.InProgressStatus,
}, {
	name: "Ready False for another reason",
	status: func(g int64) map[string]any {
		return observed(g, condition("Ready", "False", "PublishFailed", writeFailed))
	},
	wantHealth:  "Degraded",
	wantMessage: writeFailed,
	// kstatus has no Degraded: Ready=False without Stalled is InProgress.
	wantKstatus: kstatus.InProgressStatus,
}, {
	name: "Ready Unknown",
	status: func(g int64) map[string]any {
		return observed(g, condition("Ready", "Unknown", "Progressing", notYet))
	},
	wantHealth:  "Progressing",
	wantMessage: notYet,
	wantKstatus: kstatus.InProgressStatus,
}, {
	name: "no Ready condition",
	status: func(g int64) map[string]any {
		return observed(g, condition("ParentResolved", "True", "Resolved", "every reference resolved"))
	},
	wantHealth:  "Progressing",
	wantMessage: "Waiting for the Ready condition",
	wantKstatus: kstatus.CurrentStatus,
}, {
	name: "observedGeneration behind",
	status: func(g int64) map[string]any {
		return observed(g, condition("Ready", "True", "Succeeded", allMet))
	},
	editSpec:    true,
	wantHealth:  "Progressing",
	wantMessage: "Waiting for the p3o-operator to observe generation 2 (observed 1)",
	wantKstatus: kstatus.InProgressStatus,
}}

// The scripts, as Argo CD reads them from argocd-cm once the snippet is
// merged in with the documented kubectl command, judge objects read back
// from a real API server.
func TestHealthChecksOnObjectsFromTheAPIServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cp := controlplane.StartForTest(t)
	c, err := client.New(cp.Config, client.Options{})
	if err != nil {
		t.Fatal(err)
	}

	scripts := installSnippet(ctx, t, cp, c)
	kustomizeSnippet(ctx, t, cp)

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "p3o-health"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for _, kind := range kinds {
		for i, tc := range cases {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				obj := &unstructured.Unstructured{}
				if err := yaml.Unmarshal([]byte(manifests[kind]), &obj.Object); err != nil {
					t.Fatal(err)
				}
				obj.SetNamespace(ns.Name)
				obj.SetName(fmt.Sprintf("%s-%d", strings.ToLower(kind), i))
				if err := c.Create(ctx, obj); err != nil {
					t.Fatal(err)
				}
				if tc.status != nil {
					obj.Object["status"] = tc.status(obj.GetGeneration())
					if err := c.Status().Update(ctx, obj); err != nil {
						t.Fatalf("writing status: %v", err)
					}
				}
				if tc.editSpec {
					if err := c.Patch(ctx, obj, client.RawPatch(types.MergePatchType, []byte(specEdits[kind]))); err != nil {
						t.Fatal(err)
					}
				}

				live := &unstructured.Unstructured{}
				live.SetGroupVersionKind(obj.GroupVersionKind())
				if err := c.Get(ctx, client.ObjectKeyFromObject(obj), live); err != nil {
					t.Fatal(err)
				}
				checkState(t, tc, live)

				health, message, err := runHealthCheck(scripts[healthKey(kind)], live.Object)
				if err != nil {
					t.Fatal(err)
				}
				if health != tc.wantHealth || message != tc.wantMessage {
					t.Errorf("health %s %q; want %s %q", health, message, tc.wantHealth, tc.wantMessage)
				}

				res, err := kstatus.Compute(live)
				if err != nil {
					t.Fatal(err)
				}
				if res.Status != tc.wantKstatus {
					t.Errorf("kstatus %s (%s); want %s", res.Status, res.Message, tc.wantKstatus)
				}
			})
		}
	}
}

// checkState asserts that the API server holds the state the case is about.
func checkState(t *testing.T, tc healthCase, live *unstructured.Unstructured) {
	t.Helper()
	_, hasStatus := live.Object["status"]
	if hasStatus != (tc.status != nil) {
		t.Fatalf("status present: %v; the case writes one: %v", hasStatus, tc.status != nil)
	}
	if tc.status == nil {
		return
	}
	observedGeneration, _, err := unstructured.NestedInt64(live.Object, "status", "observedGeneration")
	if err != nil {
		t.Fatal(err)
	}
	wantGeneration := int64(1)
	if tc.editSpec {
		wantGeneration = 2
	}
	if live.GetGeneration() != wantGeneration || observedGeneration != 1 {
		t.Fatalf("generation %d, observedGeneration %d; want %d, 1", live.GetGeneration(), observedGeneration, wantGeneration)
	}
	want := tc.status(1)["conditions"]
	got := live.Object["status"].(map[string]any)["conditions"]
	if want != nil && len(got.([]any)) != len(want.([]any)) {
		t.Fatalf("conditions read back: %v; want %v", got, want)
	}
}

// installSnippet stands in for an installed Argo CD: an argocd-cm with a key
// of its own, into which the snippet is merged with the command its header
// documents. It returns the merged data.
func installSnippet(ctx context.Context, t *testing.T, cp *controlplane.ControlPlane, c client.Client) map[string]string {
	t.Helper()
	argocd := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "argocd"}}
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "argocd-cm", Namespace: "argocd"},
		Data:       map[string]string{"url": "https://argocd.example.com"},
	}
	for _, obj := range []client.Object{argocd, cm} {
		if err := c.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cp.Kubectl(ctx, "-n", "argocd", "patch", "configmap", "argocd-cm", "--type", "merge", "--patch-file", patchPath); err != nil {
		t.Fatal(err)
	}
	if err := c.Get(ctx, client.ObjectKeyFromObject(cm), cm); err != nil {
		t.Fatal(err)
	}
	if cm.Data["url"] != "https://argocd.example.com" {
		t.Errorf("the patch dropped argocd-cm's own keys: %v", cm.Data)
	}
	script := readFile(t, scriptPath)
	for _, kind := range kinds {
		if cm.Data[healthKey(kind)] != script {
			t.Fatalf("argocd-cm after the patch: %s is not %s", healthKey(kind), scriptPath)
		}
	}
	return cm.Data
}

// kustomizeSnippet checks the other documented way in: the snippet as a
// patch in a kustomization that installs Argo CD into namespace argocd.
func kustomizeSnippet(ctx context.Context, t *testing.T, cp *controlplane.ControlPlane) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"kustomization.yaml":   "namespace: argocd\nresources:\n- argocd-cm.yaml\npatches:\n- path: argocd-cm-patch.yaml\n",
		"argocd-cm.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  url: https://argocd.example.com\n",
		"argocd-cm-patch.yaml": readFile(t, patchPath),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := cp.Kubectl(ctx, "kustomize", dir)
	if err != nil {
		t.Fatal(err)
	}
	var cm corev1.ConfigMap
	if err := yaml.UnmarshalStrict([]byte(out), &cm); err != nil {
		t.Fatalf("kubectl kustomize: %v\n%s", err, out)
	}
	script := readFile(t, scriptPath)
	if cm.Namespace != "argocd" || cm.Data["url"] != "https://argocd.example.com" {
		t.Errorf("kustomize with the patch gave argocd-cm in %q with url %q", cm.Namespace, cm.Data["url"])
	}
	for _, kind := range kinds {
		if cm.Data[healthKey(kind)] != script {
			t.Errorf("kustomize with the patch: %s is not %s", healthKey(kind), scriptPath)
		}
	}
}

// validHealth are the health codes Argo CD accepts from a Lua check.
var validHealth = map[string]bool{"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true}

// runHealthCheck runs a health script as Argo CD does: a fresh gopher-lua
// state with only the package, base and table libraries (the default for
// checks configured in argocd-cm), a one-second limit, the object as the
// global obj, and a table returned with status and message.
func runHealthCheck(script string, object map[string]any) (health, message string, err error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return "", "", fmt.Errorf("opening %s: %w", lib.name, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	value, err := toLua(l, object)
	if err != nil {
		return "", "", err
	}
	l.SetGlobal("obj", value)
	if err := l.DoString(script); err != nil {
		return "", "", fmt.Errorf("running the health check: %w", err)
	}
	result, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("the health check returned %s, not a table", l.Get(-1).Type())
	}
	status, ok := result.RawGetString("status").(lua.LString)
	if !ok || !validHealth[string(status)] {
		return "", "", fmt.Errorf("the health check returned status %v, not a health code Argo CD accepts", result.RawGetString("status"))
	}
	switch m := result.RawGetString("message").(type) {
	case lua.LString:
		message = string(m)
	case *lua.LNilType:
	default:
		return "", "", fmt.Errorf("the health check returned a message of type %s", m.Type())
	}
	return string(status), message, nil
}

// toLua converts a decoded JSON value (as unstructured objects hold it) to
// Lua: objects become tables by key, arrays tables by index from 1.
func toLua(l *lua.LState, v any) (lua.LValue, error) {
	switch v := v.(type) {
	case nil:
		return lua.LNil, nil
	case bool:
		return lua.LBool(v), nil
	case string:
		return lua.LString(v), nil
	case int64:
		return lua.LNumber(v), nil
	case int32:
		return lua.LNumber(v), nil
	case int:
		return lua.LNumber(v), nil
	case float64:
		return lua.LNumber(v), nil
	case json.Number:
		return lua.LString(v), nil
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			lv, err := toLua(l, item)
			if err != nil {
				return nil, err
			}
			t.Append(lv)
		}
		return t, nil
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for key, item := range v {
			lv, err := toLua(l, item)
			if err != nil {
				return nil, err
			}
			t.RawSetString(key, lv)
		}
		return t, nil
	default:
		return nil, fmt.Errorf("no Lua value for %T", v)
	}
}
