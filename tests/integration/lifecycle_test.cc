// The whole function lifecycle against the real server over real sockets: create, edit,
// versions, deploy, invoke, test, rollback, undeploy, delete; validation errors; restarts.
#include <gtest/gtest.h>

#include <atomic>

#include <thread>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const char* kHello = "function lambda(input, callback) {\n"
                     "  console.info('hello', input.payload.name);\n"
                     "  callback(null, { greeting: `Hello ${input.payload.name}`, v: 1 });\n"
                     "}\n";

class Lifecycle : public ::testing::Test {
 protected:
  ServerProcess server;
  HttpClient admin = server.login();
  const std::string fns = "/api/v1/accounts/default/functions";
};

TEST_F(Lifecycle, CreateDeployInvokeRollbackUndeployDelete) {
  HttpResult created = admin.call("POST", fns, {{"name", "greet"}, {"description", "says hello"},
                                                {"code", kHello}, {"environment", {{"MODE", "x"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  json f = created.json();
  EXPECT_EQ(f["state"], "Draft");
  EXPECT_EQ(f["version"], 1);
  EXPECT_EQ(f["deployedVersion"], nullptr);
  std::string uuid = f["uuid"];
  EXPECT_EQ(uuid.size(), 36u);

  // Draft functions can be tested but not invoked.
  HttpResult test = admin.call("POST", fns + "/greet/test", {{"payload", {{"name", "Ann"}}}});
  ASSERT_EQ(test.status, 200) << test.body;
  EXPECT_EQ(test.json()["result"]["greeting"], "Hello Ann");
  EXPECT_EQ(test.json()["logs"][0]["message"], "hello");
  EXPECT_EQ(test.json()["logs"][0]["extras"][0], "Ann");
  EXPECT_GT(test.json()["durationMs"].get<double>(), 0.0);
  HttpResult notDeployed = admin.call("POST", fns + "/greet/invoke", {{"payload", {{"name", "A"}}}});
  EXPECT_EQ(notDeployed.status, 409) << notDeployed.body;
  EXPECT_EQ(notDeployed.json()["error"]["code"], "failed_precondition");

  HttpResult deployed = admin.call("POST", fns + "/" + uuid + "/deploy");
  ASSERT_EQ(deployed.status, 200) << deployed.body;
  EXPECT_EQ(deployed.json()["state"], "Productive");
  EXPECT_EQ(deployed.json()["deployedVersion"], 1);

  HttpResult invoked = admin.call("POST", fns + "/greet/invoke",
                                  {{"headers", json::array()}, {"payload", {{"name", "Bo"}}}});
  ASSERT_EQ(invoked.status, 200) << invoked.body;
  EXPECT_EQ(invoked.json(), (json{{"greeting", "Hello Bo"}, {"v", 1}}));
  std::string invocationId = invoked.header("x-parley-invocation-id");
  ASSERT_FALSE(invocationId.empty());
  HttpResult record = admin.call("GET", "/api/v1/accounts/default/invocations/" + invocationId);
  ASSERT_EQ(record.status, 200) << record.body;
  EXPECT_EQ(record.json()["outcome"], "SUCCEEDED");
  EXPECT_EQ(record.json()["trigger"], "http");
  EXPECT_EQ(record.json()["version"], 1);
  EXPECT_EQ(record.json()["logs"][0]["message"], "hello");
  // The caller got the result; the record does not keep it. Ids are time-ordered (UUID v7).
  EXPECT_FALSE(record.json().contains("result")) << record.body;
  EXPECT_EQ(invocationId[14], '7') << invocationId;

  // A new version: Productive becomes Modified; the live version is still 1.
  std::string v2 = kHello;
  v2.replace(v2.find("v: 1"), 4, "v: 2");
  HttpResult updated = admin.call("PUT", fns + "/greet", {{"code", v2}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json()["state"], "Modified");
  EXPECT_EQ(updated.json()["version"], 2);
  EXPECT_EQ(admin.call("POST", fns + "/greet/invoke", {{"payload", {{"name", "C"}}}}).json()["v"], 1);
  ASSERT_EQ(admin.call("POST", fns + "/greet/deploy").status, 200);
  EXPECT_EQ(admin.call("POST", fns + "/greet/invoke", {{"payload", {{"name", "C"}}}}).json()["v"], 2);

  // Rollback to version 1 in one step.
  HttpResult rolled = admin.call("POST", fns + "/greet/deploy", {{"version", 1}});
  ASSERT_EQ(rolled.status, 200) << rolled.body;
  EXPECT_EQ(rolled.json()["deployedVersion"], 1);
  EXPECT_EQ(rolled.json()["state"], "Modified");
  EXPECT_EQ(admin.call("POST", fns + "/greet/invoke", {{"payload", {{"name", "C"}}}}).json()["v"], 1);

  HttpResult versions = admin.call("GET", fns + "/greet/versions");
  ASSERT_EQ(versions.json().size(), 2u);
  EXPECT_EQ(versions.json()[0]["version"], 2);
  HttpResult history = admin.call("GET", fns + "/greet/deployments");
  ASSERT_EQ(history.json().size(), 3u);
  EXPECT_EQ(history.json()[0]["action"], "rollback");

  // Deployed functions cannot be deleted; undeployed ones can.
  EXPECT_EQ(admin.call("DELETE", fns + "/greet").status, 409);
  HttpResult undeployed = admin.call("POST", fns + "/greet/undeploy");
  EXPECT_EQ(undeployed.json()["state"], "Undeployed");
  EXPECT_EQ(admin.call("POST", fns + "/greet/invoke", {{"payload", json::object()}}).status, 409);
  EXPECT_EQ(admin.call("DELETE", fns + "/greet").status, 200);
  EXPECT_EQ(admin.call("GET", fns + "/greet").status, 404);
}

TEST_F(Lifecycle, BuildErrorsCarryLineAndColumnAndKeepTheLiveVersion) {
  ASSERT_EQ(admin.call("POST", fns, {{"name", "calc"}, {"code", kHello}}).status, 201);
  ASSERT_EQ(admin.call("POST", fns + "/calc/deploy").status, 200);
  ASSERT_EQ(admin.call("PUT", fns + "/calc", {{"code", "function lambda(i, cb) {\n  cb(null, 1\n}"}}).status, 200);
  HttpResult failed = admin.call("POST", fns + "/calc/deploy");
  ASSERT_EQ(failed.status, 400) << failed.body;
  EXPECT_EQ(failed.json()["error"]["details"]["line"], 2);
  EXPECT_GT(failed.json()["error"]["details"]["column"].get<int>(), 0);
  HttpResult f = admin.call("GET", fns + "/calc");
  EXPECT_EQ(f.json()["state"], "Build Error");
  EXPECT_EQ(f.json()["lastError"]["line"], 2);
  // Version 1 is still the one running.
  EXPECT_EQ(admin.call("POST", fns + "/calc/invoke", {{"payload", {{"name", "Z"}}}}).status, 200);
  HttpResult noLambda = admin.call("PUT", fns + "/calc", {{"code", "function handler() {}"}});
  ASSERT_EQ(noLambda.status, 200);
  HttpResult missing = admin.call("POST", fns + "/calc/deploy");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.json()["error"]["message"].get<std::string>().find("lambda"), std::string::npos);
}

TEST_F(Lifecycle, SaveAndDeployInOneRequest) {
  // Create with ?deploy=true: live at once, one deployment recorded.
  HttpResult created = admin.call("POST", fns + "?deploy=true", {{"name", "quick"}, {"code", kHello}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["state"], "Productive");
  EXPECT_EQ(created.json()["deployedVersion"], 1);
  HttpResult invoked = admin.call("POST", fns + "/quick/invoke", {{"payload", {{"name", "Di"}}}});
  ASSERT_EQ(invoked.status, 200) << invoked.body;
  EXPECT_EQ(invoked.json()["greeting"], "Hello Di");
  EXPECT_EQ(admin.call("GET", fns + "/quick/deployments").json().size(), 1u);

  // PUT with ?deploy=true: the new version replaces the live one in the same request.
  std::string v2 = kHello;
  v2.replace(v2.find("v: 1"), 4, "v: 2");
  HttpResult updated = admin.call("PUT", fns + "/quick?deploy=true", {{"code", v2}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json()["state"], "Productive");
  EXPECT_EQ(updated.json()["deployedVersion"], 2);
  EXPECT_EQ(admin.call("POST", fns + "/quick/invoke", {{"payload", {{"name", "E"}}}}).json()["v"], 2);

  // Code that does not build: saved, not deployed, and the answer says both; version 2 stays live.
  HttpResult broken = admin.call("PUT", fns + "/quick?deploy=true",
                                 {{"code", "function lambda(i, cb) {\n  cb(null, 1\n}"}});
  ASSERT_EQ(broken.status, 400) << broken.body;
  EXPECT_EQ(broken.json()["error"]["details"]["line"], 2);
  EXPECT_NE(broken.json()["error"]["message"].get<std::string>().find("Version 3 was saved but not deployed"),
            std::string::npos) << broken.body;
  HttpResult after = admin.call("GET", fns + "/quick");
  EXPECT_EQ(after.json()["state"], "Build Error");
  EXPECT_EQ(after.json()["version"], 3);
  EXPECT_EQ(admin.call("POST", fns + "/quick/invoke", {{"payload", {{"name", "F"}}}}).json()["v"], 2);

  // A new function whose code does not build is created in Build Error, not live.
  HttpResult bad = admin.call("POST", fns + "?deploy=true", {{"name", "broken"}, {"code", "function handler() {}"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(admin.call("GET", fns + "/broken").json()["state"], "Build Error");
  EXPECT_EQ(admin.call("POST", fns + "/broken/invoke", {{"payload", json::object()}}).status, 409);

  // Only true or false; anything else is refused before anything is saved.
  HttpResult odd = admin.call("POST", fns + "?deploy=yes", {{"name", "odd"}, {"code", kHello}});
  EXPECT_EQ(odd.status, 400) << odd.body;
  EXPECT_NE(odd.json()["error"]["message"].get<std::string>().find("'deploy'"), std::string::npos);
  EXPECT_EQ(admin.call("GET", fns + "/odd").status, 404);
  HttpResult plain = admin.call("POST", fns + "?deploy=false", {{"name", "odd"}, {"code", kHello}});
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_EQ(plain.json()["state"], "Draft");
}

TEST_F(Lifecycle, ValidationErrorsNameEveryField) {
  HttpResult r = admin.call("POST", fns, {{"name", "bad name!"}, {"description", std::string(201, 'd')},
                                          {"code", ""}, {"environment", {{"1X", "v"}, {"BRAND_ID", "b"}}},
                                          {"settings", {{"timeoutSeconds", 0}, {"memoryMb", 99999}}}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "invalid_argument");
  std::set<std::string> fields;
  const json rejected = r.json();
  for (const json& e : rejected["error"]["details"]["fields"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"name", "description", "code", "environment.1X",
                                           "environment.BRAND_ID", "settings.timeoutSeconds",
                                           "settings.memoryMb"}));
  // Wrong JSON types and malformed JSON.
  EXPECT_EQ(admin.call("POST", fns, {{"name", 5}}).json()["error"]["message"], "'name' must be a string");
  HttpResult bad = admin.raw("POST", fns, "{\"name\": ");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("not valid JSON"),
            std::string::npos);
  EXPECT_EQ(admin.raw("POST", fns, "[1,2]").json()["error"]["message"],
            "The body must be a JSON object");
  // Duplicate names.
  ASSERT_EQ(admin.call("POST", fns, {{"name", "twice"}, {"code", kHello}}).status, 201);
  HttpResult dup = admin.call("POST", fns, {{"name", "twice"}, {"code", kHello}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json()["error"]["code"], "already_exists");
}

TEST_F(Lifecycle, FunctionFailuresKeepLivePersonCodes) {
  ASSERT_EQ(admin.call("POST", fns, {{"name", "boom"},
                                     {"code", "async function lambda(i) { console.error('about to fail'); "
                                              "throw new Error('kaput'); }"}}).status, 201);
  ASSERT_EQ(admin.call("POST", fns + "/boom/deploy").status, 200);
  HttpResult r = admin.call("POST", fns + "/boom/invoke", {{"payload", json::object()}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json()["error"]["code"], "com.liveperson.faas.handler.custom-failure");
  EXPECT_EQ(r.json()["error"]["message"], "kaput");
  EXPECT_EQ(r.json()["error"]["details"]["outcome"], "CODING_FAILURE");
  EXPECT_EQ(r.json()["error"]["details"]["logs"][0]["level"], "Error");
  HttpResult t = admin.call("POST", fns + "/boom/test", {{"payload", json::object()}});
  EXPECT_EQ(t.status, 200);
  EXPECT_EQ(t.json()["error"]["code"], "com.liveperson.faas.handler.custom-failure");
  EXPECT_NE(t.json()["error"]["stack"].get<std::string>().find("boom.js:1"), std::string::npos);
}

TEST_F(Lifecycle, AsyncInvocationIsRecorded) {
  ASSERT_EQ(admin.call("POST", fns, {{"name", "later"}, {"code", "async function lambda(i) { return i.payload.n * 2; }"}}).status, 201);
  ASSERT_EQ(admin.call("POST", fns + "/later/deploy").status, 200);
  HttpResult accepted = admin.call("POST", fns + "/later/invoke?async=true", {{"payload", {{"n", 21}}}});
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  std::string id = accepted.json()["invocationId"];
  json rec;
  for (int i = 0; i < 500; ++i) {
    rec = admin.call("GET", "/api/v1/accounts/default/invocations/" + id).json();
    if (rec.value("status", "") == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(rec["status"], "done");
  EXPECT_EQ(rec["result"], 42);
}

TEST_F(Lifecycle, ConcurrencyQuotaAnswers429WithRetryAfter) {
  ServerProcess limited({"--max-concurrent-invocations", "1"});
  HttpClient a = limited.login();
  ASSERT_EQ(a.call("POST", fns, {{"name", "slow"}, {"code", "async function lambda() { await new Promise(r => setTimeout(r, 1500)); return 1; }"}}).status, 201);
  ASSERT_EQ(a.call("POST", fns + "/slow/deploy").status, 200);
  std::thread first([&] { a.call("POST", fns + "/slow/invoke", {{"payload", json::object()}}); });
  HttpResult second;
  for (int i = 0; i < 100; ++i) {  // until the first one is running
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    second = a.call("POST", fns + "/slow/invoke", {{"payload", json::object()}});
    if (second.status == 429) break;
  }
  first.join();
  EXPECT_EQ(second.status, 429) << second.body;
  EXPECT_EQ(second.header("retry-after"), "1");
  EXPECT_EQ(second.json()["error"]["code"], "resource_exhausted");
}

TEST_F(Lifecycle, RateQuotaAnswers429WithRetryAfter) {
  ServerProcess limited({"--max-invocations-per-second", "3"});
  HttpClient a = limited.login();
  ASSERT_EQ(a.call("POST", fns, {{"name", "quick"}, {"code", "async function lambda() { return 1; }"}}).status, 201);
  ASSERT_EQ(a.call("POST", fns + "/quick/deploy").status, 200);
  int ok = 0, limitedCount = 0;
  HttpResult last;
  for (int i = 0; i < 10; ++i) {
    HttpResult r = a.call("POST", fns + "/quick/invoke", {{"payload", json::object()}});
    if (r.status == 200) ok++;
    if (r.status == 429) {
      limitedCount++;
      last = r;
    }
  }
  EXPECT_GE(ok, 3);
  EXPECT_GE(limitedCount, 1);
  EXPECT_GE(std::stoi(last.header("retry-after")), 1);
  EXPECT_NE(last.json()["error"]["message"].get<std::string>().find("per second"), std::string::npos);
}

TEST_F(Lifecycle, SlowDeploysDoNotStallTheServer) {
  // Deploying runs the code's top level, here an endless loop ended only by the 2 s timeout.
  // Three such deploys at once (more than the server's I/O threads on this machine) must not
  // stop it answering anything else meanwhile: /healthz answers while all three are still going.
  const int kDeploys = 3;
  for (int i = 0; i < kDeploys; ++i) {
    ASSERT_EQ(admin.call("POST", fns, {{"name", "spin" + std::to_string(i)},
                                       {"settings", {{"timeoutSeconds", 2}}},
                                       {"code", "while (true) {}\nasync function lambda() { return 1; }"}})
                  .status, 201);
  }
  std::atomic<int> finished{0};
  std::vector<std::thread> deploys;
  for (int i = 0; i < kDeploys; ++i) {
    deploys.emplace_back([&, i] {
      HttpResult r = admin.call("POST", fns + "/spin" + std::to_string(i) + "/deploy");
      // Refused: the top level timed out (400), or, queued behind the others on a worker past
      // its hard deadline, the runtime gave up on it (500).
      EXPECT_TRUE(r.status == 400 || r.status == 500) << r.status << " " << r.body;
      finished++;
    });
  }
  // Give the three requests time to arrive (nothing observable says a validation is under way;
  // each takes 2 s, so there is room). Arriving late would make this test pass, never fail.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  HttpResult health = admin.call("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  // Had /healthz waited for an I/O thread held by a deploy, that deploy would have ended with it;
  // a moment later its thread has counted it. The deploys still have over a second to go.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(finished.load(), 0) << "the server answered /healthz only after a slow deploy ended";
  for (auto& t : deploys) t.join();
  EXPECT_EQ(finished.load(), kDeploys);
}

TEST_F(Lifecycle, InFlightInvocationsFinishOnTheOldVersionDuringADeploy) {
  const char* v1 = "async function lambda(i) { if (i.payload.wait) await new Promise(r => setTimeout(r, 1500)); return 'v1'; }";
  ASSERT_EQ(admin.call("POST", fns, {{"name", "swap"}, {"code", v1}}).status, 201);
  ASSERT_EQ(admin.call("POST", fns + "/swap/deploy").status, 200);
  std::thread slow([&] {
    HttpResult r = admin.call("POST", fns + "/swap/invoke", {{"payload", {{"wait", true}}}});
    EXPECT_EQ(r.body, "\"v1\"");  // started on v1, finishes on v1
  });
  // Redeploy only once the slow invocation is running (a fixed sleep raced it on a loaded machine).
  bool running = false;
  for (int i = 0; i < 1000 && !running; ++i) {
    running = admin.call("GET", "/metrics").body.find("\nparley_invocations_running 1\n") !=
              std::string::npos;
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(running) << "the slow invocation never started";
  ASSERT_EQ(admin.call("PUT", fns + "/swap", {{"code", "async function lambda() { return 'v2'; }"}}).status, 200);
  ASSERT_EQ(admin.call("POST", fns + "/swap/deploy").status, 200);
  // New invocations use the new version at once, while the old one is still running.
  EXPECT_EQ(admin.call("POST", fns + "/swap/invoke", {{"payload", json::object()}}).body, "\"v2\"");
  slow.join();
}

TEST(Restart, EverythingSurvivesARestartAndAKill) {
  std::string dataDir;
  {
    char tmpl[] = "/tmp/parley-restart-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dataDir = tmpl;
  }
  const std::string fns = "/api/v1/accounts/default/functions";
  {
    ServerProcess s({}, dataDir);
    HttpClient a = s.login();
    ASSERT_EQ(a.call("POST", fns, {{"name", "keep"}, {"code", kHello}}).status, 201);
    ASSERT_EQ(a.call("POST", fns + "/keep/deploy").status, 200);
    ASSERT_EQ(a.call("POST", "/api/v1/accounts", {{"id", "acme"}, {"name", "Acme"}}).status, 201);
    EXPECT_EQ(s.stop(/*kill=*/true), SIGKILL);  // no graceful shutdown at all
  }
  ServerProcess s({}, dataDir);
  HttpClient a = s.login();
  HttpResult f = a.call("GET", fns + "/keep");
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_EQ(f.json()["state"], "Productive");
  EXPECT_EQ(a.call("POST", fns + "/keep/invoke", {{"payload", {{"name", "again"}}}}).json()["greeting"],
            "Hello again");
  EXPECT_EQ(a.call("GET", "/api/v1/accounts").json().size(), 2u);
  s.stop();
  std::system(("rm -rf '" + dataDir + "'").c_str());
}

}  // namespace
}  // namespace parley::testing
