#include "api/invocation_input.h"

#include <nlohmann/json.hpp>

#include "base/json_scan.h"

namespace parley::api {

using json = nlohmann::json;

Result<std::string> invocationInput(http::Request& request) {
  std::string& body = request.body;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return std::string("{}");
  JsonTopLevel top;
  if (!scanJson(body, &top)) {
    // Only a refused body pays for the full parser, for its message with the position.
    try {
      json parsed = json::parse(body);  // (a (void) cast does not quiet GCC's warn_unused_result)
      (void)parsed;
    } catch (const json::parse_error& e) {
      return Error::invalidArgument(std::string("The body is not valid JSON: ") + e.what());
    }
    return Error::invalidArgument("The body is not valid JSON");  // e.g. a byte order mark
  }
  if (!top.isObject) return Error::invalidArgument("The body must be a JSON object");
  bool hasPayload = false, hasHeaders = false;
  char headersStart = 'n';
  for (const JsonTopLevel::Member& m : top.members) {
    std::string key(m.key);
    if (key.find('\\') != std::string::npos) key = json::parse("\"" + key + "\"").get<std::string>();
    if (key == "payload") hasPayload = true;
    if (key == "headers") {
      hasHeaders = true;
      headersStart = m.valueStart;  // the last one wins, as in JSON.parse
    }
  }
  if (!hasPayload && !hasHeaders && !top.members.empty()) {
    return "{\"payload\":" + body + "}";  // a bare payload is accepted too
  }
  if (hasHeaders && headersStart != '[' && headersStart != '{' && headersStart != 'n') {
    return Error::invalidArgument("'headers' must be a list of {key, value} or an object");
  }
  return std::move(body);  // the members' keys above point into it: used by now
}

}  // namespace parley::api
