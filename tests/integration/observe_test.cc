// Observability through the real server: log queries and filters, the CSV export, the live tail
// over a real socket, invocation lists, metrics from real invocations, Prometheus text, the
// activity stream with diffs, roles and other accounts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kAcme = "/api/v1/accounts/acme";
const std::string kFns = kAcme + "/functions";

// Logs one line per level; a message with the CSV's special characters; fails when asked.
const char* kCode = R"js(
async function lambda(input) {
  console.debug('debug line');
  console.info('info line', {n: input.payload.n});
  console.warn('semi;colon "quoted"\nnext line');
  console.error('error line');
  if (input.payload.fail) throw new Error('asked to fail');
  return input.payload.n;
})js";

class Observe : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.addAccountWithUsers("acme", {"Developer", "Viewer"});
    server_.addAccountWithUsers("beta", {"Admin"});
    dev_ = server_.loginAs("acme", "Developer");
    ASSERT_EQ(dev_.call("POST", kFns, {{"name", "chatty"}, {"code", kCode}}).status, 201);
    ASSERT_EQ(dev_.call("POST", kFns + "/chatty/deploy").status, 200);
  }

  HttpResult invoke(int n, bool fail = false, const std::string& how = "invoke") {
    return dev_.call("POST", kFns + "/chatty/" + how, {{"payload", {{"n", n}, {"fail", fail}}}});
  }

  // Records are written behind the hot path: poll until `path` shows `count` entries of `key`.
  json waitFor(const HttpClient& c, const std::string& path, const std::string& key, size_t count) {
    json body;
    for (int i = 0; i < 500; ++i) {
      HttpResult r = c.call("GET", path);
      body = r.json();
      if (r.status == 200 && body[key].size() >= count) return body;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "timed out waiting for " << count << " " << key << " at " << path << ": "
                  << body.dump();
    return body;
  }

  ServerProcess server_;
  HttpClient dev_{""};
};

TEST_F(Observe, LogsAreQueryableByLevelInvocationTextAndPage) {
  std::vector<std::string> ids;
  for (int n = 1; n <= 3; ++n) {
    HttpResult r = invoke(n);
    ASSERT_EQ(r.status, 200) << r.body;
    ids.push_back(r.header("x-parley-invocation-id"));
  }
  // 3 invocations × 3 lines (debug lines are not kept outside tests).
  json all = waitFor(dev_, kFns + "/chatty/logs", "logs", 9);
  ASSERT_EQ(all["logs"].size(), 9u);
  EXPECT_TRUE(all["nextCursor"].is_null());
  // Newest invocation first, its lines in the order written.
  EXPECT_EQ(all["logs"][0]["invocationId"], ids[2]);
  EXPECT_EQ(all["logs"][0]["level"], "Info");
  EXPECT_EQ(all["logs"][0]["message"], "info line");
  EXPECT_EQ(all["logs"][0]["extras"], json::parse(R"([{"n":3}])"));
  EXPECT_EQ(all["logs"][1]["level"], "Warn");
  EXPECT_EQ(all["logs"][2]["level"], "Error");
  EXPECT_TRUE(all["logs"][0]["timestamp"].is_number_integer());
  for (const json& l : all["logs"]) EXPECT_NE(l["level"], "Debug");

  // A Viewer reads logs; filters.
  HttpClient viewer = server_.loginAs("acme", "Viewer");
  json errors = viewer.call("GET", kFns + "/chatty/logs?level=Error,warning").json();
  ASSERT_EQ(errors["logs"].size(), 6u) << errors.dump();
  json one = viewer.call("GET", kFns + "/chatty/logs?invocationId=" + ids[0]).json();
  ASSERT_EQ(one["logs"].size(), 3u);
  EXPECT_EQ(one["logs"][0]["extras"], json::parse(R"([{"n":1}])"));
  json text = viewer.call("GET", kFns + "/chatty/logs?q=%22N%22%3A2").json();  // "N":2, any case
  ASSERT_EQ(text["logs"].size(), 1u);
  EXPECT_EQ(text["logs"][0]["invocationId"], ids[1]);

  // Pages of 4 with cursors: every line exactly once, in the same order.
  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    json p = viewer.call("GET", kFns + "/chatty/logs?order=asc&limit=4" +
                                    (cursor.empty() ? "" : "&cursor=" + cursor)).json();
    for (const json& l : p["logs"]) {
      paged.push_back(l["invocationId"].get<std::string>() + l["message"].get<std::string>());
    }
    if (p["nextCursor"].is_null()) break;
    cursor = p["nextCursor"];
  }
  ASSERT_EQ(paged.size(), 9u);
  EXPECT_EQ(paged[0], ids[0] + "info line");
  EXPECT_EQ(paged[8], ids[2] + "error line");

  // Bad parameters name the field.
  HttpResult bad = viewer.call("GET", kFns + "/chatty/logs?level=Loud");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("'level'"), std::string::npos);
  EXPECT_EQ(viewer.call("GET", kFns + "/chatty/logs?from=yesterday").status, 400);
  EXPECT_EQ(viewer.call("GET", kFns + "/chatty/logs?limit=0").status, 400);
  EXPECT_EQ(viewer.call("GET", kFns + "/chatty/logs?cursor=abc").status, 400);
  // A time range that excludes everything.
  EXPECT_TRUE(viewer.call("GET", kFns + "/chatty/logs?to=2000-01-01T00:00:00Z").json()["logs"].empty());

  // Another account's function is 404 for every observability route.
  HttpClient beta = server_.loginAs("beta", "Admin");
  for (const std::string& path :
       {kFns + "/chatty/logs", kFns + "/chatty/logs/export", kFns + "/chatty/logs/stream",
        kFns + "/chatty/metrics", kAcme + "/metrics", kAcme + "/invocations", kAcme + "/activity"}) {
    EXPECT_EQ(beta.call("GET", path).status, 404) << path;
  }
}

