// Account-defined event types (table event_types) and account settings (table
// account_settings), migration 4.
#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

constexpr const char* kTypeColumns =
    "account_id, id, name, description, sample_payload, lambda_limit, created_at, created_by";

Result<EventTypeRecord> decodeType(Statement& row) {
  EventTypeRecord t;
  t.accountId = row.text(0);
  t.id = row.text(1);
  t.name = row.text(2);
  t.description = row.text(3);
  t.samplePayloadJson = row.text(4);
  t.lambdaLimit = row.integer(5);
  t.createdAt = row.integer(6);
  t.createdBy = row.text(7);
  return t;
}

std::string typeName(const std::string& accountId, const std::string& id) {
  return "event type " + quoted(id) + " in account " + quoted(accountId);
}

}  // namespace

Status SqliteEventTypes::create(const EventTypeRecord& t) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare(std::string("INSERT INTO event_types (") + kTypeColumns +
                                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                            .bind(t.accountId, t.id, t.name, t.description, t.samplePayloadJson,
                                  t.lambdaLimit, t.createdAt, t.createdBy)
                            .run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 typeName(t.accountId, t.id) + " already exists",
                                 "account " + quoted(t.accountId) + " not found");
    }
    return okStatus();
  });
}

Result<EventTypeRecord> SqliteEventTypes::get(const std::string& accountId,
                                              const std::string& id) {
  return store_.read([&](Connection& c) -> Result<EventTypeRecord> {
    return foundOr(c.prepare(std::string("SELECT ") + kTypeColumns +
                             " FROM event_types WHERE account_id = ? AND id = ?")
                       .bind(accountId, id)
                       .first<EventTypeRecord>(decodeType),
                   "No " + typeName(accountId, id));
  });
}

Result<std::vector<EventTypeRecord>> SqliteEventTypes::list(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<std::vector<EventTypeRecord>> {
    return c
        .prepare(std::string("SELECT ") + kTypeColumns +
                 " FROM event_types WHERE account_id = ? ORDER BY id")
        .bind(accountId)
        .all<EventTypeRecord>(decodeType);
  });
}

Status SqliteEventTypes::remove(const std::string& accountId, const std::string& id) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare("DELETE FROM event_types WHERE account_id = ? AND id = ?")
                            .bind(accountId, id)
                            .run();
    if (!r.ok()) return std::move(r).takeError();
    if (*r == 0) return Error::notFound("No " + typeName(accountId, id));
    return okStatus();
  });
}

Result<std::optional<AccountSettingsRecord>> SqliteSettings::get(const std::string& accountId) {
  return store_.read([&](Connection& c) -> Result<std::optional<AccountSettingsRecord>> {
    return c
        .prepare(
            "SELECT account_id, result_webhook_url, result_webhook_secret, updated_at, "
            "updated_by FROM account_settings WHERE account_id = ?")
        .bind(accountId)
        .first<AccountSettingsRecord>([](Statement& row) -> Result<AccountSettingsRecord> {
          AccountSettingsRecord s;
          s.accountId = row.text(0);
          s.resultWebhookUrl = row.text(1);
          s.resultWebhookSecretBlob = row.isNull(2) ? "" : row.blob(2);
          s.updatedAt = row.integer(3);
          s.updatedBy = row.text(4);
          return s;
        });
  });
}

Status SqliteSettings::put(const AccountSettingsRecord& s) {
  return store_.write([&](Connection& c) -> Status {
    Statement st = c.prepare(
        "INSERT OR REPLACE INTO account_settings (account_id, result_webhook_url, "
        "result_webhook_secret, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)");
    st.bindAt(1, s.accountId).bindAt(2, s.resultWebhookUrl);
    if (s.resultWebhookSecretBlob.empty()) {
      st.bindAt(3, nullptr);
    } else {
      st.bindBlobAt(3, s.resultWebhookSecretBlob);
    }
    st.bindAt(4, s.updatedAt).bindAt(5, s.updatedBy);
    Result<int64_t> r = st.run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(), "",
                                 "account " + quoted(s.accountId) + " not found");
    }
    return okStatus();
  });
}

}  // namespace parley::store::sqlite
