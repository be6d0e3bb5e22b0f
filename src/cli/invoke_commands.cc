// `parley invoke NAME [--local]` and `parley test NAME`.
#include <iostream>
#include <mutex>

#include "cli/api_client.h"
#include "cli/common.h"
#include "cli/local_run.h"
#include "cli/project.h"

namespace parley::cli {

namespace {

using nlohmann::json;

struct InvokeOptions {
  std::string name;
  std::string payload;
  std::string payloadFile;
  std::vector<std::string> headers;  // KEY=VALUE
  bool local = false;
};

// What `invoke` and `test` send: --payload / --payload-file, else the function's config.json
// `input` when it is in the project, else an empty payload; --header adds headers.
json invocationBody(const InvokeOptions& o) {
  json fallback = json::object();
  std::optional<Project> p = findProject();
  if (p && std::filesystem::exists(p->functionDir(o.name) / "config.json")) {
    json input = readLocalFunction(*p, o.name).config.value("input", json());
    if (input.is_object()) fallback = input;
  }
  json input = invocationInput(payloadArg(o.payload, o.payloadFile, fallback));
  if (!input.value("headers", json()).is_array()) input["headers"] = json::array();
  for (const std::string& kv : o.headers) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw usageError("--header takes KEY=VALUE, got '" + kv + "'");
    input["headers"].push_back({{"key", kv.substr(0, eq)}, {"value", kv.substr(eq + 1)}});
  }
  return input;
}

void printLogs(std::ostream& out, const json& logs) {
  for (const json& l : logs) {
    out << "  [" << l.value("level", "") << "] " << l.value("message", "");
    json extras = l.value("extras", json::array());
    if (extras.is_array() && !extras.empty()) out << " " << extras.dump();
    out << "\n";
  }
}

// Host services of a local run: secrets from settings.json (`secrets: [{key, value}]`, written
// back on update, as LivePerson's local toolbelt does); nothing else is reachable locally.
class SettingsHostServices final : public runtime::HostServices {
 public:
  explicit SettingsHostServices(Project project) : project_(std::move(project)) {}

  void call(const runtime::InvocationContext&, runtime::HostRequest request, Completion done) override {
    done(handle(request));
  }

 private:
  static runtime::HostResponse failure(const std::string& code, const std::string& message) {
    return runtime::HostResponse{false, "null", {}, code, message};
  }

  runtime::HostResponse handle(const runtime::HostRequest& request) {
    if (request.service == "secrets.used") return {};
    if (request.service != "secrets.read" && request.service != "secrets.update") {
      return failure("com.liveperson.faas.fm.unavailable",
                     "The service '" + request.service + "' is not available in local runs");
    }
    json args = json::parse(request.argsJson, nullptr, false);
    std::string key = args.is_object() ? args.value("key", "") : "";
    std::lock_guard lock(mu_);
    json settings = loadSettings(project_);
    json& secrets = settings["secrets"];
    if (!secrets.is_array()) secrets = json::array();
    for (json& s : secrets) {
      if (!s.is_object() || s.value("key", "") != key) continue;
      if (request.service == "secrets.update") {
        if (key.rfind("LIVEPERSON_DEFAULT_", 0) == 0 || key.rfind("PARLEY_", 0) == 0) {
          return failure("com.liveperson.faas.secret.forbidden", "System secrets are read-only");
        }
        s["value"] = args.value("value", "");
        saveSettings(project_, settings);
      }
      json value = s.value("value", json(""));
      bool isJson = !value.is_string();
      runtime::HostResponse r;
      r.resultJson = json{{"key", key}, {"value", isJson ? value.dump() : value.get<std::string>()},
                          {"type", isJson ? "json" : "plaintext"}}.dump();
      return r;
    }
    return failure("com.liveperson.faas.secret.not-found",
                   "There is no secret '" + key + "' in " + settingsFile(project_).string());
  }

