#include "control/domain_service.h"

namespace parley::control {

DomainService::DomainService(store::Store& store, const Clock& clock, int64_t cacheTtlMs)
    : store_(store), clock_(clock), cacheTtlMs_(cacheTtlMs) {}

Result<store::DomainRecord> DomainService::add(const std::string& accountId,
                                               const std::string& domain,
                                               const Actor& actor) {
  auto canonical = egress::canonicalRule(domain);
  if (!canonical.ok()) return canonical.error();
  store::DomainRecord d{accountId, *canonical, clock_.nowMs(), actor.username};
  Status s = store_.transaction([&]() -> Status {
    if (Status a = store_.domains().add(d); !a.ok()) return a;
    return recordActivity(activity_, accountId, actor,
                          {"domain.added", "domain", d.domain, "",
                           "Allowed outbound domain '" + d.domain + "'", ""});
  });
  if (!s.ok()) return s.error();
  invalidate(accountId);
  return d;
}

Status DomainService::remove(const std::string& accountId, const std::string& domain,
                            const Actor& actor) {
  auto canonical = egress::canonicalRule(domain);
  // An entry that cannot be valid cannot be on the list either.
  std::string key = canonical.ok() ? *canonical : domain;
  Status s = store_.transaction([&]() -> Status {
    if (Status r = store_.domains().remove(accountId, key); !r.ok()) return r;
    return recordActivity(activity_, accountId, actor,
                          {"domain.removed", "domain", key, "",
                           "Removed outbound domain '" + key + "'", ""});
  });
  invalidate(accountId);
  return s;
}

Result<std::vector<store::DomainRecord>> DomainService::list(const std::string& accountId) {
  return store_.domains().list(accountId);
}

Result<std::shared_ptr<const egress::Allowlist>> DomainService::allowlist(
    const std::string& accountId) {
  int64_t now = clock_.nowMs();
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(accountId);
    if (it != cache_.end() && now - it->second.loadedAtMs < cacheTtlMs_) return it->second.list;
    generation = generation_;
  }
  auto rows = store_.domains().list(accountId);
  if (!rows.ok()) return rows.error();
  std::vector<std::string> rules;
  rules.reserve(rows->size());
  for (const auto& d : *rows) rules.push_back(d.domain);
  auto list = std::make_shared<const egress::Allowlist>(rules);
  std::lock_guard lock(mu_);
  // A write that raced this read may have changed the list: use what was read, do not cache it.
  if (generation == generation_) cache_[accountId] = Cached{list, now};
  return std::shared_ptr<const egress::Allowlist>(list);
}

void DomainService::invalidate(const std::string& accountId) {
  std::lock_guard lock(mu_);
  generation_++;
  cache_.erase(accountId);
}

}  // namespace parley::control
