// Secrets against the real server: the management API by role, SecretClient from V1 and V2
// functions (plaintext, JSON, update, system secrets, unknown keys, the cache), redaction of
// logged values, and no plaintext anywhere in the data directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kSecrets = "/api/v1/accounts/acme/secrets";
const std::string kFns = "/api/v1/accounts/acme/functions";
const std::string kApiKey = "api-key-5f0c7a1e9b";
const std::string kDbPassword = "db-pw-3e8d2b6a4c";
const std::string kDefaultKey = "default-app-client-secret-91a7";

class Secrets : public ::testing::Test {
 protected:
  void SetUp() override {
    server.addAccountWithUsers("acme", {"Admin", "Developer", "Viewer"});
    admin = as("Admin");
    ASSERT_EQ(admin.call("POST", kSecrets, {{"name", "API_KEY"}, {"value", kApiKey}}).status, 201);
    HttpResult db =
        admin.call("POST", kSecrets,
                   {{"name", "DB"},
                    {"type", "json"},
                    {"value", {{"user", "app"}, {"password", kDbPassword}, {"port", 5432}}}});
    ASSERT_EQ(db.status, 201) << db.body;
    ASSERT_EQ(
        admin
            .call("POST", kSecrets,
                  {{"name", "LIVEPERSON_DEFAULT_APP_KEY"},
                   {"type", "json"},
                   {"value", json{{"client_id", "c"}, {"client_secret", kDefaultKey}}.dump()}})
            .status,
        201);
  }
  HttpClient as(const std::string& role) { return server.loginAs("acme", role); }
  // Creates and deploys `name` with `code`; invokes it and returns the response.
  HttpResult deployAndInvoke(const std::string& name, const std::string& code) {
    return testing::deployAndInvoke(admin, kFns, name, code);
  }

  ServerProcess server;
  HttpClient op = server.login();
  HttpClient admin{""};
};

TEST_F(Secrets, AdminManagesDevelopersListViewersCannot) {
  HttpResult list = admin.call("GET", kSecrets);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json().size(), 3u);
  EXPECT_EQ(list.json()[0]["name"], "API_KEY");
  EXPECT_EQ(list.json()[0]["type"], "plaintext");
  EXPECT_EQ(list.json()[1]["name"], "DB");
  EXPECT_EQ(list.json()[1]["type"], "json");
  EXPECT_EQ(list.json()[0]["createdBy"], "acme-Admin");
  EXPECT_EQ(list.body.find(kApiKey), std::string::npos);
  EXPECT_EQ(list.body.find(kDbPassword), std::string::npos);
  EXPECT_FALSE(list.json()[0].contains("value"));

  HttpClient dev = as("Developer");
  HttpResult devList = dev.call("GET", kSecrets);
  ASSERT_EQ(devList.status, 200);
  EXPECT_EQ(devList.json().size(), 3u);
  EXPECT_EQ(devList.body.find(kApiKey), std::string::npos);
  EXPECT_EQ(dev.call("POST", kSecrets, {{"name", "X"}, {"value", "v"}}).status, 403);
  EXPECT_EQ(dev.call("PUT", kSecrets + "/API_KEY", {{"value", "v"}}).status, 403);
  EXPECT_EQ(dev.call("DELETE", kSecrets + "/API_KEY").status, 403);

  // Viewers see functions but not even secret names (SPEC §6: Developers see names).
  HttpClient viewer = as("Viewer");
  EXPECT_EQ(viewer.call("GET", kSecrets).status, 403);
  EXPECT_EQ(viewer.call("POST", kSecrets, {{"name", "X"}, {"value", "v"}}).status, 403);

  // Rules.
  EXPECT_EQ(admin.call("POST", kSecrets, {{"name", "API_KEY"}, {"value", "again"}}).status, 409);
  EXPECT_EQ(admin.call("POST", kSecrets, {{"name", "bad name"}, {"value", "v"}}).status, 400);
  EXPECT_EQ(admin.call("POST", kSecrets, {{"name", std::string(101, 'a')}, {"value", "v"}}).status,
            400);
  EXPECT_EQ(
      admin.call("POST", kSecrets, {{"name", "BIG"}, {"value", std::string(16385, 'x')}}).status,
      400);
  EXPECT_EQ(
      admin.call("POST", kSecrets, {{"name", "MAX"}, {"value", std::string(16384, 'x')}}).status,
      201);
  EXPECT_EQ(
      admin.call("POST", kSecrets, {{"name", "J"}, {"type", "json"}, {"value", "{nope"}}).status,
      400);
  EXPECT_EQ(
      admin.call("POST", kSecrets, {{"name", "T"}, {"type", "number"}, {"value", "1"}}).status,
      400);

  HttpResult replaced = admin.call("PUT", kSecrets + "/MAX", {{"value", "short-value"}});
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.body.find("short-value"), std::string::npos);
  EXPECT_EQ(admin.call("PUT", kSecrets + "/NEW", {{"value", "new-value"}}).status, 201);
  EXPECT_EQ(admin.call("DELETE", kSecrets + "/NEW").status, 200);
  EXPECT_EQ(admin.call("DELETE", kSecrets + "/NEW").status, 404);
}

