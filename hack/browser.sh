#!/usr/bin/env bash
# Installs what the browser tests (internal/browsertest) need, once:
# Debian's headless Chromium at /usr/bin/chromium (with fonts, so that pages
# render text) through apt-get when it is missing, and axe-core from the npm
# registry, pinned below, into bin/axe-core/<version>/. Later runs reuse both
# and print nothing but the result. Progress goes to stderr; the last line on
# stdout is the path of axe.min.js:
#
#   axe="$(bash hack/browser.sh)" && P3O_AXE_JS="$axe" P3O_CHROMIUM=/usr/bin/chromium go test ./...
#
# apt-get needs root; the machine's Node.js and npm install axe-core.
set -euo pipefail

AXE_VERSION=4.14.1
CHROMIUM="${P3O_CHROMIUM:-/usr/bin/chromium}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${ROOT}/bin/axe-core/${AXE_VERSION}"
AXE="${DEST}/node_modules/axe-core/axe.min.js"

log() { echo "browser: $*" >&2; }

# The fonts are checked too: a Chromium without them renders no text.
missing=()
if [[ ! -x "${CHROMIUM}" ]]; then
	if [[ "${CHROMIUM}" != /usr/bin/chromium ]]; then
		log "P3O_CHROMIUM=${CHROMIUM} is not an executable file"
		exit 1
	fi
	missing+=(chromium)
fi
if [[ "${CHROMIUM}" == /usr/bin/chromium ]]; then
	for pkg in fonts-dejavu-core fonts-liberation; do
		if [[ "$(dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null)" != "install ok installed" ]]; then
			missing+=("${pkg}")
		fi
	done
fi
if ((${#missing[@]} > 0)); then
	log "installing Debian's ${missing[*]} with apt-get (half a minute or more)"
	start=$SECONDS
	sudo=()
	if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq >&2
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
	log "installed in $((SECONDS - start))s: $("${CHROMIUM}" --version 2>/dev/null || echo "${CHROMIUM}")"
fi

if [[ ! -f "${AXE}" ]]; then
	log "installing axe-core ${AXE_VERSION} from the npm registry into ${DEST}"
	start=$SECONDS
	mkdir -p "$(dirname "${DEST}")"
	# Into a folder of its own first, so that a run beside this one (another
	# checkout sharing bin/) never sees half an install.
	tmp="$(mktemp -d "${DEST}.tmp.XXXXXX")"
	trap 'rm -rf "${tmp}"' EXIT
	npm install --silent --no-audit --no-fund --no-save --prefix "${tmp}" "axe-core@${AXE_VERSION}" >&2
	if [[ ! -f "${tmp}/node_modules/axe-core/axe.min.js" ]]; then
		log "npm installed axe-core but axe.min.js is missing"
		exit 1
	fi
	# Unless a run beside this one finished first.
	if [[ ! -f "${AXE}" ]]; then
		rm -rf "${DEST}"
		mv "${tmp}" "${DEST}"
	fi
	log "installed axe-core ${AXE_VERSION} in $((SECONDS - start))s"
fi
echo "${AXE}"
