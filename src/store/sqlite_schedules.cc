// Cron schedules (table schedules, migration 3).
#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

constexpr const char* kColumns =
    "id, account_id, function_uuid, cron, time_zone, headers, payload, description, is_active, "
    "paused_by_undeploy, next_fire_ms, last_fire_ms, last_outcome, last_invocation_id, "
    "created_at, created_by, updated_at, updated_by";

std::optional<int64_t> optionalInteger(Statement& row, int column) {
  if (row.isNull(column)) return std::nullopt;
  return row.integer(column);
}

Statement& bindOptional(Statement& st, int index, const std::optional<int64_t>& v) {
  if (v.has_value()) return st.bindAt(index, *v);
  return st.bindAt(index, nullptr);
}

Result<ScheduleRecord> decodeSchedule(Statement& row) {
  ScheduleRecord s;
  s.id = row.text(0);
  s.accountId = row.text(1);
  s.functionUuid = row.text(2);
  s.cron = row.text(3);
  s.timeZone = row.text(4);
  Result<std::map<std::string, std::string>> headers =
      decodeStringMap(row.text(5), "headers of schedule " + quoted(s.id));
  if (!headers.ok()) return std::move(headers).takeError();
  s.headers = std::move(headers).value();
  s.payloadJson = row.text(6);
  s.description = row.text(7);
  s.isActive = row.boolean(8);
  s.pausedByUndeploy = row.boolean(9);
  s.nextFireMs = optionalInteger(row, 10);
  s.lastFireMs = optionalInteger(row, 11);
  s.lastOutcome = row.text(12);
  s.lastInvocationId = row.text(13);
  s.createdAt = row.integer(14);
  s.createdBy = row.text(15);
  s.updatedAt = row.integer(16);
  s.updatedBy = row.text(17);
  return s;
}

std::string scheduleName(const std::string& accountId, const std::string& id) {
  return "schedule " + quoted(id) + " in account " + quoted(accountId);
}

// Binds the 18 columns in kColumns order starting at `first`.
Statement& bindAll(Statement& st, const ScheduleRecord& s) {
  st.bind(s.id, s.accountId, s.functionUuid, s.cron, s.timeZone, encodeStringMap(s.headers),
          s.payloadJson, s.description, s.isActive, s.pausedByUndeploy);
  bindOptional(st, 11, s.nextFireMs);
  bindOptional(st, 12, s.lastFireMs);
  st.bindAt(13, s.lastOutcome)
      .bindAt(14, s.lastInvocationId)
      .bindAt(15, s.createdAt)
      .bindAt(16, s.createdBy)
      .bindAt(17, s.updatedAt)
      .bindAt(18, s.updatedBy);
  return st;
}

}  // namespace

Status SqliteSchedules::create(const ScheduleRecord& s) {
  return store_.write([&](Connection& c) -> Status {
    Statement st = c.prepare(std::string("INSERT INTO schedules (") + kColumns +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Result<int64_t> r = bindAll(st, s).run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 scheduleName(s.accountId, s.id) + " already exists",
                                 "account " + quoted(s.accountId) + " or function " +
                                     quoted(s.functionUuid) + " not found");
    }
    return okStatus();
  });
}

Result<ScheduleRecord> SqliteSchedules::get(const std::string& accountId, const std::string& id) {
  return store_.read([&](Connection& c) -> Result<ScheduleRecord> {
    return foundOr(c.prepare(std::string("SELECT ") + kColumns +
                             " FROM schedules WHERE account_id = ? AND id = ?")
                       .bind(accountId, id)
                       .first<ScheduleRecord>(decodeSchedule),
                   "No " + scheduleName(accountId, id));
  });
}

Result<std::vector<ScheduleRecord>> SqliteSchedules::list(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<std::vector<ScheduleRecord>> {
    return c
        .prepare(std::string("SELECT ") + kColumns +
                 " FROM schedules WHERE account_id = ? ORDER BY created_at, id")
        .bind(accountId)
        .all<ScheduleRecord>(decodeSchedule);
  });
}

