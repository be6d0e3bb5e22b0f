#include "store/sqlite_db.h"

#include <mutex>

namespace parley::store::sqlite {
namespace {

// SQL text for error messages: whitespace collapsed, cut short.
std::string abbreviate(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char ch : sql) {
    if (ch == ' ' || ch == '\n' || ch == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
    if (out.size() >= 80) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace

// ---- Statement ----

Statement::Statement(Connection* conn, sqlite3_stmt* stmt, bool* inUse)
    : conn_(conn), stmt_(stmt), inUse_(inUse) {}

Statement::Statement(Error error) : error_(std::move(error)) {}

Statement::Statement(Statement&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      inUse_(std::exchange(other.inUse_, nullptr)),
      error_(std::move(other.error_)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (inUse_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *inUse_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::reset() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  error_.reset();
}

void Statement::bindText(int index, std::string_view value) {
  noteBind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::noteBind(int rc) {
  if (rc != SQLITE_OK && !error_) {
    error_ = conn_->error(rc, "binding a parameter of " + abbreviate(sqlite3_sql(stmt_)));
  }
}

Result<bool> Statement::step() {
  if (error_) return *error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = conn_->error(rc, abbreviate(sqlite3_sql(stmt_)));
  // A failed step leaves the statement needing a reset before its next use.
  sqlite3_reset(stmt_);
  return e;
}

Result<int64_t> Statement::run() {
  for (;;) {
    Result<bool> row = step();
    if (!row.ok()) return std::move(row).takeError();
    if (!*row) break;
  }
  return static_cast<int64_t>(sqlite3_changes64(conn_->handle()));
}

int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  if (p == nullptr) return {};
  return std::string(static_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- Connection ----

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, OpenMode mode,
                                                     int busyTimeoutMs) {
  // No memory statistics: with them on, every allocation SQLite makes takes a process-wide mutex
  // (a quarter of the invocation recorder's time). Set before SQLite initialises itself.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  // NOMUTEX: the store never shares a connection between threads at once, so SQLite's own
  // per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::kReadWrite) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error::internal("sqlite: cannot open database '" + path + "': " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busyTimeoutMs);
  std::unique_ptr<Connection> conn(new Connection(db));
  // foreign_keys and synchronous are per connection, not stored in the file.
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
  if (mode == OpenMode::kReadOnly) pragmas += " PRAGMA query_only = ON;";
  Status s = conn->execScript(pragmas, "setting connection pragmas");
  if (!s.ok()) return std::move(s).takeError();
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, slot] : cache_) sqlite3_finalize(slot.stmt);
  sqlite3_close_v2(db_);
}

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    // PERSISTENT: these live for the connection's lifetime; SQLite allocates them accordingly.
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Statement(error(rc, "preparing " + abbreviate(sql)));
    it = cache_.emplace(std::string(sql), Cached{stmt, false}).first;
  }
  Cached& slot = it->second;
  if (slot.inUse) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return Statement(error(rc, "preparing " + abbreviate(sql)));
    return Statement(this, stmt, nullptr);
  }
  slot.inUse = true;
  return Statement(this, slot.stmt, &slot.inUse);
}

Status Connection::execScript(const std::string& sql, std::string_view what) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error(rc, what);
  return okStatus();
}

Error Connection::error(int rc, std::string_view what) const {
  std::string message = sqlite3_errmsg(db_);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error::alreadyExists(message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error::notFound(message);
    default:
      return Error::internal("sqlite: " + message + " (" + std::string(what) + ")");
  }
}

}  // namespace parley::store::sqlite
