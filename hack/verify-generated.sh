#!/usr/bin/env bash
# Fails when the generated files (deepcopy, CRDs, RBAC, webhook manifests,
# and the Helm chart's copies of them in charts/p3o-operator/crds and files)
# in the working tree differ from what `make generate manifests` produces now.
# It regenerates into a scratch copy of the tree, so it never changes yours.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "${SCRATCH}"' EXIT

# Copy the sources controller-gen reads and the files it writes.
tar -C "${ROOT}" --exclude=./bin --exclude=./.git -cf - . | tar -C "${SCRATCH}" -xf -
make -s -C "${SCRATCH}" generate manifests >/dev/null

status=0
for path in api config charts; do
	if ! diff -ru "${ROOT}/${path}" "${SCRATCH}/${path}" >"${SCRATCH}/diff.txt"; then
		cat "${SCRATCH}/diff.txt" >&2
		status=1
	fi
done
if [[ ${status} -ne 0 ]]; then
	echo "verify-generated: generated files are stale; run 'make generate manifests' (or make chart) and commit the result" >&2
	exit 1
fi
echo "verify-generated: generated files are up to date"