Result<std::vector<ScheduleRecord>> SqliteSchedules::listForFunction(
    const std::string& accountId, const std::string& functionUuid) {
  return store_.read([&](Connection& c) -> Result<std::vector<ScheduleRecord>> {
    return c
        .prepare(std::string("SELECT ") + kColumns +
                 " FROM schedules WHERE account_id = ? AND function_uuid = ? "
                 "ORDER BY created_at, id")
        .bind(accountId, functionUuid)
        .all<ScheduleRecord>(decodeSchedule);
  });
}

Result<int64_t> SqliteSchedules::count(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<int64_t> {
    Result<std::optional<int64_t>> n =
        c.prepare("SELECT COUNT(*) FROM schedules WHERE account_id = ?")
            .bind(accountId)
            .first<int64_t>([](Statement& row) -> Result<int64_t> { return row.integer(0); });
    if (!n.ok()) return std::move(n).takeError();
    return n->value_or(0);
  });
}

Status SqliteSchedules::update(const ScheduleRecord& s) {
  return store_.write([&](Connection& c) -> Status {
    Statement st = c.prepare(
        "UPDATE schedules SET id = ?, account_id = ?, function_uuid = ?, cron = ?, "
        "time_zone = ?, headers = ?, payload = ?, description = ?, is_active = ?, "
        "paused_by_undeploy = ?, next_fire_ms = ?, last_fire_ms = ?, last_outcome = ?, "
        "last_invocation_id = ?, created_at = ?, created_by = ?, updated_at = ?, "
        "updated_by = ? WHERE account_id = ? AND id = ?");
    bindAll(st, s).bindAt(19, s.accountId).bindAt(20, s.id);
    Result<int64_t> r = st.run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(), "",
                                 "function " + quoted(s.functionUuid) + " not found");
    }
    if (*r == 0) return Error::notFound("No " + scheduleName(s.accountId, s.id));
    return okStatus();
  });
}

Status SqliteSchedules::remove(const std::string& accountId, const std::string& id) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare("DELETE FROM schedules WHERE account_id = ? AND id = ?").bind(accountId, id).run();
    if (!r.ok()) return std::move(r).takeError();
    if (*r == 0) return Error::notFound("No " + scheduleName(accountId, id));
    return okStatus();
  });
}

Result<std::vector<ScheduleRecord>> SqliteSchedules::due(int64_t nowMs, int64_t limit) {
  return store_.read([&](Connection& c) -> Result<std::vector<ScheduleRecord>> {
    return c
        .prepare(std::string("SELECT ") + kColumns +
                 " FROM schedules WHERE is_active = 1 AND paused_by_undeploy = 0 AND "
                 "next_fire_ms <= ? "
                 "ORDER BY next_fire_ms, id LIMIT ?")
        .bind(nowMs, limit)
        .all<ScheduleRecord>(decodeSchedule);
  });
}

Result<bool> SqliteSchedules::claimFire(const std::string& id,
                                        std::optional<int64_t> expectedLastFireMs,
                                        int64_t newLastFireMs,
                                        std::optional<int64_t> newNextFireMs) {
  return store_.write([&](Connection& c) -> Result<bool> {
    Statement st = c.prepare(
        "UPDATE schedules SET last_fire_ms = ?, next_fire_ms = ? "
        "WHERE id = ? AND last_fire_ms IS ?");
    st.bindAt(1, newLastFireMs);
    bindOptional(st, 2, newNextFireMs);
    st.bindAt(3, id);
    bindOptional(st, 4, expectedLastFireMs);
    Result<int64_t> r = st.run();
    if (!r.ok()) return std::move(r).takeError();
    return *r == 1;
  });
}

Status SqliteSchedules::setNextFire(const std::string& id, std::optional<int64_t> nextFireMs) {
  return store_.write([&](Connection& c) -> Status {
    Statement st = c.prepare("UPDATE schedules SET next_fire_ms = ? WHERE id = ?");
    bindOptional(st, 1, nextFireMs);
    st.bindAt(2, id);
    Result<int64_t> r = st.run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

Status SqliteSchedules::recordOutcome(const std::string& id, int64_t dueMs,
                                      const std::string& outcome,
                                      const std::string& invocationId) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare(
             "UPDATE schedules SET last_outcome = ?, last_invocation_id = ? "
             "WHERE id = ? AND last_fire_ms = ?")
            .bind(outcome, invocationId, id, dueMs)
            .run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

}  // namespace parley::store::sqlite
