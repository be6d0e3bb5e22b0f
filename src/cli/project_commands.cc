// `parley init`, `parley create function|schedule`, `parley pull`, `parley push`.
#include <iostream>
#include <regex>

#include "cli/api_client.h"
#include "cli/common.h"
#include "cli/project.h"
#include "control/template_catalogue.h"

namespace parley::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kReadme = R"(# Parley functions

One folder per function under `functions/<name>/`: `index.js` (the code) and `config.json`
(description, event, skills, environment variables, settings, and the `input` that
`parley invoke` and `parley test` send by default).

    parley login --server URL -u USER     # once
    parley push                           # create or update every function on the server
    parley push --deploy                  # ... and make the pushed versions live
    parley deploy greet                   # make the newest version live
    parley invoke greet --payload '{"name": "Ada"}'
    parley invoke greet --local           # run here, with the real runtime, no server
    parley logs greet -f                  # follow its logs

`settings.json` holds what local runs use instead of the server's: `secrets` (a list of
`{key, value}` read and written by `Toolbelt.SecretClient`) and `allowlist` (domains). Do not
commit real secrets. `.parley/` remembers what was last pushed or pulled.
)";

const char* kGitignore = ".parley/\nsettings.json\n";

struct CreateOptions {
  std::string name;
  std::string eventId;
  std::string templateId;
  std::string description;
  std::vector<std::string> skills;
};

const control::FunctionTemplate& pickTemplate(const std::string& templateId,
                                              const std::string& eventId) {
  const auto& catalogue = control::TemplateCatalogue::builtin();
  if (!templateId.empty()) {
    const control::FunctionTemplate* t = catalogue.find(templateId);
    if (!t) {
      std::string ids;
      for (const auto& x : catalogue.all()) ids += (ids.empty() ? "" : ", ") + x.id;
      throw usageError("no template '" + templateId + "'; templates: " + ids);
    }
    return *t;
  }
  auto forEvent = catalogue.forEvent(eventId);
  if (forEvent.empty()) throw usageError("no event '" + eventId + "' (see `parley get events`)");
  return *forEvent.front();
}

// Scaffolds functions/<name>/ from a template. Throws when the folder exists.
void scaffold(const Project& p, const CreateOptions& o) {
  static const std::regex kName("^[A-Za-z0-9_]{1,50}$");
  if (!std::regex_match(o.name, kName)) {
    throw usageError("the function name '" + o.name + "' must be 1-50 letters, digits or _");
  }
  if (fs::exists(p.functionDir(o.name))) {
    throw CliError("functions/" + o.name + " already exists");
  }
  std::string eventId = o.eventId.empty() ? "No Event" : o.eventId;
  const control::FunctionTemplate& t = pickTemplate(o.templateId, eventId);
  if (std::find(t.eventIds.begin(), t.eventIds.end(), eventId) == t.eventIds.end()) {
    if (!o.eventId.empty()) {
      throw usageError("template '" + t.id + "' is written for " + json(t.eventIds).dump() +
                       ", not '" + eventId + "'");
    }
    eventId = t.eventIds.front();
  }
  json input = {{"headers", json::array()}, {"payload", json::object()}};
  if (const auto* e = control::EventCatalogue::builtin().find(eventId)) {
    json sample = json::parse(e->samplePayloadJson, nullptr, false);
    if (sample.is_object() && sample.contains("payload")) {
      input = {{"headers", sample.value("headers", json::array())}, {"payload", sample["payload"]}};
    }
  }
  LocalFunction f{o.name, t.code,
                  configJson(o.name, o.description.empty() ? t.name : o.description, eventId,
                             o.skills, json::object(), nullptr, input)};
  writeLocalFunction(p, f);
  std::cout << "Created functions/" << o.name << " from the template '" << t.name << "' (event "
            << eventId << ").\n";
}

