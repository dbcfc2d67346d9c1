// Catch2 test runner entry point for the common library.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
