#include "control/cloud_events.h"

#include <sodium.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "control/function_rules.h"

namespace parley::control {
namespace {

using nlohmann::json;

bool isRfc3339(const std::string& s) {
  // YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)
  auto digits = [&](size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
  };
  if (s.size() < 20 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
      !digits(8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(11, 2) || s[13] != ':' ||
      !digits(14, 2) || s[16] != ':' || !digits(17, 2)) {
    return false;
  }
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == s.size();
  return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && digits(i + 1, 2) &&
         s[i + 3] == ':' && digits(i + 4, 2);
}

bool isBase64(const std::string& s) {
  std::string bin(s.size(), '\0');
  size_t len = 0;
  return sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), s.data(),
                           s.size(), " \n\r\t", &len, nullptr,
                           sodium_base64_VARIANT_ORIGINAL) == 0;
}

std::string toBase64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Validates one structured event; problems go to `errors` with `prefix` before field names.
std::optional<CloudEvent> fromStructured(const json& j, const std::string& prefix,
                                         const KnownEventType& knownType,
                                         std::vector<FieldError>& errors) {
  size_t before = errors.size();
  if (!j.is_object()) {
    errors.push_back({prefix.empty() ? "body" : prefix, "must be a CloudEvent (a JSON object)"});
    return std::nullopt;
  }
  auto requiredString = [&](const char* name) -> std::string {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) {
      errors.push_back({prefix + name, "is required"});
    } else if (!it->is_string() || it->get<std::string>().empty()) {
      errors.push_back({prefix + name, "must be a non-empty string"});
    } else {
      return it->get<std::string>();
    }
    return "";
  };
  auto optionalString = [&](const char* name) -> std::string {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return "";
    if (!it->is_string()) {
      errors.push_back({prefix + name, "must be a string"});
      return "";
    }
    return it->get<std::string>();
  };
  CloudEvent e;
  std::string spec = requiredString("specversion");
  if (!spec.empty() && spec != "1.0") {
    errors.push_back({prefix + "specversion", "must be \"1.0\" (got \"" + spec + "\")"});
  }
  e.id = requiredString("id");
  e.source = requiredString("source");
  e.type = requiredString("type");
  if (!e.type.empty() && knownType && !knownType(e.type)) {
    errors.push_back({prefix + "type", "unknown event type '" + e.type +
                                           "' (GET /api/v1/events?account=… lists them)"});
  }
  e.subject = optionalString("subject");
  e.time = optionalString("time");
  if (!e.time.empty() && !isRfc3339(e.time)) {
    errors.push_back({prefix + "time", "must be an RFC 3339 timestamp"});
  }
  e.dataContentType = optionalString("datacontenttype");
  if (auto it = j.find("skillid"); it != j.end() && !it->is_null()) {
    if (it->is_string()) {
      e.skillId = it->get<std::string>();
    } else if (it->is_number_integer()) {
      e.skillId = std::to_string(it->get<int64_t>());
    } else {
      errors.push_back({prefix + "skillid", "must be a string or an integer"});
    }
  }
  bool hasData = j.contains("data");
  if (auto it = j.find("data_base64"); it != j.end() && !it->is_null()) {
    if (hasData) {
      errors.push_back({prefix + "data_base64", "cannot be given together with data"});
    } else if (!it->is_string() || !isBase64(it->get<std::string>())) {
      errors.push_back({prefix + "data_base64", "must be a base64 string"});
    } else {
      e.dataBase64 = it->get<std::string>();
    }
  }
  if (hasData) e.dataJson = j["data"].dump();
  if (errors.size() != before) return std::nullopt;
  e.structuredJson = j.dump();
  return e;
}