int init(const std::vector<std::string>& names, const CreateOptions& o) {
  Project p{fs::current_path()};
  bool fresh = !fs::exists(settingsFile(p));
  if (fresh) {
    saveSettings(p, {{"secrets", json::array({{{"key", "API_KEY"}, {"value", "local-test-value"}}})},
                     {"allowlist", json::array()}});
    std::cout << "Created settings.json (local secrets and allowlist).\n";
  }
  if (!fs::exists(p.root / "README.md")) writeText(p.root / "README.md", kReadme);
  if (!fs::exists(p.root / ".gitignore")) writeText(p.root / ".gitignore", kGitignore);
  fs::create_directories(p.root / "functions");
  json typings = json::parse(kToolbeltTypingsJson, nullptr, false);
  if (typings.is_object() && !typings.empty()) {
    for (auto& [file, text] : typings.items()) writeText(p.root / "types" / file, text.get<std::string>());
    if (!fs::exists(p.root / "jsconfig.json")) {
      writeText(p.root / "jsconfig.json",
                json{{"compilerOptions", {{"checkJs", true}, {"allowJs", true}, {"noEmit", true},
                                          {"target", "ES2022"}, {"module", "ESNext"}}},
                     {"include", {"functions/**/*.js", "types/*.d.ts"}}}.dump(2) + "\n");
    }
    std::cout << "Copied the toolbelt typings to types/ (editors complete Toolbelt.* from them).\n";
  }
  for (const std::string& name : names) {
    CreateOptions one = o;
    one.name = name;
    scaffold(p, one);
  }
  std::cout << (fresh ? "Initialised" : "Updated") << " the Parley project in " << p.root.string()
            << ".\n";
  return 0;
}

struct ScheduleOptions {
  std::string function;
  std::string cron;
  std::string timeZone;
  std::string description;
  std::string payload;
  bool inactive = false;
};

int createSchedule(const Globals& g, const ScheduleOptions& o) {
  Session s = openSession(g);
  json body = {{"function", o.function}, {"cronExpression", o.cron}, {"isActive", !o.inactive}};
  if (!o.timeZone.empty()) body["timeZone"] = o.timeZone;
  if (!o.description.empty()) body["description"] = o.description;
  if (!o.payload.empty()) body["payload"] = parseJsonArg(o.payload, "--payload");
  json created = s.client.call("POST", s.accountPath() + "/schedules", body);
  if (g.output != "table") {
    std::cout << created.dump(2) << "\n";
  } else {
    std::cout << "Created schedule " << created.value("id", "") << " for " << o.function
              << " (" << o.cron << ", " << created.value("timeZone", "UTC")
              << "), next run " << created.value("nextExecution", json("-")).dump() << ".\n";
  }
  return 0;
}

// The server's function, or null when it does not exist.
json serverFunction(const Session& s, const std::string& name) {
  ApiResponse r = s.client.send("GET", s.functionPath(name));
  if (r.status == 404) return nullptr;
  if (r.status != 200) throw CliError(errorMessage(r, s.server));
  return r.json();
}

int pull(const Globals& g, std::vector<std::string> names, bool all, bool force) {
  Session s = openSession(g);
  Project p = findProject().value_or(Project{fs::current_path()});
  if (all) {
    names.clear();
    for (const json& f : s.client.call("GET", s.accountPath() + "/functions")) {
      names.push_back(f.value("name", ""));
    }
  } else if (names.empty()) {
    names = functionNamesOrProject({});
  }
  json state = loadState(p);
  int failures = 0;
  // A function that fails is reported and the others go on; what was synced is saved either way.
  const int failed = forEachItem(names, [&](const std::string& name) {
    json remote = serverFunction(s, name);
    if (remote.is_null()) {
      std::cerr << name << ": not on the server\n";
      ++failures;
      return;
    }
    std::string remoteHash = contentHash(remote);
    if (fs::exists(p.functionDir(name) / "index.js")) {
      LocalFunction local = readLocalFunction(p, name);
      std::string localHash = contentHash(functionBody(local));
      if (localHash == remoteHash) {
        std::cout << name << ": up to date\n";
        state[name] = {{"hash", remoteHash}, {"uuid", remote.value("uuid", "")}};
        return;
      }
      std::string synced = state.value(name, json::object()).value("hash", "");
      if (localHash != synced && !force) {
        std::cerr << name << ": has local changes that were not pushed; push them, or pull with "
                     "--force to overwrite them\n";
        ++failures;
        return;
      }
    }
    json input = nullptr;
    if (fs::exists(p.functionDir(name) / "config.json")) {
      input = readLocalFunction(p, name).config.value("input", json());
    }
    LocalFunction f{name, remote.value("code", ""),
                    configJson(name, remote.value("description", ""),
                               remote.value("eventId", "No Event"), remote.value("skills", json::array()),
                               remote.value("environment", json::object()),
                               remote.value("settings", json()), input)};
    writeLocalFunction(p, f);
    state[name] = {{"hash", remoteHash}, {"uuid", remote.value("uuid", "")}};
    std::cout << name << ": pulled version " << remote.value("version", 0) << "\n";
  });
  saveState(p, state);
  return failed || failures ? kExitFailure : 0;
}

