// The listening side of the HTTP server: acceptor, I/O threads, TLS context, graceful stop. The
// per-connection protocol is in connection.cc.
//
// Threads: `options.threads` threads run one io_context. The acceptor has its own strand; each
// accepted socket gets a new strand (see connection.cc), so connections run in parallel and
// each one's state needs no lock.
#include "http/server.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <future>
#include <optional>
#include <thread>

#include "base/threads.h"
#include "base/write_batch.h"
#include "http/connection.h"

namespace parley::http {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;

namespace detail {

bool ServerContext::add(uint64_t& id, const std::shared_ptr<ConnectionBase>& connection) {
  std::lock_guard lock(mutex);
  if (draining) return false;
  id = ++nextId;
  connections.emplace(id, connection);
  return true;
}

void ServerContext::remove(uint64_t id) {
  std::lock_guard lock(mutex);
  if (connections.erase(id) && connections.empty()) allClosed.notify_all();
}

std::vector<std::shared_ptr<ConnectionBase>> ServerContext::snapshot() {
  std::lock_guard lock(mutex);
  std::vector<std::shared_ptr<ConnectionBase>> out;
  for (auto& [id, weak] : connections) {
    if (auto c = weak.lock()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace detail

namespace {

// How many handlers one burst of an I/O thread runs at most before its batched writes go out:
// bounds how long a queued invocation waits (a handler is a few microseconds).
constexpr int kHandlersPerBurst = 64;

// Offers only HTTP/1.1 through ALPN, so that a client preferring h2 falls back cleanly.
int selectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

Result<std::unique_ptr<ssl::context>> makeTlsContext(const ServerOptions& options) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_alpn_select_cb(ctx->native_handle(), selectAlpn, nullptr);
  ErrorCode ec;
  ctx->use_certificate_chain_file(options.tlsCertFile, ec);
  if (ec) {
    return Error::invalidArgument("TLS certificate " + options.tlsCertFile + ": " + ec.message());
  }
  ctx->use_private_key_file(options.tlsKeyFile, ssl::context::pem, ec);
  if (ec) return Error::invalidArgument("TLS key " + options.tlsKeyFile + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    return Error::invalidArgument("TLS key " + options.tlsKeyFile +
                                  " does not match the certificate");
  }
  return ctx;
}

Result<tcp::endpoint> resolveListenAddress(asio::io_context& ioc, const ServerOptions& options) {
  std::string host = options.host.empty() ? "0.0.0.0" : options.host;
  // "[::1]" as in URLs.
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  ErrorCode ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, options.port);
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(options.port),
                                  tcp::resolver::passive | tcp::resolver::address_configured, ec);
  if (ec || results.empty()) {
    return Error::invalidArgument("cannot resolve listen host " + host + ": " +
                                  (ec ? ec.message() : "no address"));
  }
  return results.begin()->endpoint();
}

class ServerImpl final : public Server {
 public:
  ServerImpl(ServerOptions options, Handler handler)
      : ioc_(threadCount(options)),
        acceptStrand_(asio::make_strand(ioc_)),
        acceptor_(acceptStrand_) {
    context_.limits.maxBodyBytes = options.maxBodyBytes;
    context_.options = std::move(options);
    context_.handler = std::move(handler);
  }

  ~ServerImpl() override { stop(); }

  Status listen() {
    const ServerOptions& options = context_.options;
    if (!options.tlsCertFile.empty() || !options.tlsKeyFile.empty()) {
      if (options.tlsCertFile.empty() || options.tlsKeyFile.empty()) {
        return Error::invalidArgument("TLS needs both a certificate and a key file");
      }
      auto tls = makeTlsContext(options);
      if (!tls.ok()) return std::move(tls).takeError();
      tls_ = std::move(tls).value();
    }
    auto endpoint = resolveListenAddress(ioc_, options);
    if (!endpoint.ok()) return std::move(endpoint).takeError();

    ErrorCode ec;
    auto fail = [&](const char* what) {
      return Error::unavailable("cannot listen on " + endpoint->address().to_string() + " port " +
                                std::to_string(options.port) + ": " + what + ": " + ec.message());
    };
    acceptor_.open(endpoint->protocol(), ec);
    if (ec) return fail("open");
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (ec) return fail("SO_REUSEADDR");
    acceptor_.bind(*endpoint, ec);
    if (ec) return fail("bind");
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen");
    port_ = acceptor_.local_endpoint(ec).port();
    if (ec) return fail("local address");
    return okStatus();
  }

  void run() {
    asio::co_spawn(acceptStrand_, acceptLoop(), asio::detached);
    int n = threadCount(context_.options);
    running_ = n;
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back([this] { threadMain(); });
      nameThread(threads_.back(), "parley-http");
    }
  }

  uint16_t port() const override { return port_; }

  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    if (threads_.empty()) return;  // never started
    context_.draining = true;
    const auto drainTimeout = context_.options.drainTimeout;

    // 1. Stop accepting: once this returns, connecting is refused.
    auto closed = std::make_shared<std::promise<void>>();
    asio::post(acceptStrand_, [this, closed] {
      ErrorCode ec;
      acceptor_.close(ec);
      closed->set_value();
    });
    closed->get_future().wait_for(drainTimeout);

    // 2. Let requests in flight finish; idle connections close at once.
    for (auto& c : context_.snapshot()) c->drain();
    waitForConnections(drainTimeout);
    // 3. Whatever is left after drainTimeout is cut off.
    for (auto& c : context_.snapshot()) c->forceClose();
    waitForConnections(std::chrono::seconds(1));

    // 4. From now on, answers and stream writes from other threads are dropped: the io_context
    // is about to go away.
    {
      std::unique_lock lock(context_.gate->mutex);
      context_.gate->open = false;
    }
    // 5. Let the I/O threads run out of work (closed connections finish their coroutines), then
    // stop them; a handler blocking an I/O thread is the only reason to need ioc_.stop().
    work_.reset();
    {
      std::unique_lock lock(runningMutex_);
      runningDone_.wait_for(lock, std::chrono::seconds(2), [this] { return running_ == 0; });
    }
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }

