// Toolbelt.OrchestratorClient against the real server: sequential and parallel fan-out, retries
// (counted through the context store), ExitOnError and ContinueOnError, deadlines, unknown
// functions, and call loops and the depth limit refused with the chain in the message.
#include <gtest/gtest.h>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kFns = "/api/v1/accounts/acme/functions";

class Orchestrator : public ::testing::Test {
 protected:
  void SetUp() override {
    server.addAccountWithUsers("acme", {"Admin"});
    admin = server.loginAs("acme", "Admin");
    ASSERT_EQ(admin.call("POST", "/api/v1/accounts/acme/context/namespaces", {{"name", "calls"}})
                  .status,
              201);
    deploy("double", R"js(
      async function lambda(input) { return { doubled: input.payload.n * 2, header: input.headers }; }
    )js");
    deploy("fails", R"js(
      const { Toolbelt } = require('lp-faas-toolbelt');
      const ctx = Toolbelt.ContextServiceClient();
      async function lambda(input) {
        const n = (await ctx.getPropertyInSession('calls', 'fails')) || 0;
        await ctx.setPropertiesInNamespace('calls', { fails: n + 1 });
        throw new Error('fails on purpose');
      }
    )js");
    // Slow on its first two calls (longer than the attempt timeout), then quick.
    deploy("flaky", R"js(
      const { Toolbelt } = require('lp-faas-toolbelt');
      const ctx = Toolbelt.ContextServiceClient();
      async function lambda(input) {
        const n = ((await ctx.getPropertyInSession('calls', 'flaky')) || 0) + 1;
        await ctx.setPropertiesInNamespace('calls', { flaky: n });
        if (n < 3) await new Promise((r) => setTimeout(r, 3000));
        return { attempt: n };
      }
    )js");
    deploy("slow", R"js(
      async function lambda() { await new Promise((r) => setTimeout(r, 5000)); return 'late'; }
    )js");
    // Invokes the first of payload.rest with the others; reports what came back.
    const std::string hop = R"js(
      const { Toolbelt } = require('lp-faas-toolbelt');
      async function lambda(input) {
        const rest = input.payload.rest || [];
        if (rest.length === 0) return 'end';
        try {
          const [r] = await Toolbelt.OrchestratorClient().invoke(
            [{ uuid: rest[0], payload: { rest: rest.slice(1) } }], 20000, { retries: 0 });
          return r.result;
        } catch (e) {
          return { code: e.code, message: e.message, statusCode: e.statusCode };
        }
      }
    )js";
    for (const char* name : {"hop1", "hop2", "hop3", "hop4", "hop5", "hop6"}) deploy(name, hop);
  }
  void deploy(const std::string& name, const std::string& code) {
    ASSERT_EQ(admin.call("POST", kFns, {{"name", name}, {"code", code}}).status, 201);
    HttpResult d = admin.call("POST", kFns + "/" + name + "/deploy");
    ASSERT_EQ(d.status, 200) << d.body;
  }
  // Deploys `code` as "orch" (replacing it) and invokes it with `payload`.
  HttpResult run(const std::string& code, const json& payload = json::object()) {
    static int n = 0;
    std::string name = "orch" + std::to_string(++n);
    deploy(name, code);
    return admin.call("POST", kFns + "/" + name + "/invoke", {{"payload", payload}});
  }
  int64_t counter(const std::string& name) {
    HttpResult r = admin.call(
        "GET", "/api/v1/accounts/acme/context/namespaces/calls/sessions/__default__/properties/" +
                   name);
    return r.status == 200 ? r.json().get<int64_t>() : 0;
  }
  std::string uuidOf(const std::string& name) {
    return admin.call("GET", kFns + "/" + name).json()["uuid"];
  }

  ServerProcess server;
  HttpClient admin{""};
};

const char* kFanOut = R"js(
  const { Toolbelt } = require('lp-faas-toolbelt');
  async function lambda(input) {
    return Toolbelt.OrchestratorClient().invoke(input.payload.invocations, input.payload.deadline,
                                               input.payload.options);
  }
)js";

