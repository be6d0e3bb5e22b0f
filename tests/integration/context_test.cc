// The context store against the real server: REST by role and scope (other accounts 404), and
// every Toolbelt.ContextServiceClient method and error code from a deployed function, with the
// data shared between the two.
#include <gtest/gtest.h>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kCtx = "/api/v1/accounts/acme/context/namespaces";
const std::string kFns = "/api/v1/accounts/acme/functions";

class Context : public ::testing::Test {
 protected:
  void SetUp() override {
    server.addAccountWithUsers("acme", {"Admin", "Developer", "Invoker", "Viewer"});
    server.addAccountWithUsers("other", {"Admin"});
    admin = server.loginAs("acme", "Admin");
  }
  // A client of acme holding `scopes`.
  HttpClient clientWith(const json& scopes) {
    HttpResult created =
        admin.call("POST", "/api/v1/accounts/acme/clients", {{"name", "bot"}, {"scopes", scopes}});
    EXPECT_EQ(created.status, 201) << created.body;
    HttpClient anon(server.url());
    HttpResult token = anon.request(
        "POST", "/api/v1/accounts/acme/oauth/token",
        "grant_type=client_credentials&client_id=" + created.json()["clientId"].get<std::string>() +
            "&client_secret=" + created.json()["clientSecret"].get<std::string>(),
        {"Content-Type: application/x-www-form-urlencoded"});
    EXPECT_EQ(token.status, 200) << token.body;
    HttpClient c(server.url());
    c.setToken(token.json()["access_token"]);
    return c;
  }
  HttpResult deployAndInvoke(const std::string& name, const std::string& code) {
    return testing::deployAndInvoke(admin, kFns, name, code);
  }

  ServerProcess server;
  HttpClient admin{""};
};

