// LivePerson-compatible gateway: the paths, bodies and status codes of the fact sheet, driven
// the way LivePerson's invocation clients drive them (service discovery → sentinel token →
// invoke with the V1 or V2 path).
#include <gtest/gtest.h>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

class LivePerson : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(op.call("POST", "/api/v1/accounts", {{"id", "12345678"}}).status, 201);
    const std::string fns = "/api/v1/accounts/12345678/functions";
    HttpResult ok = op.call("POST", fns, {{"name", "Hello"}, {"code",
        "function lambda(input, callback) { callback(null, `Hello World`); }"}});
    ASSERT_EQ(ok.status, 201);
    okUuid = ok.json()["uuid"];
    HttpResult bad = op.call("POST", fns, {{"name", "Fails"}, {"code",
        "function lambda(input, callback) { console.error('Failed during secret operation');"
        " callback(new Error('There is no Secret TestKey for this account')); }"}});
    badUuid = bad.json()["uuid"];
    HttpResult slow = op.call("POST", fns, {{"name", "Slow"}, {"settings", {{"timeoutSeconds", 1}}},
                                            {"code", "async function lambda() { for(;;); }"}});
    slowUuid = slow.json()["uuid"];
    for (const char* f : {"Hello", "Fails", "Slow"}) {
      ASSERT_EQ(op.call("POST", fns + "/" + f + "/deploy").status, 200);
    }
    HttpResult client = op.call("POST", "/api/v1/accounts/12345678/clients",
                                {{"name", "lp-client"}, {"scopes", {"faas.lambda.invoke"}}});
    ASSERT_EQ(client.status, 201);
    clientId = client.json()["clientId"];
    clientSecret = client.json()["clientSecret"];
  }

  // What a LivePerson client does: discover faasGW and sentinel, then get a token.
  HttpClient lpClient() {
    HttpClient anon(server.url());
    HttpResult csds = anon.request("GET", "/api/account/12345678/service/baseURI.json?version=1.0");
    EXPECT_EQ(csds.status, 200);
    std::set<std::string> services;
    const json discovery = csds.json();
    for (const json& b : discovery["baseURIs"]) {
      services.insert(b["service"]);
      EXPECT_EQ("http://" + b["baseURI"].get<std::string>(), server.url());
      EXPECT_EQ(b["account"], "12345678");
    }
    EXPECT_TRUE(services.count("faasGW") && services.count("faasUI") && services.count("sentinel"));
    HttpResult token = anon.request(
        "POST", "/sentinel/api/account/12345678/app/token?v=2.0",
        "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + clientSecret,
        {"Content-Type: application/x-www-form-urlencoded"});
    EXPECT_EQ(token.status, 200) << token.body;
    HttpClient c(server.url());
    c.setToken(token.json()["access_token"]);
    return c;
  }

  ServerProcess server;
  HttpClient op = server.login();
  std::string okUuid, badUuid, slowUuid, clientId, clientSecret;
  const std::string body = R"({"timestamp":0,"headers":[],"payload":{}})";
};

TEST_F(LivePerson, V1InvokeSucceedsAndFailsWith901) {
  HttpClient c = lpClient();
  HttpResult ok = c.raw("POST", "/api/account/12345678/lambdas/" + okUuid + "/invoke?v=1&externalSystem=test", body);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "\"Hello World\"");
  HttpResult bad = c.raw("POST", "/api/account/12345678/lambdas/" + badUuid + "/invoke?v=1", body);
  EXPECT_EQ(bad.status, 901) << bad.body;
  json j = bad.json();
  EXPECT_EQ(j["errorCode"], "com.liveperson.faas.handler.custom-failure");
  EXPECT_EQ(j["errorMsg"], "There is no Secret TestKey for this account");
  ASSERT_EQ(j["errorLogs"].size(), 1u);
  EXPECT_EQ(j["errorLogs"][0]["level"], "Error");
  EXPECT_EQ(j["errorLogs"][0]["message"], "Failed during secret operation");
  EXPECT_EQ(j["errorLogs"][0]["extras"], json::array());
  EXPECT_TRUE(j["errorLogs"][0]["timestamp"].is_number());
  HttpResult slow = c.raw("POST", "/api/account/12345678/lambdas/" + slowUuid + "/invoke?v=1", body);
  EXPECT_EQ(slow.status, 901);
  EXPECT_EQ(slow.json()["errorCode"], "com.liveperson.faas.handler.executiontime-exceeded");
}