  Project project_;
  std::mutex mu_;
};

int invokeLocal(const Globals& g, const InvokeOptions& o) {
  Project p = requireProject();
  LocalFunction f = readLocalFunction(p, o.name);
  LocalRun run;
  run.name = o.name;
  run.code = f.code;
  json env = f.config.value("environment", json::object());
  for (auto& [k, v] : env.items()) {
    if (v.is_string()) run.env[k] = v.get<std::string>();
  }
  json settings = f.config.value("settings", json::object());
  run.timeoutMs = settings.value("timeoutSeconds", int64_t{30}) * 1000;
  run.memoryBytes = settings.value("memoryMb", int64_t{128}) << 20;
  run.input = invocationBody(o);
  SettingsHostServices host(p);
  runtime::InvocationResult r = runLocally(run, host);
  std::cout << localResultJson(r).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  return r.ok() ? 0 : kExitFailure;
}

int invoke(const Globals& g, const InvokeOptions& o) {
  if (o.local) return invokeLocal(g, o);
  Session s = openSession(g);
  json body = invocationBody(o);
  ApiResponse r = s.client.send("POST", s.functionPath(o.name) + "/invoke",
                                body.dump());
  json j = r.json();
  if (r.status == 200) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  json error = j.is_object() ? j.value("error", json()) : json();
  json details = error.is_object() ? error.value("details", json::object()) : json::object();
  if (!error.is_object() || !details.is_object() || !details.contains("outcome")) {
    throw CliError(errorMessage(r, s.server));  // not a function failure: auth, 404, quota …
  }
  if (g.output == "json") {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cerr << o.name << " failed (" << details.value("outcome", "") << "): "
              << error.value("code", "") << ": " << error.value("message", "") << "\n";
    if (!details.value("logs", json::array()).empty()) {
      std::cerr << "Logs:\n";
      printLogs(std::cerr, details["logs"]);
    }
  }
  return kExitFailure;
}

int test(const Globals& g, const InvokeOptions& o) {
  Session s = openSession(g);
  json out = s.client.call("POST", s.functionPath(o.name) + "/test",
                           invocationBody(o));
  bool ok = !out.contains("error");
  if (g.output == "json") {
    std::cout << out.dump(2) << "\n";
    return ok ? 0 : kExitFailure;
  }
  std::ostream& where = ok ? std::cout : std::cerr;
  if (ok) {
    std::cout << "Result (version " << out.value("version", 0) << ", "
              << out.value("durationMs", 0.0) << " ms):\n" << out["result"].dump(2) << "\n";
  } else {
    const json& e = out["error"];
    std::cerr << o.name << " failed (" << e.value("outcome", "") << "): " << e.value("code", "")
              << ": " << e.value("message", "") << "\n";
    if (!e.value("stack", "").empty()) std::cerr << e.value("stack", "") << "\n";
  }
  if (!out.value("logs", json::array()).empty()) {
    where << "Logs:\n";
    printLogs(where, out["logs"]);
  }
  return ok ? 0 : kExitFailure;
}

void addInvokeOptions(CLI::App* cmd, InvokeOptions& o) {
  cmd->add_option("name", o.name, "The function (name or UUID)")->required();
  cmd->add_option("--payload", o.payload, "The payload, as JSON (or a whole {headers, payload})");
  cmd->add_option("--payload-file", o.payloadFile, "A file holding the payload as JSON");
  cmd->add_option("-H,--header", o.headers, "A header KEY=VALUE (repeatable)");
}

}  // namespace

void addInvokeCommands(CommandContext& c) {
  auto o = std::make_shared<InvokeOptions>();
  CLI::App* inv = c.app.add_subcommand(
      "invoke", "Invoke a deployed function (or, with --local, run the project's code here)");
  addInvokeOptions(inv, *o);
  inv->add_flag("-l,--local", o->local,
                "Run functions/NAME/index.js in-process with the real runtime and settings.json secrets");
  inv->callback([&c, o] { runGuarded("invoke", c.exitCode, [&] { return invoke(c.globals, *o); }); });

  auto t = std::make_shared<InvokeOptions>();
  CLI::App* testCmd = c.app.add_subcommand(
      "test", "Run the newest saved code on the server in any state; shows result, logs, duration");
  addInvokeOptions(testCmd, *t);
  testCmd->callback([&c, t] { runGuarded("test", c.exitCode, [&] { return test(c.globals, *t); }); });
}

}  // namespace parley::cli
