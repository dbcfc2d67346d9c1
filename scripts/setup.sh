#!/usr/bin/env bash
# Installs every Debian package the build and the tests need; idempotent and quiet when all is present.
set -euo pipefail
packages=(
  g++ cmake ninja-build make pkg-config git ca-certificates
  antlr4 libantlr4-runtime-dev default-jre-headless
  libboost1.81-dev libboost-json1.81-dev
  libcli11-dev catch2 libspdlog-dev libsqlite3-dev libssl-dev
  libbenchmark-dev clang-format clang-15 libfuzzer-15-dev
  chromium fonts-noto-cjk
  python3-yaml python3-jsonschema curl
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "setup: installing ${missing[*]}"
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
