// The `parley` CLI end to end: the real binary run as a subprocess in a temporary project folder
// (HOME and XDG_CONFIG_HOME in a temporary directory), against a real `parley server` on a free
// port. Checks outputs, files and exit statuses (0 success, 1 failure, 2 usage).
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/server_process.h"

extern char** environ;

namespace parley::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
  nlohmann::json json() const { return nlohmann::json::parse(out, nullptr, false); }
};

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/parley-cli-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    home_ = tmpl;
    project_ = home_ / "project";
    fs::create_directories(project_);
    server.addAccountWithUsers("acme", {"Admin", "Developer"});
  }
  void TearDown() override { fs::remove_all(home_); }

  // Runs `parley args…` in `cwd` (default: the project folder) with `input` on stdin.
  CliResult run(const std::vector<std::string>& args, const std::string& input = {},
                const fs::path& cwd = {}, const std::vector<std::string>& extraEnv = {}) {
    fs::path outFile = home_ / "stdout", errFile = home_ / "stderr";
    pid_t pid = spawn(args, input, outFile, errFile, cwd, extraEnv);
    CliResult r;
    if (pid < 0) return r;
    int status = 0;
    waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readFile(outFile);
    r.err = readFile(errFile);
    return r;
  }
  // Starts `parley args…` with stdout and stderr going to files; returns its pid (-1 on failure).
  pid_t spawn(const std::vector<std::string>& args, const std::string& input,
              const fs::path& outFile, const fs::path& errFile, const fs::path& cwd = {},
              const std::vector<std::string>& extraEnv = {}) {
    fs::path inFile = home_ / ("stdin-" + outFile.filename().string());
    writeFile(inFile, input);
    std::vector<std::string> env = {"HOME=" + home_.string(),
                                    "XDG_CONFIG_HOME=" + (home_ / "config").string(),
                                    "PATH=/usr/bin:/bin"};
    for (const auto& e : extraEnv) env.push_back(e);
    std::vector<std::string> argv = {PARLEY_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, inFile.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addchdir_np(&fa, (cwd.empty() ? project_ : cwd).c_str());
    std::vector<char*> cargv, cenv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    for (auto& e : env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, PARLEY_BINARY, &fa, nullptr, cargv.data(), cenv.data());
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
  }
  CliResult login(const std::string& role) {
    return run({"login", "--server", server.url(), "--account", "acme", "-u", "acme-" + role,
                "--password-stdin"},
               "password-acme-" + role + "\n");
  }
  // Whether the server has `path`; every route the CLI calls must be there, so a missing one
  // fails the test rather than skipping what depends on it.
  bool serverHas(const std::string& path) {
    json doc = HttpClient(server.url()).call("GET", "/api/v1/openapi.json").json();
    bool has = doc["paths"].contains(path);
    EXPECT_TRUE(has) << "the server has no " << path;
    return has;
  }

  ServerProcess server;
  std::error_code ec_;
  fs::path home_;
  fs::path project_;
};

#define EXPECT_OK(r) EXPECT_EQ((r).status, 0) << (r).out << (r).err