TEST_F(Secrets, FunctionsReadUpdateAndGetTheToolbeltErrors) {
  // V1 (callback) with lp-faas-toolbelt.
  HttpResult r = deployAndInvoke("reader", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    const client = Toolbelt.SecretClient();
    function lambda(input, callback) {
      Promise.all([client.readSecret('API_KEY'), client.readSecret('DB')])
        .then(([a, db]) => callback(null, { a, db, portType: typeof db.value.port }))
        .catch((e) => callback(e));
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["a"], (json{{"key", "API_KEY"}, {"value", kApiKey}}));
  EXPECT_EQ(r.json()["db"]["key"], "DB");
  EXPECT_EQ(r.json()["db"]["value"]["password"], kDbPassword);
  EXPECT_EQ(r.json()["portType"], "number");

  // V2 with core-functions-toolbelt: update, system secret, unknown key, missing key update.
  HttpResult u = deployAndInvoke("updater", R"js(
    const { Toolbelt, ErrorCodes } = require('core-functions-toolbelt');
    const client = Toolbelt.SecretClient();
    const codeOf = (p) => p.then(() => 'ok', (e) => ({ code: e.code, name: e.name }));
    async function lambda() {
      const updated = await client.updateSecret({ key: 'API_KEY', value: 'rotated-value-1234' });
      const fresh = await client.readSecret('API_KEY', { useCache: false });
      await client.updateSecret({ key: 'DB', value: { user: 'app', password: 'new-db-pw-7777' } });
      const db = await client.readSecret('DB', { useCache: false });
      return {
        updated, fresh, db,
        forbidden: await codeOf(client.updateSecret({ key: 'LIVEPERSON_DEFAULT_APP_KEY', value: 'x' })),
        systemRead: (await client.readSecret('LIVEPERSON_DEFAULT_APP_KEY')).value.client_id,
        unknown: await codeOf(client.readSecret('NOPE')),
        updateMissing: await codeOf(client.updateSecret({ key: 'NOPE', value: 'x' })),
        badName: await codeOf(client.readSecret('bad name')),
        badJson: await codeOf(client.updateSecret({ key: 'DB', value: '{not json' })),
        notFoundCode: ErrorCodes.Secret.NotFound,
      };
    }
  )js");
  ASSERT_EQ(u.status, 200) << u.body;
  json j = u.json();
  EXPECT_EQ(j["updated"], (json{{"key", "API_KEY"}, {"value", "rotated-value-1234"}}));
  EXPECT_EQ(j["fresh"]["value"], "rotated-value-1234");
  EXPECT_EQ(j["db"]["value"]["password"], "new-db-pw-7777");
  EXPECT_EQ(j["forbidden"]["code"], "com.liveperson.faas.secret.forbidden");
  EXPECT_EQ(j["forbidden"]["name"], "ToolBeltError");
  EXPECT_EQ(j["systemRead"], "c");
  EXPECT_EQ(j["unknown"]["code"], "com.liveperson.faas.secret.not-found");
  EXPECT_EQ(j["updateMissing"]["code"], "com.liveperson.faas.secret.not-found");
  EXPECT_EQ(j["badName"]["code"], "com.liveperson.faas.secret.invalid-format");
  EXPECT_EQ(j["badJson"]["code"], "com.liveperson.faas.secret.invalid-format");
  EXPECT_EQ(j["notFoundCode"], "com.liveperson.faas.secret.not-found");

  // The update is visible to the next reader (no cache on a new client) and audited.
  HttpResult list = admin.call("GET", kSecrets);
  EXPECT_EQ(list.json()[0]["updatedBy"], "function updater");
}

TEST_F(Secrets, TheCacheServesWithinFiveMinutesUnlessOptedOut) {
  ASSERT_EQ(admin
                .call("POST", kFns, {{"name", "cached"}, {"code", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    const client = Toolbelt.SecretClient();
    async function lambda(input) {
      const cached = await client.readSecret('API_KEY');
      const fresh = await client.readSecret('API_KEY', { useCache: false });
      return { cached: cached.value, fresh: fresh.value };
    }
  )js"}}).status,
            201);
  ASSERT_EQ(admin.call("POST", kFns + "/cached/deploy").status, 200);
  HttpResult first = admin.call("POST", kFns + "/cached/invoke", {{"payload", json::object()}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["cached"], kApiKey);
  ASSERT_EQ(admin.call("PUT", kSecrets + "/API_KEY", {{"value", "replaced-by-admin"}}).status, 200);
  HttpResult second = admin.call("POST", kFns + "/cached/invoke", {{"payload", json::object()}});
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["fresh"], "replaced-by-admin");
  // The warm instance kept the value it read for five minutes.
  EXPECT_EQ(second.json()["cached"], kApiKey);
}

TEST_F(Secrets, LoggedValuesAreRedacted) {
  const std::string code = R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    const client = Toolbelt.SecretClient();
    async function lambda() {
      const { value } = await client.readSecret('API_KEY');
      const db = await client.readSecret('DB');
      console.info('key is ' + value, { key: value });
      console.warn('db', db.value, JSON.stringify(db.value));
      console.info('password: ' + db.value.password);
      return 'done';
    }
  )js";
  for (int i = 0; i < 2; ++i) {  // the second run reads from the instance's cache
    HttpResult r = i == 0
                       ? deployAndInvoke("logger", code)
                       : admin.call("POST", kFns + "/logger/invoke", {{"payload", json::object()}});
    ASSERT_EQ(r.status, 200) << r.body;
    std::string id = r.header("x-parley-invocation-id");
    ASSERT_FALSE(id.empty());
    HttpResult rec = admin.call("GET", "/api/v1/accounts/acme/invocations/" + id);
    ASSERT_EQ(rec.status, 200) << rec.body;
    EXPECT_EQ(rec.body.find(kApiKey), std::string::npos) << rec.body;
    EXPECT_EQ(rec.body.find(kDbPassword), std::string::npos) << rec.body;
    EXPECT_NE(rec.body.find("key is ********"), std::string::npos) << rec.body;
    ASSERT_EQ(rec.json()["logs"].size(), 3u) << rec.body;
  }
  // The test panel's answer is redacted as well.
  HttpResult test = admin.call("POST", kFns + "/logger/test", {{"payload", json::object()}});
  ASSERT_EQ(test.status, 200) << test.body;
  EXPECT_EQ(test.body.find(kApiKey), std::string::npos) << test.body;
}

TEST_F(Secrets, NoPlaintextInTheDataDirectory) {
  HttpResult r = deployAndInvoke("reader", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      const c = Toolbelt.SecretClient();
      console.info((await c.readSecret('API_KEY')).value);
      const v = ['updated', 'by', 'fn', '42aa'].join('-');  // not in the stored code
      await c.updateSecret({ key: 'API_KEY', value: v });
      console.info(v);
      return { token: v };  // the caller gets it; the stored record must not keep it
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["token"], "updated-by-fn-42aa") << r.body;
  std::string id = r.header("x-parley-invocation-id");
  HttpResult rec = admin.call("GET", "/api/v1/accounts/acme/invocations/" + id);
  ASSERT_EQ(rec.status, 200);
  EXPECT_EQ(rec.body.find("updated-by-fn-42aa"), std::string::npos) << rec.body;
  // An async invocation's record keeps its result (nobody else receives it): masked.
  HttpResult accepted = admin.call("POST", kFns + "/reader/invoke?async=true", {{"payload", json::object()}});
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  json kept = json::object();
  for (int i = 0; i < 500 && kept.value("status", "") != "done"; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kept = admin.call("GET", "/api/v1/accounts/acme/invocations/" +
                                 accepted.json()["invocationId"].get<std::string>()).json();
  }
  ASSERT_EQ(kept.value("status", ""), "done") << kept.dump();
  EXPECT_EQ(kept["result"], (json{{"token", "********"}})) << kept.dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // records written behind
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(server.dataDir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    for (const std::string& plain :
         {kApiKey, kDbPassword, kDefaultKey, std::string("updated-by-fn-42aa")}) {
      EXPECT_EQ(bytes.find(plain), std::string::npos) << plain << " in " << entry.path();
    }
  }
  EXPECT_GE(files, 2);  // at least the database and its WAL
}

}  // namespace
}  // namespace parley::testing
