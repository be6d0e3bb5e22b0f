// Functions, their versions and their deployment history.
#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

constexpr const char* kFunctionColumns =
    "uuid, account_id, name, description, event_id, skills, state, latest_version, "
    "deployed_version, last_error, created_at, created_by, updated_at, updated_by";

Result<FunctionRecord> decodeFunction(Statement& row) {
  FunctionRecord f;
  f.uuid = row.text(0);
  f.accountId = row.text(1);
  f.name = row.text(2);
  f.description = row.text(3);
  f.eventId = row.text(4);
  Result<std::vector<std::string>> skills =
      decodeStringList(row.text(5), "the skills of function " + quoted(f.uuid));
  if (!skills.ok()) return std::move(skills).takeError();
  f.skills = std::move(skills).value();
  std::string state = row.text(6);
  std::optional<FunctionState> parsed = functionStateFromName(state);
  if (!parsed) {
    return Error::invalidArgument("function " + quoted(f.uuid) + " has an unknown state " +
                                  quoted(state));
  }
  f.state = *parsed;
  f.latestVersion = row.integer(7);
  f.deployedVersion = row.integer(8);
  f.lastError = row.text(9);
  f.createdAt = row.integer(10);
  f.createdBy = row.text(11);
  f.updatedAt = row.integer(12);
  f.updatedBy = row.text(13);
  return f;
}

std::string selectFunctions(const char* where) {
  return std::string("SELECT ") + kFunctionColumns + " FROM functions " + where;
}

std::string nameTaken(const FunctionRecord& f) {
  return "a function named " + quoted(f.name) + " already exists in account " + quoted(f.accountId);
}

std::string functionNotFound(const std::string& accountId, const std::string& uuid) {
  return "function " + quoted(uuid) + " not found in account " + quoted(accountId);
}

constexpr const char* kVersionColumns =
    "function_uuid, version, code, environment, timeout_seconds, memory_mb, created_at, "
    "created_by";

Result<VersionRecord> decodeVersion(Statement& row) {
  VersionRecord v;
  v.functionUuid = row.text(0);
  v.version = row.integer(1);
  v.code = row.text(2);
  Result<std::map<std::string, std::string>> env =
      decodeStringMap(row.text(3), "the environment of version " + std::to_string(v.version) +
                                       " of function " + quoted(v.functionUuid));
  if (!env.ok()) return std::move(env).takeError();
  v.environment = std::move(env).value();
  v.settings.timeoutSeconds = row.integer(4);
  v.settings.memoryMb = row.integer(5);
  v.createdAt = row.integer(6);
  v.createdBy = row.text(7);
  return v;
}

Result<DeploymentRecord> decodeDeployment(Statement& row) {
  DeploymentRecord d;
  d.id = row.integer(0);
  d.functionUuid = row.text(1);
  d.action = row.text(2);
  d.version = row.integer(3);
  d.state = row.text(4);
  d.error = row.text(5);
  d.createdAt = row.integer(6);
  d.createdBy = row.text(7);
  return d;
}

}  // namespace

Status SqliteFunctions::create(const FunctionRecord& f) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare(std::string("INSERT INTO functions (") + kFunctionColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(f.uuid, f.accountId, f.name, f.description, f.eventId, encodeStringList(f.skills),
                  functionStateName(f.state), f.latestVersion, f.deployedVersion, f.lastError,
                  f.createdAt, f.createdBy, f.updatedAt, f.updatedBy)
            .run();
    if (r.ok()) return okStatus();
    Error e = std::move(r).takeError();
    bool byUuid = e.message().find("functions.uuid") != std::string::npos;
    return nameConstraintError(
        std::move(e),
        byUuid ? "a function with uuid " + quoted(f.uuid) + " already exists" : nameTaken(f),
        "account " + quoted(f.accountId) + " not found");
  });
}

Status SqliteFunctions::update(const FunctionRecord& f) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> changed =
        c.prepare(
             "UPDATE functions SET name = ?, description = ?, event_id = ?, skills = ?, "
             "state = ?, latest_version = ?, deployed_version = ?, last_error = ?, "
             "created_at = ?, created_by = ?, updated_at = ?, updated_by = ? "
             "WHERE uuid = ? AND account_id = ?")
            .bind(f.name, f.description, f.eventId, encodeStringList(f.skills),
                  functionStateName(f.state), f.latestVersion, f.deployedVersion, f.lastError,
                  f.createdAt, f.createdBy, f.updatedAt, f.updatedBy, f.uuid, f.accountId)
            .run();
    if (!changed.ok()) return nameConstraintError(std::move(changed).takeError(), nameTaken(f));
    if (*changed == 0) return Error::notFound(functionNotFound(f.accountId, f.uuid));
    return okStatus();
  });
}

Status SqliteFunctions::remove(const std::string& accountId, const std::string& uuid) {
  return store_.write([&](Connection& c) -> Status {
    // Versions and deployments go with it (ON DELETE CASCADE).
    Result<int64_t> removed = c.prepare("DELETE FROM functions WHERE uuid = ? AND account_id = ?")
                                  .bind(uuid, accountId)
                                  .run();
    if (!removed.ok()) return std::move(removed).takeError();
    if (*removed == 0) return Error::notFound(functionNotFound(accountId, uuid));
    return okStatus();
  });
}

