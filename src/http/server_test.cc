// The HTTP server over real sockets on 127.0.0.1, port 0. No test asserts a duration: timeouts
// below are either the server's own (short, to exercise them) or generous bounds on "eventually".
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "http/router.h"
#include "http/test_client.h"

namespace parley::http {
namespace {

using test::TestClient;
using namespace std::chrono_literals;

std::unique_ptr<Server> startServer(Handler handler, ServerOptions options = {}) {
  options.port = 0;
  if (options.threads == 0) options.threads = 2;
  auto started = Server::start(std::move(options), std::move(handler));
  if (!started.ok()) {
    ADD_FAILURE() << started.error().message();
    return nullptr;
  }
  return std::move(started).value();
}

Handler echoHandler() {
  return [](Request& req, Respond respond) {
    Response r = Response::text(200, req.method + " " + req.path + " " + req.body);
    respond(std::move(r));
  };
}

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

// Collects Respond functions so that a test can answer from its own thread, in any order.
class PendingResponses {
 public:
  void add(Request& req, Respond respond) {
    std::lock_guard lock(mutex_);
    pending_.push_back({req.path, std::move(respond)});
    changed_.notify_all();
  }
  // Waits until `n` requests arrived (false after a generous timeout).
  bool waitFor(size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return pending_.size() >= n; });
  }
  std::vector<std::pair<std::string, Respond>> take() {
    std::lock_guard lock(mutex_);
    return std::move(pending_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::string, Respond>> pending_;
};

void expectJsonError(const test::ClientResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_NE(r.body.find("\"code\":\"" + code + "\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"message\":"), std::string::npos) << r.body;
}

TEST(Server, RoutesThroughTheRouter) {
  Router router;
  router.add("GET", "/things/{id}", [](Request& req, Respond respond) {
    respond(Response::text(200, "thing " + req.param("id")));
  });
  router.add("GET", "/things/special",
             [](Request&, Respond respond) { respond(Response::text(200, "special")); });
  router.add("POST", "/things/{id}",
             [](Request&, Respond respond) { respond(Response::text(201, "created")); });
  auto server = startServer(
      [&router](Request& req, Respond respond) { router.dispatch(req, std::move(respond)); });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client);

  ASSERT_TRUE(client->send(get("/things/special")));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "special");

  ASSERT_TRUE(client->send(get("/things/a%20b%25/")));
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "thing a b%");

  ASSERT_TRUE(client->send(get("/nothing/here")));
  r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 404, "not_found");

  ASSERT_TRUE(client->send("DELETE /things/1 HTTP/1.1\r\nHost: test\r\n\r\n"));
  r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 405, "method_not_allowed");
  EXPECT_EQ(r->header("Allow"), "GET, HEAD, POST");

  // Routing errors keep the connection; malformed escapes close it.
  ASSERT_TRUE(client->send(get("/things/%zz")));
  r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 400, "bad_request");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(client->waitClosed());

  client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/things/a%00b")));
  r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 400, "bad_request");
}

TEST(Server, FillsRequestFields) {
  std::promise<Request> seen;
  auto server = startServer([&](Request& req, Respond respond) {
    seen.set_value(req);
    respond(Response::json(200, "{}"));
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(
      client->send("post /p%41th?a=1&b=x+y HTTP/1.1\r\nHost: test\r\nX-Thing: v\r\n"
                   "Content-Length: 4\r\n\r\nbody"));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Server"), "parley");
  EXPECT_FALSE(r->header("Date").empty());
  EXPECT_EQ(r->header("Content-Length"), "2");
  Request req = seen.get_future().get();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/p%41th?a=1&b=x+y");
  EXPECT_EQ(req.path, "/pAth");
  EXPECT_EQ(req.queryParam("b"), "x y");
  EXPECT_EQ(req.header("x-thing"), "v");
  EXPECT_EQ(req.body, "body");
  EXPECT_EQ(req.remoteAddress, "127.0.0.1");
  EXPECT_FALSE(req.secure);
}

TEST(Server, KeepAliveServesManyRequestsOnOneConnection) {
  auto server = startServer(echoHandler());
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client->send(get("/n" + std::to_string(i))));
    auto r = client->read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "GET /n" + std::to_string(i) + " ");
    EXPECT_FALSE(r->has("Connection"));
  }
  // HTTP/1.0 keep-alive is answered in kind.
  ASSERT_TRUE(client->send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Connection"), "keep-alive");
  ASSERT_TRUE(client->send(get("/still-open")));
  EXPECT_TRUE(client->read());
}

