/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package chart

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/action"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/test/deploy"
)

// With the default values: the image of the chart's appVersion, one replica
// electing a leader, webhooks failing open with cert-manager certificates,
// metrics over HTTPS with a certificate, persona roles, no monitoring
// objects; and the objects hold together.
func TestDefaults(t *testing.T) {
	r := renderScenario(t, "defaults")
	ch, err := Load(chartPath)
	if err != nil {
		t.Fatal(err)
	}
	d, c := deployment(t, r.Objects)
	if got, want := str(c, "image"), "ghcr.io/p3o-dev/p3o-operator:"+ch.Metadata.AppVersion; got != want {
		t.Errorf("image %s, want %s (the chart's appVersion)", got, want)
	}
	if replicas, _, _ := unstructured.NestedInt64(d.Object, "spec", "replicas"); replicas != 1 {
		t.Errorf("replicas %d, want 1", replicas)
	}
	args := strs(c, "args")
	for _, want := range []string{"--leader-elect", "--enable-webhooks=true", "--metrics-bind-address=:8443", "--metrics-cert-dir=/tmp/k8s-metrics-server/metrics-certs"} {
		if !slices.Contains(args, want) {
			t.Errorf("args %v lack %s", args, want)
		}
	}
	for _, hook := range webhooks(t, r.Objects) {
		if got := str(hook, "failurePolicy"); got != "Ignore" {
			t.Errorf("webhook %s: failurePolicy %s, want Ignore (fail open)", str(hook, "name"), got)
		}
	}
	get(t, r.Objects, "Issuer", prefix+"-selfsigned-issuer")
	for _, role := range []string{"viewer", "editor", "assurance", "office-admin"} {
		get(t, r.Objects, "ClusterRole", prefix+"-governance-"+role)
	}
	for _, kind := range []string{"ServiceMonitor", "PrometheusRule", "Namespace"} {
		if n := len(only(r.Objects, kind)); n != 0 {
			t.Errorf("%d %s by default, want none", n, kind)
		}
	}
	if n := len(only(r.Objects, "CustomResourceDefinition")); n != 5 {
		t.Errorf("%d CRDs (from crds/), want 5", n)
	}
	for _, problem := range deploy.CheckReferences(withNamespace(r.Objects, namespace), false) {
		t.Error(problem)
	}
	for _, want := range []string{"rollout status deployment/" + prefix + "-controller-manager", "failurePolicy Ignore (fail open", "--clusterrole=" + prefix + "-metrics-reader", "helm upgrade does not change CRDs"} {
		if !strings.Contains(r.Notes, want) {
			t.Errorf("the notes do not say %q:\n%s", want, r.Notes)
		}
	}
}

// webhook.enabled=false: no webhook configuration, Service, certificate,
// port or mount, and the operator is told so; the metrics certificate
// stays.
func TestWebhookOff(t *testing.T) {
	r := renderScenario(t, "webhook off")
	for _, kind := range []string{"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"} {
		if n := len(only(r.Objects, kind)); n != 0 {
			t.Errorf("%d %s with the webhook off", n, kind)
		}
	}
	for _, name := range []string{prefix + "-webhook-service"} {
		if find(r.Objects, "Service", name) != nil {
			t.Errorf("Service %s with the webhook off", name)
		}
	}
	if find(r.Objects, "Certificate", prefix+"-serving-cert") != nil {
		t.Error("a webhook certificate with the webhook off")
	}
	get(t, r.Objects, "Certificate", prefix+"-metrics-certs")
	d, c := deployment(t, r.Objects)
	args := strs(c, "args")
	if !slices.Contains(args, "--enable-webhooks=false") || slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--webhook-cert-dir") }) {
		t.Errorf("args %v: want --enable-webhooks=false and no --webhook-cert-dir", args)
	}
	ports, _, _ := unstructured.NestedSlice(c, "ports")
	for _, p := range ports {
		if str(p.(map[string]any), "name") == "webhook-server" {
			t.Error("the webhook port is still declared")
		}
	}
	volumes, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "volumes")
	if len(volumes) != 1 || str(volumes[0].(map[string]any), "name") != "metrics-certs" {
		t.Errorf("volumes %v, want only metrics-certs", volumes)
	}
	if !strings.Contains(r.Notes, "Admission webhooks: OFF") {
		t.Errorf("the notes do not say the webhooks are off:\n%s", r.Notes)
	}
}

