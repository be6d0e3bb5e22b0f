// Identity and access against the real server: every role against every endpoint class,
// cross-account access (404, never a leak), API clients with scopes and OAuth2 tokens,
// revocation, the console's cookie + CSRF scheme.
#include <gtest/gtest.h>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const char* kCode = "async function lambda(i) { return 'ok'; }";

class Access : public ::testing::Test {
 protected:
  void SetUp() override {
    server.addAccountWithUsers("acme", {"Admin", "Developer", "Invoker", "Viewer"});
    ASSERT_EQ(op.call("POST", "/api/v1/accounts", {{"id", "other"}}).status, 201);
    ASSERT_EQ(op.call("POST", "/api/v1/accounts/other/users",
                      {{"username", "outsider"}, {"password", "password-outsider"}, {"role", "Admin"}})
                  .status, 201);
    ASSERT_EQ(op.call("POST", fns("acme"), {{"name", "fn"}, {"code", kCode}}).status, 201);
    ASSERT_EQ(op.call("POST", fns("acme") + "/fn/deploy").status, 200);
  }
  static std::string fns(const std::string& acct) { return "/api/v1/accounts/" + acct + "/functions"; }
  HttpClient as(const std::string& role) { return server.loginAs("acme", role); }

  ServerProcess server;
  HttpClient op = server.login();
};

// Expected status per (role, endpoint class): read, invoke, manage functions, manage access.
TEST_F(Access, EveryRoleAgainstEveryEndpointClass) {
  struct Expect { const char* role; int read, invoke, manage, access; };
  for (Expect e : {Expect{"Admin", 200, 200, 201, 200}, Expect{"Developer", 200, 200, 201, 403},
                   Expect{"Invoker", 200, 200, 403, 403}, Expect{"Viewer", 200, 403, 403, 403}}) {
    SCOPED_TRACE(e.role);
    HttpClient c = as(e.role);
    EXPECT_EQ(c.call("GET", fns("acme")).status, e.read);
    EXPECT_EQ(c.call("GET", fns("acme") + "/fn").status, e.read);
    EXPECT_EQ(c.call("POST", fns("acme") + "/fn/invoke", {{"payload", json::object()}}).status, e.invoke);
    EXPECT_EQ(c.call("POST", fns("acme") + "/fn/test", {{"payload", json::object()}}).status,
              e.invoke == 200 ? 200 : 403);
    EXPECT_EQ(c.call("POST", fns("acme"), {{"name", std::string("by_") + e.role}, {"code", kCode}}).status,
              e.manage);
    EXPECT_EQ(c.call("POST", fns("acme") + "/fn/deploy").status, e.manage == 201 ? 200 : 403);
    EXPECT_EQ(c.call("GET", "/api/v1/accounts/acme/users").status, e.access);
    EXPECT_EQ(c.call("POST", "/api/v1/accounts/acme/clients", {{"name", "c"}, {"scopes", {"functions.invoke"}}}).status,
              e.access == 200 ? 201 : 403);
    // Only the operator creates accounts.
    EXPECT_EQ(c.call("POST", "/api/v1/accounts", {{"id", "nope"}}).status, 403);
  }
}

TEST_F(Access, AnotherAccountIsNotFoundNeverForbidden) {
  HttpClient outsider = server.login("outsider", "password-outsider");
  std::string uuid = op.call("GET", fns("acme") + "/fn").json()["uuid"];
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", fns("acme")}, {"GET", fns("acme") + "/fn"}, {"GET", fns("acme") + "/" + uuid},
           {"POST", fns("acme") + "/fn/invoke"}, {"POST", fns("acme") + "/fn/deploy"},
           {"DELETE", fns("acme") + "/fn"}, {"GET", "/api/v1/accounts/acme/users"},
           {"GET", "/api/v1/accounts/nonexistent/users"}, {"GET", fns("nonexistent")}}) {
    HttpResult r = outsider.call(method, path, method == "GET" ? json() : json::object());
    EXPECT_EQ(r.status, 404) << method << " " << path << " " << r.body;
    EXPECT_EQ(r.body.find("fn\""), std::string::npos);  // nothing about the object leaks
  }
  // The same UUID through the outsider's own account does not reach acme's function.
  EXPECT_EQ(outsider.call("GET", fns("other") + "/" + uuid).status, 404);
  json visible = outsider.call("GET", "/api/v1/accounts").json();
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0]["id"], "other");
}

