// One HTTP/1.1 connection, plain or TLS.
//
// Why C++20 coroutines (asio::awaitable) rather than callback chains: a connection is two
// sequential loops — read and parse requests, write responses in order — plus a TLS handshake
// and stream pumping. As coroutines each loop reads top to bottom, its state lives in its frame,
// and there is no hand-written state machine whose continuation could be forgotten on an error
// path. Deadlines stay callbacks (steady_timer waits) because they interrupt the loops rather
// than being steps of them.
//
// Threading: every connection has a strand; both loops, the deadline callbacks and all the
// connection's state live on it, so nothing here takes a lock. Handlers are called on the strand
// (an I/O thread) and may answer from any thread: Respond and ResponseStream post to the strand.
//
// Pipelining and ordering: the reader appends an Exchange per request to `queue_` in request
// order and calls the handler; responses fill their Exchange whenever they arrive; the writer
// only ever writes the front of the queue, and waits (on `wake_`) until the front is ready. So
// responses leave in request order whatever order handlers answer in. At most kMaxPipelined
// exchanges are queued: past that the reader stops reading (TCP backpressure).
//
// Closing: after a response that ends the connection (error, "Connection: close", HTTP/1.0,
// stop()), the writer half-closes and the reader discards what still arrives until the client
// closes or a short linger expires. Closing with unread input would make the kernel send a RST,
// which can destroy the final response before the client read it.
#include "http/connection.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <deque>
#include <functional>
#include <mutex>
#include <type_traits>
#include <utility>

#include "http/response_writer.h"

namespace parley::http::detail {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxPipelined = 32;
constexpr std::size_t kReadChunk = 16 * 1024;
// A stream whose client reads slower than the producer writes is cut off past this much
// buffered data: the producer sees write() return false.
constexpr std::size_t kMaxStreamBuffered = 4 << 20;
constexpr std::chrono::milliseconds kMaxLinger{2000};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

// State a stream shares with its producer's ResponseStream.
struct StreamShared {
  std::atomic<bool> open{true};          // false: write() returns false
  std::atomic<std::size_t> buffered{0};  // bytes written by the producer, not yet sent
  // whenWritable(): the producer waiting for `buffered` to fall to `lowWater`.
  std::mutex waitMu;
  std::function<void()> resume;  // Guarded by waitMu
  std::size_t lowWater = 0;      // Guarded by waitMu

  // The waiting producer's resume when `buffered` is low enough now (taken), else empty.
  std::function<void()> takeResumeIfWritable() {
    std::lock_guard lock(waitMu);
    if (!resume || buffered.load() > lowWater) return {};
    return std::exchange(resume, {});
  }
  // The stream ended: a waiting producer is released without being resumed.
  void dropResume() {
    std::function<void()> dropped;
    std::lock_guard lock(waitMu);
    dropped = std::exchange(resume, {});
  }
};

// One request and its response. Strand only, except that Responder and StreamImpl hold
// references to pass it back to the strand.
struct Exchange {
  enum class Kind { kResponse, kContinue };
  Kind kind = Kind::kResponse;
  unsigned version = 11;
  bool head = false;                 // HEAD: headers only
  bool closeAfter = false;           // close the connection after this response
  bool keepAlive10 = false;          // HTTP/1.0 client that asked for keep-alive
  bool ready = false;                // the response has arrived
  std::shared_ptr<Request> request;  // what the handler sees; released when it answers
  Response response;
  // Streamed responses, once started.
  std::shared_ptr<StreamShared> stream;
  std::deque<std::string> chunks;  // written by the producer, not yet sent
  bool streamEnded = false;        // the producer closed the stream
};

namespace {

// Posts f(connection) to the connection's strand, if the connection still exists and the
// server's io_context still runs. Returns false when the post was dropped.
template <typename F>
bool postTo(const std::weak_ptr<ConnectionBase>& weak, PostGate& gate, F&& f) {
  std::shared_lock lock(gate.mutex);
  if (!gate.open) return false;
  std::shared_ptr<ConnectionBase> connection = weak.lock();
  if (!connection) return false;
  Strand strand = connection->strand();
  // The strong reference travels with the posted function, so that the connection is released
  // on its strand, not on this thread.
  asio::post(strand, [c = std::move(connection), f = std::forward<F>(f)]() mutable { f(*c); });
  return true;
}

// Shared by all copies of one request's Respond function: the first call wins; if every copy is
// dropped without a call (a handler bug), the client still gets an answer (500) instead of a
// connection stuck behind a request that will never be answered.
class Responder {
 public:
  Responder(std::weak_ptr<ConnectionBase> connection, std::shared_ptr<PostGate> gate,
            std::shared_ptr<Exchange> exchange)
      : connection_(std::move(connection)),
        gate_(std::move(gate)),
        exchange_(std::move(exchange)) {}
  ~Responder() {
    if (!done_.load()) respond(errorResponse(500, "internal", "the handler did not answer"));
  }

