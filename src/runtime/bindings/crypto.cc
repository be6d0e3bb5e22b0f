// Crypto bindings on OpenSSL: digests, HMAC, randomness, constant-time compare, PEM keys and
// signatures (RSA PKCS#1 v1.5 / PSS, ECDSA, Ed25519).
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>

#include "runtime/bindings/bindings.h"
#include "runtime/instance_internal.h"

namespace parley::runtime::bindings {

namespace {

const EVP_MD* digestByName(const std::string& name) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "rsa-sha256") n = "sha256";
  return EVP_get_digestbyname(n.c_str());
}

const EVP_MD* digestArg(v8::Isolate* isolate, v8::Local<v8::Value> v) {
  const EVP_MD* md = digestByName(toUtf8(isolate, v));
  if (!md) throwError(isolate, "Digest method not supported: " + toUtf8(isolate, v));
  return md;
}

std::string opensslError(const char* what) {
  unsigned long e = ERR_get_error();
  char buf[256] = {0};
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return std::string(what) + (e ? std::string(": ") + buf : "");
}

void hasDigest(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(digestByName(toUtf8(info.GetIsolate(), info[0])) != nullptr);
}

// digest(alg, bytes) -> ArrayBuffer
void digest(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  const EVP_MD* md = digestArg(isolate, info[0]);
  const uint8_t* data;
  size_t size;
  if (!md || !viewBytes(isolate, info[1], &data, &size, "data")) return;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data, size, out, &len, md, nullptr)) {
    throwError(isolate, opensslError("digest failed"));
    return;
  }
  info.GetReturnValue().Set(newArrayBuffer(isolate, {reinterpret_cast<char*>(out), len}));
}

// hmac(alg, key, bytes) -> ArrayBuffer
void hmac(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  const EVP_MD* md = digestArg(isolate, info[0]);
  const uint8_t *key, *data;
  size_t keySize, size;
  if (!md || !viewBytes(isolate, info[1], &key, &keySize, "key") ||
      !viewBytes(isolate, info[2], &data, &size, "data")) {
    return;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  static const unsigned char kEmpty = 0;
  if (!HMAC(md, keySize ? key : &kEmpty, static_cast<int>(keySize), data, size, out, &len)) {
    throwError(isolate, opensslError("hmac failed"));
    return;
  }
  info.GetReturnValue().Set(newArrayBuffer(isolate, {reinterpret_cast<char*>(out), len}));
}

void randomFill(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  const uint8_t* data;
  size_t size;
  if (!viewBytes(isolate, info[0], &data, &size, "buffer")) return;
  if (size && RAND_bytes(const_cast<uint8_t*>(data), static_cast<int>(size)) != 1) {
    throwError(isolate, opensslError("random generator failed"));
  }
}

void timingSafeEqual(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  const uint8_t *a, *b;
  size_t na, nb;
  if (!viewBytes(isolate, info[0], &a, &na, "buf1") || !viewBytes(isolate, info[1], &b, &nb, "buf2")) {
    return;
  }
  info.GetReturnValue().Set(na == nb && CRYPTO_memcmp(a, b, na) == 0);
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// A PEM private key, public key or certificate. `wantPrivate`: only private keys are accepted.
Pkey readPem(const std::string& pem, bool wantPrivate) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = nullptr;
  if (wantPrivate) {
    key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  } else {
    key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    if (!key) {
      BIO_reset(bio);
      key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);  // public half of it
    }
    if (!key) {
      BIO_reset(bio);
      if (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
        key = X509_get_pubkey(cert);
        X509_free(cert);
      }
    }
  }
  BIO_free(bio);
  ERR_clear_error();
  return Pkey(key);
}

const char* keyTypeName(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return "rsa";
    case EVP_PKEY_RSA_PSS: return "rsa-pss";
    case EVP_PKEY_EC: return "ec";
    case EVP_PKEY_ED25519: return "ed25519";
    case EVP_PKEY_ED448: return "ed448";
    case EVP_PKEY_DSA: return "dsa";
    default: return "unknown";
  }
}

// inspectKey(pem, "private"|"public") -> {asymmetricKeyType, pem}
void inspectKey(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string pem = toUtf8(isolate, info[0]);
  bool wantPrivate = toUtf8(isolate, info[1]) == "private";
  Pkey key = readPem(pem, wantPrivate);
  if (!key) {
    throwTypeError(isolate, wantPrivate ? "The key is not a valid PEM private key"
                                        : "The key is not a valid PEM public key or certificate");
    return;
  }
  std::string outPem = pem;
  if (!wantPrivate) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key.get());
    char* p = nullptr;
    long n = BIO_get_mem_data(bio, &p);
    outPem.assign(p, n);
    BIO_free(bio);
  }
  v8::Local<v8::Object> out = v8::Object::New(isolate);
  ignoreResult(out->Set(context, v8str(isolate, "asymmetricKeyType"), v8str(isolate, keyTypeName(key.get()))));
  ignoreResult(out->Set(context, v8str(isolate, "pem"), v8str(isolate, outPem)));
  info.GetReturnValue().Set(out);
}

