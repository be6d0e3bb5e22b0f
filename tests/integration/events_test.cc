// Events against the real server: the catalogue, binding rules at create/update, synchronous
// invocation by event (native and LivePerson paths) and isImplemented.
#include <gtest/gtest.h>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kFns = "/api/v1/accounts/default/functions";
const char* kNewConversation = "controllerbot_messaging_new_conversation";

class Events : public ::testing::Test {
 protected:
  ServerProcess server;
  HttpClient admin = server.login();

  HttpResult create(const std::string& name, const std::string& event, json skills,
                    const std::string& code = "async function lambda(i) { return 'ok'; }") {
    return admin.call("POST", kFns, {{"name", name}, {"eventId", event}, {"skills", skills},
                                     {"code", code}});
  }
};

TEST_F(Events, TheCatalogueListsLivePersonEventsWithSamples) {
  HttpResult r = admin.call("GET", "/api/v1/events");
  ASSERT_EQ(r.status, 200);
  const json events = r.json();
  EXPECT_GE(events.size(), 17u);
  json command;
  for (const json& e : events) if (e["eventId"] == "conversational_command") command = e;
  EXPECT_EQ(command["eventName"], "Conversational Command");
  EXPECT_EQ(command["lambdaLimit"], 30);
  EXPECT_TRUE(command["samplePayload"]["payload"]["arguments"].is_array());
  EXPECT_EQ(admin.call("GET", "/api/v1/events/no_such_event").status, 404);
  EXPECT_EQ(HttpClient(server.url()).call("GET", "/api/v1/events").status, 401);
}

TEST_F(Events, BindingRulesAreEnforcedWithClearErrors) {
  EXPECT_EQ(create("a", kNewConversation, {"1", "2"}).status, 201);
  EXPECT_EQ(create("b", kNewConversation, {"3", "4"}).status, 201);
  HttpResult overlap = create("c", kNewConversation, {"4", "5"});
  EXPECT_EQ(overlap.status, 400);
  EXPECT_EQ(overlap.json()["error"]["details"]["fields"][0]["message"],
            "skill 4 of 'controllerbot_messaging_new_conversation' is taken by 'b'");
  HttpResult greedy = create("d", kNewConversation, json::array());
  EXPECT_EQ(greedy.status, 400);
  HttpResult unknown = create("e", "no_such_event", json::array());
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json()["error"]["details"]["fields"][0]["field"], "eventId");
  EXPECT_EQ(create("f", "conversational_command", {"1"}).status, 400);  // no skills there
  // Changing skills is checked too.
  EXPECT_EQ(admin.call("PUT", kFns + "/b", {{"skills", {"2"}}}).status, 400);
  EXPECT_EQ(admin.call("PUT", kFns + "/b", {{"skills", {"7"}}}).status, 200);
  // A per-account limit on an event without skills counts the functions bound to that event
  // only, also for a function moved onto it.
  const char* kSurvey = "surveybot_messaging_survey_started";  // limit 1
  EXPECT_EQ(create("s1", kSurvey, json::array()).status, 201);
  EXPECT_EQ(create("free", "No Event", json::array()).status, 201);
  HttpResult full = admin.call("PUT", kFns + "/free", {{"eventId", kSurvey}});
  EXPECT_EQ(full.status, 400);
  EXPECT_EQ(full.json()["error"]["details"]["fields"][0]["message"],
            "the event '" + std::string(kSurvey) +
                "' allows 1 function(s) per account and already has 's1'");
  EXPECT_EQ(admin.call("DELETE", kFns + "/s1").status, 200);
  EXPECT_EQ(admin.call("PUT", kFns + "/free", {{"eventId", kSurvey}}).status, 200);
}

