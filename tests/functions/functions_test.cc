// Data-driven function cases: every directory under tests/functions/ is one function, run through
// the runtime's Invoker, with what must come of it described in expected.json.
//
//   <case>/index.js       the function (required)
//   <case>/input.json     the invocation input, `{headers, payload, timestamp}` or part of it
//                         (default `{}`)
//   <case>/config.json    {"timeoutMs", "memoryMb", "env": {..}, "maxLogEntries", "maxLogBytes",
//                          "maxResultBytes", "maxPayloadBytes", "keepDebugLogs" (default true),
//                          "allowCodeGeneration" (default false), "invocations": N}
//                         N > 1 invokes the same function N times, sequentially, on the same warm
//                         instance; the expectations apply to the last invocation.
//   <case>/expected.json  every key present is asserted:
//     "outcome"               SUCCEEDED | CODING_FAILURE | TIMEOUT | PLATFORM_FAILURE (required)
//     "result"                the result, exact JSON
//     "errorCode"             exact
//     "errorMessageContains"  a substring (or a list of substrings) of the error message
//     "stackContains"         a substring (or list) of the error's stack
//     "stackNotContains"      a substring (or list) that must not be in the stack
//     "logs"                  the logs, exact and in order: [{"level","message","extras"}]
//                             (timestamps ignored; a missing "extras" means [])
//     "logsContain"           entries that must be among the logs, in any order:
//                             [{"level"?, "message"? | "messageContains"?, "extras"?}]
//     "logsNotContain"        entries that must not be among the logs (same matching)
//     "logCount"              the number of logs kept
//     "coldStart"             whether the (last) invocation started a new instance
//     "comment"               ignored: a note for the reader
// For every case, neither the stack nor the logs may show the runtime's internal frames.
//
// Cases are discovered when the test binary runs (PARLEY_FUNCTION_CASES, or the environment
// variable of that name), each as its own parameterised test named after its directory. A case
// directory without expected.json or index.js fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/host_services.h"
#include "runtime/invoker.h"
#include "runtime/platform_env.h"

#ifndef PARLEY_FUNCTION_CASES
#error "PARLEY_FUNCTION_CASES must name the directory holding the function cases"
#endif

namespace parley::runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Platform variables every function sees (as src/cli/run_command.cc sets them).
constexpr const char* kAccountId = "functions-test";
constexpr const char* kFunctionUuid = "6f1c9b0e-3d2a-4c8e-9f4b-2a7d5e8c1b30";

fs::path casesRoot() {
  if (const char* dir = std::getenv("PARLEY_FUNCTION_CASES"); dir && *dir) return dir;
  return PARLEY_FUNCTION_CASES;
}

std::vector<std::string> discoverCases() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(casesRoot(), ec)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool readFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Parses <dir>/<file> when it exists. Returns false (with a failure recorded) on bad JSON.
template <typename Json>
bool readJson(const fs::path& dir, const char* file, Json& out, bool required) {
  std::string text;
  if (!readFile(dir / file, text)) {
    if (required) ADD_FAILURE() << "missing " << (dir / file).string();
    return !required;
  }
  out = Json::parse(text, nullptr, false);
  if (out.is_discarded()) {
    ADD_FAILURE() << (dir / file).string() << " is not valid JSON";
    return false;
  }
  return true;
}

// One Invoker for the whole suite (per process: ctest runs each case as its own process).
class InvokerEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    InvokerOptions options;
    options.isolation = Isolation::kThread;
    options.workers = 2;
    options.sparePerWorker = 0;  // the suite is short-lived: no background isolate building
    invoker_ = Invoker::create(options, &host_);
  }
  void TearDown() override { invoker_.reset(); }
  static Invoker& invoker() { return *invoker_; }

 private:
  NoHostServices host_;
  static inline std::unique_ptr<Invoker> invoker_;
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new InvokerEnvironment);

json logsToJson(const std::vector<LogEntry>& logs) {
  json out = json::array();
  for (const LogEntry& l : logs) {
    json extras = json::parse(l.extrasJson, nullptr, false);
    if (extras.is_discarded()) extras = l.extrasJson;  // shows up as a mismatch, verbatim
    out.push_back({{"level", logLevelName(l.level)}, {"message", l.message}, {"extras", extras}});
  }
  return out;
}

