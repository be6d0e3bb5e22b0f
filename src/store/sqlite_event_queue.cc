// The durable event queue (tables event_queue, event_dedupe, dead_letters, webhook_outbox;
// migration 4). See EventQueueRepository in store.h for the contract.
#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

constexpr const char* kQueueColumns =
    "seq, account_id, event_id, source, type, subject, skill_id, event_json, pending_functions, "
    "attempts, next_attempt_ms, last_error, accepted_at";

Result<QueuedEvent> decodeQueued(Statement& row) {
  QueuedEvent e;
  e.seq = row.integer(0);
  e.accountId = row.text(1);
  e.eventId = row.text(2);
  e.source = row.text(3);
  e.type = row.text(4);
  e.subject = row.text(5);
  e.skillId = row.text(6);
  e.eventJson = row.text(7);
  if (!row.isNull(8)) {
    auto pending = decodeStringList(row.text(8), "pending functions of queued event " +
                                                     std::to_string(e.seq));
    if (!pending.ok()) return std::move(pending).takeError();
    e.pendingFunctions = std::move(pending).value();
  }
  e.attempts = row.integer(9);
  e.nextAttemptMs = row.integer(10);
  e.lastError = row.text(11);
  e.acceptedAt = row.integer(12);
  return e;
}

constexpr const char* kDeadColumns =
    "id, account_id, event_id, source, type, subject, skill_id, event_json, functions, attempts, "
    "last_error, accepted_at, dead_at";

Result<DeadLetterRecord> decodeDead(Statement& row) {
  DeadLetterRecord d;
  d.id = row.text(0);
  d.accountId = row.text(1);
  d.eventId = row.text(2);
  d.source = row.text(3);
  d.type = row.text(4);
  d.subject = row.text(5);
  d.skillId = row.text(6);
  d.eventJson = row.text(7);
  auto functions = decodeStringList(row.text(8), "functions of dead letter " + quoted(d.id));
  if (!functions.ok()) return std::move(functions).takeError();
  d.functions = std::move(functions).value();
  d.attempts = row.integer(9);
  d.lastError = row.text(10);
  d.acceptedAt = row.integer(11);
  d.deadAt = row.integer(12);
  return d;
}

Result<WebhookMessage> decodeWebhook(Statement& row) {
  WebhookMessage m;
  m.seq = row.integer(0);
  m.accountId = row.text(1);
  m.body = row.text(2);
  m.attempts = row.integer(3);
  m.nextAttemptMs = row.integer(4);
  m.createdAt = row.integer(5);
  return m;
}

std::string deadName(const std::string& accountId, const std::string& id) {
  return "dead letter " + quoted(id) + " in account " + quoted(accountId);
}

Status insertQueued(Connection& c, const QueuedEvent& e) {
  Statement st = c.prepare(
      "INSERT INTO event_queue (account_id, event_id, source, type, subject, skill_id, "
      "event_json, pending_functions, attempts, next_attempt_ms, last_error, accepted_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(e.accountId, e.eventId, e.source, e.type, e.subject, e.skillId, e.eventJson);
  if (e.pendingFunctions) {
    st.bindAt(8, encodeStringList(*e.pendingFunctions));
  } else {
    st.bindAt(8, nullptr);
  }
  st.bindAt(9, e.attempts).bindAt(10, e.nextAttemptMs).bindAt(11, e.lastError)
      .bindAt(12, e.acceptedAt);
  Result<int64_t> r = st.run();
  if (!r.ok()) return std::move(r).takeError();
  return okStatus();
}

}  // namespace

Result<std::vector<bool>> SqliteEventQueue::enqueue(const std::vector<QueuedEvent>& events,
                                                    int64_t dedupeSinceMs) {
  return store_.write([&](Connection& c) -> Result<std::vector<bool>> {
    std::vector<bool> stored;
    stored.reserve(events.size());
    for (const QueuedEvent& e : events) {
      // One row per (account, source, id): inserted, or renewed when its window has passed;
      // untouched (0 changes) for a duplicate inside the window.
      Result<int64_t> fresh =
          c.prepare(
               "INSERT INTO event_dedupe (account_id, source, event_id, accepted_at) "
               "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, source, event_id) DO UPDATE SET "
               "accepted_at = excluded.accepted_at WHERE event_dedupe.accepted_at < ?")
              .bind(e.accountId, e.source, e.eventId, e.acceptedAt, dedupeSinceMs)
              .run();
      if (!fresh.ok()) return std::move(fresh).takeError();
      if (*fresh == 0) {
        stored.push_back(false);
        continue;
      }
      if (Status s = insertQueued(c, e); !s.ok()) return s.error();
      stored.push_back(true);
    }
    return stored;
  });
}

