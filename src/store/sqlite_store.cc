// The store's connections and transactions. Repositories live in sqlite_accounts.cc,
// sqlite_functions.cc and sqlite_invocations.cc.
#include "store/sqlite_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/schema.h"
#include "store/sqlite_store_impl.h"

namespace parley::store {
namespace sqlite {
namespace {

constexpr const char* kTransactionGone =
    "the transaction was rolled back by SQLite after an earlier error; nothing in it was saved";

// The transactions this thread has open, innermost first: one frame per store, so that a body
// may also use another store without joining it by mistake.
struct TransactionFrame {
  const SqliteStore* store;
  TransactionFrame* outer;
};
thread_local TransactionFrame* tlsTransactions = nullptr;

class FrameGuard {
 public:
  explicit FrameGuard(const SqliteStore* store) : frame_{store, tlsTransactions} {
    tlsTransactions = &frame_;
  }
  ~FrameGuard() { tlsTransactions = frame_.outer; }
  FrameGuard(const FrameGuard&) = delete;
  FrameGuard& operator=(const FrameGuard&) = delete;

 private:
  TransactionFrame frame_;
};

std::string errnoText() {
  return std::strerror(errno);
}

// Missing directories are created 0700: the data directory holds password hashes and keys.
Status ensureParentDirectory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return okStatus();
  std::filesystem::path partial;
  for (const auto& part : parent) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error::internal("cannot create directory '" + partial.string() + "': " + errnoText());
    }
  }
  struct stat st {};
  if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error::internal("'" + parent.string() + "' is not a directory");
  }
  return okStatus();
}

// Creates the database file ourselves so it is 0600 from the start; SQLite gives its -wal and
// -shm files the database file's mode.
Status ensureFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    int rc = ::fchmod(fd, 0600);  // in case the umask was odd
    ::close(fd);
    if (rc != 0) return Error::internal("cannot set the mode of '" + path + "': " + errnoText());
    return okStatus();
  }
  if (errno == EEXIST) return okStatus();
  return Error::internal("cannot create database file '" + path + "': " + errnoText());
}

}  // namespace

// ---- ReaderPool ----

ReaderPool::ReaderPool(std::string path, int maxReaders, int busyTimeoutMs)
    : path_(std::move(path)), maxReaders_(maxReaders), busyTimeoutMs_(busyTimeoutMs) {}

ReaderPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->giveBack(std::move(conn_));
}

Result<ReaderPool::Lease> ReaderPool::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || opened_ < maxReaders_; });
  if (!idle_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++opened_;
  lock.unlock();
  Result<std::unique_ptr<Connection>> conn =
      Connection::open(path_, OpenMode::kReadOnly, busyTimeoutMs_);
  if (!conn.ok()) {
    lock.lock();
    --opened_;
    cv_.notify_one();
    return std::move(conn).takeError();
  }
  return Lease(this, std::move(conn).value());
}

void ReaderPool::giveBack(std::unique_ptr<Connection> conn) {
  // A read that failed (or threw) may have left its snapshot open; a pooled connection holding
  // one would keep the WAL from ever being checkpointed.
  if (conn->inTransaction()) (void)conn->execScript("ROLLBACK", "ending a read");
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(conn));
  cv_.notify_one();
}

// ---- WriteScope ----

WriteScope::WriteScope(SqliteStore& store) : store_(store) {
  Connection& conn = *store.writer_;
  if (store.threadHoldsTransaction()) {
    nested_ = true;
    started_ = store.checkTransactionAlive();
    if (!started_.ok()) return;
    Result<int64_t> r = conn.prepare("SAVEPOINT parley_write").run();
    if (!r.ok()) {
      started_ = std::move(r).takeError();
      return;
    }
  } else {
    lock_ = std::unique_lock(store.writerMu_);
    // IMMEDIATE takes the write lock now rather than at the first write, so a transaction that
    // reads then writes cannot fail halfway with SQLITE_BUSY against another process.
    Result<int64_t> r = conn.prepare("BEGIN IMMEDIATE").run();
    if (!r.ok()) {
      started_ = std::move(r).takeError();
      lock_.unlock();
      return;
    }
  }
  open_ = true;
}

WriteScope::~WriteScope() {
  if (open_) rollback();
}

void WriteScope::rollback() {
  open_ = false;
  Connection& conn = *store_.writer_;
  if (nested_) {
    if (conn.inTransaction()) {
      (void)conn.prepare("ROLLBACK TO parley_write").run();
      (void)conn.prepare("RELEASE parley_write").run();
    }
    return;
  }
  if (conn.inTransaction()) (void)conn.prepare("ROLLBACK").run();
  lock_.unlock();
}

