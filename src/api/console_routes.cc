// The embedded web console: static files from console_assets.h, an SPA fallback to index.html,
// and the server's handler that puts the console behind the API router (see api.h withConsole).
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/api.h"
#include "api/console_assets.h"

namespace parley::api {

namespace {

// Paths the console never answers, whether or not a route matches them: the API (native and
// LivePerson's), the token endpoint, health and operator metrics keep their JSON 404s.
bool reserved(std::string_view path) {
  for (std::string_view p : {"/api", "/sentinel", "/healthz", "/readyz", "/metrics"}) {
    if (path.substr(0, p.size()) == p && (path.size() == p.size() || path[p.size()] == '/')) {
      return true;
    }
  }
  return false;
}

const std::unordered_map<std::string_view, const ConsoleAsset*>& assetsByPath() {
  static const auto* byPath = [] {
    auto* m = new std::unordered_map<std::string_view, const ConsoleAsset*>();
    for (std::size_t i = 0; i < kConsoleAssetCount; ++i) m->emplace(kConsoleAssets[i].path, &kConsoleAssets[i]);
    return m;
  }();
  return *byPath;
}

// The console talks only to this origin. CodeMirror adds <style> elements, hence
// style-src 'unsafe-inline'; scripts are only the bundled files.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void addSecurityHeaders(http::Headers& h) {
  h.emplace("Content-Security-Policy", kContentSecurityPolicy);
  h.emplace("X-Content-Type-Options", "nosniff");
  h.emplace("X-Frame-Options", "DENY");
  h.emplace("Referrer-Policy", "same-origin");
}

bool acceptsGzip(const http::Request& r) {
  auto accept = r.header("Accept-Encoding");
  return accept && accept->find("gzip") != std::string::npos;
}

bool matchesEtag(const http::Request& r, const char* etag) {
  auto inm = r.header("If-None-Match");
  return inm && (inm->find(etag) != std::string::npos || *inm == "*");
}

http::Response assetResponse(const http::Request& r, const ConsoleAsset& a) {
  http::Response resp;
  // Hashed assets never change under their name; everything else (index.html above all, which
  // names the current hashes) is revalidated on every use.
  resp.headers.emplace("Cache-Control", a.hashed ? "public, max-age=31536000, immutable" : "no-cache");
  resp.headers.emplace("ETag", a.etag);
  addSecurityHeaders(resp.headers);
  if (a.gzip != nullptr) resp.headers.emplace("Vary", "Accept-Encoding");
  if (matchesEtag(r, a.etag)) {
    resp.status = 304;
    return resp;
  }
  resp.status = 200;
  resp.headers.emplace("Content-Type", a.contentType);
  if (a.gzip != nullptr && acceptsGzip(r)) {
    resp.headers.emplace("Content-Encoding", "gzip");
    resp.body.assign(a.gzip, a.gzipSize);
  } else {
    resp.body.assign(a.data, a.size);
  }
  return resp;
}

void serveConsole(const http::Request& r, const http::Respond& respond) {
  const auto& assets = assetsByPath();
  std::string_view path = r.path == "/" ? "/index.html" : std::string_view(r.path);
  if (auto it = assets.find(path); it != assets.end()) return respond(assetResponse(r, *it->second));
  // A client-side route ("/functions/greet/edit") gets the app; a missing file ("/assets/x.js",
  // "/favicon.ico") is a plain 404, not HTML under a script's name.
  std::string_view last = path.substr(path.find_last_of('/') + 1);
  auto index = assets.find("/index.html");
  if (last.find('.') != std::string_view::npos || index == assets.end()) {
    http::Response resp = http::Response::text(404, "Not found\n");
    addSecurityHeaders(resp.headers);
    return respond(std::move(resp));
  }
  respond(assetResponse(r, *index->second));
}

}  // namespace

http::Handler withConsole(const http::Router& router) {
  return [&router](http::Request& request, http::Respond respond) {
    bool read = request.method == "GET" || request.method == "HEAD";
    if (read && !reserved(request.path) && router.match(request.method, request.path).status == 404) {
      return serveConsole(request, respond);
    }
    router.dispatch(request, std::move(respond));
  };
}

}  // namespace parley::api
