// DeliveryLoop: delivers queued events (SPEC §3) at least once to every function bound to the
// event type with a live version that takes the event's skill.
//
// - One thread claims eligible events (EventQueueRepository::claim: due, lease expired, first
//   of its subject), at most `maxInFlight` at a time, with a lease of `leaseMs`; it invokes the
//   functions (through `Invoke`), and settles each event when all its invocations ended, on the
//   same thread: delivered (removed), retried later for the functions that failed (exponential
//   backoff with full jitter, RetryPolicy), or, after maxAttempts, moved to the dead letters.
//   The event stays queued (and its subject blocked) until then: per-subject order.
// - Automatic-message events: a result that is not a command array is a failed delivery.
// - A function undeployed or deleted meanwhile is dropped from the event's targets; an account
//   over its invocation quota is retried after a second without using up an attempt.
// - Each delivery result is queued for the account's result webhook (if it has one) in the
//   settling transaction (webhook_sender.h sends them).
// - start() clears leases first (this must be the only loop on the database): events claimed
//   by a process that died are delivered again. stop() stops claiming and waits for the
//   deliveries in flight to settle (up to `stopWaitMs`); call it before the invoker goes.
// - Between passes the thread sleeps until the earliest retry or lease expiry in the queue
//   (EventQueueRepository::nextDueAfter) or the next purge of the dedupe table, and wake() (new
//   events, a replayed dead letter) or a delivery ending wakes it: no polling while idle.
// - tickForTest(): one claim-and-dispatch pass plus settling, without the thread.
// Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/loop_thread.h"
#include "control/delivery_rules.h"
#include "control/event_type_service.h"
#include "control/function_service.h"
#include "control/invocation_service.h"
#include "store/store.h"

namespace parley::control {

struct DeliveryOptions {
  RetryPolicy retry;
  int64_t maxInFlight = 32;      // events being delivered at once
  int64_t leaseMs = 10 * 60'000;  // longer than any function's timeout
  // The longest the loop sleeps: it sleeps until the next retry or lease expiry the queue holds
  // (or the next purge), woken sooner by new events and settled deliveries; this is a safety
  // net (a clock stepped back, a wake-up that never came).
  int64_t maxSleepMs = 5'000;
  int64_t stopWaitMs = 30'000;
  int64_t dedupeWindowMs = 24LL * 3600 * 1000;  // purged periodically
  std::function<void()> onSettled;  // after a settlement that queued webhook messages
};

class DeliveryLoop {
 public:
  using InvokeDone = std::function<void(Result<InvocationOutcome>)>;
  using Invoke = std::function<void(const std::string& accountId, const std::string& functionUuid,
                                    std::string inputJson, InvokeDone done)>;

  DeliveryLoop(store::Store& store, FunctionService& functions, EventTypeService& types,
               const Clock& clock, Invoke invoke, DeliveryOptions options = {},
               std::function<uint64_t()> random = {});
  ~DeliveryLoop();
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

  // Through an InvocationService with Trigger::kEvent.
  static Invoke through(InvocationService& invocations);

  void start();
  void stop();
  void wake();  // new events were stored

  // Claims and dispatches once at the clock's time, then settles whatever has completed.
  // Returns the number of events claimed.
  int tickForTest();
  // Settles completed deliveries (tests with an Invoke that completes later).
  void settleCompletedForTest();
  int64_t inFlight() const;

 private:
  struct Attempt;  // one event being delivered
  int claimAndDispatch();
  void dispatch(store::QueuedEvent e);
  void settleCompleted();
  void settle(Attempt& a);
  void run();

  store::Store& store_;
  FunctionService& functions_;
  EventTypeService& types_;
  const Clock& clock_;
  const Invoke invoke_;
  const DeliveryOptions options_;
  std::function<uint64_t()> random_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Attempt>> completed_;  // Guarded by mu_
  int64_t inFlight_ = 0;                            // Guarded by mu_
  int64_t lastPurgeMs_ = 0;                         // loop thread only
  LoopThread thread_{mu_, cv_};
};

}  // namespace parley::control
