#include "vault/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace parley::vault {
namespace {

namespace fs = std::filesystem;

// The bytes 0, 1, ..., 31 and their standard base64.
const std::string kSequence = [] {
  std::string s;
  for (int i = 0; i < 32; ++i) s += static_cast<char>(i);
  return s;
}();
constexpr const char* kSequenceBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class MasterKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/parley-vault-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/master.key";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void writeFile(const std::string& contents, mode_t mode) {
    std::ofstream(path_, std::ios::binary) << contents;
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
  }
  mode_t modeOf() const {
    struct stat st {};
    EXPECT_EQ(::stat(path_.c_str(), &st), 0);
    return st.st_mode & 07777;
  }

  std::string dir_;
  std::string path_;
};

TEST(MasterKey, IdIsTheFirstEightBytesOfBlake2bInHex) {
  auto zero = MasterKey::fromBytes(std::string(32, '\0'));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->id(), "89eb0d6a8a691dae");  // python: blake2b(b'\0'*32, digest_size=32)[:8]
  EXPECT_NE(MasterKey::generate().id(), MasterKey::generate().id());
}

TEST(MasterKey, Base64FormsAndErrors) {
  auto key = MasterKey::fromBase64(kSequenceBase64);
  ASSERT_TRUE(key.ok()) << key.error().message();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(key->data()), 32), kSequence);
  EXPECT_EQ(key->toBase64(), kSequenceBase64);
  // Unpadded, URL-safe and surrounded by whitespace are accepted too.
  std::string unpadded = std::string(kSequenceBase64).substr(0, 43);
  EXPECT_EQ(MasterKey::fromBase64(unpadded)->id(), key->id());
  EXPECT_EQ(MasterKey::fromBase64("  " + std::string(kSequenceBase64) + "\n")->id(), key->id());
  auto random = MasterKey::generate();
  std::string urlsafe = random.toBase64();
  for (char& c : urlsafe) c = c == '+' ? '-' : c == '/' ? '_' : c;
  EXPECT_EQ(MasterKey::fromBase64(urlsafe)->id(), random.id());

  auto bad = MasterKey::fromBase64("not base64 at all!");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("not valid base64"), std::string::npos);
  auto shortKey = MasterKey::fromBase64("AAECAwQFBgcICQoLDA0ODw==");  // 16 bytes
  ASSERT_FALSE(shortKey.ok());
  EXPECT_NE(shortKey.error().message().find("decodes to 16 bytes"), std::string::npos);
  EXPECT_FALSE(MasterKey::fromBytes(std::string(31, 'k')).ok());
  EXPECT_FALSE(MasterKey::fromBase64("").ok());
}

TEST_F(MasterKeyFile, GeneratedWithMode0600AndReusedOnTheNextLoad) {
  auto first = loadMasterKey(std::nullopt, path_);
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first->source, MasterKeySource::kGenerated);
  EXPECT_EQ(modeOf(), 0600u);
  // Base64 text, so that it can be pasted into PARLEY_MASTER_KEY.
  std::ifstream in(path_);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, first->key.toBase64() + "\n");
  // No temporary file left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);

  auto second = loadMasterKey(std::nullopt, path_);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(second->source, MasterKeySource::kFile);
  EXPECT_EQ(second->key.id(), first->key.id());
}

TEST_F(MasterKeyFile, GeneratedWithMode0600EvenUnderAPermissiveUmask) {
  mode_t old = ::umask(0);
  auto key = loadMasterKey(std::nullopt, path_);
  ::umask(old);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(modeOf(), 0600u);
}