  void respond(Response response) {
    if (done_.exchange(true)) return;
    postTo(connection_, *gate_,
           [ex = exchange_, r = std::move(response)](ConnectionBase& c) mutable {
             c.onResponse(ex, std::move(r));
           });
  }

 private:
  std::weak_ptr<ConnectionBase> connection_;
  std::shared_ptr<PostGate> gate_;
  std::shared_ptr<Exchange> exchange_;
  std::atomic<bool> done_{false};
};

class StreamImpl final : public ResponseStream {
 public:
  StreamImpl(std::weak_ptr<ConnectionBase> connection, std::shared_ptr<PostGate> gate,
             std::shared_ptr<Exchange> exchange, std::shared_ptr<StreamShared> shared)
      : connection_(std::move(connection)),
        gate_(std::move(gate)),
        exchange_(std::move(exchange)),
        shared_(std::move(shared)) {}
  // A producer that lets go of the stream ends it.
  ~StreamImpl() override { close(); }

  bool write(std::string data) override {
    if (!shared_->open.load()) return false;
    if (data.empty()) return true;
    std::size_t buffered = shared_->buffered.fetch_add(data.size()) + data.size();
    if (buffered > kMaxStreamBuffered) {
      close();
      return false;
    }
    bool posted = postTo(connection_, *gate_,
                         [ex = exchange_, d = std::move(data)](ConnectionBase& c) mutable {
                           c.onStreamData(ex, std::move(d));
                         });
    if (!posted) shared_->open = false;
    return posted;
  }

  void close() override {
    if (closed_.exchange(true)) return;
    shared_->open = false;
    shared_->dropResume();
    postTo(connection_, *gate_, [ex = exchange_](ConnectionBase& c) { c.onStreamEnd(ex); });
  }

  void whenWritable(std::size_t lowWater, std::function<void()> resume) override {
    {
      std::lock_guard lock(shared_->waitMu);
      if (!shared_->open.load()) return;  // `resume` is dropped
      shared_->resume = std::move(resume);
      shared_->lowWater = lowWater;
    }
    // Already writable: resume from the strand (never inside this call). The pump checks again
    // after each write, so a resume is never lost.
    if (auto now = shared_->takeResumeIfWritable()) {
      postTo(connection_, *gate_, [now = std::move(now)](ConnectionBase&) { now(); });
    }
  }

 private:
  std::weak_ptr<ConnectionBase> connection_;
  std::shared_ptr<PostGate> gate_;
  std::shared_ptr<Exchange> exchange_;
  std::shared_ptr<StreamShared> shared_;
  std::atomic<bool> closed_{false};
};

bool isEndOfStream(const ErrorCode& ec) {
  // A TLS client that closes without close_notify reads as stream_truncated: for a server whose
  // messages are self-delimiting that is an ordinary end of input.
  return ec == asio::error::eof || ec == ssl::error::stream_truncated;
}

template <typename Stream>
class Connection final : public ConnectionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Connection(ServerContext& server, Strand strand, Stream stream, std::string remote)
      : ConnectionBase(strand),
        server_(server),
        stream_(std::move(stream)),
        remote_(std::move(remote)),
        parser_(server.limits),
        wake_(strand),
        readerWake_(strand),
        readTimer_(strand),
        writeTimer_(strand),
        lingerTimer_(strand) {
    wake_.expires_at(Clock::time_point::max());
    readerWake_.expires_at(Clock::time_point::max());
  }
  ~Connection() override { server_.remove(id_); }

  void start(uint64_t id) {
    id_ = id;
    auto self = std::static_pointer_cast<Connection>(shared_from_this());
    asio::co_spawn(strand(), run(self), onCoroutineExit(self));
  }

  void drain() override {
    asio::post(strand(), [self = shared_from_this(), this] { beginDrain(); });
  }
  void forceClose() override {
    asio::post(strand(), [self = shared_from_this(), this] { closeNow(); });
  }

