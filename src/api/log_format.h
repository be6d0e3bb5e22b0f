// Wire formats of function logs: LivePerson's CSV export layout and Server-Sent Events.
//
// CSV (fact sheet §7.3): header `lambdaUUID;requestID;timestamp;level;message;extras`, one line
// per log line, `;` separated, timestamp in RFC 1123 ("Wed, 16 Feb 2022 11:45:35 GMT"), extras
// as JSON. A field holding `;`, `"`, CR or LF is quoted with `"` and its quotes doubled; lines
// end with "\n".
#pragma once

#include <cstdint>
#include <string>

#include "control/log_hub.h"
#include "store/records.h"

namespace parley::api {

inline constexpr const char* kLogCsvHeader = "lambdaUUID;requestID;timestamp;level;message;extras\n";

std::string csvField(const std::string& value);
// "Wed, 16 Feb 2022 11:45:35 GMT"
std::string rfc1123Time(int64_t epochMs);
std::string csvLogLine(const store::LogLine& line);

// {invocationId, timestamp, level, message, extras} — one line as the log API returns it.
std::string logLineJson(const std::string& invocationId, const store::LogRecord& log);
// "id: <bootId>.<n>\nevent: log\ndata: <logLineJson>\n\n"
std::string sseLogEvent(const std::string& bootId, const control::LogEvent& e);

}  // namespace parley::api
