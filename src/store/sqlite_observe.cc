// Observability data: log queries over invocation_logs, per-function metric buckets and the
// activity stream.
#include <algorithm>
#include <cctype>

#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

// Rows per purge batch, as for invocations: each batch is its own short write.
constexpr int64_t kPurgeBatch = 1000;

std::string lowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "3:10,4:2" <-> {3: 10, 4: 2}.
std::string encodeHistogram(const std::map<int, int64_t>& h) {
  std::string out;
  for (const auto& [index, count] : h) {
    if (count == 0) continue;
    if (!out.empty()) out += ',';
    out += std::to_string(index) + ':' + std::to_string(count);
  }
  return out;
}

void addHistogram(const std::string& text, std::map<int, int64_t>& into) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    size_t colon = text.find(':', pos);
    if (colon != std::string::npos && colon < end) {
      try {
        into[std::stoi(text.substr(pos, colon - pos))] +=
            std::stoll(text.substr(colon + 1, end - colon - 1));
      } catch (...) {
        // A malformed entry is skipped: metrics are best effort, never a read failure.
      }
    }
    pos = end + 1;
  }
}

constexpr const char* kMetricsColumns =
    "account_id, function_uuid, bucket_start, succeeded, coding_failure, platform_failure, "
    "timeout, cold_starts, duration_sum_us, histogram";

Result<MetricsBucket> decodeMetrics(Statement& row) {
  MetricsBucket b;
  b.accountId = row.text(0);
  b.functionUuid = row.text(1);
  b.bucketStart = row.integer(2);
  b.succeeded = row.integer(3);
  b.codingFailure = row.integer(4);
  b.platformFailure = row.integer(5);
  b.timeout = row.integer(6);
  b.coldStarts = row.integer(7);
  b.durationSumUs = row.integer(8);
  addHistogram(row.text(9), b.histogram);
  return b;
}

constexpr const char* kActivityColumns =
    "id, account_id, at, actor_id, actor_name, action, target_type, target_id, target_name, "
    "description, diff";

Result<ActivityRecord> decodeActivity(Statement& row) {
  ActivityRecord r;
  r.id = row.integer(0);
  r.accountId = row.text(1);
  r.at = row.integer(2);
  r.actorId = row.text(3);
  r.actorName = row.text(4);
  r.action = row.text(5);
  r.targetType = row.text(6);
  r.targetId = row.text(7);
  r.targetName = row.text(8);
  r.description = row.text(9);
  r.diff = row.text(10);
  return r;
}


}  // namespace