  void onResponse(const std::shared_ptr<Exchange>& ex, Response response) override {
    if (closed_) return;
    ex->request.reset();
    sanitizeStatus(response);
    ex->response = std::move(response);
    ex->ready = true;
    wakeWriter();
  }

  void onStreamData(const std::shared_ptr<Exchange>& ex, std::string data) override {
    if (closed_ || !ex->stream || ex->streamEnded) return;
    ex->chunks.push_back(std::move(data));
    wakeWriter();
  }

  void onStreamEnd(const std::shared_ptr<Exchange>& ex) override {
    if (closed_) return;
    ex->streamEnded = true;
    wakeWriter();
  }

 private:
  enum class Deadline { kNone, kHandshake, kIdle, kRequest };

  // The coroutines end by returning; an exception (bad_alloc, a bug) closes the connection.
  static auto onCoroutineExit(std::shared_ptr<Connection> self) {
    Strand strand = self->strand();
    return asio::bind_executor(strand, [self = std::move(self)](std::exception_ptr e) {
      if (e) self->closeNow();
    });
  }

  tcp::socket& lowest() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  // --- the two loops -------------------------------------------------------------------------

  asio::awaitable<void> run(std::shared_ptr<Connection> self) {
    if (closed_) co_return;
    if constexpr (kTls) {
      setReadDeadline(Deadline::kHandshake, Clock::now() + server_.options.requestTimeout);
      auto [ec] = co_await stream_.async_handshake(ssl::stream_base::server, kNoThrow);
      setReadDeadline(Deadline::kNone, {});
      if (ec || closed_) {
        closeNow();
        co_return;
      }
    }
    if (server_.draining) draining_ = true;
    idleSince_ = Clock::now();
    asio::co_spawn(strand(), writer(self), onCoroutineExit(self));
    co_await reader();
  }

  asio::awaitable<void> reader() {
    readerActive_ = true;
    struct Exit {
      bool& active;
      ~Exit() { active = false; }
    } exit{readerActive_};

    while (!closed_ && !stopReading_) {
      parseBuffered();
      if (closed_ || stopReading_) break;
      if (queue_.size() >= kMaxPipelined) {
        co_await readerWake_.async_wait(kNoThrow);  // woken when the writer pops
        continue;
      }
      const bool wasInProgress = requestInProgress();
      readerWaiting_ = true;
      updateReadDeadline();
      auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kNoThrow);
      readerWaiting_ = false;
      if (closed_) co_return;
      if (ec) {
        if (!isEndOfStream(ec)) {
          closeNow();
          co_return;
        }
        // The client sent all it will send. What is in flight is still answered (a client may
        // half-close after its last request); a request cut short is not.
        peerEof_ = true;
        stopReadingNow();
        break;
      }
      buffer_.commit(n);
      if (!wasInProgress && n > 0) requestStart_ = Clock::now();
    }
    updateReadDeadline();
    if (closed_) co_return;
    if (peerEof_) {
      if (writerFinished_) closeNow();  // else the writer closes when it is done
      co_return;
    }

    // No more requests: discard input until the client closes (see the top of the file).
    std::array<char, 4096> sink;
    for (;;) {
      auto [ec, n] = co_await stream_.async_read_some(asio::buffer(sink), kNoThrow);
      if (closed_) co_return;
      if (ec) {
        if (isEndOfStream(ec)) {
          peerEof_ = true;
          if (writerFinished_) closeNow();
        } else {
          closeNow();
        }
        co_return;
      }
    }
  }

  asio::awaitable<void> writer(std::shared_ptr<Connection> self) {
    for (;;) {
      while (!closed_ && (queue_.empty() || !queue_.front()->ready)) {
        if (queue_.empty() && stopReading_) break;
        co_await wake_.async_wait(kNoThrow);
      }
      if (closed_) co_return;
      if (queue_.empty()) break;  // no more requests will come

      std::shared_ptr<Exchange> ex = queue_.front();
      bool last = false;
      if (ex->kind == Exchange::Kind::kContinue) {
        if (!co_await writeAll(asio::buffer(kContinue))) co_return;
      } else {
        last = co_await writeResponse(ex);
        if (closed_) co_return;
      }
      queue_.pop_front();
      readerWake_.cancel();
      if (queue_.empty() && !requestInProgress()) idleSince_ = Clock::now();
      updateReadDeadline();
      if (last) {
        stopReadingNow();
        break;
      }
    }
    finishWriting();
  }

