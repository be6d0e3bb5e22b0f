#include "support/fake_salesforce.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>

#include "http/server.h"

namespace parley::testing {
namespace {

using nlohmann::json;

http::Response sfError(int status, const std::string& code, const std::string& message,
                       json fields = json::array()) {
  json body = json::array({{{"message", message}, {"errorCode", code}, {"fields", fields}}});
  return http::Response::json(status, body.dump());
}

}  // namespace

FakeSalesforce::FakeSalesforce(std::string token) : token_(std::move(token)) {
  http::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 1;
  auto s = http::Server::start(o, [this](http::Request& r, http::Respond respond) {
    if (r.header("Authorization").value_or("") != "Bearer " + token_) {
      return respond(sfError(401, "INVALID_SESSION_ID", "Session expired or invalid"));
    }
    static const std::regex route(R"(^/services/data/v(\d+\.\d+)/(query|sobjects)(?:/([^/]*))?(?:/([^/]+))?/?$)");
    std::smatch m;
    if (!std::regex_match(r.path, m, route)) {
      return respond(sfError(404, "NOT_FOUND", "The requested resource does not exist"));
    }
    const std::string version = m[1], kind = m[2], a = m[3], b = m[4];
    std::lock_guard lock(mu_);
    if (kind == "query" && r.method == "GET") {
      if (!a.empty()) {
        auto it = cursors_.find(a);
        if (it == cursors_.end()) return respond(sfError(400, "INVALID_QUERY_LOCATOR", "invalid query locator"));
        return respond(http::Response::json(200, page(version, it->second, a).dump()));
      }
      std::string q = r.queryParam("q").value_or("");
      static const std::regex from(R"(\bFROM\s+([A-Za-z0-9_]+))", std::regex::icase);
      std::smatch fm;
      if (!std::regex_search(q, fm, from)) {
        return respond(sfError(400, "MALFORMED_QUERY", "unexpected token: '" + q + "'"));
      }
      Cursor c;
      c.records = json::array();
      for (const auto& [id, fields] : records_[fm[1]]) c.records.push_back(fields);
      std::string cursorId = "01g" + std::to_string(cursors_.size() + 1);
      Cursor& stored = cursors_[cursorId] = std::move(c);
      return respond(http::Response::json(200, page(version, stored, cursorId).dump()));
    }
    if (kind != "sobjects" || a.empty()) {
      return respond(sfError(404, "NOT_FOUND", "The requested resource does not exist"));
    }
    auto& table = records_[a];
    if (r.method == "POST" && b.empty()) {
      json in = json::parse(r.body, nullptr, false);
      if (!in.is_object()) return respond(sfError(400, "JSON_PARSER_ERROR", "The body is not JSON"));
      if (!in.contains("Name")) {
        return respond(sfError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]",
                               json::array({"Name"})));
      }
      std::string id = "001" + std::to_string(nextId_++);
      in["Id"] = id;
      in["attributes"] = {{"type", a}, {"url", "/services/data/v" + version + "/sobjects/" + a + "/" + id}};
      table[id] = in;
      return respond(http::Response::json(
          201, json{{"id", id}, {"success", true}, {"errors", json::array()}}.dump()));
    }
    auto it = table.find(b);
    if (b.empty() || it == table.end()) {
      return respond(sfError(404, "NOT_FOUND", "The requested resource does not exist"));
    }
    if (r.method == "GET") return respond(http::Response::json(200, it->second.dump()));
    http::Response none;
    none.status = 204;
    if (r.method == "PATCH") {
      json in = json::parse(r.body, nullptr, false);
      if (!in.is_object() || in.contains("Id")) {
        return respond(sfError(400, "INVALID_FIELD", "Id is not an updatable field"));
      }
      it->second.update(in);
      return respond(none);
    }
    if (r.method == "DELETE") {
      table.erase(it);
      return respond(none);
    }
    respond(sfError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + r.method + "' not allowed"));
  });
  if (!s.ok()) throw std::runtime_error(s.error().message());
  server_ = std::move(*s);
}

FakeSalesforce::~FakeSalesforce() {
  server_->stop();
}

json FakeSalesforce::page(const std::string& version, Cursor& c, const std::string& cursorId) {
  queryPages_++;
  json records = json::array();
  for (size_t i = 0; i < 2 && c.next < c.records.size(); ++i) records.push_back(c.records[c.next++]);
  bool done = c.next >= c.records.size();
  json out = {{"totalSize", c.records.size()}, {"done", done}, {"records", records}};
  if (!done) out["nextRecordsUrl"] = "/services/data/v" + version + "/query/" + cursorId;
  return out;
}

std::string FakeSalesforce::base() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

int FakeSalesforce::queryPages() const {
  std::lock_guard lock(mu_);
  return queryPages_;
}

}  // namespace parley::testing
