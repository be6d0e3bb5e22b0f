// Internals of the SQLite store (see sqlite_store.h for the contract): the store with its
// connections and transaction bookkeeping, and the repository classes, each implemented in its
// own file (sqlite_accounts.cc, sqlite_functions.cc, sqlite_invocations.cc).
//
// Every repository method runs its SQL through SqliteStore::read or SqliteStore::write, which pick
// the connection: the writer when this thread has a transaction open on this store, otherwise a
// pooled reader (read) or the writer under its mutex in a transaction of its own (write).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "base/clock.h"
#include "store/checkpointer.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace parley::store::sqlite {

class SqliteStore;

// Reader connections, opened on demand up to a maximum. Thread-safe.
class ReaderPool {
 public:
  ReaderPool(std::string path, int maxReaders, int busyTimeoutMs);

  // A connection on loan; goes back to the pool when destroyed.
  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& conn() { return *conn_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // Waits while all `maxReaders` connections are on loan.
  Result<Lease> acquire();

 private:
  void giveBack(std::unique_ptr<Connection> conn);

  const std::string path_;  // Immutable after construction
  const int maxReaders_;
  const int busyTimeoutMs_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // Guarded by mu_
  int opened_ = 0;                                 // Guarded by mu_: idle + on loan
};

// Opens a write on the writer connection: BEGIN IMMEDIATE under the writer mutex, or a SAVEPOINT
// when this thread already has a transaction open on the store. finish() commits (or releases);
// without finish(), or with finish(false), everything since the start is rolled back — also when
// an exception unwinds through the scope.
class WriteScope {
 public:
  explicit WriteScope(SqliteStore& store);
  ~WriteScope();
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  // The outcome of starting; when not ok, nothing was started.
  const Status& started() const { return started_; }
  bool nested() const { return nested_; }
  Status finish(bool commit);

 private:
  void rollback();

  SqliteStore& store_;
  std::unique_lock<std::mutex> lock_;
  bool nested_ = false;
  bool open_ = false;
  Status started_ = okStatus();
};

class SqliteAccounts final : public AccountRepository {
 public:
  explicit SqliteAccounts(SqliteStore& store) : store_(store) {}
  Status create(const Account& a) override;
  Result<Account> get(const std::string& id) override;
  Result<std::vector<Account>> list() override;

 private:
  SqliteStore& store_;
};

class SqliteUsers final : public UserRepository {
 public:
  explicit SqliteUsers(SqliteStore& store) : store_(store) {}
  Status create(const User& u) override;
  Result<User> get(const std::string& id) override;
  Result<User> getByUsername(const std::string& username) override;
  Status setPasswordHash(const std::string& userId, const std::string& hash) override;
  Status setRole(const Membership& m) override;
  Status removeRole(const std::string& accountId, const std::string& userId) override;
  Result<std::optional<Role>> roleIn(const std::string& accountId,
                                     const std::string& userId) override;
  Result<std::vector<std::pair<User, Role>>> listInAccount(const std::string& accountId) override;

 private:
  SqliteStore& store_;
};

class SqliteClients final : public ClientRepository {
 public:
  explicit SqliteClients(SqliteStore& store) : store_(store) {}
  Status create(const ApiClient& c) override;
  Result<ApiClient> get(const std::string& clientId) override;
  Result<std::vector<ApiClient>> list(const std::string& accountId) override;
  Status revoke(const std::string& accountId, const std::string& clientId) override;

 private:
  SqliteStore& store_;
};

class SqliteRevocations final : public RevocationRepository {
 public:
  explicit SqliteRevocations(SqliteStore& store) : store_(store) {}
  Status revoke(const std::string& tokenId, int64_t expiresAt) override;
  Result<bool> isRevoked(const std::string& tokenId) override;
  Status purgeExpired(int64_t now) override;

 private:
  SqliteStore& store_;
};

class SqliteFunctions final : public FunctionRepository {
 public:
  explicit SqliteFunctions(SqliteStore& store) : store_(store) {}
  Status create(const FunctionRecord& f) override;
  Status update(const FunctionRecord& f) override;
  Status remove(const std::string& accountId, const std::string& uuid) override;
  Result<FunctionRecord> get(const std::string& accountId, const std::string& uuid) override;
  Result<FunctionRecord> getByName(const std::string& accountId, const std::string& name) override;
  Result<std::vector<FunctionRecord>> list(const std::string& accountId) override;
  Result<std::vector<FunctionRecord>> listBoundTo(const std::string& accountId,
                                                  const std::string& eventId) override;
  Result<int64_t> count(const std::string& accountId) override;
  Status addVersion(const VersionRecord& v) override;
  Result<VersionRecord> version(const std::string& functionUuid, int64_t version) override;
  Result<std::vector<VersionRecord>> versions(const std::string& functionUuid) override;
  Status pruneVersions(const std::string& functionUuid, int64_t keep,
                       int64_t protectedVersion) override;
  Result<int64_t> addDeployment(const DeploymentRecord& d) override;
  Result<std::vector<DeploymentRecord>> deployments(const std::string& functionUuid) override;

