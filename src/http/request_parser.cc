#include "http/request_parser.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/optional.hpp>
#include <optional>

#include "http/uri.h"

namespace parley::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

// Beast's parser (framing, chunked bodies, limits) writing straight into Parley's Request: no
// intermediate field container to copy from. One per request.
class Parser final : public bhttp::basic_parser<true> {
 public:
  explicit Parser(Request& request) : request_(request) {}

  bool sawTransferEncoding = false;
  bool expectsContinue = false;  // an "Expect: 100-continue" field
  unsigned version = 11;

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target,
                       int httpVersion, beast::error_code&) override {
    request_.method.assign(method.data(), method.size());
    request_.target.assign(target.data(), target.size());
    version = static_cast<unsigned>(httpVersion);
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code& ec) override {
    ec = bhttp::error::bad_version;  // never: this is a request parser
  }
  void on_field_impl(bhttp::field name, beast::string_view nameString, beast::string_view value,
                     beast::error_code&) override {
    if (name == bhttp::field::transfer_encoding) sawTransferEncoding = true;
    if (name == bhttp::field::expect && beast::iequals(value, "100-continue")) expectsContinue = true;
    request_.headers.emplace(std::string(nameString), std::string(value));
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
    // Beast has refused a length over the body limit already.
    if (length) request_.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  Request& request_;
};

}  // namespace

struct RequestParser::Impl {
  std::optional<Parser> parser;
  bool expectContinue = false;  // the current request asked for 100-continue
};

RequestParser::RequestParser(ParseLimits limits)
    : limits_(limits), impl_(std::make_unique<Impl>()) {
  reset();
}

RequestParser::~RequestParser() = default;

void RequestParser::reset() {
  current_ = {};
  auto& p = impl_->parser.emplace(current_.request);
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
  const Parser& p = *impl_->parser;
  Request& r = current_.request;
  for (char& c : r.method) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }

  // Beast takes a Transfer-Encoding without a final "chunked" as "no body", but a request framed
  // like that is ambiguous (RFC 9112 §6.3): refuse it rather than guess, as proxies may differ.
  if (p.sawTransferEncoding && !p.chunked()) {
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

  current_.version = p.version;
  current_.keepAlive = p.keep_alive();
  impl_->expectContinue = p.version >= 11 && p.expectsContinue && !p.is_done();
}

bool RequestParser::takeContinue() {
  auto& p = *impl_->parser;
  if (!impl_->expectContinue || status_ != Status::kNeedMore) return false;
  impl_->expectContinue = false;
  return p.is_header_done() && !p.is_done() && current_.request.body.empty();
}

void RequestParser::onComplete() { status_ = Status::kComplete; }

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
