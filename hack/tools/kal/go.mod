// Scratch module that pins the Kube API Linter (sigs.k8s.io/kube-api-linter,
// served only as a pseudo-version) and builds it as a standalone
// go/analysis multichecker. Kept apart from the operator's go.mod so that one
// stays clean; hack/kube-api-linter.sh builds and runs it.
module p3o.dev/hack/tools/kal

go 1.26.0

require (
	golang.org/x/tools v0.37.0
	sigs.k8s.io/kube-api-linter v0.0.0-20260716143926-092fe0c72997
	sigs.k8s.io/yaml v1.4.0
)

require (
	github.com/golangci/plugin-module-register v0.1.2 // indirect
	golang.org/x/mod v0.28.0 // indirect
	golang.org/x/sync v0.17.0 // indirect
	k8s.io/apimachinery v0.32.3 // indirect
	k8s.io/gengo/v2 v2.0.0-20250922181213-ec3ebc5fd46b // indirect
	k8s.io/utils v0.0.0-20241104100929-3ea5e8cea738 // indirect
)
