// A small RAII layer over the SQLite C API, private to the store: a connection with a cache of
// prepared statements, statements with typed bind/column helpers, and SQLite errors turned into
// parley::Error.
//
// Error mapping (repositories replace the message with one naming the object):
//   UNIQUE / PRIMARY KEY constraint  -> kAlreadyExists (SQLite's message, e.g. "UNIQUE constraint
//                                       failed: users.username")
//   FOREIGN KEY constraint           -> kNotFound (a referenced row is missing)
//   anything else                    -> kInternal ("sqlite: <message> (<what was being done>)")
//
// Thread-safety: none. A Connection and its statements are used by one thread at a time; the
// store hands connections out under its own locks (sqlite_store_impl.h).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"

namespace parley::store::sqlite {

class Connection;

// One use of a prepared statement. Statements come from the connection's cache; destroying (or
// reset()ting) a Statement resets it and clears its bindings so the cached statement is ready
// for the next use and holds no read snapshot open. If preparing failed, the Statement carries
// the error and every step returns it, so call sites can chain prepare().bind().run().
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Binds parameters 1..n, in order. Strings are copied (SQLITE_TRANSIENT), so temporaries are
  // safe. Supported: std::string, std::string_view, const char*, integers, bool, nullptr.
  template <typename... Args>
  Statement& bind(const Args&... args) {
    int index = 0;
    (bindAt(++index, args), ...);
    return *this;
  }

  // Binds one parameter (1-based), for statements whose parameters vary.
  template <typename T>
  Statement& bindAt(int index, const T& value) {
    if (stmt_ == nullptr) return *this;
    if constexpr (std::is_same_v<T, std::nullptr_t>) {
      noteBind(sqlite3_bind_null(stmt_, index));
    } else if constexpr (std::is_same_v<T, bool>) {
      noteBind(sqlite3_bind_int64(stmt_, index, value ? 1 : 0));
    } else if constexpr (std::is_integral_v<T>) {
      noteBind(sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value)));
    } else {
      bindText(index, std::string_view(value));
    }
    return *this;
  }

  // Binds raw bytes as a BLOB (copied).
  Statement& bindBlobAt(int index, std::string_view bytes) {
    if (stmt_ != nullptr) {
      noteBind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
    }
    return *this;
  }

  // Steps once: true when a row is ready to be read, false when the statement is done.
  Result<bool> step();
  // Runs to completion (INSERT/UPDATE/DELETE); returns the number of rows changed.
  Result<int64_t> run();
  // Ready for the next bind()/step().
  void reset();

  // Every row decoded by `decode(Statement&) -> Result<T>`.
  template <typename T, typename Decode>
  Result<std::vector<T>> all(Decode&& decode) {
    std::vector<T> rows;
    for (;;) {
      Result<bool> row = step();
      if (!row.ok()) return std::move(row).takeError();
      if (!*row) return rows;
      Result<T> item = decode(*this);
      if (!item.ok()) return std::move(item).takeError();
      rows.push_back(std::move(item).value());
    }
  }

  // The first row decoded, or nullopt when there is none.
  template <typename T, typename Decode>
  Result<std::optional<T>> first(Decode&& decode) {
    Result<bool> row = step();
    if (!row.ok()) return std::move(row).takeError();
    if (!*row) return std::optional<T>();
    Result<T> item = decode(*this);
    if (!item.ok()) return std::move(item).takeError();
    return std::optional<T>(std::move(item).value());
  }

  // Column readers for the current row (0-based). NULL reads as 0 / "".
  int64_t integer(int column) const;
  bool boolean(int column) const { return integer(column) != 0; }
  std::string text(int column) const;
  std::string blob(int column) const;
  bool isNull(int column) const;

 private:
  friend class Connection;
  // `inUse` is the cache slot's flag (cleared on release), or null for an uncached statement.
  Statement(Connection* conn, sqlite3_stmt* stmt, bool* inUse);
  explicit Statement(Error error);

  void bindText(int index, std::string_view value);
  void noteBind(int rc);

  Connection* conn_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool* inUse_ = nullptr;
  std::optional<Error> error_;  // from prepare or bind; returned by step()/run()
};

enum class OpenMode { kReadWrite, kReadOnly };

class Connection {
 public:
  // Opens (creating if needed, for kReadWrite) the database file with extended result codes and
  // a busy timeout. kReadOnly connections refuse writes (PRAGMA query_only).
  static Result<std::unique_ptr<Connection>> open(const std::string& path, OpenMode mode,
                                                  int busyTimeoutMs);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement from the cache (prepared on first use). If the cached one is in use (the same
  // SQL nested in itself) a fresh uncached statement is prepared instead.
  Statement prepare(std::string_view sql);
  // Runs SQL text that may hold several statements (migrations, pragmas); no parameters.
  Status execScript(const std::string& sql, std::string_view what);

  // True while a transaction is open on this connection (SQLite may end one by itself after
  // some errors: callers check this to never continue a transaction that is gone).
  bool inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  int64_t lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* handle() const { return db_; }

  // The Error for a failed SQLite call `rc` on this connection.
  Error error(int rc, std::string_view what) const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool inUse = false;
  };
  // Transparent, so a lookup by string_view does not build a std::string per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  sqlite3* db_;
  // Node-based: a Statement keeps a pointer to its slot's flag across rehashing.
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;
};

}  // namespace parley::store::sqlite
