// A small blocking HTTP/1.1 client over real sockets, plain or TLS, for the HTTP tests. It sends
// raw bytes (so that tests can pipeline, send garbage or stop mid-request) and parses responses
// itself. Every read gives up after a generous timeout, so that a server bug fails a test
// instead of hanging it. Not thread-safe; one per test thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace parley::http::test {

struct ClientResponse {
  int status = 0;
  std::string reason;
  Headers headers;
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has(const std::string& name) const { return headers.count(name) > 0; }
};

class TestClient {
 public:
  static constexpr std::chrono::milliseconds kTimeout{10'000};

  // Connects to host:port (IPv4 or IPv6 literal); with `tls`, performs a TLS handshake with it.
  // Null when the connection (or handshake) fails.
  static std::unique_ptr<TestClient> connect(uint16_t port, const std::string& host = "127.0.0.1",
                                             SSL_CTX* tls = nullptr) {
    sockaddr_storage addr{};
    socklen_t len = 0;
    int family = host.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    if (family == AF_INET6) {
      auto* a6 = reinterpret_cast<sockaddr_in6*>(&addr);
      a6->sin6_family = AF_INET6;
      a6->sin6_port = htons(port);
      if (inet_pton(AF_INET6, host.c_str(), &a6->sin6_addr) != 1) return nullptr;
      len = sizeof *a6;
    } else {
      auto* a4 = reinterpret_cast<sockaddr_in*>(&addr);
      a4->sin_family = AF_INET;
      a4->sin_port = htons(port);
      if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) != 1) return nullptr;
      len = sizeof *a4;
    }
    int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return nullptr;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
      ::close(fd);
      return nullptr;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::unique_ptr<TestClient> client(new TestClient(fd));
    client->setTimeout(kTimeout);
    if (tls) {
      client->ssl_ = SSL_new(tls);
      SSL_set_fd(client->ssl_, fd);
      SSL_set_tlsext_host_name(client->ssl_, "localhost");
      if (SSL_connect(client->ssl_) != 1) return nullptr;
    }
    return client;
  }

  ~TestClient() { close(); }

  SSL* ssl() const { return ssl_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
                       : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads the status line and header fields of the next response.
  std::optional<ClientResponse> readHead() {
    size_t end;
    while ((end = in_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string head = in_.substr(0, end + 2);
    in_.erase(0, end + 4);
    ClientResponse r;
    size_t lineEnd = head.find("\r\n");
    std::string statusLine = head.substr(0, lineEnd);
    if (statusLine.rfind("HTTP/1.", 0) != 0 || statusLine.size() < 12) return std::nullopt;
    r.status = std::stoi(statusLine.substr(9, 3));
    r.reason = statusLine.size() > 13 ? statusLine.substr(13) : "";
    size_t pos = lineEnd + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      std::string line = head.substr(pos, e - pos);
      pos = e + 2;
      size_t colon = line.find(':');
      if (colon == std::string::npos) return std::nullopt;
      size_t v = line.find_first_not_of(' ', colon + 1);
      r.headers.emplace(line.substr(0, colon), v == std::string::npos ? "" : line.substr(v));
    }
    chunked_ = r.header("Transfer-Encoding") == "chunked";
    return r;
  }

  // Reads a whole response. `head`: the request was HEAD, so no body follows.
  std::optional<ClientResponse> read(bool head = false) {
    auto r = readHead();
    if (!r) return std::nullopt;
    if (head || r->status < 200 || r->status == 204 || r->status == 304) return r;
    if (chunked_) {
      while (auto chunk = readChunk()) r->body += *chunk;
      if (!chunksEnded_) return std::nullopt;
    } else if (r->has("Content-Length")) {
      size_t n = std::stoul(r->header("Content-Length"));
      while (in_.size() < n) {
        if (!fill()) return std::nullopt;
      }
      r->body = in_.substr(0, n);
      in_.erase(0, n);
    } else {
      while (fill()) {
      }
      r->body = std::move(in_);
      in_.clear();
    }
    return r;
  }

  // The next chunk of a chunked body; nullopt at its end (chunksEnded() is then true) or when the
  // connection fails.
  std::optional<std::string> readChunk() {
    chunksEnded_ = false;
    size_t lineEnd;
    while ((lineEnd = in_.find("\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    size_t size = std::stoul(in_.substr(0, lineEnd), nullptr, 16);
    in_.erase(0, lineEnd + 2);
    while (in_.size() < size + 2) {
      if (!fill()) return std::nullopt;
    }
    std::string data = in_.substr(0, size);
    in_.erase(0, size + 2);
    if (size == 0) {
      chunksEnded_ = true;
      return std::nullopt;
    }
    return data;
  }
  bool chunksEnded() const { return chunksEnded_; }

  // Waits until the server closes the connection; false if it is still open after `timeout`.
  // Bytes that arrive meanwhile are kept for the read functions.
  bool waitClosed(std::chrono::milliseconds timeout = kTimeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      setTimeout(std::max(left, std::chrono::milliseconds(1)));
      ReadResult result = readSome();
      if (result == ReadResult::kClosed) {
        setTimeout(kTimeout);
        return true;
      }
      if (result == ReadResult::kTimeout) break;
    }
    setTimeout(kTimeout);
    return false;
  }

  // Bytes received but not parsed yet.
  const std::string& pending() const { return in_; }

  // Closes the connection (without TLS close_notify, like a client that just goes away).
  void close() {
    if (ssl_) {
      SSL_free(ssl_);
      ssl_ = nullptr;
    }
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  // Half-closes: the server sees end of input, the client can still read.
  void shutdownWrite() { ::shutdown(fd_, SHUT_WR); }

 private:
  enum class ReadResult { kData, kClosed, kTimeout };

  explicit TestClient(int fd) : fd_(fd) {}

  void setTimeout(std::chrono::milliseconds t) {
    timeval tv{};
    tv.tv_sec = t.count() / 1000;
    tv.tv_usec = (t.count() % 1000) * 1000;
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  ReadResult readSome() {
    char buf[16384];
    ssize_t n;
    if (ssl_) {
      n = SSL_read(ssl_, buf, sizeof buf);
      if (n <= 0) {
        int err = SSL_get_error(ssl_, static_cast<int>(n));
        if (err == SSL_ERROR_WANT_READ ||
            (err == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK))) {
          return ReadResult::kTimeout;
        }
        return ReadResult::kClosed;
      }
    } else {
      n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ReadResult::kTimeout;
      if (n <= 0) return ReadResult::kClosed;
    }
    in_.append(buf, static_cast<size_t>(n));
    return ReadResult::kData;
  }

  bool fill() { return readSome() == ReadResult::kData; }

  int fd_;
  SSL* ssl_ = nullptr;
  std::string in_;
  bool chunked_ = false;
  bool chunksEnded_ = false;
};

}  // namespace parley::http::test