 private:
  SqliteStore& store_;
};

class SqliteInvocations final : public InvocationRepository {
 public:
  explicit SqliteInvocations(SqliteStore& store) : store_(store) {}
  Status put(const InvocationRecord& r) override;
  Result<InvocationRecord> get(const std::string& accountId, const std::string& id) override;
  Result<std::vector<InvocationRecord>> query(const InvocationQuery& q) override;
  Status purgeBefore(int64_t startedBefore) override;
  Result<std::vector<LogLine>> logs(const LogQuery& q) override;  // sqlite_observe.cc

 private:
  SqliteStore& store_;
};

// sqlite_observe.cc
class SqliteMetrics final : public MetricsRepository {
 public:
  explicit SqliteMetrics(SqliteStore& store) : store_(store) {}
  Status add(const std::vector<MetricsBucket>& deltas) override;
  Result<std::vector<MetricsBucket>> range(const std::string& accountId,
                                           const std::string& functionUuid, int64_t from,
                                           int64_t to) override;
  Result<MetricsBucket> accountTotal(const std::string& accountId, int64_t from,
                                     int64_t to) override;
  Status purgeBefore(int64_t bucketBefore) override;

 private:
  SqliteStore& store_;
};

// sqlite_observe.cc
class SqliteActivity final : public ActivityRepository {
 public:
  explicit SqliteActivity(SqliteStore& store) : store_(store) {}
  Result<int64_t> append(const ActivityRecord& r) override;
  Result<std::vector<ActivityRecord>> list(const ActivityQuery& q) override;
  Status purgeBefore(int64_t atBefore) override;

 private:
  SqliteStore& store_;
};

class SqliteSecrets final : public SecretRepository {
 public:
  explicit SqliteSecrets(SqliteStore& store) : store_(store) {}
  Status create(const SecretRecord& s) override;
  Status put(const SecretRecord& s) override;
  Result<SecretRecord> get(const std::string& accountId, const std::string& name) override;
  Result<std::vector<SecretRecord>> list(const std::string& accountId) override;
  Status remove(const std::string& accountId, const std::string& name) override;

 private:
  SqliteStore& store_;
};

class SqliteSchedules final : public ScheduleRepository {
 public:
  explicit SqliteSchedules(SqliteStore& store) : store_(store) {}
  Status create(const ScheduleRecord& s) override;
  Result<ScheduleRecord> get(const std::string& accountId, const std::string& id) override;
  Result<std::vector<ScheduleRecord>> list(const std::string& accountId) override;
  Result<std::vector<ScheduleRecord>> listForFunction(const std::string& accountId,
                                                      const std::string& functionUuid) override;
  Result<int64_t> count(const std::string& accountId) override;
  Status update(const ScheduleRecord& s) override;
  Status remove(const std::string& accountId, const std::string& id) override;
  Result<std::vector<ScheduleRecord>> due(int64_t nowMs, int64_t limit) override;
  Result<bool> claimFire(const std::string& id, std::optional<int64_t> expectedLastFireMs,
                         int64_t newLastFireMs, std::optional<int64_t> newNextFireMs) override;
  Status setNextFire(const std::string& id, std::optional<int64_t> nextFireMs) override;
  Status recordOutcome(const std::string& id, int64_t dueMs, const std::string& outcome,
                       const std::string& invocationId) override;

 private:
  SqliteStore& store_;
};

// The context store (sqlite_context.cc).
class SqliteContext final : public ContextRepository {
 public:
  explicit SqliteContext(SqliteStore& store) : store_(store) {}
  Status createNamespace(const ContextNamespace& ns) override;
  Result<ContextNamespace> getNamespace(const std::string& accountId,
                                        const std::string& name) override;
  Result<std::vector<ContextNamespace>> listNamespaces(const std::string& accountId) override;
  Result<bool> deleteNamespace(const std::string& accountId, const std::string& name) override;
  Result<std::vector<std::string>> listSessions(const std::string& accountId,
                                                const std::string& ns, int64_t nowMs) override;
  Result<bool> deleteSession(const ContextSessionKey& key, int64_t nowMs) override;
  Status putProperties(const ContextSessionKey& key, const std::vector<ContextProperty>& properties,
                       bool replace, int64_t nowMs, std::optional<int64_t> expiresAtMs) override;
  Result<std::vector<ContextProperty>> getProperties(const ContextSessionKey& key,
                                                     const std::vector<std::string>* names,
                                                     int64_t nowMs) override;
  Result<bool> deleteProperty(const ContextSessionKey& key, const std::string& name,
                              int64_t nowMs) override;
  Result<ContextUsage> usage(const ContextSessionKey& key, int64_t nowMs) override;
  Result<int64_t> purgeExpired(int64_t nowMs) override;