TEST_F(MasterKeyFile, RacingLoadersAgreeOnOneKey) {
  std::string ids[4];
  std::vector<std::thread> threads;
  for (auto& id : ids) {
    threads.emplace_back([&] {
      auto key = loadMasterKey(std::nullopt, path_);
      id = key.ok() ? key->key.id() : key.error().message();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(ids[0].size(), 16u);
}

TEST_F(MasterKeyFile, ReadsRawAndBase64Files) {
  writeFile(kSequence, 0600);
  auto raw = loadMasterKey(std::nullopt, path_);
  ASSERT_TRUE(raw.ok()) << raw.error().message();
  EXPECT_EQ(raw->source, MasterKeySource::kFile);
  writeFile(std::string("\n") + kSequenceBase64 + "\n\n", 0400);
  auto text = loadMasterKey(std::nullopt, path_);
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_EQ(text->key.id(), raw->key.id());
}

TEST_F(MasterKeyFile, RefusesFilesOthersCanRead) {
  writeFile(kSequenceBase64, 0644);
  auto key = loadMasterKey(std::nullopt, path_);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(key.error().message().find("mode 0644"), std::string::npos) << key.error().message();
  EXPECT_NE(key.error().message().find("chmod 600 '" + path_ + "'"), std::string::npos);
  ASSERT_EQ(::chmod(path_.c_str(), 0640), 0);  // group-readable is refused too
  EXPECT_FALSE(loadMasterKey(std::nullopt, path_).ok());
  ASSERT_EQ(::chmod(path_.c_str(), 0600), 0);
  EXPECT_TRUE(loadMasterKey(std::nullopt, path_).ok());
}

TEST_F(MasterKeyFile, BadFileContents) {
  writeFile(std::string(31, 'k'), 0600);
  auto shortRaw = loadMasterKey(std::nullopt, path_);
  ASSERT_FALSE(shortRaw.ok());
  EXPECT_EQ(shortRaw.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(shortRaw.error().message().find("32 raw bytes or base64"), std::string::npos);
  writeFile("AAECAwQFBgcICQoLDA0ODw==", 0600);  // base64 of 16 bytes
  EXPECT_NE(loadMasterKey(std::nullopt, path_).error().message().find("decodes to 16 bytes"),
            std::string::npos);
  writeFile("", 0600);
  EXPECT_NE(loadMasterKey(std::nullopt, path_).error().message().find("is empty"),
            std::string::npos);
  // Messages never echo the contents.
  writeFile("s3cr3t-but-not-base64!", 0600);
  auto bad = loadMasterKey(std::nullopt, path_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().find("s3cr3t"), std::string::npos);
}

TEST_F(MasterKeyFile, MissingDirectoryIsAnError) {
  auto key = loadMasterKey(std::nullopt, dir_ + "/no/such/dir/master.key");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), ErrorCode::kInternal);
  EXPECT_NE(key.error().message().find("No such file or directory"), std::string::npos);
}

TEST_F(MasterKeyFile, EnvironmentWinsOverTheFile) {
  writeFile(MasterKey::generate().toBase64(), 0600);
  auto fromFile = loadMasterKey(std::nullopt, path_);
  ASSERT_TRUE(fromFile.ok());
  auto fromEnv = loadMasterKey(std::string_view(kSequenceBase64), path_);
  ASSERT_TRUE(fromEnv.ok());
  EXPECT_EQ(fromEnv->source, MasterKeySource::kEnvironment);
  EXPECT_NE(fromEnv->key.id(), fromFile->key.id());
  EXPECT_EQ(fromEnv->key.id(), MasterKey::fromBytes(kSequence)->id());

  // Through the real environment too.
  ASSERT_EQ(::setenv(kMasterKeyEnvVar, kSequenceBase64, 1), 0);
  auto real = loadMasterKey(path_);
  ::unsetenv(kMasterKeyEnvVar);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(real->source, MasterKeySource::kEnvironment);
  EXPECT_EQ(real->key.id(), fromEnv->key.id());
}

TEST_F(MasterKeyFile, BadEnvironmentValueIsAnErrorNotAFallback) {
  auto bad = loadMasterKey(std::string_view("%%%"), path_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("PARLEY_MASTER_KEY is not valid base64"), std::string::npos);
  auto shortKey = loadMasterKey(std::string_view("AAECAw=="), path_);
  ASSERT_FALSE(shortKey.ok());
  EXPECT_NE(shortKey.error().message().find("decodes to 4 bytes"), std::string::npos);
  auto empty = loadMasterKey(std::string_view(""), path_);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message().find("is empty"), std::string::npos);
  EXPECT_FALSE(fs::exists(path_));  // nothing generated behind the operator's back
}

}  // namespace
}  // namespace parley::vault
