// The context store (tables context_namespaces, context_sessions, context_properties; migration
// 6). A session is live while expires_at is NULL or later than now; every query here filters on
// that, so expired data is invisible before purgeExpired() removes it.
#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

constexpr const char* kLive = "(expires_at IS NULL OR expires_at > ?)";

Result<ContextNamespace> decodeNamespace(Statement& row) {
  ContextNamespace ns;
  ns.accountId = row.text(0);
  ns.name = row.text(1);
  if (!row.isNull(2)) ns.ttlSeconds = row.integer(2);
  ns.createdAt = row.integer(3);
  return ns;
}

std::string namespaceName(const std::string& accountId, const std::string& name) {
  return "context namespace " + quoted(name) + " in account " + quoted(accountId);
}

Result<ContextProperty> decodeProperty(Statement& row) {
  return ContextProperty{row.text(0), row.text(1)};
}

// kNotFound unless the namespace exists.
Status requireNamespace(Connection& c, const std::string& accountId, const std::string& ns) {
  Result<std::optional<int64_t>> found =
      c.prepare("SELECT 1 FROM context_namespaces WHERE account_id = ? AND name = ?")
          .bind(accountId, ns)
          .first<int64_t>([](Statement& row) -> Result<int64_t> { return row.integer(0); });
  if (!found.ok()) return std::move(found).takeError();
  if (!found->has_value()) return Error::notFound("No " + namespaceName(accountId, ns));
  return okStatus();
}

}  // namespace

Status SqliteContext::createNamespace(const ContextNamespace& ns) {
  return store_.write([&](Connection& c) -> Status {
    Statement st = c.prepare(
        "INSERT INTO context_namespaces (account_id, name, ttl_seconds, created_at) "
        "VALUES (?, ?, ?, ?)");
    st.bind(ns.accountId, ns.name);
    if (ns.ttlSeconds) {
      st.bindAt(3, *ns.ttlSeconds);
    } else {
      st.bindAt(3, nullptr);
    }
    st.bindAt(4, ns.createdAt);
    Result<int64_t> r = st.run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 namespaceName(ns.accountId, ns.name) + " already exists",
                                 "account " + quoted(ns.accountId) + " not found");
    }
    return okStatus();
  });
}

Result<ContextNamespace> SqliteContext::getNamespace(const std::string& accountId,
                                                     const std::string& name) {
  return store_.read([&](Connection& c) -> Result<ContextNamespace> {
    return foundOr(c.prepare("SELECT account_id, name, ttl_seconds, created_at "
                             "FROM context_namespaces WHERE account_id = ? AND name = ?")
                       .bind(accountId, name)
                       .first<ContextNamespace>(decodeNamespace),
                   "No " + namespaceName(accountId, name));
  });
}

Result<std::vector<ContextNamespace>> SqliteContext::listNamespaces(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<std::vector<ContextNamespace>> {
    return c
        .prepare("SELECT account_id, name, ttl_seconds, created_at FROM context_namespaces "
                 "WHERE account_id = ? ORDER BY name")
        .bind(accountId)
        .all<ContextNamespace>(decodeNamespace);
  });
}

Result<bool> SqliteContext::deleteNamespace(const std::string& accountId,
                                            const std::string& name) {
  return store_.write([&](Connection& c) -> Result<bool> {
    Result<int64_t> r =
        c.prepare("DELETE FROM context_namespaces WHERE account_id = ? AND name = ?")
            .bind(accountId, name)
            .run();
    if (!r.ok()) return std::move(r).takeError();
    return *r > 0;
  });
}

Result<std::vector<std::string>> SqliteContext::listSessions(const std::string& accountId,
                                                             const std::string& ns,
                                                             int64_t nowMs) {
  return store_.read([&](Connection& c) -> Result<std::vector<std::string>> {
    if (Status s = requireNamespace(c, accountId, ns); !s.ok()) return std::move(s).takeError();
    return c
        .prepare(std::string("SELECT session_id FROM context_sessions WHERE account_id = ? AND "
                             "namespace = ? AND ") +
                 kLive + " ORDER BY session_id")
        .bind(accountId, ns, nowMs)
        .all<std::string>([](Statement& row) -> Result<std::string> { return row.text(0); });
  });
}