 private:
  SqliteStore& store_;
};

class SqliteDomains final : public DomainRepository {
 public:
  explicit SqliteDomains(SqliteStore& store) : store_(store) {}
  Status add(const DomainRecord& d) override;
  Result<std::vector<DomainRecord>> list(const std::string& accountId) override;
  Status remove(const std::string& accountId, const std::string& domain) override;

 private:
  SqliteStore& store_;
};

class SqliteEventTypes final : public EventTypeRepository {
 public:
  explicit SqliteEventTypes(SqliteStore& store) : store_(store) {}
  Status create(const EventTypeRecord& t) override;
  Result<EventTypeRecord> get(const std::string& accountId, const std::string& id) override;
  Result<std::vector<EventTypeRecord>> list(const std::string& accountId) override;
  Status remove(const std::string& accountId, const std::string& id) override;

 private:
  SqliteStore& store_;
};

class SqliteEventQueue final : public EventQueueRepository {
 public:
  explicit SqliteEventQueue(SqliteStore& store) : store_(store) {}
  Result<std::vector<bool>> enqueue(const std::vector<QueuedEvent>& events,
                                    int64_t dedupeSinceMs) override;
  Result<std::vector<QueuedEvent>> claim(int64_t nowMs, int64_t leaseUntilMs,
                                         int64_t limit) override;
  Status releaseLeases() override;
  Result<std::optional<int64_t>> nextDueAfter(int64_t nowMs) override;
  Status settle(const Settlement& s) override;
  Result<int64_t> depth() override;
  Status purgeDedupe(int64_t acceptedBeforeMs) override;
  Result<std::vector<DeadLetterRecord>> deadLetters(const std::string& accountId,
                                                    int64_t limit) override;
  Result<DeadLetterRecord> deadLetter(const std::string& accountId, const std::string& id) override;
  Status removeDeadLetter(const std::string& accountId, const std::string& id) override;
  Status replayDeadLetter(const std::string& accountId, const std::string& id,
                          int64_t nowMs) override;
  Result<std::vector<WebhookMessage>> dueWebhooks(int64_t nowMs, int64_t limit) override;
  Result<std::optional<int64_t>> nextWebhookAfter(int64_t nowMs) override;
  Status webhookSent(int64_t seq) override;
  Status webhookRetry(int64_t seq, int64_t attempts, int64_t nextAttemptMs) override;

 private:
  SqliteStore& store_;
};

class SqliteSettings final : public SettingsRepository {
 public:
  explicit SqliteSettings(SqliteStore& store) : store_(store) {}
  Result<std::optional<AccountSettingsRecord>> get(const std::string& accountId) override;
  Status put(const AccountSettingsRecord& s) override;

 private:
  SqliteStore& store_;
};

// vault::KeyStore on the data_keys table. replaceAll is a compare-and-swap in one write
// transaction: the stored (account, version) set must equal the given one, else nothing changes.
class SqliteKeyStore final : public vault::KeyStore {
 public:
  explicit SqliteKeyStore(SqliteStore& store) : store_(store) {}
  Result<std::optional<vault::WrappedKey>> current(const std::string& accountId) override;
  Result<vault::WrappedKey> get(const std::string& accountId, uint32_t version) override;
  Status put(const vault::WrappedKey& key) override;
  Result<std::vector<vault::WrappedKey>> list() override;
  Status replaceAll(const std::vector<vault::WrappedKey>& keys) override;

 private:
  SqliteStore& store_;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, const Clock& clock,
                                                   const SqliteOptions& options);
  ~SqliteStore() override;

  AccountRepository& accounts() override { return accounts_; }
  UserRepository& users() override { return users_; }
  ClientRepository& clients() override { return clients_; }
  RevocationRepository& revocations() override { return revocations_; }
  FunctionRepository& functions() override { return functions_; }
  InvocationRepository& invocations() override { return invocations_; }
  SecretRepository& secrets() override { return secrets_; }
  ContextRepository& context() override { return context_; }
  ScheduleRepository& schedules() override { return schedules_; }
  DomainRepository& domains() override { return domains_; }
  MetricsRepository& metrics() override { return metrics_; }
  ActivityRepository& activity() override { return activity_; }
  EventTypeRepository& eventTypes() override { return eventTypes_; }
  EventQueueRepository& eventQueue() override { return eventQueue_; }
  SettingsRepository& settings() override { return settings_; }
  vault::KeyStore& dataKeys() override { return dataKeys_; }
  Status transaction(const std::function<Status()>& body) override;