Status WriteScope::finish(bool commit) {
  if (!open_) return started_.ok() ? Status(Error::internal("write already finished")) : started_;
  if (!commit) {
    rollback();
    return okStatus();
  }
  Connection& conn = *store_.writer_;
  if (!conn.inTransaction()) {
    rollback();
    return Error::internal(kTransactionGone);
  }
  Result<int64_t> r = conn.prepare(nested_ ? "RELEASE parley_write" : "COMMIT").run();
  if (!r.ok()) {
    rollback();
    return std::move(r).takeError();
  }
  open_ = false;
  if (!nested_) lock_.unlock();
  return okStatus();
}

// ---- SqliteStore ----

SqliteStore::SqliteStore(std::unique_ptr<Connection> writer,
                         std::unique_ptr<Checkpointer> checkpointer, const std::string& path,
                         const SqliteOptions& options)
    : writer_(std::move(writer)),
      readers_(path, std::max(1, options.maxReaders), options.busyTimeoutMs),
      checkpointer_(std::move(checkpointer)) {
  checkpointer_->attach(*writer_);
}

SqliteStore::~SqliteStore() {
  std::lock_guard lock(writerMu_);
  // Lets SQLite refresh its query planner statistics where they have drifted; cheap.
  (void)writer_->execScript("PRAGMA optimize", "optimizing");
  // The hook points at the checkpointer, which is destroyed before the writer.
  Checkpointer::detach(*writer_);
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, const Clock& clock,
                                                       const SqliteOptions& options) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
    return Error::invalidArgument("the SQLite store needs a file path, not '" + path + "'");
  }
  Status dir = ensureParentDirectory(path);
  if (!dir.ok()) return std::move(dir).takeError();
  Status file = ensureFile(path);
  if (!file.ok()) return std::move(file).takeError();

  Result<std::unique_ptr<Connection>> writer =
      Connection::open(path, OpenMode::kReadWrite, options.busyTimeoutMs);
  if (!writer.ok()) return std::move(writer).takeError();
  Connection& conn = **writer;

  // WAL lets readers proceed while the writer writes; the mode is stored in the file.
  Result<std::optional<std::string>> mode =
      conn.prepare("PRAGMA journal_mode = WAL").first<std::string>([](Statement& row) {
        return Result<std::string>(row.text(0));
      });
  if (!mode.ok()) return std::move(mode).takeError();
  if (mode->value_or("") != "wal") {
    return Error::internal("sqlite: cannot switch '" + path + "' to WAL mode (journal mode is '" +
                           mode->value_or("") + "')");
  }
  // Without a limit the -wal file keeps the size of the largest burst of writes.
  Status limit = conn.execScript("PRAGMA journal_size_limit = 67108864", "limiting the WAL");
  if (!limit.ok()) return std::move(limit).takeError();

  Status migrated = migrate(conn, clock, path);
  if (!migrated.ok()) return std::move(migrated).takeError();

  // SQLite's default: a checkpoint once the WAL holds 1000 pages (4 MB).
  Result<std::unique_ptr<Checkpointer>> checkpointer =
      Checkpointer::start(path, options.busyTimeoutMs, 1000, 8000);
  if (!checkpointer.ok()) return std::move(checkpointer).takeError();
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(writer).value(), std::move(checkpointer).value(), path, options));
}

bool SqliteStore::threadHoldsTransaction() const {
  for (const TransactionFrame* f = tlsTransactions; f != nullptr; f = f->outer) {
    if (f->store == this) return true;
  }
  return false;
}

Status SqliteStore::checkTransactionAlive() const {
  if (!writer_->inTransaction()) return Error::internal(kTransactionGone);
  return okStatus();
}

Status SqliteStore::transaction(const std::function<Status()>& body) {
  WriteScope scope(*this);
  if (!scope.started().ok()) return scope.started();
  Status result = okStatus();
  if (scope.nested()) {
    result = body();
  } else {
    // Pushed only once the transaction is open, so that the scope above was not itself taken
    // for a nested one.
    FrameGuard frame(this);
    result = body();
  }
  Status end = scope.finish(result.ok());
  if (!result.ok()) return result;
  return end;
}

// ---- helpers for the repositories ----

Error nameConstraintError(Error e, const std::string& alreadyExists, const std::string& notFound) {
  if (e.code() == ErrorCode::kAlreadyExists && !alreadyExists.empty()) {
    return Error::alreadyExists(alreadyExists);
  }
  if (e.code() == ErrorCode::kNotFound && !notFound.empty()) return Error::notFound(notFound);
  return e;
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

}  // namespace sqlite

Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, const Clock& clock,
                                               const SqliteOptions& options) {
  Result<std::unique_ptr<sqlite::SqliteStore>> store =
      sqlite::SqliteStore::open(path, clock, options);
  if (!store.ok()) return std::move(store).takeError();
  return std::unique_ptr<Store>(std::move(store).value());
}

Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, const Clock& clock) {
  return openSqliteStore(path, clock, SqliteOptions{});
}

int sqliteSchemaVersion() {
  return sqlite::latestSchemaVersion();
}

}  // namespace parley::store
