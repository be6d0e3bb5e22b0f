#include "support/fake_platform.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "http/server.h"

namespace parley::testing {
namespace {

using nlohmann::json;

// "a=1&b=x%20y" → {a: "1", b: "x y"} ('+' is a space).
std::map<std::string, std::string> parseForm(const std::string& body) {
  std::map<std::string, std::string> out;
  auto decode = [](std::string s) {
    std::string r;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') r += ' ';
      else if (s[i] == '%' && i + 2 < s.size()) {
        r += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else r += s[i];
    }
    return r;
  };
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string pair = body.substr(start, end - start);
    size_t eq = pair.find('=');
    if (eq != std::string::npos) out[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

}  // namespace

FakePlatform::FakePlatform(std::string clientId, std::string clientSecret)
    : clientId_(std::move(clientId)), clientSecret_(std::move(clientSecret)) {
  http::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 1;
  auto s = http::Server::start(o, [this](http::Request& r, http::Respond respond) {
    static const std::regex csds(R"(^/api/account/([^/]+)/service/baseURI\.json$)");
    static const std::regex token(R"(^/sentinel/api/account/([^/]+)/token$)");
    std::smatch m;
    std::lock_guard lock(mu_);
    std::string host = "127.0.0.1:" + std::to_string(server_ ? server_->port() : 0);
    if (r.method == "GET" && std::regex_match(r.path, m, csds)) {
      csds_++;
      json uris = json::array();
      for (const char* service : {"sentinel", "msgHist", "smt", "swift", "echo"}) {
        uris.push_back({{"service", service}, {"account", m[1].str()}, {"baseURI", host}});
      }
      return respond(http::Response::json(200, json{{"baseURIs", uris}}.dump()));
    }
    if (r.method == "POST" && std::regex_match(r.path, m, token)) {
      auto form = parseForm(r.body);
      if (form["grant_type"] != "client_credentials" || form["client_id"] != clientId_ ||
          form["client_secret"] != clientSecret_) {
        return respond(http::Response::json(401, R"({"error":"invalid_client"})"));
      }
      std::string t = "tok-" + std::to_string(++tokens_);
      live_.insert(t);
      return respond(http::Response::json(
          200, json{{"access_token", t}, {"token_type", "Bearer"}, {"expires_in", 3600}}.dump()));
    }
    static const std::regex search(
        R"(^/messaging_history/api/account/([^/]+)/conversations/conversation/search$)");
    static const std::regex sde(
        R"(^/api/account/([^/]+)/monitoring/visitors/([^/]+)/visits/current/events$)");
    std::string acct = "acme";
    if (r.method == "GET" && r.path == "/auth/v1.0") {
      if (r.header("X-Auth-User").value_or("") != acct + ":gdpr" ||
          r.header("X-Auth-Key").value_or("") != "pw") {
        return respond(http::Response::text(401, "Unauthorized"));
      }
      http::Response res = http::Response::text(200, "");
      res.headers.emplace("X-Auth-Token", "swift-tok");
      res.headers.emplace("X-Storage-Url", "http://" + host + "/v1/AUTH_" + acct);
      return respond(res);
    }
    std::string storage = "/v1/AUTH_" + acct + "/";
    if (r.method == "PUT" && r.path.starts_with(storage)) {
      if (r.header("X-Auth-Token").value_or("") != "swift-tok") {
        return respond(http::Response::text(401, "Unauthorized"));
      }
      std::string path = r.path.substr(storage.size());
      if (path.starts_with("refuse/")) return respond(http::Response::text(403, "Forbidden"));
      files_.push_back({{"path", path},
                        {"contentType", r.header("Content-Type").value_or("")},
                        {"size", r.body.size()}});
      return respond(http::Response::text(201, ""));
    }
    if (r.method == "POST" && r.path == "/api/revoke") {
      live_.clear();
      return respond(http::Response::text(200, "revoked"));
    }
    std::string auth = r.header("Authorization").value_or("");
    bool authorised = auth.starts_with("Bearer ") && live_.count(auth.substr(7)) > 0;
    if (r.method == "POST" && std::regex_match(r.path, m, search)) {
      if (!authorised) return respond(http::Response::json(401, R"({"error":"unauthorized"})"));
      lastSearch_ = json::parse(r.body, nullptr, false);
      lastSearch_["query"] = r.target.substr(r.target.find('?') + 1);
      json records = json::array();
      if (lastSearch_.is_object() && conversation_.contains("info") &&
          lastSearch_.value("conversationId", "") == conversation_["info"].value("conversationId", "")) {
        records.push_back(conversation_);
      }
      return respond(http::Response::json(
          200, json{{"_metadata", {{"count", records.size()}}}, {"conversationHistoryRecords", records}}
                   .dump()));
    }
    if (r.method == "POST" && std::regex_match(r.path, m, sde)) {
      if (!authorised) return respond(http::Response::json(401, R"({"error":"unauthorized"})"));
      if (m[2] == "broken") return respond(http::Response::text(500, "boom"));
      sdes_.push_back({{"visitor", m[2].str()},
                       {"sid", r.queryParam("sid").value_or("")},
                       {"v", r.queryParam("v").value_or("")},
                       {"body", json::parse(r.body, nullptr, false)}});
      return respond(http::Response::json(200, "{}"));
    }
    if (r.path == "/api/echo") {
      if (!authorised) return respond(http::Response::json(401, R"({"error":"unauthorized"})"));
      return respond(http::Response::json(
          200, json{{"method", r.method},
                    {"authorization", auth},
                    {"requestId", r.header("X-Request-Id").value_or("")},
                    {"body", r.body}}
                   .dump()));
    }
    respond(http::Response::text(404, "no"));
  });
  if (!s.ok()) throw std::runtime_error(s.error().message());
  std::lock_guard lock(mu_);
  server_ = std::move(*s);
}

FakePlatform::~FakePlatform() {
  server_->stop();
}

std::string FakePlatform::base() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

int FakePlatform::csdsRequests() const {
  std::lock_guard lock(mu_);
  return csds_;
}

int FakePlatform::tokensIssued() const {
  std::lock_guard lock(mu_);
  return tokens_;
}

void FakePlatform::setConversation(json conversation) {
  std::lock_guard lock(mu_);
  conversation_ = std::move(conversation);
}

json FakePlatform::lastSearch() const {
  std::lock_guard lock(mu_);
  return lastSearch_;
}

json FakePlatform::sdeRequests() const {
  std::lock_guard lock(mu_);
  return sdes_;
}

json FakePlatform::storedFiles() const {
  std::lock_guard lock(mu_);
  return files_;
}

void FakePlatform::revokeTokens() {
  std::lock_guard lock(mu_);
  live_.clear();
}

}  // namespace parley::testing
