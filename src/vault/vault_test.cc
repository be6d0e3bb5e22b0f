#include "vault/vault.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace parley::vault {
namespace {

// The value, or a test failure with the error's message.
template <typename T>
T unwrap(const Result<T>& r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.error().message();
    return T{};
  }
  return r.value();
}

MasterKey copyOf(const MasterKey& key) {
  return copyMasterKey(key);
}

// Every stored byte of a wrapped key.
std::string serialise(const WrappedKey& w) {
  return w.accountId + std::to_string(w.version) + w.masterKeyId + w.nonce + w.ciphertext;
}

class VaultTest : public ::testing::Test {
 protected:
  MasterKey master_ = MasterKey::generate();
  InMemoryKeyStore store_;
  Vault vault_{copyOf(master_), store_};

  std::string encrypt(const std::string& account, const std::string& text, const std::string& ad) {
    auto blob = vault_.encrypt(account, text, ad);
    EXPECT_TRUE(blob.ok()) << blob.error().message();
    return blob.ok() ? *blob : std::string();
  }
  std::vector<WrappedKey> stored() { return std::move(store_.list()).value(); }
};

TEST_F(VaultTest, RoundTrips) {
  std::string binary("\0\x01\xff\xfe zero-byte", 15);
  for (const std::string& text :
       {std::string(), std::string("hunter22"), binary, std::string(16384, 'x'),
        std::string("{\"user\":\"ü\",\"pw\":\"p@ss\"}")}) {
    std::string blob = encrypt("acme", text, "acme/secret/API_KEY");
    EXPECT_EQ(blob.size(), text.size() + kBlobOverhead);
    EXPECT_EQ(static_cast<uint8_t>(blob[0]), kBlobFormatVersion);
    EXPECT_EQ(unwrap(Vault::dataKeyVersionOf(blob)), 1u);
    auto back = vault_.decrypt("acme", blob, "acme/secret/API_KEY");
    ASSERT_TRUE(back.ok()) << back.error().message();
    EXPECT_EQ(unwrap(back), text);
  }
  // Random nonces: the same plaintext never gives the same blob.
  EXPECT_NE(encrypt("acme", "same", "ad"), encrypt("acme", "same", "ad"));
  // One data key per account, created on first use, wrapped by the master key.
  ASSERT_EQ(stored().size(), 1u);
  EXPECT_EQ(stored()[0].accountId, "acme");
  EXPECT_EQ(stored()[0].version, 1u);
  EXPECT_EQ(stored()[0].masterKeyId, master_.id());
  EXPECT_EQ(stored()[0].nonce.size(), 24u);
  EXPECT_EQ(stored()[0].ciphertext.size(), 48u);
}

TEST_F(VaultTest, AnyTamperedByteFails) {
  std::string blob = encrypt("acme", "the secret value", "acme/secret/API_KEY");
  for (size_t i = 0; i < blob.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80}) {
      std::string bad = blob;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      EXPECT_FALSE(vault_.decrypt("acme", bad, "acme/secret/API_KEY").ok()) << "byte " << i;
    }
  }
  auto tag = blob;
  tag.back() ^= 1;
  EXPECT_EQ(vault_.decrypt("acme", tag, "acme/secret/API_KEY").error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_FALSE(vault_.decrypt("acme", blob.substr(0, blob.size() - 1), "acme/secret/API_KEY").ok());
  EXPECT_FALSE(vault_.decrypt("acme", blob + "x", "acme/secret/API_KEY").ok());
}