TEST(Server, PipelinedResponsesLeaveInRequestOrder) {
  PendingResponses pending;
  auto server =
      startServer([&](Request& req, Respond respond) { pending.add(req, std::move(respond)); });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/1") + get("/2") + get("/3")));
  ASSERT_TRUE(pending.waitFor(3));
  // Answer from another thread, last request first.
  std::thread answerer([responses = pending.take()]() mutable {
    for (auto it = responses.rbegin(); it != responses.rend(); ++it) {
      it->second(Response::text(200, it->first));
      std::this_thread::sleep_for(20ms);  // let each answer reach the server on its own
    }
  });
  for (const char* expected : {"/1", "/2", "/3"}) {
    auto r = client->read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, expected);
  }
  answerer.join();
}

TEST(Server, ManyPipelinedRequestsAreAllAnswered) {
  // More than the server keeps in flight per connection: it must pause reading, not drop.
  auto server = startServer(echoHandler());
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  std::string batch;
  for (int i = 0; i < 200; ++i) batch += get("/r" + std::to_string(i));
  ASSERT_TRUE(client->send(batch));
  for (int i = 0; i < 200; ++i) {
    auto r = client->read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "GET /r" + std::to_string(i) + " ");
  }
}

TEST(Server, BodyOverLimitByContentLengthIs413WithoutReadingIt) {
  std::atomic<bool> called{false};
  ServerOptions options;
  options.maxBodyBytes = 1024;
  auto server = startServer(
      [&](Request&, Respond respond) {
        called = true;
        respond(Response::text(200, "no"));
      },
      options);
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  // Only the header: the answer must not wait for a body that will never come.
  ASSERT_TRUE(client->send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n"));
  auto r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 413, "payload_too_large");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(client->waitClosed());
  EXPECT_FALSE(called);

  // A body at the limit is fine.
  client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
                           std::string(1024, 'x')));
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(Server, ChunkedBodyOverLimitIs413) {
  ServerOptions options;
  options.maxBodyBytes = 1024;
  auto server = startServer(echoHandler(), options);
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  // Keep sending chunks; the server answers once the total passes the limit.
  for (int i = 0; i < 10; ++i) {
    if (!client->send("c8\r\n" + std::string(200, 'x') + "\r\n")) break;  // it may close first
  }
  auto r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 413, "payload_too_large");
  EXPECT_TRUE(client->waitClosed());

  // Under the limit, a chunked body reaches the handler whole.
  client = TestClient::connect(server->port());
  ASSERT_TRUE(
      client->send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /up abcde");
}

TEST(Server, HugeHeaderIs431) {
  auto server = startServer(echoHandler());
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(70 * 1024, 'a') +
                           "\r\n\r\n"));
  auto r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 431, "headers_too_large");
  EXPECT_TRUE(client->waitClosed());
}

TEST(Server, GarbageIs400AndCloses) {
  auto server = startServer(echoHandler());
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send("\x16\x03\x01 this is not http\r\n\r\n"));
  auto r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 400, "bad_request");
  EXPECT_TRUE(client->waitClosed());
}

TEST(Server, ErrorsComeAfterEarlierPipelinedResponses) {
  auto server = startServer(echoHandler());
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/ok") + "BAD REQUEST LINE\r\n\r\n" + get("/never")));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(client->waitClosed());
  EXPECT_TRUE(client->pending().empty());
}

TEST(Server, SlowPartialRequestIs408) {
  ServerOptions options;
  options.requestTimeout = 300ms;
  auto server = startServer(echoHandler(), options);
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send("GET /slow HTTP/1.1\r\nHost: t\r\n"));
  auto r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 408, "request_timeout");
  EXPECT_TRUE(client->waitClosed());
}

