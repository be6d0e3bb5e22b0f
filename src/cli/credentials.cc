#include "cli/credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/common.h"

namespace parley::cli {

namespace {

using nlohmann::json;

json readAll() {
  std::ifstream in(credentialsFile());
  if (!in) return json::object();
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  return j.is_object() ? j : json::object();
}

void writeAll(const json& j) {
  std::string dir = configDirectory();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw CliError("cannot create " + dir + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  std::string file = credentialsFile();
  std::string tmp = file + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw CliError("cannot write " + tmp);
  std::string text = j.dump(2) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fchmod(fd, 0600) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw CliError("cannot write " + file);
  }
}

}  // namespace

std::string configDirectory() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/parley";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.config/parley";
}

std::string credentialsFile() { return configDirectory() + "/credentials.json"; }

std::optional<StoredLogin> loadLogin(const std::string& server) {
  json all = readAll();
  auto logins = all.value("logins", json::object());
  if (!logins.is_object() || !logins.contains(server)) return std::nullopt;
  const json& l = logins[server];
  return StoredLogin{server, l.value("token", ""), l.value("expiresAt", ""),
                     l.value("username", ""), l.value("account", "")};
}

std::optional<std::string> lastServer() {
  json all = readAll();
  if (!all.value("current", json()).is_string()) return std::nullopt;
  return all["current"].get<std::string>();
}

void saveLogin(const StoredLogin& login) {
  json all = readAll();
  if (!all.value("logins", json()).is_object()) all["logins"] = json::object();
  all["logins"][login.server] = {{"token", login.token},
                                 {"expiresAt", login.expiresAt},
                                 {"username", login.username},
                                 {"account", login.account}};
  all["current"] = login.server;
  writeAll(all);
}

bool forgetLogin(const std::string& server) {
  json all = readAll();
  if (!all.value("logins", json()).is_object() || !all["logins"].contains(server)) return false;
  all["logins"].erase(server);  // "current" stays: later commands say to log in there again
  writeAll(all);
  return true;
}

int64_t parseIsoTime(const std::string& iso) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

}  // namespace parley::cli
