#include "control/tokens.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/strings.h"
#include "control/passwords.h"

namespace parley::control {

namespace {

using nlohmann::json;

std::string b64url(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

bool unb64url(std::string_view text, std::string& out) {
  out.assign(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return false;
  }
  out.resize(len);
  return true;
}

std::string hmacSha256(const std::string& key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

const std::string kHeader = b64url(R"({"alg":"HS256","typ":"JWT"})");

}  // namespace

std::string TokenSigner::issue(TokenClaims& claims, int64_t ttlSeconds) const {
  claims.tokenId = randomUuid();
  claims.issuedAt = clock_.nowMs() / 1000;
  claims.expiresAt = claims.issuedAt + ttlSeconds;
  json payload = {{"sub", claims.subject}, {"typ", claims.type}, {"jti", claims.tokenId},
                  {"iat", claims.issuedAt}, {"exp", claims.expiresAt}};
  if (!claims.accountId.empty()) payload["acct"] = claims.accountId;
  if (!claims.scopes.empty()) payload["scope"] = join(claims.scopes, " ");
  std::string signingInput = kHeader + "." + b64url(payload.dump());
  return signingInput + "." + b64url(hmacSha256(key_, signingInput));
}

Result<TokenClaims> TokenSigner::verify(const std::string& token) const {
  size_t a = token.find('.');
  size_t b = a == std::string::npos ? a : token.find('.', a + 1);
  if (b == std::string::npos || token.find('.', b + 1) != std::string::npos) {
    return Error::unauthenticated("The token is malformed");
  }
  if (token.substr(0, a) != kHeader) {
    return Error::unauthenticated("The token's algorithm is not accepted");
  }
  std::string signature;
  if (!unb64url(std::string_view(token).substr(b + 1), signature)) {
    return Error::unauthenticated("The token is malformed");
  }
  std::string expected = hmacSha256(key_, std::string_view(token).substr(0, b));
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Error::unauthenticated("The token's signature is not valid");
  }
  std::string payloadText;
  if (!unb64url(std::string_view(token).substr(a + 1, b - a - 1), payloadText)) {
    return Error::unauthenticated("The token is malformed");
  }
  json p = json::parse(payloadText, nullptr, false);
  if (!p.is_object()) return Error::unauthenticated("The token is malformed");
  TokenClaims c;
  c.subject = p.value("sub", "");
  c.type = p.value("typ", "");
  c.accountId = p.value("acct", "");
  std::string scope = p.value("scope", "");
  if (!scope.empty()) c.scopes = split(scope, ' ');
  c.tokenId = p.value("jti", "");
  c.issuedAt = p.value("iat", int64_t{0});
  c.expiresAt = p.value("exp", int64_t{0});
  if (c.subject.empty() || c.tokenId.empty() || (c.type != "user" && c.type != "client")) {
    return Error::unauthenticated("The token is malformed");
  }
  if (clock_.nowMs() / 1000 >= c.expiresAt) return Error::unauthenticated("The token has expired");
  return c;
}

Result<std::string> loadOrCreateKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string key = ss.str();
    if (key.size() < 32) return Error::internal("The key file '" + path + "' is too short");
    return key;
  }
  std::string key(32, '\0');
  randombytes_buf(key.data(), key.size());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Error::internal("Cannot create the key file '" + path + "'");
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) return Error::internal("Cannot write the key file '" + path + "'");
  return key;
}

}  // namespace parley::control
