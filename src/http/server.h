// HTTP/1.1 server on Boost.Beast + Asio: keep-alive, pipelining (answered in order), optional
// TLS, request size limits, graceful shutdown.
//
// - Each connection reads a request, hands it to `handler` and writes the response when the
//   handler calls Respond (from any thread), in request order. Up to 32 requests of one
//   connection may be in flight; past that the server stops reading from it until some are
//   answered. The Request passed to the handler stays valid until Respond is called. A handler
//   that throws, or drops every copy of Respond without calling it, answers 500.
// - Every response gets Content-Length (or chunked Transfer-Encoding for streams), Date and
//   Server: parley; the server owns Content-Length, Transfer-Encoding and Connection. A HEAD
//   request reaches the handler as "HEAD" (Router falls back to the GET route) and its answer
//   is sent without body. "Connection: close" from the client or in the handler's response
//   closes the connection after that response.
// - Streamed responses (Response::stream): the headers go out when the response's turn comes,
//   then the stream function is called (on an I/O thread; it must not block) with the stream.
//   HEAD requests get the headers only and the function is not called.
// - Limits: headers ≤ 64 KiB (431), body ≤ maxBodyBytes (413; decided from Content-Length before
//   the body is read, and while reading a chunked body), idle keep-alive connections closed
//   after idleTimeout, a request not received completely within requestTimeout → 408 (also
//   the bound for a TLS handshake), a client that does not read a response for idleTimeout is
//   disconnected. Malformed requests → 400. Each of these answers with the JSON error shape
//   {"error": {"code", "message"}} and closes the connection.
// - TLS (1.2 and later, ALPN http/1.1) when tlsCertFile (PEM chain) and tlsKeyFile are set.
// - stop(): stops accepting (new connections are refused once it gets going), lets requests in
//   flight finish (up to `drainTimeout`; open streams are ended at once: their write() returns
//   false), closes idle connections, then stops the I/O threads and returns. After stop(),
//   Respond and stream writes are silently dropped.
// Thread-safety: start/stop from one thread, never from a handler or an I/O thread (stop joins
// them); the handler is called on the server's I/O threads, concurrently for different
// connections, and must not block.
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
