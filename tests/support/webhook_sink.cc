#include "support/webhook_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace parley::testing {

WebhookSink::WebhookSink(std::string secret) : secret_(std::move(secret)) {
  listenFd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listenFd_, 64) != 0) {
    throw std::runtime_error("webhook sink: cannot listen");
  }
  socklen_t len = sizeof addr;
  getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

WebhookSink::~WebhookSink() {
  stopping_ = true;
  ::shutdown(listenFd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listenFd_);
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(mu_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    connections.swap(connections_);
  }
  for (auto& t : connections) t.join();
}

std::string WebhookSink::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
}

void WebhookSink::acceptLoop() {
  while (!stopping_) {
    pollfd p{listenFd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int fd = ::accept(listenFd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    fds_.push_back(fd);
    connections_.emplace_back([this, fd] {
      serve(fd);
      std::lock_guard done(mu_);
      std::erase(fds_, fd);
      ::close(fd);
    });
  }
}

void WebhookSink::serve(int fd) {
  std::string buffer;
  char chunk[65536];
  for (;;) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;  // closed (the fd is closed by the destructor's shutdown path)
      buffer.append(chunk, static_cast<size_t>(n));
    }
    SinkRequest req;
    std::string head = buffer.substr(0, end);
    size_t lineEnd = head.find("\r\n");
    std::string requestLine = head.substr(0, lineEnd);
    size_t sp1 = requestLine.find(' ');
    size_t sp2 = requestLine.find(' ', sp1 + 1);
    req.path = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t pos = lineEnd == std::string::npos ? head.size() : lineEnd + 2;
    while (pos < head.size()) {
      size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(pos, next - pos);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        req.headers[name] = value;
      }
      pos = next + 2;
    }
    size_t length = req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
    buffer.erase(0, end + 4);
    while (buffer.size() < length) {
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    req.body = buffer.substr(0, length);
    buffer.erase(0, length);
    req.signatureValid = !secret_.empty() &&
                         verifySignature(secret_, req.headers["x-parley-signature"], req.body);
    int status = 200;
    {
      std::lock_guard lock(mu_);
      if (statusFor_) status = statusFor_(req);
      requests_.push_back(req);
    }
    std::string response = "HTTP/1.1 " + std::to_string(status) +
                           (status == 200 ? " OK" : " Error") + "\r\nContent-Length: 0\r\n\r\n";
    if (::send(fd, response.data(), response.size(), MSG_NOSIGNAL) < 0) return;
  }
}

bool WebhookSink::verifySignature(const std::string& secret, const std::string& header,
                                  const std::string& body) {
  // t=<seconds>,v1=<hex>
  size_t t = header.find("t=");
  size_t v = header.find(",v1=");
  if (t != 0 || v == std::string::npos) return false;
  std::string ts = header.substr(2, v - 2);
  std::string given = header.substr(v + 4);
  std::string signedText = ts + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signedText.data()), signedText.size(), mac, &len);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", mac[i]);
    hex += byte;
  }
  return hex.size() == given.size() && CRYPTO_memcmp(hex.data(), given.data(), hex.size()) == 0;
}

std::vector<SinkRequest> WebhookSink::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<SinkRequest> WebhookSink::requestsSince(size_t from) const {
  std::lock_guard lock(mu_);
  if (from >= requests_.size()) return {};
  return std::vector<SinkRequest>(requests_.begin() + static_cast<std::ptrdiff_t>(from),
                                  requests_.end());
}

size_t WebhookSink::count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

std::vector<nlohmann::json> WebhookSink::bodies() const {
  std::vector<nlohmann::json> out;
  for (const auto& r : requests()) out.push_back(nlohmann::json::parse(r.body, nullptr, false));
  return out;
}

bool WebhookSink::waitFor(const std::function<bool(const std::vector<SinkRequest>&)>& done,
                          int timeoutMs) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done(requests())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done(requests());
}

void WebhookSink::setStatusFor(std::function<int(const SinkRequest&)> statusFor) {
  std::lock_guard lock(mu_);
  statusFor_ = std::move(statusFor);
}

}  // namespace parley::testing
