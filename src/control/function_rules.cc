#include "control/function_rules.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/result.h"
#include "runtime/platform_env.h"

namespace parley::control {

namespace {

bool isNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool isPosixName(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!isNameChar(c)) return false;
  }
  return true;
}

// Length in characters (code points) of UTF-8 text: limits are stated in characters.
size_t charCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

void checkName(const std::string& name, std::vector<FieldError>& errors) {
  bool ok = !name.empty() && name.size() <= 50;
  for (char c : name) ok = ok && isNameChar(c);
  if (!ok) {
    errors.push_back({"name", "must be 1 to 50 characters of A-Z, a-z, 0-9 and _ (got '" +
                                  name.substr(0, 60) + "')"});
  }
}

void checkDescription(const std::string& description, std::vector<FieldError>& errors) {
  if (charCount(description) > 200) {
    errors.push_back({"description", "must be at most 200 characters (got " +
                                         std::to_string(charCount(description)) + ")"});
  }
}

void checkCode(const std::string& code, std::vector<FieldError>& errors) {
  if (code.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors.push_back({"code", "must not be empty"});
  } else if (charCount(code) > 100'000) {
    errors.push_back({"code", "must be at most 100,000 characters (got " +
                                  std::to_string(charCount(code)) + ")"});
  }
}

void checkEventId(const std::string& eventId, std::vector<FieldError>& errors) {
  if (eventId.empty() || eventId.size() > 60) {
    errors.push_back({"eventId", "must be 1 to 60 characters (use \"No Event\" for none)"});
  }
}

void checkSkills(const std::vector<std::string>& skills, std::vector<FieldError>& errors) {
  if (skills.size() > 500) {
    errors.push_back({"skills", "at most 500 skills (got " + std::to_string(skills.size()) + ")"});
  }
  for (const std::string& s : skills) {
    if (s.empty() || s.size() > 100) {
      errors.push_back({"skills", "each skill id must be 1 to 100 characters"});
      break;
    }
  }
}

void checkEnvironment(const std::map<std::string, std::string>& env,
                      std::vector<FieldError>& errors) {
  if (env.size() > 512) {
    errors.push_back({"environment", "at most 512 variables (got " + std::to_string(env.size()) + ")"});
  }
  const auto& reserved = runtime::platformVariableNames();
  for (const auto& [k, v] : env) {
    std::string field = "environment." + k.substr(0, 200);
    if (!isPosixName(k) || k.size() > 200) {
      errors.push_back({field, "variable names must be POSIX names (letters, digits and _, not "
                               "starting with a digit), at most 200 characters"});
    } else if (std::find(reserved.begin(), reserved.end(), k) != reserved.end()) {
      errors.push_back({field, "is set by the platform and cannot be defined by a function"});
    }
    if (charCount(v) > 1024) {
      errors.push_back({field, "values must be at most 1,024 characters (got " +
                                   std::to_string(charCount(v)) + ")"});
    }
  }
}

void checkSettings(const store::FunctionSettings& s, const FunctionLimits& limits,
                   std::vector<FieldError>& errors) {
  if (s.timeoutSeconds < 1 || s.timeoutSeconds > limits.maxTimeoutSeconds) {
    errors.push_back({"settings.timeoutSeconds",
                      "must be between 1 and " + std::to_string(limits.maxTimeoutSeconds)});
  }
  if (s.memoryMb < limits.minMemoryMb || s.memoryMb > limits.maxMemoryMb) {
    errors.push_back({"settings.memoryMb", "must be between " + std::to_string(limits.minMemoryMb) +
                                               " and " + std::to_string(limits.maxMemoryMb)});
  }
}

void checkBinding(const EventCatalogue& events, const store::FunctionRecord& candidate,
                  const std::vector<store::FunctionRecord>& functions,
                  std::vector<FieldError>& errors) {
  const EventType* event = events.find(candidate.eventId);
  if (!event) {
    errors.push_back({"eventId", "unknown event '" + candidate.eventId +
                                     "' (GET /api/v1/events lists them; \"No Event\" for none)"});
    return;
  }
  if (!event->skillsSupported && !candidate.skills.empty()) {
    errors.push_back({"skills", "the event '" + event->id + "' does not use skills"});
  }
  std::vector<const store::FunctionRecord*> sharing;
  for (const auto& f : functions) {
    if (f.uuid != candidate.uuid && f.eventId == candidate.eventId) sharing.push_back(&f);
  }
  // On events that use skills the limit holds per skill (LivePerson's example binds two functions
  // with different skills to a limit-1 event): the no-overlap rule below enforces it.
  if (!event->skillsSupported && event->lambdaLimit > 0 &&
      static_cast<int64_t>(sharing.size()) >= event->lambdaLimit) {
    std::string names;
    for (const auto* f : sharing) names += (names.empty() ? "'" : ", '") + f->name + "'";
    errors.push_back({"eventId", "the event '" + event->id + "' allows " +
                                     std::to_string(event->lambdaLimit) +
                                     " function(s) per account and already has " + names});
    return;
  }
  if (!event->skillsSupported) return;
  for (const auto* other : sharing) {
    if (candidate.skills.empty()) {
      errors.push_back({"skills", "without skills a function takes every skill of '" + event->id +
                                      "', but '" + other->name + "' is bound to it"});
      return;
    }
    if (other->skills.empty()) {
      errors.push_back({"skills", "'" + other->name + "' is bound to '" + event->id +
                                      "' for every skill (it lists none)"});
      return;
    }
    for (const auto& skill : candidate.skills) {
      if (std::find(other->skills.begin(), other->skills.end(), skill) != other->skills.end()) {
        errors.push_back({"skills", "skill " + skill + " of '" + event->id + "' is taken by '" +
                                        other->name + "'"});
        return;
      }
    }
  }
}

bool bindingNeedsPeers(const EventCatalogue& events, const std::string& eventId) {
  const EventType* event = events.find(eventId);
  return event && (event->skillsSupported || event->lambdaLimit > 0);
}

Error validationError(const std::vector<FieldError>& errors) {
  nlohmann::json fields = nlohmann::json::array();
  std::string message;
  for (const FieldError& e : errors) {
    fields.push_back({{"field", e.field}, {"message", e.message}});
    if (!message.empty()) message += "; ";
    message += e.field + " " + e.message;
  }
  return Error::invalidArgument(message).withDetails(nlohmann::json{{"fields", fields}}.dump());
}

}  // namespace parley::control
