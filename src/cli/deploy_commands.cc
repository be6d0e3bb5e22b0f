// `parley deploy`, `parley undeploy`, `parley delete`.
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/api_client.h"
#include "cli/common.h"
#include "cli/project.h"

namespace parley::cli {

namespace {

using nlohmann::json;

// "line 3, column 7: SyntaxError …" from a stored {message, line, column}.
std::string located(const json& error) {
  if (!error.is_object()) return error.is_null() ? "unknown error" : error.dump();
  std::string out;
  if (error.contains("line")) {
    out = "line " + error["line"].dump();
    if (error.contains("column")) out += ", column " + error["column"].dump();
    out += ": ";
  }
  return out + error.value("message", std::string("unknown error"));
}

bool settled(const std::string& state) {
  return state == "Productive" || state == "Modified" || state == "Build Error" ||
         state == "Deploy Error" || state == "Undeployed";
}

// Deploys one function and waits until it is live or failed. Returns whether it is live.
bool deployOne(const Session& s, const std::string& name, const std::optional<int64_t>& version) {
  std::cout << name << ": validating and deploying";
  if (version) std::cout << " version " << *version;
  std::cout << "…" << std::flush;
  json body = version ? json{{"version", *version}} : json::object();
  ApiResponse r = s.client.send("POST", s.functionPath(name) + "/deploy", body.dump());
  if (r.status != 200) {
    json e = r.json();
    json details = e.is_object() ? e.value("error", json::object()).value("details", json()) : json();
    if (details.is_object() && details.contains("line")) {
      json located_ = {{"message", e["error"].value("message", "")}};
      located_["line"] = details["line"];
      if (details.contains("column")) located_["column"] = details["column"];
      std::cout << " failed\n";
      std::cerr << name << ": build error at " << located(located_) << "\n";
      return false;
    }
    std::cout << " failed\n";
    std::cerr << name << ": " << errorMessage(r, s.server) << "\n";
    return false;
  }
  json f = r.json();
  // Deploys are synchronous today; should the server answer before the function settles,
  // follow its state until it does.
  for (int i = 0; i < 600 && !settled(f.value("state", "")); ++i) {
    std::cout << "." << std::flush;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    f = s.client.call("GET", s.functionPath(name));
  }
  std::string state = f.value("state", "");
  if (state == "Build Error" || state == "Deploy Error") {
    std::cout << " failed\n";
    std::cerr << name << ": " << state << " at " << located(f.value("lastError", json())) << "\n";
    return false;
  }
  std::cout << " " << state << " (version " << f.value("deployedVersion", json(nullptr)).dump()
            << " is live)\n";
  return state == "Productive" || state == "Modified";
}

int deploy(const Globals& g, const std::vector<std::string>& names, const std::optional<int64_t>& version) {
  auto list = functionNamesOrProject(names);
  if (version && list.size() != 1) throw usageError("--version takes exactly one function");
  Session s = openSession(g);
  int failures = 0;
  for (const std::string& name : list) failures += deployOne(s, name, version) ? 0 : 1;
  return failures ? kExitFailure : 0;
}

int undeploy(const Globals& g, const std::vector<std::string>& names) {
  auto list = functionNamesOrProject(names);
  Session s = openSession(g);
  return forEachItem(list, [&](const std::string& name) {
    json f = s.client.call("POST", s.functionPath(name) + "/undeploy");
    std::cout << name << ": " << f.value("state", "") << "\n";
  });
}

int remove(const Globals& g, const std::vector<std::string>& names) {
  Session s = openSession(g);
  return forEachItem(names, [&](const std::string& name) {
    s.client.call("DELETE", s.functionPath(name));
    std::cout << name << ": deleted from " << s.server << " (the local folder is kept)\n";
  });
}

}  // namespace

void addDeployCommands(CommandContext& c) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto version = std::make_shared<std::optional<int64_t>>();
  CLI::App* dep = c.app.add_subcommand("deploy", "Deploy functions and wait until they are live");
  dep->add_option("names", *names, "Functions (default: the project's)");
  dep->add_option("--version", *version, "Deploy (roll back to) this kept version");
  dep->callback([&c, names, version] {
    runGuarded("deploy", c.exitCode, [&] { return deploy(c.globals, *names, *version); });
  });

  auto unNames = std::make_shared<std::vector<std::string>>();
  CLI::App* un = c.app.add_subcommand("undeploy", "Stop serving functions (their schedules pause)");
  un->add_option("names", *unNames, "Functions (default: the project's)");
  un->callback([&c, unNames] {
    runGuarded("undeploy", c.exitCode, [&] { return undeploy(c.globals, *unNames); });
  });

  auto delNames = std::make_shared<std::vector<std::string>>();
  CLI::App* del = c.app.add_subcommand("delete", "Delete undeployed functions from the server");
  del->add_option("names", *delNames, "Functions to delete (named explicitly)")->required();
  del->callback([&c, delNames] {
    runGuarded("delete", c.exitCode, [&] { return remove(c.globals, *delNames); });
  });
}

}  // namespace parley::cli
