// The Catch2 runner's main, compiled once and linked into every unit-test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
