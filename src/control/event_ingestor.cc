#include "control/event_ingestor.h"

namespace parley::control {

EventIngestor::EventIngestor(store::Store& store, const Clock& clock, IngestOptions options,
                             std::function<void()> onStored)
    : store_(store), clock_(clock), options_(options), onStored_(std::move(onStored)) {}

EventIngestor::~EventIngestor() { stop(); }

void EventIngestor::submit(const std::string& accountId, std::vector<CloudEvent> events,
                           Done done) {
  {
    std::lock_guard lock(mu_);
    if (!thread_.stopping()) {  // started and not stopped
      pendingEvents_ += events.size();
      pending_.push_back({accountId, std::move(events), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(Error::unavailable("The server is shutting down; send the events again shortly"));
}

void EventIngestor::start() {
  thread_.start("parley-ingest", [this] { run(); });
}

void EventIngestor::stop() { thread_.stop(); }

int64_t EventIngestor::commits() const {
  std::lock_guard lock(mu_);
  return commits_;
}

void EventIngestor::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return thread_.stopping() || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, nothing left
    // Take whole requests up to the per-commit bound (at least one).
    std::vector<Pending> batch;
    size_t events = 0;
    size_t taken = 0;
    while (taken < pending_.size() &&
           (taken == 0 || events + pending_[taken].events.size() <= options_.maxEventsPerCommit)) {
      events += pending_[taken].events.size();
      ++taken;
    }
    batch.assign(std::make_move_iterator(pending_.begin()),
                 std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(taken)));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(taken));
    pendingEvents_ -= events;
    lock.unlock();
    commit(batch);
    lock.lock();
    ++commits_;
  }
}

void EventIngestor::commit(std::vector<Pending>& batch) {
  int64_t now = clock_.nowMs();
  std::vector<store::QueuedEvent> rows;
  for (const Pending& p : batch) {
    for (const CloudEvent& e : p.events) {
      store::QueuedEvent q;
      q.accountId = p.accountId;
      q.eventId = e.id;
      q.source = e.source;
      q.type = e.type;
      q.subject = e.subject;
      q.skillId = e.skillId;
      q.eventJson = e.structuredJson;
      q.nextAttemptMs = now;
      q.acceptedAt = now;
      rows.push_back(std::move(q));
    }
  }
  auto stored = store_.eventQueue().enqueue(rows, now - options_.dedupeWindowMs);
  bool any = false;
  size_t at = 0;
  for (Pending& p : batch) {
    if (!stored.ok()) {
      p.done(stored.error());
      continue;
    }
    std::vector<bool> mine(stored->begin() + static_cast<std::ptrdiff_t>(at),
                           stored->begin() + static_cast<std::ptrdiff_t>(at + p.events.size()));
    at += p.events.size();
    for (bool b : mine) any = any || b;
    p.done(std::move(mine));
  }
  if (any && onStored_) onStored_();
}

}  // namespace parley::control