Result<bool> SqliteContext::deleteSession(const ContextSessionKey& key, int64_t nowMs) {
  return store_.write([&](Connection& c) -> Result<bool> {
    if (Status s = requireNamespace(c, key.accountId, key.ns); !s.ok()) {
      return std::move(s).takeError();
    }
    Result<int64_t> r =
        c.prepare(std::string("DELETE FROM context_sessions WHERE account_id = ? AND "
                              "namespace = ? AND session_id = ? AND ") +
                  kLive)
            .bind(key.accountId, key.ns, key.session, nowMs)
            .run();
    if (!r.ok()) return std::move(r).takeError();
    // An expired one goes too, but does not count as deleted.
    Result<int64_t> expired = c.prepare(
                                   "DELETE FROM context_sessions WHERE account_id = ? AND "
                                   "namespace = ? AND session_id = ?")
                                  .bind(key.accountId, key.ns, key.session)
                                  .run();
    if (!expired.ok()) return std::move(expired).takeError();
    return *r > 0;
  });
}

Status SqliteContext::putProperties(const ContextSessionKey& key,
                                    const std::vector<ContextProperty>& properties, bool replace,
                                    int64_t nowMs, std::optional<int64_t> expiresAtMs) {
  return store_.write([&](Connection& c) -> Status {
    if (Status s = requireNamespace(c, key.accountId, key.ns); !s.ok()) return s;
    // An expired session starts again empty.
    Result<int64_t> dropped =
        c.prepare("DELETE FROM context_sessions WHERE account_id = ? AND namespace = ? AND "
                  "session_id = ? AND expires_at IS NOT NULL AND expires_at <= ?")
            .bind(key.accountId, key.ns, key.session, nowMs)
            .run();
    if (!dropped.ok()) return std::move(dropped).takeError();
    Statement upsert = c.prepare(
        "INSERT INTO context_sessions (account_id, namespace, session_id, created_at, "
        "updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (account_id, namespace, session_id) DO UPDATE SET "
        "updated_at = excluded.updated_at, expires_at = excluded.expires_at");
    upsert.bind(key.accountId, key.ns, key.session, nowMs, nowMs);
    if (expiresAtMs) {
      upsert.bindAt(6, *expiresAtMs);
    } else {
      upsert.bindAt(6, nullptr);
    }
    if (Result<int64_t> r = upsert.run(); !r.ok()) return std::move(r).takeError();
    if (replace) {
      Result<int64_t> cleared =
          c.prepare("DELETE FROM context_properties WHERE account_id = ? AND namespace = ? AND "
                    "session_id = ?")
              .bind(key.accountId, key.ns, key.session)
              .run();
      if (!cleared.ok()) return std::move(cleared).takeError();
    }
    for (const ContextProperty& p : properties) {
      Result<int64_t> r =
          c.prepare("INSERT INTO context_properties (account_id, namespace, session_id, name, "
                    "value, bytes) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (account_id, namespace, session_id, name) DO UPDATE SET "
                    "value = excluded.value, bytes = excluded.bytes")
              .bind(key.accountId, key.ns, key.session, p.name, p.valueJson,
                    static_cast<int64_t>(p.name.size() + p.valueJson.size()))
              .run();
      if (!r.ok()) return std::move(r).takeError();
    }
    return okStatus();
  });
}

