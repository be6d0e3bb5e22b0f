// Store: Parley's persistent state behind repository interfaces. The embedded implementation is
// SQLite in WAL mode in the data directory (sqlite_store.h); PostgreSQL comes later behind the
// same interfaces.
//
// Contracts for every method:
// - Expected failures return Error: kNotFound (no such row, or not in that account),
//   kAlreadyExists (unique name/id taken), kInvalidArgument (malformed stored data), kInternal
//   (the database failed; the message says how).
// - Reads and writes are atomic per call. `transaction()` groups calls atomically.
// - Thread-safety: all methods may be called from any thread; the implementation serialises
//   writes (one writer) and lets reads proceed concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/context_repository.h"
#include "store/records.h"
#include "vault/key_store.h"

namespace parley::store {

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  virtual Status create(const Account& a) = 0;
  virtual Result<Account> get(const std::string& id) = 0;
  virtual Result<std::vector<Account>> list() = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual Status create(const User& u) = 0;
  virtual Result<User> get(const std::string& id) = 0;
  virtual Result<User> getByUsername(const std::string& username) = 0;
  virtual Status setPasswordHash(const std::string& userId, const std::string& hash) = 0;
  // Memberships: a user has at most one role per account.
  virtual Status setRole(const Membership& m) = 0;
  virtual Status removeRole(const std::string& accountId, const std::string& userId) = 0;
  virtual Result<std::optional<Role>> roleIn(const std::string& accountId,
                                             const std::string& userId) = 0;
  virtual Result<std::vector<std::pair<User, Role>>> listInAccount(const std::string& accountId) = 0;
};

class ClientRepository {
 public:
  virtual ~ClientRepository() = default;
  virtual Status create(const ApiClient& c) = 0;
  virtual Result<ApiClient> get(const std::string& clientId) = 0;
  virtual Result<std::vector<ApiClient>> list(const std::string& accountId) = 0;
  virtual Status revoke(const std::string& accountId, const std::string& clientId) = 0;
};

// Revoked token ids (jti) until they expire anyway.
class RevocationRepository {
 public:
  virtual ~RevocationRepository() = default;
  virtual Status revoke(const std::string& tokenId, int64_t expiresAt) = 0;
  virtual Result<bool> isRevoked(const std::string& tokenId) = 0;
  virtual Status purgeExpired(int64_t now) = 0;
};

class FunctionRepository {
 public:
  virtual ~FunctionRepository() = default;
  virtual Status create(const FunctionRecord& f) = 0;
  // Replaces every field of the function with that uuid (in its account).
  virtual Status update(const FunctionRecord& f) = 0;
  virtual Status remove(const std::string& accountId, const std::string& uuid) = 0;
  virtual Result<FunctionRecord> get(const std::string& accountId, const std::string& uuid) = 0;
  virtual Result<FunctionRecord> getByName(const std::string& accountId,
                                           const std::string& name) = 0;
  virtual Result<std::vector<FunctionRecord>> list(const std::string& accountId) = 0;
  // The account's functions bound to `eventId`, by name: one index range (functions_by_event),
  // so event routing and binding checks do not read every function of the account.
  virtual Result<std::vector<FunctionRecord>> listBoundTo(const std::string& accountId,
                                                          const std::string& eventId) = 0;
  virtual Result<int64_t> count(const std::string& accountId) = 0;

  virtual Status addVersion(const VersionRecord& v) = 0;
  virtual Result<VersionRecord> version(const std::string& functionUuid, int64_t version) = 0;
  // Newest first.
  virtual Result<std::vector<VersionRecord>> versions(const std::string& functionUuid) = 0;
  // Deletes all but the newest `keep` versions, never deleting `protectedVersion`.
  virtual Status pruneVersions(const std::string& functionUuid, int64_t keep,
                               int64_t protectedVersion) = 0;

  virtual Result<int64_t> addDeployment(const DeploymentRecord& d) = 0;  // returns its id
  // Newest first.
  virtual Result<std::vector<DeploymentRecord>> deployments(const std::string& functionUuid) = 0;
};

