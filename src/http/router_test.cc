#include "http/router.h"

#include <gtest/gtest.h>

namespace parley::http {
namespace {

Handler named(std::string name, std::string* called) {
  return [name, called](Request&, Respond respond) {
    *called = name;
    respond(Response::text(200, name));
  };
}

TEST(Router, LiteralSegmentsBeatParameters) {
  std::string called;
  Router router;
  router.add("GET", "/accounts/{acct}/functions/{fn}", named("param", &called));
  router.add("GET", "/accounts/{acct}/functions/count", named("literal", &called));
  router.add("GET", "/accounts/default/functions/{fn}", named("early-literal", &called));

  auto m = router.match("GET", "/accounts/a1/functions/count");
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(m.params.at("acct"), "a1");
  EXPECT_EQ(m.params.count("fn"), 0u);
  Request req;
  (*m.handler)(req, [](Response) {});
  EXPECT_EQ(called, "literal");

  m = router.match("GET", "/accounts/a1/functions/f1");
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(m.params.at("fn"), "f1");
  // The first position that differs decides: "default" (literal) at position 1 wins over the
  // route that is literal only at position 3.
  m = router.match("GET", "/accounts/default/functions/count");
  (*m.handler)(req, [](Response) {});
  EXPECT_EQ(called, "early-literal");
  EXPECT_EQ(m.params.at("fn"), "count");
}

TEST(Router, TrailingSlashIgnoredAndRootMatches) {
  std::string called;
  Router router;
  router.add("GET", "/", named("root", &called));
  router.add("GET", "/healthz", named("health", &called));
  EXPECT_TRUE(router.match("GET", "/").handler);
  EXPECT_TRUE(router.match("GET", "/healthz/").handler);
  EXPECT_FALSE(router.match("GET", "/healthz//").handler);
  EXPECT_FALSE(router.match("GET", "healthz").handler);
  EXPECT_EQ(router.match("GET", "/nope").status, 404);
}

TEST(Router, MatchesTheDecodedPathWithoutDecodingAgain) {
  std::string called;
  Router router;
  router.add("GET", "/fn/{name}", named("fn", &called));
  auto m = router.match("GET", "/fn/a b%41");  // Request::path: decoded once by the server
  ASSERT_TRUE(m.handler);
  EXPECT_EQ(m.params.at("name"), "a b%41");
  EXPECT_TRUE(router.match("GET", "/fn/100%").handler);
  EXPECT_FALSE(router.match("GET", "/fn/a/b").handler);  // "%2F" decoded: two segments
  EXPECT_FALSE(router.match("GET", "/fn/").handler);     // a parameter is never empty
}

TEST(Router, PathsDeeperThanAnyRouteAre404) {
  std::string called;
  Router router;
  router.add("GET", "/a/{b}/c", named("abc", &called));
  EXPECT_TRUE(router.match("GET", "/a/x/c").handler);
  EXPECT_EQ(router.match("GET", "/a/x/c/d").status, 404);
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "/a";
  EXPECT_EQ(router.match("GET", deep).status, 404);
  EXPECT_EQ(router.match("POST", deep).status, 404);
}

TEST(Router, MethodNotAllowedListsMethods) {
  std::string called;
  Router router;
  router.add("GET", "/things/{id}", named("get", &called));
  router.add("delete", "/things/{id}", named("delete", &called));
  router.add("PUT", "/things/special", named("put", &called));
  auto m = router.match("POST", "/things/1");
  EXPECT_FALSE(m.handler);
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
  // A matching route of the right method wins over a more specific one of another method.
  EXPECT_TRUE(router.match("GET", "/things/special").handler);
}

TEST(Router, HeadFallsBackToGet) {
  std::string called;
  Router router;
  router.add("GET", "/x", named("get", &called));
  auto m = router.match("HEAD", "/x");
  ASSERT_TRUE(m.handler);
  router.add("HEAD", "/x", named("head", &called));
  Request req;
  (*router.match("HEAD", "/x").handler)(req, [](Response) {});
  EXPECT_EQ(called, "head");
}

TEST(Router, DispatchFillsParamsAndAnswersErrors) {
  Router router;
  router.add("POST", "/fn/{name}/invoke", [](Request& req, Respond respond) {
    respond(Response::text(200, req.param("name") + "|" + req.param("missing")));
  });
  Request req;
  req.method = "POST";
  req.target = "/fn/hello%20world/invoke/?x=1";
  req.path = "/fn/hello world/invoke/";
  Response got;
  router.dispatch(req, [&](Response r) { got = std::move(r); });
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "hello world|");

  req.method = "GET";
  router.dispatch(req, [&](Response r) { got = std::move(r); });
  EXPECT_EQ(got.status, 405);
  EXPECT_EQ(got.headers.find("Allow")->second, "POST");
  EXPECT_NE(got.body.find("\"code\":\"method_not_allowed\""), std::string::npos);

  req.path = "/elsewhere";
  router.dispatch(req, [&](Response r) { got = std::move(r); });
  EXPECT_EQ(got.status, 404);
  EXPECT_NE(got.body.find("\"code\":\"not_found\""), std::string::npos);
}

TEST(Router, RoutesAreListedInOrder) {
  Router router;
  router.add(
      "get", "/a", [](Request&, Respond) {}, "first");
  router.add("POST", "/b/{id}", [](Request&, Respond) {});
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0].method, "GET");
  EXPECT_EQ(router.routes()[0].summary, "first");
  EXPECT_EQ(router.routes()[1].pattern, "/b/{id}");
}

}  // namespace
}  // namespace parley::http
