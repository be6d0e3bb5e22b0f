#include "control/context_service.h"

#include <cctype>
#include <chrono>

namespace parley::control {

namespace {

using nlohmann::json;

bool validNamespace(const std::string& ns) {
  if (ns.empty() || ns.size() > 64) return false;
  for (char c : ns) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

// 1..256 bytes, no ASCII control characters.
bool validLabel(const std::string& s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

Status checkNamespace(const std::string& ns) {
  if (validNamespace(ns)) return okStatus();
  return Error::invalidArgument("'namespace' must be 1 to 64 characters of A-Z, a-z, 0-9, '_' "
                                "and '-' (got '" + ns.substr(0, 80) + "')");
}

std::string kib(int64_t bytes) {
  return std::to_string(bytes / 1024) + " KiB";
}

ContextNamespaceInfo info(const store::ContextNamespace& ns, bool created) {
  return ContextNamespaceInfo{ns.name, ns.ttlSeconds, ns.createdAt, created};
}

}  // namespace

ContextService::ContextService(store::Store& store, const Clock& clock, ContextLimits limits)
    : store_(store), clock_(clock), limits_(limits) {}

Result<store::ContextSessionKey> ContextService::key(const std::string& accountId,
                                                     const std::string& ns,
                                                     const std::string& session) const {
  if (Status s = checkNamespace(ns); !s.ok()) return s.error();
  std::string id = session.empty() ? kDefaultContextSession : session;
  if (!validLabel(id)) {
    return Error::invalidArgument(
        "'sessionId' must be 1 to 256 characters without control characters");
  }
  return store::ContextSessionKey{accountId, ns, id};
}

Result<ContextNamespaceInfo> ContextService::createNamespace(const std::string& accountId,
                                                             const std::string& ns,
                                                             std::optional<int64_t> ttlSeconds,
                                                             const Actor& actor) {
  if (Status s = checkNamespace(ns); !s.ok()) return s.error();
  if (ttlSeconds && (*ttlSeconds < 1 || *ttlSeconds > limits_.maxTtlSeconds)) {
    return Error::invalidArgument("'ttl' must be a whole number of seconds from 1 to " +
                                  std::to_string(limits_.maxTtlSeconds));
  }
  Result<ContextNamespaceInfo> out = Error::internal("not run");
  Status s = store_.transaction([&]() -> Status {
    store::ContextRepository& repo = store_.context();
    auto existing = repo.getNamespace(accountId, ns);
    if (existing.ok()) {
      out = info(*existing, false);
      return okStatus();
    }
    if (existing.error().code() != ErrorCode::kNotFound) return existing.error();
    auto usage = repo.usage({accountId, ns, kDefaultContextSession}, clock_.nowMs());
    if (!usage.ok()) return usage.error();
    if (usage->namespaceCount >= limits_.maxNamespacesPerAccount) {
      return Error::failedPrecondition(
          "Account '" + accountId + "' has " + std::to_string(usage->namespaceCount) +
          " context namespaces, the limit; delete one first");
    }
    store::ContextNamespace record{accountId, ns, ttlSeconds, clock_.nowMs()};
    if (Status c = repo.createNamespace(record); !c.ok()) return c;
    out = info(record, true);
    return recordActivity(activity_, accountId, actor,
                          {"context_namespace.created", "context_namespace", ns, "",
                           "Created context namespace '" + ns + "'", ""});
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<bool> ContextService::deleteNamespace(const std::string& accountId, const std::string& ns,
                                             const Actor& actor) {
  if (Status s = checkNamespace(ns); !s.ok()) return s.error();
  bool deleted = false;
  Status s = store_.transaction([&]() -> Status {
    auto d = store_.context().deleteNamespace(accountId, ns);
    if (!d.ok()) return d.error();
    deleted = *d;
    if (!deleted) return okStatus();
    return recordActivity(activity_, accountId, actor,
                          {"context_namespace.deleted", "context_namespace", ns, "",
                           "Deleted context namespace '" + ns + "' with its sessions", ""});
  });
  if (!s.ok()) return s.error();
  return deleted;
}

Result<std::vector<ContextNamespaceInfo>> ContextService::listNamespaces(
    const std::string& accountId) {
  auto list = store_.context().listNamespaces(accountId);
  if (!list.ok()) return list.error();
  std::vector<ContextNamespaceInfo> out;
  out.reserve(list->size());
  for (const auto& ns : *list) out.push_back(info(ns, false));
  return out;
}

Result<json> ContextService::setProperties(const std::string& accountId, const std::string& ns,
                                           const json& properties, const std::string& session,
                                           ContextWrite mode) {
  auto k = key(accountId, ns, session);
  if (!k.ok()) return k.error();
  if (!properties.is_object()) {
    return Error::invalidArgument("'properties' must be a JSON object of name → value");
  }
  if (static_cast<int64_t>(properties.size()) > limits_.maxPropertiesPerWrite) {
    return Error::tooLarge("One write may carry at most " +
                           std::to_string(limits_.maxPropertiesPerWrite) + " properties");
  }
  std::vector<store::ContextProperty> props;
  int64_t bytes = 0;
  for (const auto& [name, value] : properties.items()) {
    if (!validLabel(name)) {
      return Error::invalidArgument(
          "property names must be 1 to 256 characters without control characters");
    }
    std::string text = value.dump();
    if (static_cast<int64_t>(text.size()) > limits_.maxValueBytes) {
      return Error::tooLarge("The value of property '" + name + "' is " + kib(static_cast<int64_t>(text.size())) +
                             " of JSON, over the limit of " + kib(limits_.maxValueBytes));
    }
    bytes += static_cast<int64_t>(name.size() + text.size());
    props.push_back({name, std::move(text)});
  }
  Status s = store_.transaction([&]() -> Status {
    store::ContextRepository& repo = store_.context();
    int64_t now = clock_.nowMs();
    auto namespaceRecord = repo.getNamespace(accountId, ns);
    if (!namespaceRecord.ok()) return namespaceRecord.error();
    auto usage = repo.usage(*k, now);
    if (!usage.ok()) return usage.error();
    // Bytes this write replaces (merge) or the whole session (replace).
    int64_t replaced = usage->sessionBytes;
    if (mode == ContextWrite::kMerge) {
      std::vector<std::string> names;
      for (const auto& p : props) names.push_back(p.name);
      auto old = repo.getProperties(*k, &names, now);
      if (!old.ok()) return old.error();
      replaced = 0;
      for (const auto& p : *old) replaced += static_cast<int64_t>(p.name.size() + p.valueJson.size());
    }
    int64_t sessionBytes = usage->sessionBytes - replaced + bytes;
    if (sessionBytes > limits_.maxSessionBytes) {
      return Error::tooLarge("Session '" + k->session + "' of namespace '" + ns + "' would hold " +
                             kib(sessionBytes) + ", over the limit of " + kib(limits_.maxSessionBytes));
    }
    int64_t total = usage->namespaceBytes - replaced + bytes;
    if (total > limits_.maxNamespaceBytes) {
      return Error::tooLarge("Namespace '" + ns + "' would hold " + kib(total) +
                             ", over the limit of " + kib(limits_.maxNamespaceBytes));
    }
    std::optional<int64_t> expires;
    if (namespaceRecord->ttlSeconds) expires = now + *namespaceRecord->ttlSeconds * 1000;
    return repo.putProperties(*k, props, mode == ContextWrite::kReplace, now, expires);
  });
  if (!s.ok()) return s.error();
  return properties;
}

Result<json> ContextService::getProperties(const std::string& accountId, const std::string& ns,
                                           const std::string& session,
                                           const std::vector<std::string>* names) {
  auto k = key(accountId, ns, session);
  if (!k.ok()) return k.error();
  auto props = store_.context().getProperties(*k, names, clock_.nowMs());
  if (!props.ok()) return props.error();
  json out = json::object();
  for (const auto& p : *props) {
    json v = json::parse(p.valueJson, nullptr, false);
    if (v.is_discarded()) return Error::internal("Stored property '" + p.name + "' is not JSON");
    out[p.name] = std::move(v);
  }
  return out;
}

Result<std::optional<json>> ContextService::getProperty(const std::string& accountId,
                                                        const std::string& ns,
                                                        const std::string& session,
                                                        const std::string& name) {
  if (!validLabel(name)) {
    return Error::invalidArgument(
        "'propertyName' must be 1 to 256 characters without control characters");
  }
  std::vector<std::string> names{name};
  auto props = getProperties(accountId, ns, session, &names);
  if (!props.ok()) return props.error();
  if (!props->contains(name)) return std::optional<json>();
  return std::optional<json>((*props)[name]);
}

Result<bool> ContextService::deleteProperty(const std::string& accountId, const std::string& ns,
                                            const std::string& session, const std::string& name) {
  auto k = key(accountId, ns, session);
  if (!k.ok()) return k.error();
  if (!validLabel(name)) {
    return Error::invalidArgument(
        "'propertyName' must be 1 to 256 characters without control characters");
  }
  return store_.context().deleteProperty(*k, name, clock_.nowMs());
}

Result<bool> ContextService::deleteSession(const std::string& accountId, const std::string& ns,
                                           const std::string& session) {
  auto k = key(accountId, ns, session);
  if (!k.ok()) return k.error();
  return store_.context().deleteSession(*k, clock_.nowMs());
}

Result<std::vector<std::string>> ContextService::listSessions(const std::string& accountId,
                                                              const std::string& ns) {
  if (Status s = checkNamespace(ns); !s.ok()) return s.error();
  return store_.context().listSessions(accountId, ns, clock_.nowMs());
}

Result<int64_t> ContextService::purgeExpired() {
  return store_.context().purgeExpired(clock_.nowMs());
}

ContextPurger::ContextPurger(ContextService& service, int64_t intervalMs)
    : service_(service), intervalMs_(intervalMs) {}

ContextPurger::~ContextPurger() {
  stop();
}

void ContextPurger::start() {
  thread_.start("parley-context", [this] {
    std::unique_lock lock(mu_);
    while (!thread_.stopping()) {
      cv_.wait_for(lock, std::chrono::milliseconds(intervalMs_),
                   [this] { return thread_.stopping(); });
      if (thread_.stopping()) break;
      lock.unlock();
      (void)service_.purgeExpired();  // a failure is retried at the next tick
      lock.lock();
    }
  });
}

void ContextPurger::stop() { thread_.stop(); }

}  // namespace parley::control
