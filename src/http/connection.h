// Internal to the HTTP server: one client connection, and the state the server shares with its
// connections. See server.h for the behaviour and connection.cc for how it is built.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/request_parser.h"
#include "http/server.h"

namespace parley::http::detail {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

// Threads outside the server (handlers answering later, stream producers) post work to a
// connection's strand. They may do so only while the io_context exists: the server closes the
// gate before it stops and destroys the io_context, and a post that finds it closed is dropped.
struct PostGate {
  std::shared_mutex mutex;
  bool open = true;  // guarded by mutex
};

class ConnectionBase;

// What the server shares with its connections. Owned by the server; outlives every connection
// (connections are destroyed with the io_context at the latest).
struct ServerContext {
  // Immutable after construction.
  ServerOptions options;
  Handler handler;
  ParseLimits limits;
  std::shared_ptr<PostGate> gate = std::make_shared<PostGate>();

  // Set once by stop(): connections answer what is in flight and close.
  std::atomic<bool> draining{false};

  // Open connections, so that stop() can drain them and wait for them.
  std::mutex mutex;
  std::condition_variable allClosed;                              // open connections reached 0
  std::map<uint64_t, std::weak_ptr<ConnectionBase>> connections;  // guarded by mutex
  uint64_t nextId = 0;                                            // guarded by mutex

  // Registers a connection; false once draining (the caller then drops it).
  bool add(uint64_t& id, const std::shared_ptr<ConnectionBase>& connection);
  void remove(uint64_t id);
  std::vector<std::shared_ptr<ConnectionBase>> snapshot();
};

struct Exchange;  // one request and its response, in request order (connection.cc)

// The part of a connection the server and other threads see. drain() and forceClose() are
// thread-safe (they post to the connection's strand); the on*() methods run on the strand only
// (Respond and ResponseStream post them there).
class ConnectionBase : public std::enable_shared_from_this<ConnectionBase> {
 public:
  virtual ~ConnectionBase() = default;
  const Strand& strand() const { return strand_; }

  // Finish the requests in flight (streams are ended), then close. Idle: close now.
  virtual void drain() = 0;
  virtual void forceClose() = 0;

  virtual void onResponse(const std::shared_ptr<Exchange>& exchange, Response response) = 0;
  virtual void onStreamData(const std::shared_ptr<Exchange>& exchange, std::string data) = 0;
  virtual void onStreamEnd(const std::shared_ptr<Exchange>& exchange) = 0;

 protected:
  explicit ConnectionBase(Strand strand) : strand_(std::move(strand)) {}

 private:
  const Strand strand_;
};

// Takes an accepted socket (whose executor is `strand`) and serves it, over TLS when `tls` is
// set. The connection keeps itself alive through its own asynchronous operations.
void startConnection(ServerContext& server, Strand strand, boost::asio::ip::tcp::socket socket,
                     boost::asio::ssl::context* tls);

}  // namespace parley::http::detail
