// The embedded store: SQLite in WAL mode, one file in the data directory.
//
// openSqliteStore creates the file (mode 0600) and its parent directories (mode 0700) if they are
// missing, brings the schema up to date (numbered migrations, recorded in `schema_version`) and
// refuses a database written by a newer Parley (kFailedPrecondition, saying so).
//
// Concurrency: one writer connection behind a mutex; reads use a small pool of reader
// connections, so in WAL mode they are never blocked by the writer and see the last committed
// state. Store::transaction() holds the writer for its whole body (BEGIN IMMEDIATE), and every
// repository call the body makes on the same thread — reads included — runs on that connection,
// so the body sees its own writes. A nested transaction() joins the outer one as a savepoint:
// an error from the inner body undoes the inner writes only, and the outer body decides.
// Don't make a transaction body wait on another thread that writes to the same store: that
// thread waits for the writer, which the body holds.
//
// Durability: WAL with synchronous=NORMAL. A committed write survives a crash of the process;
// a power loss may lose the last few commits but never corrupts the file. WAL checkpoints run on
// a background thread (checkpointer.h), not inside the commits of the hot path.
//
// The store is safe to use from any thread. It must outlive every call into it.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/result.h"
#include "store/store.h"

namespace parley::store {

struct SqliteOptions {
  // How long a connection waits for a lock held by another process (the server and a CLI on
  // the same data directory) before failing with kInternal.
  int busyTimeoutMs = 5000;
  // Reader connections opened on demand; reads beyond this many at once wait for one.
  int maxReaders = 4;
};

// `path` is a file path (not ":memory:": reader connections need to share the file).
Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, const Clock& clock);
Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, const Clock& clock,
                                               const SqliteOptions& options);

// The schema version this build creates and understands.
int sqliteSchemaVersion();

}  // namespace parley::store
