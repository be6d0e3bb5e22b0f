// Router: maps (method, path) to a handler. Patterns are literal segments and "{name}" segments
// ("/api/v1/accounts/{acct}/functions/{fn}"); a trailing "/" on the request path is ignored. A
// literal segment wins over a parameter at the same position. No match answers 404; a path that
// matches with another method answers 405 with an Allow header. Routes are added at start-up,
// then the router is read-only (thread-safe for concurrent matching).
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
  void add(std::string method, std::string pattern, Handler handler, std::string summary = {});

  struct Match {
    const Handler* handler = nullptr;  // null when none
    std::map<std::string, std::string> params;
    int status = 200;                  // 404 or 405 when handler is null
    std::vector<std::string> allowed;  // methods, for 405
  };
  Match match(const std::string& method, const std::string& path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<Handler> handlers_;
  std::vector<std::vector<std::string>> segments_;
};

}  // namespace parley::http