TEST_F(Events, InvokeByEventRunsEveryDeployedBoundFunction) {
  ASSERT_EQ(create("echo", "conversational_command", json::array(),
                   "async function lambda(i) { return i.payload.arguments.join(' '); }").status, 201);
  ASSERT_EQ(create("fails", "conversational_command", json::array(),
                   "async function lambda(i) { throw new Error('no such command'); }").status, 201);
  ASSERT_EQ(create("draft", "conversational_command", json::array()).status, 201);  // not deployed
  const std::string isImpl = "/api/v1/accounts/default/events/conversational_command/isImplemented";
  EXPECT_EQ(admin.call("GET", isImpl).json()["implemented"], false);
  ASSERT_EQ(admin.call("POST", kFns + "/echo/deploy").status, 200);
  ASSERT_EQ(admin.call("POST", kFns + "/fails/deploy").status, 200);
  EXPECT_EQ(admin.call("GET", isImpl).json()["implemented"], true);

  json input = {{"headers", json::array()},
                {"payload", {{"conversationId", "4711"}, {"arguments", {"echo", "this"}}}}};
  HttpResult r = admin.call("POST", "/api/v1/accounts/default/events/conversational_command/invoke", input);
  ASSERT_EQ(r.status, 200) << r.body;
  const json results = r.json();
  ASSERT_EQ(results.size(), 2u);
  std::map<std::string, json> byUuid;
  for (const json& e : results) byUuid[e["uuid"]] = e;
  std::string echoUuid = admin.call("GET", kFns + "/echo").json()["uuid"];
  std::string failsUuid = admin.call("GET", kFns + "/fails").json()["uuid"];
  EXPECT_EQ(byUuid[echoUuid]["result"], "echo this");
  EXPECT_TRUE(byUuid[echoUuid]["timestamp"].is_number());
  EXPECT_EQ(byUuid[failsUuid]["result"], nullptr);
  EXPECT_EQ(byUuid[failsUuid]["error"]["errorCode"], "com.liveperson.faas.handler.custom-failure");

  // The LivePerson path answers the same, to an API client with LivePerson's scope.
  HttpResult client = admin.call("POST", "/api/v1/accounts/default/clients",
                                 {{"name", "lp"}, {"scopes", {"faas.lambda.invoke"}}});
  HttpClient anon(server.url());
  HttpResult token = anon.request("POST", "/sentinel/api/account/default/app/token?v=2.0",
                                  "grant_type=client_credentials&client_id=" +
                                      client.json()["clientId"].get<std::string>() +
                                      "&client_secret=" + client.json()["clientSecret"].get<std::string>(),
                                  {"Content-Type: application/x-www-form-urlencoded"});
  HttpClient lp(server.url());
  lp.setToken(token.json()["access_token"]);
  HttpResult viaLp = lp.call("POST", "/api/account/default/events/conversational_command/invoke?v=1", input);
  ASSERT_EQ(viaLp.status, 200) << viaLp.body;
  EXPECT_EQ(viaLp.json().size(), 2u);
  EXPECT_EQ(lp.call("GET", "/api/account/default/events/conversational_command/isImplemented").json()["implemented"], true);
  EXPECT_EQ(lp.call("GET", "/api/account/default/events/controllerbot_messaging_ttr/isImplemented").json()["implemented"], false);
}

TEST_F(Events, SkillIdSelectsTheFunctions) {
  ASSERT_EQ(create("sales", kNewConversation, {"100"}, "async function lambda() { return [{type: 'systemMessage', text: 'sales'}]; }").status, 201);
  ASSERT_EQ(create("support", kNewConversation, {"200"}, "async function lambda() { return [{type: 'systemMessage', text: 'support'}]; }").status, 201);
  ASSERT_EQ(admin.call("POST", kFns + "/sales/deploy").status, 200);
  ASSERT_EQ(admin.call("POST", kFns + "/support/deploy").status, 200);
  const std::string path = std::string("/api/v1/accounts/default/events/") + kNewConversation;
  HttpResult r = admin.call("POST", path + "/invoke?skillId=200", {{"payload", json::object()}});
  ASSERT_EQ(r.json().size(), 1u);
  EXPECT_EQ(r.json()[0]["result"][0]["text"], "support");
  EXPECT_EQ(admin.call("GET", path + "/isImplemented?skillId=300").json()["implemented"], false);
  EXPECT_EQ(admin.call("POST", "/api/v1/accounts/default/events/no_such_event/invoke", json::object()).status, 404);
}

}  // namespace
}  // namespace parley::testing
