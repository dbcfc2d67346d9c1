// Catch2 test runner entry point for the runtime tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
