#include "http/response_writer.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <cstdio>
#include <ctime>

#include "base/strings.h"

namespace parley::http {
namespace {

namespace beast = boost::beast;

bool isTokenChar(unsigned char c) {
  // RFC 9110 §5.6.2 tchar.
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool validName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!isTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool validValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Fields the server writes itself, whatever the handler says.
bool managedField(std::string_view name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
         beast::iequals(name, "Connection") || beast::iequals(name, "Keep-Alive");
}

// Formatting a date costs a gmtime and a strftime: cache it per thread for the current second.
const std::string& cachedDate(std::chrono::system_clock::time_point now) {
  thread_local std::time_t cachedAt = 0;
  thread_local std::string cached;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  if (t != cachedAt || cached.empty()) {
    cached = httpDate(now);
    cachedAt = t;
  }
  return cached;
}

}  // namespace

bool statusAllowsBody(int status) {
  return !(status < 200 || status == 204 || status == 304);
}

std::string serializeResponseHead(const Response& response, const ResponseHeadOptions& options) {
  std::string out;
  out.reserve(256);
  out += options.version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ";
  char status[8];
  std::snprintf(status, sizeof status, "%03d", response.status % 1000);
  out += status;
  out += ' ';
  std::string_view reason =
      beast::http::obsolete_reason(static_cast<beast::http::status>(response.status));
  if (!reason.empty() && reason.front() != '<') out += reason;  // "<unknown-status>": none
  out += "\r\n";

  bool hasDate = false;
  bool hasServer = false;
  for (const auto& [name, value] : response.headers) {
    if (!validName(name) || !validValue(value) || managedField(name)) continue;
    hasDate = hasDate || beast::iequals(name, "Date");
    hasServer = hasServer || beast::iequals(name, "Server");
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!hasDate) {
    out += "Date: ";
    out += cachedDate(std::chrono::system_clock::now());
    out += "\r\n";
  }
  if (!hasServer) out += "Server: parley\r\n";

  switch (options.framing) {
    case BodyFraming::kNone:
    case BodyFraming::kUntilClose:
      break;
    case BodyFraming::kContentLength:
      out += "Content-Length: ";
      out += std::to_string(options.contentLength);
      out += "\r\n";
      break;
    case BodyFraming::kChunked:
      out += "Transfer-Encoding: chunked\r\n";
      break;
  }
  switch (options.connection) {
    case ConnectionHeader::kNone:
      break;
    case ConnectionHeader::kKeepAlive:
      out += "Connection: keep-alive\r\n";
      break;
    case ConnectionHeader::kClose:
      out += "Connection: close\r\n";
      break;
  }
  out += "\r\n";
  return out;
}

bool responseWantsClose(const Response& response) {
  auto [begin, end] = response.headers.equal_range("Connection");
  for (auto it = begin; it != end; ++it) {
    std::string_view v = it->second;
    // A token list: "close" may appear among others ("close, TE").
    while (!v.empty()) {
      size_t comma = v.find(',');
      std::string_view token = v.substr(0, comma);
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.remove_prefix(1);
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.remove_suffix(1);
      if (beast::iequals(token, "close")) return true;
      v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
    }
  }
  return false;
}

std::string errorJson(std::string_view code, std::string_view message) {
  std::string out = R"({"error":{"code":")";
  appendJsonEscaped(out, code);
  out += R"(","message":")";
  appendJsonEscaped(out, message);
  out += "\"}}";
  return out;
}

Response errorResponse(int status, std::string_view code, std::string_view message) {
  return Response::json(status, errorJson(code, message));
}

void sanitizeStatus(Response& response) {
  if (response.status >= 200 && response.status <= 999) return;
  response = errorResponse(500, "internal",
                           "handler answered with status " + std::to_string(response.status));
}

std::string httpDate(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  // strftime's %a/%b follow the locale; the field needs the English names.
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

void appendChunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  char size[24];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  out += size;
  out += data;
  out += "\r\n";
}

}  // namespace parley::http