// ECDSA signatures: DER (OpenSSL, Node's default) <-> IEEE P1363 r||s (JWS).
std::string derToP1363(const std::string& der, int fieldBytes) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return {};
  std::string out(fieldBytes * 2, '\0');
  const BIGNUM *r, *s;
  ECDSA_SIG_get0(sig, &r, &s);
  BN_bn2binpad(r, reinterpret_cast<unsigned char*>(out.data()), fieldBytes);
  BN_bn2binpad(s, reinterpret_cast<unsigned char*>(out.data()) + fieldBytes, fieldBytes);
  ECDSA_SIG_free(sig);
  return out;
}

std::string p1363ToDer(const uint8_t* sigBytes, size_t n) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(sigBytes, static_cast<int>(n / 2), nullptr);
  BIGNUM* s = BN_bin2bn(sigBytes + n / 2, static_cast<int>(n / 2), nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  std::string out = len > 0 ? std::string(reinterpret_cast<char*>(der), len) : std::string();
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

int ecFieldBytes(EVP_PKEY* key) { return (EVP_PKEY_get_bits(key) + 7) / 8; }

bool configure(EVP_PKEY_CTX* pctx, EVP_PKEY* key, bool pss, int saltLength) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return true;
  if (pss) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0) return false;
    if (saltLength >= 0 && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltLength) <= 0) return false;
  }
  return true;
}

// sign(alg, pem, data, pss, saltLength, p1363) -> ArrayBuffer
void sign(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  const EVP_MD* md = digestArg(isolate, info[0]);
  const uint8_t* data;
  size_t size;
  if (!md || !viewBytes(isolate, info[2], &data, &size, "data")) return;
  Pkey key = readPem(toUtf8(isolate, info[1]), true);
  if (!key) {
    throwTypeError(isolate, "The key is not a valid PEM private key");
    return;
  }
  bool eddsa = EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_ED25519;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  std::string sig;
  size_t len = 0;
  bool ok = EVP_DigestSignInit(ctx, &pctx, eddsa ? nullptr : md, nullptr, key.get()) == 1 &&
            configure(pctx, key.get(), info[3]->IsTrue(),
                      info[4]->Int32Value(context).FromMaybe(-1)) &&
            EVP_DigestSign(ctx, nullptr, &len, data, size) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, data, size) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) {
    throwError(isolate, opensslError("signing failed"));
    return;
  }
  if (info[5]->IsTrue() && EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_EC) {
    sig = derToP1363(sig, ecFieldBytes(key.get()));
  }
  info.GetReturnValue().Set(newArrayBuffer(isolate, sig));
}

// verify(alg, pem, data, signature, pss, saltLength, p1363) -> boolean
void verify(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  const EVP_MD* md = digestArg(isolate, info[0]);
  const uint8_t *data, *sigBytes;
  size_t size, sigSize;
  if (!md || !viewBytes(isolate, info[2], &data, &size, "data") ||
      !viewBytes(isolate, info[3], &sigBytes, &sigSize, "signature")) {
    return;
  }
  Pkey key = readPem(toUtf8(isolate, info[1]), false);
  if (!key) {
    throwTypeError(isolate, "The key is not a valid PEM public key or certificate");
    return;
  }
  std::string sig(reinterpret_cast<const char*>(sigBytes), sigSize);
  if (info[6]->IsTrue() && EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_EC) {
    sig = p1363ToDer(sigBytes, sigSize);
  }
  bool eddsa = EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_ED25519;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pctx, eddsa ? nullptr : md, nullptr, key.get()) == 1 &&
            configure(pctx, key.get(), info[4]->IsTrue(),
                      info[5]->Int32Value(context).FromMaybe(-1)) &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             data, size) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  info.GetReturnValue().Set(ok);
}

}  // namespace

std::span<const Method> cryptoMethods() {
  static constexpr Method kMethods[] = {
      {"hasDigest", hasDigest},
      {"digest", digest},
      {"hmac", hmac},
      {"randomFill", randomFill},
      {"timingSafeEqual", timingSafeEqual},
      {"inspectKey", inspectKey},
      {"sign", sign},
      {"verify", verify},
  };
  return kMethods;
}

}  // namespace parley::runtime::bindings
