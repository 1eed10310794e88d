#!/usr/bin/env bash
# Runs the Kube API Linter (sigs.k8s.io/kube-api-linter, KAL) on the API types.
# The linter is built once from the scratch module in hack/tools/kal (which
# pins KAL and wires its analyzers into a go/analysis multichecker) into
# bin/kal/<KAL version>-<source hash>-<os>-<arch>/, so changing the pin or the
# wrapper builds afresh instead of reusing an old binary.
#
#   hack/kube-api-linter.sh                 # lint ./api/...
#   hack/kube-api-linter.sh -fix ./api/...  # any multichecker flags/packages
#
# Settings: hack/tools/kal/config.yaml (KAL_CONFIG overrides). Accepted
# findings: hack/tools/kal/exclusions.txt (KAL_EXCLUSIONS overrides). Findings
# go to stdout as `path:line:col: rule: message`, a per-rule count to stderr.
# Exits 0 when clean, 3 on findings, 1 on errors (multichecker's codes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="${ROOT}/hack/tools/kal"
KAL_CONFIG="${KAL_CONFIG:-${TOOL}/config.yaml}"
KAL_EXCLUSIONS="${KAL_EXCLUSIONS:-${TOOL}/exclusions.txt}"

# The pin lives in the scratch module's go.mod; the hash covers the wrapper.
KAL_VERSION="$(cd "${TOOL}" && go list -m -f '{{.Version}}' sigs.k8s.io/kube-api-linter)"
SRC_HASH="$(cat "${TOOL}/go.mod" "${TOOL}/go.sum" "${TOOL}/main.go" | sha256sum | cut -c1-8)"
DEST="${ROOT}/bin/kal/${KAL_VERSION}-${SRC_HASH}-$(go env GOOS)-$(go env GOARCH)"
BIN="${DEST}/kube-api-linter"

log() { echo "kube-api-linter: $*" >&2; }

if [[ ! -x "${BIN}" ]]; then
	log "building KAL ${KAL_VERSION} (a cold build takes about a minute)"
	start=$SECONDS
	mkdir -p "${DEST}"
	(cd "${TOOL}" && go build -trimpath -o "${BIN}.tmp" .)
	mv "${BIN}.tmp" "${BIN}"
	log "built in $((SECONDS - start))s"
fi

if [[ $# -eq 0 ]]; then
	set -- ./api/...
fi

cd "${ROOT}"
tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
set +e
# Test files are not API types.
"${BIN}" -config "${KAL_CONFIG}" -test=false "$@" >"${tmp}/raw" 2>&1
rc=$?
set -e
# multichecker prints absolute paths; make them relative to the repo root.
sed "s#^${ROOT}/##" "${tmp}/raw" >"${tmp}/out"

if [[ ${rc} -ne 3 ]]; then # clean (0) or an error (1): nothing to filter
	cat "${tmp}/out"
	[[ ${rc} -eq 0 ]] && log "no findings"
	exit "${rc}"
fi

finding='^[^ ]+:[0-9]+:[0-9]+: [a-z]+: '
grep -vE '^[[:space:]]*(#|$)' "${KAL_EXCLUSIONS}" >"${tmp}/exclude" 2>/dev/null || true
if [[ -s "${tmp}/exclude" ]]; then
	grep -vEf "${tmp}/exclude" "${tmp}/out" >"${tmp}/kept" || true
else
	cp "${tmp}/out" "${tmp}/kept"
fi
cat "${tmp}/kept"
total="$(grep -cE "${finding}" "${tmp}/out" || true)"
kept="$(grep -cE "${finding}" "${tmp}/kept" || true)"
if [[ ${kept} -eq 0 ]]; then
	log "no findings (${total} excluded by ${KAL_EXCLUSIONS#"${ROOT}/"})"
	exit 0
fi
log "${kept} finding(s) ($((total - kept)) excluded) by rule:"
grep -oE "${finding}" "${tmp}/kept" | awk '{print $2}' | tr -d : | sort | uniq -c | sort -rn >&2
exit 3
