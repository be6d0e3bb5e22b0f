// HTTP request and response as the application sees them: plain values, no Beast types.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::http {

// Case-insensitive header map (names compared ASCII-case-insensitively).
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;  // "GET", "POST", ... (upper case)
  std::string target;  // as received: path + query
  std::string path;    // percent-decoded path, without the query
  std::multimap<std::string, std::string> query;  // decoded query parameters
  Headers headers;
  std::string body;
  std::string remoteAddress;  // peer IP
  bool secure = false;        // arrived over TLS
  // Filled by the router: values of "{name}" segments of the matched route, percent-decoded.
  std::map<std::string, std::string> params;

  std::optional<std::string> header(std::string_view name) const;
  std::optional<std::string> queryParam(std::string_view name) const;
  const std::string& param(const std::string& name) const;  // "" when absent
};

// Server-Sent Events and other streamed bodies. write() and close() are thread-safe and may be
// called from any thread after the response started; write() returns false once the client is
// gone (the producer should stop).
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual bool write(std::string data) = 0;
  virtual void close() = 0;
  // Flow control, for producers that make data faster than a client may read it (exports):
  // calls `resume` once, on an I/O thread and never inside this call, when at most `lowWater`
  // bytes written are not yet sent. If the stream ends first (closed, client gone, server
  // stopping), `resume` is destroyed without being called.
  virtual void whenWritable(std::size_t lowWater, std::function<void()> resume) = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is streamed: the server sends status and headers (chunked), then calls
  // this with the stream; the stream stays open until closed by either side.
  std::function<void(std::shared_ptr<ResponseStream>)> stream;

  static Response json(int status, std::string body);
  static Response text(int status, std::string body, std::string contentType = "text/plain; charset=utf-8");
};

// Handlers answer asynchronously: `respond` may be called later from any thread, exactly once.
using Respond = std::function<void(Response)>;
using Handler = std::function<void(Request&, Respond)>;

}  // namespace parley::http
