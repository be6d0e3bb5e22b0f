#include "store/checkpointer.h"

#include "base/threads.h"

namespace parley::store::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(const std::string& path,
                                                          int busyTimeoutMs, int thresholdPages,
                                                          int hardLimitPages) {
  Result<std::unique_ptr<Connection>> conn =
      Connection::open(path, OpenMode::kReadWrite, busyTimeoutMs);
  if (!conn.ok()) return std::move(conn).takeError();
  std::unique_ptr<Checkpointer> c(
      new Checkpointer(std::move(conn).value(), thresholdPages, hardLimitPages));
  c->thread_ = std::thread([raw = c.get()] { raw->run(); });
  nameThread(c->thread_, "parley-checkpt");
  return c;
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn, int thresholdPages, int hardLimitPages)
    : conn_(std::move(conn)), thresholdPages_(thresholdPages), hardLimitPages_(hardLimitPages) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::attach(Connection& writer) {
  sqlite3_wal_hook(writer.handle(), &Checkpointer::walHook, this);
}

void Checkpointer::detach(Connection& writer) {
  sqlite3_wal_hook(writer.handle(), nullptr, nullptr);
}

int64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return checkpoints_;
}

// Runs on the committing thread, inside its commit: normally only a flag and a notify.
int Checkpointer::walHook(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages >= c->hardLimitPages_) {
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  if (pages >= c->thresholdPages_) {
    {
      std::lock_guard lock(c->mu_);
      c->pending_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs and never waits; what it leaves is taken by the
    // next round. The writer starts the WAL over once a checkpoint has caught up. Errors (a busy
    // database in another process) just mean trying again after the next commits.
    (void)sqlite3_wal_checkpoint_v2(conn_->handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr);
    lock.lock();
    ++checkpoints_;
  }
}

}  // namespace parley::store::sqlite
