/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package chart

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"p3o.dev/p3o-operator/test/deploy"
)

// repo is the repository root, kubectl the control plane's kubectl and
// chartPath the chart's folder.
var repo, kubectl, chartPath string

func TestMain(m *testing.M) {
	var err error
	if repo, kubectl, err = deploy.RepoAndKubectl(); err != nil {
		panic(err)
	}
	chartPath = filepath.Join(repo, Dir)
	os.Exit(m.Run())
}

// The release the README installs: `helm install p3o-operator ... -n
// p3o-system`. Its objects are named p3o-operator-*.
const (
	releaseName = "p3o-operator"
	namespace   = "p3o-system"
	prefix      = "p3o-operator"
)

// scenario is a rendering a user would ask for: a release name, a
// namespace and values (YAML) over the chart's defaults.
type scenario struct {
	name, release, namespace, values string
}

// scenarios are the renderings the tests check; each is also sent to a real
// API server (TestRenderingsApplyToAPIServer).
var scenarios = []scenario{
	{name: "defaults"},
	{name: "webhook off", values: `webhook: {enabled: false}`},
	{name: "fail closed", values: `webhook: {failurePolicy: Fail}`},
	{name: "provided certificates", values: `
certificates:
  certManager: {enabled: false}
  webhookSecretName: p3o-webhook-tls
  webhookCABundle: ` + testCABundle + `
  metricsSecretName: p3o-metrics-tls
metrics:
  serviceMonitor: {enabled: true}
`},
	{name: "own issuer", values: `certificates: {certManager: {issuerRef: {kind: ClusterIssuer, name: corporate-ca}}}`},
	{name: "monitoring", values: `
metrics:
  serviceMonitor: {enabled: true, interval: 30s, labels: {release: kube-prometheus-stack}}
prometheusRule: {enabled: true, labels: {role: alert-rules}}
`},
	{name: "placement", values: `
resources:
  requests: {cpu: 200m, memory: 256Mi}
  limits: {cpu: "1", memory: 1Gi}
goMemLimit: 800MiB
nodeSelector: {kubernetes.io/os: linux, node-role.example/platform: "true"}
tolerations:
- {key: dedicated, operator: Equal, value: platform, effect: NoSchedule}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector: {matchLabels: {app.kubernetes.io/name: p3o-operator}}
podAnnotations: {example.com/team: platform}
podLabels: {team: platform, control-plane: overridden}
podSecurityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsGroup: 65532, capabilities: {drop: [ALL]}}
extraArgs: [--zap-log-level=debug, --max-concurrent-reconciles=4]
`},
	{name: "image", values: `
image: {repository: registry.example/p3o/operator, tag: v9.8.7, pullPolicy: Always}
imagePullSecrets: [{name: regcred}]
`},
	{name: "two replicas", values: `replicas: 2`},
	{name: "dashboard", values: `
dashboard: {enabled: true, replicas: 2, cacheTTL: 30s, tokenAudience: p3o-dashboard, extraArgs: [--zap-log-level=debug]}
`},
	{name: "another release", release: "governance", namespace: "pmo", values: `
rbac: {personas: {enabled: false}}
serviceAccount: {create: false, name: pmo-operator}
leaderElection: {enabled: false}
`},
}

func findScenario(t *testing.T, name string) scenario {
	t.Helper()
	for _, s := range scenarios {
		if s.name == name {
			if s.release == "" {
				s.release, s.namespace = releaseName, namespace
			}
			return s
		}
	}
	t.Fatalf("no scenario %q", name)
	return scenario{}
}

// render renders a scenario.
func (s scenario) render(t *testing.T) *Rendering {
	t.Helper()
	r, err := Render(chartPath, s.release, s.namespace, parseValues(t, s.values))
	if err != nil {
		t.Fatalf("rendering %q: %v", s.name, err)
	}
	return r
}

// renderScenario renders the scenario of that name.
func renderScenario(t *testing.T, name string) *Rendering {
	t.Helper()
	return findScenario(t, name).render(t)
}

// renderValues renders the release the README installs with values.
func renderValues(t *testing.T, values string) (*Rendering, error) {
	t.Helper()
	return Render(chartPath, releaseName, namespace, parseValues(t, values))
}

func parseValues(t *testing.T, text string) map[string]any {
	t.Helper()
	values := map[string]any{}
	if err := yaml.Unmarshal([]byte(text), &values); err != nil {
		t.Fatalf("values %q: %v", text, err)
	}
	return values
}

// find returns the object of kind and name, or nil.
func find(objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	for _, obj := range objs {
		if obj.GetKind() == kind && obj.GetName() == name {
			return obj
		}
	}
	return nil
}

// get returns the object of kind and name, failing the test without it.
func get(t *testing.T, objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	obj := find(objs, kind, name)
	if obj == nil {
		t.Fatalf("no %s %s in the rendering; it has %s", kind, name, inventory(objs))
	}
	return obj
}

// only returns the objects of kind.
func only(objs []*unstructured.Unstructured, kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, obj := range objs {
		if obj.GetKind() == kind {
			out = append(out, obj)
		}
	}
	return out
}

// inventory lists the rendered objects as Kind/name.
func inventory(objs []*unstructured.Unstructured) string {
	var names []string
	for _, obj := range objs {
		names = append(names, obj.GetKind()+"/"+obj.GetName())
	}
	return strings.Join(names, ", ")
}

// deployment returns the operator's Deployment and its one container.
func deployment(t *testing.T, objs []*unstructured.Unstructured) (*unstructured.Unstructured, map[string]any) {
	t.Helper()
	deployments := only(objs, "Deployment")
	if len(deployments) != 1 {
		t.Fatalf("want one Deployment, found %d", len(deployments))
	}
	containers, _, _ := unstructured.NestedSlice(deployments[0].Object, "spec", "template", "spec", "containers")
	if len(containers) != 1 {
		t.Fatalf("want one container, found %d", len(containers))
	}
	return deployments[0], containers[0].(map[string]any)
}

func strs(obj map[string]any, path ...string) []string {
	s, _, _ := unstructured.NestedStringSlice(obj, path...)
	return s
}

func str(obj map[string]any, path ...string) string {
	s, _, _ := unstructured.NestedString(obj, path...)
	return s
}

func stringMap(obj map[string]any, path ...string) map[string]string {
	m, _, _ := unstructured.NestedStringMap(obj, path...)
	return m
}

// testCABundle is a CA certificate as certificates.webhookCABundle takes it
// (base64 of the PEM), made once for the tests.
var testCABundle = func() string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "p3o-operator test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}()

// readFile reads a file of the repository.
func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