TEST_F(Observe, DebugLogsAreKeptForTestInvocationsOnly) {
  HttpResult t = invoke(7, false, "test");
  ASSERT_EQ(t.status, 200) << t.body;
  std::string id = t.json()["invocationId"];
  json logs = waitFor(dev_, kFns + "/chatty/logs?invocationId=" + id, "logs", 4);
  ASSERT_EQ(logs["logs"].size(), 4u);
  EXPECT_EQ(logs["logs"][0]["level"], "Debug");
  EXPECT_EQ(logs["logs"][0]["message"], "debug line");
}

TEST_F(Observe, CsvExportHasLivePersonsLayoutAndQuoting) {
  HttpResult r = invoke(1);
  ASSERT_EQ(r.status, 200);
  std::string id = r.header("x-parley-invocation-id");
  waitFor(dev_, kFns + "/chatty/logs", "logs", 3);
  std::string uuid = dev_.call("GET", kFns + "/chatty").json()["uuid"];
  HttpResult csv = dev_.call("GET", kFns + "/chatty/logs/export");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.header("transfer-encoding"), "chunked");
  std::regex date(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)");
  std::string prefix = uuid + ";" + id + ";";
  std::istringstream in(csv.body);
  std::string header, info;
  std::getline(in, header);
  std::getline(in, info);
  EXPECT_EQ(header, "lambdaUUID;requestID;timestamp;level;message;extras");
  ASSERT_EQ(info.rfind(prefix, 0), 0u) << info;
  std::string rest = info.substr(prefix.size());
  EXPECT_TRUE(std::regex_match(rest.substr(0, 29), date)) << rest;
  EXPECT_EQ(rest.substr(29), ";Info;info line;\"[{\"\"n\"\":1}]\"");
  // The warning: `;`, quotes and a newline are quoted.
  std::string remaining((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(remaining.find(";Warn;\"semi;colon \"\"quoted\"\"\nnext line\";[]\n"), std::string::npos)
      << remaining;
  EXPECT_NE(remaining.find(";Error;error line;[]\n"), std::string::npos);
  // Filters apply: only errors.
  HttpResult errors = dev_.call("GET", kFns + "/chatty/logs/export?level=Error");
  EXPECT_EQ(std::count(errors.body.begin(), errors.body.end(), '\n'), 2);
}

TEST_F(Observe, CsvExportIsUncapped) {
  // 700 invocations × 3 lines: more than LivePerson's 500 and more than one export page.
  for (int n = 0; n < 700; ++n) ASSERT_EQ(invoke(n).status, 200);
  waitFor(dev_, kAcme + "/invocations?limit=1000", "invocations", 700);
  HttpResult csv = dev_.call("GET", kFns + "/chatty/logs/export");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 1 + 700 * 4);  // warn has 2 lines
}

