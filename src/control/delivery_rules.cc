#include "control/delivery_rules.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace parley::control {

int64_t backoffCeilingMs(const RetryPolicy& p, int64_t attempt) {
  int64_t ceiling = std::max<int64_t>(0, p.baseMs);
  for (int64_t i = 1; i < attempt && ceiling < p.capMs; ++i) ceiling *= 2;
  return std::min(ceiling, p.capMs);
}

int64_t backoffDelayMs(const RetryPolicy& p, int64_t attempt, uint64_t random) {
  int64_t ceiling = backoffCeilingMs(p, attempt);
  if (ceiling <= 0) return 0;
  // random / 2^64 scaled onto [0, ceiling]: uniform, and the top value maps to the ceiling.
  unsigned __int128 scaled = static_cast<unsigned __int128>(random) *
                             static_cast<unsigned __int128>(ceiling + 1);
  return static_cast<int64_t>(scaled >> 64);
}

int64_t sleepBeforeNextMs(const Result<std::optional<int64_t>>& next, int64_t nowMs,
                          int64_t orAtMs, int64_t maxSleepMs) {
  constexpr int64_t kStoreRetryMs = 100;
  if (!next.ok()) return std::min(kStoreRetryMs, maxSleepMs);
  const std::optional<int64_t>& due = next.value();
  const int64_t wakeAt = due ? std::min(*due, orAtMs) : orAtMs;
  return std::clamp<int64_t>(wakeAt - nowMs, 1, maxSleepMs);
}

namespace {

using nlohmann::json;

Status checkCommand(const json& c, const std::string& where) {
  if (!c.is_object()) return Error::invalidArgument(where + " must be an object");
  auto type = c.find("type");
  if (type == c.end() || !type->is_string()) {
    return Error::invalidArgument(where + ".type must be \"systemMessage\", \"transfer\" or "
                                          "\"closeConversation\"");
  }
  const std::string t = *type;
  if (t == "systemMessage") {
    auto text = c.find("text");
    if (text == c.end() || !text->is_string()) {
      return Error::invalidArgument(where + ".text must be a string (systemMessage)");
    }
    return okStatus();
  }
  if (t == "transfer") {
    auto idLike = [&](const char* name) {
      auto it = c.find(name);
      return it != c.end() && (it->is_string() || it->is_number_integer());
    };
    if (!idLike("skillId") && !idLike("agentId")) {
      return Error::invalidArgument(where + " (transfer) needs skillId or agentId (string or "
                                            "number)");
    }
    return okStatus();
  }
  if (t == "closeConversation") return okStatus();
  return Error::invalidArgument(where + ".type '" + t +
                                "' is not a command (systemMessage, transfer, closeConversation)");
}

}  // namespace

Status validateCommands(const std::string& resultJson) {
  if (resultJson.empty()) return okStatus();  // callback() with no value
  json r = json::parse(resultJson, nullptr, false);
  if (r.is_discarded()) return Error::invalidArgument("the result is not JSON");
  if (r.is_null()) return okStatus();
  if (r.is_object()) return checkCommand(r, "the result");
  if (!r.is_array()) {
    return Error::invalidArgument(
        "the result of an automatic-message event must be a command or an array of commands");
  }
  for (size_t i = 0; i < r.size(); ++i) {
    if (Status s = checkCommand(r[i], "result[" + std::to_string(i) + "]"); !s.ok()) return s;
  }
  return okStatus();
}

bool isAutomaticMessageCategory(const std::string& category) {
  return category == "Automatic Messages";
}

}  // namespace parley::control