 private:
  static int threadCount(const ServerOptions& options) {
    if (options.threads > 0) return options.threads;
    return std::max(1u, std::thread::hardware_concurrency());
  }

  void threadMain() {
    for (;;) {
      try {
        runInBursts();
        break;
      } catch (const std::exception& e) {
        // Handlers catch their own errors; this is a bug, but one connection's bug must not take
        // the server down.
        std::fprintf(stderr, "parley http: exception on an I/O thread: %s\n", e.what());
      }
    }
    std::lock_guard lock(runningMutex_);
    if (--running_ == 0) runningDone_.notify_all();
  }

  // ioc_.run(), with a write batch (base/write_batch.h) around each burst: the handler one
  // wake-up runs and whatever else is ready by then, up to kHandlersPerBurst. Invocations the
  // burst's requests start reach their runtime process in one write when the burst ends, or
  // sooner when the burst runs long (WriteBatch::afterItem).
  void runInBursts() {
    for (;;) {
      WriteBatch batch;
      if (ioc_.run_one() == 0) return;  // stopped, or out of work
      int64_t start = WriteBatch::nowUs();  // one clock reading per handler: its end starts the next
      for (int i = 1; i < kHandlersPerBurst; ++i) {
        if (ioc_.poll_one() == 0) break;
        const int64_t end = WriteBatch::nowUs();
        batch.afterItem(start, end);
        start = end;
      }
    }
  }

  void waitForConnections(std::chrono::milliseconds timeout) {
    std::unique_lock lock(context_.mutex);
    context_.allClosed.wait_for(lock, timeout, [this] { return context_.connections.empty(); });
  }

  asio::awaitable<void> acceptLoop() {
    constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
    for (;;) {
      detail::Strand strand = asio::make_strand(ioc_);
      tcp::socket socket(strand);
      auto [ec] = co_await acceptor_.async_accept(socket, kNoThrow);
      if (!acceptor_.is_open() || ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // Out of descriptors or memory: wait a moment instead of spinning on the error.
        asio::steady_timer pause(acceptStrand_, std::chrono::milliseconds(50));
        co_await pause.async_wait(kNoThrow);
        continue;
      }
      detail::startConnection(context_, strand, std::move(socket), tls_.get());
    }
  }

  // Declared first: connections refer to the context and the TLS context until the io_context
  // destroys the last of them.
  detail::ServerContext context_;
  std::unique_ptr<ssl::context> tls_;
  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      ioc_.get_executor()};
  detail::Strand acceptStrand_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::mutex runningMutex_;
  std::condition_variable runningDone_;
  int running_ = 0;  // guarded by runningMutex_
  uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::start(ServerOptions options, Handler handler) {
  if (!handler) return Error::invalidArgument("HTTP server needs a handler");
  auto server = std::make_unique<ServerImpl>(std::move(options), std::move(handler));
  Status listening = server->listen();
  if (!listening.ok()) return std::move(listening).takeError();
  server->run();
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace parley::http