// A raw HTTP/1.1 client on a socket, reading the SSE stream as it arrives.
class SseClient {
 public:
  SseClient(const std::string& url, const std::string& path, const std::string& token,
            const std::string& extraHeaders = "") {
    int port = std::stoi(url.substr(url.rfind(':') + 1));
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{30, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n" +
                      "Authorization: Bearer " + token + "\r\n" + extraHeaders + "\r\n";
    EXPECT_EQ(::send(fd_, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  }
  ~SseClient() { ::close(fd_); }

  // Reads until `needle` has arrived (or 30 s of silence); true when it did.
  bool readUntil(const std::string& needle) {
    while (received_.find(needle) == std::string::npos) {
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      received_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  const std::string& received() const { return received_; }

 private:
  int fd_ = -1;
  std::string received_;
};

TEST_F(Observe, LiveTailDeliversALineWrittenAfterTheClientConnected) {
  SseClient tail(server_.url(), kFns + "/chatty/logs/stream?level=Info,Error", dev_.token());
  ASSERT_TRUE(tail.readUntil(": subscribed\n\n")) << tail.received();
  EXPECT_NE(tail.received().find("HTTP/1.1 200"), std::string::npos);
  EXPECT_NE(tail.received().find("Content-Type: text/event-stream"), std::string::npos);
  HttpResult r = invoke(42);
  ASSERT_EQ(r.status, 200);
  std::string id = r.header("x-parley-invocation-id");
  ASSERT_TRUE(tail.readUntil("error line")) << tail.received();
  const std::string& got = tail.received();
  EXPECT_NE(got.find("event: log\ndata: {\"extras\":[{\"n\":42}],\"invocationId\":\"" + id +
                     "\",\"level\":\"Info\",\"message\":\"info line\""),
            std::string::npos)
      << got;
  EXPECT_EQ(got.find("semi;colon"), std::string::npos);  // Warn is filtered out

  // Resume after the first event: the second is replayed.
  std::smatch m;
  std::string s = got;
  ASSERT_TRUE(std::regex_search(s, m, std::regex("id: ([0-9a-f]+\\.[0-9]+)\n")));
  SseClient resumed(server_.url(), kFns + "/chatty/logs/stream?level=Info,Error", dev_.token(),
                    "Last-Event-ID: " + m[1].str() + "\r\n");
  ASSERT_TRUE(resumed.readUntil("error line")) << resumed.received();
  EXPECT_EQ(resumed.received().find("info line"), std::string::npos);

  // Another account cannot tail it.
  HttpClient beta = server_.loginAs("beta", "Admin");
  EXPECT_EQ(beta.call("GET", kFns + "/chatty/logs/stream").status, 404);
}

TEST_F(Observe, InvocationsAreListedWithFilters) {
  ASSERT_EQ(invoke(1).status, 200);
  ASSERT_EQ(invoke(2, true).status, 500);
  ASSERT_EQ(invoke(3, false, "test").status, 200);
  json all = waitFor(dev_, kAcme + "/invocations", "invocations", 3);
  ASSERT_EQ(all["invocations"].size(), 3u);
  EXPECT_EQ(all["invocations"][0]["trigger"], "test");  // newest first
  EXPECT_FALSE(all["invocations"][0].contains("logs"));
  json failed = dev_.call("GET", kAcme + "/invocations?outcome=CODING_FAILURE").json();
  ASSERT_EQ(failed["invocations"].size(), 1u);
  EXPECT_EQ(failed["invocations"][0]["error"]["message"], "asked to fail");
  EXPECT_EQ(dev_.call("GET", kAcme + "/invocations?trigger=http&function=chatty").json()["invocations"].size(), 2u);
  json page = dev_.call("GET", kAcme + "/invocations?limit=2").json();
  ASSERT_EQ(page["invocations"].size(), 2u);
  json next = dev_.call("GET", kAcme + "/invocations?limit=2&cursor=" + page["nextCursor"].get<std::string>()).json();
  ASSERT_EQ(next["invocations"].size(), 1u);
  EXPECT_EQ(next["invocations"][0]["id"], all["invocations"][2]["id"]);
  EXPECT_TRUE(next["nextCursor"].is_null());
  EXPECT_EQ(dev_.call("GET", kAcme + "/invocations?outcome=BROKEN").status, 400);
  EXPECT_EQ(dev_.call("GET", kAcme + "/invocations?function=nope").status, 404);
}

TEST_F(Observe, MetricsCountRealInvocations) {
  for (int n = 0; n < 4; ++n) ASSERT_EQ(invoke(n).status, 200);
  ASSERT_EQ(invoke(9, true).status, 500);
  ASSERT_EQ(invoke(9, false, "test").status, 200);  // not counted
  json m;
  for (int i = 0; i < 500; ++i) {
    m = dev_.call("GET", kFns + "/chatty/metrics?bucket=5m").json();
    if (m["totals"]["total"] == 5) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(m["bucket"], "5m");
  // The last 24 h by default, from the start of the 5-minute bucket holding `from`.
  EXPECT_GE(m["buckets"].size(), 288u);
  EXPECT_LE(m["buckets"].size(), 289u);
  EXPECT_EQ(m["totals"]["total"], 5);
  EXPECT_EQ(m["totals"]["succeeded"], 4);
  EXPECT_EQ(m["totals"]["codingFailure"], 1);
  EXPECT_GE(m["totals"]["coldStarts"].get<int>(), 0);
  EXPECT_GT(m["totals"]["durationMs"]["p99"].get<double>(), 0);
  EXPECT_GE(m["totals"]["durationMs"]["p99"].get<double>(), m["totals"]["durationMs"]["p50"].get<double>());
  int64_t inBuckets = 0;
  for (const json& b : m["buckets"]) inBuckets += b["total"].get<int64_t>();
  EXPECT_EQ(inBuckets, 5);
  EXPECT_EQ(dev_.call("GET", kFns + "/chatty/metrics?bucket=2m").status, 400);

  json account = server_.loginAs("acme", "Viewer").call("GET", kAcme + "/metrics").json();
  EXPECT_EQ(account["functions"], 1);
  EXPECT_EQ(account["deployed"], 1);
  EXPECT_EQ(account["invocationsThisMonth"]["total"], 5);
  EXPECT_EQ(account["invocationsThisMonth"]["failed"], 1);
}

// Every sample line is `name{labels} value` of a metric announced by HELP and TYPE.
void expectPrometheusText(const std::string& text) {
  std::set<std::string> helped, typed;
  std::regex help(R"(# HELP ([a-z_]+) .+)");
  std::regex type(R"(# TYPE ([a-z_]+) (counter|gauge|histogram))");
  std::regex sample(R"(([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+)");
  std::istringstream in(text);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      helped.insert(m[1]);
    } else if (std::regex_match(line, m, type)) {
      typed.insert(m[1]);
    } else {
      ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample: " << line;
      std::string name = m[1];
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        std::string s = suffix;
        if (!typed.count(name) && name.size() > s.size() &&
            name.compare(name.size() - s.size(), s.size(), s) == 0) {
          name = name.substr(0, name.size() - s.size());
        }
      }
      EXPECT_TRUE(helped.count(name) && typed.count(name)) << name;
      ++samples;
    }
  }
  EXPECT_GT(samples, 20);
}

TEST_F(Observe, PrometheusTextForOperatorsOrTheScrapeToken) {
  ASSERT_EQ(invoke(1).status, 200);
  HttpClient op = server_.login();
  std::string text;
  for (int i = 0; i < 500; ++i) {
    HttpResult r = op.call("GET", "/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    text = r.body;
    if (text.find("parley_invocations_total{trigger=\"http\",outcome=\"SUCCEEDED\"} 1\n") !=
        std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(text.find("parley_invocations_total{trigger=\"http\",outcome=\"SUCCEEDED\"} 1\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("parley_function_log_lines_total{level=\"Warn\"} 1\n"), std::string::npos);
  expectPrometheusText(text);
  // No per-account or per-function labels.
  EXPECT_EQ(text.find("acme"), std::string::npos);
  EXPECT_EQ(dev_.call("GET", "/metrics").status, 403);
  EXPECT_EQ(HttpClient(server_.url()).call("GET", "/metrics").status, 401);

  ServerProcess scraped({"--metrics-token", "scrape-me"});
  HttpResult r = HttpClient(scraped.url()).request("GET", "/metrics", "",
                                                    {"Authorization: Bearer scrape-me"});
  EXPECT_EQ(r.status, 200);
  expectPrometheusText(r.body);
  EXPECT_EQ(HttpClient(scraped.url()).request("GET", "/metrics", "",
                                               {"Authorization: Bearer wrong"}).status, 401);
}

TEST_F(Observe, ActivityRecordsChangesWithACodeDiff) {
  ASSERT_EQ(dev_.call("PUT", kFns + "/chatty", {{"code", "async function lambda() { return 2; }"}}).status, 200);
  json a = server_.loginAs("acme", "Viewer").call("GET", kAcme + "/activity").json();
  ASSERT_GE(a["activity"].size(), 3u) << a.dump();
  const json& latest = a["activity"][0];
  EXPECT_EQ(latest["action"], "function.codeChanged");
  EXPECT_EQ(latest["actor"]["name"], "acme-Developer");
  EXPECT_EQ(latest["target"]["name"], "chatty");
  std::string diff = latest["diff"];
  EXPECT_EQ(diff.rfind("--- chatty/index.js (version 1)\n+++ chatty/index.js (version 2)\n@@ ", 0), 0u) << diff;
  EXPECT_NE(diff.find("\n+async function lambda() { return 2; }"), std::string::npos);
  EXPECT_NE(diff.find("\n-  console.debug('debug line');\n"), std::string::npos);
  EXPECT_EQ(a["activity"][1]["action"], "function.deployed");
  EXPECT_EQ(a["activity"][2]["action"], "function.created");
  json page = dev_.call("GET", kAcme + "/activity?limit=1").json();
  ASSERT_EQ(page["activity"].size(), 1u);
  json rest = dev_.call("GET", kAcme + "/activity?cursor=" + page["nextCursor"].get<std::string>()).json();
  EXPECT_EQ(rest["activity"][0]["action"], "function.deployed");
}

// Every other kind of change lands in the stream with the acting user as actor, and no secret
// value (a secret's, the webhook's, a client's or a password) appears in any entry.
TEST_F(Observe, ActivityRecordsEveryKindOfChangeWithoutSecretValues) {
  server_.addAccountWithUsers("gamma", {"Admin", "Developer"});
  HttpClient admin = server_.loginAs("gamma", "Admin");
  HttpClient dev = server_.loginAs("gamma", "Developer");
  const std::string acct = "/api/v1/accounts/gamma";
  const std::string kValue = "s3cret-value-never-logged";
  const std::string kWebhookSecret = "webhook-signing-key-never-logged";
  const std::string kPassword = "password-never-logged-1";
  ASSERT_EQ(dev.call("POST", acct + "/functions", {{"name", "f"}, {"code", kCode}}).status, 201);
  ASSERT_EQ(admin.call("POST", acct + "/secrets",
                       {{"name", "API_KEY"}, {"type", "plaintext"}, {"value", kValue}}).status,
            201);
  ASSERT_EQ(admin.call("PUT", acct + "/secrets/API_KEY",
                       {{"type", "plaintext"}, {"value", kValue + "-2"}}).status, 200);
  ASSERT_EQ(admin.call("DELETE", acct + "/secrets/API_KEY").status, 200);
  HttpResult sched = dev.call("POST", acct + "/schedules",
                              {{"function", "f"}, {"cronExpression", "0 * * * *"}});
  ASSERT_EQ(sched.status, 201) << sched.body;
  std::string sid = sched.json()["id"];
  ASSERT_EQ(dev.call("PUT", acct + "/schedules/" + sid, {{"description", "hourly"}}).status, 200);
  ASSERT_EQ(dev.call("DELETE", acct + "/schedules/" + sid).status, 200);
  ASSERT_EQ(dev.call("POST", acct + "/domains", {{"domain", "api.example.com"}}).status, 201);
  ASSERT_EQ(dev.call("DELETE", acct + "/domains/api.example.com").status, 200);
  ASSERT_EQ(dev.call("POST", acct + "/event-types", {{"id", "crm.updated"}}).status, 201);
  ASSERT_EQ(dev.call("DELETE", acct + "/event-types/crm.updated").status, 200);
  ASSERT_EQ(dev.call("POST", acct + "/context/namespaces", {{"name", "carts"}}).status, 201);
  ASSERT_EQ(dev.call("POST", acct + "/context/namespaces", {{"name", "carts"}}).status, 200);
  ASSERT_EQ(dev.call("DELETE", acct + "/context/namespaces/carts").status, 200);
  ASSERT_EQ(admin.call("PUT", acct + "/settings",
                       {{"resultWebhookUrl", "https://hooks.example.com/r"},
                        {"resultWebhookSecret", kWebhookSecret}}).status, 200);
  ASSERT_EQ(admin.call("POST", acct + "/users",
                       {{"username", "gamma-new"}, {"password", kPassword}, {"role", "Viewer"}})
                .status, 201);
  HttpResult client = admin.call("POST", acct + "/clients",
                                 {{"name", "crm"}, {"scopes", {"functions.invoke"}}});
  ASSERT_EQ(client.status, 201) << client.body;
  std::string clientId = client.json()["clientId"];
  std::string clientSecret = client.json()["clientSecret"];
  ASSERT_EQ(admin.call("DELETE", acct + "/clients/" + clientId).status, 200);

  json all = admin.call("GET", acct + "/activity?limit=100").json();
  // action -> (actor, target id) of its newest entry, oldest first to keep the newest.
  std::map<std::string, std::pair<std::string, std::string>> seen;
  std::map<std::string, int> count;
  for (auto it = all["activity"].rbegin(); it != all["activity"].rend(); ++it) {
    seen[(*it)["action"]] = {(*it)["actor"]["name"], (*it)["target"]["id"]};
    ++count[(*it)["action"]];
  }
  EXPECT_EQ(count["context_namespace.created"], 1);  // the second POST found it: no change
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(seen["secret.created"], P("gamma-Admin", "API_KEY")) << all.dump();
  EXPECT_EQ(seen["secret.replaced"], P("gamma-Admin", "API_KEY"));
  EXPECT_EQ(seen["secret.deleted"], P("gamma-Admin", "API_KEY"));
  EXPECT_EQ(seen["schedule.created"], P("gamma-Developer", sid));
  EXPECT_EQ(seen["schedule.updated"], P("gamma-Developer", sid));
  EXPECT_EQ(seen["schedule.deleted"], P("gamma-Developer", sid));
  EXPECT_EQ(seen["domain.added"], P("gamma-Developer", "api.example.com"));
  EXPECT_EQ(seen["domain.removed"], P("gamma-Developer", "api.example.com"));
  EXPECT_EQ(seen["event_type.created"], P("gamma-Developer", "crm.updated"));
  EXPECT_EQ(seen["event_type.deleted"], P("gamma-Developer", "crm.updated"));
  EXPECT_EQ(seen["context_namespace.created"], P("gamma-Developer", "carts"));
  EXPECT_EQ(seen["context_namespace.deleted"], P("gamma-Developer", "carts"));
  EXPECT_EQ(seen["settings.updated"].first, "gamma-Admin");
  EXPECT_EQ(seen["user.added"].first, "gamma-Admin");
  EXPECT_EQ(seen["client.created"], P("gamma-Admin", clientId));
  EXPECT_EQ(seen["client.revoked"], P("gamma-Admin", clientId));
  std::string dump = all.dump();
  EXPECT_NE(dump.find("changed resultWebhookSecret"), std::string::npos) << dump;
  for (const std::string& secret : {kValue, kWebhookSecret, kPassword, clientSecret}) {
    EXPECT_EQ(dump.find(secret), std::string::npos) << secret << " leaked: " << dump;
  }
  // Another account's stream holds none of it.
  json acme = dev_.call("GET", kAcme + "/activity?limit=100").json();
  EXPECT_EQ(acme.dump().find("API_KEY"), std::string::npos);
}

}  // namespace
}  // namespace parley::testing
