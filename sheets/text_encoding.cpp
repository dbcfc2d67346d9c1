// UTF-8 checking and GB18030 decoding (text_encoding.h).
#include "text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <memory>
#include <type_traits>

namespace xy::sheets {

std::size_t first_invalid_utf8(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t i = 0; i < s.size();) {
    unsigned char b = byte(i);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
      if (b == 0xE0) lo = 0xA0;  // no overlong forms
      if (b == 0xED) hi = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    } else {
      return i;
    }
    if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < n; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    i += n;
  }
  return std::string_view::npos;
}

Result<std::string, std::size_t> gb18030_to_utf8(std::string_view bytes) {
  using R = Result<std::string, std::size_t>;
  struct Close {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
  };
  iconv_t opened = iconv_open("UTF-8", "GB18030");
  if (opened == reinterpret_cast<iconv_t>(-1)) return R::failure(0);
  std::unique_ptr<std::remove_pointer_t<iconv_t>, Close> cd(opened);
  std::string out(bytes.size() + bytes.size() / 2 + 16, '\0');
  // iconv takes a char** for its input, though it does not write through it.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (in_left > 0) {
    char* to = out.data() + used;
    std::size_t to_left = out.size() - used;
    std::size_t r = iconv(cd.get(), &in, &in_left, &to, &to_left);
    used = static_cast<std::size_t>(to - out.data());
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    return R::failure(static_cast<std::size_t>(in - bytes.data()));  // EILSEQ or EINVAL
  }
  out.resize(used);
  return out;
}

}  // namespace xy::sheets
