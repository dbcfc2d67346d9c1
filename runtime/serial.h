// A small binary writer/reader for the bundle file (little-endian, length-prefixed,
// bounds-checked).
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"

namespace xy::serial {

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) {
    u32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) & 0xFFFFFFFFu));
    u32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
  }
  void str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_ += s;
  }
  void opt_str(const std::optional<std::string>& s) {
    u8(s ? 1 : 0);
    if (s) str(*s);
  }
  void opt_int(const std::optional<int>& v) {
    u8(v ? 1 : 0);
    if (v) i32(*v);
  }
  std::string& bytes() { return out_; }

  // The symmetric interface `transfer` uses (see bundle_format.h).
  static constexpr bool reading = false;
  bool failed = false;
  void io(const std::string& s) { str(s); }
  void io(std::uint32_t v) { u32(v); }
  void io(std::int32_t v) { i32(v); }
  void io(std::int64_t v) { i64(v); }
  void io(std::uint16_t v) { u32(v); }
  void io(std::uint8_t v) { u8(v); }
  void io(bool v) { u8(v ? 1 : 0); }
  void io(const std::optional<std::string>& v) { opt_str(v); }
  void io(const std::optional<int>& v) { opt_int(v); }
  template <class E>
  void io_enum(E e) {
    u8(static_cast<std::uint8_t>(e));
  }
  template <class T, class F>
  void seq(std::vector<T>& v, std::size_t /*min_size*/, F&& each) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (auto& x : v) each(x);
  }

 private:
  std::string out_;
};

// Every read checks bounds; a short or corrupt file sets `failed` instead of reading past the end.
class Reader {
 public:
  explicit Reader(const std::string& in, std::size_t pos = 0) : in_(in), pos_(pos) {}
  bool failed = false;
  bool not_utf8 = false;  // failed because a string is not UTF-8
  std::size_t pos() const { return pos_; }

  std::uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint32_t u32() {
    if (!need(4)) return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  // A flag must be exactly 0 or 1, so every accepted byte string decodes to distinct content.
  bool flag() {
    std::uint8_t v = u8();
    if (v > 1) failed = true;
    return v == 1;
  }
  std::uint16_t u16_in_u32() {
    std::uint32_t v = u32();
    if (v > 0xFFFF) failed = true;
    return static_cast<std::uint16_t>(v);
  }
  std::int64_t i64() {
    std::uint64_t lo = u32(), hi = u32();
    return static_cast<std::int64_t>(lo | (hi << 32));
  }
  // Every string in a bundle is UTF-8 (the compiler reads only UTF-8): others would reach the
  // decision JSON and texts.
  std::string str() {
    std::uint32_t n = u32();
    if (!need(n)) return {};
    std::string s = in_.substr(pos_, n);
    pos_ += n;
    if (!valid_utf8(s)) failed = not_utf8 = true;
    return s;
  }
  std::optional<std::string> opt_str() {
    if (flag()) return str();
    return std::nullopt;
  }
  std::optional<int> opt_int() {
    if (flag()) return i32();
    return std::nullopt;
  }
  // A count for a vector whose elements take at least `min_size` bytes each.
  std::uint32_t count(std::size_t min_size = 1) {
    std::uint32_t n = u32();
    if (failed || n > (in_.size() - pos_) / (min_size ? min_size : 1)) {
      failed = true;
      return 0;
    }
    return n;
  }
  bool at_end() const { return pos_ == in_.size(); }

  // The symmetric interface `transfer` uses (see bundle_format.h).
  static constexpr bool reading = true;
  void io(std::string& s) { s = str(); }
  void io(std::uint32_t& v) { v = u32(); }
  void io(std::int32_t& v) { v = i32(); }
  void io(std::int64_t& v) { v = i64(); }
  void io(std::uint16_t& v) { v = u16_in_u32(); }
  void io(std::uint8_t& v) { v = u8(); }
  void io(bool& v) { v = flag(); }
  void io(std::optional<std::string>& v) { v = opt_str(); }
  void io(std::optional<int>& v) { v = opt_int(); }
  template <class E>
  void io_enum(E& e) {
    e = static_cast<E>(u8());
  }
  template <class T, class F>
  void seq(std::vector<T>& v, std::size_t min_size, F&& each) {
    v.clear();
    v.resize(count(min_size));
    for (auto& x : v) each(x);
  }

 private:
  bool need(std::size_t n) {
    if (failed || in_.size() - pos_ < n) {
      failed = true;
      return false;
    }
    return true;
  }
  const std::string& in_;
  std::size_t pos_;
};

}  // namespace xy::serial