  // Runs `fn(Connection&) -> Result<T>` for a read. Outside a transaction it runs on a reader
  // connection inside a read transaction, so several statements see one snapshot.
  template <typename F>
  std::invoke_result_t<F&, Connection&> read(F&& fn) {
    if (threadHoldsTransaction()) {
      Status alive = checkTransactionAlive();
      if (!alive.ok()) return std::move(alive).takeError();
      return fn(*writer_);
    }
    Result<ReaderPool::Lease> lease = readers_.acquire();
    if (!lease.ok()) return std::move(lease).takeError();
    Connection& conn = lease->conn();
    Result<int64_t> begun = conn.prepare("BEGIN").run();
    if (!begun.ok()) return std::move(begun).takeError();
    auto result = fn(conn);
    // Ends the read snapshot; the lease rolls back instead if this is skipped or fails.
    Result<int64_t> ended = conn.prepare("COMMIT").run();
    if (result.ok() && !ended.ok()) return std::move(ended).takeError();
    return result;
  }

  // Runs `fn(Connection&) -> Result<T>` as one atomic write on the writer connection (see
  // WriteScope): all of it is kept when fn returns ok, none of it otherwise.
  template <typename F>
  std::invoke_result_t<F&, Connection&> write(F&& fn) {
    WriteScope scope(*this);
    if (!scope.started().ok()) return scope.started().error();
    auto result = fn(*writer_);
    Status end = scope.finish(result.ok());
    if (result.ok() && !end.ok()) return std::move(end).takeError();
    return result;
  }

  // True when this thread is inside transaction() on this store.
  bool threadHoldsTransaction() const;

 private:
  friend class WriteScope;
  SqliteStore(std::unique_ptr<Connection> writer, std::unique_ptr<Checkpointer> checkpointer,
              const std::string& path, const SqliteOptions& options);
  // An error when SQLite ended the open transaction by itself (after I/O errors and the like):
  // carrying on would run the rest of the body outside any transaction.
  Status checkTransactionAlive() const;

  // Immutable after construction. The writer is declared before the readers so that it is
  // closed last: the last connection to close checkpoints the WAL into the database file.
  std::unique_ptr<Connection> writer_;  // Guarded by writerMu_ (or owned by this thread's
                                        // transaction)
  std::mutex writerMu_;
  ReaderPool readers_;
  std::unique_ptr<Checkpointer> checkpointer_;  // stopped before the connections close
  SqliteAccounts accounts_{*this};
  SqliteUsers users_{*this};
  SqliteClients clients_{*this};
  SqliteRevocations revocations_{*this};
  SqliteFunctions functions_{*this};
  SqliteInvocations invocations_{*this};
  SqliteSecrets secrets_{*this};
  SqliteSchedules schedules_{*this};
  SqliteDomains domains_{*this};
  SqliteMetrics metrics_{*this};
  SqliteActivity activity_{*this};
  SqliteEventTypes eventTypes_{*this};
  SqliteEventQueue eventQueue_{*this};
  SqliteSettings settings_{*this};
  SqliteKeyStore dataKeys_{*this};
  SqliteContext context_{*this};
};

// Helpers shared by the repository files.

// The value of a found row, or kNotFound with `message`.
template <typename T>
Result<T> foundOr(Result<std::optional<T>> row, const std::string& message) {
  if (!row.ok()) return std::move(row).takeError();
  if (!row.value().has_value()) return Error::notFound(message);
  return std::move(*row.value());
}

// Gives the kAlreadyExists / kNotFound errors that SQLite constraints produce (unique key taken,
// referenced row missing) a message naming the object; an empty message keeps SQLite's. Other
// errors pass through.
Error nameConstraintError(Error e, const std::string& alreadyExists,
                          const std::string& notFound = {});

// 'name' in single quotes, for messages.
std::string quoted(const std::string& s);

// JSON columns (json_columns.cc). Decoding failures are kInvalidArgument naming `what`.
std::string encodeStringList(const std::vector<std::string>& list);
Result<std::vector<std::string>> decodeStringList(const std::string& json, const std::string& what);
std::string encodeStringMap(const std::map<std::string, std::string>& map);
Result<std::map<std::string, std::string>> decodeStringMap(const std::string& json,
                                                           const std::string& what);

}  // namespace parley::store::sqlite
