#include "http/router.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <optional>
#include <set>

#include "http/response_writer.h"

namespace parley::http {
namespace {

bool isParam(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Calls f(segment) for each segment of `path`: "/a/b/" → "a", "b"; "/" → none. Empty segments in
// the middle ("/a//b") are kept: they match no parameter and no literal, so such a path finds no
// route. Stops early when f returns false.
template <typename F>
void forEachSegment(std::string_view path, F&& f) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return;
  while (true) {
    size_t slash = path.find('/');
    if (!f(path.substr(0, slash)) || slash == std::string_view::npos) return;
    path.remove_prefix(slash + 1);
  }
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

// The deepest route has a handful of segments; a path with more than this matches none.
constexpr size_t kMaxSegments = 32;

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, std::string summary) {
  for (char& c : method) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  assert(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments;
  forEachSegment(pattern, [&](std::string_view s) {
    segments.emplace_back(s);
    return true;
  });
  assert(segments.size() <= kMaxSegments);
#ifndef NDEBUG
  for (size_t i = 0; i < routes_.size(); ++i) {
    assert(!(routes_[i].method == method && segments_[i] == segments) && "duplicate route");
  }
#endif
  const size_t depth = segments.size();
  if (byDepth_.size() <= depth) byDepth_.resize(depth + 1);
  byDepth_[depth].push_back(routes_.size());
  routes_.push_back({std::move(method), std::move(pattern), std::move(summary)});
  handlers_.push_back(std::move(handler));
  segments_.push_back(std::move(segments));
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match result;
  result.status = 404;
  if (path.empty() || path.front() != '/') return result;

  std::array<std::string_view, kMaxSegments> segments;
  size_t depth = 0;
  bool tooDeep = false;
  forEachSegment(path, [&](std::string_view s) {
    if (depth == kMaxSegments) return !(tooDeep = true);
    segments[depth++] = s;
    return true;
  });
  if (tooDeep || depth >= byDepth_.size()) return result;

  auto matches = [&](const std::vector<std::string>& pattern) {
    for (size_t s = 0; s < depth; ++s) {
      if (isParam(pattern[s]) ? segments[s].empty() : pattern[s] != segments[s]) return false;
    }
    return true;
  };
  // Best route for the exact method, and for GET in case the request is a HEAD without a HEAD
  // route of its own.
  std::optional<size_t> best;
  std::optional<size_t> bestGet;
  bool anyMethod = false;
  for (size_t i : byDepth_[depth]) {
    const auto& pattern = segments_[i];
    if (!matches(pattern)) continue;
    anyMethod = true;
    const std::string& routeMethod = routes_[i].method;
    if (routeMethod == method) {
      if (!best || moreSpecific(pattern, segments_[*best])) best = i;
    } else if (method == "HEAD" && routeMethod == "GET") {
      if (!bestGet || moreSpecific(pattern, segments_[*bestGet])) bestGet = i;
    }
  }
  if (!best) best = bestGet;
  if (!best) {
    if (anyMethod) {
      std::set<std::string> allowed;
      for (size_t i : byDepth_[depth]) {
        if (matches(segments_[i])) allowed.insert(routes_[i].method);
      }
      if (allowed.count("GET")) allowed.insert("HEAD");
      result.status = 405;
      result.allowed.assign(allowed.begin(), allowed.end());
    }
    return result;
  }

  const auto& pattern = segments_[*best];
  for (size_t s = 0; s < depth; ++s) {
    if (isParam(pattern[s])) {
      const std::string& name = pattern[s];
      result.params.emplace(name.substr(1, name.size() - 2), segments[s]);
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
