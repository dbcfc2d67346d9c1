#!/usr/bin/env bash
# Quick start 2: set up, build (Release, warnings as errors), run the whole test suite through
# CTest, then build and run it again under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build
(cd build && ctest --output-on-failure -j2)
if [[ ${XY_SKIP_SANITIZE:-0} != 1 ]]; then
  # Warnings are errors in the Release build above; under -fsanitize GCC 12 reports false
  # -Wmaybe-uninitialized inside libstdc++ (<regex>, <functional>), so here they stay warnings.
  bash scripts/build.sh build-asan -DXY_SANITIZE=ON -DXY_BENCH=OFF -DXY_WERROR=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
  (cd build-asan && ctest --output-on-failure -j2)
fi