int push(const Globals& g, std::vector<std::string> names, bool force, bool deploy) {
  Project p = requireProject();
  Session s = openSession(g);
  if (names.empty()) names = functionNamesOrProject({});
  json state = loadState(p);
  int failures = 0;
  // With --deploy the server deploys what it saved in the same request (?deploy=true).
  const std::string andDeploy = deploy ? "?deploy=true" : "";
  auto report = [](const std::string& name, const char* what, const json& f) {
    std::cout << name << ": " << what << " (version " << f.value("version", 0) << ", "
              << f.value("state", "") << ")\n";
  };
  // Creates or updates a function on the server. With --deploy the save stands when the deploy
  // fails (code that does not build): the server then has the local content, so the next push
  // must not take it for a change made there. That re-read is best effort.
  auto save = [&](const std::string& name, const std::string& method, const std::string& path,
                  const json& body, const std::string& localHash) {
    try {
      return s.client.call(method, path, body);
    } catch (const CliError&) {
      if (deploy) {
        try {
          json now = serverFunction(s, name);
          if (!now.is_null() && contentHash(now) == localHash) {
            state[name] = {{"hash", localHash}, {"uuid", now.value("uuid", "")}};
          }
        } catch (const std::exception&) {
        }
      }
      throw;
    }
  };
  // A function that fails is reported and the others go on; what was synced before it is saved
  // either way, so the next push does not take those for changes made on the server.
  const int failed = forEachItem(names, [&](const std::string& name) {
    LocalFunction local = readLocalFunction(p, name);
    json body = functionBody(local);
    const std::string localHash = contentHash(body);
    json remote = serverFunction(s, name);
    if (remote.is_null()) {
      json created =
          save(name, "POST", s.accountPath() + "/functions" + andDeploy, body, localHash);
      state[name] = {{"hash", localHash}, {"uuid", created.value("uuid", "")}};
      report(name, "created", created);
      return;
    }
    std::string remoteHash = contentHash(remote);
    if (remoteHash == localHash) {
      state[name] = {{"hash", localHash}, {"uuid", remote.value("uuid", "")}};
      if (deploy && remote.value("state", "") != "Productive") {
        report(name, "unchanged, deployed", s.client.call("POST", s.functionPath(name) + "/deploy"));
      } else {
        std::cout << name << ": unchanged\n";
      }
      return;
    }
    std::string synced = state.value(name, json::object()).value("hash", "");
    if (remoteHash != synced && !force) {
      std::cerr << name << ": changed on the server since the last pull or push; pull it first, "
                   "or push with --force to overwrite it\n";
      ++failures;
      return;
    }
    body.erase("eventId");  // the binding is fixed at creation
    body.erase("name");
    json updated = save(name, "PUT", s.functionPath(name) + andDeploy, body, localHash);
    state[name] = {{"hash", localHash}, {"uuid", updated.value("uuid", "")}};
    report(name, "updated", updated);
  });
  saveState(p, state);
  return failed || failures ? kExitFailure : 0;
}

}  // namespace

