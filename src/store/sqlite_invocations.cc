// Invocation records and their logs. put() runs once per invocation (twice for asynchronous
// ones: running, then done), so it keeps to cached statements and one transaction.
#include <algorithm>
#include <functional>

#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

constexpr const char* kInvocationColumns =
    "id, account_id, function_uuid, version, trigger_kind, status, outcome, error_code, "
    "error_message, result_json, duration_us, cold_start, started_at, finished_at";

Result<InvocationRecord> decodeInvocation(Statement& row) {
  InvocationRecord r;
  r.id = row.text(0);
  r.accountId = row.text(1);
  r.functionUuid = row.text(2);
  r.version = row.integer(3);
  r.trigger = row.text(4);
  r.status = row.text(5);
  r.outcome = row.text(6);
  r.errorCode = row.text(7);
  r.errorMessage = row.text(8);
  r.resultJson = row.text(9);
  r.durationUs = row.integer(10);
  r.coldStart = row.boolean(11);
  r.startedAt = row.integer(12);
  r.finishedAt = row.integer(13);
  r.rowId = row.integer(14);
  return r;
}

Result<LogRecord> decodeLog(Statement& row) {
  LogRecord l;
  l.level = row.text(0);
  l.message = row.text(1);
  l.extrasJson = row.text(2);
  l.timestamp = row.integer(3);
  return l;
}

// Rows per purge batch: each batch is its own write, so invocations finishing meanwhile wait
// for one batch, not for the whole purge.
constexpr int64_t kPurgeBatch = 1000;

}  // namespace

Status SqliteInvocations::put(const InvocationRecord& r) {
  return store_.write([&](Connection& c) -> Status {
    // Most records are new (a synchronous invocation is put once): a plain insert that does
    // nothing on a known id, and only then the update and the removal of the earlier logs.
    // An upsert rather than INSERT OR REPLACE: REPLACE deletes the row, which would cascade to
    // the logs and give the row a new rowid (the tie-breaker of "newest first").
    // Built once: this runs for every invocation.
    static const std::string kValues =
        std::string("INSERT INTO invocations (") + kInvocationColumns +
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ";
    static const std::string kInsertNew = kValues + "ON CONFLICT (id) DO NOTHING";
    static const std::string kUpsert =
        kValues +
        "ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, "
        "function_uuid = excluded.function_uuid, version = excluded.version, "
        "trigger_kind = excluded.trigger_kind, status = excluded.status, "
        "outcome = excluded.outcome, error_code = excluded.error_code, "
        "error_message = excluded.error_message, result_json = excluded.result_json, "
        "duration_us = excluded.duration_us, cold_start = excluded.cold_start, "
        "started_at = excluded.started_at, finished_at = excluded.finished_at";
    auto bindRecord = [&](Statement&& s) -> Result<int64_t> {
      return s.bind(r.id, r.accountId, r.functionUuid, r.version, r.trigger, r.status, r.outcome,
                    r.errorCode, r.errorMessage, r.resultJson, r.durationUs, r.coldStart,
                    r.startedAt, r.finishedAt)
          .run();
    };
    Result<int64_t> inserted = bindRecord(c.prepare(kInsertNew));
    if (!inserted.ok()) return std::move(inserted).takeError();
    if (*inserted == 0) {
      Result<int64_t> updated = bindRecord(c.prepare(kUpsert));
      if (!updated.ok()) return std::move(updated).takeError();
      Result<int64_t> cleared =
          c.prepare("DELETE FROM invocation_logs WHERE invocation_id = ?").bind(r.id).run();
      if (!cleared.ok()) return std::move(cleared).takeError();
    }

    if (r.logs.empty()) return okStatus();
    Statement insert = c.prepare(
        "INSERT INTO invocation_logs (invocation_id, seq, level, message, extras, timestamp) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < r.logs.size(); ++i) {
      const LogRecord& log = r.logs[i];
      insert.reset();
      Result<int64_t> added = insert
                                  .bind(r.id, static_cast<int64_t>(i), log.level, log.message,
                                        log.extrasJson, log.timestamp)
                                  .run();
      if (!added.ok()) return std::move(added).takeError();
    }
    return okStatus();
  });
}

Result<InvocationRecord> SqliteInvocations::get(const std::string& accountId,
                                                const std::string& id) {
  // One read snapshot for the record and its logs (SqliteStore::read).
  return store_.read([&](Connection& c) -> Result<InvocationRecord> {
    Result<InvocationRecord> record =
        foundOr(c.prepare(std::string("SELECT ") + kInvocationColumns +
                          ", rowid FROM invocations WHERE id = ? AND account_id = ?")
                    .bind(id, accountId)
                    .first<InvocationRecord>(decodeInvocation),
                "invocation " + quoted(id) + " not found in account " + quoted(accountId));
    if (!record.ok()) return record;
    Result<std::vector<LogRecord>> logs =
        c.prepare(
             "SELECT level, message, extras, timestamp FROM invocation_logs "
             "WHERE invocation_id = ? ORDER BY seq")
            .bind(id)
            .all<LogRecord>(decodeLog);
    if (!logs.ok()) return std::move(logs).takeError();
    record->logs = std::move(logs).value();
    return record;
  });
}