Result<FunctionRecord> SqliteFunctions::get(const std::string& accountId, const std::string& uuid) {
  return store_.read([&](Connection& c) {
    return foundOr(c.prepare(selectFunctions("WHERE uuid = ? AND account_id = ?"))
                       .bind(uuid, accountId)
                       .first<FunctionRecord>(decodeFunction),
                   functionNotFound(accountId, uuid));
  });
}

Result<FunctionRecord> SqliteFunctions::getByName(const std::string& accountId,
                                                  const std::string& name) {
  return store_.read([&](Connection& c) {
    return foundOr(c.prepare(selectFunctions("WHERE account_id = ? AND name = ?"))
                       .bind(accountId, name)
                       .first<FunctionRecord>(decodeFunction),
                   functionNotFound(accountId, name));
  });
}

Result<std::vector<FunctionRecord>> SqliteFunctions::list(const std::string& accountId) {
  return store_.read([&](Connection& c) {
    return c.prepare(selectFunctions("WHERE account_id = ? ORDER BY name"))
        .bind(accountId)
        .all<FunctionRecord>(decodeFunction);
  });
}

Result<std::vector<FunctionRecord>> SqliteFunctions::listBoundTo(const std::string& accountId,
                                                                 const std::string& eventId) {
  return store_.read([&](Connection& c) {
    return c.prepare(selectFunctions("WHERE account_id = ? AND event_id = ? ORDER BY name"))
        .bind(accountId, eventId)
        .all<FunctionRecord>(decodeFunction);
  });
}

Result<int64_t> SqliteFunctions::count(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<int64_t> {
    Result<std::optional<int64_t>> n =
        c.prepare("SELECT COUNT(*) FROM functions WHERE account_id = ?")
            .bind(accountId)
            .first<int64_t>([](Statement& row) { return Result<int64_t>(row.integer(0)); });
    if (!n.ok()) return std::move(n).takeError();
    return n->value_or(0);
  });
}

// ---- versions ----

Status SqliteFunctions::addVersion(const VersionRecord& v) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare(std::string("INSERT INTO versions (") + kVersionColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(v.functionUuid, v.version, v.code, encodeStringMap(v.environment),
                  v.settings.timeoutSeconds, v.settings.memoryMb, v.createdAt, v.createdBy)
            .run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 "version " + std::to_string(v.version) + " of function " +
                                     quoted(v.functionUuid) + " already exists",
                                 "function " + quoted(v.functionUuid) + " not found");
    }
    return okStatus();
  });
}

Result<VersionRecord> SqliteFunctions::version(const std::string& functionUuid, int64_t version) {
  return store_.read([&](Connection& c) {
    return foundOr(c.prepare(std::string("SELECT ") + kVersionColumns +
                             " FROM versions WHERE function_uuid = ? AND version = ?")
                       .bind(functionUuid, version)
                       .first<VersionRecord>(decodeVersion),
                   "version " + std::to_string(version) + " of function " + quoted(functionUuid) +
                       " not found");
  });
}

Result<std::vector<VersionRecord>> SqliteFunctions::versions(const std::string& functionUuid) {
  return store_.read([&](Connection& c) {
    return c
        .prepare(std::string("SELECT ") + kVersionColumns +
                 " FROM versions WHERE function_uuid = ? ORDER BY version DESC")
        .bind(functionUuid)
        .all<VersionRecord>(decodeVersion);
  });
}

Status SqliteFunctions::pruneVersions(const std::string& functionUuid, int64_t keep,
                                      int64_t protectedVersion) {
  if (keep < 0) return Error::invalidArgument("cannot keep a negative number of versions");
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare(
             "DELETE FROM versions WHERE function_uuid = ?1 AND version <> ?2 "
             "AND version NOT IN (SELECT version FROM versions WHERE function_uuid = ?1 "
             "ORDER BY version DESC LIMIT ?3)")
            .bind(functionUuid, protectedVersion, keep)
            .run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

// ---- deployments ----

Result<int64_t> SqliteFunctions::addDeployment(const DeploymentRecord& d) {
  return store_.write([&](Connection& c) -> Result<int64_t> {
    Result<int64_t> r =
        c.prepare(
             "INSERT INTO deployments (function_uuid, action, version, state, error, "
             "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(d.functionUuid, d.action, d.version, d.state, d.error, d.createdAt, d.createdBy)
            .run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(), {},
                                 "function " + quoted(d.functionUuid) + " not found");
    }
    // Read under the writer lock, so it is this insert's id.
    return c.lastInsertRowid();
  });
}

Result<std::vector<DeploymentRecord>> SqliteFunctions::deployments(
    const std::string& functionUuid) {
  return store_.read([&](Connection& c) {
    return c
        .prepare(
            "SELECT id, function_uuid, action, version, state, error, created_at, created_by "
            "FROM deployments WHERE function_uuid = ? ORDER BY id DESC")
        .bind(functionUuid)
        .all<DeploymentRecord>(decodeDeployment);
  });
}

}  // namespace parley::store::sqlite