TEST(Server, IdleConnectionsAreClosed) {
  ServerOptions options;
  options.idleTimeout = 200ms;
  auto server = startServer(echoHandler(), options);
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/once")));
  ASSERT_TRUE(client->read());
  EXPECT_TRUE(client->waitClosed());
  // A connection that never sends anything too.
  auto silent = TestClient::connect(server->port());
  EXPECT_TRUE(silent->waitClosed());
}

TEST(Server, HeadAnswersLikeGetWithoutBody) {
  Router router;
  router.add("GET", "/doc",
             [](Request&, Respond respond) { respond(Response::text(200, "hello")); });
  auto server =
      startServer([&](Request& req, Respond respond) { router.dispatch(req, std::move(respond)); });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send("HEAD /doc HTTP/1.1\r\nHost: t\r\n\r\n" + get("/doc")));
  auto head = client->read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), "5");
  // Had the HEAD response carried a body, this would read "hello" as a status line.
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
}

TEST(Server, ConnectionCloseIsHonoured) {
  auto server = startServer(echoHandler());
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/bye", "Connection: close\r\n") + get("/ignored")));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /bye ");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(client->waitClosed());
  EXPECT_TRUE(client->pending().empty());

  // HTTP/1.0 without keep-alive closes too.
  client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send("GET /old HTTP/1.0\r\n\r\n"));
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(client->waitClosed());

  // So does a handler that asks for it.
  auto closing = startServer([](Request&, Respond respond) {
    Response resp = Response::text(200, "done");
    resp.headers.emplace("Connection", "close");
    respond(std::move(resp));
  });
  client = TestClient::connect(closing->port());
  ASSERT_TRUE(client->send(get("/x")));
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(client->waitClosed());
}