struct InvocationQuery {
  std::string accountId;
  std::string functionUuid;  // empty: any
  std::string trigger;       // empty: any
  std::string outcome;       // empty: any
  int64_t from = 0;          // startedAt >= from
  int64_t to = 0;            // startedAt < to (0: no bound)
  int64_t limit = 100;
  // Cursor: only records after this (startedAt, rowId) in newest-first order.
  std::optional<std::pair<int64_t, int64_t>> before;
};

// Log lines of one function (or of one invocation), filtered by the start time of their
// invocation, level and text. Ordered by (invocation startedAt, invocation rowId, seq): newest
// invocation first with each invocation's lines in written order (descending), or oldest first
// throughout (ascending).
struct LogQuery {
  std::string accountId;
  std::string functionUuid;            // required unless invocationId is set
  std::string invocationId;            // empty: any
  int64_t from = 0;                    // invocation startedAt >= from
  int64_t to = 0;                      // invocation startedAt < to (0: no bound)
  std::vector<std::string> levels;     // empty: any
  std::string text;                    // substring of message or extras (case-insensitive ASCII)
  int64_t limit = 100;
  bool ascending = false;
  // Cursor: only lines after the line with this (startedAt, rowId, seq) in the query's order.
  std::optional<std::tuple<int64_t, int64_t, int64_t>> after;
};

class InvocationRepository {
 public:
  virtual ~InvocationRepository() = default;
  // Inserts or replaces (by id), with its logs.
  virtual Status put(const InvocationRecord& r) = 0;
  virtual Result<InvocationRecord> get(const std::string& accountId, const std::string& id) = 0;
  // Newest first; without logs.
  virtual Result<std::vector<InvocationRecord>> query(const InvocationQuery& q) = 0;
  virtual Status purgeBefore(int64_t startedBefore) = 0;
  // Log lines (LogQuery); at most q.limit.
  virtual Result<std::vector<LogLine>> logs(const LogQuery& q) = 0;
};

// Per-function invocation counts in 5-minute buckets (MetricsBucket), written incrementally.
class MetricsRepository {
 public:
  virtual ~MetricsRepository() = default;
  // Adds each delta's counts and histogram to the stored bucket (created when missing).
  virtual Status add(const std::vector<MetricsBucket>& deltas) = 0;
  // The stored buckets of one function with from <= bucketStart < to, oldest first.
  virtual Result<std::vector<MetricsBucket>> range(const std::string& accountId,
                                                   const std::string& functionUuid, int64_t from,
                                                   int64_t to) = 0;
  // The sum over every function of the account with from <= bucketStart < to (no histogram).
  virtual Result<MetricsBucket> accountTotal(const std::string& accountId, int64_t from,
                                             int64_t to) = 0;
  virtual Status purgeBefore(int64_t bucketBefore) = 0;
};

struct ActivityQuery {
  std::string accountId;
  std::string targetId;  // empty: any
  int64_t from = 0;      // at >= from
  int64_t to = 0;        // at < to (0: no bound)
  int64_t limit = 100;
  int64_t beforeId = 0;  // cursor: only entries with a smaller id (0: none)
};

// The activity stream: append-only, newest first.
class ActivityRepository {
 public:
  virtual ~ActivityRepository() = default;
  virtual Result<int64_t> append(const ActivityRecord& r) = 0;  // returns its id
  virtual Result<std::vector<ActivityRecord>> list(const ActivityQuery& q) = 0;
  virtual Status purgeBefore(int64_t atBefore) = 0;
};

// Secrets (values as vault blobs only). list() never returns blobs.
class SecretRepository {
 public:
  virtual ~SecretRepository() = default;
  // kAlreadyExists when (accountId, name) is taken.
  virtual Status create(const SecretRecord& s) = 0;
  // Inserts or replaces the value and type; on replace, created_at/created_by are kept.
  virtual Status put(const SecretRecord& s) = 0;
  virtual Result<SecretRecord> get(const std::string& accountId, const std::string& name) = 0;
  // Ordered by name; `blob` left empty.
  virtual Result<std::vector<SecretRecord>> list(const std::string& accountId) = 0;
  // kNotFound when there is no such secret.
  virtual Status remove(const std::string& accountId, const std::string& name) = 0;
};

