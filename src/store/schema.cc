#include "store/schema.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace parley::store::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Never edit a migration that has shipped: add a new one. Conventions: times are INTEGER
// milliseconds since the epoch (durations in their unit); lists and maps are JSON text; enums
// are stored by name, so the database reads well in the sqlite3 shell.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE accounts (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- username is compared with the default BINARY collation: case-sensitive.
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  is_operator   INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE memberships (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role       TEXT NOT NULL CHECK (role IN ('Admin', 'Developer', 'Invoker', 'Viewer')),
  PRIMARY KEY (account_id, user_id)
);
-- Deleting a user cascades through this.
CREATE INDEX memberships_by_user ON memberships(user_id);

CREATE TABLE api_clients (
  client_id   TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes      TEXT NOT NULL DEFAULT '[]',
  created_at  INTEGER NOT NULL,
  created_by  TEXT NOT NULL DEFAULT '',
  revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_clients_by_account ON api_clients(account_id);

CREATE TABLE revoked_tokens (
  jti        TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at);

CREATE TABLE functions (
  uuid             TEXT PRIMARY KEY,
  account_id       TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  event_id         TEXT NOT NULL DEFAULT 'No Event',
  skills           TEXT NOT NULL DEFAULT '[]',
  state            TEXT NOT NULL,
  latest_version   INTEGER NOT NULL DEFAULT 0,
  deployed_version INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  created_by       TEXT NOT NULL DEFAULT '',
  updated_at       INTEGER NOT NULL,
  updated_by       TEXT NOT NULL DEFAULT '',
  UNIQUE (account_id, name)
);

CREATE TABLE versions (
  function_uuid   TEXT NOT NULL REFERENCES functions(uuid) ON DELETE CASCADE,
  version         INTEGER NOT NULL,
  code            TEXT NOT NULL,
  environment     TEXT NOT NULL DEFAULT '{}',
  timeout_seconds INTEGER NOT NULL,
  memory_mb       INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  created_by      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (function_uuid, version)
);

CREATE TABLE deployments (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  function_uuid TEXT NOT NULL REFERENCES functions(uuid) ON DELETE CASCADE,
  action        TEXT NOT NULL,
  version       INTEGER NOT NULL,
  state         TEXT NOT NULL,
  error         TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  created_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deployments_by_function ON deployments(function_uuid, id);

-- No foreign key to functions: records outlive a deleted function until retention purges them,
-- and the hot path (one insert per invocation) skips the parent lookup.
CREATE TABLE invocations (
  id            TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL,
  function_uuid TEXT NOT NULL,
  version       INTEGER NOT NULL,
  trigger_kind  TEXT NOT NULL,
  status        TEXT NOT NULL,
  outcome       TEXT NOT NULL DEFAULT '',
  error_code    TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  result_json   TEXT NOT NULL DEFAULT '',
  duration_us   INTEGER NOT NULL DEFAULT 0,
  cold_start    INTEGER NOT NULL DEFAULT 0,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX invocations_by_function ON invocations(account_id, function_uuid, started_at);
CREATE INDEX invocations_by_account ON invocations(account_id, started_at);
-- Retention deletes by age across accounts.
CREATE INDEX invocations_by_start ON invocations(started_at);

CREATE TABLE invocation_logs (
  invocation_id TEXT NOT NULL REFERENCES invocations(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  level         TEXT NOT NULL,
  message       TEXT NOT NULL,
  extras        TEXT NOT NULL DEFAULT '[]',
  timestamp     INTEGER NOT NULL,
  PRIMARY KEY (invocation_id, seq)
);
)sql"},
    {2, R"sql(
-- Per-account data keys, wrapped by the master key (vault/key_store.h). Never deleted.
CREATE TABLE data_keys (
  account_id    TEXT NOT NULL,
  version       INTEGER NOT NULL,
  master_key_id TEXT NOT NULL,
  nonce         BLOB NOT NULL,
  ciphertext    BLOB NOT NULL,
  PRIMARY KEY (account_id, version)
);

-- Secret values only as vault blobs (ciphertext with its header), never in clear.
CREATE TABLE secrets (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL CHECK (type IN ('plaintext', 'json')),
  blob       BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (account_id, name)
);
)sql"},
    {3, R"sql(
CREATE TABLE schedules (
  id                 TEXT PRIMARY KEY,
  account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  function_uuid      TEXT NOT NULL REFERENCES functions(uuid) ON DELETE CASCADE,
  cron               TEXT NOT NULL,
  time_zone          TEXT NOT NULL DEFAULT '',
  headers            TEXT NOT NULL DEFAULT '{}',
  payload            TEXT NOT NULL DEFAULT 'null',
  description        TEXT NOT NULL DEFAULT '',
  is_active          INTEGER NOT NULL DEFAULT 1,
  paused_by_undeploy INTEGER NOT NULL DEFAULT 0,
  next_fire_ms       INTEGER,
  last_fire_ms       INTEGER,
  last_outcome       TEXT NOT NULL DEFAULT '',
  last_invocation_id TEXT NOT NULL DEFAULT '',
  created_at         INTEGER NOT NULL,
  created_by         TEXT NOT NULL DEFAULT '',
  updated_at         INTEGER NOT NULL,
  updated_by         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX schedules_by_account ON schedules(account_id);
CREATE INDEX schedules_by_function ON schedules(function_uuid);
CREATE INDEX schedules_due ON schedules(next_fire_ms)
  WHERE is_active = 1 AND paused_by_undeploy = 0;
)sql"},
    {4, R"sql(
-- Event types an account defines for its own systems (beside the built-in catalogue).
CREATE TABLE event_types (
  account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  id             TEXT NOT NULL,
  name           TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  sample_payload TEXT NOT NULL DEFAULT '{}',
  lambda_limit   INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  created_by     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (account_id, id)
);

-- Accepted CloudEvents not yet delivered to every bound function. seq is the delivery order;
-- within (account_id, subject) only the lowest seq is eligible. pending_functions: JSON list
-- of the function uuids still owed a delivery, NULL until the first attempt resolves them.
-- A row is claimed by setting lease_until_ms in the future; a claim that died with the process
-- becomes eligible again when its lease runs out (or at start-up, which clears leases).
CREATE TABLE event_queue (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id        TEXT NOT NULL,
  event_id          TEXT NOT NULL,
  source            TEXT NOT NULL,
  type              TEXT NOT NULL,
  subject           TEXT NOT NULL DEFAULT '',
  skill_id          TEXT NOT NULL DEFAULT '',
  event_json        TEXT NOT NULL,
  pending_functions TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms   INTEGER NOT NULL,
  lease_until_ms    INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT NOT NULL DEFAULT '',
  accepted_at       INTEGER NOT NULL
);
CREATE INDEX event_queue_by_subject ON event_queue(account_id, subject, seq);

-- source + id of events accepted within the deduplication window.
CREATE TABLE event_dedupe (
  account_id  TEXT NOT NULL,
  source      TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  accepted_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, source, event_id)
);
CREATE INDEX event_dedupe_by_time ON event_dedupe(accepted_at);

-- Events whose delivery ran out of attempts, with the functions that did not get them.
CREATE TABLE dead_letters (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  source      TEXT NOT NULL,
  type        TEXT NOT NULL,
  subject     TEXT NOT NULL DEFAULT '',
  skill_id    TEXT NOT NULL DEFAULT '',
  event_json  TEXT NOT NULL,
  functions   TEXT NOT NULL DEFAULT '[]',
  attempts    INTEGER NOT NULL,
  last_error  TEXT NOT NULL DEFAULT '',
  accepted_at INTEGER NOT NULL,
  dead_at     INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_account ON dead_letters(account_id, dead_at);

-- Per-account settings. The webhook secret is a vault blob, never clear text.
CREATE TABLE account_settings (
  account_id            TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  result_webhook_url    TEXT NOT NULL DEFAULT '',
  result_webhook_secret BLOB,
  updated_at            INTEGER NOT NULL,
  updated_by            TEXT NOT NULL DEFAULT ''
);

-- Delivery results waiting to be POSTed to the account's result webhook; written in the same
-- transaction that settles the delivery, so a crash cannot lose one.
CREATE TABLE webhook_outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id      TEXT NOT NULL,
  body            TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(next_attempt_ms);
)sql"},
    {5, R"sql(
CREATE TABLE domains (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  domain     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (account_id, domain)
) WITHOUT ROWID;
)sql"},
    {6, R"sql(
-- The context store (SPEC §8). A session lives until expires_at (NULL: forever); the writer
-- refreshes it from the namespace's ttl_seconds on every write.
CREATE TABLE context_namespaces (
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  ttl_seconds INTEGER,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, name)
);
CREATE TABLE context_sessions (
  account_id TEXT NOT NULL,
  namespace  TEXT NOT NULL,
  session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (account_id, namespace, session_id),
  FOREIGN KEY (account_id, namespace)
    REFERENCES context_namespaces(account_id, name) ON DELETE CASCADE
);
CREATE INDEX context_sessions_expiry ON context_sessions(expires_at)
  WHERE expires_at IS NOT NULL;
-- bytes: length of name + value, summed for the size limits.
CREATE TABLE context_properties (
  account_id TEXT NOT NULL,
  namespace  TEXT NOT NULL,
  session_id TEXT NOT NULL,
  name       TEXT NOT NULL,
  value      TEXT NOT NULL,
  bytes      INTEGER NOT NULL,
  PRIMARY KEY (account_id, namespace, session_id, name),
  FOREIGN KEY (account_id, namespace, session_id)
    REFERENCES context_sessions(account_id, namespace, session_id) ON DELETE CASCADE
);
)sql"},
    {7, R"sql(
-- Invocation counts per function in 5-minute buckets, added to by the batched invocation
-- recorder (control/metrics_service.h). histogram: "index:count,..." of duration buckets.
CREATE TABLE function_metrics (
  account_id       TEXT NOT NULL,
  function_uuid    TEXT NOT NULL,
  bucket_start     INTEGER NOT NULL,
  succeeded        INTEGER NOT NULL DEFAULT 0,
  coding_failure   INTEGER NOT NULL DEFAULT 0,
  platform_failure INTEGER NOT NULL DEFAULT 0,
  timeout          INTEGER NOT NULL DEFAULT 0,
  cold_starts      INTEGER NOT NULL DEFAULT 0,
  duration_sum_us  INTEGER NOT NULL DEFAULT 0,
  histogram        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (account_id, function_uuid, bucket_start)
) WITHOUT ROWID;
CREATE INDEX function_metrics_by_account ON function_metrics(account_id, bucket_start);
CREATE INDEX function_metrics_by_start ON function_metrics(bucket_start);

-- The activity stream (control/activity.h): who changed what, when. Kept 90 days.
CREATE TABLE activity (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  TEXT NOT NULL,
  at          INTEGER NOT NULL,
  actor_id    TEXT NOT NULL DEFAULT '',
  actor_name  TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id   TEXT NOT NULL DEFAULT '',
  target_name TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  diff        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_by_account ON activity(account_id, id);
CREATE INDEX activity_by_at ON activity(at);
)sql"},
    {8, R"sql(
-- Retention purges invocations in rowid order (SqliteInvocations::purgeBefore): one B-tree
-- less to update for every invocation recorded.
DROP INDEX IF EXISTS invocations_by_start;
)sql"},
    {9, R"sql(
-- An account's invocations are listed by merging its functions' ranges of
-- invocations_by_function (SqliteInvocations::query): one B-tree less to update for every
-- invocation recorded.
DROP INDEX IF EXISTS invocations_by_account;
)sql"},
    {10, R"sql(
-- Event routing and binding checks read the functions bound to one event
-- (SqliteFunctions::listBoundTo), not every function of the account.
CREATE INDEX functions_by_event ON functions(account_id, event_id);
)sql"},
};

constexpr int latestOf() {
  int latest = 0;
  for (const Migration& m : kMigrations) latest = m.version > latest ? m.version : latest;
  return latest;
}
constexpr int kLatest = latestOf();

}  // namespace

int latestSchemaVersion() {
  return kLatest;
}

Status migrate(Connection& writer, const Clock& clock, const std::string& path) {
  // IMMEDIATE: two processes opening the same new file must not both apply migration 1.
  Status begun = writer.execScript("BEGIN IMMEDIATE", "starting the schema migration");
  if (!begun.ok()) return begun;
  auto fail = [&](Error e) -> Status {
    (void)writer.execScript("ROLLBACK", "rolling back the schema migration");
    return e;
  };

  Status table = writer.execScript(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      "  version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
      "creating schema_version");
  if (!table.ok()) return fail(std::move(table).takeError());

  // Migrations are applied by set, not by "newer than the highest": branches developed in
  // parallel may land their numbers out of order, and a database that already has 6 must still
  // get 5 when it arrives.
  Result<std::vector<int64_t>> applied =
      writer.prepare("SELECT version FROM schema_version ORDER BY version")
          .all<int64_t>([](Statement& row) -> Result<int64_t> { return row.integer(0); });
  if (!applied.ok()) return fail(std::move(applied).takeError());
  int64_t version = applied->empty() ? 0 : applied->back();
  if (version > kLatest) {
    return fail(Error::failedPrecondition(
        "the database '" + path + "' has schema version " + std::to_string(version) +
        ", newer than this build of Parley understands (" + std::to_string(kLatest) +
        "): it was written by a newer Parley; run that version or a newer one"));
  }

  for (const Migration& m : kMigrations) {
    if (std::binary_search(applied->begin(), applied->end(), int64_t{m.version})) continue;
    Status done =
        writer.execScript(m.sql, "applying schema migration " + std::to_string(m.version));
    if (!done.ok()) return fail(std::move(done).takeError());
    Result<int64_t> recorded =
        writer.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")
            .bind(m.version, clock.nowMs())
            .run();
    if (!recorded.ok()) return fail(std::move(recorded).takeError());
  }
  Status committed = writer.execScript("COMMIT", "committing the schema migration");
  if (!committed.ok()) return fail(std::move(committed).takeError());
  return okStatus();
}

}  // namespace parley::store::sqlite
