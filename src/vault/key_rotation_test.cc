// Master key rotation with real key files in a temporary directory: the file is replaced, the
// data keys re-wrapped, a "running server" vault keeps decrypting (cached and uncached keys) and
// wraps new data keys with the new key; an interrupted rotation resumes with its pending key;
// the environment variant announces the key first and a server on the old key refuses to create
// data keys it could not unwrap later.
#include "vault/key_rotation.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

namespace parley::vault {
namespace {

class KeyRotation : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parley-rot-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/master.key";
    auto loaded = loadMasterKey(std::nullopt, path_);  // generated, as on a first start
    ASSERT_TRUE(loaded.ok());
    oldId_ = loaded->key.id();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<WrappedKey> keys() {
    auto all = store_.list();
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<WrappedKey>{};
  }
  MasterKey fileKey() {
    auto k = readMasterKeyFile(path_);
    EXPECT_TRUE(k.ok() && k->has_value());
    return std::move(**k);
  }
  std::string seal(Vault& v, const std::string& acct, const std::string& text) {
    auto blob = v.encrypt(acct, text, acct + "/secret/x");
    EXPECT_TRUE(blob.ok()) << blob.error().message();
    return blob.ok() ? *blob : "";
  }
  std::string open(Vault& v, const std::string& acct, const std::string& blob) {
    auto text = v.decrypt(acct, blob, acct + "/secret/x");
    EXPECT_TRUE(text.ok()) << text.error().message();
    return text.ok() ? *text : "";
  }

  std::string dir_, path_, oldId_;
  InMemoryKeyStore store_;
};

TEST_F(KeyRotation, ReplacesTheFileAndRewrapsWhileAServerKeepsWorking) {
  Vault server(fileKey(), store_);
  server.setMasterKeySource(masterKeyFileSource(path_));
  std::string a = seal(server, "a", "alpha");  // cached in the server
  std::string b;
  {
    Vault other(fileKey(), store_);  // another process: b's data key is not cached by `server`
    b = seal(other, "b", "bravo");
  }

  auto report = rotateMasterKeyFile(store_, path_);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->oldKeyId, oldId_);
  EXPECT_NE(report->newKeyId, oldId_);
  EXPECT_EQ(report->dataKeys, 2u);
  EXPECT_FALSE(report->resumed);
  EXPECT_EQ(fileKey().id(), report->newKeyId);
  EXPECT_FALSE(std::filesystem::exists(pendingKeyFilePath(path_)));
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const WrappedKey& w : keys()) EXPECT_EQ(w.masterKeyId, report->newKeyId);

  // The running server: cached key, uncached key (re-reads the file), a new account.
  EXPECT_EQ(open(server, "a", a), "alpha");
  EXPECT_EQ(open(server, "b", b), "bravo");
  std::string c = seal(server, "c", "charlie");
  EXPECT_EQ(server.masterKeyId(), report->newKeyId);
  for (const WrappedKey& w : keys()) EXPECT_EQ(w.masterKeyId, report->newKeyId);

  // A restart with the file reads everything; the old key reads nothing uncached.
  Vault restarted(fileKey(), store_);
  EXPECT_EQ(open(restarted, "a", a), "alpha");
  EXPECT_EQ(open(restarted, "c", c), "charlie");
}

TEST_F(KeyRotation, AServerThatCannotLearnTheKeyRefusesNewDataKeysUntilReloaded) {
  // As a server on PARLEY_MASTER_KEY: it cannot learn the rotated key.
  MasterKey old = fileKey();
  Vault server(copyMasterKey(old), store_);
  server.setMasterKeySource(fixedMasterKeySource(old));
  std::string a = seal(server, "a", "alpha");
  ASSERT_TRUE(rotateMasterKeyFile(store_, path_).ok());
  // Until it learns the new key, it refuses to create a data key under the old one.
  auto refused = server.encrypt("late", "x", "late/secret/x");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message().find("rotated"), std::string::npos);
  server.setMasterKeySource(masterKeyFileSource(path_));
  ASSERT_TRUE(server.reloadMasterKey().ok());  // SIGHUP
  std::string late = seal(server, "late", "lima");
  Vault restarted(fileKey(), store_);
  EXPECT_EQ(open(restarted, "a", a), "alpha");
  EXPECT_EQ(open(restarted, "late", late), "lima");
}

TEST_F(KeyRotation, AnInterruptedRotationResumesWithItsPendingKey) {
  Vault v(fileKey(), store_);
  std::string a = seal(v, "a", "alpha");
  MasterKey pending = MasterKey::generate();
  ASSERT_TRUE(createMasterKeyFile(pendingKeyFilePath(path_), pending).ok());
  auto report = rotateMasterKeyFile(store_, path_);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_TRUE(report->resumed);
  EXPECT_EQ(report->newKeyId, pending.id());
  EXPECT_EQ(fileKey().id(), pending.id());
  // Running it again is harmless: a fresh key, everything re-wrapped again.
  auto again = rotateMasterKeyFile(store_, path_);
  ASSERT_TRUE(again.ok()) << again.error().message();
  Vault restarted(fileKey(), store_);
  EXPECT_EQ(open(restarted, "a", a), "alpha");
}

TEST_F(KeyRotation, FromTheEnvironmentTheNewKeyIsAnnouncedFirst) {
  MasterKey envKey = MasterKey::generate();
  std::string a;
  {
    Vault v(copyMasterKey(envKey), store_);
    a = seal(v, "a", "alpha");
  }
  std::string announced;
  size_t keysAtAnnounce = 99;
  auto report = rotateMasterKeyFromEnvironment(store_, envKey.toBase64(), [&](const std::string& k) {
    announced = k;
    keysAtAnnounce = 0;
    for (const WrappedKey& w : keys()) keysAtAnnounce += w.masterKeyId == envKey.id();
  });
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(keysAtAnnounce, 1u);  // nothing had changed yet when the key was shown
  auto fresh = MasterKey::fromBase64(announced);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->id(), report->newKeyId);
  Vault restarted(std::move(fresh).value(), store_);
  EXPECT_EQ(open(restarted, "a", a), "alpha");
}

}  // namespace
}  // namespace parley::vault