TEST_F(VaultTest, MalformedAndUnknownVersionErrorsAreDistinct) {
  std::string blob = encrypt("acme", "value", "ad");
  EXPECT_EQ(vault_.decrypt("acme", "short", "ad").error().code(), ErrorCode::kInvalidArgument);
  std::string format = blob;
  format[0] = 2;
  EXPECT_EQ(vault_.decrypt("acme", format, "ad").error().code(), ErrorCode::kInvalidArgument);
  std::string zero = blob;
  zero[4] = 0;
  EXPECT_EQ(vault_.decrypt("acme", zero, "ad").error().code(), ErrorCode::kInvalidArgument);
  std::string unknown = blob;
  unknown[4] = 7;
  auto err = vault_.decrypt("acme", unknown, "ad");
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(err.error().message().find("unknown data key version"), std::string::npos);
  EXPECT_EQ(vault_.encrypt("", "x", "ad").error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(VaultTest, WrongAssociatedDataFails) {
  std::string blob = encrypt("acme", "value", "acme/secret/API_KEY");
  for (const char* ad :
       {"acme/secret/DB_PASSWORD", "", "acme/secret/API_KEY ", "ACME/secret/API_KEY"}) {
    auto r = vault_.decrypt("acme", blob, ad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
    EXPECT_NE(r.error().message().find("another account or context"), std::string::npos);
  }
}

TEST_F(VaultTest, AnotherAccountCannotDecrypt) {
  std::string blob = encrypt("acme", "value", "secret/API_KEY");
  // An account with a data key of its own: the key (and the account in the AD) do not match.
  encrypt("globex", "theirs", "secret/API_KEY");
  auto other = vault_.decrypt("globex", blob, "secret/API_KEY");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code(), ErrorCode::kPermissionDenied);
  // An account without a data key at all.
  EXPECT_EQ(vault_.decrypt("initech", blob, "secret/API_KEY").error().code(), ErrorCode::kNotFound);
  // A wrapped key moved to another account in storage does not unwrap there.
  std::vector<WrappedKey> keys = stored();
  ASSERT_EQ(keys.size(), 2u);
  std::swap(keys[0].nonce, keys[1].nonce);
  std::swap(keys[0].ciphertext, keys[1].ciphertext);
  InMemoryKeyStore swapped;
  for (const auto& k : keys) ASSERT_TRUE(swapped.put(k).ok());
  Vault fresh(copyOf(master_), swapped);
  auto moved = fresh.decrypt("acme", blob, "secret/API_KEY");
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code(), ErrorCode::kInternal);
  EXPECT_NE(moved.error().message().find("does not verify"), std::string::npos);
}

TEST_F(VaultTest, DataKeyRotationKeepsOldBlobsReadable) {
  std::string v1 = encrypt("acme", "old value", "ad");
  ASSERT_TRUE(vault_.rotateDataKey("acme").ok());
  std::string v2 = encrypt("acme", "new value", "ad");
  EXPECT_EQ(unwrap(Vault::dataKeyVersionOf(v1)), 1u);
  EXPECT_EQ(unwrap(Vault::dataKeyVersionOf(v2)), 2u);
  EXPECT_EQ(unwrap(vault_.decrypt("acme", v1, "ad")), "old value");
  EXPECT_EQ(unwrap(vault_.decrypt("acme", v2, "ad")), "new value");
  ASSERT_EQ(stored().size(), 2u);
  EXPECT_NE(stored()[0].ciphertext, stored()[1].ciphertext);
  // A vault with a cold cache reads both and encrypts with the newest.
  Vault fresh(copyOf(master_), store_);
  EXPECT_EQ(unwrap(fresh.decrypt("acme", v1, "ad")), "old value");
  EXPECT_EQ(unwrap(fresh.decrypt("acme", v2, "ad")), "new value");
  EXPECT_EQ(unwrap(Vault::dataKeyVersionOf(fresh.encrypt("acme", "x", "ad").value())), 2u);
  // Rotating an account that has no key yet creates version 1; other accounts are untouched.
  ASSERT_TRUE(vault_.rotateDataKey("globex").ok());
  EXPECT_EQ(unwrap(Vault::dataKeyVersionOf(encrypt("globex", "x", "ad"))), 1u);
  EXPECT_EQ(unwrap(Vault::dataKeyVersionOf(encrypt("acme", "x", "ad"))), 2u);
}

TEST_F(VaultTest, MasterKeyRotationRewrapsAndOldBlobsStillDecrypt) {
  std::string a1 = encrypt("acme", "acme one", "ad");
  ASSERT_TRUE(vault_.rotateDataKey("acme").ok());
  std::string a2 = encrypt("acme", "acme two", "ad");
  std::string g1 = encrypt("globex", "globex one", "ad");
  std::vector<WrappedKey> before = stored();

  MasterKey next = MasterKey::generate();
  const std::string oldId = master_.id();
  const std::string newId = next.id();
  ASSERT_TRUE(vault_.rotateMasterKey(copyOf(next)).ok());
  EXPECT_EQ(vault_.masterKeyId(), newId);
  std::vector<WrappedKey> after = stored();
  ASSERT_EQ(after.size(), 3u);
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].masterKeyId, newId);
    EXPECT_EQ(after[i].accountId, before[i].accountId);
    EXPECT_EQ(after[i].version, before[i].version);
    EXPECT_NE(after[i].ciphertext, before[i].ciphertext);
  }
  // The same vault and a fresh one with the new key read every old blob; nothing re-encrypted.
  Vault fresh(copyOf(next), store_);
  for (Vault* v : {&vault_, &fresh}) {
    EXPECT_EQ(unwrap(v->decrypt("acme", a1, "ad")), "acme one");
    EXPECT_EQ(unwrap(v->decrypt("acme", a2, "ad")), "acme two");
    EXPECT_EQ(unwrap(v->decrypt("globex", g1, "ad")), "globex one");
  }
  // A new account's key is wrapped by the new master key.
  encrypt("initech", "x", "ad");
  EXPECT_EQ(std::move(store_.current("initech")).value()->masterKeyId, newId);

  // A server still on the old key says so, naming both ids.
  Vault stale(copyOf(master_), store_);
  auto r = stale.decrypt("acme", a1, "ad");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("wrapped by master key " + newId +
                                     ", the server has master key " + oldId),
            std::string::npos)
      << r.error().message();
  EXPECT_EQ(stale.encrypt("acme", "x", "ad").error().code(), ErrorCode::kFailedPrecondition);

  // Running the rotation again (e.g. after an interruption) is harmless.
  ASSERT_TRUE(fresh.rotateMasterKey(copyOf(next)).ok());
  EXPECT_EQ(unwrap(fresh.decrypt("acme", a1, "ad")), "acme one");
}

