// Progress on a terminal for long commands (xy review): one line on stderr, rewritten at most ten
// times a second, with the count, the rate and the time left; nothing when stderr is not a
// terminal, so logs and pipes stay clean.
#pragma once
#include <chrono>
#include <string>

#include "xiangyue/common/diagnostic.h"

namespace xy::cli {

class Progress {
 public:
  explicit Progress(Lang lang);
  ~Progress();
  // Starts a phase of `total` steps (0: unknown), named in both languages.
  void phase(Localized what, std::size_t total);
  // `done` steps of the phase are done.
  void update(std::size_t done);
  // Clears the line (before other output).
  void clear();

 private:
  void draw(std::size_t done);
  bool on_ = false;
  Lang lang_;
  Localized what_;
  std::size_t total_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace xy::cli