TEST_F(LivePerson, V2InvokeUsesV2Codes) {
  HttpClient c = lpClient();
  std::vector<std::string> h = {"Content-Type: application/json", "Authorization: Bearer " + c.token(),
                                "LP-EventSource: test-suite"};
  HttpResult ok = c.request("POST", "/api/account/12345678/functions/" + okUuid + "/invoke", body, h);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "\"Hello World\"");
  HttpResult bad = c.request("POST", "/api/account/12345678/functions/" + badUuid + "/invoke", body, h);
  EXPECT_EQ(bad.status, 901);
  EXPECT_EQ(bad.json()["code"], "com.customer.faas.function.threw-error");
  EXPECT_EQ(bad.json()["message"], "There is no Secret TestKey for this account");
  HttpResult slow = c.request("POST", "/api/account/12345678/functions/" + slowUuid + "/invoke", body, h);
  EXPECT_EQ(slow.json()["code"], "com.customer.faas.function.execution-exceeded");
}

TEST_F(LivePerson, MissingAndUndeployedLambdasAre404WithLivePersonCodes) {
  HttpClient c = lpClient();
  HttpResult missing = c.raw("POST", "/api/account/12345678/lambdas/00000000-0000-4000-8000-000000000000/invoke?v=1", body);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["errorCode"], "com.liveperson.faas.es.missinglambda");
  ASSERT_EQ(op.call("POST", "/api/v1/accounts/12345678/functions/Hello/undeploy").status, 200);
  HttpResult undeployed = c.raw("POST", "/api/account/12345678/lambdas/" + okUuid + "/invoke?v=1", body);
  EXPECT_EQ(undeployed.status, 404);
  EXPECT_EQ(undeployed.json()["errorCode"], "com.liveperson.faas.es.notdeployed");
  HttpResult v2 = c.raw("POST", "/api/account/12345678/functions/" + okUuid + "/invoke", body);
  EXPECT_EQ(v2.json()["code"], "com.liveperson.faas.function.not-found");
  HttpClient anon(server.url());
  EXPECT_EQ(anon.raw("POST", "/api/account/12345678/lambdas/" + okUuid + "/invoke?v=1", body).status, 401);
}

TEST_F(LivePerson, ListingsHaveTheV1AndV2Shapes) {
  HttpClient c = lpClient();
  HttpResult v1 = c.raw("GET", "/api/account/12345678/lambdas/", "");
  ASSERT_EQ(v1.status, 200) << v1.body;
  ASSERT_EQ(v1.json().size(), 3u);
  json hello;
  for (const json& l : v1.json()) if (l["name"] == "Hello") hello = l;
  EXPECT_EQ(hello["uuid"], okUuid);
  EXPECT_EQ(hello["state"], "Productive");
  EXPECT_EQ(hello["eventId"], "No Event");
  EXPECT_TRUE(hello["implementation"]["code"].is_string());
  EXPECT_TRUE(hello["implementation"]["environmentVariables"].is_array());
  EXPECT_TRUE(hello["runtime"]["name"].is_string());
  HttpResult v2 = c.raw("GET", "/api/account/12345678/functions", "");
  ASSERT_EQ(v2.status, 200);
  EXPECT_EQ(v2.json().size(), 3u);
  EXPECT_EQ(v2.json()[0]["isCompV1"], false);
}

}  // namespace
}  // namespace parley::testing
