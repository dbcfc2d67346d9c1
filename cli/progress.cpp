// One rewritten line of progress on stderr, when it is a terminal.
#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace xy::cli {

using Clock = std::chrono::steady_clock;

Progress::Progress(Lang lang) : on_(::isatty(STDERR_FILENO) == 1), lang_(lang) {}

Progress::~Progress() {
  clear();
}

void Progress::phase(Localized what, std::size_t total) {
  what_ = std::move(what);
  total_ = total;
  start_ = Clock::now();
  last_ = Clock::time_point{};
  update(0);
}

void Progress::update(std::size_t done) {
  if (!on_) return;
  auto now = Clock::now();
  if (done != total_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  draw(done);
}

void Progress::draw(std::size_t done) {
  bool zh = lang_ == Lang::zh;
  double secs = std::chrono::duration<double>(Clock::now() - start_).count();
  std::string line = what_.in(lang_) + " " + std::to_string(done);
  if (total_) line += "/" + std::to_string(total_);
  if (secs > 0.2 && done > 0) {
    double rate = done / secs;
    char buf[96];
    std::snprintf(buf, sizeof buf, zh ? "，每秒 %.0f" : ", %.0f/s", rate);
    line += buf;
    if (total_ > done) {
      std::snprintf(buf, sizeof buf, zh ? "，约剩 %.0f 秒" : ", about %.0f s left",
                    (total_ - done) / rate);
      line += buf;
    }
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear() {
  if (!on_ || !drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace xy::cli
