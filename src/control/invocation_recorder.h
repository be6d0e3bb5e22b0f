// InvocationRecorder: writes invocation records (with their logs) behind the hot path, batched —
// many records per store transaction, every 10 ms by default — because one SQLite commit per
// invocation costs more than the invocation itself, and each commit writes every B-tree page it
// touched to the WAL (and the checkpointer copies it again), so bigger batches cost less per
// record. The writer yields the core every 64 records inside a batch, so a big batch does not
// hold it for its whole length in one piece. (One core, the comparison's settings: every 2 ms
// against every 10 ms with the yields gave trivial 39.6–41.5k against 40.8–42.0k req/s,
// template 15.2k against 16.3–16.4k, transform 2.4–2.6k against 2.75–2.78k, p99 unchanged or
// lower; every 10 ms without the yields raised trivial's p99 from 2.0 to 2.4 ms.)
//
// The queue is bounded in bytes (records with their logs and results, 64 MiB by default): when
// the store cannot keep up (a slow disk, functions logging megabytes at a high rate), record()
// waits for room, so invocations slow down to what can be written instead of the server's
// memory growing without bound. One record is always admitted, however large.
//
// With nothing queued the writer sleeps until a record comes (no periodic wake-ups on an idle
// server); the first record after that starts the interval.
//
// Records not yet written are visible through pending(); flush() writes everything queued so
// far, so readers of lists see every invocation that finished before they asked. A crash can
// lose the records of the last flush interval (never an accepted async invocation's "running"
// record: that one is written synchronously by the caller).
// Thread-safety: thread-safe. The destructor writes everything still queued.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace parley::control {

// Told of every record passing through the recorder.
class RecordObserver {
 public:
  virtual ~RecordObserver() = default;
  // In record(), on the caller's thread: must be quick and must not block (live tail, counters).
  virtual void onRecord(const store::InvocationRecord&) {}
  // On the writer thread, inside the batch's store transaction (roll-ups written with the
  // records); an error rolls the batch back and it is written record by record, then this is
  // called once more outside a transaction.
  virtual Status onBatch(const std::vector<store::InvocationRecord>&) { return okStatus(); }
};

class InvocationRecorder {
 public:
  explicit InvocationRecorder(store::Store& store, int flushIntervalMs = 10, size_t maxBatch = 500,
                              size_t maxQueuedBytes = size_t{64} << 20);
  ~InvocationRecorder();
  InvocationRecorder(const InvocationRecorder&) = delete;
  InvocationRecorder& operator=(const InvocationRecorder&) = delete;

  // Set at wiring time, before the first record (not synchronised). Must outlive the recorder.
  void addObserver(RecordObserver* observer) { observers_.push_back(observer); }

  // Queues the record; waits while the queue is full (see above). Never call it from inside a
  // store transaction: the writer needs the store to make room.
  void record(store::InvocationRecord record);
  // The queued (not yet written) record with that id in that account, if any.
  std::optional<store::InvocationRecord> pending(const std::string& accountId,
                                                 const std::string& id) const;
  // Blocks until everything queued so far is written.
  void flush();

 private:
  void run();

  store::Store& store_;
  const int flushIntervalMs_;
  const size_t maxBatch_;
  const size_t maxQueuedBytes_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable flushed_;
  std::condition_variable room_;  // record() waits here while the queue is full
  // A record's sequence number is its place in the order of record() calls, from 0. The batch
  // being written starts at writtenSeq_ and is at *writing_ (the writer's own vector, read by
  // pending() under mu_); queue_ holds the records after it.
  std::deque<store::InvocationRecord> queue_;             // Guarded by mu_
  const std::vector<store::InvocationRecord>* writing_ = nullptr;  // Guarded by mu_
  // The newest record of each id queued or being written: its sequence number (not a copy).
  std::unordered_map<std::string, uint64_t> byId_;        // Guarded by mu_
  uint64_t queuedSeq_ = 0;                                // Guarded by mu_
  uint64_t writtenSeq_ = 0;                               // Guarded by mu_
  uint64_t flushTarget_ = 0;  // what flush() waits to see written. Guarded by mu_
  size_t queuedBytes_ = 0;    // of the records queued or being written. Guarded by mu_
  bool stop_ = false;                                     // Guarded by mu_
  bool parked_ = false;  // the writer waits for a first record. Guarded by mu_
  std::vector<RecordObserver*> observers_;                // Immutable once recording
  std::thread thread_;
};

}  // namespace parley::control
