// Fuzz target: raw bytes → the server's request parser → the router → response serialization,
// with no sockets. The parser is fed the input twice — whole, and cut in pieces at points taken
// from the input — and both runs must agree on every request they complete (incremental parsing
// is where framing bugs hide). Small limits make the 413/431 paths reachable.
//
// Built two ways (tests/fuzz/CMakeLists.txt): with libFuzzer under clang, and as a plain program
// (corpus_driver.cc) that runs the seed corpus in ctest.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_parser.h"
#include "http/response_writer.h"
#include "http/router.h"

namespace {

using namespace parley::http;

const Router& router() {
  static const Router* r = [] {
    auto* router = new Router;
    auto echo = [](Request& req, Respond respond) {
      Response resp = Response::text(200, req.method + " " + req.path + " " + req.param("fn"));
      for (const auto& [name, value] : req.query) resp.headers.emplace("X-Q-" + name, value);
      respond(std::move(resp));
    };
    router->add("GET", "/", echo);
    router->add("GET", "/api/v1/accounts/{acct}/functions", echo);
    router->add("POST", "/api/v1/accounts/{acct}/functions", echo);
    router->add("GET", "/api/v1/accounts/{acct}/functions/{fn}", echo);
    router->add("PUT", "/api/v1/accounts/{acct}/functions/{fn}", echo);
    router->add("POST", "/api/v1/accounts/{acct}/functions/{fn}/invoke", echo);
    router->add("GET", "/api/v1/accounts/default/functions/{fn}", echo);
    router->add("GET", "/api/v1/accounts/{acct}/functions/count", echo);
    return router;
  }();
  return *r;
}

struct Seen {
  std::string method, target, path, body;
  size_t headers = 0, query = 0;
  bool keepAlive = false;
  bool operator==(const Seen&) const = default;
};

struct Run {
  std::vector<Seen> requests;
  bool failed = false;
};

// What the server does with one parsed request: route it and serialize the answer.
void serve(ParsedRequest& parsed) {
  Response response;
  bool answered = false;
  router().dispatch(parsed.request, [&](Response r) {
    response = std::move(r);
    answered = true;
  });
  if (!answered) __builtin_trap();
  sanitizeStatus(response);
  ResponseHeadOptions options;
  options.version = parsed.version;
  options.contentLength = response.body.size();
  options.connection = parsed.keepAlive ? ConnectionHeader::kNone : ConnectionHeader::kClose;
  std::string head = serializeResponseHead(response, options);
  // The head is one status line and fields: no bare CR or LF can come from the request.
  if (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) __builtin_trap();
  if (head.find("\r\n\r\n") != head.size() - 4) __builtin_trap();
}

// Feeds `input` in the given pieces, as a connection does: unused bytes wait for the next piece.
Run parse(std::string_view input, const std::vector<size_t>& cuts, const ParseLimits& limits,
          bool route) {
  Run run;
  RequestParser parser(limits);
  std::string buffer;
  size_t pos = 0;
  for (size_t i = 0; i <= cuts.size() && !run.failed; ++i) {
    size_t end = i < cuts.size() ? cuts[i] : input.size();
    buffer.append(input.substr(pos, end - pos));
    pos = end;
    while (!buffer.empty()) {
      size_t used = parser.feed(buffer);
      if (used > buffer.size()) __builtin_trap();
      buffer.erase(0, used);
      if (parser.status() == RequestParser::Status::kComplete) {
        ParsedRequest parsed = parser.take();
        const Request& r = parsed.request;
        run.requests.push_back({r.method, r.target, r.path, r.body, r.headers.size(),
                                r.query.size(), parsed.keepAlive});
        if (parsed.request.body.size() > static_cast<size_t>(limits.maxBodyBytes)) {
          __builtin_trap();
        }
        if (route) serve(parsed);
        continue;
      }
      if (parser.status() == RequestParser::Status::kFailed) {
        const ParseFailure& f = parser.failure();
        if (f.status != 400 && f.status != 413 && f.status != 431) __builtin_trap();
        (void)errorJson(f.code, f.message);
        run.failed = true;
      }
      break;
    }
  }
  if (!run.failed) parser.endOfInput();
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ParseLimits limits;
  limits.maxHeaderBytes = 2048;
  limits.maxBodyBytes = 512;

  Run whole = parse(input, {}, limits, /*route=*/true);

  // Cut points derived from the input itself, so that the fuzzer controls them too.
  std::vector<size_t> cuts;
  if (size > 1) {
    size_t step = 1 + data[0] % 7;
    if (size > 4096) step = 1 + size / 64;  // bound the work on big inputs
    for (size_t p = step; p < size; p += step) cuts.push_back(p);
  }
  Run pieces = parse(input, cuts, limits, /*route=*/false);

  // Whatever both runs completed must be identical; a request one run completes the other may
  // only leave incomplete, never refuse.
  size_t common = std::min(whole.requests.size(), pieces.requests.size());
  for (size_t i = 0; i < common; ++i) {
    if (!(whole.requests[i] == pieces.requests[i])) __builtin_trap();
  }
  if (whole.failed && pieces.requests.size() > whole.requests.size()) __builtin_trap();
  if (pieces.failed && whole.requests.size() > pieces.requests.size()) __builtin_trap();

  // The one-shot helper agrees with the incremental parser on the first request.
  size_t consumed = 0;
  auto first = parseRequest(input, limits, &consumed);
  if (first.ok() && (whole.requests.empty() || first->request.target != whole.requests[0].target)) {
    __builtin_trap();
  }
  if (first.ok() && consumed > size) __builtin_trap();
  return 0;
}
