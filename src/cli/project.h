// A Parley project folder on disk (SPEC §12): functions/<name>/{index.js,config.json}, a
// settings.json with local secrets and allowlist (for `invoke --local`), and .parley/state.json
// remembering, per function, the content hash last pushed or pulled (change detection).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace parley::cli {

struct Project {
  std::filesystem::path root;
  std::filesystem::path functionDir(const std::string& name) const {
    return root / "functions" / name;
  }
};

// The project containing the current directory (a folder with settings.json or functions/,
// searched upwards); nullopt when there is none.
std::optional<Project> findProject();
// The project, or a CliError telling to run `parley init`.
Project requireProject();

// The function folders of the project, sorted.
std::vector<std::string> localFunctionNames(const Project& p);
// `names` when given, else every function of the project (usage error when there are none).
std::vector<std::string> functionNamesOrProject(const std::vector<std::string>& names);

struct LocalFunction {
  std::string name;
  std::string code;        // index.js
  nlohmann::json config;   // config.json (see configJson)
};
LocalFunction readLocalFunction(const Project& p, const std::string& name);
void writeLocalFunction(const Project& p, const LocalFunction& f);

// config.json for a function: {name, description, eventId, skills, environment, settings, input}.
nlohmann::json configJson(const std::string& name, const std::string& description,
                          const std::string& eventId, const nlohmann::json& skills,
                          const nlohmann::json& environment, const nlohmann::json& settings,
                          const nlohmann::json& input);
// The body of POST/PUT /functions for a local function.
nlohmann::json functionBody(const LocalFunction& f);
// A content hash of what push sends: code, description, skills, environment, settings. Works on
// a function body or a server function (GET /functions/{fn}); missing settings are the defaults.
std::string contentHash(const nlohmann::json& function);

// .parley/state.json: {name: {hash, uuid}}.
nlohmann::json loadState(const Project& p);
void saveState(const Project& p, const nlohmann::json& state);

// settings.json: {secrets: [{key, value}], allowlist: [domains]}.
std::filesystem::path settingsFile(const Project& p);
nlohmann::json loadSettings(const Project& p);
void saveSettings(const Project& p, const nlohmann::json& settings);

// The toolbelt's TypeScript declarations, {file name: content} as JSON (types/*.d.ts, embedded
// at build time; "{}" when the build had none).
extern const char* const kToolbeltTypingsJson;

// Writes `text` to `path` (creating folders); throws CliError on failure.
void writeText(const std::filesystem::path& path, const std::string& text);

}  // namespace parley::cli
