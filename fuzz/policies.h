// The shipped policies the fuzz targets decide with, compiled once per process.
#pragma once
#include <string>

#include "xiangyue/runtime/bundle.h"

namespace xy::fuzz {

// The folder of the shipped policy library: $XY_FUZZ_POLICIES, else the source tree's policies/
// (XY_POLICIES_DIR, set by fuzz/CMakeLists.txt).
std::string policies_dir();

// policies/<set> compiled once (aborts when it does not compile: the fuzz run would mean nothing).
const Bundle& policy_bundle(const std::string& set);

}  // namespace xy::fuzz
