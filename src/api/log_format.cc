#include "api/log_format.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace parley::api {

std::string csvField(const std::string& value) {
  if (value.find_first_of(";\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string rfc1123Time(int64_t epochMs) {
  std::time_t secs = static_cast<std::time_t>(epochMs / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string csvLogLine(const store::LogLine& l) {
  std::string out;
  out += csvField(l.functionUuid);
  out += ';';
  out += csvField(l.invocationId);
  out += ';';
  out += rfc1123Time(l.log.timestamp);
  out += ';';
  out += csvField(l.log.level);
  out += ';';
  out += csvField(l.log.message);
  out += ';';
  out += csvField(l.log.extrasJson);
  out += '\n';
  return out;
}

std::string logLineJson(const std::string& invocationId, const store::LogRecord& log) {
  nlohmann::json extras = nlohmann::json::parse(log.extrasJson, nullptr, false);
  if (extras.is_discarded()) extras = nlohmann::json::array();
  nlohmann::json j = {{"invocationId", invocationId},
                      {"timestamp", log.timestamp},
                      {"level", log.level},
                      {"message", log.message},
                      {"extras", extras}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string sseLogEvent(const std::string& bootId, const control::LogEvent& e) {
  // JSON text never holds a raw newline, so the data is one "data:" line.
  return "id: " + bootId + "." + std::to_string(e.id) + "\nevent: log\ndata: " +
         logLineJson(e.invocationId, e.log) + "\n\n";
}

}  // namespace parley::api
