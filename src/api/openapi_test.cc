// The OpenAPI document is generated from the router: this checks that every route is in it with
// its path parameters and a summary, that nothing else is, and that the routes the spec names
// exist.
#include <gtest/gtest.h>

#include <cstdlib>

#include <algorithm>

#include "api/api.h"
#include "store/sqlite_store.h"

namespace parley::api {
namespace {

using nlohmann::json;

class OpenApi : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/parley-openapi-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto store = store::openSqliteStore(dir_ + "/db", clock_);
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    invoker_ = runtime::Invoker::create({}, &host_);
    identity_ = std::make_unique<control::IdentityService>(*store_, signer_, clock_);
    functions_ = std::make_unique<control::FunctionService>(*store_, *invoker_, clock_);
    invocations_ = std::make_unique<control::InvocationService>(*store_, *invoker_, *functions_, clock_);
    events_ = std::make_unique<control::EventService>(*functions_, *invocations_, clock_);
    vault_ = std::make_unique<vault::Vault>(vault::MasterKey::generate(), store_->dataKeys());
    secrets_ = std::make_unique<control::SecretService>(*store_, *vault_, clock_);
    schedules_ = std::make_unique<control::ScheduleService>(*store_, clock_);
    context_ = std::make_unique<control::ContextService>(*store_, clock_);
    domains_ = std::make_unique<control::DomainService>(*store_, clock_);
    ctx_ = std::make_unique<ApiContext>(
        ApiContext{*identity_, *functions_, *invocations_, *events_, *secrets_, *schedules_, "h",
                   false});
    addIdentityRoutes(router_, *ctx_);
    addFunctionRoutes(router_, *ctx_);
    addLivePersonRoutes(router_, *ctx_);
    addEventRoutes(router_, *ctx_);
    addSecretRoutes(router_, *ctx_);
    addScheduleRoutes(router_, *ctx_);
    addTemplateRoutes(router_, *ctx_, control::TemplateCatalogue::builtin());
    ctx_->context = context_.get();
    addContextRoutes(router_, *ctx_);
    ctx_->domains = domains_.get();
    addDomainRoutes(router_, *ctx_);
    addObserveRoutes(router_, *ctx_);
    addIngestRoutes(router_, *ctx_);
    addSettingsRoutes(router_, *ctx_);
    addMetaRoutes(router_, *ctx_);
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string dir_;
  FakeClock clock_;
  control::TokenSigner signer_{std::string(32, 'k'), clock_};
  runtime::NoHostServices host_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<runtime::Invoker> invoker_;
  std::unique_ptr<control::IdentityService> identity_;
  std::unique_ptr<control::FunctionService> functions_;
  std::unique_ptr<control::InvocationService> invocations_;
  std::unique_ptr<control::EventService> events_;
  std::unique_ptr<vault::Vault> vault_;
  std::unique_ptr<control::SecretService> secrets_;
  std::unique_ptr<control::ScheduleService> schedules_;
  std::unique_ptr<control::ContextService> context_;
  std::unique_ptr<control::DomainService> domains_;
  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
};

TEST_F(OpenApi, DocumentsExactlyTheRouterRoutes) {
  json doc = openApiDocument(router_);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  size_t operations = 0;
  for (const http::Route& route : router_.routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    SCOPED_TRACE(route.method + " " + route.pattern);
    ASSERT_TRUE(doc["paths"].contains(route.pattern));
    const json& op = doc["paths"][route.pattern][method];
    ASSERT_TRUE(op.is_object());
    EXPECT_FALSE(op["summary"].get<std::string>().empty());
    size_t braces = std::count(route.pattern.begin(), route.pattern.end(), '{');
    EXPECT_EQ(op["parameters"].size(), braces);
    for (const json& p : op["parameters"]) {
      EXPECT_NE(route.pattern.find("{" + p["name"].get<std::string>() + "}"), std::string::npos);
    }
  }
  for (auto& [path, methods] : doc["paths"].items()) operations += methods.size();
  EXPECT_EQ(operations, router_.routes().size());
}

TEST_F(OpenApi, TheSpecsRoutesExist) {
  for (auto [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/api/v1/auth/login"},
           {"GET", "/api/v1/accounts"},
           {"POST", "/api/v1/accounts"},
           {"POST", "/api/v1/accounts/a/users"},
           {"POST", "/api/v1/accounts/a/clients"},
           {"POST", "/api/v1/accounts/a/oauth/token"},
           {"GET", "/api/v1/accounts/a/functions"},
           {"POST", "/api/v1/accounts/a/functions"},
           {"GET", "/api/v1/accounts/a/functions/f"},
           {"PUT", "/api/v1/accounts/a/functions/f"},
           {"DELETE", "/api/v1/accounts/a/functions/f"},
           {"POST", "/api/v1/accounts/a/functions/f/deploy"},
           {"POST", "/api/v1/accounts/a/functions/f/undeploy"},
           {"POST", "/api/v1/accounts/a/functions/f/invoke"},
           {"POST", "/api/v1/accounts/a/functions/f/test"},
           {"GET", "/api/v1/accounts/a/functions/f/versions"},
           {"GET", "/api/v1/accounts/a/functions/f/deployments"},
           {"GET", "/api/v1/accounts/a/invocations/i"},
           {"POST", "/api/account/a/lambdas/u/invoke"},
           {"GET", "/api/account/a/lambdas"},
           {"POST", "/api/account/a/functions/u/invoke"},
           {"GET", "/api/account/a/functions"},
           {"GET", "/api/account/a/service/baseURI.json"},
           {"POST", "/sentinel/api/account/a/app/token"},
           {"GET", "/api/v1/events"},
           {"GET", "/api/v1/events/conversational_command"},
           {"POST", "/api/v1/accounts/a/events/e/invoke"},
           {"GET", "/api/v1/accounts/a/events/e/isImplemented"},
           {"POST", "/api/account/a/events/e/invoke"},
           {"GET", "/api/account/a/events/e/isImplemented"},
           {"GET", "/api/v1/accounts/a/secrets"},
           {"POST", "/api/v1/accounts/a/secrets"},
           {"PUT", "/api/v1/accounts/a/secrets/s"},
           {"DELETE", "/api/v1/accounts/a/secrets/s"},
           {"GET", "/api/v1/accounts/a/schedules"},
           {"POST", "/api/v1/accounts/a/schedules"},
           {"GET", "/api/v1/accounts/a/schedules/s"},
           {"PUT", "/api/v1/accounts/a/schedules/s"},
           {"DELETE", "/api/v1/accounts/a/schedules/s"},
           {"GET", "/api/v1/templates"},
           {"GET", "/api/v1/templates/hello-world"},
           {"GET", "/api/v1/accounts/a/context/namespaces"},
           {"POST", "/api/v1/accounts/a/context/namespaces"},
           {"DELETE", "/api/v1/accounts/a/context/namespaces/n"},
           {"GET", "/api/v1/accounts/a/context/namespaces/n/sessions"},
           {"DELETE", "/api/v1/accounts/a/context/namespaces/n/sessions/s"},
           {"GET", "/api/v1/accounts/a/context/namespaces/n/sessions/s/properties"},
           {"PATCH", "/api/v1/accounts/a/context/namespaces/n/sessions/s/properties"},
           {"PUT", "/api/v1/accounts/a/context/namespaces/n/sessions/s/properties"},
           {"GET", "/api/v1/accounts/a/context/namespaces/n/sessions/s/properties/p"},
           {"DELETE", "/api/v1/accounts/a/context/namespaces/n/sessions/s/properties/p"},
           {"GET", "/api/v1/accounts/a/domains"},
           {"POST", "/api/v1/accounts/a/domains"},
           {"DELETE", "/api/v1/accounts/a/domains/*.example.com"},
           {"POST", "/api/v1/accounts/a/events"},
           {"GET", "/api/v1/accounts/a/event-types"},
           {"POST", "/api/v1/accounts/a/event-types"},
           {"DELETE", "/api/v1/accounts/a/event-types/t"},
           {"GET", "/api/v1/accounts/a/dead-letters"},
           {"GET", "/api/v1/accounts/a/dead-letters/d"},
           {"POST", "/api/v1/accounts/a/dead-letters/d/replay"},
           {"DELETE", "/api/v1/accounts/a/dead-letters/d"},
           {"GET", "/api/v1/accounts/a/settings"},
           {"PUT", "/api/v1/accounts/a/settings"},
           {"GET", "/healthz"},
           {"GET", "/readyz"},
           {"GET", "/api/v1/openapi.json"}}) {
    EXPECT_NE(router_.match(method, path).handler, nullptr) << method << " " << path;
  }
}

}  // namespace
}  // namespace parley::api