Result<std::vector<LogLine>> SqliteInvocations::logs(const LogQuery& q) {
  if (q.limit <= 0) return Error::invalidArgument("the log query limit must be positive");
  if (q.functionUuid.empty() && q.invocationId.empty()) {
    return Error::invalidArgument("a log query needs a function or an invocation");
  }
  // The invocations are walked in order through invocations_by_function (or the primary key
  // for one invocation) and each one's lines come from invocation_logs' primary key in seq
  // order, so the ORDER BY needs no sort and LIMIT stops the walk early.
  std::string sql =
      "SELECT l.level, l.message, l.extras, l.timestamp, l.seq, i.id, i.function_uuid, "
      "i.started_at, i.rowid FROM invocations i JOIN invocation_logs l ON l.invocation_id = i.id "
      "WHERE i.account_id = ?";
  if (!q.functionUuid.empty()) sql += " AND i.function_uuid = ?";
  if (!q.invocationId.empty()) sql += " AND i.id = ?";
  if (q.from != 0) sql += " AND i.started_at >= ?";
  if (q.to != 0) sql += " AND i.started_at < ?";
  if (!q.levels.empty()) {
    sql += " AND l.level IN (";
    for (size_t i = 0; i < q.levels.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
  }
  if (!q.text.empty()) {
    sql += " AND (instr(lower(l.message), ?) > 0 OR instr(lower(l.extras), ?) > 0)";
  }
  const char* cmp = q.ascending ? ">" : "<";
  if (q.after) {
    sql += std::string(" AND i.started_at ") + cmp + "= ? AND (i.started_at " + cmp +
           " ? OR i.rowid " + cmp + " ? OR (i.rowid = ? AND l.seq > ?))";
  }
  sql += q.ascending ? " ORDER BY i.started_at ASC, i.rowid ASC, l.seq ASC LIMIT ?"
                     : " ORDER BY i.started_at DESC, i.rowid DESC, l.seq ASC LIMIT ?";
  const std::string needle = lowerAscii(q.text);
  return store_.read([&](Connection& c) {
    Statement st = c.prepare(sql);
    int index = 0;
    st.bindAt(++index, q.accountId);
    if (!q.functionUuid.empty()) st.bindAt(++index, q.functionUuid);
    if (!q.invocationId.empty()) st.bindAt(++index, q.invocationId);
    if (q.from != 0) st.bindAt(++index, q.from);
    if (q.to != 0) st.bindAt(++index, q.to);
    for (const std::string& level : q.levels) st.bindAt(++index, level);
    if (!q.text.empty()) {
      st.bindAt(++index, needle);
      st.bindAt(++index, needle);
    }
    if (q.after) {
      auto [startedAt, rowId, seq] = *q.after;
      st.bindAt(++index, startedAt);
      st.bindAt(++index, startedAt);
      st.bindAt(++index, rowId);
      st.bindAt(++index, rowId);
      st.bindAt(++index, seq);
    }
    st.bindAt(++index, q.limit);
    return st.all<LogLine>([](Statement& row) -> Result<LogLine> {
      LogLine l;
      l.log.level = row.text(0);
      l.log.message = row.text(1);
      l.log.extrasJson = row.text(2);
      l.log.timestamp = row.integer(3);
      l.seq = row.integer(4);
      l.invocationId = row.text(5);
      l.functionUuid = row.text(6);
      l.invocationStartedAt = row.integer(7);
      l.invocationRowId = row.integer(8);
      return l;
    });
  });
}

// ---- metrics ----

Status SqliteMetrics::add(const std::vector<MetricsBucket>& deltas) {
  if (deltas.empty()) return okStatus();
  return store_.write([&](Connection& c) -> Status {
    Statement read = c.prepare(
        "SELECT histogram FROM function_metrics "
        "WHERE account_id = ? AND function_uuid = ? AND bucket_start = ?");
    Statement upsert = c.prepare(
        std::string("INSERT INTO function_metrics (") + kMetricsColumns +
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (account_id, function_uuid, bucket_start) DO UPDATE SET "
        "succeeded = succeeded + excluded.succeeded, "
        "coding_failure = coding_failure + excluded.coding_failure, "
        "platform_failure = platform_failure + excluded.platform_failure, "
        "timeout = timeout + excluded.timeout, cold_starts = cold_starts + excluded.cold_starts, "
        "duration_sum_us = duration_sum_us + excluded.duration_sum_us, "
        "histogram = excluded.histogram");
    for (const MetricsBucket& d : deltas) {
      // The histogram is merged here (the counters in SQL): read, add, write back.
      read.reset();
      Result<std::optional<std::string>> stored =
          read.bind(d.accountId, d.functionUuid, d.bucketStart)
              .first<std::string>([](Statement& row) -> Result<std::string> {
                return row.text(0);
              });
      if (!stored.ok()) return std::move(stored).takeError();
      std::map<int, int64_t> histogram = d.histogram;
      if (stored->has_value()) addHistogram(**stored, histogram);
      read.reset();
      upsert.reset();
      Result<int64_t> written =
          upsert
              .bind(d.accountId, d.functionUuid, d.bucketStart, d.succeeded, d.codingFailure,
                    d.platformFailure, d.timeout, d.coldStarts, d.durationSumUs,
                    encodeHistogram(histogram))
              .run();
      if (!written.ok()) return std::move(written).takeError();
    }
    return okStatus();
  });
}

Result<std::vector<MetricsBucket>> SqliteMetrics::range(const std::string& accountId,
                                                        const std::string& functionUuid,
                                                        int64_t from, int64_t to) {
  return store_.read([&](Connection& c) {
    return c
        .prepare(std::string("SELECT ") + kMetricsColumns +
                 " FROM function_metrics WHERE account_id = ? AND function_uuid = ? "
                 "AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start")
        .bind(accountId, functionUuid, from, to)
        .all<MetricsBucket>(decodeMetrics);
  });
}

Result<MetricsBucket> SqliteMetrics::accountTotal(const std::string& accountId, int64_t from,
                                                  int64_t to) {
  return store_.read([&](Connection& c) -> Result<MetricsBucket> {
    Result<std::optional<MetricsBucket>> row =
        c.prepare(
             "SELECT ?, '', ?, TOTAL(succeeded), TOTAL(coding_failure), "
             "TOTAL(platform_failure), TOTAL(timeout), TOTAL(cold_starts), "
             "TOTAL(duration_sum_us), '' FROM function_metrics "
             "WHERE account_id = ? AND bucket_start >= ? AND bucket_start < ?")
            .bind(accountId, from, accountId, from, to)
            .first<MetricsBucket>(decodeMetrics);
    if (!row.ok()) return std::move(row).takeError();
    return row->value_or(MetricsBucket{});
  });
}

Status SqliteMetrics::purgeBefore(int64_t bucketBefore) {
  // One statement: at most a few hundred buckets per function and day, purged hourly.
  Result<int64_t> deleted = store_.write([&](Connection& c) {
    return c.prepare("DELETE FROM function_metrics WHERE bucket_start < ?").bind(bucketBefore).run();
  });
  if (!deleted.ok()) return std::move(deleted).takeError();
  return okStatus();
}

// ---- activity ----

Result<int64_t> SqliteActivity::append(const ActivityRecord& r) {
  return store_.write([&](Connection& c) -> Result<int64_t> {
    Result<int64_t> done =
        c.prepare(
             "INSERT INTO activity (account_id, at, actor_id, actor_name, action, target_type, "
             "target_id, target_name, description, diff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(r.accountId, r.at, r.actorId, r.actorName, r.action, r.targetType, r.targetId,
                  r.targetName, r.description, r.diff)
            .run();
    if (!done.ok()) return std::move(done).takeError();
    return c.lastInsertRowid();
  });
}

Result<std::vector<ActivityRecord>> SqliteActivity::list(const ActivityQuery& q) {
  if (q.limit <= 0) return Error::invalidArgument("the activity query limit must be positive");
  std::string sql =
      std::string("SELECT ") + kActivityColumns + " FROM activity WHERE account_id = ?";
  if (!q.targetId.empty()) sql += " AND target_id = ?";
  if (q.from != 0) sql += " AND at >= ?";
  if (q.to != 0) sql += " AND at < ?";
  if (q.beforeId != 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  return store_.read([&](Connection& c) {
    Statement st = c.prepare(sql);
    int index = 0;
    st.bindAt(++index, q.accountId);
    if (!q.targetId.empty()) st.bindAt(++index, q.targetId);
    if (q.from != 0) st.bindAt(++index, q.from);
    if (q.to != 0) st.bindAt(++index, q.to);
    if (q.beforeId != 0) st.bindAt(++index, q.beforeId);
    st.bindAt(++index, q.limit);
    return st.all<ActivityRecord>(decodeActivity);
  });
}

Status SqliteActivity::purgeBefore(int64_t atBefore) {
  for (;;) {
    Result<int64_t> deleted = store_.write([&](Connection& c) {
      return c
          .prepare("DELETE FROM activity WHERE id IN (SELECT id FROM activity WHERE at < ? LIMIT ?)")
          .bind(atBefore, kPurgeBatch)
          .run();
    });
    if (!deleted.ok()) return std::move(deleted).takeError();
    if (*deleted < kPurgeBatch) return okStatus();
  }
}

}  // namespace parley::store::sqlite
