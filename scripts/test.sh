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
  (cd build-clang && ctest --output-on-failure -j2)
fi