TEST_F(Orchestrator, SequentialAndParallelByUuidOrName) {
  json invocations = json::array({{{"uuid", uuidOf("double")}, {"payload", {{"n", 1}}},
                                   {"headers", {{"h1", "v1"}}}},
                                  {{"name", "double"}, {"payload", {{"n", 21}}}}});
  for (bool parallel : {false, true}) {
    HttpResult r = run(kFanOut, {{"invocations", invocations},
                                 {"deadline", 20000},
                                 {"options", {{"invokeParallel", parallel}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    json j = r.json();
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0]["statusCode"], 200);
    EXPECT_EQ(j[0]["result"]["doubled"], 2);
    EXPECT_EQ(j[0]["result"]["header"], json::parse(R"([{"key":"h1","value":"v1"}])"));
    EXPECT_EQ(j[1]["result"]["doubled"], 42);
    // Each callee is an invocation of its own, recorded with the orchestrator trigger.
    HttpResult rec =
        admin.call("GET", "/api/v1/accounts/acme/invocations/" + j[1]["invocationId"].get<std::string>());
    ASSERT_EQ(rec.status, 200) << rec.body;
    EXPECT_EQ(rec.json()["trigger"], "orchestrator");
  }
}

TEST_F(Orchestrator, RetriesTimeoutsButNotFunctionErrors) {
  HttpResult r = run(kFanOut, {{"invocations", {{{"name", "flaky"}}}},
                               {"deadline", 20000},
                               {"options", {{"timeout", 1000}, {"retries", 3}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()[0]["result"]["attempt"], 3);
  EXPECT_EQ(counter("flaky"), 3);

  // A function that throws is not retried (status 901): one call, its error code surfaces.
  HttpResult f = run(kFanOut, {{"invocations", {{{"name", "fails"}}}},
                               {"deadline", 20000},
                               {"options", {{"retries", 3}}}});
  ASSERT_EQ(f.status, 500) << f.body;
  EXPECT_EQ(f.json()["error"]["code"], "com.liveperson.faas.handler.custom-failure");
  EXPECT_NE(f.json()["error"]["message"].get<std::string>().find("fails on purpose"),
            std::string::npos);
  EXPECT_EQ(counter("fails"), 1);

  // An unknown function: 404, a status-code error, not retried.
  HttpResult u = run(R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      try { await Toolbelt.OrchestratorClient().invoke([{ uuid: 'no-such-fn' }], 5000); }
      catch (e) { return { code: e.code, statusCode: e.statusCode, message: e.message }; }
    }
  )js");
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json()["code"], "com.liveperson.faas.orchestrator-fn.invoke.status-code-error");
  EXPECT_EQ(u.json()["statusCode"], 404);
}

TEST_F(Orchestrator, ExitOnErrorStopsContinueOnErrorReportsEach) {
  json invocations = json::array({{{"name", "double"}, {"payload", {{"n", 1}}}},
                                  {{"name", "fails"}},
                                  {{"name", "fails"}}});
  HttpResult exit = run(kFanOut, {{"invocations", invocations}, {"deadline", 20000}});
  ASSERT_EQ(exit.status, 500) << exit.body;
  EXPECT_EQ(exit.json()["error"]["code"], "com.liveperson.faas.handler.custom-failure");
  EXPECT_EQ(counter("fails"), 1);  // the third was never started

  HttpResult cont = run(kFanOut, {{"invocations", invocations},
                                  {"deadline", 20000},
                                  {"options", {{"errorStrategy", "ContinueOnError"}}}});
  ASSERT_EQ(cont.status, 200) << cont.body;
  json j = cont.json();
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["result"]["doubled"], 2);
  EXPECT_EQ(j[1]["statusCode"], 901);
  EXPECT_EQ(j[1]["error"]["code"], "com.liveperson.faas.handler.custom-failure");
  EXPECT_EQ(j[2]["error"]["code"], "com.liveperson.faas.handler.custom-failure");
  EXPECT_EQ(counter("fails"), 3);
}

TEST_F(Orchestrator, DeadlineIsEnforcedAndCappedAt25Seconds) {
  HttpResult tooLong = run(R"js(
    const { Toolbelt, ErrorStrategy } = require('lp-faas-toolbelt');
    async function lambda() {
      const c = Toolbelt.OrchestratorClient();
      const codeOf = (p) => p.then(() => 'ok', (e) => e.code);
      return {
        over: await codeOf(c.invoke([{ name: 'double', payload: { n: 1 } }], 25001)),
        none: await codeOf(c.invoke([], 1000)),
        badStrategy: await codeOf(c.invoke([{ name: 'double' }], 1000, { errorStrategy: 'Maybe' })),
        strategies: ErrorStrategy,
      };
    }
  )js");
  ASSERT_EQ(tooLong.status, 200) << tooLong.body;
  EXPECT_EQ(tooLong.json()["over"], "com.liveperson.faas.orchestrator-fn-general");
  EXPECT_EQ(tooLong.json()["none"], "com.liveperson.faas.orchestrator-fn-general");
  EXPECT_EQ(tooLong.json()["badStrategy"], "com.liveperson.faas.orchestrator-fn-general");
  EXPECT_EQ(tooLong.json()["strategies"]["ContinueOnError"], "ContinueOnError");

  HttpResult late = run(R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      try { await Toolbelt.OrchestratorClient().invoke([{ name: 'slow' }], 1000, { retries: 0 }); }
      catch (e) { return { code: e.code, message: e.message }; }
    }
  )js");
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_EQ(late.json()["code"], "com.liveperson.faas.orchestrator-fn.invoke.timeout");
}

TEST_F(Orchestrator, LoopsAndTheDepthLimitAreRefused) {
  // hop1 → hop2 → hop3 → end.
  HttpResult ok = admin.call("POST", kFns + "/hop1/invoke",
                             {{"payload", {{"rest", {"hop2", "hop3"}}}}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json(), "end");

  // hop1 → hop2 → hop1: hop2's call is refused with the chain.
  HttpResult loop = admin.call("POST", kFns + "/hop1/invoke",
                               {{"payload", {{"rest", {"hop2", "hop1"}}}}});
  ASSERT_EQ(loop.status, 200) << loop.body;
  EXPECT_EQ(loop.json()["statusCode"], 508);
  EXPECT_NE(loop.json()["message"].get<std::string>().find("Call loop refused: hop1 → hop2 → hop1"),
            std::string::npos)
      << loop.body;

  // A function calling itself.
  HttpResult self = admin.call("POST", kFns + "/hop1/invoke", {{"payload", {{"rest", {"hop1"}}}}});
  EXPECT_EQ(self.json()["statusCode"], 508);

  // Five functions on a chain at most.
  HttpResult deep = admin.call("POST", kFns + "/hop1/invoke",
                               {{"payload", {{"rest", {"hop2", "hop3", "hop4", "hop5", "hop6"}}}}});
  ASSERT_EQ(deep.status, 200) << deep.body;
  EXPECT_EQ(deep.json()["statusCode"], 508);
  EXPECT_NE(deep.json()["message"].get<std::string>().find("depth limit of 5"), std::string::npos)
      << deep.body;
  HttpResult five = admin.call("POST", kFns + "/hop1/invoke",
                               {{"payload", {{"rest", {"hop2", "hop3", "hop4", "hop5"}}}}});
  EXPECT_EQ(five.json(), "end") << five.body;
}

}  // namespace
}  // namespace parley::testing
