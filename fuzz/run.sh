#!/usr/bin/env bash
# Runs a fuzz target for CTest (fuzz/CMakeLists.txt).
#   run.sh fuzz BINARY SEEDS WORK DEFAULT_SECONDS
#     fuzzes for $XY_FUZZ_SECONDS (else DEFAULT_SECONDS) over a fresh copy of SEEDS in WORK/corpus,
#     so the committed seeds are never written to. A crash, a leak, a timeout (10 s on one input),
#     more than 2 GB of memory or a sanitizer report fails it; the input is left in WORK/.
#   run.sh replay BINARY DIR
#     runs BINARY once on every file in DIR (inputs that once failed), without fuzzing.
# The targets' temporary files (audit stores) go to WORK/tmp, or to a folder removed after a replay:
# a crash leaves them behind, never in /tmp.
set -euo pipefail
mode=$1 bin=$2
limits=(-timeout=10 -rss_limit_mb=2048)
case $mode in
  fuzz)
    seeds=$3 work=$4 seconds=${XY_FUZZ_SECONDS:-$5}
    rm -rf "$work/corpus" "$work/tmp"
    mkdir -p "$work/corpus" "$work/tmp"
    cp -r "$seeds/." "$work/corpus/"
    export TMPDIR=$work/tmp
    exec "$bin" "${limits[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$work/" "$work/corpus"
    ;;
  replay)
    dir=$3
    shopt -s nullglob
    files=("$dir"/*)
    if ((${#files[@]} == 0)); then
      echo "no inputs in $dir"
      exit 0
    fi
    TMPDIR=$(mktemp -d)
    export TMPDIR
    trap 'rm -rf "$TMPDIR"' EXIT
    "$bin" "${limits[@]}" "${files[@]}"
    ;;
  *)
    echo "usage: run.sh fuzz BINARY SEEDS WORK SECONDS | run.sh replay BINARY DIR" >&2
    exit 2
    ;;
esac
