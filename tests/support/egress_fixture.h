// Test support: a real server with the account "acme" (Admin, Developer, Viewer users), a real
// local target HTTP server, and helpers to allow domains and to deploy and invoke functions whose
// code may say TARGET (replaced by the target's base URL).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/server_process.h"
#include "support/target_server.h"

namespace parley::testing {

inline const std::string kDomains = "/api/v1/accounts/acme/domains";
inline const std::string kFns = "/api/v1/accounts/acme/functions";

// A server, the account "acme" with an Admin, and helpers to deploy and invoke functions whose
// code may use TARGET (replaced by the target server's base URL).
class EgressFixture {
 public:
  explicit EgressFixture(std::vector<std::string> args) : server(std::move(args)) {
    server.addAccountWithUsers("acme", {"Admin", "Developer", "Viewer"});
    admin = server.loginAs("acme", "Admin");
  }
  void allow(const std::string& domain) {
    HttpResult r = admin.call("POST", kDomains, {{"domain", domain}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  void deploy(const std::string& name, std::string code) {
    for (size_t at; (at = code.find("TARGET")) != std::string::npos;) {
      code.replace(at, 6, target.base());
    }
    HttpResult c = admin.call("POST", kFns, {{"name", name}, {"code", code}});
    ASSERT_EQ(c.status, 201) << c.body;
    HttpResult d = admin.call("POST", kFns + "/" + name + "/deploy");
    ASSERT_EQ(d.status, 200) << d.body;
  }
  HttpResult invoke(const std::string& name,
                    const nlohmann::json& payload = nlohmann::json::object()) {
    return admin.call("POST", kFns + "/" + name + "/invoke", {{"payload", payload}});
  }
  HttpResult run(const std::string& name, const std::string& code) {
    deploy(name, code);
    return invoke(name);
  }

  TargetServer target;
  ServerProcess server;
  HttpClient admin{""};
};

}  // namespace parley::testing
