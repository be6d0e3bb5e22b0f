#include "http/router.h"

#include <algorithm>
#include <cassert>
#include <optional>
#include <set>

#include "http/response_writer.h"

namespace parley::http {
namespace {

bool isParam(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// "/a/b/" → {"a", "b"}; "/" → {}. Empty segments in the middle ("/a//b") are kept: they match no
// parameter and no literal, so such a path finds no route.
std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Routes are ranked by where their literal segments are: at the first position where two
// matching routes differ, the literal wins.
bool moreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool la = !isParam(a[i]);
    bool lb = !isParam(b[i]);
    if (la != lb) return la;
  }
  return false;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, std::string summary) {
  for (char& c : method) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  assert(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments;
  for (std::string_view s : splitPath(pattern)) segments.emplace_back(s);
#ifndef NDEBUG
  for (size_t i = 0; i < routes_.size(); ++i) {
    assert(!(routes_[i].method == method && segments_[i] == segments) && "duplicate route");
  }
#endif
  routes_.push_back({std::move(method), std::move(pattern), std::move(summary)});
  handlers_.push_back(std::move(handler));
  segments_.push_back(std::move(segments));
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match result;
  result.status = 404;
  if (path.empty() || path.front() != '/') return result;

  std::vector<std::string> segments;
  for (std::string_view segment : splitPath(path)) segments.emplace_back(segment);

  // Best route for the exact method, and for GET in case the request is a HEAD without a HEAD
  // route of its own.
  std::optional<size_t> best;
  std::optional<size_t> bestGet;
  std::set<std::string> allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = segments_[i];
    if (pattern.size() != segments.size()) continue;
    bool matches = true;
    for (size_t s = 0; s < pattern.size() && matches; ++s) {
      matches = isParam(pattern[s]) ? !segments[s].empty() : pattern[s] == segments[s];
    }
    if (!matches) continue;
    const std::string& routeMethod = routes_[i].method;
    allowed.insert(routeMethod);
    if (routeMethod == method) {
      if (!best || moreSpecific(pattern, segments_[*best])) best = i;
    } else if (method == "HEAD" && routeMethod == "GET") {
      if (!bestGet || moreSpecific(pattern, segments_[*bestGet])) bestGet = i;
    }
  }
  if (!best) best = bestGet;
  if (!best) {
    if (!allowed.empty()) {
      result.status = 405;
      if (allowed.count("GET")) allowed.insert("HEAD");
      result.allowed.assign(allowed.begin(), allowed.end());
    }
    return result;
  }

  const auto& pattern = segments_[*best];
  for (size_t s = 0; s < pattern.size(); ++s) {
    if (isParam(pattern[s])) {
      result.params[pattern[s].substr(1, pattern[s].size() - 2)] = std::move(segments[s]);
    }
  }
  result.handler = &handlers_[*best];
  result.status = 200;
  return result;
}

void Router::dispatch(Request& request, Respond respond) const {
  Match m = match(request.method, request.path);
  if (!m.handler) {
    if (m.status == 405) {
      std::string allow;
      for (const auto& method : m.allowed) {
        if (!allow.empty()) allow += ", ";
        allow += method;
      }
      Response r =
          errorResponse(405, "method_not_allowed",
                        "method " + request.method + " is not allowed here; allowed: " + allow);
      r.headers.emplace("Allow", allow);
      respond(std::move(r));
    } else {
      respond(errorResponse(404, "not_found", "no route matches this path"));
    }
    return;
  }
  request.params = std::move(m.params);
  (*m.handler)(request, std::move(respond));
}

}  // namespace parley::http
