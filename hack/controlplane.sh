#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kubectl,
# kube-controller-manager) from source through the Go module proxy into
# bin/k8s/<version>-<os>-<arch>/, the layout envtest's KUBEBUILDER_ASSETS
# expects. Does nothing when the binaries are already there. Prints the
# folder on stdout; progress goes to stderr.
#
# Versions are pinned by the scratch modules in hack/controlplane/{etcd,kube}.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The pins live in the scratch modules' go.mod files; the folder is named
# after them, so changing a pin builds afresh instead of reusing old binaries.
pinned() { (cd "${ROOT}/hack/controlplane/$1" && go list -m -f '{{.Version}}' "$2"); }
KUBE_VERSION="$(pinned kube k8s.io/kubernetes)"
KUBE_VERSION="${KUBE_VERSION#v}"
ETCD_VERSION="$(pinned etcd go.etcd.io/etcd/server/v3)"
OS="$(go env GOOS)"
ARCH="$(go env GOARCH)"
DEST="${ROOT}/bin/k8s/${KUBE_VERSION}-etcd${ETCD_VERSION#v}-${OS}-${ARCH}"

log() { echo "controlplane: $*" >&2; }

# Fixed build metadata so `kubectl version` parses and builds are repeatable.
kube_ldflags() {
	local flags="-s -w"
	for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		flags+=" -X ${pkg}.gitVersion=v${KUBE_VERSION}"
		flags+=" -X ${pkg}.gitMajor=${KUBE_VERSION%%.*}"
		flags+=" -X ${pkg}.gitMinor=$(echo "${KUBE_VERSION}" | cut -d. -f2)"
		flags+=" -X ${pkg}.gitTreeState=clean"
		flags+=" -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
	done
	echo "${flags}"
}

build() { # <name> <module dir> <package> [ldflags]
	local name="$1" moddir="$2" pkg="$3" ldflags="${4:--s -w}"
	if [[ -x "${DEST}/${name}" ]]; then
		return
	fi
	log "building ${name} from ${pkg} (cold builds take minutes)"
	local start=$SECONDS
	(cd "${ROOT}/hack/controlplane/${moddir}" &&
		go build -trimpath -ldflags "${ldflags}" -o "${DEST}/${name}.tmp" "${pkg}")
	mv "${DEST}/${name}.tmp" "${DEST}/${name}"
	log "built ${name} in $((SECONDS - start))s"
}

mkdir -p "${DEST}"
build etcd etcd go.etcd.io/etcd/server/v3
build kube-apiserver kube k8s.io/kubernetes/cmd/kube-apiserver "$(kube_ldflags)"
build kubectl kube k8s.io/kubernetes/cmd/kubectl "$(kube_ldflags)"
# For the end-to-end tests that need garbage collection and namespace
# deletion (internal/controlplane.WithControllerManager).
build kube-controller-manager kube k8s.io/kubernetes/cmd/kube-controller-manager "$(kube_ldflags)"
echo "${DEST}"
