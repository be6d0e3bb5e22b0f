#include "control/passwords.h"

#include <sodium.h>

#include <vector>

namespace parley::control {

namespace {
bool ensureSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}
}  // namespace

Result<std::string> hashPassword(const std::string& password) {
  if (!ensureSodium()) return Error::internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Error::internal("out of memory while hashing a password");
  }
  return std::string(out);
}

bool verifyPassword(const std::string& password, const std::string& encodedHash) {
  if (!ensureSodium() || encodedHash.empty()) return false;
  return crypto_pwhash_str_verify(encodedHash.c_str(), password.data(), password.size()) == 0;
}

std::string randomSecret(size_t bytes) {
  ensureSodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

}  // namespace parley::control
