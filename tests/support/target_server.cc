#include "support/target_server.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "http/server.h"

namespace parley::testing {

TargetServer::TargetServer() {
  http::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  auto s = http::Server::start(o, [this](http::Request& r, http::Respond respond) {
    requests_++;
    if (r.path == "/hello") {
      http::Response res = http::Response::text(200, "hello");
      res.headers.emplace("X-Test", "yes");
      return respond(res);
    }
    if (r.path == "/echo") {
      nlohmann::json headers = nlohmann::json::object();
      for (const auto& [n, v] : r.headers) {
        std::string lower = n;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        headers[lower] = v;
      }
      size_t q = r.target.find('?');
      nlohmann::json out = {{"method", r.method},
                            {"path", r.path},
                            {"query", q == std::string::npos ? "" : r.target.substr(q + 1)},
                            {"headers", headers},
                            {"body", r.body}};
      return respond(http::Response::json(200, out.dump()));
    }
    if (r.path == "/json") return respond(http::Response::json(200, R"({"ok":true,"n":42})"));
    if (r.path == "/status") {
      int code = std::stoi(r.queryParam("code").value_or("500"));
      return respond(http::Response::text(code, "status " + std::to_string(code)));
    }
    if (r.path == "/redirect" || r.path == "/loop") {
      http::Response res;
      res.status = r.path == "/loop" ? 302 : std::stoi(r.queryParam("status").value_or("302"));
      res.headers.emplace("Location",
                          r.path == "/loop" ? "/loop" : r.queryParam("to").value_or("/hello"));
      return respond(res);
    }
    if (r.path == "/big") {
      return respond(http::Response::text(200, std::string(std::stoul(*r.queryParam("n")), 'x')));
    }
    if (r.path == "/count") return respond(http::Response::text(200, std::to_string(++counted_)));
    if (r.path == "/slow") {
      int ms = std::stoi(r.queryParam("ms").value_or("1000"));
      std::lock_guard lock(mu_);
      sleepers_.emplace_back([ms, respond = std::move(respond)] {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        respond(http::Response::text(200, "slow"));
      });
      return;
    }
    respond(http::Response::text(404, "no"));
  });
  if (!s.ok()) throw std::runtime_error(s.error().message());
  server_ = std::move(*s);
}

TargetServer::~TargetServer() {
  // Stop first: once stop() returns no handler runs any more, so no sleeper can be added after
  // the joins below (a request arriving late, e.g. one its client had already cancelled, used to
  // add a joinable thread after the joins and end the test in std::terminate). Late answers of
  // the sleepers are dropped by the stopped server.
  server_->stop();
  std::lock_guard lock(mu_);
  for (auto& t : sleepers_) t.join();
}

std::string TargetServer::base(const std::string& host) const {
  return "http://" + host + ":" + std::to_string(server_->port());
}

uint16_t TargetServer::port() const {
  return server_->port();
}

}  // namespace parley::testing
