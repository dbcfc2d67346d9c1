// Hex encoding and the SHA-256 / HMAC-SHA256 digests used by bundles and the audit store.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace xy {

std::string to_hex(const unsigned char* bytes, std::size_t n);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string random_hex(std::size_t bytes);  // from the OpenSSL CSPRNG
// Appends "\n<length>:<field>": fields so joined give no two different lists the same text (the
// canonical forms that audit records, checkpoints and recoveries are hashed or signed over).
void append_field(std::string& out, std::string_view field);

}  // namespace xy