Result<std::vector<QueuedEvent>> SqliteEventQueue::claim(int64_t nowMs, int64_t leaseUntilMs,
                                                         int64_t limit) {
  return store_.write([&](Connection& c) -> Result<std::vector<QueuedEvent>> {
    auto rows = c.prepare(std::string("SELECT ") + kQueueColumns +
                          " FROM event_queue q WHERE q.next_attempt_ms <= ?1 AND "
                          "q.lease_until_ms <= ?1 AND (q.subject = '' OR NOT EXISTS ("
                          "SELECT 1 FROM event_queue p WHERE p.account_id = q.account_id AND "
                          "p.subject = q.subject AND p.seq < q.seq)) ORDER BY q.seq LIMIT ?2")
                    .bind(nowMs, limit)
                    .all<QueuedEvent>(decodeQueued);
    if (!rows.ok()) return rows;
    for (const QueuedEvent& e : *rows) {
      Result<int64_t> r = c.prepare("UPDATE event_queue SET lease_until_ms = ? WHERE seq = ?")
                              .bind(leaseUntilMs, e.seq)
                              .run();
      if (!r.ok()) return std::move(r).takeError();
    }
    return rows;
  });
}

Status SqliteEventQueue::releaseLeases() {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare("UPDATE event_queue SET lease_until_ms = 0 WHERE lease_until_ms != 0").run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

namespace {
// The one value of a MIN() query: nullopt for NULL (no row matched).
Result<std::optional<int64_t>> minimum(Statement& query) {
  Result<std::optional<std::optional<int64_t>>> row =
      query.first<std::optional<int64_t>>([](Statement& r) -> Result<std::optional<int64_t>> {
        if (r.isNull(0)) return std::optional<int64_t>();
        return std::optional<int64_t>(r.integer(0));
      });
  if (!row.ok()) return std::move(row).takeError();
  return row->value_or(std::nullopt);
}
}  // namespace

// A scan of the queue, like claim()'s: the queue holds what is waiting, not history.
Result<std::optional<int64_t>> SqliteEventQueue::nextDueAfter(int64_t nowMs) {
  return store_.read([&](Connection& c) -> Result<std::optional<int64_t>> {
    return minimum(c.prepare("SELECT MIN(MAX(next_attempt_ms, lease_until_ms)) FROM event_queue "
                             "WHERE MAX(next_attempt_ms, lease_until_ms) > ?")
                       .bind(nowMs));
  });
}

Status SqliteEventQueue::settle(const Settlement& s) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = int64_t{0};
    switch (s.kind) {
      case Settlement::Kind::kDelivered:
        r = c.prepare("DELETE FROM event_queue WHERE seq = ?").bind(s.seq).run();
        break;
      case Settlement::Kind::kRetry: {
        Statement st = c.prepare(
            "UPDATE event_queue SET pending_functions = ?, attempts = ?, "
            "next_attempt_ms = ?, lease_until_ms = 0, last_error = ? WHERE seq = ?");
        st.bind(encodeStringList(s.pendingFunctions), s.attempts, s.nextAttemptMs, s.lastError,
                s.seq);
        if (s.resolveAgain) st.bindAt(1, nullptr);
        r = st.run();
        break;
      }
      case Settlement::Kind::kDead: {
        const DeadLetterRecord& d = s.deadLetter;
        r = c.prepare(std::string("INSERT INTO dead_letters (") + kDeadColumns +
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(d.id, d.accountId, d.eventId, d.source, d.type, d.subject, d.skillId,
                      d.eventJson, encodeStringList(d.functions), d.attempts, d.lastError,
                      d.acceptedAt, d.deadAt)
                .run();
        if (r.ok()) r = c.prepare("DELETE FROM event_queue WHERE seq = ?").bind(s.seq).run();
        break;
      }
    }
    if (!r.ok()) return std::move(r).takeError();
    for (const WebhookMessage& m : s.webhooks) {
      Result<int64_t> w =
          c.prepare(
               "INSERT INTO webhook_outbox (account_id, body, attempts, next_attempt_ms, "
               "created_at) VALUES (?, ?, ?, ?, ?)")
              .bind(m.accountId, m.body, m.attempts, m.nextAttemptMs, m.createdAt)
              .run();
      if (!w.ok()) return std::move(w).takeError();
    }
    return okStatus();
  });
}

