// Secrets and the vault's data keys on a real SQLite file.
#include <fstream>
#include <iterator>

#include "store/store_test_util.h"
#include "vault/vault.h"

namespace parley::store::testing {
namespace {

class SecretsTest : public StoreTest {
 protected:
  static SecretRecord makeSecret(const std::string& account, const std::string& name,
                                 const std::string& blob) {
    SecretRecord s;
    s.accountId = account;
    s.name = name;
    s.type = "plaintext";
    s.blob = blob;
    s.createdAt = 5;
    s.createdBy = "u1";
    s.updatedAt = 5;
    s.updatedBy = "u1";
    return s;
  }
  vault::WrappedKey key(const std::string& account, uint32_t version, const std::string& mk) {
    return {account, version, mk, std::string("\0nonce-nonce-nonce-nonce\xff", 24),
            std::string(48, '\x01')};
  }
};

TEST_F(SecretsTest, CreateGetListRemove) {
  seedAccount();
  std::string blob("\x01\0\0\0\x01 binary \0 bytes", 20);
  ASSERT_TRUE(store().secrets().create(makeSecret("acme", "B_KEY", blob)).ok());
  ASSERT_TRUE(store().secrets().create(makeSecret("acme", "A_KEY", "x")).ok());
  auto dup = store().secrets().create(makeSecret("acme", "B_KEY", "y"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);

  auto got = store().secrets().get("acme", "B_KEY");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->blob, blob);
  EXPECT_EQ(got->type, "plaintext");
  EXPECT_EQ(got->createdBy, "u1");

  auto list = store().secrets().list("acme");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "A_KEY");
  EXPECT_EQ((*list)[1].name, "B_KEY");
  EXPECT_TRUE((*list)[1].blob.empty());

  EXPECT_EQ(store().secrets().get("other", "B_KEY").error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store().secrets().remove("acme", "B_KEY").ok());
  EXPECT_EQ(store().secrets().remove("acme", "B_KEY").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().secrets().get("acme", "B_KEY").error().code(), ErrorCode::kNotFound);
}

TEST_F(SecretsTest, PutReplacesAndKeepsCreation) {
  seedAccount();
  ASSERT_TRUE(store().secrets().put(makeSecret("acme", "K", "one")).ok());
  SecretRecord s = makeSecret("acme", "K", "two");
  s.type = "json";
  s.createdAt = 99;
  s.createdBy = "u2";
  s.updatedAt = 99;
  s.updatedBy = "u2";
  ASSERT_TRUE(store().secrets().put(s).ok());
  auto got = store().secrets().get("acme", "K");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->blob, "two");
  EXPECT_EQ(got->type, "json");
  EXPECT_EQ(got->createdAt, 5);
  EXPECT_EQ(got->createdBy, "u1");
  EXPECT_EQ(got->updatedBy, "u2");
}

TEST_F(SecretsTest, TypeIsChecked) {
  seedAccount();
  SecretRecord s = makeSecret("acme", "K", "v");
  s.type = "number";
  EXPECT_FALSE(store().secrets().create(s).ok());
}

TEST_F(SecretsTest, SecretsNeedAnAccount) {
  EXPECT_FALSE(store().secrets().create(makeSecret("nobody", "K", "v")).ok());
}

TEST_F(SecretsTest, KeyStoreContract) {
  vault::KeyStore& ks = store().dataKeys();
  auto none = ks.current("acme");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(ks.put(key("acme", 1, "aaaa")).ok());
  ASSERT_TRUE(ks.put(key("acme", 2, "aaaa")).ok());
  ASSERT_TRUE(ks.put(key("beta", 1, "aaaa")).ok());
  EXPECT_EQ(ks.put(key("acme", 2, "aaaa")).error().code(), ErrorCode::kAlreadyExists);
  auto cur = ks.current("acme");
  ASSERT_TRUE(cur.ok());
  ASSERT_TRUE(cur->has_value());
  EXPECT_EQ(**cur, key("acme", 2, "aaaa"));
  EXPECT_EQ(ks.get("acme", 3).error().code(), ErrorCode::kNotFound);
  auto one = ks.get("acme", 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, key("acme", 1, "aaaa"));

  auto all = ks.list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].accountId, "beta");

  // A stale set changes nothing.
  std::vector<vault::WrappedKey> stale = {key("acme", 1, "bbbb"), key("acme", 2, "bbbb")};
  EXPECT_EQ(ks.replaceAll(stale).error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ks.get("acme", 1)->masterKeyId, "aaaa");
  // The exact set swaps every key.
  std::vector<vault::WrappedKey> full = {key("beta", 1, "bbbb"), key("acme", 1, "bbbb"),
                                         key("acme", 2, "bbbb")};
  ASSERT_TRUE(ks.replaceAll(full).ok());
  auto swapped = ks.list();
  ASSERT_TRUE(swapped.ok());
  for (const auto& k : *swapped) EXPECT_EQ(k.masterKeyId, "bbbb");
}

TEST_F(SecretsTest, VaultOnTheSqliteKeyStoreSurvivesReopen) {
  seedAccount();
  auto mk = vault::MasterKey::fromBytes(std::string(32, 'k'));
  ASSERT_TRUE(mk.ok());
  std::string blob;
  {
    vault::Vault v(std::move(mk).value(), store().dataKeys());
    auto enc = v.encrypt("acme", "plain-secret-value", "acme/secret/K");
    ASSERT_TRUE(enc.ok());
    blob = *enc;
    ASSERT_TRUE(store().secrets().create(makeSecret("acme", "K", blob)).ok());
    ASSERT_TRUE(v.rotateMasterKey(vault::MasterKey::fromBytes(std::string(32, 'n')).value()).ok());
  }
  open();
  vault::Vault v(vault::MasterKey::fromBytes(std::string(32, 'n')).value(), store().dataKeys());
  auto got = store().secrets().get("acme", "K");
  ASSERT_TRUE(got.ok());
  auto dec = v.decrypt("acme", got->blob, "acme/secret/K");
  ASSERT_TRUE(dec.ok()) << dec.error().message();
  EXPECT_EQ(*dec, "plain-secret-value");
  store_.reset();
  // The plaintext is nowhere in the files.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("plain-secret-value"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace parley::store::testing
