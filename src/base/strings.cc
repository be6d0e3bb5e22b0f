#include "base/strings.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace parley {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::string toHex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

namespace {

// Counts forks (a pthread_atfork handler in the child), so a pool can tell it was copied into a
// child without a getpid() system call per id.
std::atomic<uint64_t> forkGeneration{1};

uint64_t currentForkGeneration() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    pthread_atfork(nullptr, nullptr, [] { forkGeneration.fetch_add(1); });
  });
  return forkGeneration.load(std::memory_order_relaxed);
}

// Random bytes for ids from a per-thread buffer refilled 4 KiB at a time from OpenSSL's CSPRNG:
// one RAND_bytes call per id cost more than the rest of making it. Refilled after a fork, so a
// child never hands out its parent's bytes. (posix_spawn runs no fork handlers, but its child
// runs nothing of ours before exec.)
void idRandomBytes(unsigned char* out, size_t n) {
  struct Pool {
    std::array<unsigned char, 4096> bytes;
    size_t used = 4096;
    uint64_t generation = 0;
  };
  thread_local Pool pool;
  uint64_t generation = currentForkGeneration();
  if (pool.used + n > pool.bytes.size() || pool.generation != generation) {
    RAND_bytes(pool.bytes.data(), static_cast<int>(pool.bytes.size()));
    pool.used = 0;
    pool.generation = generation;
  }
  std::memcpy(out, pool.bytes.data() + pool.used, n);
  OPENSSL_cleanse(pool.bytes.data() + pool.used, n);  // handed out once
  pool.used += n;
}

std::string formatUuid(std::array<unsigned char, 16>& b, unsigned char version) {
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | (version << 4));
  b[8] = (b[8] & 0x3f) | 0x80;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t o = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    if (o == 8 || o == 13 || o == 18 || o == 23) ++o;
    out[o++] = kDigits[b[i] >> 4];
    out[o++] = kDigits[b[i] & 15];
  }
  return out;
}

}  // namespace

std::string randomUuid() {
  std::array<unsigned char, 16> b{};
  idRandomBytes(b.data(), b.size());
  return formatUuid(b, 4);
}

std::string timeOrderedUuid(int64_t unixMs) {
  std::array<unsigned char, 16> b{};
  idRandomBytes(b.data() + 6, 10);
  auto ms = static_cast<uint64_t>(unixMs);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  return formatUuid(b, 7);
}

void appendJsonEscaped(std::string& out, std::string_view s, bool upperHex) {
  const char* digits = upperHex ? "0123456789ABCDEF" : "0123456789abcdef";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += digits[(static_cast<unsigned char>(c) >> 4) & 0xF];
          out += digits[static_cast<unsigned char>(c) & 0xF];
        } else {
          out += c;
        }
    }
  }
}

}  // namespace parley
