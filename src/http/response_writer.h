// Response serialization: the status line and header fields the server writes, the JSON error
// shape, chunk framing. Pure functions, thread-safe. Internal to the HTTP layer; exposed for
// tests and the fuzz target.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.h"

namespace parley::http {

// How the body of a response is delimited on the wire.
enum class BodyFraming {
  kNone,           // no body allowed (1xx, 204, 304): no Content-Length either
  kContentLength,  // Content-Length: contentLength
  kChunked,        // Transfer-Encoding: chunked (streams, HTTP/1.1)
  kUntilClose,     // the body ends when the connection closes (streams, HTTP/1.0)
};

enum class ConnectionHeader {
  kNone,       // HTTP/1.1 default: persistent
  kKeepAlive,  // HTTP/1.0 client that asked for keep-alive
  kClose,      // the server closes the connection after this response
};

struct ResponseHeadOptions {
  unsigned version = 11;  // the request's HTTP version: 10 or 11
  BodyFraming framing = BodyFraming::kContentLength;
  std::uint64_t contentLength = 0;
  ConnectionHeader connection = ConnectionHeader::kNone;
};

// The status line and header fields of `response`, ending with the blank line. The server owns
// framing and connection management: the handler's Content-Length, Transfer-Encoding,
// Connection and Keep-Alive fields are replaced by what `options` says. Date and Server are added
// unless the handler set them. Fields whose name is not a token or whose value holds CR, LF or
// NUL are dropped, so that a handler cannot split the response.
std::string serializeResponseHead(const Response& response, const ResponseHeadOptions& options);

// True when the handler's own headers ask to close the connection ("Connection: close").
bool responseWantsClose(const Response& response);

// May a response with this status carry a body (RFC 9110 §6.4.1)?
bool statusAllowsBody(int status);

// {"error":{"code":code,"message":message}} with JSON string escaping.
std::string errorJson(std::string_view code, std::string_view message);
Response errorResponse(int status, std::string_view code, std::string_view message);

// A status no final response may have (below 200 or above 999) becomes a 500 error response.
void sanitizeStatus(Response& response);

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), as the Date field wants.
std::string httpDate(std::chrono::system_clock::time_point t);

// Appends `data` as one chunk of a chunked body (nothing for empty data: an empty chunk would end
// the body). kLastChunk ends it.
void appendChunk(std::string& out, std::string_view data);
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace parley::http