  // Writes one response; returns whether the connection closes after it.
  asio::awaitable<bool> writeResponse(std::shared_ptr<Exchange> ex) {
    Response& r = ex->response;
    const bool streamed = static_cast<bool>(r.stream) && statusAllowsBody(r.status);
    bool last = ex->closeAfter || responseWantsClose(r) || (stopReading_ && queue_.size() == 1);

    ResponseHeadOptions head;
    head.version = ex->version;
    if (streamed) {
      head.framing = ex->version >= 11 ? BodyFraming::kChunked : BodyFraming::kUntilClose;
      if (head.framing == BodyFraming::kUntilClose) last = true;
    } else if (!statusAllowsBody(r.status)) {
      head.framing = BodyFraming::kNone;
    } else {
      head.framing = BodyFraming::kContentLength;
      head.contentLength = r.body.size();
    }
    head.connection = last              ? ConnectionHeader::kClose
                      : ex->keepAlive10 ? ConnectionHeader::kKeepAlive
                                        : ConnectionHeader::kNone;
    std::string headBytes = serializeResponseHead(r, head);

    if (!streamed) {
      const bool withBody = !ex->head && head.framing == BodyFraming::kContentLength;
      std::array<asio::const_buffer, 2> buffers{
          asio::buffer(headBytes), withBody ? asio::buffer(r.body) : asio::const_buffer()};
      co_await writeAll(buffers);
      co_return last;
    }
    if (!co_await writeAll(asio::buffer(headBytes))) co_return last;
    if (ex->head) co_return last;  // HEAD: the producer is not started
    co_await pumpStream(ex, head.framing == BodyFraming::kChunked);
    co_return last;
  }

  // Starts the producer and writes what it produces until it closes the stream, the client goes
  // away or the server stops.
  asio::awaitable<void> pumpStream(std::shared_ptr<Exchange> ex, bool chunked) {
    auto shared = std::make_shared<StreamShared>();
    ex->stream = shared;
    if (draining_) shared->open = false;
    // However the pump ends (client gone, connection closed, server stopping), a producer
    // waiting in whenWritable() is released.
    struct ReleaseWaiter {
      StreamShared& s;
      ~ReleaseWaiter() {
        s.open = false;
        s.dropResume();
      }
    } releaseWaiter{*shared};
    {
      auto stream = std::make_shared<StreamImpl>(weak_from_this(), server_.gate, ex, shared);
      auto produce = std::move(ex->response.stream);
      try {
        produce(stream);
      } catch (...) {
        stream->close();
      }
    }  // a producer that did not keep the stream has closed it now

    for (;;) {
      while (!closed_ && ex->chunks.empty() && !ex->streamEnded && !peerEof_ && !draining_) {
        co_await wake_.async_wait(kNoThrow);
      }
      if (closed_) co_return;
      if (peerEof_) {  // the client is gone
        closeNow();
        co_return;
      }
      if (ex->chunks.empty()) break;  // ended by the producer or by stop()
      std::string out;
      std::size_t raw = 0;
      for (const std::string& chunk : ex->chunks) {
        raw += chunk.size();
        if (chunked) {
          appendChunk(out, chunk);
        } else {
          out += chunk;
        }
      }
      ex->chunks.clear();
      bool ok = co_await writeAll(asio::buffer(out));
      shared->buffered.fetch_sub(raw);
      if (!ok) co_return;
      if (auto resume = shared->takeResumeIfWritable()) asio::post(strand(), std::move(resume));
    }
    shared->open = false;
    shared->dropResume();
    ex->streamEnded = true;
    if (chunked) co_await writeAll(asio::buffer(kLastChunk));
  }

  template <typename Buffers>
  asio::awaitable<bool> writeAll(Buffers buffers) {
    setWriteDeadline(true);
    auto [ec, n] = co_await asio::async_write(stream_, buffers, kNoThrow);
    setWriteDeadline(false);
    if (ec || closed_) {
      closeNow();
      co_return false;
    }
    co_return true;
  }

  // --- requests ------------------------------------------------------------------------------

  bool requestInProgress() const { return parser_.inProgress() || buffer_.size() > 0; }

