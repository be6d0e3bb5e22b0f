// Async events against the real server and a real local HTTP sink behind the result webhook
// (verifying each body's HMAC signature): retries, dead letters with replay and delete,
// per-subject order, duplicates, validation errors naming the field, account event types and
// settings. Waits poll for eventual states with generous deadlines; nothing asserts a duration.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "support/server_process.h"
#include "support/webhook_sink.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kAcct = "/api/v1/accounts/acme";
const std::string kSecret = "whsec-test-1";

// Fails the first `k` deliveries of each event (counted per event id in the warm instance).
std::string failingFirst(int k) {
  return "const seen = {};\n"
         "async function lambda(input) {\n"
         "  const id = input.headers.find(h => h.key === 'ce-id').value;\n"
         "  seen[id] = (seen[id] || 0) + 1;\n"
         "  if (seen[id] <= " + std::to_string(k) + ") throw new Error('attempt ' + seen[id]);\n"
         "  return {id, payload: input.payload};\n"
         "}\n";
}

class AsyncEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    server.addAccountWithUsers("acme", {"Admin", "Developer", "Viewer"});
    admin = server.loginAs("acme", "Admin");
    HttpResult t = admin.call("POST", kAcct + "/event-types",
                              {{"id", "crm.updated"}, {"name", "CRM record updated"},
                               {"samplePayload", {{"ticket", 1}}}});
    ASSERT_EQ(t.status, 201) << t.body;
    HttpResult s = admin.call("PUT", kAcct + "/settings",
                              {{"resultWebhookUrl", sink.url()}, {"resultWebhookSecret", kSecret}});
    ASSERT_EQ(s.status, 200) << s.body;
  }

  void deploy(const std::string& name, const std::string& eventId, const std::string& code) {
    HttpResult c = admin.call("POST", kAcct + "/functions",
                              {{"name", name}, {"eventId", eventId}, {"code", code}});
    ASSERT_EQ(c.status, 201) << c.body;
    ASSERT_EQ(admin.call("POST", kAcct + "/functions/" + name + "/deploy").status, 200);
  }

  HttpResult publish(const json& event) {
    return admin.raw("POST", kAcct + "/events", event.dump(), "application/cloudevents+json");
  }
  HttpResult publishBatch(const json& events) {
    return admin.raw("POST", kAcct + "/events", events.dump(),
                     "application/cloudevents-batch+json");
  }
  static json ce(const std::string& id, const std::string& type = "crm.updated",
                 const std::string& subject = "") {
    json e = {{"specversion", "1.0"}, {"id", id}, {"source", "crm"}, {"type", type},
              {"data", {{"n", id}}}};
    if (!subject.empty()) e["subject"] = subject;
    return e;
  }
  // Results the sink received for `eventId`.
  std::vector<json> resultsFor(const std::string& eventId) {
    std::vector<json> out;
    for (const json& b : sink.bodies()) {
      if (b.value("eventId", "") == eventId) out.push_back(b);
    }
    return out;
  }
  static std::string fieldOf(const HttpResult& r) {
    return r.json()["error"]["details"]["fields"][0]["field"].get<std::string>();
  }

  WebhookSink sink{kSecret};
  ServerProcess server{{"--workers", "1", "--event-max-attempts", "3", "--event-retry-base-ms",
                        "20", "--event-retry-cap-ms", "100"}};
  HttpClient admin{""};
};

