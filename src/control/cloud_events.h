// CloudEvents 1.0 over HTTP (SPEC §3 async ingestion): the structured
// (application/cloudevents+json), batch (application/cloudevents-batch+json) and binary (ce-*
// headers, the body is the data) modes, parsed into one shape and validated.
//
// Rules: specversion "1.0"; id, source and type non-empty strings; type is a known event id
// (`knownType`); optional subject, datacontenttype (strings), time (RFC 3339), skillid
// (extension: string or integer); data and data_base64 are exclusive, data_base64 must be
// base64. Every violation is kInvalidArgument naming the field — for a batch prefixed with the
// event's index ("[2].type") — with details {"fields": [{field, message}, ...]} as for functions.
// Pure functions; thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace parley::control {

struct CloudEvent {
  std::string id;
  std::string source;
  std::string type;
  std::string subject;          // "" when absent
  std::string time;             // "" when absent
  std::string dataContentType;  // "" when absent
  std::string skillId;          // extension "skillid"; "" when absent
  std::string dataJson = "null";  // JSON text of `data` (null when absent)
  std::string dataBase64;         // when the data is binary; then dataJson is "null"
  // The whole event in structured form (what is stored and shown in dead letters).
  std::string structuredJson;
};

using KnownEventType = std::function<bool(const std::string& type)>;

// `headers`: the request headers (names compared case-insensitively by the caller's map; give
// them lower-cased). The content type picks the mode: cloudevents+json, cloudevents-batch+json,
// anything else is binary mode (ce-specversion required).
Result<std::vector<CloudEvent>> parseCloudEvents(const std::string& contentType,
                                                 const std::map<std::string, std::string>& headers,
                                                 const std::string& body,
                                                 const KnownEventType& knownType,
                                                 size_t maxBatch = 1000);

// The function input for an event, LivePerson's shape: {timestamp, headers: [{key, value}],
// payload: data} with the ce-* attributes as headers. `timestampMs`: when it is delivered.
std::string invocationInputFor(const CloudEvent& e, int64_t timestampMs);
// The same from the stored structured form.
Result<std::string> invocationInputFor(const std::string& structuredJson, int64_t timestampMs);

}  // namespace parley::control