// webhook.failurePolicy=Fail: every webhook fails closed, and the notes say
// what that costs.
func TestFailClosed(t *testing.T) {
	r := renderScenario(t, "fail closed")
	hooks := webhooks(t, r.Objects)
	if len(hooks) != 5 {
		t.Fatalf("%d webhooks, want 5", len(hooks))
	}
	for _, hook := range hooks {
		if got := str(hook, "failurePolicy"); got != "Fail" {
			t.Errorf("webhook %s: failurePolicy %s, want Fail", str(hook, "name"), got)
		}
	}
	if !strings.Contains(r.Notes, "fail closed") {
		t.Errorf("the notes do not say the webhooks fail closed:\n%s", r.Notes)
	}
}

// Certificates from Secrets the user provides instead of cert-manager: no
// cert-manager object, the Secrets mounted where the operator reads them,
// the CA in the webhook configuration, the ServiceMonitor verifying against
// the metrics Secret's ca.crt.
func TestProvidedCertificates(t *testing.T) {
	r := renderScenario(t, "provided certificates")
	for _, kind := range []string{"Issuer", "ClusterIssuer", "Certificate"} {
		if n := len(only(r.Objects, kind)); n != 0 {
			t.Errorf("%d %s without cert-manager", n, kind)
		}
	}
	d, _ := deployment(t, r.Objects)
	secrets := map[string]string{}
	volumes, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "volumes")
	for _, v := range volumes {
		secrets[str(v.(map[string]any), "name")] = str(v.(map[string]any), "secret", "secretName")
	}
	if want := map[string]string{"webhook-certs": "p3o-webhook-tls", "metrics-certs": "p3o-metrics-tls"}; !reflect.DeepEqual(secrets, want) {
		t.Errorf("volumes mount %v, want %v", secrets, want)
	}
	w := only(r.Objects, "ValidatingWebhookConfiguration")[0]
	if inject, ok := w.GetAnnotations()["cert-manager.io/inject-ca-from"]; ok {
		t.Errorf("the webhook configuration asks cert-manager for its CA (%s)", inject)
	}
	for _, hook := range webhooks(t, r.Objects) {
		if got := str(hook, "clientConfig", "caBundle"); got != testCABundle {
			t.Errorf("webhook %s: caBundle %.20q..., want the one provided", str(hook, "name"), got)
		}
	}
	m := only(r.Objects, "ServiceMonitor")[0]
	endpoints, _, _ := unstructured.NestedSlice(m.Object, "spec", "endpoints")
	if got := str(endpoints[0].(map[string]any), "tlsConfig", "ca", "secret", "name"); got != "p3o-metrics-tls" {
		t.Errorf("the ServiceMonitor verifies against Secret %s, want p3o-metrics-tls", got)
	}

	// What cannot work is refused, with what to set.
	refusals := map[string]string{
		`certificates: {certManager: {enabled: false}}`:                                                                          "certificates.webhookSecretName",
		`certificates: {certManager: {enabled: false}, webhookSecretName: tls}`:                                                  "certificates.webhookCABundle",
		`{certificates: {certManager: {enabled: false}}, webhook: {enabled: false}, metrics: {serviceMonitor: {enabled: true}}}`: "certificates.metricsSecretName",
	}
	for values, want := range refusals {
		if _, err := renderValues(t, values); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("values %s: %v; want a refusal naming %s", values, err, want)
		}
	}
	// Without a metrics Secret the operator makes its own certificate.
	r2, err := renderValues(t, `{certificates: {certManager: {enabled: false}}, webhook: {enabled: false}}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, c := deployment(t, r2.Objects); slices.ContainsFunc(strs(c, "args"), func(a string) bool { return strings.HasPrefix(a, "--metrics-cert-dir") }) {
		t.Errorf("args %v: --metrics-cert-dir without a certificate to read", strs(c, "args"))
	}
}

// certificates.certManager.issuerRef: the certificates come from the
// user's issuer and the chart creates none.
func TestOwnIssuer(t *testing.T) {
	r := renderScenario(t, "own issuer")
	if n := len(only(r.Objects, "Issuer")); n != 0 {
		t.Errorf("%d Issuers; the user names their own", n)
	}
	certs := only(r.Objects, "Certificate")
	if len(certs) != 2 {
		t.Fatalf("%d Certificates, want 2", len(certs))
	}
	for _, c := range certs {
		if got := stringMap(c.Object, "spec", "issuerRef"); !reflect.DeepEqual(got, map[string]string{"kind": "ClusterIssuer", "name": "corporate-ca"}) {
			t.Errorf("Certificate %s: issuerRef %v", c.GetName(), got)
		}
	}
	if !strings.Contains(r.Notes, "corporate-ca") {
		t.Errorf("the notes do not name the issuer:\n%s", r.Notes)
	}
}

// The ServiceMonitor and the PrometheusRule: the ServiceMonitor scrapes the
// metrics Service over verified HTTPS, both carry the labels a Prometheus
// selects them by, and the rules are config/components/alerts' with
// runbooks that name this release's objects.
func TestMonitoring(t *testing.T) {
	r := renderScenario(t, "monitoring")
	m := get(t, r.Objects, "ServiceMonitor", prefix+"-controller-manager-metrics-monitor")
	if m.GetLabels()["release"] != "kube-prometheus-stack" {
		t.Errorf("ServiceMonitor labels %v lack release: kube-prometheus-stack", m.GetLabels())
	}
	endpoints, _, _ := unstructured.NestedSlice(m.Object, "spec", "endpoints")
	e := endpoints[0].(map[string]any)
	if got := str(e, "interval"); got != "30s" {
		t.Errorf("interval %s, want 30s", got)
	}
	if got, want := str(e, "tlsConfig", "serverName"), prefix+"-controller-manager-metrics.p3o-system.svc"; got != want {
		t.Errorf("serverName %s, want %s", got, want)
	}
	for _, problem := range deploy.CheckReferences(withNamespace(r.Objects, namespace), true) {
		t.Error(problem)
	}

	rule := get(t, r.Objects, "PrometheusRule", prefix+"-alerts")
	if rule.GetLabels()["role"] != "alert-rules" {
		t.Errorf("PrometheusRule labels %v lack role: alert-rules", rule.GetLabels())
	}
	got := alertNames(t, rule.Object)
	config := kustomize(t, "config/overlays/alerts")
	want := alertNames(t, only(config, "PrometheusRule")[0].Object)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("alerts %v, want config/components/alerts' %v", got, want)
	}

	// In another namespace the runbooks say where to look.
	other, err := Render(chartPath, releaseName, "pmo", parseValues(t, `{metrics: {serviceMonitor: {enabled: true}}, prometheusRule: {enabled: true}}`))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(only(other.Objects, "PrometheusRule")[0].Object)
	if text := string(data); !strings.Contains(text, "kubectl -n pmo logs deploy/"+prefix+"-controller-manager") || strings.Contains(text, "p3o-system") {
		t.Errorf("the runbooks do not name namespace pmo and deploy/%s-controller-manager:\n%s", prefix, text)
	}

	// The alerts find the operator's scrape job by a name with p3o in it.
	if _, err := renderValues(t, `{fullnameOverride: governance, prometheusRule: {enabled: true}}`); err == nil || !strings.Contains(err.Error(), "containing p3o") {
		t.Errorf("a name prefix without p3o and the alert rules: %v; want a refusal", err)
	}
}

// Resources, placement, pod metadata, security contexts and extra args
// land on the operator's pod as given; podLabels cannot break the
// Deployment's selector.
func TestPlacement(t *testing.T) {
	s := findScenario(t, "placement")
	r := s.render(t)
	values := parseValues(t, s.values)
	d, c := deployment(t, r.Objects)
	pod, _, _ := unstructured.NestedMap(d.Object, "spec", "template", "spec")
	for field, value := range map[string]any{
		"nodeSelector":    values["nodeSelector"],
		"tolerations":     values["tolerations"],
		"affinity":        values["affinity"],
		"securityContext": values["podSecurityContext"],
	} {
		if !sameJSON(pod[field], value) {
			t.Errorf("pod %s %v, want %v", field, pod[field], value)
		}
	}
	for field, value := range map[string]any{"resources": values["resources"], "securityContext": values["securityContext"]} {
		if !sameJSON(c[field], value) {
			t.Errorf("container %s %v, want %v", field, c[field], value)
		}
	}
	env, _, _ := unstructured.NestedSlice(c, "env")
	if !sameJSON(env, []any{map[string]any{"name": "GOMEMLIMIT", "value": "800MiB"}}) {
		t.Errorf("env %v, want GOMEMLIMIT=800MiB", env)
	}
	if args := strs(c, "args"); !slices.Contains(args, "--zap-log-level=debug") || !slices.Contains(args, "--max-concurrent-reconciles=4") {
		t.Errorf("args %v lack the extra args", args)
	}
	if got := stringMap(d.Object, "spec", "template", "metadata", "annotations"); !reflect.DeepEqual(got, map[string]string{"example.com/team": "platform"}) {
		t.Errorf("pod annotations %v", got)
	}
	podLabels := stringMap(d.Object, "spec", "template", "metadata", "labels")
	selector := stringMap(d.Object, "spec", "selector", "matchLabels")
	if podLabels["team"] != "platform" {
		t.Errorf("pod labels %v lack team: platform", podLabels)
	}
	for k, v := range selector {
		if podLabels[k] != v {
			t.Errorf("pod label %s=%q; the Deployment selects %s=%q", k, podLabels[k], k, v)
		}
	}
	for _, problem := range deploy.CheckReferences(withNamespace(r.Objects, namespace), false) {
		t.Error(problem)
	}
}

// image.repository, image.tag, image.pullPolicy and imagePullSecrets.
func TestImage(t *testing.T) {
	r := renderScenario(t, "image")
	d, c := deployment(t, r.Objects)
	if got := str(c, "image"); got != "registry.example/p3o/operator:v9.8.7" {
		t.Errorf("image %s, want registry.example/p3o/operator:v9.8.7", got)
	}
	if got := str(c, "imagePullPolicy"); got != "Always" {
		t.Errorf("imagePullPolicy %s, want Always", got)
	}
	secrets, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "imagePullSecrets")
	if !sameJSON(secrets, []any{map[string]any{"name": "regcred"}}) {
		t.Errorf("imagePullSecrets %v, want [{name: regcred}]", secrets)
	}
	if !strings.Contains(r.Notes, "registry.example/p3o/operator:v9.8.7") {
		t.Errorf("the notes do not name the image:\n%s", r.Notes)
	}
}

// Replicas: more than one with leader election; without it refused.
func TestReplicas(t *testing.T) {
	r := renderScenario(t, "two replicas")
	d, c := deployment(t, r.Objects)
	if replicas, _, _ := unstructured.NestedInt64(d.Object, "spec", "replicas"); replicas != 2 || !slices.Contains(strs(c, "args"), "--leader-elect") {
		t.Errorf("replicas %d, args %v; want 2 electing a leader", replicas, strs(c, "args"))
	}
	if _, err := renderValues(t, `{replicas: 2, leaderElection: {enabled: false}}`); err == nil || !strings.Contains(err.Error(), "leaderElection.enabled") {
		t.Errorf("two replicas without leader election: %v; want a refusal", err)
	}
}

// Another release name and namespace, without persona roles, leader
// election or a ServiceAccount of the chart's own.
func TestAnotherRelease(t *testing.T) {
	s := findScenario(t, "another release")
	r := s.render(t)
	const prefix = "governance-p3o-operator"
	for _, obj := range r.Objects {
		if obj.GetKind() != "CustomResourceDefinition" && !strings.HasPrefix(obj.GetName(), prefix+"-") {
			t.Errorf("%s %s lacks the prefix %s-", obj.GetKind(), obj.GetName(), prefix)
		}
		if ns := obj.GetNamespace(); ns != "" && ns != "pmo" {
			t.Errorf("%s %s is in namespace %s, want pmo", obj.GetKind(), obj.GetName(), ns)
		}
	}
	for _, kind := range []string{"ServiceAccount", "Role", "RoleBinding"} {
		if n := len(only(r.Objects, kind)); n != 0 {
			t.Errorf("%d %s", n, kind)
		}
	}
	for _, role := range only(r.Objects, "ClusterRole") {
		if strings.Contains(role.GetName(), "governance-viewer") {
			t.Errorf("persona role %s with rbac.personas.enabled=false", role.GetName())
		}
	}
	d, c := deployment(t, r.Objects)
	if sa := str(d.Object, "spec", "template", "spec", "serviceAccountName"); sa != "pmo-operator" {
		t.Errorf("serviceAccountName %s, want pmo-operator", sa)
	}
	if slices.Contains(strs(c, "args"), "--leader-elect") {
		t.Error("--leader-elect with leaderElection.enabled=false")
	}
	binding := get(t, r.Objects, "ClusterRoleBinding", prefix+"-manager-rolebinding")
	subjects, _, _ := unstructured.NestedSlice(binding.Object, "subjects")
	if !sameJSON(subjects, []any{map[string]any{"kind": "ServiceAccount", "name": "pmo-operator", "namespace": "pmo"}}) {
		t.Errorf("the manager role is bound to %v, want ServiceAccount pmo/pmo-operator", subjects)
	}
	if _, err := renderValues(t, `serviceAccount: {create: false}`); err == nil || !strings.Contains(err.Error(), "serviceAccount.name") {
		t.Errorf("no ServiceAccount to run as: %v; want a refusal", err)
	}
}

// values.schema.json refuses what values.yaml does not document, and
// describes every value it does.
func TestSchema(t *testing.T) {
	for values, want := range map[string]string{
		`webhooks: {enabled: false}`:                      "webhooks",
		`webhook: {failurePolicy: fail}`:                  "failurePolicy",
		`replicas: two`:                                   "replicas",
		`image: {pullPolicy: Sometimes}`:                  "pullPolicy",
		`metrics: {serviceMonitor: {interval: 1 minute}}`: "interval",
		`extraArgs: [zap-log-level=debug]`:                "extraArgs",
	} {
		if _, err := renderValues(t, values); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("values %s: %v; want the schema to refuse %s", values, err, want)
		}
	}

	var schema map[string]any
	if err := json.Unmarshal([]byte(readFile(t, Dir+"/values.schema.json")), &schema); err != nil {
		t.Fatal(err)
	}
	defaults := map[string]any{}
	if err := yaml.Unmarshal([]byte(readFile(t, Dir+"/values.yaml")), &defaults); err != nil {
		t.Fatal(err)
	}
	for _, problem := range schemaCovers(schema, schema, defaults, "") {
		t.Error(problem)
	}
}

// schemaCovers returns a sentence for every value of values.yaml the
// schema does not describe and every property of the schema values.yaml
// does not set.
func schemaCovers(root, schema map[string]any, values map[string]any, path string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/definitions/")
		schema = root["definitions"].(map[string]any)[name].(map[string]any)
	}
	properties, ok := schema["properties"].(map[string]any)
	if !ok {
		return nil // a free-form object (labels, affinity...)
	}
	var problems []string
	for key, value := range values {
		property, ok := properties[key].(map[string]any)
		if !ok {
			problems = append(problems, "values.yaml sets "+path+key+", which values.schema.json does not describe")
			continue
		}
		if nested, ok := value.(map[string]any); ok {
			problems = append(problems, schemaCovers(root, property, nested, path+key+".")...)
		}
	}
	if len(values) > 0 {
		for key := range properties {
			if _, ok := values[key]; !ok && key != "global" {
				problems = append(problems, "values.schema.json describes "+path+key+", which values.yaml does not set")
			}
		}
	}
	return problems
}

// `helm lint --strict` finds nothing, with the defaults and with
// everything on, monitoring and the dashboard.
func TestHelmLint(t *testing.T) {
	for _, values := range []string{"", findScenario(t, "monitoring").values, findScenario(t, "dashboard").values} {
		lint := action.NewLint()
		lint.Strict = true
		lint.Namespace = namespace
		result := lint.Run([]string{chartPath}, parseValues(t, values))
		for _, err := range result.Errors {
			t.Errorf("helm lint (values %q): %v", values, err)
		}
		for _, m := range result.Messages {
			t.Logf("helm lint: %s", m)
		}
	}
}

// webhooks returns the webhooks of the one ValidatingWebhookConfiguration.
func webhooks(t *testing.T, objs []*unstructured.Unstructured) []map[string]any {
	t.Helper()
	configs := only(objs, "ValidatingWebhookConfiguration")
	if len(configs) != 1 {
		t.Fatalf("want one ValidatingWebhookConfiguration, found %d", len(configs))
	}
	hooks, _, _ := unstructured.NestedSlice(configs[0].Object, "webhooks")
	var out []map[string]any
	for _, h := range hooks {
		out = append(out, h.(map[string]any))
	}
	return out
}

// alertNames lists the alerts of a PrometheusRule, group by group.
func alertNames(t *testing.T, rule map[string]any) []string {
	t.Helper()
	groups, _, _ := unstructured.NestedSlice(rule, "spec", "groups")
	var names []string
	for _, g := range groups {
		rules, _, _ := unstructured.NestedSlice(g.(map[string]any), "rules")
		for _, r := range rules {
			names = append(names, str(g.(map[string]any), "name")+"/"+str(r.(map[string]any), "alert"))
		}
	}
	return names
}

// withNamespace adds the release namespace the chart is installed into
// (helm install --create-namespace), which deploy.CheckReferences wants in
// the rendering.
func withNamespace(objs []*unstructured.Unstructured, name string) []*unstructured.Unstructured {
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(name)
	return append(slices.Clone(objs), ns)
}

// sameJSON tells whether two values are the same once both are JSON (as
// the values and the decoded rendering differ in number types).
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return false
	}
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	return reflect.DeepEqual(va, vb)
}

// The values files the READMEs show render: every key is one the chart
// knows, and the values work together.
func TestReadmeValues(t *testing.T) {
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	for _, file := range []string{"README.md", Dir + "/README.md"} {
		found := 0
		for _, m := range block.FindAllStringSubmatch(readFile(t, file), -1) {
			values := m[1]
			if file == "README.md" && !strings.HasPrefix(values, "# production.yaml") {
				continue // the governance objects, not values
			}
			found++
			if _, err := renderValues(t, values); err != nil {
				t.Errorf("%s: the values\n%s\ndo not render: %v", file, values, err)
			}
		}
		if found == 0 {
			t.Errorf("%s shows no values file", file)
		}
	}
}
