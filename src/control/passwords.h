// Password and client-secret hashing: argon2id (libsodium's crypto_pwhash_str, "interactive"
// cost), self-describing encoded strings. Thread-safe.
#pragma once

#include <string>

#include "base/result.h"

namespace parley::control {

Result<std::string> hashPassword(const std::string& password);
// Constant-time with respect to the stored hash; false for a malformed hash.
bool verifyPassword(const std::string& password, const std::string& encodedHash);
// A random secret of `bytes` bytes, base64url without padding (for client secrets, passwords).
std::string randomSecret(size_t bytes = 32);

}  // namespace parley::control
