#include "cli/api_client.h"

#include <curl/curl.h>

#include <chrono>
#include <mutex>

#include "cli/credentials.h"

namespace parley::cli {

namespace {

using nlohmann::json;

void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  CURL* curl = nullptr;
  std::string* body = nullptr;
  const std::function<bool(std::string_view)>* onData = nullptr;  // streaming when set
};

size_t writeBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t bytes = size * n;
  if (sink->onData) {
    long status = 0;
    curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
    // An error answer is kept whole for its message, not streamed.
    if (status < 300) return (*sink->onData)(std::string_view(data, bytes)) ? bytes : 0;
  }
  sink->body->append(data, bytes);
  return bytes;
}

// Performs the request; throws CliError when the server cannot be reached.
ApiResponse perform(const std::string& server, const std::string& token, const std::string& method,
                    const std::string& path, const std::string& body,
                    const std::string& contentType,
                    const std::function<bool(std::string_view)>* onData) {
  initCurlOnce();
  CURL* curl = curl_easy_init();
  if (!curl) throw CliError("cannot initialise libcurl");
  ApiResponse out;
  Sink sink{curl, &out.body, onData};
  std::string url = server + path;
  curl_slist* headers = nullptr;
  if (!token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  if (!body.empty() || method == "POST" || method == "PUT") {
    headers = curl_slist_append(headers, ("Content-Type: " + contentType).c_str());
  }
  if (onData) headers = curl_slist_append(headers, "Accept: text/event-stream");
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "parley-cli/" PARLEY_VERSION);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  if (!onData) curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, writeBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  char* ct = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
  if (ct) out.contentType = ct;
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc == CURLE_WRITE_ERROR && onData) return out;  // the reader stopped on purpose
  if (rc != CURLE_OK) {
    std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    if (out.status == 0) {
      throw CliError("cannot reach the Parley server at " + server + " (" + why +
                     "). Is it running? Choose another one with --server or PARLEY_SERVER.");
    }
    throw CliError("the connection to " + server + " failed: " + why);
  }
  return out;
}

}  // namespace

json ApiResponse::json() const {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

ApiClient::ApiClient(std::string server, std::string token)
    : server_(std::move(server)), token_(std::move(token)) {}

ApiResponse ApiClient::send(const std::string& method, const std::string& path,
                            const std::string& body, const std::string& contentType) const {
  return perform(server_, token_, method, path, body, contentType, nullptr);
}

json ApiClient::call(const std::string& method, const std::string& path, const json& body) const {
  ApiResponse r = send(method, path, body.is_null() ? std::string() : body.dump());
  if (r.status < 200 || r.status >= 300) fail(r, method, path);
  return r.json();
}

void ApiClient::fail(const ApiResponse& r, const std::string& method, const std::string& path) const {
  if (r.status == 404 && r.body.find("no route matches") != std::string::npos) {
    std::string route = path.substr(0, path.find('?'));
    throw CliError("the server at " + server_ + " has no " + method + " " + route +
                   " (is it an older Parley version?)");
  }
  throw CliError(errorMessage(r, server_));
}

void ApiClient::stream(const std::string& path,
                       const std::function<bool(std::string_view)>& onData) const {
  ApiResponse r = perform(server_, token_, "GET", path, {}, {}, &onData);
  if (r.status >= 300) throw CliError(errorMessage(r, server_));
}

std::string errorMessage(const ApiResponse& r, const std::string& server) {
  json j = r.json();
  if (r.status == 401) {
    return "your login to " + server + " is missing or has expired: run `parley login`";
  }
  if (!j.is_object() || !j.value("error", json()).is_object()) {
    std::string body = r.body.size() > 300 ? r.body.substr(0, 300) + "…" : r.body;
    return "the server answered HTTP " + std::to_string(r.status) + (body.empty() ? "" : ": " + body);
  }
  const json& e = j["error"];
  std::string msg = e.value("message", "HTTP " + std::to_string(r.status));
  const json details = e.value("details", json::object());
  if (details.is_object()) {
    if (details.value("fields", json()).is_array()) {
      for (const json& f : details["fields"]) {
        msg += "\n  " + f.value("field", std::string("?")) + ": " + f.value("message", std::string());
      }
    }
    if (details.contains("line")) {
      msg += " (line " + details["line"].dump();
      if (details.contains("column")) msg += ", column " + details["column"].dump();
      msg += ")";
    }
  }
  return msg;
}

std::string Session::accountPath() const { return "/api/v1/accounts/" + urlEncode(account); }

std::string Session::functionPath(const std::string& name) const {
  return accountPath() + "/functions/" + urlEncode(name);
}

std::string resolveServer(const Globals& g) {
  std::string s = g.server;
  if (s.empty()) s = lastServer().value_or(kDefaultServer);
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.find("://") == std::string::npos) s = "http://" + s;
  return s;
}

Session openSession(const Globals& g, bool needAccount) {
  std::string server = resolveServer(g);
  auto login = loadLogin(server);
  if (!login || login->token.empty()) {
    throw CliError("you are not logged in to " + server + ": run `parley login --server " + server + "`");
  }
  if (!login->expiresAt.empty()) {
    int64_t expires = parseIsoTime(login->expiresAt);
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
    if (expires > 0 && expires <= now) {
      throw CliError("your login to " + server + " expired at " + login->expiresAt +
                     ": run `parley login`");
    }
  }
  std::string account = g.account.empty() ? login->account : g.account;
  if (needAccount && account.empty()) {
    throw usageError("which account? Give --account ID or set PARLEY_ACCOUNT (or log in with --account)");
  }
  return Session{server, account, ApiClient(server, login->token)};
}

std::string urlEncode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace parley::cli