TEST(Server, HalfClosedClientStillGetsItsAnswer) {
  auto server = startServer([](Request& req, Respond respond) {
    std::thread([respond, path = req.path] {
      std::this_thread::sleep_for(50ms);
      respond(Response::text(200, path));
    }).detach();
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/a") + get("/b")));
  client->shutdownWrite();
  auto a = client->read();
  auto b = client->read();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "/a");
  EXPECT_EQ(b->body, "/b");
  EXPECT_TRUE(client->waitClosed());
}

TEST(Server, ExpectContinue) {
  auto server = startServer(echoHandler());
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(
      client->send("POST /c HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                   "Content-Length: 4\r\n\r\n"));
  auto interim = client->read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client->send("data"));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /c data");
}

TEST(Server, HandlerFailuresAnswer500) {
  auto server = startServer([](Request& req, Respond respond) {
    if (req.path == "/throw") throw std::runtime_error("boom");
    if (req.path == "/drop") return;  // never answers; every copy of respond is dropped
    respond(Response::text(200, "ok"));
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/throw") + get("/drop") + get("/fine")));
  auto r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 500, "internal");
  r = client->read();
  ASSERT_TRUE(r);
  expectJsonError(*r, 500, "internal");
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "ok");
}

TEST(Server, ServerSentEventsFromAnotherThread) {
  std::promise<std::shared_ptr<ResponseStream>> streamPromise;
  auto server = startServer([&](Request&, Respond respond) {
    Response r;
    r.headers.emplace("Content-Type", "text/event-stream");
    r.headers.emplace("Cache-Control", "no-cache");
    r.stream = [&streamPromise](std::shared_ptr<ResponseStream> stream) {
      streamPromise.set_value(std::move(stream));
    };
    respond(std::move(r));
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/events")));
  auto head = client->readHead();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Type"), "text/event-stream");
  EXPECT_EQ(head->header("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(head->has("Content-Length"));

  auto streamFuture = streamPromise.get_future();
  ASSERT_EQ(streamFuture.wait_for(10s), std::future_status::ready);
  std::atomic<bool> sawFalse{false};
  std::atomic<bool> clientGone{false};
  std::thread producer([stream = streamFuture.get(), &sawFalse, &clientGone] {
    for (int i = 1; i <= 3; ++i) {
      EXPECT_TRUE(stream->write("data: event " + std::to_string(i) + "\n\n"));
    }
    // Keep writing (heartbeats) until the server reports the client gone.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!stream->write(": heartbeat\n\n")) {
        sawFalse = true;
        EXPECT_TRUE(clientGone.load());
        return;
      }
      std::this_thread::sleep_for(10ms);
    }
  });

  std::string received;
  while (received.find("data: event 3\n\n") == std::string::npos) {
    auto chunk = client->readChunk();
    ASSERT_TRUE(chunk) << received;
    received += *chunk;
  }
  EXPECT_NE(received.find("data: event 1\n\ndata: event 2\n\ndata: event 3\n\n"),
            std::string::npos);
  clientGone = true;
  client->close();
  producer.join();
  EXPECT_TRUE(sawFalse);
}

TEST(Server, StreamClosedByProducerEndsTheBodyAndKeepsTheConnection) {
  auto server = startServer([](Request& req, Respond respond) {
    if (req.path != "/stream") {
      respond(Response::text(200, "after"));
      return;
    }
    Response r;
    r.stream = [](std::shared_ptr<ResponseStream> stream) {
      std::thread([stream] {
        stream->write("one ");
        stream->write("two");
        stream->close();
        EXPECT_FALSE(stream->write("late"));
      }).detach();
    };
    respond(std::move(r));
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/stream") + get("/next")));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "one two");
  r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "after");
}

// A producer that makes data faster than the client reads waits in whenWritable(): far more
// than the 4 MiB buffer cut-off goes through, whole and in order.
TEST(Server, WhenWritableLetsAProducerStreamMoreThanTheBufferLimit) {
  constexpr int kChunks = 200;  // 200 × 64 KiB = 12.5 MiB
  struct Producer : std::enable_shared_from_this<Producer> {
    std::shared_ptr<ResponseStream> stream;
    int next = 0;
    bool cutOff = false;
    void run() {
      for (int burst = 0; burst < 8 && next < kChunks; ++burst, ++next) {
        std::string chunk(64 * 1024, static_cast<char>('a' + next % 26));
        if (!stream->write(std::move(chunk))) {
          cutOff = true;
          return;
        }
      }
      if (next == kChunks) return stream->close();
      stream->whenWritable(128 * 1024, [self = shared_from_this()] { self->run(); });
    }
  };
  auto producer = std::make_shared<Producer>();
  auto server = startServer([producer](Request&, Respond respond) {
    Response r;
    r.stream = [producer](std::shared_ptr<ResponseStream> stream) {
      producer->stream = std::move(stream);
      producer->run();
    };
    respond(std::move(r));
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/export")));
  auto r = client->read();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->body.size(), static_cast<size_t>(kChunks) * 64 * 1024);
  for (int i = 0; i < kChunks; ++i) {
    ASSERT_EQ(r->body[static_cast<size_t>(i) * 64 * 1024], static_cast<char>('a' + i % 26)) << i;
  }
  EXPECT_FALSE(producer->cutOff);
}

// A producer waiting for a client that goes away is released (its resume dropped or its write
// refused), so it does not leak.
TEST(Server, WhenWritableReleasesTheProducerWhenTheClientLeaves) {
  struct Producer : std::enable_shared_from_this<Producer> {
    std::shared_ptr<ResponseStream> stream;
    std::promise<void>* released = nullptr;
    ~Producer() { released->set_value(); }
    void run() {
      if (!stream->write(std::string(1 << 20, 'x'))) return;
      stream->whenWritable(0, [self = shared_from_this()] { self->run(); });
    }
  };
  std::promise<void> released;
  auto server = startServer([&](Request&, Respond respond) {
    Response r;
    r.stream = [&](std::shared_ptr<ResponseStream> stream) {
      auto p = std::make_shared<Producer>();
      p->stream = std::move(stream);
      p->released = &released;
      p->run();
    };
    respond(std::move(r));
  });
  ASSERT_TRUE(server);
  {
    auto client = TestClient::connect(server->port());
    ASSERT_TRUE(client->send(get("/export")));
  }  // gone without reading
  EXPECT_EQ(released.get_future().wait_for(30s), std::future_status::ready);
}

TEST(Server, GracefulStopFinishesInFlightAndRefusesNewConnections) {
  PendingResponses pending;
  ServerOptions options;
  options.drainTimeout = 30s;  // generous: the test answers long before
  auto server = startServer(
      [&](Request& req, Respond respond) { pending.add(req, std::move(respond)); }, options);
  ASSERT_TRUE(server);
  const uint16_t port = server->port();
  auto busy = TestClient::connect(port);
  auto idle = TestClient::connect(port);
  ASSERT_TRUE(busy && idle);
  ASSERT_TRUE(busy->send(get("/slow")));
  ASSERT_TRUE(pending.waitFor(1));

  std::thread stopper([&] { server->stop(); });
  // New connections are refused once stop() is under way.
  bool refused = false;
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       std::chrono::steady_clock::now() < deadline;) {
    if (!TestClient::connect(port)) {
      refused = true;
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(refused);
  EXPECT_TRUE(idle->waitClosed());  // idle connections are closed at once

  // The request in flight is still answered, from another thread, and the connection closes.
  std::thread answerer([responses = pending.take()]() mutable {
    for (auto& [path, respond] : responses) respond(Response::text(200, "finished " + path));
  });
  auto r = busy->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "finished /slow");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(busy->waitClosed());
  busy->close();  // as a real client does: the server need not wait out its linger
  answerer.join();
  stopper.join();
  server->stop();  // idempotent
}

TEST(Server, StopEndsOpenStreamsAndDropsLateAnswers) {
  std::promise<std::shared_ptr<ResponseStream>> streamPromise;
  PendingResponses pending;
  auto server = startServer([&](Request& req, Respond respond) {
    if (req.path == "/later") {
      pending.add(req, std::move(respond));
      return;
    }
    Response r;
    r.stream = [&](std::shared_ptr<ResponseStream> s) { streamPromise.set_value(std::move(s)); };
    respond(std::move(r));
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/events")));
  ASSERT_TRUE(client->readHead());
  auto stream = streamPromise.get_future().get();
  ASSERT_TRUE(stream->write("data: x\n\n"));
  EXPECT_EQ(client->readChunk(), "data: x\n\n");

  server->stop();
  EXPECT_FALSE(stream->write("data: after stop\n\n"));
  EXPECT_FALSE(client->readChunk());
  EXPECT_TRUE(client->chunksEnded());  // the stream was ended cleanly
  server.reset();
  stream->close();  // after the server is gone: harmless
}

TEST(Server, RespondAfterServerDestroyedIsHarmless) {
  PendingResponses pending;
  ServerOptions options;
  options.drainTimeout = 100ms;  // the request below is never answered in time
  auto server = startServer(
      [&](Request& req, Respond respond) { pending.add(req, std::move(respond)); }, options);
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port());
  ASSERT_TRUE(client->send(get("/never")));
  ASSERT_TRUE(pending.waitFor(1));
  server.reset();  // drains for 100 ms, then cuts the connection
  EXPECT_TRUE(client->waitClosed());
  for (auto& [path, respond] : pending.take()) respond(Response::text(200, "too late"));
}

TEST(Server, ListensOnIpv6) {
  ServerOptions options;
  options.host = "::1";
  options.port = 0;
  options.threads = 1;
  auto started = Server::start(options, echoHandler());
  if (!started.ok()) GTEST_SKIP() << "no IPv6 loopback: " << started.error().message();
  auto client = TestClient::connect(started.value()->port(), "::1");
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send(get("/six")));
  auto r = client->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /six ");
}

TEST(Server, StartFailsCleanly) {
  auto first = startServer(echoHandler());
  ASSERT_TRUE(first);
  ServerOptions options;
  options.port = first->port();
  auto second = Server::start(options, echoHandler());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);

  options.port = 0;
  options.tlsCertFile = "/nonexistent/cert.pem";
  auto noCert = Server::start(options, echoHandler());
  ASSERT_FALSE(noCert.ok());
  EXPECT_EQ(noCert.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace parley::http
