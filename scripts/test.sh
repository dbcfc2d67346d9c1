#!/usr/bin/env bash
# Quick start 2: set up, build (GCC, Release, warnings as errors) and run the whole test suite
# through CTest; then build it again with clang under AddressSanitizer and UBSan (warnings as
# errors too) with the libFuzzer targets, and run it there, each fuzz target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build
(cd build && ctest --output-on-failure -j2)
if [[ ${XY_SKIP_SANITIZE:-0} != 1 ]]; then
  CC=clang-15 CXX=clang++-15 bash scripts/build.sh build-clang -DXY_SANITIZE=ON -DXY_FUZZ=ON \
    -DXY_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
  # The sanitizers look for memory and undefined-behaviour faults: the checks of text, formatting
  # and rendering (the format check, the docs run as sessions, the HTML view in Chromium, the
  # editor grammar) gain nothing from them and ran in the GCC build above.
  (cd build-clang &&
    ctest --output-on-failure -j2 -E '^(clang_format|docs_.*|html_view|editor_grammar)$')
fi