// Cron schedules. Deleting the account or the function deletes its schedules (cascade).
class ScheduleRepository {
 public:
  virtual ~ScheduleRepository() = default;
  // kAlreadyExists when the id is taken; kNotFound when the account or function does not exist.
  virtual Status create(const ScheduleRecord& s) = 0;
  virtual Result<ScheduleRecord> get(const std::string& accountId, const std::string& id) = 0;
  // Ordered by created_at, then id.
  virtual Result<std::vector<ScheduleRecord>> list(const std::string& accountId) = 0;
  // The schedules of one function (in any state).
  virtual Result<std::vector<ScheduleRecord>> listForFunction(const std::string& accountId,
                                                              const std::string& functionUuid) = 0;
  virtual Result<int64_t> count(const std::string& accountId) = 0;
  // Replaces every field of the schedule with that id (in its account); kNotFound if none.
  virtual Status update(const ScheduleRecord& s) = 0;
  virtual Status remove(const std::string& accountId, const std::string& id) = 0;
  // Active, not paused schedules of all accounts with next_fire_ms <= nowMs (NULL: not
  // scheduled), soonest first, at most `limit`.
  virtual Result<std::vector<ScheduleRecord>> due(int64_t nowMs, int64_t limit) = 0;
  // Compare-and-set of the firing state: sets last_fire_ms and next_fire_ms only if the stored
  // last_fire_ms equals `expectedLastFireMs` (nullopt = NULL). True when this call won.
  virtual Result<bool> claimFire(const std::string& id, std::optional<int64_t> expectedLastFireMs,
                                 int64_t newLastFireMs, std::optional<int64_t> newNextFireMs) = 0;
  // Sets next_fire_ms only (kSkipMissed / a recomputed due time); last_fire_ms unchanged.
  virtual Status setNextFire(const std::string& id, std::optional<int64_t> nextFireMs) = 0;
  // Records the outcome of the run started for due time `dueMs`, unless a newer run started since.
  virtual Status recordOutcome(const std::string& id, int64_t dueMs, const std::string& outcome,
                               const std::string& invocationId) = 0;
};

// The account allowlist of outbound hosts. Deleting the account deletes its entries (cascade).
class DomainRepository {
 public:
  virtual ~DomainRepository() = default;
  // kAlreadyExists when the account already has that domain; kNotFound when the account does not
  // exist.
  virtual Status add(const DomainRecord& d) = 0;
  // Ordered by domain.
  virtual Result<std::vector<DomainRecord>> list(const std::string& accountId) = 0;
  // kNotFound when the account has no such domain.
  virtual Status remove(const std::string& accountId, const std::string& domain) = 0;
};

// Event types an account defines (beside the built-in catalogue).
class EventTypeRepository {
 public:
  virtual ~EventTypeRepository() = default;
  // kAlreadyExists when (accountId, id) is taken; kNotFound when the account does not exist.
  virtual Status create(const EventTypeRecord& t) = 0;
  virtual Result<EventTypeRecord> get(const std::string& accountId, const std::string& id) = 0;
  // Ordered by id.
  virtual Result<std::vector<EventTypeRecord>> list(const std::string& accountId) = 0;
  virtual Status remove(const std::string& accountId, const std::string& id) = 0;
};

// How one delivery attempt of a queued event ended; applied atomically by settle().
struct Settlement {
  enum class Kind { kDelivered, kRetry, kDead };
  Kind kind = Kind::kDelivered;
  int64_t seq = 0;
  // kRetry: the functions still owed, the attempt count, when to try next, why it failed.
  std::vector<std::string> pendingFunctions;
  bool resolveAgain = false;  // kRetry: forget the targets (NULL); the next attempt resolves them
  int64_t attempts = 0;
  int64_t nextAttemptMs = 0;
  std::string lastError;
  // kDead: the dead letter to write (the queue row is deleted).
  DeadLetterRecord deadLetter;
  // Results to POST to the account's webhook, queued in the same transaction.
  std::vector<WebhookMessage> webhooks;
};

