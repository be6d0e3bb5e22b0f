// The validation rules of SPEC §2 for functions, as pure functions (no store, no runtime), so
// that every rule is unit-testable and the API can report every problem at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "control/event_catalogue.h"
#include "store/records.h"

namespace parley::control {

struct FieldError {
  std::string field;    // "name", "environment.FOO", "settings.timeoutSeconds", ...
  std::string message;  // says what is wrong and what is allowed
};

struct FunctionLimits {
  int64_t maxFunctionsPerAccount = 500;
  int64_t maxVersionsKept = 20;
  int64_t maxTimeoutSeconds = 60;
  int64_t maxMemoryMb = 512;
  int64_t minMemoryMb = 16;
};

void checkName(const std::string& name, std::vector<FieldError>& errors);
void checkDescription(const std::string& description, std::vector<FieldError>& errors);
void checkCode(const std::string& code, std::vector<FieldError>& errors);
void checkEventId(const std::string& eventId, std::vector<FieldError>& errors);
void checkSkills(const std::vector<std::string>& skills, std::vector<FieldError>& errors);
void checkEnvironment(const std::map<std::string, std::string>& env,
                      std::vector<FieldError>& errors);
void checkSettings(const store::FunctionSettings& s, const FunctionLimits& limits,
                   std::vector<FieldError>& errors);

// SPEC §3 binding rules for `candidate` against the account's other functions: the event
// exists; skills only on events that support them; the per-event limit (per skill on events
// that use skills); skill sets of functions sharing an event do not overlap, and a function
// without skills takes the whole event.
void checkBinding(const EventCatalogue& events, const store::FunctionRecord& candidate,
                  const std::vector<store::FunctionRecord>& functions,
                  std::vector<FieldError>& errors);

// Whether checkBinding needs the other functions bound to `eventId`: only for a known event with
// a per-account limit or skills. When not, it may be given none.
bool bindingNeedsPeers(const EventCatalogue& events, const std::string& eventId);

// One invalid_argument error for a list of field errors: the message names them all, the
// details are {"fields": [{"field", "message"}, ...]}.
parley::Error validationError(const std::vector<FieldError>& errors);

}  // namespace parley::control
