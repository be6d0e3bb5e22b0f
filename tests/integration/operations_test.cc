// Operating the server: graceful shutdown, size limits, account limits, the config file, TLS.
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "base/test_threads.h"
#include "support/server_process.h"

namespace parley::testing {
namespace {

using nlohmann::json;

const std::string kFns = "/api/v1/accounts/default/functions";

TEST(Operations, SigtermFinishesInFlightInvocations) {
  ServerProcess server;
  HttpClient a = server.login();
  ASSERT_EQ(a.call("POST", kFns, {{"name", "slow"}, {"code",
      "async function lambda() { await new Promise(r => setTimeout(r, 1000)); return 'finished'; }"}}).status, 201);
  ASSERT_EQ(a.call("POST", kFns + "/slow/deploy").status, 200);
  auto inFlight = std::async(std::launch::async, [&] {
    return a.call("POST", kFns + "/slow/invoke", {{"payload", json::object()}});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the invocation is running
  int status = server.stop(/*kill=*/false);
  HttpResult r = inFlight.get();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "\"finished\"");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(Operations, OversizedBodiesAre413) {
  ServerProcess server({"--max-body-bytes", "10000"});
  HttpClient a = server.login();
  HttpResult r = a.raw("POST", kFns, std::string(20000, ' ') + "{}");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"]["code"], "payload_too_large");
  // Within the limit, the same server answers normally.
  EXPECT_EQ(a.call("GET", kFns).status, 200);
}

TEST(Operations, FunctionInputOverItsLimitIs413) {
  ServerProcess server;
  HttpClient a = server.login();
  ASSERT_EQ(a.call("POST", kFns, {{"name", "echo"}, {"code", "async function lambda(i) { return 1; }"}}).status, 201);
  ASSERT_EQ(a.call("POST", kFns + "/echo/deploy").status, 200);
  HttpResult r = a.call("POST", kFns + "/echo/invoke", {{"payload", std::string(1100000, 'x')}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"]["code"], "too_large");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("over the function's limit"),
            std::string::npos);
}

TEST(Operations, PerAccountFunctionLimit) {
  ServerProcess server({"--max-functions-per-account", "2"});
  HttpClient a = server.login();
  for (const char* name : {"one", "two"}) {
    ASSERT_EQ(a.call("POST", kFns, {{"name", name}, {"code", "async function lambda() {}"}}).status, 201);
  }
  HttpResult third = a.call("POST", kFns, {{"name", "three"}, {"code", "async function lambda() {}"}});
  EXPECT_EQ(third.status, 429);
  EXPECT_NE(third.json()["error"]["message"].get<std::string>().find("limit of 2"), std::string::npos);
}

TEST(Operations, TimeoutAndMemoryAreCappedByTheAccountMaxima) {
  ServerProcess server({"--max-timeout-seconds", "10", "--max-memory-mb", "256"});
  HttpClient a = server.login();
  HttpResult r = a.call("POST", kFns, {{"name", "big"}, {"code", "async function lambda() {}"},
                                       {"settings", {{"timeoutSeconds", 11}, {"memoryMb", 257}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["details"]["fields"].size(), 2u);
  EXPECT_EQ(a.call("POST", kFns, {{"name", "ok"}, {"code", "async function lambda() {}"},
                                  {"settings", {{"timeoutSeconds", 10}, {"memoryMb", 256}}}}).status, 201);
}

TEST(Operations, ConfigFileIsReadAndFlagsWin) {
  char tmpl[] = "/tmp/parley-conf-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string conf = std::string(tmpl) + "/parley.toml";
  std::ofstream(conf) << "listen = \"127.0.0.1:1\"\n[limits]\nmax_functions_per_account = 1\n";
  // --listen from the flag wins over the file's unusable port; the limit comes from the file.
  ServerProcess server({"--config", conf});
  HttpClient a = server.login();
  ASSERT_EQ(a.call("POST", kFns, {{"name", "one"}, {"code", "async function lambda() {}"}}).status, 201);
  EXPECT_EQ(a.call("POST", kFns, {{"name", "two"}, {"code", "async function lambda() {}"}}).status, 429);
  std::system(("rm -rf '" + std::string(tmpl) + "'").c_str());
}

struct WorkerProcess {
  pid_t pid;
  std::string args;  // the command line, spaces between the arguments
};

// The server's runtime-worker children.
std::vector<WorkerProcess> workerProcesses(pid_t server) {
  std::vector<WorkerProcess> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != server) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    std::replace(args.begin(), args.end(), '\0', ' ');
    if (args.find("runtime-worker") != std::string::npos) {
      out.push_back({static_cast<pid_t>(std::stoi(entry.path().filename().string())), args});
    }
  }
  return out;
}

TEST(Operations, SpareSandboxesReachTheRuntimeWorkersAndAreBounded) {
  ServerProcess server({"--workers", "2", "--spare-sandboxes", "3"});
  std::vector<WorkerProcess> workers = workerProcesses(server.pid());
  ASSERT_EQ(workers.size(), 2u);
  for (const auto& w : workers) EXPECT_NE(w.args.find("--spares 3 "), std::string::npos) << w.args;

  char tmpl[] = "/tmp/parley-spares-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  std::string cmd = std::string(PARLEY_BINARY) + " server --listen 127.0.0.1:0 --data-dir " + dir +
                    " --spare-sandboxes 17 > " + dir + "/out 2>&1";
  EXPECT_NE(std::system(cmd.c_str()), 0);
  std::ifstream out(dir + "/out");
  std::string printed((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(printed.find("--spare-sandboxes must be between 0 and 16, got 17"), std::string::npos)
      << printed;
  std::system(("rm -rf '" + dir + "'").c_str());
}

// Every thread says what it is in ps -L, top -H and perf; and only the threads that hand work
// from one stage to the next (the frame readers, the recorder) run at SCHED_BATCH, so that a
// stage that is woken does not preempt the one feeding it (base/threads.h). The spare builder
// runs at idle priority; everything else, the workers and V8's threads included, normally.
TEST(Operations, EveryThreadIsNamedAndOnlyHandOffThreadsRunAtBatchPolicy) {
  ServerProcess server({"--workers", "1"});
  HttpClient a = server.login();
  ASSERT_EQ(a.call("POST", kFns, {{"name", "t"}, {"code", "async function lambda() { return 1; }"}}).status, 201);
  ASSERT_EQ(a.call("POST", kFns + "/t/deploy").status, 200);
  ASSERT_EQ(a.call("POST", kFns + "/t/invoke", {{"payload", {}}}).status, 200);

  const std::map<std::string, int> special = {{"parley-rt0-read", SCHED_BATCH},
                                              {"parley-recorder", SCHED_BATCH},
                                              {"parley-runtime", SCHED_BATCH},
                                              {"parley-spares", SCHED_IDLE}};
  std::set<std::string> seen;
  auto check = [&](pid_t process, bool isServer) {
    for (const auto& [tid, name] : parley::testing::threadsOf(process)) {
      seen.insert(name);
      bool named = name.rfind("parley-", 0) == 0 || (isServer && tid == process && name == "parley") ||
                   (!isServer && name.rfind("V8 ", 0) == 0);
      EXPECT_TRUE(named) << "thread " << tid << " of " << process << " is called '" << name << "'";
      auto it = special.find(name);
      EXPECT_EQ(sched_getscheduler(tid), it == special.end() ? SCHED_OTHER : it->second) << name;
    }
  };
  check(server.pid(), true);
  std::vector<WorkerProcess> workers = workerProcesses(server.pid());
  ASSERT_EQ(workers.size(), 1u);
  check(workers[0].pid, false);
  for (const char* expected : {"parley-http", "parley-recorder", "parley-rt0-read", "parley-runtime",
                               "parley-w0", "parley-watchdog", "parley-spares"}) {
    EXPECT_EQ(seen.count(expected), 1u) << expected;
  }
}

TEST(Operations, ServesTlsWhenGivenACertificate) {
  char tmpl[] = "/tmp/parley-tls-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 "
                    "-keyout " + dir + "/key.pem -out " + dir + "/cert.pem >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ServerProcess server({"--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem"});
  ASSERT_EQ(server.url().rfind("https://", 0), 0u) << server.url();
  std::string curl = "curl -s --cacert " + dir + "/cert.pem " + server.url() + "/healthz > " + dir + "/out";
  ASSERT_EQ(std::system(curl.c_str()), 0);
  std::ifstream in(dir + "/out");
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(body, "{\"status\":\"ok\"}");
  std::system(("rm -rf '" + dir + "'").c_str());
}

TEST(Operations, HealthAndReadinessNeedNoToken) {
  ServerProcess server;
  HttpClient anon(server.url());
  EXPECT_EQ(anon.request("GET", "/healthz").status, 200);
  EXPECT_EQ(anon.request("GET", "/readyz").status, 200);
  EXPECT_EQ(anon.request("GET", "/api/v1/openapi.json").json()["openapi"], "3.0.3");
  // (a GET of an unknown path outside the API is the web console; see console_test.cc)
  EXPECT_EQ(anon.request("GET", "/api/v1/no/such/route").status, 404);
  EXPECT_EQ(anon.request("DELETE", "/healthz").status, 405);
}

TEST(Operations, FirstStartWithoutAPasswordGeneratesOneStoredPrivately) {
  char tmpl[] = "/tmp/parley-first-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  std::string cmd = "env -u PARLEY_ADMIN_PASSWORD timeout 10 " + std::string(PARLEY_BINARY) +
                    " server --listen 127.0.0.1:0 --data-dir " + dir + " > " + dir +
                    "/out 2>&1 & sleep 2; kill %1";
  std::system(("bash -c '" + cmd + "'").c_str());
  std::ifstream pw(dir + "/admin-password");
  std::string password;
  std::getline(pw, password);
  EXPECT_GE(password.size(), 20u);
  struct stat st {};
  ASSERT_EQ(stat((dir + "/admin-password").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::ifstream out(dir + "/out");
  std::string printed((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(printed.find(password), std::string::npos);  // printed once, at first start
  std::system(("rm -rf '" + dir + "'").c_str());
}

}  // namespace
}  // namespace parley::testing
