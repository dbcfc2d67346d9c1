// Writing a whole file safely (xy fmt, xy review): beside it, then renamed over it, so a crash or
// a full disk never leaves half a file.
#pragma once
#include <string>

namespace xy::cli {

// Writes `text` to `path`; false (and the system's reason in `reason`) when it could not, with
// nothing left behind.
bool replace_file(const std::string& path, const std::string& text, std::string* reason = nullptr);

}  // namespace xy::cli