namespace {

// The WHERE clause of one function's records (account and function bound first) with the
// query's other filters, and its binding. Only the filters in use go into the SQL, so each
// combination gets its own cached statement and query plan.
std::string functionRangeSql(const InvocationQuery& q) {
  std::string sql = " FROM invocations WHERE account_id = ? AND function_uuid = ?";
  if (!q.trigger.empty()) sql += " AND trigger_kind = ?";
  if (!q.outcome.empty()) sql += " AND outcome = ?";
  if (q.from != 0) sql += " AND started_at >= ?";
  if (q.to != 0) sql += " AND started_at < ?";
  if (q.before) sql += " AND started_at <= ? AND (started_at < ? OR rowid < ?)";
  // rowid breaks ties between equal start times by insertion order, and is in every index.
  return sql + " ORDER BY started_at DESC, rowid DESC LIMIT ?";
}

void bindFunctionRange(Statement& st, const InvocationQuery& q, const std::string& functionUuid) {
  int index = 0;
  st.bindAt(++index, q.accountId);
  st.bindAt(++index, functionUuid);
  if (!q.trigger.empty()) st.bindAt(++index, q.trigger);
  if (!q.outcome.empty()) st.bindAt(++index, q.outcome);
  if (q.from != 0) st.bindAt(++index, q.from);
  if (q.to != 0) st.bindAt(++index, q.to);
  if (q.before) {
    st.bindAt(++index, q.before->first);
    st.bindAt(++index, q.before->first);
    st.bindAt(++index, q.before->second);
  }
  st.bindAt(++index, q.limit);
}

}  // namespace

Result<std::vector<InvocationRecord>> SqliteInvocations::query(const InvocationQuery& q) {
  if (q.limit <= 0) return Error::invalidArgument("the invocation query limit must be positive");
  const std::string range = functionRangeSql(q);
  return store_.read([&](Connection& c) -> Result<std::vector<InvocationRecord>> {
    if (!q.functionUuid.empty()) {
      Statement st = c.prepare(std::string("SELECT ") + kInvocationColumns + ", rowid" + range);
      bindFunctionRange(st, q, q.functionUuid);
      return st.all<InvocationRecord>(decodeInvocation);
    }
    // A whole account: there is no index on (account, start time), which every recorded
    // invocation would have to update. Its functions are found by seeking from one function
    // id to the next through invocations_by_function; each function's newest `limit` keys
    // (start time, rowid) come from the same index (reading rows only for the trigger and
    // outcome filters); the newest `limit` of those are the answer, read by rowid. Cost: a few
    // seeks per function of the account, and at most `limit` whole rows read.
    using Key = std::pair<int64_t, int64_t>;
    const std::string keysSql = "SELECT started_at, rowid" + range;
    std::vector<Key> keys;
    std::string functionUuid;
    for (;;) {
      auto next = c.prepare(
                       "SELECT function_uuid FROM invocations WHERE account_id = ? AND "
                       "function_uuid > ? ORDER BY function_uuid LIMIT 1")
                      .bind(q.accountId, functionUuid)
                      .first<std::string>([](Statement& row) -> Result<std::string> {
                        return row.text(0);
                      });
      if (!next.ok()) return std::move(next).takeError();
      if (!next->has_value()) break;
      functionUuid = std::move(**next);
      Statement st = c.prepare(keysSql);
      bindFunctionRange(st, q, functionUuid);
      auto some = st.all<Key>([](Statement& row) -> Result<Key> {
        return Key{row.integer(0), row.integer(1)};
      });
      if (!some.ok()) return std::move(some).takeError();
      keys.insert(keys.end(), some->begin(), some->end());
    }
    const size_t n = std::min(keys.size(), static_cast<size_t>(q.limit));
    std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(n), keys.end(),
                      std::greater<>());
    static const std::string kByRowId =
        std::string("SELECT ") + kInvocationColumns + ", rowid FROM invocations WHERE rowid = ?";
    std::vector<InvocationRecord> rows;
    rows.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto row = c.prepare(kByRowId)
                     .bind(keys[i].second)
                     .first<InvocationRecord>(decodeInvocation);
      if (!row.ok()) return std::move(row).takeError();
      if (row->has_value()) rows.push_back(std::move(**row));
    }
    return rows;
  });
}

Status SqliteInvocations::purgeBefore(int64_t startedBefore) {
  // A record gets its rowid when it is first written, at most one invocation's run time after it
  // started, so rowid order is start order give or take that time. Each batch looks at the
  // oldest kPurgeBatch rows only (no index on started_at, which every insert would have to
  // update) and the purge ends at the first batch with nothing old enough: a record started
  // just before the cutoff but written after younger ones waits for the next purge.
  for (;;) {
    // Logs go with their invocations (ON DELETE CASCADE).
    Result<int64_t> deleted = store_.write([&](Connection& c) {
      return c
          .prepare(
              "DELETE FROM invocations WHERE rowid IN "
              "(SELECT rowid FROM invocations ORDER BY rowid LIMIT ?) AND started_at < ?")
          .bind(kPurgeBatch, startedBefore)
          .run();
    });
    if (!deleted.ok()) return std::move(deleted).takeError();
    if (*deleted == 0) return okStatus();
  }
}

}  // namespace parley::store::sqlite
