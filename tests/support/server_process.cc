#include "support/server_process.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace parley::testing {

using nlohmann::json;

json HttpResult::json() const {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

std::string HttpResult::header(const std::string& lowerName) const {
  auto it = headers.find(lowerName);
  return it == headers.end() ? std::string() : it->second;
}

namespace {

size_t onBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t onHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    static_cast<std::multimap<std::string, std::string>*>(out)->emplace(name, value);
  }
  return size * n;
}

}  // namespace

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::string& body,
                               const std::vector<std::string>& headers) const {
  HttpResult out;
  CURL* curl = curl_easy_init();
  std::string url = base_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  struct curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return out;
}

HttpResult HttpClient::call(const std::string& method, const std::string& path,
                            const nlohmann::json& body) const {
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (!token_.empty()) headers.push_back("Authorization: Bearer " + token_);
  return request(method, path, body.is_null() ? std::string() : body.dump(), headers);
}

ServerProcess::ServerProcess(std::vector<std::string> extraArgs, std::string dataDir)
    : dataDir_(std::move(dataDir)) {
  if (dataDir_.empty()) {
    char tmpl[] = "/tmp/parley-it-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dataDir_ = tmpl;
    ownsDataDir_ = true;
  }
  std::remove((dataDir_ + "/server.json").c_str());
  std::vector<std::string> args = {PARLEY_BINARY, "server", "--listen", "127.0.0.1:0",
                                   "--data-dir", dataDir_};
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::string(*e).rfind("PARLEY_", 0) != 0) env.emplace_back(*e);
  }
  env.push_back(std::string("PARLEY_ADMIN_PASSWORD=") + kAdminPassword);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string log = dataDir_ + "/server.log";
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (posix_spawn(&pid_, PARLEY_BINARY, &actions, nullptr, argv.data(), envp.data()) != 0) {
    throw std::runtime_error("cannot start " + std::string(PARLEY_BINARY));
  }
  posix_spawn_file_actions_destroy(&actions);
  // The server writes server.json once it listens.
  for (int i = 0; i < 3000; ++i) {
    std::ifstream in(dataDir_ + "/server.json");
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      json j = json::parse(ss.str(), nullptr, false);
      if (j.is_object() && j.contains("url")) {
        url_ = j["url"];
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream l(log);
      std::stringstream ss;
      ss << l.rdbuf();
      throw std::runtime_error("the server exited at start: " + ss.str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("the server did not start within 30 s");
}

int ServerProcess::stop(bool kill) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, kill ? SIGKILL : SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

ServerProcess::~ServerProcess() {
  stop();
  if (ownsDataDir_) std::system(("rm -rf '" + dataDir_ + "'").c_str());
}

HttpClient ServerProcess::login(const std::string& username, const std::string& password) const {
  HttpClient client(url_);
  HttpResult r = client.call("POST", "/api/v1/auth/login",
                             {{"username", username}, {"password", password}});
  json j = r.json();
  if (r.status != 200 || !j.contains("token")) {
    throw std::runtime_error("login as " + username + " failed: " + r.body);
  }
  client.setToken(j["token"]);
  return client;
}

void ServerProcess::addAccountWithUsers(const std::string& accountId,
                                        const std::vector<std::string>& roles) const {
  HttpClient op = login();
  HttpResult account = op.call("POST", "/api/v1/accounts", {{"id", accountId}});
  if (account.status != 201) throw std::runtime_error("creating " + accountId + ": " + account.body);
  for (const std::string& role : roles) {
    std::string user = accountId + "-" + role;
    HttpResult r = op.call("POST", "/api/v1/accounts/" + accountId + "/users",
                           {{"username", user}, {"password", "password-" + user}, {"role", role}});
    if (r.status != 201) throw std::runtime_error("creating " + user + ": " + r.body);
  }
}

HttpClient ServerProcess::loginAs(const std::string& accountId, const std::string& role) const {
  std::string user = accountId + "-" + role;
  return login(user, "password-" + user);
}

HttpResult deployAndInvoke(HttpClient& client, const std::string& functionsPath,
                           const std::string& name, const std::string& code) {
  HttpResult c = client.call("POST", functionsPath, {{"name", name}, {"code", code}});
  if (c.status != 201) throw std::runtime_error("creating " + name + ": " + c.body);
  HttpResult d = client.call("POST", functionsPath + "/" + name + "/deploy");
  if (d.status != 200) throw std::runtime_error("deploying " + name + ": " + d.body);
  return client.call("POST", functionsPath + "/" + name + "/invoke",
                     {{"payload", nlohmann::json::object()}});
}

}  // namespace parley::testing