TEST_F(Access, ApiClientsGetScopedTokens) {
  HttpClient admin = as("Admin");
  HttpResult created = admin.call("POST", "/api/v1/accounts/acme/clients",
                                  {{"name", "crm"}, {"scopes", {"functions.invoke"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json()["clientId"], secret = created.json()["clientSecret"];
  EXPECT_EQ(admin.call("GET", "/api/v1/accounts/acme/clients").body.find(secret), std::string::npos);

  HttpClient anon(server.url());
  HttpResult token = anon.request("POST", "/api/v1/accounts/acme/oauth/token",
                                  "grant_type=client_credentials&client_id=" + id +
                                      "&client_secret=" + secret,
                                  {"Content-Type: application/x-www-form-urlencoded"});
  ASSERT_EQ(token.status, 200) << token.body;
  EXPECT_EQ(token.json()["token_type"], "Bearer");
  EXPECT_GT(token.json()["expires_in"].get<int>(), 0);
  HttpClient client(server.url());
  client.setToken(token.json()["access_token"]);
  EXPECT_EQ(client.call("POST", fns("acme") + "/fn/invoke", {{"payload", json::object()}}).status, 200);
  EXPECT_EQ(client.call("POST", fns("acme"), {{"name", "nope"}, {"code", kCode}}).status, 403);
  EXPECT_EQ(client.call("GET", fns("other")).status, 404);

  // Wrong secret, wrong account, unknown grant.
  EXPECT_EQ(anon.request("POST", "/api/v1/accounts/acme/oauth/token",
                         "grant_type=client_credentials&client_id=" + id + "&client_secret=x",
                         {"Content-Type: application/x-www-form-urlencoded"}).status, 401);
  EXPECT_EQ(anon.request("POST", "/api/v1/accounts/other/oauth/token",
                         "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret,
                         {"Content-Type: application/x-www-form-urlencoded"}).status, 401);
  EXPECT_EQ(anon.request("POST", "/api/v1/accounts/acme/oauth/token", "grant_type=password",
                         {"Content-Type: application/x-www-form-urlencoded"}).json()["error"],
            "unsupported_grant_type");

  // Revoking the client kills its tokens.
  ASSERT_EQ(admin.call("DELETE", "/api/v1/accounts/acme/clients/" + id).status, 200);
  EXPECT_EQ(client.call("POST", fns("acme") + "/fn/invoke", {{"payload", json::object()}}).status, 401);
}

TEST_F(Access, TokensAreCheckedAndRevocable) {
  HttpClient anon(server.url());
  EXPECT_EQ(anon.call("GET", fns("acme")).status, 401);
  EXPECT_EQ(anon.call("GET", fns("acme")).header("www-authenticate"), "Bearer realm=\"parley\"");
  HttpClient forged(server.url());
  forged.setToken(op.token().substr(0, op.token().size() - 2) + "xx");
  EXPECT_EQ(forged.call("GET", fns("acme")).status, 401);
  HttpClient session = server.login();
  EXPECT_EQ(session.call("GET", fns("acme")).status, 200);
  EXPECT_EQ(session.call("POST", "/api/v1/auth/logout").status, 200);
  EXPECT_EQ(session.call("GET", fns("acme")).status, 401);
  EXPECT_EQ(anon.call("POST", "/api/v1/auth/login", {{"username", "admin"}, {"password", "wrong"}}).status, 401);
  EXPECT_EQ(anon.call("POST", "/api/v1/auth/login", {{"username", "ghost"}, {"password", "wrong"}}).json()["error"]["message"],
            "Wrong username or password");
}

TEST_F(Access, ConsoleCookiesNeedTheCsrfHeaderForChanges) {
  HttpClient anon(server.url());
  HttpResult login = anon.call("POST", "/api/v1/auth/login",
                               {{"username", "acme-Admin"}, {"password", "password-acme-Admin"}});
  std::string session, csrf;
  for (auto [it, end] = login.headers.equal_range("set-cookie"); it != end; ++it) {
    const std::string& c = it->second;
    std::string value = c.substr(c.find('=') + 1, c.find(';') - c.find('=') - 1);
    if (c.rfind("parley_session=", 0) == 0) {
      session = value;
      EXPECT_NE(c.find("HttpOnly"), std::string::npos);
      EXPECT_NE(c.find("SameSite=Strict"), std::string::npos);
    }
    if (c.rfind("parley_csrf=", 0) == 0) csrf = value;
  }
  ASSERT_FALSE(session.empty());
  ASSERT_FALSE(csrf.empty());
  std::string cookies = "Cookie: parley_session=" + session + "; parley_csrf=" + csrf;
  EXPECT_EQ(anon.request("GET", fns("acme"), "", {cookies}).status, 200);
  std::string body = R"({"name":"from_console","code":"async function lambda(){}"})";
  EXPECT_EQ(anon.request("POST", fns("acme"), body, {cookies, "Content-Type: application/json"}).status, 403);
  EXPECT_EQ(anon.request("POST", fns("acme"), body,
                         {cookies, "Content-Type: application/json", "X-CSRF-Token: wrong"}).status, 403);
  EXPECT_EQ(anon.request("POST", fns("acme"), body,
                         {cookies, "Content-Type: application/json", "X-CSRF-Token: " + csrf}).status, 201);
}

}  // namespace
}  // namespace parley::testing
