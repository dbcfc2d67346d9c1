// Ed25519 keys and signatures through OpenSSL's EVP interface.
#include "xiangyue/common/sign.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "xiangyue/common/hash.h"

namespace xy {

struct SigningKey::Impl {
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  unsigned char raw[32];
  std::size_t n = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(impl_->key, raw, &n) == 1) public_hex_ = to_hex(raw, n);
}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

namespace {

// Writes a new key to `path` (mode 0600); fails if the file exists.
Result<bool, Localized> create_key(const std::string& path) {
  using R = Result<bool, Localized>;
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!key) return R::failure({"cannot make an Ed25519 key", "无法生成 Ed25519 签名密钥"});
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    EVP_PKEY_free(key);
    if (errno == EEXIST) return true;  // made meanwhile by someone else: use theirs
    std::string sys = std::strerror(errno);
    return R::failure({"cannot create the signing key `" + path + "`: " + sys,
                       "无法创建签名密钥 `" + path + "`：" + sys});
  }
  BIO* bio = BIO_new(BIO_s_mem());
  bool ok = bio && PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  EVP_PKEY_free(key);
  char* data = nullptr;
  long len = ok ? BIO_get_mem_data(bio, &data) : 0;
  ok = ok && len > 0 && ::write(fd, data, static_cast<std::size_t>(len)) == len && ::fsync(fd) == 0;
  BIO_free(bio);
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return R::failure(
        {"cannot write the signing key `" + path + "`", "无法写入签名密钥 `" + path + "`"});
  }
  return true;
}

}  // namespace

Result<SigningKey, Localized> SigningKey::load(const std::string& path, bool create) {
  using R = Result<SigningKey, Localized>;
  if (create && ::access(path.c_str(), F_OK) != 0)
    if (auto made = create_key(path); !made) return R::failure(made.error());
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::string sys = std::strerror(errno);
    return R::failure({"cannot read the signing key `" + path + "`: " + sys,
                       "无法读取签名密钥 `" + path + "`：" + sys});
  }
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!key || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return R::failure({"`" + path + "` is not an Ed25519 private key (PEM)",
                       "`" + path + "` 不是 Ed25519 签名私钥（PEM 格式）"});
  }
  auto impl = std::make_unique<Impl>();
  impl->key = key;
  return SigningKey(std::move(impl));
}

std::string SigningKey::sign(std::string_view message) const {
  unsigned char sig[64];
  std::size_t n = sizeof sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, impl_->key) == 1 &&
            EVP_DigestSign(ctx, sig, &n, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok ? to_hex(sig, n) : std::string();
}

bool from_hex(std::string_view hex, std::string& bytes) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2) return false;
  bytes.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

bool verify_signature(std::string_view public_hex, std::string_view message,
                      std::string_view signature_hex) {
  std::string pub, sig;
  if (!from_hex(public_hex, pub) || pub.size() != 32 || !from_hex(signature_hex, sig) ||
      sig.size() != 64)
    return false;
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(pub.data()), pub.size());
  if (!key) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

}  // namespace xy
