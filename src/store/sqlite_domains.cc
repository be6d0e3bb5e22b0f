// The account allowlist of outbound hosts (table domains).
#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {

Status SqliteDomains::add(const DomainRecord& d) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare("INSERT INTO domains (account_id, domain, created_at, created_by) "
                  "VALUES (?, ?, ?, ?)")
            .bind(d.accountId, d.domain, d.createdAt, d.createdBy)
            .run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 "domain " + quoted(d.domain) + " is already on the allowlist of "
                                 "account " + quoted(d.accountId),
                                 "account " + quoted(d.accountId) + " not found");
    }
    return okStatus();
  });
}

Result<std::vector<DomainRecord>> SqliteDomains::list(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<std::vector<DomainRecord>> {
    return c
        .prepare("SELECT account_id, domain, created_at, created_by FROM domains "
                 "WHERE account_id = ? ORDER BY domain")
        .bind(accountId)
        .all<DomainRecord>([](Statement& row) -> Result<DomainRecord> {
          return DomainRecord{row.text(0), row.text(1), row.integer(2), row.text(3)};
        });
  });
}

Status SqliteDomains::remove(const std::string& accountId, const std::string& domain) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare("DELETE FROM domains WHERE account_id = ? AND domain = ?")
                            .bind(accountId, domain)
                            .run();
    if (!r.ok()) return std::move(r).takeError();
    if (*r == 0) {
      return Error::notFound("domain " + quoted(domain) + " is not on the allowlist of account " +
                             quoted(accountId));
    }
    return okStatus();
  });
}

}  // namespace parley::store::sqlite
