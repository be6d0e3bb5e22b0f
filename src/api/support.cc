#include "api/support.h"

#include <ctime>

namespace parley::api {

int httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
  }
  return 500;
}

http::Response jsonResponse(int status, const json& body) {
  return http::Response::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

http::Response errorResponse(const Error& error) {
  json details = error.details().empty() ? json::object()
                                         : json::parse(error.details(), nullptr, false);
  if (details.is_discarded()) details = json::object();
  json body = {{"error", {{"code", errorCodeName(error.code())},
                          {"message", error.message()},
                          {"details", details}}}};
  http::Response r = jsonResponse(httpStatus(error.code()), body);
  if (error.code() == ErrorCode::kUnauthenticated) {
    r.headers.emplace("WWW-Authenticate", "Bearer realm=\"parley\"");
  }
  if (error.code() == ErrorCode::kResourceExhausted) {
    int64_t after = details.is_object() ? details.value("retryAfterSeconds", int64_t{1}) : 1;
    r.headers.emplace("Retry-After", std::to_string(after));
  }
  return r;
}

Result<json> jsonBody(const http::Request& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  json body;
  try {
    body = json::parse(request.body);  // the exception carries the position of the problem
  } catch (const json::parse_error& e) {
    return Error::invalidArgument(std::string("The body is not valid JSON: ") + e.what());
  }
  if (!body.is_object()) return Error::invalidArgument("The body must be a JSON object");
  return body;
}

Result<std::string> stringField(const json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Error::invalidArgument(std::string("'") + name + "' is required");
    return std::string();
  }
  if (!it->is_string()) return Error::invalidArgument(std::string("'") + name + "' must be a string");
  return it->get<std::string>();
}

namespace {

std::string cookie(const http::Request& request, const std::string& name) {
  auto header = request.header("Cookie");
  if (!header) return {};
  const std::string& h = *header;
  size_t pos = 0;
  while (pos < h.size()) {
    size_t end = h.find(';', pos);
    if (end == std::string::npos) end = h.size();
    std::string part = h.substr(pos, end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

}  // namespace

Result<control::Principal> authenticate(control::IdentityService& identity,
                                        const http::Request& request) {
  if (auto auth = request.header("Authorization")) {
    const std::string& a = *auth;
    if (a.size() > 7 && (a.rfind("Bearer ", 0) == 0 || a.rfind("bearer ", 0) == 0)) {
      return identity.authenticate(a.substr(7));
    }
    return Error::unauthenticated("The Authorization header must be 'Bearer <token>'");
  }
  std::string session = cookie(request, "parley_session");
  if (session.empty()) {
    return Error::unauthenticated("Log in first: send 'Authorization: Bearer <token>'");
  }
  const std::string& m = request.method;
  if (m != "GET" && m != "HEAD" && m != "OPTIONS") {
    std::string csrf = cookie(request, "parley_csrf");
    auto header = request.header("X-CSRF-Token");
    if (csrf.empty() || !header || *header != csrf) {
      return Error::permissionDenied("Missing or wrong X-CSRF-Token header");
    }
  }
  return identity.authenticate(session);
}

std::optional<control::Principal> allow(control::IdentityService& identity,
                                        const http::Request& request, control::Action action,
                                        const http::Respond& respond) {
  auto p = authenticate(identity, request);
  if (!p.ok()) {
    respond(errorResponse(p.error()));
    return std::nullopt;
  }
  if (Status s = identity.authorize(*p, request.param("acct"), action); !s.ok()) {
    respond(errorResponse(s.error()));
    return std::nullopt;
  }
  return std::move(*p);
}

std::string isoTime(int64_t epochMs) {
  std::time_t secs = static_cast<std::time_t>(epochMs / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(epochMs % 1000));
  return buf;
}

}  // namespace parley::api