std::string clip(std::string s, size_t max = 2000) {
  if (s.size() > max) {
    size_t n = s.size();
    s.resize(max);
    s += "... (" + std::to_string(n) + " bytes)";
  }
  return s;
}

// The actual result as JSON, for failure messages (long strings clipped).
json describe(const InvocationResult& r) {
  json out = {{"outcome", outcomeName(r.outcome)},
              {"coldStart", r.coldStart},
              {"durationMs", r.durationUs / 1000.0}};
  if (r.ok()) {
    json result = json::parse(r.resultJson, nullptr, false);
    out["result"] =
        r.resultJson.size() > 4000 || result.is_discarded() ? json(clip(r.resultJson)) : result;
  } else {
    out["errorCode"] = r.errorCode;
    out["errorMsg"] = clip(r.errorMessage);
    out["stack"] = clip(r.errorStack);
  }
  json logs = logsToJson(r.logs);
  if (logs.size() > 30) {
    size_t n = logs.size();
    logs.erase(logs.begin() + 30, logs.end());
    logs.push_back("... (" + std::to_string(n) + " logs)");
  }
  for (auto& l : logs) {
    if (l.is_object()) l["message"] = clip(l["message"].get<std::string>(), 500);
  }
  out["logs"] = logs;
  return out;
}

std::vector<std::string> stringList(const json& v) {
  if (v.is_string()) return {v.get<std::string>()};
  std::vector<std::string> out;
  for (const auto& s : v) out.push_back(s.get<std::string>());
  return out;
}

bool logMatches(const json& want, const json& got) {
  if (want.contains("level") && want["level"] != got["level"]) return false;
  if (want.contains("message") && want["message"] != got["message"]) return false;
  if (want.contains("messageContains") &&
      got["message"].get<std::string>().find(want["messageContains"].get<std::string>()) ==
          std::string::npos) {
    return false;
  }
  if (want.contains("extras") && want["extras"] != got["extras"]) return false;
  return true;
}

class FunctionCase : public ::testing::TestWithParam<std::string> {};

