// Schedules against the real server: CRUD, validation errors naming the field, the per-account
// limit, roles, other accounts, and nextExecution in the schedule's time zone. Nothing here waits
// for a minute to pass (firing is covered by control's SchedulerLoop tests).
#include <gtest/gtest.h>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kSchedules = "/api/v1/accounts/acme/schedules";
const std::string kFns = "/api/v1/accounts/acme/functions";
const std::string kCode = "function lambda(input, callback) { callback(null, input.payload); }";

class Schedules : public ::testing::Test {
 protected:
  void SetUp() override {
    server.addAccountWithUsers("acme", {"Admin", "Developer", "Viewer"});
    admin = as("Admin");
    HttpResult c = admin.call("POST", kFns, {{"name", "tick"}, {"code", kCode}});
    ASSERT_EQ(c.status, 201) << c.body;
    HttpResult d = admin.call("POST", kFns + "/tick/deploy");
    ASSERT_EQ(d.status, 200) << d.body;
  }
  HttpClient as(const std::string& role) { return server.loginAs("acme", role); }
  static std::string fieldOf(const HttpResult& r) {
    json j = r.json();
    return j["error"]["details"]["fields"][0]["field"].get<std::string>();
  }

  ServerProcess server{{"--max-schedules-per-account", "3"}};
  HttpClient op = server.login();
  HttpClient admin{""};
};

TEST_F(Schedules, Crud) {
  HttpResult c = admin.call("POST", kSchedules,
                            {{"function", "tick"},
                             {"cronExpression", "*/5 * * * *"},
                             {"headers", json::array({{{"key", "X-A"}, {"value", "1"}}})},
                             {"payload", {{"n", 1}}},
                             {"description", "every five minutes"}});
  ASSERT_EQ(c.status, 201) << c.body;
  json s = c.json();
  std::string id = s["id"];
  EXPECT_EQ(s["cronExpression"], "*/5 * * * *");
  EXPECT_EQ(s["timeZone"], "UTC");
  EXPECT_EQ(s["headers"]["X-A"], "1");
  EXPECT_EQ(s["payload"]["n"], 1);
  EXPECT_EQ(s["isActive"], true);
  EXPECT_EQ(s["pausedByUndeploy"], false);
  EXPECT_TRUE(s["nextExecution"].is_string());
  EXPECT_TRUE(s["lastExecution"].is_null());
  EXPECT_TRUE(s["lastOutcome"].is_null());

  HttpResult list = admin.call("GET", kSchedules);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json().size(), 1u);
  EXPECT_EQ(list.json()[0]["id"], id);

  HttpResult u = admin.call("PUT", kSchedules + "/" + id,
                            {{"isActive", false}, {"headers", {{"X-B", "2"}}}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json()["isActive"], false);
  EXPECT_TRUE(u.json()["nextExecution"].is_null());
  EXPECT_EQ(u.json()["headers"], json({{"X-B", "2"}}));
  EXPECT_EQ(u.json()["description"], "every five minutes");

  HttpResult g = admin.call("GET", kSchedules + "/" + id);
  ASSERT_EQ(g.status, 200);
  EXPECT_EQ(g.json()["isActive"], false);

  // Undeploy pauses, deploy resumes.
  ASSERT_EQ(admin.call("PUT", kSchedules + "/" + id, {{"isActive", true}}).status, 200);
  ASSERT_EQ(admin.call("POST", kFns + "/tick/undeploy").status, 200);
  g = admin.call("GET", kSchedules + "/" + id);
  EXPECT_EQ(g.json()["pausedByUndeploy"], true);
  EXPECT_TRUE(g.json()["nextExecution"].is_null());
  ASSERT_EQ(admin.call("POST", kFns + "/tick/deploy").status, 200);
  g = admin.call("GET", kSchedules + "/" + id);
  EXPECT_EQ(g.json()["pausedByUndeploy"], false);
  EXPECT_TRUE(g.json()["nextExecution"].is_string());

  ASSERT_EQ(admin.call("DELETE", kSchedules + "/" + id).status, 200);
  EXPECT_EQ(admin.call("GET", kSchedules + "/" + id).status, 404);
  EXPECT_EQ(admin.call("DELETE", kSchedules + "/" + id).status, 404);
}

