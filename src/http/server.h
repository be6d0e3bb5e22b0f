// HTTP/1.1 server on Boost.Beast + Asio: keep-alive, pipelining (answered in order), optional
// TLS, request size limits, graceful shutdown.
//
// - Each connection reads a request, hands it to `handler` and writes the response when the
//   handler calls Respond (from any thread), in request order.
// - Limits: headers ≤ 64 KiB (431), body ≤ maxBodyBytes (413), idle keep-alive connections
//   closed after idleTimeout, a request not received completely within requestTimeout → 408.
//   Malformed requests → 400. Each of these answers with the JSON error shape
//   {"error": {"code", "message"}} and closes the connection.
// - stop(): stops accepting, lets requests in flight finish (up to `drainTimeout`), closes
//   idle connections, then returns.
// Thread-safety: start/stop from one thread; the handler is called on the server's I/O threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "http/message.h"

namespace parley::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see Server::port())
  std::string tlsCertFile;  // PEM; TLS when both are set
  std::string tlsKeyFile;
  int threads = 0;  // I/O threads; 0: one per core
  int64_t maxBodyBytes = 8LL << 20;
  std::chrono::milliseconds idleTimeout{60'000};
  std::chrono::milliseconds requestTimeout{30'000};
  std::chrono::milliseconds drainTimeout{30'000};
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> start(ServerOptions options, Handler handler);
  virtual ~Server() = default;
  virtual uint16_t port() const = 0;  // the bound port
  virtual void stop() = 0;            // graceful; idempotent
};

}  // namespace parley::http