TEST_F(AsyncEvents, AFunctionFailingKTimesIsRetriedKTimesThenSucceeds) {
  deploy("flaky", "crm.updated", failingFirst(2));
  HttpResult p = publish(ce("e-1", "crm.updated", "conv-1"));
  ASSERT_EQ(p.status, 202) << p.body;
  EXPECT_EQ(p.json()["accepted"], json::array({"e-1"}));
  ASSERT_TRUE(sink.waitFor([&](auto&) { return resultsFor("e-1").size() >= 3; }));
  auto results = resultsFor("e-1");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["outcome"], "CODING_FAILURE");
  EXPECT_EQ(results[0]["attempt"], 1);
  EXPECT_NE(results[0]["error"]["message"].get<std::string>().find("attempt 1"), std::string::npos);
  EXPECT_EQ(results[1]["outcome"], "CODING_FAILURE");
  EXPECT_EQ(results[1]["attempt"], 2);
  EXPECT_EQ(results[2]["outcome"], "SUCCEEDED");
  EXPECT_EQ(results[2]["result"]["payload"], json({{"n", "e-1"}}));
  EXPECT_EQ(results[2]["subject"], "conv-1");
  EXPECT_TRUE(results[2]["invocationId"].is_string());
  for (const auto& r : sink.requests()) {
    EXPECT_TRUE(r.signatureValid) << r.headers.at("x-parley-signature");
  }
  // The invocation is recorded with trigger "event".
  HttpResult inv = admin.call("GET", kAcct + "/invocations/" +
                                         results[2]["invocationId"].get<std::string>());
  ASSERT_EQ(inv.status, 200) << inv.body;
  EXPECT_EQ(inv.json()["trigger"], "event");
  EXPECT_TRUE(admin.call("GET", kAcct + "/dead-letters").json().empty());
}