TEST_F(Context, RestNamespacesSessionsAndProperties) {
  HttpResult created = admin.call("POST", kCtx, {{"name", "bots"}, {"ttl", 3600}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["name"], "bots");
  EXPECT_EQ(created.json()["ttl"], 3600);
  EXPECT_EQ(admin.call("POST", kCtx, {{"name", "bots"}}).status, 200);  // idempotent

  const std::string props = kCtx + "/bots/sessions/conv-42/properties";
  HttpResult merged = admin.call("PATCH", props, {{"intent", "billing"}, {"score", 0.9}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  merged = admin.call("PATCH", props, {{"customer", {{"tier", "gold"}}}});
  EXPECT_EQ(merged.json(),
            (json{{"intent", "billing"}, {"score", 0.9}, {"customer", {{"tier", "gold"}}}}));
  EXPECT_EQ(admin.call("GET", props + "?names=intent,nope").json(), (json{{"intent", "billing"}}));
  EXPECT_EQ(admin.call("GET", props + "/customer").json(), (json{{"tier", "gold"}}));
  EXPECT_EQ(admin.call("GET", props + "/nope").status, 404);
  EXPECT_EQ(admin.call("GET", kCtx + "/bots/sessions").json(), json::array({"conv-42"}));
  HttpResult replaced = admin.call("PUT", props, {{"only", true}});
  EXPECT_EQ(replaced.json(), (json{{"only", true}}));
  EXPECT_EQ(admin.call("DELETE", props + "/only").status, 200);
  EXPECT_EQ(admin.call("DELETE", props + "/only").status, 404);
  EXPECT_EQ(admin.call("DELETE", kCtx + "/bots/sessions/conv-42").status, 200);
  EXPECT_EQ(admin.call("DELETE", kCtx + "/bots/sessions/conv-42").status, 404);

  // Errors name the field and use the one error shape.
  HttpResult bad = admin.call("POST", kCtx, {{"name", "no spaces"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("'namespace'"),
            std::string::npos);
  EXPECT_EQ(admin.call("POST", kCtx, {{"name", "x"}, {"ttl", "soon"}}).status, 400);
  EXPECT_EQ(admin.call("PATCH", kCtx + "/missing/sessions/s/properties", {{"a", 1}}).status, 404);
  EXPECT_EQ(admin.call("PATCH", props, json::array({1})).status, 400);
  HttpResult big = admin.call("PATCH", props, {{"blob", std::string(70 * 1024, 'x')}});
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(big.json()["error"]["message"].get<std::string>().find("'blob'"), std::string::npos);

  // Listing, deleting.
  HttpResult list = admin.call("GET", kCtx);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json().size(), 1u);
  EXPECT_EQ(list.json()[0]["name"], "bots");
  EXPECT_EQ(admin.call("DELETE", kCtx + "/bots").status, 200);
  EXPECT_EQ(admin.call("DELETE", kCtx + "/bots").status, 404);
}

TEST_F(Context, RolesScopesAndOtherAccounts) {
  ASSERT_EQ(admin.call("POST", kCtx, {{"name", "shared"}}).status, 201);
  const std::string props = kCtx + "/shared/sessions/s/properties";
  for (const char* role : {"Developer", "Invoker"}) {
    HttpClient c = server.loginAs("acme", role);
    EXPECT_EQ(c.call("PATCH", props, {{role, 1}}).status, 200) << role;
    EXPECT_EQ(c.call("GET", props).status, 200) << role;
  }
  HttpClient viewer = server.loginAs("acme", "Viewer");
  EXPECT_EQ(viewer.call("GET", kCtx).status, 403);
  EXPECT_EQ(viewer.call("PATCH", props, {{"v", 1}}).status, 403);

  HttpClient reader = clientWith({"context.read"});
  EXPECT_EQ(reader.call("GET", props).json(), (json{{"Developer", 1}, {"Invoker", 1}}));
  EXPECT_EQ(reader.call("PATCH", props, {{"r", 1}}).status, 403);
  HttpClient writer = clientWith({"context.write"});
  EXPECT_EQ(writer.call("PATCH", props, {{"w", 1}}).status, 200);
  HttpClient invokerOnly = clientWith({"functions.invoke"});
  EXPECT_EQ(invokerOnly.call("GET", props).status, 403);

  HttpClient outsider = server.loginAs("other", "Admin");
  EXPECT_EQ(outsider.call("GET", props).status, 404);
  EXPECT_EQ(outsider.call("GET", kCtx).status, 404);
  // The other account's own store is separate.
  const std::string otherCtx = "/api/v1/accounts/other/context/namespaces";
  ASSERT_EQ(outsider.call("POST", otherCtx, {{"name", "shared"}}).status, 201);
  EXPECT_EQ(outsider.call("GET", otherCtx + "/shared/sessions").json(), json::array());
}

TEST_F(Context, EveryClientMethodFromAFunction) {
  ASSERT_EQ(admin.call("POST", kCtx, {{"name", "fromRest"}}).status, 201);
  ASSERT_EQ(admin.call("PATCH", kCtx + "/fromRest/sessions/conv-1/properties", {{"topic", "refund"}})
                .status,
            200);
  HttpResult r = deployAndInvoke("ctx", R"js(
    const { Toolbelt, ErrorCodes } = require('lp-faas-toolbelt');
    const client = Toolbelt.ContextServiceClient({ accountId: 'ignored', apiKey: 'ignored' });
    const codeOf = (p) => p.then(() => 'ok', (e) => ({ code: e.code, name: e.name, message: e.message }));
    async function lambda(input) {
      const created = await client.createNamespace('carts', { ttl: 600 });
      const again = await client.createNamespace('carts');
      const set = await client.setPropertiesInNamespace('carts', { items: [1, 2], total: 9.5, skip: undefined });
      const updated = await client.updatePropertiesInNamespace('carts', { total: 12, note: 'x' });
      await client.setPropertiesInNamespace('carts', { a: 1 }, 'visitor-7');
      const all = await client.getAllPropertiesInSession('carts');
      const selected = await client.getSelectedPropertiesInSession('carts', ['total', 'nope']);
      const one = await client.getPropertyInSession('carts', 'items');
      const missing = await client.getPropertyInSession('carts', 'nope');
      const sessions = await client.getListOfSessions('carts');
      await client.deletePropertyInSession('carts', 'note');
      await client.deletePropertyInSession('carts', 'note');  // already gone: no error
      const afterDelete = await client.getAllPropertiesInSession('carts', '__default__');
      await client.deleteSession('carts', 'visitor-7');
      const sessionsAfter = await client.getListOfSessions('carts');
      const fromRest = await client.getPropertyInSession('fromRest', 'topic', 'conv-1');
      await client.setPropertiesInNamespace('fromRest', { answer: 'yes' }, 'conv-1');
      const namespaces = (await client.getListOfNamespaces()).map((n) => [n.name, n.ttlSecond, n.createdAt instanceof Date]);
      await client.createNamespace('gone');
      await client.deleteNamespace('gone');
      await client.deleteNamespace('gone');  // idempotent
      return {
        created: [created.name, created.ttlSecond], again: again.ttlSecond,
        set, updated, all, selected, one, missing: missing === undefined, sessions,
        afterDelete, sessionsAfter, fromRest, namespaces,
        errors: {
          noNamespace: await codeOf(client.getAllPropertiesInSession('nope')),
          badNamespace: await codeOf(client.createNamespace('bad name')),
          emptyNamespace: await codeOf(client.createNamespace('')),
          badTtl: await codeOf(client.createNamespace('t', { ttl: -1 })),
          notObject: await codeOf(client.setPropertiesInNamespace('carts', [1])),
          badNames: await codeOf(client.getSelectedPropertiesInSession('carts', 'total')),
          badSession: await codeOf(client.getAllPropertiesInSession('carts', 42)),
          noSessionId: await codeOf(client.deleteSession('carts')),
          tooBig: await codeOf(client.setPropertiesInNamespace('carts', { big: 'x'.repeat(70000) })),
        },
        codes: ErrorCodes.Context,
      };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["created"], json::array({"carts", 600}));
  EXPECT_EQ(j["again"], 600);
  EXPECT_EQ(j["set"], (json{{"items", {1, 2}}, {"total", 9.5}}));
  EXPECT_EQ(j["updated"], (json{{"total", 12}, {"note", "x"}}));
  EXPECT_EQ(j["all"], (json{{"items", {1, 2}}, {"total", 12}, {"note", "x"}}));
  EXPECT_EQ(j["selected"], (json{{"total", 12}}));
  EXPECT_EQ(j["one"], json::array({1, 2}));
  EXPECT_EQ(j["missing"], true);
  EXPECT_EQ(j["sessions"], json::array({"__default__", "visitor-7"}));
  EXPECT_EQ(j["afterDelete"], (json{{"items", {1, 2}}, {"total", 12}}));
  EXPECT_EQ(j["sessionsAfter"], json::array({"__default__"}));
  EXPECT_EQ(j["fromRest"], "refund");
  EXPECT_EQ(j["namespaces"], json::parse(R"([["carts",600,true],["fromRest",null,true]])"));
  json e = j["errors"];
  EXPECT_EQ(e["noNamespace"]["code"], "com.liveperson.faas.context.not-found");
  EXPECT_EQ(e["noNamespace"]["name"], "ToolBeltError");
  EXPECT_EQ(e["badNamespace"]["code"], "com.liveperson.faas.context.invalid-format");
  EXPECT_EQ(e["emptyNamespace"]["code"], "com.liveperson.faas.context.invalid-format");
  EXPECT_EQ(e["badTtl"]["code"], "com.liveperson.faas.context.invalid-format");
  EXPECT_EQ(e["notObject"]["code"], "com.liveperson.faas.context.invalid-format");
  EXPECT_EQ(e["badNames"]["code"], "com.liveperson.faas.context.invalid-format");
  EXPECT_EQ(e["badSession"]["code"], "com.liveperson.faas.context.invalid-format");
  EXPECT_EQ(e["noSessionId"]["code"], "com.liveperson.faas.context.invalid-format");
  EXPECT_EQ(e["tooBig"]["code"], "com.liveperson.faas.context.limit-exceeded");
  EXPECT_NE(e["tooBig"]["message"].get<std::string>().find("'big'"), std::string::npos);
  EXPECT_EQ(j["codes"]["NotFound"], "com.liveperson.faas.context.not-found");

  // What the function wrote is there for REST readers (a bot sharing the conversation).
  EXPECT_EQ(admin.call("GET", kCtx + "/fromRest/sessions/conv-1/properties").json(),
            (json{{"topic", "refund"}, {"answer", "yes"}}));
  EXPECT_EQ(admin.call("GET", kCtx + "/carts/sessions/__default__/properties/total").json(), 12);
}

}  // namespace
}  // namespace parley::testing
