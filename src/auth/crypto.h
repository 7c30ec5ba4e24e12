// Secrets: Argon2id password hashes, random tokens, and token hashes (libsodium).
// Call InitCrypto() once before any other function. Thread-safety: all functions are.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace gmg {

Status InitCrypto();
// Argon2id (libsodium's interactive limits), in the encoded "$argon2id$…" form.
Result<std::string> HashPassword(std::string_view password);
// Constant-time in the hash; false for any mismatch or malformed hash.
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);
// `bytes` random bytes, base64url without padding.
std::string RandomToken(size_t bytes);
// BLAKE2b-256 hex of a token: what the database keeps instead of the token itself.
std::string HashToken(std::string_view token);
// Rules for a new password; kFailedPrecondition naming `field` when too weak.
Status CheckPasswordRules(std::string_view password, const char* field);

}  // namespace gmg
