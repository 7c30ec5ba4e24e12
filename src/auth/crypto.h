// Secrets: Argon2id password hashes, random tokens, and token hashes (libsodium).
// Call InitCrypto() once before any other function. Thread-safety: all functions are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gmg {

Status InitCrypto();

// Argon2id's work per password hash: libsodium's opslimit (passes) and memlimit (bytes).
struct PasswordHashCost {
  unsigned long long passes = 0;
  size_t memory_bytes = 0;
};
// libsodium's interactive limits (2 passes over 64 MiB): the cost of every real account's hash.
inline constexpr PasswordHashCost kInteractiveHashCost{2, size_t{64} << 20};
// libsodium's minimum (1 pass over 8 KiB): for tests only, which make hundreds of users and
// sign-ins; never for a real account (the gmg binary offers it only in test builds, see
// docs/security.md "Password hashes").
inline constexpr PasswordHashCost kMinimumHashCost{1, 8192};

// Argon2id at `cost`, in the encoded "$argon2id$v=19$m=…,t=…,p=1$…" form (the cost travels
// with the hash, so a check needs no setting). kInternal when out of memory.
Result<std::string> HashPassword(std::string_view password,
                                 PasswordHashCost cost = kInteractiveHashCost);
// Constant-time in the hash; false for any mismatch or malformed hash (including "").
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);
// `bytes` random bytes, base64url without padding.
std::string RandomToken(size_t bytes);
// BLAKE2b-256 hex of a token: what the database keeps instead of the token itself.
std::string HashToken(std::string_view token);
// SHA-256 of `bytes` in lowercase hex (64 digits): a stored file's fingerprint.
std::string Sha256Hex(std::string_view bytes);
// Rules for a new password; kFailedPrecondition naming `field` when too weak.
Status CheckPasswordRules(std::string_view password, const char* field);

}  // namespace gmg
