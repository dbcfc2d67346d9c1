#!/usr/bin/env bash
# Installs every Debian package the build and the tests need; idempotent and quiet when all is present.
set -euo pipefail
packages=(
  g++ cmake ninja-build make pkg-config git ca-certificates
  antlr4 libantlr4-runtime-dev default-jre-headless
  libboost1.81-dev libboost-json1.81-dev
  libcli11-dev catch2 libspdlog-dev libsqlite3-dev libssl-dev
  libbenchmark-dev clang-format clang-15 libfuzzer-15-dev
  libz3-dev
  libzip-dev libpugixml-dev libxlsxwriter-dev python3-openpyxl
  chromium fonts-noto-cjk
  python3-yaml python3-jsonschema curl
  nodejs npm
)
# A Node.js installed otherwise counts (NodeSource's bundles npm and conflicts with Debian's npm).
present() {
  case "$1" in
    nodejs) command -v node >/dev/null 2>&1 ;;
    npm) command -v npm >/dev/null 2>&1 ;;
    *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
  esac
}
missing=()
for p in "${packages[@]}"; do
  present "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The editor grammar test's pinned npm packages (tests/editor_grammar/package-lock.json); its
# run.sh runs npm ci again when they are missing or stale, so a failure here is not fatal.
grammar_test="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/editor_grammar"
if [[ ! -d "$grammar_test/node_modules" ]]; then
  echo "setup: npm ci in tests/editor_grammar"
  (cd "$grammar_test" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    echo "setup: npm ci failed in tests/editor_grammar; the editor_grammar test will try again" >&2
fi
