#include "http/request_parser.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>

#include "http/uri.h"

namespace parley::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

struct RequestParser::Impl {
  std::optional<bhttp::request_parser<bhttp::string_body>> parser;
  bool expectContinue = false;  // the current request asked for 100-continue
};

RequestParser::RequestParser(ParseLimits limits)
    : limits_(limits), impl_(std::make_unique<Impl>()) {
  reset();
}

RequestParser::~RequestParser() = default;

void RequestParser::reset() {
  auto& p = impl_->parser.emplace();
  // Beast applies its header limit to the request line and to the fields separately; the total
  // is checked here (see feed), so the same limit is a safe upper bound for both.
  p.header_limit(
      static_cast<std::uint32_t>(std::min<std::size_t>(limits_.maxHeaderBytes, UINT32_MAX)));
  p.body_limit(static_cast<std::uint64_t>(std::max<int64_t>(limits_.maxBodyBytes, 0)));
  // Not eager until the header is complete: put() then stops right after the header, which tells
  // exactly how many bytes the header took.
  p.eager(false);
  impl_->expectContinue = false;
  status_ = Status::kNeedMore;
  headerBytes_ = 0;
  current_ = {};
}

bool RequestParser::inProgress() const {
  return impl_->parser->got_some();
}

void RequestParser::fail(int status, std::string code, std::string message) {
  status_ = Status::kFailed;
  failure_ = {status, std::move(code), std::move(message)};
}

std::size_t RequestParser::feed(std::string_view data) {
  if (status_ != Status::kNeedMore) return 0;
  auto& p = *impl_->parser;
  std::size_t used = 0;
  // Empty lines before a request line are ignored (RFC 9112 §2.2): some clients send a CRLF
  // after a POST body.
  if (!p.got_some()) {
    while (used < data.size() && (data[used] == '\r' || data[used] == '\n')) ++used;
  }
  while (used < data.size() && status_ == Status::kNeedMore) {
    const bool headerWasDone = p.is_header_done();
    beast::error_code ec;
    std::size_t n = p.put(boost::asio::const_buffer(data.data() + used, data.size() - used), ec);
    used += n;
    if (!headerWasDone) headerBytes_ += n;
    if (ec == bhttp::error::need_more) {
      // The header is not complete in what is buffered: if what is buffered already reaches the
      // limit, the header will exceed it.
      if (!p.is_header_done() && headerBytes_ + (data.size() - used) >= limits_.maxHeaderBytes) {
        fail(431, "headers_too_large",
             "request header exceeds " + std::to_string(limits_.maxHeaderBytes) + " bytes");
      }
      break;
    }
    if (ec == bhttp::error::header_limit) {
      fail(431, "headers_too_large",
           "request header exceeds " + std::to_string(limits_.maxHeaderBytes) + " bytes");
      break;
    }
    if (ec == bhttp::error::body_limit) {
      fail(413, "payload_too_large",
           "request body exceeds " + std::to_string(limits_.maxBodyBytes) + " bytes");
      break;
    }
    if (ec) {
      fail(400, "bad_request", "malformed request: " + ec.message());
      break;
    }
    if (!headerWasDone && p.is_header_done()) {
      if (headerBytes_ > limits_.maxHeaderBytes) {
        fail(431, "headers_too_large",
             "request header exceeds " + std::to_string(limits_.maxHeaderBytes) + " bytes");
        break;
      }
      onHeaderDone();
      if (status_ == Status::kFailed) break;
      p.eager(true);
    }
    if (p.is_done()) {
      onComplete();
      break;
    }
    if (n == 0) break;  // Beast wants more bytes without saying so; wait for them
  }
  return used;
}

void RequestParser::onHeaderDone() {
  auto& p = *impl_->parser;
  const auto& h = p.get();
  Request& r = current_.request;

  r.method.assign(h.method_string().data(), h.method_string().size());
  for (char& c : r.method) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  r.target.assign(h.target().data(), h.target().size());

  // Beast takes a Transfer-Encoding without a final "chunked" as "no body", but a request framed
  // like that is ambiguous (RFC 9112 §6.3): refuse it rather than guess, as proxies may differ.
  if (h.find(bhttp::field::transfer_encoding) != h.end() && !p.chunked()) {
    fail(400, "bad_request", "unsupported Transfer-Encoding");
    return;
  }

  std::string_view rawPath = targetPath(r.target);
  if (rawPath.empty() || (rawPath.front() != '/' && rawPath != "*")) {
    fail(400, "bad_request", "request target must be a path");
    return;
  }
  auto path = percentDecode(rawPath);
  if (!path) {
    fail(400, "bad_request", "invalid percent-encoding in path");
    return;
  }
  r.path = std::move(*path);
  auto query = parseQuery(targetQuery(r.target));
  if (!query) {
    fail(400, "bad_request", "invalid percent-encoding in query");
    return;
  }
  r.query = std::move(*query);

  for (const auto& field : h) {
    r.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  current_.version = h.version();
  current_.keepAlive = h.keep_alive();
  auto expect = h.find(bhttp::field::expect);
  impl_->expectContinue = h.version() >= 11 && expect != h.end() &&
                          beast::iequals(expect->value(), "100-continue") && !p.is_done();
}

bool RequestParser::takeContinue() {
  auto& p = *impl_->parser;
  if (!impl_->expectContinue || status_ != Status::kNeedMore) return false;
  impl_->expectContinue = false;
  return p.is_header_done() && !p.is_done() && p.get().body().empty();
}

void RequestParser::onComplete() {
  current_.request.body = std::move(impl_->parser->get().body());
  status_ = Status::kComplete;
}

void RequestParser::endOfInput() {
  if (status_ == Status::kNeedMore && inProgress()) {
    fail(400, "bad_request", "request incomplete: the connection was closed");
  }
}

ParsedRequest RequestParser::take() {
  ParsedRequest out = std::move(current_);
  reset();
  return out;
}

Result<ParsedRequest> parseRequest(std::string_view raw, const ParseLimits& limits,
                                   std::size_t* consumed) {
  RequestParser parser(limits);
  std::size_t used = parser.feed(raw);
  if (parser.status() == RequestParser::Status::kNeedMore) parser.endOfInput();
  if (parser.status() == RequestParser::Status::kNeedMore) {
    return Error::invalidArgument("request incomplete");
  }
  if (parser.status() == RequestParser::Status::kFailed) {
    const ParseFailure& f = parser.failure();
    if (f.status == 413 || f.status == 431) return Error::tooLarge(f.message);
    return Error::invalidArgument(f.message);
  }
  if (consumed) *consumed = used;
  return parser.take();
}

}  // namespace parley::http