TEST_F(AsyncEvents, AlwaysFailingLandsInDeadLettersReplaysAndDeletes) {
  deploy("broken", "crm.updated", "async function lambda() { throw new Error('always'); }");
  ASSERT_EQ(publish(ce("d-1")).status, 202);
  json dead;
  for (int i = 0; i < 3000 && dead.empty(); ++i) {
    dead = admin.call("GET", kAcct + "/dead-letters").json();
    if (dead.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0]["eventId"], "d-1");
  EXPECT_EQ(dead[0]["attempts"], 3);
  EXPECT_EQ(dead[0]["functions"].size(), 1u);
  EXPECT_NE(dead[0]["lastError"].get<std::string>().find("always"), std::string::npos);
  EXPECT_EQ(dead[0]["event"]["data"], json({{"n", "d-1"}}));
  std::string id = dead[0]["id"];
  ASSERT_TRUE(sink.waitFor([&](auto&) { return resultsFor("d-1").size() >= 3; }));
  EXPECT_EQ(resultsFor("d-1").back()["final"], true);

  HttpResult one = admin.call("GET", kAcct + "/dead-letters/" + id);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["id"], id);
  // Viewers read dead letters but cannot replay them.
  HttpClient viewer = server.loginAs("acme", "Viewer");
  EXPECT_EQ(viewer.call("GET", kAcct + "/dead-letters/" + id).status, 200);
  EXPECT_EQ(viewer.call("POST", kAcct + "/dead-letters/" + id + "/replay").status, 403);

  ASSERT_EQ(admin.call("POST", kAcct + "/dead-letters/" + id + "/replay").status, 202);
  EXPECT_EQ(admin.call("GET", kAcct + "/dead-letters/" + id).status, 404);
  // Delivered again three times, then dead again.
  ASSERT_TRUE(sink.waitFor([&](auto&) { return resultsFor("d-1").size() >= 6; }));
  json again;
  for (int i = 0; i < 3000 && again.empty(); ++i) {
    again = admin.call("GET", kAcct + "/dead-letters").json();
    if (again.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(again.size(), 1u);
  std::string id2 = again[0]["id"];
  ASSERT_EQ(admin.call("DELETE", kAcct + "/dead-letters/" + id2).status, 200);
  EXPECT_EQ(admin.call("GET", kAcct + "/dead-letters/" + id2).status, 404);
  EXPECT_EQ(admin.call("DELETE", kAcct + "/dead-letters/" + id2).status, 404);
  EXPECT_TRUE(admin.call("GET", kAcct + "/dead-letters").json().empty());
  // The replay and the delete are in the activity stream, by the admin (the failed delete not).
  json activity = admin.call("GET", kAcct + "/activity?limit=2").json()["activity"];
  ASSERT_EQ(activity.size(), 2u) << activity.dump();
  EXPECT_EQ(activity[0]["action"], "dead_letter.deleted");
  EXPECT_EQ(activity[0]["target"]["id"], id2);
  EXPECT_EQ(activity[0]["actor"]["name"], "acme-Admin");
  EXPECT_EQ(activity[1]["action"], "dead_letter.replayed");
  EXPECT_EQ(activity[1]["target"]["id"], id);
  EXPECT_EQ(activity[1]["actor"]["name"], "acme-Admin");
}

TEST_F(AsyncEvents, EventsOfOneSubjectAreDeliveredInOrder) {
  // Fails the first delivery of every third event: later events of its subject must wait.
  deploy("ordered", "crm.updated",
         "const seen = {};\n"
         "async function lambda(input) {\n"
         "  const id = input.headers.find(h => h.key === 'ce-id').value;\n"
         "  seen[id] = (seen[id] || 0) + 1;\n"
         "  if (Number(id.split('-')[1]) % 3 === 0 && seen[id] === 1) throw new Error('once');\n"
         "  return id;\n"
         "}\n");
  json batch = json::array();
  for (int i = 0; i < 30; ++i) {
    std::string subject = i % 2 == 0 ? "conv-a" : "conv-b";
    batch.push_back(ce(subject + "-" + std::to_string(i), "crm.updated", subject));
  }
  HttpResult p = publishBatch(batch);
  ASSERT_EQ(p.status, 202) << p.body;
  EXPECT_EQ(p.json()["accepted"].size(), 30u);
  auto successes = [&](const std::vector<SinkRequest>&) {
    std::map<std::string, std::vector<int>> bySubject;
    for (const json& b : sink.bodies()) {
      if (b["outcome"] != "SUCCEEDED") continue;
      std::string id = b["eventId"];
      bySubject[b["subject"]].push_back(std::stoi(id.substr(id.rfind('-') + 1)));
    }
    return bySubject;
  };
  ASSERT_TRUE(sink.waitFor([&](auto& r) {
    auto s = successes(r);
    return s["conv-a"].size() + s["conv-b"].size() >= 30;
  }));
  auto s = successes(sink.requests());
  std::vector<int> a, b;
  for (int i = 0; i < 30; ++i) (i % 2 == 0 ? a : b).push_back(i);
  EXPECT_EQ(s["conv-a"], a);
  EXPECT_EQ(s["conv-b"], b);
}

TEST_F(AsyncEvents, DuplicatesAnswer202ButAreNotDeliveredAgain) {
  deploy("once", "crm.updated", "async function lambda(input) { return 1; }");
  ASSERT_EQ(publish(ce("dup-1")).status, 202);
  HttpResult again = publish(ce("dup-1"));
  ASSERT_EQ(again.status, 202) << again.body;
  EXPECT_EQ(again.json()["duplicates"], json::array({"dup-1"}));
  // Binary mode with the same source+id is a duplicate too.
  HttpResult binary = admin.request(
      "POST", kAcct + "/events", R"({"n":"dup-1"})",
      {"Content-Type: application/json", "Authorization: Bearer " + admin.token(),
       "ce-specversion: 1.0", "ce-id: dup-1", "ce-source: crm", "ce-type: crm.updated"});
  ASSERT_EQ(binary.status, 202) << binary.body;
  EXPECT_EQ(binary.json()["duplicates"], json::array({"dup-1"}));
  // A later event is delivered after the first: once it arrives, dup-1 has arrived once only.
  ASSERT_EQ(publish(ce("marker", "crm.updated")).status, 202);
  ASSERT_TRUE(sink.waitFor([&](auto&) { return !resultsFor("marker").empty(); }));
  ASSERT_TRUE(sink.waitFor([&](auto&) { return !resultsFor("dup-1").empty(); }));
  EXPECT_EQ(resultsFor("dup-1").size(), 1u);
}

TEST_F(AsyncEvents, BinaryModeDeliversTheBodyAsPayload) {
  deploy("echo", "crm.updated", "async function lambda(input) { return input.payload; }");
  HttpResult r = admin.request(
      "POST", kAcct + "/events", R"({"ticket":7})",
      {"Content-Type: application/json", "Authorization: Bearer " + admin.token(),
       "ce-specversion: 1.0", "ce-id: bin-1", "ce-source: crm", "ce-type: crm.updated",
       "ce-subject: conv-9"});
  ASSERT_EQ(r.status, 202) << r.body;
  ASSERT_TRUE(sink.waitFor([&](auto&) { return !resultsFor("bin-1").empty(); }));
  EXPECT_EQ(resultsFor("bin-1")[0]["result"], json({{"ticket", 7}}));
  EXPECT_EQ(resultsFor("bin-1")[0]["subject"], "conv-9");
}

TEST_F(AsyncEvents, InvalidEventsAnswer400NamingTheField) {
  json noSource = ce("x");
  noSource.erase("source");
  HttpResult r = publish(noSource);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(fieldOf(r), "source");
  EXPECT_EQ(publish(ce("x", "no.such.type")).status, 400);
  EXPECT_EQ(fieldOf(publish(ce("x", "no.such.type"))), "type");
  json badSpec = ce("x");
  badSpec["specversion"] = "0.3";
  EXPECT_EQ(fieldOf(publish(badSpec)), "specversion");
  r = publishBatch(json::array({ce("ok-1"), ce("bad", "nope")}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(fieldOf(r), "[1].type");
  r = admin.request("POST", kAcct + "/events", "{}",
                    {"Content-Type: application/json", "Authorization: Bearer " + admin.token(),
                     "ce-specversion: 1.0", "ce-source: crm", "ce-type: crm.updated"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(fieldOf(r), "ce-id");
  r = admin.raw("POST", kAcct + "/events", "{not json", "application/cloudevents+json");
  EXPECT_EQ(r.status, 400);
  // Nothing of a rejected batch was stored: ok-1 is not a duplicate now.
  HttpResult ok = publish(ce("ok-1"));
  ASSERT_EQ(ok.status, 202);
  EXPECT_TRUE(ok.json()["duplicates"].empty());
}

TEST_F(AsyncEvents, PublishingNeedsTheRightRoleAndAccount) {
  HttpClient viewer = server.loginAs("acme", "Viewer");
  EXPECT_EQ(viewer.raw("POST", kAcct + "/events", ce("v").dump(), "application/cloudevents+json")
                .status,
            403);
  HttpClient developer = server.loginAs("acme", "Developer");
  EXPECT_EQ(developer.raw("POST", kAcct + "/events", ce("d").dump(),
                          "application/cloudevents+json")
                .status,
            202);
  server.addAccountWithUsers("other", {"Admin"});
  HttpClient otherAdmin = server.loginAs("other", "Admin");
  EXPECT_EQ(otherAdmin.raw("POST", kAcct + "/events", ce("o").dump(),
                           "application/cloudevents+json")
                .status,
            404);
  EXPECT_EQ(otherAdmin.call("GET", kAcct + "/dead-letters").status, 404);
  EXPECT_EQ(otherAdmin.call("GET", kAcct + "/settings").status, 404);
}

TEST_F(AsyncEvents, AccountEventTypesBindAndAreProtectedWhileBound) {
  HttpResult list = admin.call("GET", "/api/v1/events?account=acme");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  for (const json& e : list.json()) {
    if (e["eventId"] == "crm.updated") {
      found = true;
      EXPECT_EQ(e["category"], "Account");
      EXPECT_EQ(e["samplePayload"]["payload"], json({{"ticket", 1}}));
    }
  }
  EXPECT_TRUE(found);
  // Without ?account= only the built-in catalogue.
  for (const json& e : admin.call("GET", "/api/v1/events").json()) {
    EXPECT_NE(e["eventId"], "crm.updated");
  }
  EXPECT_EQ(admin.call("GET", "/api/v1/events/crm.updated?account=acme").status, 200);
  EXPECT_EQ(admin.call("POST", kAcct + "/event-types", {{"id", "crm.updated"}}).status, 409);
  EXPECT_EQ(admin.call("POST", kAcct + "/event-types", {{"id", "conversational_command"}}).status,
            409);
  HttpResult bad = admin.call("POST", kAcct + "/event-types", {{"id", "has space"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(fieldOf(bad), "id");
  EXPECT_EQ(server.loginAs("acme", "Viewer")
                .call("POST", kAcct + "/event-types", {{"id", "v.type"}})
                .status,
            403);

  deploy("bound", "crm.updated", "async function lambda() { return 1; }");
  HttpResult refused = admin.call("DELETE", kAcct + "/event-types/crm.updated");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.json()["error"]["message"].get<std::string>().find("'bound'"),
            std::string::npos);
  ASSERT_EQ(admin.call("POST", kAcct + "/functions/bound/undeploy").status, 200);
  ASSERT_EQ(admin.call("PUT", kAcct + "/functions/bound", {{"eventId", "No Event"}}).status, 200);
  EXPECT_EQ(admin.call("DELETE", kAcct + "/event-types/crm.updated").status, 200);
  EXPECT_EQ(admin.call("DELETE", kAcct + "/event-types/crm.updated").status, 404);
  EXPECT_EQ(fieldOf(publish(ce("gone"))), "type");
}

TEST_F(AsyncEvents, SettingsNeverShowTheWebhookSecret) {
  HttpResult g = admin.call("GET", kAcct + "/settings");
  ASSERT_EQ(g.status, 200);
  EXPECT_EQ(g.json()["resultWebhookUrl"], sink.url());
  EXPECT_EQ(g.json()["resultWebhookSecretSet"], true);
  EXPECT_EQ(g.body.find(kSecret), std::string::npos);
  HttpClient developer = server.loginAs("acme", "Developer");
  EXPECT_EQ(developer.call("GET", kAcct + "/settings").status, 200);
  EXPECT_EQ(developer.call("PUT", kAcct + "/settings", {{"resultWebhookUrl", nullptr}}).status,
            403);
  HttpResult bad = admin.call("PUT", kAcct + "/settings", {{"resultWebhookUrl", "ftp://x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(fieldOf(bad), "resultWebhookUrl");
  EXPECT_EQ(admin.call("PUT", kAcct + "/settings", {{"color", "red"}}).status, 400);
  // The secret is not in the database file in clear.
  std::ifstream db(server.dataDir() + "/parley.db", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  std::ifstream wal(server.dataDir() + "/parley.db-wal", std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(kSecret), std::string::npos);
}

TEST_F(AsyncEvents, AWebhookThatFailsIsRetried) {
  int failures = 0;
  sink.setStatusFor([&failures](const SinkRequest&) { return failures++ < 2 ? 503 : 200; });
  deploy("ok", "crm.updated", "async function lambda() { return 'fine'; }");
  ASSERT_EQ(publish(ce("w-1")).status, 202);
  ASSERT_TRUE(sink.waitFor([&](auto&) { return resultsFor("w-1").size() >= 3; }));
  auto results = resultsFor("w-1");
  EXPECT_EQ(results.size(), 3u);  // the same result, until it was answered with 200
  EXPECT_EQ(results[0], results[2]);
  auto requests = sink.requests();
  EXPECT_EQ(requests[0].headers.at("x-parley-delivery"), requests[2].headers.at("x-parley-delivery"));
}

}  // namespace
}  // namespace parley::testing
