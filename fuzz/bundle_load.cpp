// Fuzz target: the bundle loader. A bundle file is untrusted input: it loads or is refused, never
// crashes. Its hash only guards against accidents, so each input is also tried with the hash made
// to fit (a hostile file would carry a right one): whatever then loads must write back to the same
// bytes and decide each of its actions without reading out of bounds or looping.
#include <cstring>

#include "check.h"
#include "decide_each.h"
#include "xiangyue/common/hash.h"
#include "xiangyue/runtime/bundle.h"

namespace {

std::uint32_t u32_at(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// The file with the hash of its content in place of the stored one; empty when the header (magic,
// format, hash length) cannot be read.
std::string rehashed(std::string_view file) {
  if (file.size() < 16 || file.substr(0, 8) != "XYBUNDLE") return {};
  std::uint32_t hash_size = u32_at(file, 12);
  if (hash_size > file.size() - 16) return {};
  std::string_view content = file.substr(16 + hash_size);
  std::string hash = xy::sha256_hex(content);
  std::string out(file.substr(0, 12));
  put_u32(out, static_cast<std::uint32_t>(hash.size()));
  out += hash;
  out += content;
  return out;
}

void load(const std::string& bytes, bool decide) {
  auto loaded = xy::Bundle::deserialize(bytes);
  if (!loaded) {
    xy::fuzz::require_utf8(loaded.error().en, "a bundle loading error (en)");
    xy::fuzz::require_utf8(loaded.error().zh, "a bundle loading error (zh)");
    return;
  }
  xy::fuzz::require(loaded->serialize() == bytes, "a loaded bundle writes back different bytes");
  if (decide) xy::fuzz::decide_each_action(*loaded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(xy::fuzz::as_text(data, size));
  std::string fitted = rehashed(bytes);
  load(bytes, fitted == bytes);
  if (!fitted.empty() && fitted != bytes) load(fitted, true);
  return 0;
}
