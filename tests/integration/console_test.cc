// The embedded web console as the real server serves it: the app at / and at client-side routes,
// hashed assets cached as immutable and gzipped, ETag revalidation, security headers, and the API,
// health and LivePerson paths never shadowed. Also the editor's validate route: build errors at
// their line, nothing saved or deployed.
#include <gtest/gtest.h>

#include <regex>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

class Console : public ::testing::Test {
 protected:
  ServerProcess server;
  HttpClient anon{server.url()};
};

void expectSecurityHeaders(const HttpResult& r) {
  std::string csp = r.header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("x-frame-options"), "DENY");
}

TEST_F(Console, ServesTheAppAtTheRootAndAtClientSideRoutes) {
  HttpResult root = anon.request("GET", "/");
  ASSERT_EQ(root.status, 200);
  EXPECT_EQ(root.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(root.header("cache-control"), "no-cache");
  EXPECT_NE(root.body.find("<div id=\"app\"></div>"), std::string::npos);
  expectSecurityHeaders(root);

  for (const char* path : {"/functions", "/functions/greet/versions", "/login?next=%2F", "/secrets/"}) {
    HttpResult r = anon.request("GET", path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, root.body) << path;
    EXPECT_EQ(r.header("cache-control"), "no-cache") << path;
  }
  // A missing file is a 404, not the app under a script's name.
  HttpResult missing = anon.request("GET", "/assets/nothing-here.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.find("<html"), std::string::npos);
}

TEST_F(Console, HashedAssetsAreImmutableGzippedAndRevalidated) {
  HttpResult root = anon.request("GET", "/");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(root.body, m, std::regex("/assets/index-[A-Za-z0-9_-]+\\.js")));
  std::string script = m.str();

  HttpResult plain = anon.request("GET", script);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_GT(plain.body.size(), 10000u);

  HttpResult gz = anon.request("GET", script, {}, {"Accept-Encoding: gzip, deflate, br"});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gz.header("vary"), "Accept-Encoding");
  ASSERT_GE(gz.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[1]), 0x8b);
  EXPECT_LT(gz.body.size(), plain.body.size() / 2);

  std::string etag = root.header("etag");
  ASSERT_FALSE(etag.empty());
  HttpResult again = anon.request("GET", "/", {}, {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  HttpResult head = anon.request("HEAD", "/functions");
  EXPECT_EQ(head.status, 200);
}

TEST_F(Console, NeverShadowsTheApiHealthOrLivePersonPaths) {
  HttpResult api = anon.request("GET", "/api/v1/no-such-thing");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.json()["error"]["code"], "not_found");
  EXPECT_EQ(anon.request("GET", "/api/account/acme/lambdas").status, 401);  // a route: needs auth
  EXPECT_EQ(anon.request("GET", "/api/account/acme/nope").json()["error"]["code"], "not_found");
  EXPECT_EQ(anon.request("GET", "/sentinel/api/x").json()["error"]["code"], "not_found");
  EXPECT_EQ(anon.request("GET", "/healthz").json()["status"], "ok");
  EXPECT_EQ(anon.request("GET", "/metrics").header("content-type").find("text/html"), std::string::npos);
  EXPECT_EQ(anon.request("GET", "/api/v1/openapi.json").json()["openapi"], "3.0.3");
  // Other methods on console paths are the router's answers, not the app.
  HttpResult post = anon.request("POST", "/functions", "{}");
  EXPECT_EQ(post.status, 404);
  EXPECT_EQ(post.json()["error"]["code"], "not_found");
}

TEST_F(Console, ValidatePutsBuildErrorsAtTheirLineWithoutSaving) {
  server.addAccountWithUsers("acme", {"Developer", "Viewer"});
  HttpClient dev = server.loginAs("acme", "Developer");
  const std::string fns = "/api/v1/accounts/acme/functions";
  ASSERT_EQ(dev.call("POST", fns, {{"name", "greet"}, {"code", "async function lambda() { return 1; }"}}).status, 201);

  HttpResult bad = dev.call("POST", fns + "/greet/validate",
                            {{"code", "async function lambda(input) {\n  const a = 1;\n  return a +;\n}\n"}});
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_EQ(bad.json()["valid"], false);
  EXPECT_EQ(bad.json()["error"]["line"], 3) << bad.body;
  EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("SyntaxError"), std::string::npos) << bad.body;

  HttpResult noLambda = dev.call("POST", fns + "/greet/validate", {{"code", "const x = 1;\n"}});
  EXPECT_EQ(noLambda.json()["valid"], false);
  EXPECT_NE(noLambda.json()["error"]["message"].get<std::string>().find("lambda"), std::string::npos) << noLambda.body;

  HttpResult good = dev.call("POST", fns + "/greet/validate", {{"code", "async function lambda() { return 2; }"}});
  EXPECT_EQ(good.json(), (json{{"valid", true}, {"error", nullptr}}));
  // Without code: the newest saved code.
  EXPECT_EQ(dev.call("POST", fns + "/greet/validate").json()["valid"], true);

  // Nothing was saved, deployed or marked as failed.
  json f = dev.call("GET", fns + "/greet").json();
  EXPECT_EQ(f["version"], 1);
  EXPECT_EQ(f["state"], "Draft");
  EXPECT_EQ(f["code"], "async function lambda() { return 1; }");

  EXPECT_EQ(dev.call("POST", fns + "/greet/validate", {{"code", ""}}).status, 400);
  EXPECT_EQ(dev.call("POST", fns + "/greet/validate", {{"code", 5}}).status, 400);
  EXPECT_EQ(dev.call("POST", fns + "/nope/validate", {{"code", "x"}}).status, 404);
  EXPECT_EQ(server.loginAs("acme", "Viewer").call("POST", fns + "/greet/validate").status, 403);
  server.addAccountWithUsers("other", {"Admin"});
  EXPECT_EQ(server.loginAs("other", "Admin").call("POST", fns + "/greet/validate").status, 404);
}

}  // namespace
}  // namespace parley::testing
