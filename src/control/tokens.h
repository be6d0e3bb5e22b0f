// Signed, expiring bearer tokens (JWT, HS256) for users and API clients.
//
// Claims: sub (user id or client id), typ ("user" | "client"), acct (the client's account),
// scope (space-separated, clients), jti (unique id, for revocation), iat, exp.
// The signing key is 32 random bytes kept 0600 in the data directory. Verification checks the
// signature (constant time), the algorithm, and expiry against the injected clock; revocation is
// the caller's business (store::RevocationRepository). Thread-safe (immutable after creation).
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"

namespace parley::control {

struct TokenClaims {
  std::string subject;
  std::string type;  // "user" or "client"
  std::string accountId;  // clients only
  std::vector<std::string> scopes;  // clients only
  std::string tokenId;
  int64_t issuedAt = 0;   // seconds since epoch
  int64_t expiresAt = 0;  // seconds since epoch
};

class TokenSigner {
 public:
  TokenSigner(std::string key, const Clock& clock) : key_(std::move(key)), clock_(clock) {}

  // Fills tokenId, issuedAt and expiresAt (now + ttlSeconds).
  std::string issue(TokenClaims& claims, int64_t ttlSeconds) const;
  // kUnauthenticated with a reason for a malformed, forged or expired token.
  Result<TokenClaims> verify(const std::string& token) const;

 private:
  std::string key_;
  const Clock& clock_;
};

// Loads the signing key from `path`, creating it (32 random bytes, mode 0600) if missing.
Result<std::string> loadOrCreateKey(const std::string& path);

}  // namespace parley::control
