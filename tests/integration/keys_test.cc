// `parley keys rotate` against a running server on the same data directory: the server keeps
// reading the secrets it had and writes new ones under the new key, SIGHUP is harmless, a
// restart reads everything, the old key is nowhere in the data directory, and with
// PARLEY_MASTER_KEY the command refuses without --print-new-key.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const char* kReader = R"js(
  const { Toolbelt } = require('lp-faas-toolbelt');
  async function lambda(input) {
    const s = await Toolbelt.SecretClient().readSecret(input.payload.key, { useCache: false });
    return s.value.toUpperCase();  // results are stored: never the value itself
  }
)js";

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs the binary with `args` (and `env` prepended); returns {exit status, stdout + stderr}.
std::pair<int, std::string> runParley(const std::string& args, const std::string& env = "") {
  std::string cmd = env + " " + PARLEY_BINARY + std::string(" ") + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class Keys : public ::testing::Test {
 protected:
  void deployReader(HttpClient& c, const std::string& acct) {
    std::string fns = "/api/v1/accounts/" + acct + "/functions";
    ASSERT_EQ(c.call("POST", fns, {{"name", "reader"}, {"code", kReader}}).status, 201);
    ASSERT_EQ(c.call("POST", fns + "/reader/deploy").status, 200);
  }
  json read(HttpClient& c, const std::string& acct, const std::string& key) {
    HttpResult r = c.call("POST", "/api/v1/accounts/" + acct + "/functions/reader/invoke",
                          {{"payload", {{"key", key}}}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  void addSecret(HttpClient& c, const std::string& acct, const std::string& name,
                 const std::string& value) {
    ASSERT_EQ(c.call("POST", "/api/v1/accounts/" + acct + "/secrets",
                     {{"name", name}, {"value", value}})
                  .status,
              201);
  }
};

TEST_F(Keys, RotateWhileTheServerRunsThenRestart) {
  auto server = std::make_unique<ServerProcess>();
  const std::string dir = server->dataDir();
  server->addAccountWithUsers("acme", {"Admin"});
  server->addAccountWithUsers("beta", {"Admin"});
  HttpClient acme = server->loginAs("acme", "Admin");
  HttpClient beta = server->loginAs("beta", "Admin");
  addSecret(acme, "acme", "OLD", "acme-old-value-4821");
  addSecret(beta, "beta", "OLD", "beta-old-value-9313");
  deployReader(acme, "acme");
  deployReader(beta, "beta");
  EXPECT_EQ(read(acme, "acme", "OLD"), "ACME-OLD-VALUE-4821");  // acme's data key cached
  const std::string oldKey = readAll(dir + "/master.key");
  ASSERT_FALSE(oldKey.empty());

  auto [code, out] = runParley("keys rotate --data-dir " + dir);
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("Rotated: 2 data keys"), std::string::npos) << out;
  const std::string newKey = readAll(dir + "/master.key");
  EXPECT_NE(newKey, oldKey);
  EXPECT_FALSE(std::filesystem::exists(dir + "/master.key.next"));

  // The running server: reads the secrets it had, writes new ones, new accounts too.
  EXPECT_EQ(read(acme, "acme", "OLD"), "ACME-OLD-VALUE-4821");
  EXPECT_EQ(read(beta, "beta", "OLD"), "BETA-OLD-VALUE-9313");
  addSecret(acme, "acme", "NEW", "acme-new-value-7731");
  EXPECT_EQ(read(acme, "acme", "NEW"), "ACME-NEW-VALUE-7731");
  server->addAccountWithUsers("gamma", {"Admin"});
  HttpClient gamma = server->loginAs("gamma", "Admin");
  addSecret(gamma, "gamma", "FIRST", "gamma-first-value-5150");
  deployReader(gamma, "gamma");
  EXPECT_EQ(read(gamma, "gamma", "FIRST"), "GAMMA-FIRST-VALUE-5150");

  // SIGHUP re-reads the key; the server stays up.
  json info = json::parse(readAll(dir + "/server.json"));
  ASSERT_EQ(kill(info["pid"].get<int>(), SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(read(beta, "beta", "OLD"), "BETA-OLD-VALUE-9313");

  // A restart with only the new key reads everything.
  ASSERT_EQ(server->stop(), 0);
  ServerProcess restarted({}, dir);
  HttpClient acme2 = restarted.loginAs("acme", "Admin");
  HttpClient beta2 = restarted.loginAs("beta", "Admin");
  HttpClient gamma2 = restarted.loginAs("gamma", "Admin");
  EXPECT_EQ(read(acme2, "acme", "OLD"), "ACME-OLD-VALUE-4821");
  EXPECT_EQ(read(acme2, "acme", "NEW"), "ACME-NEW-VALUE-7731");
  EXPECT_EQ(read(beta2, "beta", "OLD"), "BETA-OLD-VALUE-9313");
  EXPECT_EQ(read(gamma2, "gamma", "FIRST"), "GAMMA-FIRST-VALUE-5150");

  // Neither the old key nor any value is anywhere in the data directory.
  std::string oldKeyText = oldKey.substr(0, oldKey.find('\n'));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string bytes = readAll(entry.path().string());
    EXPECT_EQ(bytes.find(oldKeyText), std::string::npos) << entry.path();
    for (const char* v : {"acme-old-value-4821", "beta-old-value-9313", "acme-new-value-7731",
                          "gamma-first-value-5150"}) {
      EXPECT_EQ(bytes.find(v), std::string::npos) << v << " in " << entry.path();
    }
  }
}

TEST_F(Keys, WithTheEnvironmentKeyItPrintsTheNewKeyOnlyWhenAsked) {
  auto server = std::make_unique<ServerProcess>();
  const std::string dir = server->dataDir();
  server->addAccountWithUsers("acme", {"Admin"});
  HttpClient acme = server->loginAs("acme", "Admin");
  addSecret(acme, "acme", "OLD", "acme-env-value-6262");
  deployReader(acme, "acme");
  ASSERT_EQ(server->stop(), 0);
  // The same key, as an operator who keeps it in the environment would pass it.
  std::string key = readAll(dir + "/master.key");
  key = key.substr(0, key.find('\n'));
  const std::string env = "PARLEY_MASTER_KEY=" + key;

  auto [refused, why] = runParley("keys rotate --data-dir " + dir, env);
  EXPECT_EQ(refused, 2) << why;
  EXPECT_NE(why.find("--print-new-key"), std::string::npos) << why;

  std::string cmd = env + " " + PARLEY_BINARY + " keys rotate --print-new-key --data-dir " + dir +
                    " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  char line[256] = {0};
  ASSERT_NE(fgets(line, sizeof line, p), nullptr);
  ASSERT_EQ(pclose(p), 0);
  std::string newKey(line);
  newKey = newKey.substr(0, newKey.find('\n'));
  ASSERT_EQ(newKey.size(), 44u) << newKey;
  EXPECT_NE(newKey, key);

  // Started with the new key (here through the file, as ServerProcess clears PARLEY_*).
  {
    std::ofstream out(dir + "/master.key", std::ios::trunc);
    out << newKey << "\n";
  }
  ServerProcess restarted({}, dir);
  HttpClient acme2 = restarted.loginAs("acme", "Admin");
  EXPECT_EQ(read(acme2, "acme", "OLD"), "ACME-ENV-VALUE-6262");
}

}  // namespace
}  // namespace parley::testing