TEST_F(Schedules, ValidationErrorsNameTheField) {
  HttpResult r = admin.call("POST", kSchedules, {{"function", "tick"}, {"cronExpression", "61 * * * *"}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(fieldOf(r), "cronExpression");
  r = admin.call("POST", kSchedules,
                 {{"function", "tick"}, {"cronExpression", "0 * * * *"}, {"timeZone", "Mars/Base"}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(fieldOf(r), "timeZone");
  EXPECT_NE(r.body.find("Mars/Base"), std::string::npos);
  r = admin.call("POST", kSchedules,
                 {{"function", "tick"},
                  {"cronExpression", "0 * * * *"},
                  {"payload", std::string(15'000, 'x')}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(fieldOf(r), "payload");
  r = admin.call("POST", kSchedules,
                 {{"function", "tick"},
                  {"cronExpression", "0 * * * *"},
                  {"description", std::string(201, 'd')}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(fieldOf(r), "description");
  r = admin.call("POST", kSchedules, {{"function", "nope"}, {"cronExpression", "0 * * * *"}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(fieldOf(r), "function");
  r = admin.call("POST", kSchedules, {{"function", "tick"}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(fieldOf(r), "cronExpression");
  r = admin.call("POST", kSchedules,
                 {{"function", "tick"}, {"cronExpression", "0 * * * *"}, {"isActive", "yes"}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(fieldOf(r), "isActive");
}

TEST_F(Schedules, PerAccountLimit) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(admin.call("POST", kSchedules, {{"function", "tick"}, {"cronExpression", "@hourly"}})
                  .status,
              201);
  }
  HttpResult r = admin.call("POST", kSchedules, {{"function", "tick"}, {"cronExpression", "@hourly"}});
  EXPECT_EQ(r.status, 429) << r.body;
}

TEST_F(Schedules, DeveloperCreatesViewerReads) {
  HttpClient dev = as("Developer");
  HttpResult c = dev.call("POST", kSchedules, {{"function", "tick"}, {"cronExpression", "@daily"}});
  ASSERT_EQ(c.status, 201) << c.body;
  HttpClient viewer = as("Viewer");
  EXPECT_EQ(viewer.call("GET", kSchedules).status, 200);
  EXPECT_EQ(viewer.call("POST", kSchedules, {{"function", "tick"}, {"cronExpression", "@daily"}})
                .status,
            403);
  std::string id = c.json()["id"];
  EXPECT_EQ(viewer.call("DELETE", kSchedules + "/" + id).status, 403);
  EXPECT_EQ(viewer.call("PUT", kSchedules + "/" + id, {{"isActive", false}}).status, 403);
}

TEST_F(Schedules, OtherAccountsAreNotFound) {
  ASSERT_EQ(op.call("POST", "/api/v1/accounts", {{"id", "other"}, {"name", "Other"}}).status, 201);
  ASSERT_EQ(op.call("POST", "/api/v1/accounts/other/functions", {{"name", "tock"}, {"code", kCode}})
                .status,
            201);
  HttpResult theirs = op.call("POST", "/api/v1/accounts/other/schedules",
                              {{"function", "tock"}, {"cronExpression", "@daily"}});
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  EXPECT_EQ(theirs.json()["pausedByUndeploy"], true);  // never deployed
  std::string id = theirs.json()["id"];
  EXPECT_EQ(admin.call("GET", kSchedules + "/" + id).status, 404);
  EXPECT_EQ(admin.call("DELETE", kSchedules + "/" + id).status, 404);
  EXPECT_EQ(admin.call("GET", "/api/v1/accounts/other/schedules").status, 404);
  // A function of another account cannot be scheduled here.
  HttpResult r = admin.call("POST", kSchedules, {{"function", "tock"}, {"cronExpression", "@daily"}});
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(Schedules, NextExecutionInTheTimeZone) {
  // Asia/Kolkata is UTC+05:30 all year: 09:30 there is 04:00Z.
  HttpResult r = admin.call("POST", kSchedules,
                            {{"function", "tick"},
                             {"cronExpression", "30 9 * * *"},
                             {"timeZone", "Asia/Kolkata"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string next = r.json()["nextExecution"];
  EXPECT_EQ(next.substr(10), "T04:00:00.000Z") << next;
  // Asia/Tokyo is UTC+09:00: 09:00 there is 00:00Z.
  r = admin.call("POST", kSchedules,
                 {{"function", "tick"}, {"cronExpression", "0 9 * * *"}, {"timeZone", "Asia/Tokyo"}});
  ASSERT_EQ(r.status, 201) << r.body;
  next = r.json()["nextExecution"];
  EXPECT_EQ(next.substr(10), "T00:00:00.000Z") << next;
}

}  // namespace
}  // namespace parley::testing
