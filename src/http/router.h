// Router: maps (method, path) to a handler. Patterns are literal segments and "{name}" segments
// ("/api/v1/accounts/{acct}/functions/{fn}"); a trailing "/" on the request path is ignored. A
// literal segment wins over a parameter at the same position. No match answers 404; a path that
// matches with another method answers 405 with an Allow header. A HEAD request uses the GET route
// when no HEAD route matches (the server drops the body). Routes are added at start-up, then the
// router is read-only (thread-safe for concurrent matching).
//
// Matching looks only at the routes with as many segments as the path, and allocates nothing
// but the parameters it returns (and the Allow list of a 405): it runs once per request.
#pragma once

#include <string>
#include <vector>

#include "http/message.h"

namespace parley::http {

struct Route {
  std::string method;
  std::string pattern;
  std::string summary;  // for the OpenAPI document
};

class Router {
 public:
  // `method` is upper-cased; `pattern` starts with '/'. Registering the same method and pattern
  // twice is a programming error (asserted; otherwise the first registration wins).
  void add(std::string method, std::string pattern, Handler handler, std::string summary = {});

  struct Match {
    const Handler* handler = nullptr;  // null when none
    std::map<std::string, std::string> params;
    int status = 200;                  // 404 or 405 when handler is null
    std::vector<std::string> allowed;  // methods, for 405
  };
  // `path` is Request::path: already percent-decoded by the server, so it is split on '/' and
  // not decoded again (decoding twice would turn "%2541" into "A"). One consequence: an encoded
  // "%2F" separates segments like "/" does, so a parameter can never contain '/'. A "{name}"
  // segment matches one non-empty segment.
  Match match(const std::string& method, const std::string& path) const;

  // Usable as the server's Handler: matches request.method and request.path, fills
  // request.params and calls the route's handler, or answers 404 / 405 (with Allow) in the JSON
  // error shape.
  void dispatch(Request& request, Respond respond) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<Handler> handlers_;
  std::vector<std::vector<std::string>> segments_;  // of each route's pattern; "{name}": a parameter
  std::vector<std::vector<size_t>> byDepth_;  // route indices by their number of segments
};

}  // namespace parley::http
