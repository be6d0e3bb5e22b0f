#include "cli/project.h"

#include <openssl/sha.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli/common.h"

namespace parley::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json readJsonFile(const fs::path& path, const json& fallback) {
  std::ifstream in(path);
  if (!in) return fallback;
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return json::parse(ss.str());
  } catch (const json::parse_error& e) {
    throw CliError(path.string() + " is not valid JSON: " + e.what());
  }
}

}  // namespace

void writeText(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !(out << text) || !out.flush()) throw CliError("cannot write " + path.string());
}

std::optional<Project> findProject() {
  std::error_code ec;
  fs::path dir = fs::current_path(ec);
  while (!ec && !dir.empty()) {
    if (fs::exists(dir / "settings.json") || fs::is_directory(dir / "functions")) {
      return Project{dir};
    }
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

Project requireProject() {
  auto p = findProject();
  if (!p) {
    throw usageError("not in a Parley project (no settings.json or functions/ here or above): "
                     "run `parley init` first");
  }
  return *p;
}

std::vector<std::string> localFunctionNames(const Project& p) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(p.root / "functions", ec)) {
    if (e.is_directory() && fs::exists(e.path() / "index.js")) {
      names.push_back(e.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> functionNamesOrProject(const std::vector<std::string>& names) {
  if (!names.empty()) return names;
  auto p = findProject();
  if (!p) throw usageError("name the functions, or run the command inside a Parley project");
  auto local = localFunctionNames(*p);
  if (local.empty()) throw usageError("the project has no functions (functions/<name>/index.js)");
  return local;
}

LocalFunction readLocalFunction(const Project& p, const std::string& name) {
  fs::path dir = p.functionDir(name);
  std::ifstream in(dir / "index.js", std::ios::binary);
  if (!in) {
    throw CliError("no function '" + name + "' in this project (" + (dir / "index.js").string() +
                   " is missing)");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  LocalFunction f{name, ss.str(), readJsonFile(dir / "config.json", json::object())};
  if (!f.config.is_object()) throw CliError((dir / "config.json").string() + " must hold an object");
  return f;
}

void writeLocalFunction(const Project& p, const LocalFunction& f) {
  fs::path dir = p.functionDir(f.name);
  writeText(dir / "index.js", f.code);
  writeText(dir / "config.json", f.config.dump(2) + "\n");
}

json configJson(const std::string& name, const std::string& description, const std::string& eventId,
                const json& skills, const json& environment, const json& settings,
                const json& input) {
  return {{"name", name},
          {"description", description},
          {"eventId", eventId},
          {"skills", skills.is_array() ? skills : json::array()},
          {"environment", environment.is_object() ? environment : json::object()},
          {"settings", settings.is_object() ? settings
                                            : json{{"timeoutSeconds", 30}, {"memoryMb", 128}}},
          {"input", input.is_object() ? input : json{{"headers", json::array()}, {"payload", json::object()}}}};
}

json functionBody(const LocalFunction& f) {
  json body = {{"name", f.name}, {"code", f.code}};
  for (const char* k : {"description", "eventId", "skills", "environment", "settings"}) {
    if (f.config.contains(k) && !f.config[k].is_null()) body[k] = f.config[k];
  }
  return body;
}

std::string contentHash(const json& function) {
  json settings = {{"timeoutSeconds", 30}, {"memoryMb", 128}};
  if (function.value("settings", json()).is_object()) {
    for (auto& [k, v] : function["settings"].items()) settings[k] = v;
  }
  json skills = function.value("skills", json::array());
  if (skills.is_array()) std::sort(skills.begin(), skills.end());
  json canonical = {{"code", function.value("code", "")},
                    {"description", function.value("description", "")},
                    {"skills", skills},
                    {"environment", function.value("environment", json::object())},
                    {"settings", settings}};
  std::string text = canonical.dump();  // object keys are sorted by nlohmann::json
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

json loadState(const Project& p) { return readJsonFile(p.root / ".parley" / "state.json", json::object()); }

void saveState(const Project& p, const json& state) {
  writeText(p.root / ".parley" / "state.json", state.dump(2) + "\n");
}

fs::path settingsFile(const Project& p) { return p.root / "settings.json"; }

json loadSettings(const Project& p) {
  json s = readJsonFile(settingsFile(p), json::object());
  if (!s.is_object()) throw CliError(settingsFile(p).string() + " must hold an object");
  return s;
}

void saveSettings(const Project& p, const json& settings) {
  writeText(settingsFile(p), settings.dump(2) + "\n");
}

}  // namespace parley::cli
