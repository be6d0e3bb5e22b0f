// Outbound network against the real server and a real local HTTP server: the allowlist API by
// role, fetch from functions (methods, headers, bodies, redirects and their modes, abort), the
// refusals with their reasons (not on the allowlist, private address without
// --egress-allow-private, too large, timeout, rate limit), slow outbound requests not holding
// up other invocations, and requests ending with the invocation that started them.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "support/egress_fixture.h"

namespace parley::testing {
namespace {

using nlohmann::json;

class Egress : public ::testing::Test {
 protected:
  EgressFixture f{{"--egress-allow-private"}};
};

TEST_F(Egress, DomainsApiByRoleWithValidation) {
  HttpResult added = f.admin.call("POST", kDomains, {{"domain", "*.Example.com"}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()["domain"], "*.example.com");
  EXPECT_EQ(added.json()["createdBy"], "acme-Admin");

  HttpClient dev = f.server.loginAs("acme", "Developer");
  EXPECT_EQ(dev.call("POST", kDomains, {{"domain", "api.example.org"}}).status, 201);
  HttpClient viewer = f.server.loginAs("acme", "Viewer");
  HttpResult list = viewer.call("GET", kDomains);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json().size(), 2u);
  EXPECT_EQ(list.json()[0]["domain"], "*.example.com");
  EXPECT_EQ(list.json()[1]["domain"], "api.example.org");
  EXPECT_EQ(viewer.call("POST", kDomains, {{"domain", "x.example.net"}}).status, 403);
  EXPECT_EQ(viewer.call("DELETE", kDomains + "/api.example.org").status, 403);

  // Validation: 400 naming the problem.
  HttpResult bad = f.admin.call("POST", kDomains, {{"domain", "*.*.example.com"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("wildcard"), std::string::npos)
      << bad.body;
  bad = f.admin.call("POST", kDomains, {{"domain", "https://example.com/x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("without scheme"), std::string::npos) << bad.body;
  EXPECT_EQ(f.admin.call("POST", kDomains, {{"domain", "*.com"}}).status, 400);
  EXPECT_EQ(f.admin.call("POST", kDomains, json::object()).status, 400);
  EXPECT_EQ(f.admin.call("POST", kDomains, {{"domain", "API.example.org"}}).status, 409);

  EXPECT_EQ(dev.call("DELETE", kDomains + "/api.example.org").status, 200);
  EXPECT_EQ(dev.call("DELETE", kDomains + "/api.example.org").status, 404);
  EXPECT_EQ(f.admin.call("DELETE", kDomains + "/*.example.com").status, 200);
  EXPECT_TRUE(f.admin.call("GET", kDomains).json().empty());

  // Another account's allowlist is not found.
  f.server.addAccountWithUsers("other", {"Admin"});
  HttpClient otherAdmin = f.server.loginAs("other", "Admin");
  EXPECT_EQ(otherAdmin.call("GET", kDomains).status, 404);
  EXPECT_EQ(otherAdmin.call("POST", kDomains, {{"domain", "a.example.com"}}).status, 404);
}

TEST_F(Egress, FetchWithHeadersBodiesAndResponses) {
  f.allow("127.0.0.1");
  HttpResult r = f.run("fetcher", R"js(
    async function lambda() {
      const get = await fetch('TARGET/json');
      const json = await get.json();
      const post = await fetch('TARGET/echo?a=1', {
        method: 'post',
        headers: { 'X-Custom': 'v1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ hello: 'world' }),
      });
      const echo = await post.json();
      const headers = new Headers([['a', '1'], ['A', '2']]);
      const req = new Request('TARGET/echo', { method: 'PUT', body: new Uint8Array([104, 105]) });
      const put = await (await fetch(req)).json();
      const notFound = await fetch('TARGET/status?code=404');
      const head = await fetch('TARGET/hello', { method: 'HEAD' });
      let reused;
      try { await get.text(); } catch (e) { reused = e.name; }
      return {
        status: get.status, ok: get.ok, type: get.headers.get('content-type'), json,
        url: get.url, redirected: get.redirected, bodyUsed: get.bodyUsed, reused,
        echo: { method: echo.method, query: echo.query, custom: echo.headers['x-custom'], body: echo.body },
        combined: headers.get('a'),
        put: { method: put.method, body: put.body },
        notFound: { status: notFound.status, ok: notFound.ok, text: await notFound.text() },
        head: { status: head.status, text: await head.text(), xTest: head.headers.get('x-test') },
        buffer: (await (await fetch('TARGET/hello')).arrayBuffer()).byteLength,
      };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["type"], "application/json");
  EXPECT_EQ(j["json"], (json{{"ok", true}, {"n", 42}}));
  EXPECT_EQ(j["url"], f.target.base() + "/json");
  EXPECT_EQ(j["redirected"], false);
  EXPECT_EQ(j["bodyUsed"], true);
  EXPECT_EQ(j["reused"], "TypeError");
  EXPECT_EQ(j["echo"], (json{{"method", "POST"}, {"query", "a=1"}, {"custom", "v1"},
                              {"body", R"({"hello":"world"})"}}));
  EXPECT_EQ(j["combined"], "1, 2");
  EXPECT_EQ(j["put"], (json{{"method", "PUT"}, {"body", "hi"}}));
  EXPECT_EQ(j["notFound"], (json{{"status", 404}, {"ok", false}, {"text", "status 404"}}));
  EXPECT_EQ(j["head"], (json{{"status", 200}, {"text", ""}, {"xTest", "yes"}}));
  EXPECT_EQ(j["buffer"], 5);
}

TEST_F(Egress, RefusalsSayWhyAndRedirectsAreCheckedAtEveryHop) {
  f.allow("127.0.0.1");
  HttpResult r = f.run("refusals", R"js(
    const why = (p) => p.then((res) => ({ status: res.status, redirected: res.redirected,
        url: res.url, location: res.headers.get('location') }),
      (e) => ({ name: e.name, message: e.message, code: e.cause && e.cause.code }));
    async function lambda() {
      const local = 'TARGET'.replace('127.0.0.1', 'localhost');
      return {
        notAllowed: await why(fetch(local + '/hello')),
        redirectOut: await why(fetch('TARGET/redirect?to=' + encodeURIComponent(local + '/hello'))),
        redirectIn: await why(fetch('TARGET/redirect?to=/hello')),
        manual: await why(fetch('TARGET/redirect?to=/hello', { redirect: 'manual' })),
        error: await why(fetch('TARGET/redirect?to=/hello', { redirect: 'error' })),
        loop: await why(fetch('TARGET/loop')),
        scheme: await why(fetch('file:///etc/passwd')),
        badUrl: await why(fetch('not a url')),
        getBody: await why(fetch('TARGET/echo', { body: 'x' })),
      };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["notAllowed"]["name"], "TypeError");
  EXPECT_EQ(j["notAllowed"]["code"], "egress.not-allowlisted");
  EXPECT_NE(j["notAllowed"]["message"].get<std::string>().find(
                "the host 'localhost' is not on the account's allowlist"),
            std::string::npos)
      << j;
  EXPECT_EQ(j["redirectOut"]["code"], "egress.not-allowlisted");
  EXPECT_NE(j["redirectOut"]["message"].get<std::string>().find("redirect"), std::string::npos);
  EXPECT_EQ(j["redirectIn"], (json{{"status", 200}, {"redirected", true},
                                   {"url", f.target.base() + "/hello"}, {"location", nullptr}}));
  EXPECT_EQ(j["manual"]["status"], 302);
  EXPECT_EQ(j["manual"]["location"], "/hello");
  EXPECT_EQ(j["error"]["code"], "egress.redirect-refused");
  EXPECT_EQ(j["loop"]["code"], "egress.too-many-redirects");
  EXPECT_EQ(j["scheme"]["code"], "egress.invalid-request");
  EXPECT_EQ(j["badUrl"]["name"], "TypeError");
  EXPECT_EQ(j["getBody"]["name"], "TypeError");
}

TEST_F(Egress, AbortRejectsWithAbortErrorAndCancelsTheRequest) {
  f.allow("127.0.0.1");
  HttpResult r = f.run("aborter", R"js(
    async function lambda() {
      const controller = new AbortController();
      const pending = fetch('TARGET/slow?ms=2000', { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      let aborted;
      try { await pending; } catch (e) { aborted = { name: e.name, isDom: e instanceof DOMException }; }
      let before;
      try { await fetch('TARGET/hello', { signal: AbortSignal.abort() }); } catch (e) { before = e.name; }
      let timedOut;
      try { await fetch('TARGET/slow?ms=2000', { signal: AbortSignal.timeout(50) }); } catch (e) { timedOut = e.name; }
      let custom;
      const c2 = new AbortController();
      c2.abort(new Error('my reason'));
      try { await fetch('TARGET/hello', { signal: c2.signal }); } catch (e) { custom = e.message; }
      return { aborted, before, timedOut, custom, signalAborted: controller.signal.aborted };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["aborted"], (json{{"name", "AbortError"}, {"isDom", true}}));
  EXPECT_EQ(r.json()["before"], "AbortError");
  EXPECT_EQ(r.json()["timedOut"], "TimeoutError");
  EXPECT_EQ(r.json()["custom"], "my reason");
  EXPECT_EQ(r.json()["signalAborted"], true);
}

// A TCP server that reads each request and never answers, and notes when the client hangs up.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), len), 0);
    EXPECT_EQ(listen(fd_, 8), 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~SilentServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/silent"; }
  // Waits (ctest's timeout is the backstop) until `n` requests arrived and their clients hung up.
  void waitForHangUps(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return hungUp_ >= n; });
  }
  int received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  void serve() {
    std::vector<std::thread> clients;
    for (int c; (c = accept(fd_, nullptr, nullptr)) >= 0;) {
      clients.emplace_back([this, c] {
        char buf[4096];
        bool counted = false;
        for (ssize_t n; (n = read(c, buf, sizeof buf)) > 0;) {
          if (!counted) {
            counted = true;
            std::lock_guard lock(mu_);
            ++received_;
            cv_.notify_all();
          }
        }
        close(c);  // the client closed (or reset) the connection
        std::lock_guard lock(mu_);
        ++hungUp_;
        cv_.notify_all();
      });
    }
    for (auto& t : clients) t.join();
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  int received_ = 0;  // Guarded by mu_
  int hungUp_ = 0;    // Guarded by mu_
  std::thread thread_;
};

// A function that returns without awaiting its fetch, and one that times out waiting on one: both
// requests stop when their invocation ends, not at the egress timeout (an hour here, so without
// that this test never finishes).
TEST(EgressLifetime, RequestsEndWithTheirInvocation) {
  EgressFixture f({"--egress-allow-private", "--egress-timeout-seconds", "3600"});
  f.allow("127.0.0.1");
  SilentServer silent;
  std::string detached = R"js(
    async function lambda() {
      fetch('URL').catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      return 'returned';
    }
  )js";
  detached.replace(detached.find("URL"), 3, silent.url());
  HttpResult r = f.run("detached", detached);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), "returned");
  EXPECT_EQ(silent.received(), 1);
  silent.waitForHangUps(1);

  std::string waits = R"js(
    async function lambda() { await fetch('URL'); return 'answered'; }
  )js";
  waits.replace(waits.find("URL"), 3, silent.url());
  f.deploy("waits", waits);
  HttpResult put = f.admin.call("PUT", kFns + "/waits", {{"settings", {{"timeoutSeconds", 1}}}});
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(f.admin.call("POST", kFns + "/waits/deploy").status, 200);
  HttpResult timedOut = f.invoke("waits");
  EXPECT_NE(timedOut.body.find("executiontime-exceeded"), std::string::npos) << timedOut.body;
  silent.waitForHangUps(2);
  EXPECT_EQ(silent.received(), 2);
}

TEST(EgressPrivate, PrivateAddressesAreRefusedWithoutTheOperatorFlag) {
  EgressFixture f({});
  f.allow("127.0.0.1");
  f.allow("localhost");
  f.allow("::1");
  f.allow("169.254.169.254");
  HttpResult r = f.run("ssrf", R"js(
    const code = (p) => p.then(() => 'reached', (e) => e.cause.code + ': ' + e.cause.message);
    async function lambda() {
      const port = new URL('TARGET').port;
      return {
        name: await code(fetch(`http://localhost:${port}/hello`)),
        dotted: await code(fetch(`http://127.0.0.1:${port}/hello`)),
        decimal: await code(fetch(`http://2130706433:${port}/hello`)),
        octal: await code(fetch(`http://0177.0.0.1:${port}/hello`)),
        ipv6: await code(fetch(`http://[::1]:${port}/hello`)),
        metadata: await code(fetch('http://169.254.169.254/latest/meta-data/')),
      };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  ASSERT_TRUE(j.is_object()) << r.body;
  for (const char* name : {"name", "dotted", "decimal", "octal", "ipv6", "metadata"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(j[name].is_string()) << r.body;
    std::string v = j[name].get<std::string>();
    EXPECT_TRUE(v.starts_with("egress.private-address: refused to connect")) << v;
  }
  EXPECT_NE(r.json()["name"].get<std::string>().find("loopback"), std::string::npos);
  EXPECT_NE(r.json()["metadata"].get<std::string>().find("link-local"), std::string::npos);
  EXPECT_EQ(f.target.requests(), 0);
}

TEST(EgressLimits, SizeCapTimeoutAndRateLimit) {
  EgressFixture f({"--egress-allow-private", "--egress-max-response-bytes", "1000",
                   "--egress-timeout-seconds", "1", "--egress-requests-per-second", "3"});
  f.allow("127.0.0.1");
  HttpResult r = f.run("limits", R"js(
    const code = (p) => p.then((res) => res.status, (e) => e.cause.code + ': ' + e.cause.message);
    async function lambda() {
      return {
        big: await code(fetch('TARGET/big?n=1001')),
        atCap: await code(fetch('TARGET/big?n=1000')),
        slow: await code(fetch('TARGET/slow?ms=3000')),
      };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["big"], "egress.too-large: the response from 127.0.0.1 is larger than the limit of 1000 bytes");
  EXPECT_EQ(j["atCap"], 200);
  EXPECT_TRUE(j["slow"].get<std::string>().starts_with(
      "egress.timeout: no complete answer from 127.0.0.1 within the timeout of 1000 ms")) << j;

  // 3 per second per function: the fourth request in a row is refused.
  HttpResult rate = f.run("rate", R"js(
    const code = (p) => p.then((res) => res.status, (e) => e.cause.code + ': ' + e.cause.message);
    async function lambda() {
      const out = [];
      for (let i = 0; i < 4; i++) out.push(await code(fetch('TARGET/hello')));
      return out;
    }
  )js");
  ASSERT_EQ(rate.status, 200) << rate.body;
  json k = rate.json();
  EXPECT_EQ(k[0], 200);
  EXPECT_EQ(k[2], 200);
  EXPECT_EQ(k[3], "egress.rate-limited: rate limited: this function may make at most 3 outbound "
                  "requests per second");
}

TEST(EgressConcurrency, SlowOutboundRequestsDoNotHoldUpAnotherInvocation) {
  // One worker process: the three waiting invocations and the CPU-only one share it.
  EgressFixture f({"--egress-allow-private", "--workers", "1"});
  f.allow("127.0.0.1");
  f.deploy("waiter", R"js(
    async function lambda() { return (await fetch('TARGET/slow?ms=3000')).text(); }
  )js");
  f.deploy("cpu", R"js(
    function lambda(input, callback) {
      let x = 0;
      for (let i = 0; i < 1e6; i++) x = (x + i) % 7919;
      callback(null, { x });
    }
  )js");
  std::vector<std::future<HttpResult>> waiting;
  for (int i = 0; i < 3; ++i) {
    waiting.push_back(std::async(std::launch::async, [&f] { return f.invoke("waiter"); }));
  }
  // The three requests have reached the target and are waiting there.
  for (int i = 0; i < 1000 && f.target.requests() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(f.target.requests(), 3);
  HttpResult cpu = f.invoke("cpu");
  ASSERT_EQ(cpu.status, 200) << cpu.body;
  EXPECT_TRUE(cpu.json().contains("x"));
  // The CPU-only invocation finished while all three were still waiting.
  for (auto& w : waiting) {
    EXPECT_NE(w.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  }
  for (auto& w : waiting) {
    HttpResult r = w.get();
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json(), "slow");
  }
}

}  // namespace
}  // namespace parley::testing
