#include "control/invocation_recorder.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "base/threads.h"

namespace parley::control {

namespace {
// A batch of a few hundred records is a millisecond or more of CPU: the writer lets the threads
// serving requests run between pieces of it rather than after all of it.
constexpr size_t kRecordsBetweenYields = 64;

// What a queued record holds, roughly: its strings, logs and result, and its entry in byId_.
size_t footprint(const store::InvocationRecord& r) {
  size_t bytes = sizeof(r) + r.id.size() + r.accountId.size() + r.functionUuid.size() +
                 r.errorCode.size() + r.errorMessage.size() + r.resultJson.size();
  for (const store::LogRecord& l : r.logs) {
    bytes += sizeof(l) + l.level.size() + l.message.size() + l.extrasJson.size();
  }
  return bytes + r.id.size() + 64;
}
}  // namespace

InvocationRecorder::InvocationRecorder(store::Store& store, int flushIntervalMs, size_t maxBatch,
                                       size_t maxQueuedBytes)
    : store_(store),
      flushIntervalMs_(flushIntervalMs),
      maxBatch_(maxBatch),
      maxQueuedBytes_(maxQueuedBytes),
      thread_([this] { run(); }) {
  nameThread(thread_, "parley-recorder");
  // A background writer: when a batch is due it waits for the running thread to block rather
  // than preempting it (base/threads.h).
  setBatchScheduling(thread_);
}

InvocationRecorder::~InvocationRecorder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  room_.notify_all();
  thread_.join();
}

void InvocationRecorder::record(store::InvocationRecord record) {
  for (RecordObserver* o : observers_) o->onRecord(record);
  const size_t bytes = footprint(record);
  std::unique_lock lock(mu_);
  if (queuedBytes_ + bytes > maxQueuedBytes_ && queuedBytes_ > 0) {
    cv_.notify_one();  // the writer starts now rather than at its next interval
    room_.wait(lock, [&] {
      return queuedBytes_ + bytes <= maxQueuedBytes_ || queuedBytes_ == 0 || stop_;
    });
  }
  queuedBytes_ += bytes;
  byId_[record.id] = queuedSeq_++;
  queue_.push_back(std::move(record));
  if (parked_ || queue_.size() >= maxBatch_ || queuedBytes_ >= maxQueuedBytes_ / 2) {
    parked_ = false;
    cv_.notify_one();
  }
}

std::optional<store::InvocationRecord> InvocationRecorder::pending(const std::string& accountId,
                                                                   const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = byId_.find(id);
  if (it == byId_.end()) return std::nullopt;
  const uint64_t seq = it->second;  // >= writtenSeq_: entries go once written
  const size_t writing = writing_ != nullptr ? writing_->size() : 0;
  const store::InvocationRecord& r = seq - writtenSeq_ < writing
                                         ? (*writing_)[seq - writtenSeq_]
                                         : queue_[seq - writtenSeq_ - writing];
  if (r.accountId != accountId) return std::nullopt;
  return r;
}

void InvocationRecorder::flush() {
  std::unique_lock lock(mu_);
  uint64_t target = queuedSeq_;
  if (writtenSeq_ >= target) return;
  flushTarget_ = std::max(flushTarget_, target);
  cv_.notify_one();
  flushed_.wait(lock, [&] { return writtenSeq_ >= target; });
}

void InvocationRecorder::run() {
  std::unique_lock lock(mu_);
  while (true) {
    auto hasWork = [&] { return stop_ || !queue_.empty() || flushTarget_ > writtenSeq_; };
    if (!hasWork()) {
      parked_ = true;
      cv_.wait(lock, hasWork);
      parked_ = false;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(flushIntervalMs_), [&] {
      return stop_ || queue_.size() >= maxBatch_ || queuedBytes_ >= maxQueuedBytes_ / 2 ||
             flushTarget_ > writtenSeq_;
    });
    if (queue_.empty()) {
      if (stop_) return;
      continue;
    }
    std::vector<store::InvocationRecord> batch;
    batch.reserve(std::min(queue_.size(), maxBatch_));
    while (!queue_.empty() && batch.size() < maxBatch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    writing_ = &batch;  // pending() reads it there meanwhile
    lock.unlock();
    // One transaction for the batch; if it fails, each record is tried on its own so one bad
    // record cannot lose the others.
    Status s = store_.transaction([&]() -> Status {
      size_t written = 0;
      for (const auto& r : batch) {
        if (Status p = store_.invocations().put(r); !p.ok()) return p;
        if (++written % kRecordsBetweenYields == 0) sched_yield();
      }
      for (RecordObserver* o : observers_) {
        if (Status b = o->onBatch(batch); !b.ok()) return b;
      }
      return okStatus();
    });
    if (!s.ok()) {
      for (const auto& r : batch) (void)store_.invocations().put(r);
      for (RecordObserver* o : observers_) (void)o->onBatch(batch);
    }
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      auto it = byId_.find(batch[i].id);
      // A newer record with the same id (an async invocation finishing) may be queued: keep it.
      if (it != byId_.end() && it->second == writtenSeq_ + i) byId_.erase(it);
    }
    writing_ = nullptr;
    writtenSeq_ += batch.size();
    for (const auto& r : batch) queuedBytes_ -= footprint(r);
    flushed_.notify_all();
    room_.notify_all();
  }
}

}  // namespace parley::control