bool isJsonMediaType(const std::string& contentType) {
  std::string base = contentType.substr(0, contentType.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  return base == "application/json" || base.ends_with("+json") || base == "text/json";
}

// Binary mode: the attributes are ce-* headers, the body is the data.
Result<CloudEvent> fromBinary(const std::string& contentType,
                              const std::map<std::string, std::string>& headers,
                              const std::string& body, const KnownEventType& knownType) {
  std::vector<FieldError> errors;
  if (!headers.contains("ce-specversion")) {
    return validationError({{"ce-specversion",
                             "is required in binary mode (or send Content-Type "
                             "application/cloudevents+json or application/cloudevents-batch+json)"}});
  }
  json j = json::object();
  for (const auto& [name, value] : headers) {
    if (name.starts_with("ce-") && name.size() > 3) j[name.substr(3)] = value;
  }
  if (!contentType.empty()) j["datacontenttype"] = contentType;
  if (!body.empty()) {
    if (isJsonMediaType(contentType)) {
      json data = json::parse(body, nullptr, false);
      if (data.is_discarded()) return validationError({{"data", "the body is not valid JSON"}});
      j["data"] = std::move(data);
    } else {
      j["data_base64"] = toBase64(body);
    }
  }
  auto e = fromStructured(j, "", knownType, errors);
  if (!e) {
    for (FieldError& f : errors) {
      if (f.field != "data" && f.field != "data_base64") f.field = "ce-" + f.field;
    }
    return validationError(errors);
  }
  return std::move(*e);
}

}  // namespace

Result<std::vector<CloudEvent>> parseCloudEvents(const std::string& contentType,
                                                 const std::map<std::string, std::string>& headers,
                                                 const std::string& body,
                                                 const KnownEventType& knownType,
                                                 size_t maxBatch) {
  std::string media = contentType.substr(0, contentType.find(';'));
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  bool structured = media == "application/cloudevents+json";
  bool batch = media == "application/cloudevents-batch+json";
  if (!structured && !batch) {
    auto e = fromBinary(contentType, headers, body, knownType);
    if (!e.ok()) return e.error();
    return std::vector<CloudEvent>{std::move(*e)};
  }
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return validationError({{"body", "is not valid JSON"}});
  std::vector<FieldError> errors;
  std::vector<CloudEvent> out;
  if (structured) {
    if (auto e = fromStructured(j, "", knownType, errors)) out.push_back(std::move(*e));
  } else {
    if (!j.is_array()) return validationError({{"body", "must be a JSON array of CloudEvents"}});
    if (j.empty()) return validationError({{"body", "the batch is empty"}});
    if (j.size() > maxBatch) {
      return validationError({{"body", "a batch holds at most " + std::to_string(maxBatch) +
                                           " events (got " + std::to_string(j.size()) + ")"}});
    }
    for (size_t i = 0; i < j.size(); ++i) {
      if (auto e = fromStructured(j[i], "[" + std::to_string(i) + "].", knownType, errors)) {
        out.push_back(std::move(*e));
      }
    }
  }
  if (!errors.empty()) return validationError(errors);
  return out;
}

std::string invocationInputFor(const CloudEvent& e, int64_t timestampMs) {
  json headers = json::array();
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) headers.push_back({{"key", key}, {"value", value}});
  };
  add("ce-id", e.id);
  add("ce-source", e.source);
  add("ce-type", e.type);
  add("ce-subject", e.subject);
  add("ce-time", e.time);
  add("ce-skillid", e.skillId);
  json input = {{"timestamp", timestampMs}, {"headers", std::move(headers)}};
  input["payload"] = e.dataBase64.empty() ? json::parse(e.dataJson, nullptr, false)
                                          : json(e.dataBase64);
  if (input["payload"].is_discarded()) input["payload"] = nullptr;
  return input.dump();
}

Result<std::string> invocationInputFor(const std::string& structuredJson, int64_t timestampMs) {
  std::vector<FieldError> errors;
  json j = json::parse(structuredJson, nullptr, false);
  auto e = fromStructured(j, "", nullptr, errors);
  if (!e) return Error::invalidArgument("stored event is not a valid CloudEvent");
  return invocationInputFor(*e, timestampMs);
}

}  // namespace parley::control