TEST_F(VaultTest, MasterKeyRotationRefusesKeysWrappedByAThirdKey) {
  encrypt("acme", "x", "ad");
  MasterKey third = MasterKey::generate();
  Vault other(copyOf(third), store_);
  ASSERT_TRUE(other.encrypt("globex", "y", "ad").ok());
  std::vector<WrappedKey> before = stored();
  Status s = vault_.rotateMasterKey(MasterKey::generate());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().message().find(third.id()), std::string::npos);
  EXPECT_EQ(stored(), before);
  EXPECT_EQ(vault_.masterKeyId(), master_.id());
}

// A KeyStore where another node adds a data key while the first rotation is being prepared.
class RacingStore final : public KeyStore {
 public:
  RacingStore(InMemoryKeyStore& inner, std::function<void()> race)
      : inner_(inner), race_(std::move(race)) {}
  Result<std::optional<WrappedKey>> current(const std::string& a) override {
    return inner_.current(a);
  }
  Result<WrappedKey> get(const std::string& a, uint32_t v) override { return inner_.get(a, v); }
  Status put(const WrappedKey& k) override { return inner_.put(k); }
  Result<std::vector<WrappedKey>> list() override { return inner_.list(); }
  Status replaceAll(const std::vector<WrappedKey>& keys) override {
    if (race_) std::exchange(race_, nullptr)();
    return inner_.replaceAll(keys);
  }

 private:
  InMemoryKeyStore& inner_;
  std::function<void()> race_;
};

TEST_F(VaultTest, MasterKeyRotationRetriesWhenAKeyIsAddedConcurrently) {
  std::string a = encrypt("acme", "acme", "ad");
  std::string g;
  RacingStore racing(store_, [&] { g = encrypt("globex", "globex", "ad"); });
  Vault rotating(copyOf(master_), racing);
  MasterKey next = MasterKey::generate();
  ASSERT_TRUE(rotating.rotateMasterKey(copyOf(next)).ok());
  ASSERT_EQ(stored().size(), 2u);
  for (const auto& k : stored()) EXPECT_EQ(k.masterKeyId, next.id());  // the late key too
  Vault fresh(copyOf(next), store_);
  EXPECT_EQ(unwrap(fresh.decrypt("acme", a, "ad")), "acme");
  EXPECT_EQ(unwrap(fresh.decrypt("globex", g, "ad")), "globex");
}

TEST_F(VaultTest, PlaintextAndKeysNeverAppearInStoredBytes) {
  const std::string plaintext = "PLAINTEXT-MARKER-0123456789-abcdefghijklmnopqrstuvwxyz";
  std::vector<std::string> blobs;
  for (int i = 0; i < 8; ++i) blobs.push_back(encrypt("acme", plaintext, "acme/secret/S"));
  ASSERT_TRUE(vault_.rotateDataKey("acme").ok());
  blobs.push_back(encrypt("acme", plaintext, "acme/secret/S"));
  ASSERT_TRUE(vault_.rotateMasterKey(MasterKey::generate()).ok());
  blobs.push_back(encrypt("acme", plaintext, "acme/secret/S"));

  std::string everything;
  for (const auto& b : blobs) everything += b;
  for (const auto& k : stored()) everything += serialise(k);
  const std::string masterBytes(reinterpret_cast<const char*>(master_.data()), kKeyBytes);
  // No 6-byte window of the plaintext or of the master key occurs anywhere.
  for (const std::string* secret : {&plaintext, &masterBytes}) {
    for (size_t i = 0; i + 6 <= secret->size(); ++i) {
      EXPECT_EQ(everything.find(secret->substr(i, 6)), std::string::npos) << "window " << i;
    }
  }
}

TEST_F(VaultTest, ConcurrentUseWhileRotating) {
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string account = "acct" + std::to_string(t % 2);
      for (int i = 0; i < 200; ++i) {
        std::string text = "value " + std::to_string(i);
        auto blob = vault_.encrypt(account, text, "ad");
        auto back =
            blob.ok() ? vault_.decrypt(account, *blob, "ad") : Result<std::string>(blob.error());
        if (!back.ok() || *back != text) failed = true;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 5; ++i) {
      if (!vault_.rotateDataKey("acct0").ok()) failed = true;
      if (!vault_.rotateMasterKey(MasterKey::generate()).ok()) failed = true;
    }
  });
  for (auto& t : threads) t.join();
  EXPECT_FALSE(failed);
}

}  // namespace
}  // namespace parley::vault
