#include "control/event_type_service.h"

#include <nlohmann/json.hpp>

#include "control/function_rules.h"

namespace parley::control {

namespace {

bool validId(const std::string& id) {
  if (id.empty() || id.size() > 60) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

EventTypeService::EventTypeService(store::Store& store, const Clock& clock,
                                   const EventCatalogue& builtin)
    : store_(store), clock_(clock), builtin_(builtin) {}

EventType EventTypeService::typeOf(const store::EventTypeRecord& r) {
  EventType t;
  t.id = r.id;
  t.name = r.name;
  t.description = r.description;
  t.category = kCategory;
  t.lambdaLimit = r.lambdaLimit;
  t.skillsSupported = false;
  nlohmann::json payload = nlohmann::json::parse(r.samplePayloadJson, nullptr, false);
  if (payload.is_discarded()) payload = nullptr;
  t.samplePayloadJson =
      nlohmann::json{{"timestamp", r.createdAt}, {"headers", nlohmann::json::array()},
                     {"payload", payload}}
          .dump();
  return t;
}

Result<EventType> EventTypeService::create(const std::string& accountId,
                                           const EventTypeInput& in, const Actor& actor) {
  std::vector<FieldError> errors;
  if (!validId(in.id)) {
    errors.push_back({"id", "must be 1 to 60 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'"});
  }
  if (in.name.size() > 100) errors.push_back({"name", "must be at most 100 characters"});
  if (in.description.size() > 1000) {
    errors.push_back({"description", "must be at most 1000 characters"});
  }
  if (!nlohmann::json::accept(in.samplePayloadJson)) {
    errors.push_back({"samplePayload", "must be JSON"});
  }
  if (in.lambdaLimit < 0) errors.push_back({"lambdaLimit", "must be 0 (unlimited) or more"});
  if (!errors.empty()) return validationError(errors);
  if (builtin_.find(in.id)) {
    return Error::alreadyExists("'" + in.id + "' is a built-in event id; choose another id");
  }
  store::EventTypeRecord r;
  r.accountId = accountId;
  r.id = in.id;
  r.name = in.name.empty() ? in.id : in.name;
  r.description = in.description;
  r.samplePayloadJson = in.samplePayloadJson;
  r.lambdaLimit = in.lambdaLimit;
  r.createdAt = clock_.nowMs();
  r.createdBy = actor.username;
  Status s = store_.transaction([&]() -> Status {
    if (Status c = store_.eventTypes().create(r); !c.ok()) return c;
    return recordActivity(activity_, accountId, actor,
                          {"event_type.created", "event_type", r.id, r.name,
                           "Defined event type '" + r.id + "'", ""});
  });
  {
    std::lock_guard lock(mu_);
    ++generations_[accountId];
    cache_.erase(accountId);
  }
  if (!s.ok()) return s.error();
  return typeOf(r);
}

Status EventTypeService::remove(const std::string& accountId, const std::string& id,
                                const Actor& actor) {
  Status s = store_.transaction([&]() -> Status {
    auto existing = store_.eventTypes().get(accountId, id);
    if (!existing.ok()) return existing.error();
    auto functions = store_.functions().listBoundTo(accountId, id);
    if (!functions.ok()) return functions.error();
    std::string names;
    nlohmann::json bound = nlohmann::json::array();
    for (const auto& f : *functions) {
      names += (names.empty() ? "'" : ", '") + f.name + "'";
      bound.push_back({{"uuid", f.uuid}, {"name", f.name}});
    }
    if (!names.empty()) {
      return Error::failedPrecondition("The event type '" + id + "' has functions bound to it: " +
                                       names + "; bind them to another event first")
          .withDetails(nlohmann::json{{"functions", bound}}.dump());
    }
    if (Status d = store_.eventTypes().remove(accountId, id); !d.ok()) return d;
    return recordActivity(activity_, accountId, actor,
                          {"event_type.deleted", "event_type", id, existing->name,
                           "Deleted event type '" + id + "'", ""});
  });
  std::lock_guard lock(mu_);
  ++generations_[accountId];
  cache_.erase(accountId);
  return s;
}

Result<std::vector<EventType>> EventTypeService::list(const std::string& accountId) {
  auto rows = store_.eventTypes().list(accountId);
  if (!rows.ok()) return rows.error();
  std::vector<EventType> out;
  for (const auto& r : *rows) out.push_back(typeOf(r));
  return out;
}

Result<EventCatalogue> EventTypeService::catalogueFor(const std::string& accountId) {
  auto own = list(accountId);
  if (!own.ok()) return own.error();
  return builtin_.withExtra(std::move(own).value());
}

Result<std::optional<EventType>> EventTypeService::find(const std::string& accountId,
                                                        const std::string& id) {
  if (const EventType* e = builtin_.find(id)) return std::optional<EventType>(*e);
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    generation = generations_[accountId];
    if (auto it = cache_.find(accountId); it != cache_.end()) {
      for (const EventType& t : it->second) {
        if (t.id == id) return std::optional<EventType>(t);
      }
      return std::optional<EventType>();
    }
  }
  auto own = list(accountId);
  if (!own.ok()) return own.error();
  std::optional<EventType> found;
  for (const EventType& t : *own) {
    if (t.id == id) found = t;
  }
  std::lock_guard lock(mu_);
  if (generations_[accountId] == generation) cache_[accountId] = std::move(own).value();
  return found;
}

}  // namespace parley::control
