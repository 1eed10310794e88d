# p3o-operator. `make help` lists the targets.

# The local control plane (etcd, kube-apiserver, kube-controller-manager,
# kubectl) is built from source by hack/controlplane.sh into bin/k8s/ on
# first use (~12 minutes cold, a few more for kube-controller-manager) and
# reused afterwards. ASSETS runs it and fails the recipe line when it fails.
ASSETS = assets="$$(bash hack/controlplane.sh)" &&
# Headless Chromium (Debian's package, via apt-get) and axe-core (from the
# npm registry, pinned in hack/browser.sh, into bin/axe-core/) for the
# browser tests of internal/browsertest: installed by hack/browser.sh on first
# use (~30 s) and reused afterwards. BROWSER runs it and sets axe to the path
# of axe.min.js, as ASSETS does.
P3O_CHROMIUM ?= /usr/bin/chromium
BROWSER = axe="$$(P3O_CHROMIUM='$(P3O_CHROMIUM)' bash hack/browser.sh)" &&
# kubectl for the targets that talk to your cluster: yours when it is on the
# PATH, else the one hack/controlplane.sh builds.
KUBECTL ?= $(or $(shell command -v kubectl 2>/dev/null),$$(bash hack/controlplane.sh)/kubectl)
CONTROLLER_GEN = go tool controller-gen
IMG ?= p3o-operator:latest
# Flags for `make demo`: KEEP=1 leaves the demo running until Ctrl-C.
KEEP ?=
# Extra flags for `go test`, e.g. TESTFLAGS='-run TestCEL -v'.
TESTFLAGS ?=

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

##@ Development

.PHONY: generate
generate: ## Generate deepcopy code for the API types.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: ## Generate CRDs, RBAC and webhook manifests into config/, and the Helm chart's copies of them.
	$(CONTROLLER_GEN) crd rbac:roleName=manager-role webhook paths=./... \
		output:crd:artifacts:config=config/crd/bases \
		output:rbac:artifacts:config=config/rbac \
		output:webhook:artifacts:config=config/webhook
	go run ./hack/chart

# The chart's crds/ and files/ are generated from config/ by hack/chart
# (make manifests runs it too); its templates are written by hand and
# test/chart holds them to config/default.
.PHONY: chart
chart: manifests ## Regenerate the Helm chart's CRDs, RBAC rules, webhooks and alert rules (charts/p3o-operator) from config/.

.PHONY: verify-generated
verify-generated: ## Fail when generated files are stale.
	bash hack/verify-generated.sh

.PHONY: lint
lint: ## go vet, gofmt, go mod tidy and the Kube API Linter on api/.
	go vet ./...
	@out="$$(gofmt -l $$(find . -name '*.go' -not -path './bin/*' -not -path './.git/*'))"; \
		if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	@bash hack/kube-api-linter.sh

.PHONY: controlplane
controlplane: ## Build etcd, kube-apiserver, kube-controller-manager and kubectl into bin/k8s/ (once).
	@bash hack/controlplane.sh

.PHONY: browser
browser: ## Install headless Chromium and axe-core for the browser tests (once).
	@P3O_CHROMIUM='$(P3O_CHROMIUM)' bash hack/browser.sh

# -timeout 30m: test/e2e runs several control planes, and on a cold build
# cache test/release cross-compiles the operator twice and builds promtool.
.PHONY: test
test: verify-generated lint ## Run the whole suite: generated-file check, lint, unit, envtest, browser and end-to-end tests.
	@$(ASSETS) $(BROWSER) set -x && KUBEBUILDER_ASSETS="$$assets" P3O_AXE_JS="$$axe" P3O_CHROMIUM='$(P3O_CHROMIUM)' \
		go test ./... -count=1 -timeout 30m $(TESTFLAGS)

# make bench SIZE=small|default|large: 1,000, 10,000 or 30,000 projects;
# RUNS=3 measures three times on fresh control planes and prints the median
# and the spread. Figures go to bin/bench-$(SIZE).json, the operator's CPU
# and heap profiles to bin/bench-$(SIZE)-profiles/ (go tool pprof).
# BENCH_FLAGS passes more, e.g. BENCH_FLAGS=-memory-limit=450MiB for an
# operator sized for 30,000 projects (go run ./hack/bench -help lists them).
SIZE ?= default
RUNS ?= 1
BENCH_FLAGS ?=