  // Parses what is buffered and dispatches complete requests, up to the pipelining limit.
  void parseBuffered() {
    while (!closed_ && !stopReading_ && buffer_.size() > 0 && queue_.size() < kMaxPipelined) {
      auto data = buffer_.data();
      std::size_t used =
          parser_.feed(std::string_view(static_cast<const char*>(data.data()), data.size()));
      buffer_.consume(used);
      if (parser_.takeContinue()) {
        auto ex = std::make_shared<Exchange>();
        ex->kind = Exchange::Kind::kContinue;
        ex->ready = true;
        queue_.push_back(std::move(ex));
        wakeWriter();
      }
      switch (parser_.status()) {
        case RequestParser::Status::kComplete:
          dispatch(parser_.take());
          if (buffer_.size() > 0) requestStart_ = Clock::now();
          continue;
        case RequestParser::Status::kFailed: {
          const ParseFailure& f = parser_.failure();
          enqueueError(f.status, f.code, f.message);
          return;
        }
        case RequestParser::Status::kNeedMore:
          return;
      }
    }
  }

  void dispatch(ParsedRequest parsed) {
    auto ex = std::make_shared<Exchange>();
    ex->version = parsed.version;
    ex->head = parsed.request.method == "HEAD";
    ex->closeAfter = !parsed.keepAlive || draining_;
    ex->keepAlive10 = parsed.version < 11 && parsed.keepAlive;
    auto request = std::make_shared<Request>(std::move(parsed.request));
    request->remoteAddress = remote_;
    request->secure = kTls;
    ex->request = request;
    queue_.push_back(ex);
    if (ex->closeAfter) stopReadingNow();

    auto responder = std::make_shared<Responder>(weak_from_this(), server_.gate, ex);
    try {
      server_.handler(*request, [responder](Response r) { responder->respond(std::move(r)); });
    } catch (const std::exception& e) {
      responder->respond(
          errorResponse(500, "internal", std::string("handler failed: ") + e.what()));
    } catch (...) {
      responder->respond(errorResponse(500, "internal", "handler failed"));
    }
  }

  void enqueueError(int status, std::string_view code, std::string_view message) {
    auto ex = std::make_shared<Exchange>();
    ex->closeAfter = true;
    ex->ready = true;
    ex->response = errorResponse(status, code, message);
    queue_.push_back(std::move(ex));
    stopReadingNow();
  }

  // --- state changes -------------------------------------------------------------------------

  void wakeWriter() { wake_.cancel(); }

  // No further request is read: the reader goes on only to discard input.
  void stopReadingNow() {
    stopReading_ = true;
    readerWake_.cancel();
    wakeWriter();
    updateReadDeadline();
  }

  void beginDrain() {
    if (closed_ || draining_) return;
    draining_ = true;
    for (auto& ex : queue_) {
      if (ex->stream) ex->stream->open = false;  // producers stop; what they wrote is flushed
    }
    if (queue_.empty() && !requestInProgress()) {
      closeNow();
      return;
    }
    // A request being received is still read and answered (up to requestTimeout).
    if (!requestInProgress()) stopReadingNow();
    wakeWriter();
  }

  // The last response is written.
  void finishWriting() {
    writerFinished_ = true;
    if (closed_) return;
    if (peerEof_ || !readerActive_) {
      closeNow();
      return;
    }
    ErrorCode ec;
    lowest().shutdown(tcp::socket::shutdown_send, ec);
    lingerTimer_.expires_after(
        std::min<Clock::duration>(kMaxLinger, server_.options.requestTimeout));
    lingerTimer_.async_wait([weak = weak_from_this()](ErrorCode e) {
      if (e) return;
      if (auto self = weak.lock()) static_cast<Connection&>(*self).closeNow();
    });
  }

  void closeNow() {
    if (closed_) return;
    closed_ = true;
    ErrorCode ec;
    lowest().close(ec);
    readTimer_.cancel();
    writeTimer_.cancel();
    lingerTimer_.cancel();
    wake_.cancel();
    readerWake_.cancel();
    for (auto& ex : queue_) {
      if (ex->stream) ex->stream->open = false;
    }
    queue_.clear();
    server_.remove(id_);
  }

  // --- deadlines -----------------------------------------------------------------------------