Result<int64_t> SqliteEventQueue::depth() {
  return store_.read([&](Connection& c) -> Result<int64_t> {
    auto n = c.prepare("SELECT COUNT(*) FROM event_queue")
                 .first<int64_t>([](Statement& row) -> Result<int64_t> { return row.integer(0); });
    if (!n.ok()) return std::move(n).takeError();
    return n->value_or(0);
  });
}

Status SqliteEventQueue::purgeDedupe(int64_t acceptedBeforeMs) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare("DELETE FROM event_dedupe WHERE accepted_at < ?")
                            .bind(acceptedBeforeMs)
                            .run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

Result<std::vector<DeadLetterRecord>> SqliteEventQueue::deadLetters(const std::string& accountId,
                                                                    int64_t limit) {
  return store_.read([&](Connection& c) -> Result<std::vector<DeadLetterRecord>> {
    return c
        .prepare(std::string("SELECT ") + kDeadColumns +
                 " FROM dead_letters WHERE account_id = ? ORDER BY dead_at DESC, id LIMIT ?")
        .bind(accountId, limit)
        .all<DeadLetterRecord>(decodeDead);
  });
}

Result<DeadLetterRecord> SqliteEventQueue::deadLetter(const std::string& accountId,
                                                      const std::string& id) {
  return store_.read([&](Connection& c) -> Result<DeadLetterRecord> {
    return foundOr(c.prepare(std::string("SELECT ") + kDeadColumns +
                             " FROM dead_letters WHERE account_id = ? AND id = ?")
                       .bind(accountId, id)
                       .first<DeadLetterRecord>(decodeDead),
                   "No " + deadName(accountId, id));
  });
}

Status SqliteEventQueue::removeDeadLetter(const std::string& accountId, const std::string& id) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare("DELETE FROM dead_letters WHERE account_id = ? AND id = ?")
                            .bind(accountId, id)
                            .run();
    if (!r.ok()) return std::move(r).takeError();
    if (*r == 0) return Error::notFound("No " + deadName(accountId, id));
    return okStatus();
  });
}

Status SqliteEventQueue::replayDeadLetter(const std::string& accountId, const std::string& id,
                                          int64_t nowMs) {
  return store_.write([&](Connection& c) -> Status {
    auto d = foundOr(c.prepare(std::string("SELECT ") + kDeadColumns +
                               " FROM dead_letters WHERE account_id = ? AND id = ?")
                         .bind(accountId, id)
                         .first<DeadLetterRecord>(decodeDead),
                     "No " + deadName(accountId, id));
    if (!d.ok()) return d.error();
    QueuedEvent e;
    e.accountId = d->accountId;
    e.eventId = d->eventId;
    e.source = d->source;
    e.type = d->type;
    e.subject = d->subject;
    e.skillId = d->skillId;
    e.eventJson = d->eventJson;
    e.pendingFunctions = d->functions;
    e.nextAttemptMs = nowMs;
    e.acceptedAt = d->acceptedAt;
    if (Status s = insertQueued(c, e); !s.ok()) return s;
    Result<int64_t> r = c.prepare("DELETE FROM dead_letters WHERE id = ?").bind(id).run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

Result<std::vector<WebhookMessage>> SqliteEventQueue::dueWebhooks(int64_t nowMs, int64_t limit) {
  return store_.read([&](Connection& c) -> Result<std::vector<WebhookMessage>> {
    return c
        .prepare(
            "SELECT seq, account_id, body, attempts, next_attempt_ms, created_at "
            "FROM webhook_outbox WHERE next_attempt_ms <= ? ORDER BY seq LIMIT ?")
        .bind(nowMs, limit)
        .all<WebhookMessage>(decodeWebhook);
  });
}

Result<std::optional<int64_t>> SqliteEventQueue::nextWebhookAfter(int64_t nowMs) {
  return store_.read([&](Connection& c) -> Result<std::optional<int64_t>> {
    return minimum(
        c.prepare("SELECT MIN(next_attempt_ms) FROM webhook_outbox WHERE next_attempt_ms > ?")
            .bind(nowMs));
  });
}

Status SqliteEventQueue::webhookSent(int64_t seq) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare("DELETE FROM webhook_outbox WHERE seq = ?").bind(seq).run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

Status SqliteEventQueue::webhookRetry(int64_t seq, int64_t attempts, int64_t nextAttemptMs) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare("UPDATE webhook_outbox SET attempts = ?, next_attempt_ms = ? WHERE seq = ?")
            .bind(attempts, nextAttemptMs, seq)
            .run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

}  // namespace parley::store::sqlite
