#include "auth/crypto.h"

#include <sodium.h>

#include <vector>

namespace gmg {

Status InitCrypto() {
  if (sodium_init() < 0) return MakeError(ErrorCode::kInternal, "libsodium failed to start");
  return Ok();
}

static_assert(kInteractiveHashCost.passes == crypto_pwhash_OPSLIMIT_INTERACTIVE &&
                  kInteractiveHashCost.memory_bytes == crypto_pwhash_MEMLIMIT_INTERACTIVE,
              "kInteractiveHashCost is libsodium's interactive limits");
static_assert(kMinimumHashCost.passes == crypto_pwhash_OPSLIMIT_MIN &&
                  kMinimumHashCost.memory_bytes == crypto_pwhash_MEMLIMIT_MIN,
              "kMinimumHashCost is libsodium's minimum");

Result<std::string> HashPassword(std::string_view password, PasswordHashCost cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost.passes, cost.memory_bytes) !=
      0) {
    return MakeError(ErrorCode::kInternal, "out of memory hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& encoded_hash) {
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string HashToken(std::string_view token) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

Status CheckPasswordRules(std::string_view password, const char* field) {
  if (password.size() < 10) {
    return FieldError(ErrorCode::kFailedPrecondition, field, "must be at least 10 characters",
                      "too_short", {{"min", "10"}});
  }
  if (password.size() > 256) {
    return FieldError(ErrorCode::kFailedPrecondition, field, "must be at most 256 characters",
                      "too_long", {{"max", "256"}});
  }
  return Ok();
}

}  // namespace gmg
