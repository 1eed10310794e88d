#!/usr/bin/env bash
# Builds Prometheus's promtool from the scratch module in hack/tools/promtool
# (which pins the Prometheus release) into bin/promtool/<version>-<os>-<arch>/
# once and prints its path; later runs reuse it. A cold build takes minutes
# on 2 cores. Progress goes to stderr.
#
#   "$(bash hack/promtool.sh)" check rules rules.yaml
#   "$(bash hack/promtool.sh)" test rules alerts-governance.test.yaml  # reads rules.yaml beside it
#
# test/release writes the rules of config/components/alerts (the
# PrometheusRule's spec) as rules.yaml beside copies of
# test/release/testdata/alerts-*.test.yaml and runs them with it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="${ROOT}/hack/tools/promtool"
VERSION="$(cd "${TOOL}" && go list -m -f '{{.Version}}' github.com/prometheus/prometheus)"
DEST="${ROOT}/bin/promtool/${VERSION}-$(go env GOOS)-$(go env GOARCH)"
BIN="${DEST}/promtool"

if [[ ! -x "${BIN}" ]]; then
	echo "promtool: building promtool of Prometheus ${VERSION} (a cold build takes minutes)" >&2
	start=$SECONDS
	mkdir -p "${DEST}"
	(cd "${TOOL}" && go build -tags remove_all_sd -trimpath -o "${BIN}.tmp" github.com/prometheus/prometheus/cmd/promtool)
	mv "${BIN}.tmp" "${BIN}"
	echo "promtool: built in $((SECONDS - start))s" >&2
fi
echo "${BIN}"
