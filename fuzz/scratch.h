// A fresh temporary folder for one fuzz process (audit stores), removed when the process exits.
#pragma once
#include <string>

namespace xy::fuzz {

std::string scratch_dir();

}  // namespace xy::fuzz