void addProjectCommands(CommandContext& c) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto o = std::make_shared<CreateOptions>();
  CLI::App* init = c.app.add_subcommand(
      "init", "Set up a project here (settings.json, README, functions/) and scaffold functions");
  init->add_option("names", *names, "Functions to scaffold under functions/<name>/");
  init->add_option("-e,--event", o->eventId, "Event of the new functions (default: No Event)");
  init->add_option("-t,--template", o->templateId, "Template of the new functions");
  init->callback([&c, names, o] {
    runGuarded("init", c.exitCode, [&] { return parley::cli::init(*names, *o); });
  });

  CLI::App* create = c.app.add_subcommand("create", "Create a function (locally) or a schedule");
  create->require_subcommand(1);
  auto fo = std::make_shared<CreateOptions>();
  CLI::App* fn = create->add_subcommand("function", "Scaffold functions/<name>/ from a template");
  fn->add_option("name", fo->name, "The function's name")->required();
  fn->add_option("-e,--event", fo->eventId, "The event it reacts to (default: No Event)");
  fn->add_option("-t,--template", fo->templateId, "The template (default: the event's first)");
  fn->add_option("-d,--description", fo->description, "Description");
  fn->add_option("--skills", fo->skills, "Skill ids (Automatic Messages events)")->delimiter(',');
  fn->callback([&c, fo] {
    runGuarded("create function", c.exitCode, [&] {
      scaffold(requireProject(), *fo);
      return 0;
    });
  });
  auto so = std::make_shared<ScheduleOptions>();
  CLI::App* sched = create->add_subcommand("schedule", "Run a deployed function on a cron schedule");
  sched->add_option("-f,--function", so->function, "The function (name or UUID)")->required();
  sched->add_option("-c,--cron", so->cron, "5-field cron expression or @hourly, @daily…")->required();
  sched->add_option("-z,--timezone", so->timeZone, "IANA time zone (default UTC)");
  sched->add_option("-d,--description", so->description, "Description");
  sched->add_option("--payload", so->payload, "Payload sent on every run, as JSON");
  sched->add_flag("--inactive", so->inactive, "Create it paused");
  sched->callback([&c, so] {
    runGuarded("create schedule", c.exitCode, [&] { return createSchedule(c.globals, *so); });
  });

  auto pullNames = std::make_shared<std::vector<std::string>>();
  auto pullAll = std::make_shared<bool>(false);
  auto pullForce = std::make_shared<bool>(false);
  CLI::App* pullCmd = c.app.add_subcommand("pull", "Download functions from the server into the project");
  pullCmd->add_option("names", *pullNames, "Functions (default: the project's)");
  pullCmd->add_flag("-a,--all", *pullAll, "Every function of the account");
  pullCmd->add_flag("-f,--force", *pullForce, "Overwrite local changes that were not pushed");
  pullCmd->callback([&c, pullNames, pullAll, pullForce] {
    runGuarded("pull", c.exitCode, [&] { return pull(c.globals, *pullNames, *pullAll, *pullForce); });
  });

  auto pushNames = std::make_shared<std::vector<std::string>>();
  auto pushForce = std::make_shared<bool>(false);
  auto pushDeploy = std::make_shared<bool>(false);
  CLI::App* pushCmd = c.app.add_subcommand("push", "Create or update the project's functions on the server");
  pushCmd->add_option("names", *pushNames, "Functions (default: the project's)");
  pushCmd->add_flag("-f,--force", *pushForce, "Overwrite changes made on the server since the last sync");
  pushCmd->add_flag("-d,--deploy", *pushDeploy,
                    "Deploy each function's newest version too (in the same request as the save)");
  pushCmd->callback([&c, pushNames, pushForce, pushDeploy] {
    runGuarded("push", c.exitCode,
               [&] { return push(c.globals, *pushNames, *pushForce, *pushDeploy); });
  });
}

}  // namespace parley::cli
