// Scratch module that pins the cert-manager and Prometheus Operator releases
// whose CRDs test/deploy installs on the local control plane, so that the
// rendered Certificates, Issuer and ServiceMonitor are checked against their
// real schemas. Nothing is built from it: test/deploy runs
// `go mod download -json <module>` here and reads the CRD YAML from the
// module cache (cert-manager's deploy/crds, the Prometheus Operator's
// example/prometheus-operator-crd). Kept apart from the operator's go.mod,
// which must not depend on either.
module p3o.dev/hack/crds

go 1.26.0

require (
	github.com/cert-manager/cert-manager v1.21.2
	github.com/prometheus-operator/prometheus-operator v0.85.0
)