// The durable event queue, its deduplication window, dead letters and the webhook outbox.
class EventQueueRepository {
 public:
  virtual ~EventQueueRepository() = default;
  // Stores the events in one transaction, in order. An event whose (account, source, id) was
  // accepted at or after `dedupeSinceMs` is a duplicate: not queued, its entry is false.
  virtual Result<std::vector<bool>> enqueue(const std::vector<QueuedEvent>& events,
                                            int64_t dedupeSinceMs) = 0;
  // Claims up to `limit` eligible events: next_attempt_ms <= now, lease expired, and the
  // lowest seq of its (account, subject) when it has a subject. Sets their lease to
  // `leaseUntilMs`. Ordered by seq.
  virtual Result<std::vector<QueuedEvent>> claim(int64_t nowMs, int64_t leaseUntilMs,
                                                 int64_t limit) = 0;
  // Clears every lease (start-up of the only delivery loop on this database).
  virtual Status releaseLeases() = 0;
  // The earliest time after `nowMs` at which an event becomes due and its lease runs out (the
  // later of the two), or nullopt when no event waits for a time after now. Events eligible
  // already but not claimed wait for something else: an earlier event of their subject to
  // settle, or room among the deliveries in flight.
  virtual Result<std::optional<int64_t>> nextDueAfter(int64_t nowMs) = 0;
  virtual Status settle(const Settlement& s) = 0;
  virtual Result<int64_t> depth() = 0;  // events queued, all accounts
  virtual Status purgeDedupe(int64_t acceptedBeforeMs) = 0;

  // Newest first, at most `limit`.
  virtual Result<std::vector<DeadLetterRecord>> deadLetters(const std::string& accountId,
                                                            int64_t limit) = 0;
  virtual Result<DeadLetterRecord> deadLetter(const std::string& accountId,
                                              const std::string& id) = 0;
  virtual Status removeDeadLetter(const std::string& accountId, const std::string& id) = 0;
  // Moves the dead letter back to the end of the queue, owed to its functions, attempts 0.
  virtual Status replayDeadLetter(const std::string& accountId, const std::string& id,
                                  int64_t nowMs) = 0;

  // Webhook outbox: due messages (next_attempt_ms <= now), oldest first.
  virtual Result<std::vector<WebhookMessage>> dueWebhooks(int64_t nowMs, int64_t limit) = 0;
  // The earliest next attempt after `nowMs` in the outbox, or nullopt.
  virtual Result<std::optional<int64_t>> nextWebhookAfter(int64_t nowMs) = 0;
  virtual Status webhookSent(int64_t seq) = 0;
  virtual Status webhookRetry(int64_t seq, int64_t attempts, int64_t nextAttemptMs) = 0;
};

class SettingsRepository {
 public:
  virtual ~SettingsRepository() = default;
  // nullopt when the account has never saved settings.
  virtual Result<std::optional<AccountSettingsRecord>> get(const std::string& accountId) = 0;
  // Inserts or replaces; kNotFound when the account does not exist.
  virtual Status put(const AccountSettingsRecord& s) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual AccountRepository& accounts() = 0;
  virtual UserRepository& users() = 0;
  virtual ClientRepository& clients() = 0;
  virtual RevocationRepository& revocations() = 0;
  virtual FunctionRepository& functions() = 0;
  virtual InvocationRepository& invocations() = 0;
  virtual SecretRepository& secrets() = 0;
  virtual ScheduleRepository& schedules() = 0;
  // The context store (SPEC §8).
  virtual ContextRepository& context() = 0;
  virtual DomainRepository& domains() = 0;
  virtual MetricsRepository& metrics() = 0;
  virtual ActivityRepository& activity() = 0;
  virtual EventTypeRepository& eventTypes() = 0;
  virtual EventQueueRepository& eventQueue() = 0;
  virtual SettingsRepository& settings() = 0;
  // Wrapped per-account data keys for the vault (table data_keys).
  virtual vault::KeyStore& dataKeys() = 0;
  // Runs `body` in one transaction: committed when it returns ok, rolled back otherwise.
  // Repository calls made by `body` on this thread join the transaction.
  virtual Status transaction(const std::function<Status()>& body) = 0;
};

}  // namespace parley::store