Result<std::vector<ContextProperty>> SqliteContext::getProperties(
    const ContextSessionKey& key, const std::vector<std::string>* names, int64_t nowMs) {
  return store_.read([&](Connection& c) -> Result<std::vector<ContextProperty>> {
    if (Status s = requireNamespace(c, key.accountId, key.ns); !s.ok()) {
      return std::move(s).takeError();
    }
    std::string sql =
        std::string("SELECT p.name, p.value FROM context_properties p JOIN context_sessions s "
                    "USING (account_id, namespace, session_id) WHERE p.account_id = ? AND "
                    "p.namespace = ? AND p.session_id = ? AND ") +
        "(s.expires_at IS NULL OR s.expires_at > ?)";
    if (names != nullptr) {
      if (names->empty()) return std::vector<ContextProperty>{};
      sql += " AND p.name IN (";
      for (size_t i = 0; i < names->size(); ++i) sql += i == 0 ? "?" : ", ?";
      sql += ")";
    }
    sql += " ORDER BY p.name";
    Statement st = c.prepare(sql);
    st.bind(key.accountId, key.ns, key.session, nowMs);
    if (names != nullptr) {
      for (size_t i = 0; i < names->size(); ++i) st.bindAt(static_cast<int>(5 + i), (*names)[i]);
    }
    return st.all<ContextProperty>(decodeProperty);
  });
}

Result<bool> SqliteContext::deleteProperty(const ContextSessionKey& key, const std::string& name,
                                           int64_t nowMs) {
  return store_.write([&](Connection& c) -> Result<bool> {
    if (Status s = requireNamespace(c, key.accountId, key.ns); !s.ok()) {
      return std::move(s).takeError();
    }
    Result<int64_t> r =
        c.prepare(std::string("DELETE FROM context_properties WHERE account_id = ? AND "
                              "namespace = ? AND session_id = ? AND name = ? AND EXISTS (SELECT 1 "
                              "FROM context_sessions s WHERE s.account_id = ? AND s.namespace = ? "
                              "AND s.session_id = ? AND ") +
                  "(s.expires_at IS NULL OR s.expires_at > ?))")
            .bind(key.accountId, key.ns, key.session, name, key.accountId, key.ns, key.session,
                  nowMs)
            .run();
    if (!r.ok()) return std::move(r).takeError();
    return *r > 0;
  });
}

Result<ContextUsage> SqliteContext::usage(const ContextSessionKey& key, int64_t nowMs) {
  return store_.read([&](Connection& c) -> Result<ContextUsage> {
    ContextUsage u;
    auto integer = [](Statement& row) -> Result<int64_t> { return row.integer(0); };
    const std::string live = "(s.expires_at IS NULL OR s.expires_at > ?)";
    Result<std::optional<int64_t>> ns =
        c.prepare("SELECT COALESCE(SUM(p.bytes), 0) FROM context_properties p JOIN "
                  "context_sessions s USING (account_id, namespace, session_id) WHERE "
                  "p.account_id = ? AND p.namespace = ? AND " + live)
            .bind(key.accountId, key.ns, nowMs)
            .first<int64_t>(integer);
    if (!ns.ok()) return std::move(ns).takeError();
    u.namespaceBytes = ns->value_or(0);
    Result<std::optional<int64_t>> session =
        c.prepare("SELECT COALESCE(SUM(p.bytes), 0) FROM context_properties p JOIN "
                  "context_sessions s USING (account_id, namespace, session_id) WHERE "
                  "p.account_id = ? AND p.namespace = ? AND p.session_id = ? AND " + live)
            .bind(key.accountId, key.ns, key.session, nowMs)
            .first<int64_t>(integer);
    if (!session.ok()) return std::move(session).takeError();
    u.sessionBytes = session->value_or(0);
    Result<std::optional<int64_t>> count =
        c.prepare("SELECT COUNT(*) FROM context_namespaces WHERE account_id = ?")
            .bind(key.accountId)
            .first<int64_t>(integer);
    if (!count.ok()) return std::move(count).takeError();
    u.namespaceCount = count->value_or(0);
    return u;
  });
}

Result<int64_t> SqliteContext::purgeExpired(int64_t nowMs) {
  return store_.write([&](Connection& c) -> Result<int64_t> {
    return c
        .prepare("DELETE FROM context_sessions WHERE expires_at IS NOT NULL AND expires_at <= ?")
        .bind(nowMs)
        .run();
  });
}

}  // namespace parley::store::sqlite
