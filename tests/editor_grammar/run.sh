#!/usr/bin/env bash
# tests/editor_grammar/run.sh ROOT: npm ci when node_modules is missing or older than the lock, then check.mjs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${1:-$(cd "$here/../.." && pwd)}"

command -v node >/dev/null 2>&1 || { echo "editor_grammar: node is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }

# The pinned packages, from package-lock.json: npm ci unless each installed version is the locked one.
stale=0
for pkg in vscode-textmate vscode-oniguruma; do
  want="$(node -e 'const l=require(process.argv[1]);console.log(l.packages["node_modules/"+process.argv[2]].version)' \
    "$here/package-lock.json" "$pkg")"
  have="$(node -e 'try{console.log(require(process.argv[1]).version)}catch{console.log("none")}' \
    "$here/node_modules/$pkg/package.json")"
  [[ "$have" == "$want" ]] || stale=1
done
if ((stale)); then
  echo "editor_grammar: npm ci" >&2
  if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >"$here/npm-ci.log" 2>&1); then
    cat "$here/npm-ci.log" >&2
    # The registry could not be reached (no network, or a TLS proxy whose certificate this machine
    # does not trust): the test cannot run here. CTest reports it as skipped (exit 77), not passed.
    if grep -qE "ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|CERT|certificate" "$here/npm-ci.log"; then
      echo "editor_grammar: SKIPPED: the npm registry cannot be reached from this machine" >&2
      exit 77
    fi
    exit 1
  fi
fi

exec node "$here/check.mjs" "$root"
