// The CLI's client of Parley's public HTTP API (libcurl, blocking). Every failure becomes a
// CliError a person can act on: the server unreachable (naming the URL), an expired or missing
// login (saying `parley login`), the server's error message with the fields or line it names.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common.h"

namespace parley::cli {

struct ApiResponse {
  long status = 0;
  std::string body;
  std::string contentType;
  nlohmann::json json() const;  // null when the body is not JSON
};

class ApiClient {
 public:
  ApiClient(std::string server, std::string token);

  // One request; throws CliError only when the server cannot be reached.
  ApiResponse send(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& contentType = "application/json") const;
  // A JSON request; answers the JSON body of a 2xx, else throws a CliError with the server's
  // message (and the fields / line it names). 401 says to log in again.
  nlohmann::json call(const std::string& method, const std::string& path,
                      const nlohmann::json& body = nullptr) const;
  // Throws the CliError for a failed `method path` answer (a missing route says so).
  [[noreturn]] void fail(const ApiResponse& r, const std::string& method,
                         const std::string& path) const;
  // GET `path` and hand each chunk of the body to `onData` as it arrives, until the server
  // closes the stream or `onData` returns false.
  void stream(const std::string& path, const std::function<bool(std::string_view)>& onData) const;

  const std::string& server() const { return server_; }
  const std::string& token() const { return token_; }

 private:
  std::string server_;
  std::string token_;
};

// The message for a non-2xx response: the server's {error: {message, details}} with its
// fields, line and column, or the status and body.
std::string errorMessage(const ApiResponse& r, const std::string& server);

// A logged-in session: the server, the account and a client holding the token.
struct Session {
  std::string server;
  std::string account;
  ApiClient client;
  // /api/v1/accounts/{account}
  std::string accountPath() const;
  // /api/v1/accounts/{account}/functions/{name}
  std::string functionPath(const std::string& name) const;
};

// The server from --server / PARLEY_SERVER, else the last login's, else the default.
std::string resolveServer(const Globals& g);
// Opens the session for the resolved server: throws CliError when not logged in or when the
// login has expired; and (when `needAccount`) a usage error when no account is known.
Session openSession(const Globals& g, bool needAccount = true);

std::string urlEncode(std::string_view text);

}  // namespace parley::cli
