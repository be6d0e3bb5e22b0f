// Incremental HTTP/1.1 request parser: bytes in, `Request`s out. This is the whole of the
// server's request parsing — the server only moves bytes between the socket and this class — so
// the fuzz target (tests/fuzz/http_request_fuzz.cc) exercises exactly what the server runs.
//
// Built on Beast's parser (RFC 9112 framing, chunked bodies, Content-Length checks) plus what
// Parley adds: a total header-size limit, rejection of ambiguous Transfer-Encoding, percent-
// decoding of the path and query, upper-case methods, and the mapping of every failure to the
// status and error code the server answers with.
//
// Thread-safety: none; one parser belongs to one connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "http/message.h"

namespace parley::http {

struct ParseLimits {
  std::size_t maxHeaderBytes = 64 * 1024;  // request line + header fields + blank line
  int64_t maxBodyBytes = 8LL << 20;
};

// Why a request is refused: the status the server answers with (400, 413, 431), the error code
// for the JSON body ("bad_request", "payload_too_large", "headers_too_large") and a message.
struct ParseFailure {
  int status = 400;
  std::string code = "bad_request";
  std::string message;
};

struct ParsedRequest {
  Request request;        // remoteAddress, secure and params are left for the caller
  unsigned version = 11;  // 10 or 11
  bool keepAlive = true;  // the connection may carry another request after this one
};

class RequestParser {
 public:
  enum class Status {
    kNeedMore,  // feed more bytes
    kComplete,  // a request is ready: take() it
    kFailed,    // the input is refused: see failure(); the parser is done
  };

  explicit RequestParser(ParseLimits limits);
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses bytes from the front of `data` and returns how many it used. Bytes it did not use
  // (an incomplete header, the next pipelined request) must be presented again, with any new
  // bytes appended. Does nothing unless status() is kNeedMore.
  std::size_t feed(std::string_view data);
  // The peer sent no more bytes: a request cut short fails (400); between requests, nothing.
  void endOfInput();

  Status status() const { return status_; }
  // Some bytes of a request have been used (empty lines before a request do not count).
  bool inProgress() const;
  // True once per request when its header is complete, it asked for "Expect: 100-continue" and
  // none of its body has arrived yet: the server should then send "100 Continue".
  bool takeContinue();
  // status() == kComplete: the request. Resets the parser for the next request.
  ParsedRequest take();
  // status() == kFailed: why.
  const ParseFailure& failure() const { return failure_; }

 private:
  struct Impl;
  void reset();
  void fail(int status, std::string code, std::string message);
  void onHeaderDone();
  void onComplete();

  ParseLimits limits_;
  std::unique_ptr<Impl> impl_;
  Status status_ = Status::kNeedMore;
  std::size_t headerBytes_ = 0;
  ParsedRequest current_;
  ParseFailure failure_;
};

// One-shot parse of a single complete request in `raw` (tests, tools). `consumed`, when given,
// receives the number of bytes the request took, so that a pipelined rest can be parsed next.
// Errors: kInvalidArgument (malformed or incomplete), kTooLarge (header or body over a limit);
// the message names the problem.
Result<ParsedRequest> parseRequest(std::string_view raw, const ParseLimits& limits,
                                   std::size_t* consumed = nullptr);

}  // namespace parley::http
