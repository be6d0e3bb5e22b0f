// Test support: runs the real `parley server` binary on a free port with a temporary data
// directory, and a small blocking HTTP client (libcurl) to talk to it.
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace parley::testing {

struct HttpResult {
  long status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // lower-case names
  nlohmann::json json() const;                       // null when the body is not JSON
  std::string header(const std::string& lowerName) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string baseUrl) : base_(std::move(baseUrl)) {}
  HttpResult request(const std::string& method, const std::string& path,
                     const std::string& body = {},
                     const std::vector<std::string>& headers = {}) const;
  // JSON body, with the bearer token if set.
  HttpResult call(const std::string& method, const std::string& path,
                  const nlohmann::json& body = nullptr) const;
  void setToken(std::string token) { token_ = std::move(token); }
  const std::string& token() const { return token_; }
  // A raw body (not JSON-encoded) with the bearer token.
  HttpResult raw(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& contentType = "application/json") const {
    return request(method, path, body,
                   {"Content-Type: " + contentType, "Authorization: Bearer " + token_});
  }
  const std::string& base() const { return base_; }

 private:
  std::string base_;
  std::string token_;
};

// Creates function `name` with `code` in the account of `functionsPath`
// ("/api/v1/accounts/<acct>/functions"), deploys it and invokes it with an empty payload;
// returns the invoke response. Throws when creation or deploy fails.
HttpResult deployAndInvoke(HttpClient& client, const std::string& functionsPath,
                           const std::string& name, const std::string& code);

class ServerProcess {
 public:
  // Starts the server; `dataDir` empty: a fresh temporary directory (removed at the end).
  explicit ServerProcess(std::vector<std::string> extraArgs = {}, std::string dataDir = {});
  ~ServerProcess();  // SIGTERM, wait

  const std::string& url() const { return url_; }
  const std::string& dataDir() const { return dataDir_; }
  static constexpr const char* kAdminPassword = "operator-secret-1";
  // Logs in as `username` and returns a client holding the token.
  HttpClient login(const std::string& username = "admin",
                   const std::string& password = kAdminPassword) const;
  // As the operator: creates account `accountId` and, for each role, a user named
  // "<accountId>-<Role>" with the password "password-<accountId>-<Role>". Throws on failure.
  void addAccountWithUsers(const std::string& accountId,
                           const std::vector<std::string>& roles) const;
  // Logs in as the user addAccountWithUsers made for `role` in `accountId`.
  HttpClient loginAs(const std::string& accountId, const std::string& role) const;
  // Stops the server: SIGTERM (graceful) or SIGKILL. Returns the exit status.
  int stop(bool kill = false);
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
  std::string dataDir_;
  bool ownsDataDir_ = false;
};

}  // namespace parley::testing
