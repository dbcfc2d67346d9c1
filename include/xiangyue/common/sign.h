// Ed25519 signatures (OpenSSL): a signing key kept in a PEM file, public keys as 64 hex digits.
// Used to sign audit checkpoints (and, later, bundles).
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"

namespace xy {

class SigningKey {
 public:
  // Reads the private key in `path` (PEM); with `create`, makes a new key there first if the file
  // does not exist (written with mode 0600, never overwriting an existing file).
  static Result<SigningKey, Localized> load(const std::string& path, bool create);
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  const std::string& public_hex() const { return public_hex_; }
  // The 64-byte signature of `message`, as 128 hex digits.
  std::string sign(std::string_view message) const;

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::string public_hex_;
};

// True when `signature_hex` is a valid Ed25519 signature of `message` by `public_hex`.
bool verify_signature(std::string_view public_hex, std::string_view message,
                      std::string_view signature_hex);

// Bytes from hex digits (either case); false on an odd length or a non-hex digit.
bool from_hex(std::string_view hex, std::string& bytes);

}  // namespace xy
