// Requests read one at a time from a file or stdin, as they arrive: one JSON value (which may span
// lines) or JSON Lines. Nothing waits for the end of the input, and memory holds one request.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <boost/json/stream_parser.hpp>

namespace xy::cli {

struct RawRequest {
  std::size_t line = 0;  // where it starts
  std::string text;      // as received (for an error: the lines read up to it)
  bool complete = true;  // false: not a whole JSON value (parse_request says what is wrong)
};

class RequestStream {
 public:
  // Reads from `fd` (not owned).
  explicit RequestStream(int fd) : fd_(fd) {}
  // The next request, or nothing at the end of the input. `before_wait` runs before the stream
  // waits for input that has not arrived yet (to print what is ready).
  std::optional<RawRequest> next(const std::function<void()>& before_wait);
  // True once a request was found after the first, or input followed it: lines are then named.
  bool many() const { return count_ > 1; }
  // Whether anything but blank space follows the current position (reads ahead if needed).
  bool more(const std::function<void()>& before_wait);
  const std::string& read_error() const { return error_; }

 private:
  bool line(std::string& out, const std::function<void()>& before_wait);
  bool fill(const std::function<void()>& before_wait);

  int fd_;
  std::string buf_;
  std::size_t pos_ = 0, line_no_ = 0, count_ = 0;
  bool eof_ = false;
  std::string error_;
  boost::json::stream_parser parser_;
};

}  // namespace xy::cli