TEST_F(Cli, LoginInitPushDeployInvokeLogsMetricsUndeployDelete) {
  CliResult in = login("Developer");
  EXPECT_OK(in);
  EXPECT_NE(in.out.find("Logged in to " + server.url() + " as acme-Developer (account acme)"),
            std::string::npos);
  fs::path creds = home_ / "config" / "parley" / "credentials.json";
  struct stat st{};
  ASSERT_EQ(stat(creds.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string stored = readFile(creds);
  EXPECT_EQ(stored.find("password-acme-Developer"), std::string::npos);
  EXPECT_NE(stored.find("\"token\""), std::string::npos);

  CliResult init = run({"init", "greet"});
  EXPECT_OK(init);
  for (const char* f : {"settings.json", "README.md", "functions/greet/index.js",
                        "functions/greet/config.json"}) {
    EXPECT_TRUE(fs::exists(project_ / f)) << f;
  }
  json config = json::parse(readFile(project_ / "functions/greet/config.json"));
  EXPECT_EQ(config["eventId"], "No Event");
  // The toolbelt's declarations of this source tree are copied for editors.
  for (const auto& e : fs::directory_iterator(fs::path(PARLEY_SOURCE_DIR) / "types", ec_)) {
    EXPECT_EQ(readFile(project_ / "types" / e.path().filename()), readFile(e.path()));
  }
  writeFile(project_ / "functions/greet/index.js",
            "async function lambda(input) {\n"
            "  console.info('greeting', input.payload.name);\n"
            "  return `Hello ${input.payload.name} from ${process.env.GREETER}`;\n"
            "}\n");
  config["environment"] = {{"GREETER", "the CLI"}};
  writeFile(project_ / "functions/greet/config.json", config.dump(2));

  CliResult push = run({"push"});
  EXPECT_OK(push);
  EXPECT_NE(push.out.find("greet: created (version 1, Draft)"), std::string::npos) << push.out;
  CliResult again = run({"push"});
  EXPECT_OK(again);
  EXPECT_NE(again.out.find("greet: unchanged"), std::string::npos) << again.out;

  CliResult deploy = run({"deploy", "greet"});
  EXPECT_OK(deploy);
  EXPECT_NE(deploy.out.find("Productive (version 1 is live)"), std::string::npos) << deploy.out;

  CliResult invoke = run({"invoke", "greet", "--payload", R"({"name": "Ada"})"});
  EXPECT_OK(invoke);
  EXPECT_EQ(invoke.json(), "Hello Ada from the CLI");

  CliResult test = run({"test", "greet", "--payload", R"({"name": "Bob"})", "-o", "json"});
  EXPECT_OK(test);
  EXPECT_EQ(test.json()["result"], "Hello Bob from the CLI");
  EXPECT_EQ(test.json()["logs"][0]["message"], "greeting");

  CliResult list = run({"get", "functions"});
  EXPECT_OK(list);
  EXPECT_NE(list.out.find("NAME"), std::string::npos);
  EXPECT_NE(list.out.find("greet"), std::string::npos);
  EXPECT_NE(list.out.find("Productive"), std::string::npos);
  CliResult csv = run({"get", "functions", "-o", "csv"});
  EXPECT_OK(csv);
  EXPECT_EQ(csv.out.rfind("name,state,version,deployed,event,updated,by,uuid\n", 0), 0u) << csv.out;

  if (serverHas("/api/v1/accounts/{acct}/functions/{fn}/logs")) {
    // Invocation records are written behind the hot path in batches: poll until they are there.
    CliResult logs;
    bool found = false;
    for (int i = 0; i < 100 && !found; ++i) {
      if (i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      logs = run({"logs", "greet", "--since", "1h", "-o", "json"});
      EXPECT_OK(logs);
      for (const json& l : logs.json()) found = found || l["message"] == "greeting";
    }
    EXPECT_TRUE(found) << logs.out;
    CliResult levelled = run({"logs", "greet", "--level", "Info"});
    EXPECT_OK(levelled);
    EXPECT_NE(levelled.out.find("greeting"), std::string::npos);
    EXPECT_EQ(run({"logs", "greet", "--since", "soon"}).status, 2);
  }
  if (serverHas("/api/v1/accounts/{acct}/functions/{fn}/metrics")) {
    CliResult metrics;
    for (int i = 0; i < 100; ++i) {
      if (i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      metrics = run({"metrics", "greet", "-o", "json"});
      EXPECT_OK(metrics);
      if (metrics.json()["totals"].value("total", 0) >= 1) break;
    }
    EXPECT_GE(metrics.json()["totals"].value("total", 0), 1) << metrics.out;
    CliResult table = run({"metrics", "greet"});
    EXPECT_OK(table);
    EXPECT_NE(table.out.find("SUCCEEDED"), std::string::npos) << table.out;
  }

  CliResult undeploy = run({"undeploy", "greet"});
  EXPECT_OK(undeploy);
  EXPECT_NE(undeploy.out.find("greet: Undeployed"), std::string::npos) << undeploy.out;
  CliResult del = run({"delete", "greet"});
  EXPECT_OK(del);
  EXPECT_EQ(run({"get", "functions", "-o", "json"}).json(), json::array());

  CliResult out = run({"logout"});
  EXPECT_OK(out);
  CliResult after = run({"get", "functions"});
  EXPECT_EQ(after.status, 1);
  EXPECT_NE(after.err.find("not logged in to " + server.url() + ": run `parley login"),
            std::string::npos) << after.err;
}

TEST_F(Cli, LogsFollowStreamsLinesWrittenAfterItConnected) {
  if (!serverHas("/api/v1/accounts/{acct}/functions/{fn}/logs/stream")) {
    GTEST_SKIP() << "this server has no log stream yet";
  }
  ASSERT_EQ(login("Developer").status, 0);
  ASSERT_EQ(run({"init", "tail"}).status, 0);
  writeFile(project_ / "functions/tail/index.js",
            "async function lambda(input) { console.warn('tailed', input.payload.n); return 1; }");
  ASSERT_EQ(run({"push"}).status, 0);
  ASSERT_EQ(run({"deploy"}).status, 0);
  fs::path out = home_ / "follow.out", err = home_ / "follow.err";
  pid_t follower = spawn({"logs", "tail", "-f", "-o", "json"}, "", out, err);
  ASSERT_GT(follower, 0);
  // Invoke until a line shows up: the follower has then connected, and every line it prints
  // was written after it did.
  HttpClient dev = server.loginAs("acme", "Developer");
  std::string seen;
  for (int n = 0; n < 200 && seen.find("tailed") == std::string::npos; ++n) {
    dev.call("POST", "/api/v1/accounts/acme/functions/tail/invoke", {{"payload", {{"n", n}}}});
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = readFile(out);
  }
  kill(follower, SIGTERM);
  waitpid(follower, nullptr, 0);
  ASSERT_NE(seen.find("tailed"), std::string::npos) << readFile(err);
  json line = json::parse(seen.substr(0, seen.find('\n')));
  EXPECT_EQ(line["level"], "Warn");
  EXPECT_EQ(line["message"], "tailed");
  EXPECT_FALSE(line["invocationId"].get<std::string>().empty());
}

TEST_F(Cli, PullAndPushDetectChangesOnEitherSide) {
  ASSERT_EQ(login("Developer").status, 0);
  ASSERT_EQ(run({"init", "greet"}).status, 0);
  ASSERT_EQ(run({"push"}).status, 0);
  HttpClient dev = server.loginAs("acme", "Developer");
  const std::string code = "async function lambda() { return 'changed on the server'; }";
  ASSERT_EQ(dev.call("PUT", "/api/v1/accounts/acme/functions/greet", {{"code", code}}).status, 200);

  writeFile(project_ / "functions/greet/index.js", "async function lambda() { return 'local'; }");
  CliResult refused = run({"push"});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("changed on the server since the last pull or push"), std::string::npos);
  CliResult keepLocal = run({"pull"});
  EXPECT_EQ(keepLocal.status, 1);
  EXPECT_NE(keepLocal.err.find("has local changes that were not pushed"), std::string::npos);

  CliResult pulled = run({"pull", "--force"});
  EXPECT_OK(pulled);
  EXPECT_EQ(readFile(project_ / "functions/greet/index.js"), code);
  EXPECT_NE(run({"pull"}).out.find("greet: up to date"), std::string::npos);
  writeFile(project_ / "functions/greet/index.js", "async function lambda() { return 'v3'; }");
  CliResult pushed = run({"push"});
  EXPECT_OK(pushed);
  EXPECT_NE(pushed.out.find("greet: updated (version 3"), std::string::npos) << pushed.out;
}

TEST_F(Cli, PushDeployMakesThePushedVersionsLive) {
  ASSERT_EQ(login("Developer").status, 0);
  ASSERT_EQ(run({"init", "greet"}).status, 0);
  writeFile(project_ / "functions/greet/index.js", "async function lambda() { return 'v1'; }");
  CliResult pushed = run({"push", "--deploy"});
  EXPECT_OK(pushed);
  EXPECT_NE(pushed.out.find("greet: created (version 1, Productive)"), std::string::npos) << pushed.out;
  EXPECT_EQ(run({"invoke", "greet"}).json(), "v1");

  writeFile(project_ / "functions/greet/index.js", "async function lambda() { return 'v2'; }");
  CliResult updated = run({"push", "-d"});
  EXPECT_OK(updated);
  EXPECT_NE(updated.out.find("greet: updated (version 2, Productive)"), std::string::npos) << updated.out;
  EXPECT_EQ(run({"invoke", "greet"}).json(), "v2");

  // Code that does not build: saved but not deployed, said so; v2 stays live, and the next push
  // knows the server has the local content.
  writeFile(project_ / "functions/greet/index.js", "async function lambda() { return 'v3' ");
  CliResult broken = run({"push", "--deploy"});
  EXPECT_EQ(broken.status, 1);
  EXPECT_NE(broken.err.find("Version 3 was saved but not deployed"), std::string::npos) << broken.err;
  EXPECT_EQ(run({"invoke", "greet"}).json(), "v2");
  CliResult again = run({"push"});
  EXPECT_OK(again);
  EXPECT_NE(again.out.find("greet: unchanged"), std::string::npos) << again.out;

  // An unchanged function that is not live is deployed by push --deploy.
  writeFile(project_ / "functions/greet/index.js", "async function lambda() { return 'v4'; }");
  ASSERT_EQ(run({"push"}).status, 0);
  CliResult live = run({"push", "--deploy"});
  EXPECT_OK(live);
  EXPECT_NE(live.out.find("greet: unchanged, deployed (version 4, Productive)"), std::string::npos)
      << live.out;
  EXPECT_EQ(run({"invoke", "greet"}).json(), "v4");
}

TEST_F(Cli, PushGoesOnPastAFunctionThatFailsAndKeepsWhatItSynced) {
  ASSERT_EQ(login("Developer").status, 0);
  ASSERT_EQ(run({"init", "alpha", "beta", "gamma"}).status, 0);
  writeFile(project_ / "functions/alpha/index.js", "async function lambda() { return 'a1'; }");
  writeFile(project_ / "functions/beta/config.json", "{ not json");
  writeFile(project_ / "functions/gamma/index.js", "async function lambda() { return 'g1'; }");
  CliResult first = run({"push", "--deploy"});
  EXPECT_EQ(first.status, 1);
  EXPECT_NE(first.err.find("beta: "), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("config.json is not valid JSON"), std::string::npos) << first.err;
  EXPECT_NE(first.out.find("alpha: created (version 1, Productive)"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("gamma: created (version 1, Productive)"), std::string::npos) << first.out;

  // What that push synced is remembered: a local change to alpha is pushed, not refused as a
  // change made on the server since the last sync.
  writeFile(project_ / "functions/alpha/index.js", "async function lambda() { return 'a2'; }");
  CliResult second = run({"push", "alpha", "gamma"});
  EXPECT_OK(second);
  EXPECT_NE(second.out.find("alpha: updated (version 2"), std::string::npos) << second.out << second.err;
  EXPECT_NE(second.out.find("gamma: unchanged"), std::string::npos) << second.out;

  // The same for pull: with the sync state gone, a pull that fails on gamma (on the server, its
  // local config broken) still records that alpha matches the server, so alpha's next change is
  // pushed.
  fs::remove(project_ / ".parley" / "state.json");
  writeFile(project_ / "functions/gamma/config.json", "{ not json");
  CliResult pulled = run({"pull", "gamma", "alpha"});
  EXPECT_EQ(pulled.status, 1);
  EXPECT_NE(pulled.err.find("gamma: "), std::string::npos) << pulled.err;
  EXPECT_NE(pulled.out.find("alpha: up to date"), std::string::npos) << pulled.out;
  writeFile(project_ / "functions/alpha/index.js", "async function lambda() { return 'a3'; }");
  CliResult third = run({"push", "alpha"});
  EXPECT_OK(third);
  EXPECT_NE(third.out.find("alpha: updated (version 3"), std::string::npos) << third.out << third.err;
}

TEST_F(Cli, ErrorsAPersonCanActOn) {
  // The server is not there.
  CliResult unreachable = run({"login", "--server", "http://127.0.0.1:1", "-u", "x", "-p", "y"});
  EXPECT_EQ(unreachable.status, 1);
  EXPECT_NE(unreachable.err.find("cannot reach the Parley server at http://127.0.0.1:1"),
            std::string::npos) << unreachable.err;
  // A wrong password.
  CliResult bad = run({"login", "--server", server.url(), "-u", "acme-Developer", "-p", "nope"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("wrong username or password"), std::string::npos) << bad.err;
  // Usage errors: 2.
  EXPECT_EQ(run({"frobnicate"}).status, 2);
  EXPECT_EQ(run({"invoke"}).status, 2);
  EXPECT_EQ(run({"get", "nonsense"}).status, 2);
  EXPECT_EQ(run({"get", "functions", "-o", "yaml"}).status, 2);
  EXPECT_EQ(run({"push"}).status, 2);  // not in a project
  EXPECT_NE(run({"push"}).err.find("run `parley init` first"), std::string::npos);

  // Validation errors name the field; build errors their line.
  ASSERT_EQ(login("Developer").status, 0);
  ASSERT_EQ(run({"init", "broken"}).status, 0);
  json config = json::parse(readFile(project_ / "functions/broken/config.json"));
  config["environment"] = {{"1NOT_POSIX", "x"}};
  writeFile(project_ / "functions/broken/config.json", config.dump());
  CliResult invalid = run({"push"});
  EXPECT_EQ(invalid.status, 1);
  EXPECT_NE(invalid.err.find("1NOT_POSIX"), std::string::npos) << invalid.err;
  config["environment"] = json::object();
  writeFile(project_ / "functions/broken/config.json", config.dump());
  writeFile(project_ / "functions/broken/index.js",
            "async function lambda(input) {\n  return 1 +;\n}\n");
  ASSERT_EQ(run({"push"}).status, 0);
  CliResult deploy = run({"deploy", "broken"});
  EXPECT_EQ(deploy.status, 1);
  EXPECT_NE(deploy.err.find("build error at line 2"), std::string::npos) << deploy.err;

  // An expired login says to log in again.
  fs::path creds = home_ / "config" / "parley" / "credentials.json";
  json stored = json::parse(readFile(creds));
  stored["logins"][server.url()]["expiresAt"] = "2020-01-01T00:00:00.000Z";
  writeFile(creds, stored.dump());
  CliResult expired = run({"get", "functions"});
  EXPECT_EQ(expired.status, 1);
  EXPECT_NE(expired.err.find("expired at 2020-01-01T00:00:00.000Z: run `parley login`"),
            std::string::npos) << expired.err;
  // A token the server no longer accepts says so too.
  stored["logins"][server.url()]["expiresAt"] = "";
  stored["logins"][server.url()]["token"] = "not-a-token";
  writeFile(creds, stored.dump());
  CliResult rejected = run({"get", "functions"});
  EXPECT_EQ(rejected.status, 1);
  EXPECT_NE(rejected.err.find("run `parley login`"), std::string::npos) << rejected.err;
}

TEST_F(Cli, InvokeLocalRunsTheRuntimeWithSettingsSecrets) {
  ASSERT_EQ(run({"init", "local_fn"}).status, 0);  // no login needed
  writeFile(project_ / "functions/local_fn/index.js",
            "const { Toolbelt } = require('lp-faas-toolbelt');\n"
            "async function lambda(input) {\n"
            "  const secret = await Toolbelt.SecretClient().readSecret('API_KEY');\n"
            "  await Toolbelt.SecretClient().updateSecret({ key: 'COUNTER', value: '2' });\n"
            "  console.info('read', secret.key);\n"
            "  return { value: secret.value, env: process.env.MODE, name: input.payload.name };\n"
            "}\n");
  json config = json::parse(readFile(project_ / "functions/local_fn/config.json"));
  config["environment"] = {{"MODE", "local"}};
  config["input"] = {{"headers", json::array()}, {"payload", {{"name", "from-config"}}}};
  writeFile(project_ / "functions/local_fn/config.json", config.dump());
  writeFile(project_ / "settings.json",
            R"({"secrets": [{"key": "API_KEY", "value": "s3cret"}, {"key": "COUNTER", "value": "1"}],
                "allowlist": []})");
  CliResult r = run({"invoke", "local_fn", "--local"});
  EXPECT_OK(r);
  EXPECT_EQ(r.json()["result"],
            json({{"value", "s3cret"}, {"env", "local"}, {"name", "from-config"}}));
  EXPECT_EQ(r.json()["logs"][0]["message"], "read");
  EXPECT_NE(readFile(project_ / "settings.json").find("\"2\""), std::string::npos);

  writeFile(project_ / "settings.json", R"({"secrets": []})");
  CliResult missing = run({"invoke", "local_fn", "--local", "--payload", "{}"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.json()["errorCode"], "com.liveperson.faas.handler.custom-failure") << missing.out;
  EXPECT_NE(missing.json()["errorMsg"].get<std::string>().find("API_KEY"), std::string::npos);
}

TEST_F(Cli, AdminCommandsSecretsClientsSchedules) {
  ASSERT_EQ(login("Admin").status, 0);
  CliResult set = run({"secrets", "set", "DB_PASSWORD", "--value-stdin"}, "pw-91c3\n");
  EXPECT_OK(set);
  EXPECT_NE(set.out.find("Created secret DB_PASSWORD"), std::string::npos);
  EXPECT_OK(run({"secrets", "set", "DB_PASSWORD", "pw-2"}));
  CliResult secrets = run({"get", "secrets"});
  EXPECT_OK(secrets);
  EXPECT_NE(secrets.out.find("DB_PASSWORD"), std::string::npos);
  EXPECT_EQ(secrets.out.find("pw-"), std::string::npos);
  EXPECT_OK(run({"secrets", "delete", "DB_PASSWORD"}));
  EXPECT_EQ(run({"get", "secrets", "-o", "json"}).json(), json::array());

  CliResult client = run({"clients", "create", "crm", "--scope", "functions.invoke", "-o", "json"});
  EXPECT_OK(client);
  EXPECT_FALSE(client.json()["clientSecret"].get<std::string>().empty());

  ASSERT_EQ(run({"init", "tick"}).status, 0);
  ASSERT_EQ(run({"push"}).status, 0);
  ASSERT_EQ(run({"deploy"}).status, 0);
  CliResult schedule = run({"create", "schedule", "-f", "tick", "-c", "*/5 * * * *"});
  EXPECT_OK(schedule);
  CliResult schedules = run({"get", "schedules", "-o", "json"});
  ASSERT_EQ(schedules.json().size(), 1u) << schedules.out;
  EXPECT_EQ(schedules.json()[0]["cronExpression"], "*/5 * * * *");
  CliResult badCron = run({"create", "schedule", "-f", "tick", "-c", "not cron"});
  EXPECT_EQ(badCron.status, 1);
  EXPECT_NE(badCron.err.find("cronExpression"), std::string::npos) << badCron.err;

  CliResult events = run({"get", "events"});
  EXPECT_OK(events);
  EXPECT_NE(events.out.find("conversational_command"), std::string::npos);
  if (serverHas("/api/v1/accounts/{acct}/domains")) {
    EXPECT_OK(run({"domains", "add", "api.example.com"}));
    EXPECT_NE(run({"get", "domains"}).out.find("api.example.com"), std::string::npos);
    EXPECT_OK(run({"domains", "remove", "api.example.com"}));
  }
  if (serverHas("/api/v1/accounts/{acct}/events")) {
    CliResult published = run({"events", "publish", "conversational_command", "--data",
                               R"({"conversationId": "4711", "arguments": ["echo"]})"});
    EXPECT_OK(published);
  }
}

TEST_F(Cli, CompletionScriptsCompleteCommands) {
  CliResult bash = run({"completion", "bash"});
  EXPECT_OK(bash);
  EXPECT_NE(bash.out.find("complete -o default -F _parley parley"), std::string::npos);
  writeFile(home_ / "parley.bash", bash.out);
  // Load it into a real bash and ask for completions.
  std::string script = "source " + (home_ / "parley.bash").string() +
                       "; COMP_WORDS=(parley de); COMP_CWORD=1; _parley; echo \"${COMPREPLY[@]}\";"
                       " COMP_WORDS=(parley create s); COMP_CWORD=2; _parley; echo \"${COMPREPLY[@]}\"";
  writeFile(home_ / "ask.sh", script);
  std::string out = home_ / "answer";
  ASSERT_EQ(std::system(("bash " + (home_ / "ask.sh").string() + " > " + out).c_str()), 0);
  std::string answer = readFile(out);
  EXPECT_NE(answer.find("deploy delete"), std::string::npos) << answer;
  EXPECT_NE(answer.find("schedule"), std::string::npos) << answer;

  CliResult zsh = run({"completion", "zsh"});
  EXPECT_OK(zsh);
  EXPECT_EQ(zsh.out.rfind("#compdef parley\n", 0), 0u);
  EXPECT_NE(zsh.out.find("'deploy:Deploy functions"), std::string::npos);
  EXPECT_EQ(run({"completion", "fish"}).status, 2);
}

TEST_F(Cli, Version) {
  CliResult v = run({"version"});
  EXPECT_OK(v);
  EXPECT_EQ(v.out.rfind("parley ", 0), 0u);
}

}  // namespace
}  // namespace parley::testing