TEST_P(FunctionCase, Run) {
  const std::string name = GetParam();
  const fs::path dir = casesRoot() / name;

  std::string code;
  ASSERT_TRUE(readFile(dir / "index.js", code)) << "missing " << (dir / "index.js").string();
  json expected, config = json::object();
  // The input keeps its key order (a headers map becomes a list in that order).
  nlohmann::ordered_json input = nlohmann::ordered_json::object();
  ASSERT_TRUE(readJson(dir, "expected.json", expected, true));
  ASSERT_TRUE(readJson(dir, "config.json", config, false));
  ASSERT_TRUE(readJson(dir, "input.json", input, false));
  ASSERT_TRUE(expected.is_object()) << "expected.json must be an object";
  ASSERT_TRUE(config.is_object()) << "config.json must be an object";

  static const std::set<std::string> kExpectedKeys = {
      "outcome",        "result",           "errorCode", "errorMessageContains",
      "stackContains",  "stackNotContains", "logs",      "logsContain",
      "logsNotContain", "logCount",         "coldStart", "comment"};
  for (const auto& [k, v] : expected.items()) {
    ASSERT_TRUE(kExpectedKeys.count(k)) << "expected.json: unknown key '" << k << "'";
  }
  ASSERT_TRUE(expected.contains("outcome")) << "expected.json must give the outcome";
  static const std::set<std::string> kConfigKeys = {
      "timeoutMs",      "memoryMb",        "env",         "maxLogEntries", "maxLogBytes",
      "maxResultBytes", "maxPayloadBytes", "invocations", "keepDebugLogs", "allowCodeGeneration",
      "comment"};
  for (const auto& [k, v] : config.items()) {
    ASSERT_TRUE(kConfigKeys.count(k)) << "config.json: unknown key '" << k << "'";
  }

  auto fn = std::make_shared<FunctionSource>();
  fn->key = "functions-test/" + name;
  fn->name = "index.js";
  fn->code = code;
  // The names are asserted literally by the global_process_env case.
  fn->env = platformEnvironment(kAccountId, kFunctionUuid);
  if (config.contains("env")) {
    for (const auto& [k, v] : config["env"].items()) fn->env[k] = v.get<std::string>();
  }
  Limits& limits = fn->limits;
  limits.timeoutMs = config.value("timeoutMs", limits.timeoutMs);
  if (config.contains("memoryMb")) limits.memoryBytes = config["memoryMb"].get<int64_t>() << 20;
  limits.maxLogEntries = config.value("maxLogEntries", limits.maxLogEntries);
  limits.maxLogBytes = config.value("maxLogBytes", limits.maxLogBytes);
  limits.maxResultBytes = config.value("maxResultBytes", limits.maxResultBytes);
  limits.maxPayloadBytes = config.value("maxPayloadBytes", limits.maxPayloadBytes);
  fn->allowCodeGeneration = config.value("allowCodeGeneration", false);
  const int invocations = config.value("invocations", 1);
  ASSERT_GE(invocations, 1);

  InvocationResult r;
  for (int i = 1; i <= invocations; ++i) {
    InvocationRequest request;
    request.function = fn;
    request.inputJson = input.dump();
    request.keepDebugLogs = config.value("keepDebugLogs", true);
    request.context.accountId = kAccountId;
    request.context.functionUuid = kFunctionUuid;
    request.context.functionName = name;
    request.context.invocationId = name + "-" + std::to_string(i);
    request.context.trigger = Trigger::kTest;
    r = InvokerEnvironment::invoker().invokeSync(std::move(request));
  }

  const std::string actual = describe(r).dump(2, ' ', false, json::error_handler_t::replace);
  SCOPED_TRACE("actual result of '" + name + "':\n" + actual);

  if (expected.contains("outcome")) {
    EXPECT_EQ(expected["outcome"].get<std::string>(), outcomeName(r.outcome));
  }
  if (expected.contains("result")) {
    json result = json::parse(r.resultJson, nullptr, false);
    EXPECT_TRUE(r.ok()) << "a result was expected";
    EXPECT_EQ(expected["result"], result) << "result mismatch";
  }
  if (expected.contains("errorCode")) {
    EXPECT_EQ(expected["errorCode"].get<std::string>(), r.errorCode);
  }
  if (expected.contains("errorMessageContains")) {
    for (const std::string& s : stringList(expected["errorMessageContains"])) {
      EXPECT_NE(r.errorMessage.find(s), std::string::npos)
          << "the error message does not contain: " << s;
    }
  }
  if (expected.contains("stackContains")) {
    for (const std::string& s : stringList(expected["stackContains"])) {
      EXPECT_NE(r.errorStack.find(s), std::string::npos) << "the stack does not contain: " << s;
    }
  }
  if (expected.contains("stackNotContains")) {
    for (const std::string& s : stringList(expected["stackNotContains"])) {
      EXPECT_EQ(r.errorStack.find(s), std::string::npos) << "the stack contains: " << s;
    }
  }
  EXPECT_EQ(r.errorStack.find("parley:internal"), std::string::npos)
      << "the stack shows the runtime's internal frames";

  const json logs = logsToJson(r.logs);
  for (const json& l : logs) {
    EXPECT_EQ(l.dump().find("parley:internal"), std::string::npos)
        << "a log shows the runtime's internal frames: " << l.dump();
  }
  if (expected.contains("logs")) {
    json want = json::array();
    for (json l : expected["logs"]) {
      if (!l.contains("extras")) l["extras"] = json::array();
      want.push_back(l);
    }
    EXPECT_EQ(want, logs) << "logs mismatch";
  }
  if (expected.contains("logsContain")) {
    for (const json& want : expected["logsContain"]) {
      bool found = std::any_of(logs.begin(), logs.end(),
                               [&](const json& got) { return logMatches(want, got); });
      EXPECT_TRUE(found) << "no log matches " << want.dump();
    }
  }
  if (expected.contains("logsNotContain")) {
    for (const json& unwanted : expected["logsNotContain"]) {
      for (const json& got : logs) {
        EXPECT_FALSE(logMatches(unwanted, got))
            << "a log matches " << unwanted.dump() << ": " << got.dump();
      }
    }
  }
  if (expected.contains("logCount")) {
    EXPECT_EQ(expected["logCount"].get<size_t>(), r.logs.size()) << "log count mismatch";
  }
  if (expected.contains("coldStart")) {
    EXPECT_EQ(expected["coldStart"].get<bool>(), r.coldStart);
  }
}

// Test names allow only [A-Za-z0-9_].
std::string testName(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(functions, FunctionCase, ::testing::ValuesIn(discoverCases()), testName);

TEST(functions, CasesAreFound) {
  EXPECT_FALSE(discoverCases().empty()) << "no case directories under " << casesRoot().string();
}

}  // namespace
}  // namespace parley::runtime
