#!/usr/bin/env bash
# Quick start 1: set up, build, and decide every shipped example request with its reasons.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build >/dev/null
xy=build/cli/xy
lang=${XY_LANG:-zh}
for set in policies/*/; do
  [[ -d $set/requests ]] || continue
  echo "══ ${set%/} ══"
  for req in "$set"requests/*.json; do
    echo "── $req"
    "$xy" check "$set" --request "$req" --lang "$lang" || true
  done
done
