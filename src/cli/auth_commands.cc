// `parley login` and `parley logout`.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "cli/api_client.h"
#include "cli/common.h"
#include "cli/credentials.h"

namespace parley::cli {

namespace {

using nlohmann::json;

struct LoginOptions {
  std::string username;
  std::string password;
  bool passwordStdin = false;
  std::string token;
};

std::string readPassword() {
  bool tty = ::isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << "Password: " << std::flush;
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The account to use: --account, else the only one the user can see.
std::string pickAccount(const Globals& g, const json& me) {
  if (!g.account.empty()) {
    for (const json& a : me.value("accounts", json::array())) {
      if (a.value("id", "") == g.account) return g.account;
    }
    if (!me.value("operator", false)) {
      throw CliError("user '" + me.value("name", std::string()) + "' has no access to account '" +
                     g.account + "'");
    }
    return g.account;
  }
  json accounts = me.value("accounts", json::array());
  if (accounts.size() == 1) return accounts[0].value("id", "");
  return "";
}

int login(const Globals& g, const LoginOptions& o) {
  std::string server = resolveServer(g);
  if (!o.token.empty() && (!o.username.empty() || !o.password.empty() || o.passwordStdin)) {
    throw usageError("give --token, or a username and password, not both");
  }
  if (!o.password.empty() && o.passwordStdin) throw usageError("give -p or --password-stdin, not both");
  StoredLogin stored{server, o.token, "", "", ""};
  if (o.token.empty()) {
    std::string username = o.username;
    if (username.empty()) {
      if (!::isatty(STDIN_FILENO)) throw usageError("give the username with -u");
      std::cerr << "Username: " << std::flush;
      std::getline(std::cin, username);
    }
    std::string password = o.password;
    if (password.empty()) password = readPassword();
    if (password.empty()) throw usageError("no password given (-p, --password-stdin or the prompt)");
    ApiClient anonymous(server, "");
    ApiResponse r = anonymous.send("POST", "/api/v1/auth/login",
                                   json{{"username", username}, {"password", password}}.dump());
    if (r.status == 401) throw CliError("wrong username or password for " + server);
    if (r.status != 200) throw CliError(errorMessage(r, server));
    json j = r.json();
    stored.token = j.value("token", "");
    stored.expiresAt = j.value("expiresAt", "");
    stored.username = username;
  }
  ApiClient client(server, stored.token);
  ApiResponse me = client.send("GET", "/api/v1/me");
  if (me.status == 401) throw CliError("the server at " + server + " did not accept the token");
  if (me.status != 200) throw CliError(errorMessage(me, server));
  json who = me.json();
  if (stored.username.empty()) stored.username = who.value("name", "");
  stored.account = pickAccount(g, who);
  saveLogin(stored);
  std::cout << "Logged in to " << server << " as " << stored.username;
  if (!stored.account.empty()) std::cout << " (account " << stored.account << ")";
  std::cout << ".\n";
  if (stored.account.empty()) {
    std::cout << "Choose an account with --account or PARLEY_ACCOUNT.\n";
  }
  return 0;
}

int logout(const Globals& g) {
  std::string server = resolveServer(g);
  auto stored = loadLogin(server);
  if (!stored) {
    std::cout << "Not logged in to " << server << ".\n";
    return 0;
  }
  // Revoke the token on the server; forget it locally even when the server is unreachable.
  std::string note;
  try {
    ApiResponse r = ApiClient(server, stored->token).send("POST", "/api/v1/auth/logout");
    if (r.status != 200 && r.status != 401) note = " (the server answered: " + errorMessage(r, server) + ")";
  } catch (const CliError& e) {
    note = std::string(" (the token could not be revoked: ") + e.what() + ")";
  }
  forgetLogin(server);
  std::cout << "Logged out of " << server << "." << note << "\n";
  return 0;
}

}  // namespace

void addAuthCommands(CommandContext& c) {
  auto o = std::make_shared<LoginOptions>();
  CLI::App* login = c.app.add_subcommand("login", "Log in to a Parley server and remember the token");
  login->add_option("-u,--username", o->username, "Username");
  login->add_option("-p,--password", o->password, "Password (prefer --password-stdin or the prompt)");
  login->add_flag("--password-stdin", o->passwordStdin, "Read the password from standard input");
  login->add_option("--token", o->token, "Use this bearer token instead (CI, SSO)");
  login->callback([&c, o] {
    runGuarded("login", c.exitCode, [&] { return parley::cli::login(c.globals, *o); });
  });
  CLI::App* logout = c.app.add_subcommand("logout", "Revoke the token and forget it");
  logout->callback([&c] {
    runGuarded("logout", c.exitCode, [&] { return parley::cli::logout(c.globals); });
  });
}

}  // namespace parley::cli
