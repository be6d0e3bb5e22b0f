#include "vault/master_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/strings.h"

namespace parley::vault {
namespace {

constexpr size_t kMaxKeyFileBytes = 4096;
constexpr const char* kGenerateHint = "generate one with: head -c 32 /dev/urandom | base64";

std::string errnoText(int err) {
  return std::strerror(err);
}

std::string octalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Decodes base64 in any of libsodium's four variants into a wiped-after-use buffer and returns a
// key, or an error naming `what` (never echoing the text).
Result<MasterKey> decodeBase64Key(std::string_view text, const std::string& what) {
  text = trim(text);
  if (text.empty()) return Error::invalidArgument(what + " is empty; " + kGenerateHint);
  std::string buf(text.size(), '\0');
  static constexpr int kVariants[] = {
      sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
      sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
  std::optional<size_t> decoded;
  for (int variant : kVariants) {
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(buf.data()), buf.size(), text.data(),
                          text.size(), " \t\r\n", &len, nullptr, variant) == 0) {
      decoded = len;
      break;
    }
  }
  if (!decoded) {
    sodium_memzero(buf.data(), buf.size());
    return Error::invalidArgument(what + " is not valid base64; " + kGenerateHint);
  }
  if (*decoded != kKeyBytes) {
    sodium_memzero(buf.data(), buf.size());
    return Error::invalidArgument(what + " decodes to " + std::to_string(*decoded) +
                                  " bytes; a master key is 32 bytes (" + kGenerateHint + ")");
  }
  auto key = MasterKey::fromBytes(std::string_view(buf.data(), kKeyBytes));
  sodium_memzero(buf.data(), buf.size());
  return key;
}

std::string parentDirectory(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

enum class ReadOutcome { kRead, kMissing };

// Reads the key file through one descriptor (permissions are checked on what is actually read).
Result<ReadOutcome> readKeyFile(const std::string& path, std::string& contents) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return ReadOutcome::kMissing;
    return Error::internal("Cannot open the master key file '" + path + "': " + errnoText(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Error::internal("Cannot stat the master key file '" + path + "': " + errnoText(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error::failedPrecondition("The master key file '" + path + "' is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Error::failedPrecondition(
        "The master key file '" + path + "' has mode " + octalMode(st.st_mode) +
        ", which lets group or others access it; refusing to use it. Fix it with: chmod 600 '" +
        path + "'");
  }
  contents.assign(kMaxKeyFileBytes + 1, '\0');
  size_t got = 0;
  while (got < contents.size()) {
    ssize_t n = ::read(fd, contents.data() + got, contents.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      sodium_memzero(contents.data(), contents.size());
      return Error::internal("Cannot read the master key file '" + path + "': " + errnoText(err));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got > kMaxKeyFileBytes) {
    sodium_memzero(contents.data(), contents.size());
    return Error::invalidArgument("The master key file '" + path + "' is too large to be a key");
  }
  contents.resize(got);
  return ReadOutcome::kRead;
}

Result<MasterKey> parseKeyFile(const std::string& path, std::string& contents) {
  const bool raw = contents.size() == kKeyBytes;
  const bool blank = trim(contents).empty();
  auto key = raw ? MasterKey::fromBytes(contents)
                 : decodeBase64Key(contents, "The master key file '" + path + "'");
  sodium_memzero(contents.data(), contents.size());
  if (!key.ok() && !raw && !blank) {
    // Name both accepted forms; decodeBase64Key only knows about base64.
    return Error::invalidArgument(std::move(key).takeError().message() +
                                  " (the file must hold 32 raw bytes or base64 of 32 bytes)");
  }
  return key;
}

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Writes a new key to `path` atomically (see the header). Returns kAlreadyExists when another
// process created the file first.
Status writeNewKeyFile(const std::string& path, const MasterKey& key) {
  unsigned char suffix[8];
  randombytes_buf(suffix, sizeof suffix);
  std::string tmp =
      path + ".tmp-" + toHex(std::string_view(reinterpret_cast<char*>(suffix), sizeof suffix));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Error::internal("Cannot create the master key file '" + path + "': " + errnoText(errno));
  }
  std::string text = key.toBase64() + "\n";
  bool ok = ::fchmod(fd, 0600) == 0;  // in case the umask removed the owner's bits
  ok = ok && writeAll(fd, text);
  ok = ok && ::fsync(fd) == 0;
  int err = errno;
  sodium_memzero(text.data(), text.size());
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Error::internal("Cannot write the master key file '" + path + "': " + errnoText(err));
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  err = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (err == EEXIST) return Error::alreadyExists(path);
    return Error::internal("Cannot create the master key file '" + path + "': " + errnoText(err));
  }
  std::string dir = parentDirectory(path);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || ::fsync(dfd) != 0) {
    err = errno;
    if (dfd >= 0) ::close(dfd);
    return Error::internal("Cannot sync the directory '" + dir +
                           "' of the new master key file: " + errnoText(err));
  }
  ::close(dfd);
  return okStatus();
}

}  // namespace

MasterKey::MasterKey() = default;

void MasterKey::computeId() {
  unsigned char hash[crypto_generichash_BYTES];  // BLAKE2b-256
  crypto_generichash(hash, sizeof hash, key_.data(), kKeyBytes, nullptr, 0);
  id_ = toHex(std::string_view(reinterpret_cast<const char*>(hash), 8));
}

Result<MasterKey> MasterKey::fromBytes(std::string_view raw) {
  if (!ensureSodium()) return Error::internal("libsodium failed to initialise");
  if (raw.size() != kKeyBytes) {
    return Error::invalidArgument("A master key is 32 bytes, not " + std::to_string(raw.size()));
  }
  MasterKey key;
  std::memcpy(key.key_.data(), raw.data(), kKeyBytes);
  key.computeId();
  return key;
}

Result<MasterKey> MasterKey::fromBase64(std::string_view text) {
  if (!ensureSodium()) return Error::internal("libsodium failed to initialise");
  return decodeBase64Key(text, "The master key");
}

MasterKey MasterKey::generate() {
  if (!ensureSodium()) std::abort();  // no randomness: nothing safe to do
  MasterKey key;
  randombytes_buf(key.key_.data(), kKeyBytes);
  key.computeId();
  return key;
}

std::string MasterKey::toBase64() const {
  std::string out(sodium_base64_ENCODED_LEN(kKeyBytes, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), key_.data(), kKeyBytes, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

const char* masterKeySourceName(MasterKeySource source) {
  switch (source) {
    case MasterKeySource::kEnvironment:
      return "environment";
    case MasterKeySource::kFile:
      return "file";
    case MasterKeySource::kGenerated:
      return "generated";
  }
  return "?";
}

Result<LoadedMasterKey> loadMasterKey(const std::string& keyFilePath) {
  const char* env = std::getenv(kMasterKeyEnvVar);
  return loadMasterKey(env ? std::optional<std::string_view>(env) : std::nullopt, keyFilePath);
}

Result<LoadedMasterKey> loadMasterKey(std::optional<std::string_view> envValue,
                                      const std::string& keyFilePath) {
  if (!ensureSodium()) return Error::internal("libsodium failed to initialise");
  if (envValue) {
    auto key =
        decodeBase64Key(*envValue, std::string("The environment variable ") + kMasterKeyEnvVar);
    if (!key.ok()) return std::move(key).takeError();
    return LoadedMasterKey{std::move(key).value(), MasterKeySource::kEnvironment};
  }
  if (keyFilePath.empty()) {
    return Error::invalidArgument(std::string("No master key: set ") + kMasterKeyEnvVar +
                                  " or name a key file");
  }
  // Two rounds: if another process creates the file between our read and our write, read theirs.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string contents;
    auto read = readKeyFile(keyFilePath, contents);
    if (!read.ok()) return std::move(read).takeError();
    if (*read == ReadOutcome::kRead) {
      auto key = parseKeyFile(keyFilePath, contents);
      if (!key.ok()) return std::move(key).takeError();
      return LoadedMasterKey{std::move(key).value(), MasterKeySource::kFile};
    }
    MasterKey key = MasterKey::generate();
    Status written = writeNewKeyFile(keyFilePath, key);
    if (written.ok()) return LoadedMasterKey{std::move(key), MasterKeySource::kGenerated};
    if (written.error().code() != ErrorCode::kAlreadyExists) return std::move(written).takeError();
  }
  return Error::internal("The master key file '" + keyFilePath + "' keeps appearing and vanishing");
}

Result<std::optional<MasterKey>> readMasterKeyFile(const std::string& path) {
  if (!ensureSodium()) return Error::internal("libsodium failed to initialise");
  std::string contents;
  auto read = readKeyFile(path, contents);
  if (!read.ok()) return std::move(read).takeError();
  if (*read != ReadOutcome::kRead) return std::optional<MasterKey>();
  auto key = parseKeyFile(path, contents);
  if (!key.ok()) return std::move(key).takeError();
  return std::optional<MasterKey>(std::move(key).value());
}

Status createMasterKeyFile(const std::string& path, const MasterKey& key) {
  return writeNewKeyFile(path, key);
}

MasterKey copyMasterKey(const MasterKey& key) {
  auto copy = MasterKey::fromBytes(
      std::string_view(reinterpret_cast<const char*>(key.data()), kKeyBytes));
  return std::move(copy).value();  // 32 bytes always make a key
}

}  // namespace parley::vault
