// Splitting the input into requests with Boost.JSON's incremental parser, line by line.
#include "request_stream.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace xy::cli {

namespace {

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

bool RequestStream::fill(const std::function<void()>& before_wait) {
  if (eof_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (before_wait && ::poll(&p, 1, 0) == 0) before_wait();  // nothing there yet: show what is ready
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
      buf_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error_ = std::strerror(errno);
    eof_ = true;
    return false;
  }
}

bool RequestStream::line(std::string& out, const std::function<void()>& before_wait) {
  for (;;) {
    auto nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      out.assign(buf_, pos_, nl + 1 - pos_);
      pos_ = nl + 1;
      ++line_no_;
      return true;
    }
    if (!fill(before_wait)) {
      if (pos_ >= buf_.size()) return false;
      out.assign(buf_, pos_, std::string::npos);  // a last line without a newline
      pos_ = buf_.size();
      ++line_no_;
      return true;
    }
  }
}

bool RequestStream::more(const std::function<void()>& before_wait) {
  for (;;) {
    auto rest = std::string_view(buf_).substr(pos_);
    if (!blank(rest)) return true;
    pos_ = buf_.size();
    if (!fill(before_wait)) return false;
  }
}

std::optional<RawRequest> RequestStream::next(const std::function<void()>& before_wait) {
  RawRequest r;
  std::string text;
  parser_.reset();
  while (line(text, before_wait)) {
    if (r.text.empty() && blank(text)) continue;
    if (r.text.empty()) r.line = line_no_;
    r.text += text;
    boost::system::error_code ec;
    std::size_t used = parser_.write_some(text.data(), text.size(), ec);
    if (ec) {
      r.complete = false;  // the rest of this line goes with it
      ++count_;
      return r;
    }
    if (parser_.done()) {
      // A value ends on this line: anything after it on the line belongs to it (an error).
      if (!blank(std::string_view(text).substr(used))) r.complete = false;
      ++count_;
      return r;
    }
  }
  if (r.text.empty()) return std::nullopt;
  r.complete = false;  // the input ended inside a value
  ++count_;
  return r;
}

}  // namespace xy::cli
