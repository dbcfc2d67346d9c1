// A SAX pass (Boost.JSON's basic_parser) that keeps each open object's keys, decoded.
#include "json_duplicates.h"

#include "xiangyue/runtime/engine.h"

#include <boost/json/basic_parser_impl.hpp>
#include <unordered_set>
#include <vector>

namespace xy::request_detail {

namespace {

using boost::system::error_code;

struct Handler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  struct Level {
    bool object = false;
    std::unordered_set<std::string> keys;
    std::string last;  // the key whose value is being read
  };
  std::vector<Level> open;
  std::string key;
  std::optional<std::string> found;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    open.push_back({true, {}, {}});
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    open.pop_back();
    return true;
  }
  bool on_array_begin(error_code&) {
    open.push_back({false, {}, {}});
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    open.pop_back();
    return true;
  }
  bool on_key_part(std::string_view s, std::size_t, error_code&) {
    key.append(s);
    return true;
  }
  bool on_key(std::string_view s, std::size_t, error_code& ec) {
    key.append(s);
    Level& here = open.back();
    if (!here.keys.insert(key).second) {
      std::string path;
      for (const auto& l : open)
        if (l.object && &l != &here)
          path += l.last + ".";
        else if (!l.object)
          path += "[].";
      found = path + key;
      ec = boost::json::error::extra_data;  // stops the pass
      return false;
    }
    here.last = std::move(key);
    key.clear();
    return true;
  }
  bool on_string_part(std::string_view, std::size_t, error_code&) { return true; }
  bool on_string(std::string_view, std::size_t, error_code&) { return true; }
  bool on_number_part(std::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, std::string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, std::string_view, error_code&) { return true; }
  bool on_double(double, std::string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(std::string_view, error_code&) { return true; }
  bool on_comment(std::string_view, error_code&) { return true; }
};

}  // namespace

std::optional<std::string> duplicate_key(std::string_view text) {
  boost::json::parse_options opts;
  opts.max_depth = 64;
  boost::json::basic_parser<Handler> p(opts);
  error_code ec;
  p.write_some(false, text.data(), text.size(), ec);
  return p.handler().found;
}

}  // namespace xy::request_detail

namespace xy {
std::optional<std::string> duplicate_json_key(std::string_view json) {
  return request_detail::duplicate_key(json);
}
}  // namespace xy
