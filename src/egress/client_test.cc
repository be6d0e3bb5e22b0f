// EgressClient against real local HTTP servers on free ports: SSRF refusals (names and numeric
// forms resolving to loopback, IPv6 loopback, the metadata address), allowlist at every redirect
// hop, redirect modes, size cap, timeout, rate limit, cancellation and concurrency.
#include "egress/client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>

#include <nlohmann/json.hpp>

#include "support/target_server.h"

namespace parley::egress {
namespace {

using namespace std::chrono_literals;

Policy allow(std::vector<std::string> rules, std::string rateKey = "") {
  return Policy{std::make_shared<Allowlist>(rules), std::move(rateKey)};
}

Outcome fetch(EgressClient& client, Request r, Policy p) {
  std::promise<Outcome> done;
  client.submit(std::move(r), std::move(p), [&done](Outcome o) { done.set_value(std::move(o)); });
  return done.get_future().get();
}

Request get(const std::string& url) {
  Request r;
  r.url = url;
  return r;
}

class EgressClientTest : public ::testing::Test {
 protected:
  EgressClient& client(EgressOptions o = {}) {
    client_ = std::make_unique<EgressClient>(o, SystemClock::instance());
    return *client_;
  }
  EgressClient& privateAllowed() {
    EgressOptions o;
    o.allowPrivate = true;
    return client(o);
  }
  testing::TargetServer target;
  std::unique_ptr<EgressClient> client_;
};

TEST_F(EgressClientTest, LoopbackIsRefusedAfterResolutionWhateverTheSpelling) {
  EgressClient& c = client();
  std::string port = std::to_string(target.port());
  Policy p = allow({"localhost", "127.0.0.1", "::1", "169.254.169.254", "10.0.0.1"});
  for (const std::string& url : std::vector<std::string>{"http://localhost:" + port + "/hello",            // a name → 127.0.0.1
                          "http://127.0.0.1:" + port + "/hello",            // dotted
                          "http://2130706433:" + port + "/hello",           // decimal
                          "http://0177.0.0.1:" + port + "/hello",           // octal
                          "http://0x7f.0.0.1:" + port + "/hello",           // hex
                          "http://127.1:" + port + "/hello",                // short form
                          "http://[::1]:" + port + "/hello",                // IPv6 loopback
                          "http://169.254.169.254/latest/meta-data/",       // cloud metadata
                          "http://10.0.0.1/"}) {
    SCOPED_TRACE(url);
    Outcome o = fetch(c, get(url), p);
    EXPECT_EQ(o.failure, Failure::kPrivateAddress) << o.message;
    EXPECT_NE(o.message.find("refused to connect"), std::string::npos) << o.message;
  }
  Outcome o = fetch(c, get("http://localhost:" + port + "/hello"), p);
  EXPECT_NE(o.message.find("loopback"), std::string::npos) << o.message;
  o = fetch(c, get("http://169.254.169.254/"), p);
  EXPECT_NE(o.message.find("link-local"), std::string::npos) << o.message;
  EXPECT_GE(c.stats().privateAddress, 10u);
}

TEST_F(EgressClientTest, NumericSpellingsAreMatchedAsTheAddressTheyAre) {
  EgressClient& c = privateAllowed();
  std::string port = std::to_string(target.port());
  // Only "example.com" allowed: no spelling of 127.0.0.1 gets through the allowlist.
  for (const std::string& url : std::vector<std::string>{"http://2130706433:" + port + "/hello", "http://0177.0.0.1:" + port + "/hello",
                          "http://0x7f000001:" + port + "/hello"}) {
    Outcome o = fetch(c, get(url), allow({"example.com"}));
    EXPECT_EQ(o.failure, Failure::kNotAllowlisted) << url;
    EXPECT_NE(o.message.find("'127.0.0.1'"), std::string::npos) << o.message;
  }
  // With 127.0.0.1 allowed (and private addresses allowed), the decimal form reaches it.
  Outcome ok = fetch(c, get("http://2130706433:" + port + "/hello"), allow({"127.0.0.1"}));
  ASSERT_EQ(ok.failure, Failure::kNone) << ok.message;
  EXPECT_EQ(ok.response.body, "hello");
}

TEST_F(EgressClientTest, FetchesWithStatusHeadersAndBody) {
  EgressClient& c = privateAllowed();
  Outcome o = fetch(c, get(target.base() + "/hello"), allow({"127.0.0.1"}));
  ASSERT_EQ(o.failure, Failure::kNone) << o.message;
  EXPECT_EQ(o.response.status, 200);
  EXPECT_EQ(o.response.statusText, "OK");
  EXPECT_EQ(o.response.body, "hello");
  EXPECT_EQ(o.response.url, target.base() + "/hello");
  EXPECT_FALSE(o.response.redirected);
  bool found = false;
  for (const auto& [n, v] : o.response.headers) found |= n == "X-Test" && v == "yes";
  EXPECT_TRUE(found);

  Request post = get(target.base() + "/echo");
  post.method = "PUT";
  post.body = "payload";
  post.headers = {{"Authorization", "Bearer t"}};
  o = fetch(c, post, allow({"127.0.0.1"}));
  ASSERT_EQ(o.failure, Failure::kNone) << o.message;
  auto echo = nlohmann::json::parse(o.response.body);
  EXPECT_EQ(echo["method"], "PUT");
  EXPECT_EQ(echo["body"], "payload");
  EXPECT_EQ(echo["headers"]["authorization"], "Bearer t");
}

TEST_F(EgressClientTest, NotAllowlistedHostsAndWildcardApex) {
  EgressClient& c = privateAllowed();
  Outcome o = fetch(c, get(target.base("localhost") + "/hello"), allow({"*.localhost"}));
  EXPECT_EQ(o.failure, Failure::kNotAllowlisted);
  EXPECT_NE(o.message.find("'localhost' is not on the account's allowlist"), std::string::npos)
      << o.message;
  o = fetch(c, get(target.base() + "/hello"), Policy{});
  EXPECT_EQ(o.failure, Failure::kNotAllowlisted);
  o = fetch(c, get("file:///etc/passwd"), allow({"localhost"}));
  EXPECT_EQ(o.failure, Failure::kInvalidRequest);
  EXPECT_NE(o.message.find("only http and https"), std::string::npos) << o.message;
}

TEST_F(EgressClientTest, RedirectsAreCheckedAtEveryHop) {
  EgressClient& c = privateAllowed();
  std::string toLocalhost = target.base("localhost") + "/hello";
  // 127.0.0.1 is allowed, localhost is not: the second hop is refused.
  Outcome o = fetch(c, get(target.base() + "/redirect?to=" + toLocalhost), allow({"127.0.0.1"}));
  EXPECT_EQ(o.failure, Failure::kNotAllowlisted);
  EXPECT_NE(o.message.find("'localhost'"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("redirect"), std::string::npos) << o.message;

  o = fetch(c, get(target.base() + "/redirect?to=" + toLocalhost), allow({"127.0.0.1", "localhost"}));
  ASSERT_EQ(o.failure, Failure::kNone) << o.message;
  EXPECT_EQ(o.response.body, "hello");
  EXPECT_TRUE(o.response.redirected);
  EXPECT_EQ(o.response.url, toLocalhost);
}

TEST_F(EgressClientTest, RedirectToAPrivateAddressIsRefusedWhenPrivateIsNotAllowed) {
  // The first hop would be refused too on this machine (the target is on loopback); the point is
  // that a redirect cannot smuggle the request anywhere the first hop could not go.
  EgressClient& c = client();
  Outcome o = fetch(c, get("http://169.254.169.254/"), allow({"169.254.169.254"}));
  EXPECT_EQ(o.failure, Failure::kPrivateAddress);
}

TEST_F(EgressClientTest, RedirectModesAndMethodRewrite) {
  EgressClient& c = privateAllowed();
  Policy p = allow({"127.0.0.1"});
  Request manual = get(target.base() + "/redirect?to=/hello");
  manual.redirect = RedirectMode::kManual;
  Outcome o = fetch(c, manual, p);
  ASSERT_EQ(o.failure, Failure::kNone) << o.message;
  EXPECT_EQ(o.response.status, 302);

  Request error = get(target.base() + "/redirect?to=/hello");
  error.redirect = RedirectMode::kError;
  o = fetch(c, error, p);
  EXPECT_EQ(o.failure, Failure::kRedirectRefused);
  EXPECT_NE(o.message.find("redirect mode is 'error'"), std::string::npos) << o.message;

  // 303 after a POST: the next hop is a GET without the body.
  Request post = get(target.base() + "/redirect?status=303&to=/echo");
  post.method = "POST";
  post.body = "data";
  o = fetch(c, post, p);
  ASSERT_EQ(o.failure, Failure::kNone) << o.message;
  EXPECT_EQ(nlohmann::json::parse(o.response.body)["method"], "GET");
  EXPECT_EQ(nlohmann::json::parse(o.response.body)["body"], "");
  // 307 keeps the method and body.
  post.url = target.base() + "/redirect?status=307&to=/echo";
  o = fetch(c, post, p);
  EXPECT_EQ(nlohmann::json::parse(o.response.body)["method"], "POST");
  EXPECT_EQ(nlohmann::json::parse(o.response.body)["body"], "data");
  // Authorization does not follow a redirect to another origin.
  Request auth = get(target.base() + "/redirect?to=" + target.base("localhost") + "/echo");
  auth.headers = {{"Authorization", "Bearer secret"}};
  o = fetch(c, auth, allow({"127.0.0.1", "localhost"}));
  ASSERT_EQ(o.failure, Failure::kNone) << o.message;
  EXPECT_FALSE(nlohmann::json::parse(o.response.body)["headers"].contains("authorization"));

  EgressOptions few;
  few.allowPrivate = true;
  few.maxRedirects = 3;
  EgressClient& limited = client(few);
  o = fetch(limited, get(target.base() + "/loop"), p);
  EXPECT_EQ(o.failure, Failure::kTooManyRedirects);
}

TEST_F(EgressClientTest, ResponsesOverTheCapAreAborted) {
  EgressOptions o;
  o.allowPrivate = true;
  o.maxResponseBytes = 1000;
  EgressClient& c = client(o);
  Outcome at = fetch(c, get(target.base() + "/big?n=1000"), allow({"127.0.0.1"}));
  ASSERT_EQ(at.failure, Failure::kNone) << at.message;
  EXPECT_EQ(at.response.body.size(), 1000u);
  Outcome over = fetch(c, get(target.base() + "/big?n=1001"), allow({"127.0.0.1"}));
  EXPECT_EQ(over.failure, Failure::kTooLarge);
  EXPECT_NE(over.message.find("larger than the limit of 1000 bytes"), std::string::npos)
      << over.message;
}

TEST_F(EgressClientTest, TimeoutAndCancel) {
  EgressClient& c = privateAllowed();
  Request slow = get(target.base() + "/slow?ms=3000");
  slow.timeoutMs = 200;
  Outcome o = fetch(c, slow, allow({"127.0.0.1"}));
  EXPECT_EQ(o.failure, Failure::kTimeout);
  EXPECT_NE(o.message.find("within the timeout of 200 ms"), std::string::npos) << o.message;

  std::promise<Outcome> done;
  uint64_t id = c.submit(get(target.base() + "/slow?ms=3000"), allow({"127.0.0.1"}),
                         [&done](Outcome out) { done.set_value(std::move(out)); });
  c.cancel(id);
  EXPECT_EQ(done.get_future().get().failure, Failure::kAborted);
}

TEST_F(EgressClientTest, RateLimitPerKey) {
  FakeClock clock;
  EgressOptions o;
  o.allowPrivate = true;
  o.requestsPerSecond = 1;
  o.burst = 2;
  EgressClient c(o, clock);
  Policy p = allow({"127.0.0.1"}, "function-1");
  EXPECT_EQ(fetch(c, get(target.base() + "/hello"), p).failure, Failure::kNone);
  EXPECT_EQ(fetch(c, get(target.base() + "/hello"), p).failure, Failure::kNone);
  Outcome limited = fetch(c, get(target.base() + "/hello"), p);
  EXPECT_EQ(limited.failure, Failure::kRateLimited);
  EXPECT_NE(limited.message.find("at most 1 outbound requests per second"), std::string::npos);
  EXPECT_EQ(fetch(c, get(target.base() + "/hello"), allow({"127.0.0.1"}, "function-2")).failure,
            Failure::kNone);
  clock.advanceMs(1000);
  EXPECT_EQ(fetch(c, get(target.base() + "/hello"), p).failure, Failure::kNone);
  EgressStats s = c.stats();
  EXPECT_EQ(s.requests, 5u);
  EXPECT_EQ(s.rateLimited, 1u);
  EXPECT_EQ(s.succeeded, 4u);
  EXPECT_EQ(s.inFlight, 0u);
}

TEST_F(EgressClientTest, SlowRequestsDoNotHoldUpOthers) {
  EgressClient& c = privateAllowed();
  std::mutex mu;
  std::vector<std::string> order;
  std::vector<std::promise<void>> slowDone(3);
  for (int i = 0; i < 3; ++i) {
    c.submit(get(target.base() + "/slow?ms=1500"), allow({"127.0.0.1"}), [&, i](Outcome o) {
      std::lock_guard lock(mu);
      order.push_back(o.failure == Failure::kNone ? "slow" : "slow-failed");
      slowDone[i].set_value();
    });
  }
  Outcome fast = fetch(c, get(target.base() + "/hello"), allow({"127.0.0.1"}));
  {
    std::lock_guard lock(mu);
    order.push_back(fast.failure == Failure::kNone ? "fast" : "fast-failed");
  }
  for (auto& p : slowDone) p.get_future().wait();
  EXPECT_EQ(order, (std::vector<std::string>{"fast", "slow", "slow", "slow"}));
}

}  // namespace
}  // namespace parley::egress