.PHONY: bench
bench: bench-go build ## Measure the operator on the local control plane against the floor (SIZE=small|default|large, RUNS=3).
	@$(ASSETS) KUBEBUILDER_ASSETS="$$assets" go run ./hack/bench -size $(SIZE) -runs $(RUNS) -operator bin/p3o-operator \
		-out bin/bench-$(SIZE).json -profile bin/bench-$(SIZE)-profiles $(BENCH_FLAGS)

.PHONY: bench-go
bench-go: ## Run the Go benchmarks of the pure packages (10,000 children).
	go test ./internal/... -run '^$$' -bench . -benchmem

.PHONY: fuzz
fuzz: ## Run the fuzz tests for 30 s each.
	@for pkg in $$(go list ./internal/...); do \
		for f in $$(go test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			go test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime 30s || exit 1; \
		done; \
	done

##@ Build and run

# The version `bin/p3o-operator --version` prints, with the commit and build date.
VERSION ?= dev
COMMIT ?= $$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# The same -X flags go into the image (Dockerfile: VERSION and COMMIT build args).
LDFLAGS = -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$$(date -u +%Y-%m-%dT%H:%M:%SZ)

.PHONY: build
build: ## Build the operator binary into bin/p3o-operator (VERSION=v0.1.0 sets its version).
	go build -ldflags "$(LDFLAGS)" -o bin/p3o-operator .

# make build-multiarch: the platforms, and the folder the binaries go to.
PLATFORMS ?= linux/amd64 linux/arm64
BINDIR ?= bin

.PHONY: build-multiarch
build-multiarch: ## Cross-compile bin/p3o-operator-<os>-<arch> for each of PLATFORMS (static, CGO off; VERSION=v0.1.0).
	@set -e; for platform in $(PLATFORMS); do \
		os="$${platform%/*}"; arch="$${platform#*/}"; out="$(BINDIR)/p3o-operator-$$os-$$arch"; \
		echo "make build-multiarch: $$out"; \
		CGO_ENABLED=0 GOOS="$$os" GOARCH="$$arch" go build -trimpath -ldflags "-s -w $(LDFLAGS)" -o "$$out" .; \
	done

.PHONY: plugin
plugin: ## Build the kubectl plugin into bin/kubectl-p3o (with bin/ on PATH, `kubectl p3o` runs it).
	go build -o bin/kubectl-p3o ./cmd/kubectl-p3o

.PHONY: demo
demo: build plugin ## Start a local control plane, run the operator, apply config/samples, show the result and serve the dashboard (KEEP=1 to explore).
	@$(ASSETS) KUBEBUILDER_ASSETS="$$assets" go run ./hack/demo --operator bin/p3o-operator --plugin bin/kubectl-p3o $(if $(KEEP),--keep)

# make run: where the operator listens (loopback), and the folder of the
# webhook server's tls.crt and tls.key; without it the webhooks are off.
METRICS_ADDR ?= 127.0.0.1:8443
PROBE_ADDR ?= 127.0.0.1:8081
WEBHOOK_CERT_DIR ?=

.PHONY: run
run: manifests generate ## Run the operator against the current kubeconfig (WEBHOOK_CERT_DIR=... to serve the webhooks).
	@echo "make run: metrics on https://$(METRICS_ADDR)/metrics (a bearer token allowed to get /metrics), probes on http://$(PROBE_ADDR)"
ifeq ($(WEBHOOK_CERT_DIR),)
	@echo "make run: webhooks OFF (no WEBHOOK_CERT_DIR): nothing is checked at admission; the controller still reports every gate. WEBHOOK_CERT_DIR=<folder with tls.crt and tls.key> turns them on."
	go run . --metrics-bind-address $(METRICS_ADDR) --health-probe-bind-address $(PROBE_ADDR) --enable-webhooks=false
else
	@echo "make run: webhooks ON, serving with $(WEBHOOK_CERT_DIR)/tls.crt (your cluster's webhook configuration must reach this machine)"
	go run . --metrics-bind-address $(METRICS_ADDR) --health-probe-bind-address $(PROBE_ADDR) --enable-webhooks=true --webhook-cert-dir $(WEBHOOK_CERT_DIR)
endif

.PHONY: docker-build
docker-build: ## Build the operator image (needs a Docker engine).
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) -t $(IMG) .

