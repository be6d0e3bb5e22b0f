// Shared pieces of the API handlers: the one place where an Error becomes an HTTP response,
// JSON body parsing, authentication of a request, and time formatting.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/result.h"
#include "control/activity.h"
#include "control/identity.h"
#include "http/message.h"

namespace parley::api {

using nlohmann::json;

// HTTP status of an error code. The only mapping from Error to HTTP in the server.
int httpStatus(ErrorCode code);
// {"error": {"code", "message", "details"}} with the right status; 401 adds WWW-Authenticate,
// 429 adds Retry-After (from details.retryAfterSeconds, default 1).
http::Response errorResponse(const Error& error);
http::Response jsonResponse(int status, const json& body);

// The request body as a JSON object (an empty body is {}); 400 naming the problem otherwise.
Result<json> jsonBody(const http::Request& request);

// Typed field access with errors that name the field ("'name' must be a string").
Result<std::string> stringField(const json& body, const char* name, bool required);

// Bearer token from the Authorization header, or the console's session cookie. For a cookie on
// an unsafe method (POST, PUT, PATCH, DELETE), the X-CSRF-Token header must match the
// parley_csrf cookie (double submit); bearer tokens are not subject to CSRF.
Result<control::Principal> authenticate(control::IdentityService& identity,
                                        const http::Request& request);

// The activity-stream actor of an authenticated principal (a user, or an API client).
inline control::Actor actorOf(const control::Principal& p) { return {p.id, p.name}; }

// Authenticates the request and authorises `action` in its {acct}; on failure answers (401, 403
// or 404) and returns nullopt.
std::optional<control::Principal> allow(control::IdentityService& identity,
                                        const http::Request& request, control::Action action,
                                        const http::Respond& respond);

// ISO 8601 UTC with milliseconds ("2020-01-27T09:59:43.000Z").
std::string isoTime(int64_t epochMs);

}  // namespace parley::api