  // The read deadline follows the connection's state: while the reader waits for bytes, a
  // request partly received must complete by requestStart_ + requestTimeout, and a connection
  // with nothing in flight closes at idleSince_ + idleTimeout. While handlers work there is none.
  void updateReadDeadline() {
    if (closed_) return;
    if (!readerWaiting_ || stopReading_) {
      setReadDeadline(Deadline::kNone, {});
    } else if (requestInProgress()) {
      setReadDeadline(Deadline::kRequest, requestStart_ + server_.options.requestTimeout);
    } else if (queue_.empty()) {
      setReadDeadline(Deadline::kIdle, idleSince_ + server_.options.idleTimeout);
    } else {
      setReadDeadline(Deadline::kNone, {});
    }
  }

  void setReadDeadline(Deadline kind, Clock::time_point at) {
    if (kind == readDeadline_ && (kind == Deadline::kNone || at == readDeadlineAt_)) return;
    readDeadline_ = kind;
    readDeadlineAt_ = at;
    ++readGen_;
    if (kind == Deadline::kNone) {
      readTimer_.cancel();
      return;
    }
    readTimer_.expires_at(at);
    readTimer_.async_wait([weak = weak_from_this(), gen = readGen_](ErrorCode ec) {
      if (ec) return;
      if (auto self = weak.lock()) static_cast<Connection&>(*self).onReadDeadline(gen);
    });
  }

  void onReadDeadline(uint64_t gen) {
    if (closed_ || gen != readGen_) return;
    Deadline kind = readDeadline_;
    readDeadline_ = Deadline::kNone;
    switch (kind) {
      case Deadline::kNone:
        return;
      case Deadline::kHandshake:
      case Deadline::kIdle:
        closeNow();
        return;
      case Deadline::kRequest:
        enqueueError(408, "request_timeout",
                     "request not received within " +
                         std::to_string(server_.options.requestTimeout.count()) + " ms");
        return;
    }
  }

  // A write that makes no progress for idleTimeout means a client that stopped reading.
  void setWriteDeadline(bool on) {
    ++writeGen_;
    if (!on) {
      writeTimer_.cancel();
      return;
    }
    writeTimer_.expires_after(server_.options.idleTimeout);
    writeTimer_.async_wait([weak = weak_from_this(), gen = writeGen_](ErrorCode ec) {
      if (ec) return;
      auto self = weak.lock();
      if (!self) return;
      auto& c = static_cast<Connection&>(*self);
      if (gen == c.writeGen_) c.closeNow();
    });
  }

  // Immutable after start.
  ServerContext& server_;
  Stream stream_;
  const std::string remote_;
  uint64_t id_ = 0;

  // Strand only.
  RequestParser parser_;
  boost::beast::flat_buffer buffer_;  // received, not yet parsed
  std::deque<std::shared_ptr<Exchange>> queue_;
  asio::steady_timer wake_;        // the writer waits on it; cancel() wakes it
  asio::steady_timer readerWake_;  // the reader waits on it while the queue is full
  asio::steady_timer readTimer_;
  asio::steady_timer writeTimer_;
  asio::steady_timer lingerTimer_;
  Deadline readDeadline_ = Deadline::kNone;
  Clock::time_point readDeadlineAt_{};
  uint64_t readGen_ = 0;
  uint64_t writeGen_ = 0;
  Clock::time_point requestStart_{};
  Clock::time_point idleSince_{};
  bool readerActive_ = false;    // the reader coroutine runs
  bool readerWaiting_ = false;   // ...and waits for bytes
  bool stopReading_ = false;     // no more requests are accepted on this connection
  bool peerEof_ = false;         // the client closed its side
  bool writerFinished_ = false;  // the last response is written
  bool draining_ = false;        // the server is stopping
  bool closed_ = false;
};

std::string addressString(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

template <typename Stream>
void launch(ServerContext& server, Strand strand, Stream stream, std::string remote) {
  auto connection =
      std::make_shared<Connection<Stream>>(server, strand, std::move(stream), std::move(remote));
  uint64_t id = 0;
  if (!server.add(id, connection)) return;  // stopping: the socket closes with the connection
  connection->start(id);
}

}  // namespace

void startConnection(ServerContext& server, Strand strand, tcp::socket socket, ssl::context* tls) {
  ErrorCode ec;
  // Small responses and SSE events should leave at once, not wait for Nagle.
  socket.set_option(tcp::no_delay(true), ec);
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  std::string remote = addressString(endpoint.address());
  if (tls) {
    launch(server, strand, ssl::stream<tcp::socket>(std::move(socket), *tls), std::move(remote));
  } else {
    launch(server, strand, std::move(socket), std::move(remote));
  }
}

}  // namespace parley::http::detail