##@ Release

# make release: the image the manifests and the chart name is
# $(IMAGE_REPO):v<VERSION>; dist/install.yaml and
# dist/p3o-operator-<VERSION>.tgz (the Helm chart, packaged with Helm's Go
# SDK by hack/chart/package) are the release assets.
IMAGE_REPO ?= ghcr.io/p3o-dev/p3o-operator
DIST ?= dist

.PHONY: release
release: ## Write dist/install.yaml (config/default) and the Helm chart dist/p3o-operator-X.Y.Z.tgz, both with the image $(IMAGE_REPO):vX.Y.Z (make release VERSION=x.y.z).
	@version="$(VERSION)"; version="$${version#v}"; \
	if ! echo "$$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$$'; then \
		echo "make release: VERSION must be a release version x.y.z (or vx.y.z), not '$(VERSION)'" >&2; exit 1; \
	fi; \
	image="$(IMAGE_REPO):v$$version"; \
	overlay="$$(mktemp -d .release-XXXXXX)" && trap 'rm -rf "$$overlay"' EXIT && \
	printf 'resources:\n- ../config/default\nimages:\n- name: controller\n  newName: %s\n  newTag: v%s\n' "$(IMAGE_REPO)" "$$version" >"$$overlay/kustomization.yaml" && \
	mkdir -p "$(DIST)" && \
	{ printf '# p3o-operator v%s (image %s): config/default rendered by make release.\n# Needs cert-manager. kubectl apply -f install.yaml\n' "$$version" "$$image" && \
		$(KUBECTL) kustomize "$$overlay"; } >"$(DIST)/install.yaml.tmp" && \
	mv "$(DIST)/install.yaml.tmp" "$(DIST)/install.yaml" && \
	echo "make release: wrote $(DIST)/install.yaml (image $$image)" && \
	chart="$$(go run ./hack/chart/package -version "$$version" -image-repo "$(IMAGE_REPO)" -out "$(DIST)")" && \
	echo "make release: wrote $$chart (chart $$version, image $$image)"

##@ Deployment (current kubeconfig)

.PHONY: install
install: manifests ## Install the CRDs.
	$(KUBECTL) apply --server-side -f config/crd/bases

.PHONY: uninstall
uninstall: manifests ## Remove the CRDs (and every governance object with them).
	@echo "make uninstall: deleting the CRDs and with them every Office, Portfolio, Programme, Project and GatewayReview"
	$(KUBECTL) delete --ignore-not-found -f config/crd/bases

.PHONY: deploy
deploy: manifests ## Deploy the operator with kustomize (config/default), image $(IMG); needs cert-manager.
	$(KUBECTL) kustomize config/default | sed 's#image: controller:latest#image: $(IMG)#' | $(KUBECTL) apply --server-side -f -

# make undeploy keeps the CRDs, and so every governance object, unless
# DELETE_CRDS=1. WAIT=false returns without waiting for the deletion.
DELETE_CRDS ?=
WAIT ?= true

.PHONY: undeploy
undeploy: ## Remove the deployed operator; the CRDs and governance objects stay unless DELETE_CRDS=1.
ifeq ($(DELETE_CRDS),1)
	@echo "make undeploy: DELETE_CRDS=1: deleting the CRDs too, and with them every governance object"
	$(KUBECTL) kustomize config/default | $(KUBECTL) delete --ignore-not-found --wait=$(WAIT) -f -
else
	@echo "make undeploy: keeping the CRDs and every governance object (DELETE_CRDS=1 deletes them too)"
	$(KUBECTL) kustomize config/default | awk 'BEGIN { RS = "\n---\n"; ORS = "\n---\n" } !/(^|\n)kind: CustomResourceDefinition(\n|$$)/' | \
		$(KUBECTL) delete --ignore-not-found --wait=$(WAIT) -f -
endif
