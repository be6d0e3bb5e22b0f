// Checkpointer: moves WAL checkpoints off the writer's path.
//
// By default SQLite checkpoints inside the commit that pushes the WAL past 1000 pages, so one
// write in a hundred or so pays for copying pages into the database file and two fsyncs
// (milliseconds: the tail latency of InvocationRepository::put, and every writer queued behind
// it waits as well). Instead, the writer's WAL hook (installed by attach(); it replaces SQLite's
// automatic checkpoints) wakes this thread, which runs PASSIVE checkpoints on a connection of its
// own: they never block the writer or readers.
//
// A background checkpoint that keeps lagging behind a busy writer would let the WAL grow without
// bound (SQLite starts the WAL over only when a checkpoint has caught up with the last commit).
// So past `hardLimitPages` the hook checkpoints inline, in the commit, as SQLite would have: the
// writer holds the write lock there, so that checkpoint catches up.
//
// Thread-safety: attach() once, before the writer is used; the hook runs on whichever thread
// commits. The destructor stops the thread; detach the hook from the writer before that.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "store/sqlite_db.h"

namespace parley::store::sqlite {

class Checkpointer {
 public:
  static Result<std::unique_ptr<Checkpointer>> start(const std::string& path, int busyTimeoutMs,
                                                     int thresholdPages, int hardLimitPages);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  void attach(Connection& writer);
  static void detach(Connection& writer);

  // Checkpoints run so far (for tests).
  int64_t checkpoints() const;

 private:
  Checkpointer(std::unique_ptr<Connection> conn, int thresholdPages, int hardLimitPages);
  static int walHook(void* self, sqlite3* db, const char* name, int pages);
  void run();

  std::unique_ptr<Connection> conn_;  // used by the thread only
  const int thresholdPages_;
  const int hardLimitPages_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;     // Guarded by mu_
  bool stop_ = false;        // Guarded by mu_
  int64_t checkpoints_ = 0;  // Guarded by mu_
  std::thread thread_;
};

}  // namespace parley::store::sqlite
