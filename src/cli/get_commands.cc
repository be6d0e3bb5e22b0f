// `parley get functions|deployments|events|schedules|secrets|domains|templates`.
#include <iostream>

#include "cli/api_client.h"
#include "cli/common.h"
#include "cli/output.h"

namespace parley::cli {

namespace {

using nlohmann::json;

const std::vector<std::string> kKinds = {"functions", "deployments", "events", "schedules",
                                         "secrets",   "domains",     "templates"};

void getFunctions(const Session& s, const std::string& format) {
  json rows = s.client.call("GET", s.accountPath() + "/functions");
  printRows(std::cout, format, rows,
            {{"name", "name"}, {"state", "state"}, {"version", "version"},
             {"deployed", "deployedVersion"}, {"event", "eventId"},
             {"updated", "updatedAt"}, {"by", "updatedBy"}, {"uuid", "uuid"}});
}

// Without names: one row per function with its deployment state (as LivePerson's CLI shows);
// with names: each function's deployment history.
void getDeployments(const Session& s, const std::string& format, const std::vector<std::string>& names) {
  if (names.empty()) {
    json rows = json::array();
    for (const json& f : s.client.call("GET", s.accountPath() + "/functions")) {
      if (f.value("state", "") == "Draft") continue;
      json row = f;
      int64_t version = f.value("version", int64_t{0});
      json deployed = f.value("deployedVersion", json());
      row["undeployedChanges"] = deployed.is_number() && deployed.get<int64_t>() < version
                                     ? json("version " + std::to_string(deployed.get<int64_t>() + 1) + "…" + std::to_string(version))
                                     : json(nullptr);
      rows.push_back(row);
    }
    printRows(std::cout, format, rows,
              {{"name", "name"}, {"state", "state"}, {"live version", "deployedVersion"},
               {"undeployed changes", "undeployedChanges"}, {"updated", "updatedAt"},
               {"by", "updatedBy"}});
    return;
  }
  json rows = json::array();
  for (const std::string& name : names) {
    for (json d : s.client.call("GET", s.functionPath(name) + "/deployments")) {
      d["function"] = name;
      rows.push_back(d);
    }
  }
  printRows(std::cout, format, rows,
            {{"function", "function"}, {"action", "action"}, {"version", "version"},
             {"result", "deploymentState"}, {"at", "createdAt"}, {"by", "createdBy"},
             {"error", "error.message"}});
}

int get(const Globals& g, const std::string& kind, const std::vector<std::string>& names) {
  if (kind == "events" || kind == "templates") {
    Session s = openSession(g, false);
    if (kind == "events") {
      printRows(std::cout, g.output, s.client.call("GET", "/api/v1/events"),
                {{"event", "eventId"}, {"name", "eventName"}, {"limit", "lambdaLimit"},
                 {"skills", "skillsSupported"}, {"category", "category"}});
    } else {
      printRows(std::cout, g.output, s.client.call("GET", "/api/v1/templates"),
                {{"template", "id"}, {"name", "name"}, {"events", "eventIds"}});
    }
    return 0;
  }
  Session s = openSession(g);
  if (kind == "functions") {
    getFunctions(s, g.output);
  } else if (kind == "deployments") {
    getDeployments(s, g.output, names);
  } else if (kind == "schedules") {
    printRows(std::cout, g.output, s.client.call("GET", s.accountPath() + "/schedules"),
              {{"id", "id"}, {"function", "function"}, {"cron", "cronExpression"},
               {"zone", "timeZone"}, {"active", "isActive"}, {"next", "nextExecution"},
               {"last", "lastExecution"}, {"outcome", "lastOutcome"}});
  } else if (kind == "secrets") {
    printRows(std::cout, g.output, s.client.call("GET", s.accountPath() + "/secrets"),
              {{"name", "name"}, {"type", "type"}, {"updated", "updatedAt"}, {"by", "updatedBy"}});
  } else if (kind == "domains") {
    json rows = s.client.call("GET", s.accountPath() + "/domains");
    if (rows.is_object() && rows.contains("domains")) rows = rows["domains"];
    printRows(std::cout, g.output, rows);
  }
  return 0;
}

}  // namespace

void addGetCommands(CommandContext& c) {
  auto kind = std::make_shared<std::string>();
  auto names = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = c.app.add_subcommand(
      "get", "List functions, deployments, events, schedules, secrets, domains or templates");
  cmd->add_option("kind", *kind, "What to list")->required()->check(CLI::IsMember(kKinds));
  cmd->add_option("names", *names, "deployments: the functions whose history to show");
  cmd->callback([&c, kind, names] {
    runGuarded("get", c.exitCode, [&] { return get(c.globals, *kind, *names); });
  });
}

}  // namespace parley::cli
