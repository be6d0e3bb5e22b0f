// Stored logins of the CLI: one per server, in $XDG_CONFIG_HOME/parley/credentials.json (or
// ~/.config/parley/), written atomically with mode 0600 in a 0700 directory. The token is the
// only secret in it; passwords are never stored.
#pragma once

#include <optional>
#include <string>

namespace parley::cli {

struct StoredLogin {
  std::string server;     // base URL, no trailing slash
  std::string token;
  std::string expiresAt;  // ISO 8601 UTC as the server gave it; empty: unknown (--token)
  std::string username;
  std::string account;    // the account commands use unless --account says otherwise
};

std::string configDirectory();
std::string credentialsFile();
// The login for `server`; nullopt when there is none.
std::optional<StoredLogin> loadLogin(const std::string& server);
// The server of the most recent login; nullopt when there is none.
std::optional<std::string> lastServer();
// Stores (replaces) the login for its server and makes it the most recent. Throws CliError.
void saveLogin(const StoredLogin& login);
// Forgets the login for `server`; false when there was none.
bool forgetLogin(const std::string& server);
// Milliseconds since the epoch of an ISO 8601 UTC time ("2026-11-24T04:00:00.000Z"); -1 if bad.
int64_t parseIsoTime(const std::string& iso);

}  // namespace parley::cli
