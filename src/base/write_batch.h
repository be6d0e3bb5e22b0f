// A thread's batch of deferred writes.
//
// An event loop opens a WriteBatch around a burst of work — the handlers or tasks one wake-up
// made ready — and closes it before it waits again. A writer that finds a batch open on its
// thread (WriteBatch::current()) may queue its bytes and register a flush with defer(); the
// flushes run when the batch closes, so a burst of small messages to one peer costs one system
// call and one wake-up of the peer's reader instead of one of each per message.
//
// Holding a message back must not make it wait behind long work. A loop that runs items one at
// a time reports each with afterItem(), which flushes at once when writes have been held for
// kMaxHoldUs (wall time), or when an item used kLongItemUs or more of the thread's own CPU
// while writes were held; after such an item the thread holds no writes for kQuietAfterLongUs.
// So a message waits behind at most one long item per quiet period (the one that revealed the
// work as long), and otherwise for about kMaxHoldUs at most. Time the thread spent preempted
// does not count as long work: on a busy core the reader could not have run then either.
// (Telling the two apart costs one CPU-clock reading per batch that holds writes, and one more
// per item that took kLongItemUs of wall time.)
//
// Contract:
// - A batch belongs to the thread that opened it; current() is that thread's innermost open
//   batch. Batches nest: closing an inner one flushes only what was deferred to it.
// - defer(key, fn) registers fn once per key until the batch flushes (a second call with the
//   same key is a no-op): a writer defers one flush for all it queued in the burst.
// - flush() runs the deferred functions in the order they were registered (then forgets them);
//   the destructor calls it. A deferred function must not throw.
// - Code that is about to block waiting for the answer to something it queued must flush first
//   (or not queue): a batch only closes when its thread gets back to its loop.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace parley {

class WriteBatch {
 public:
  static constexpr int64_t kMaxHoldUs = 1000;
  static constexpr int64_t kLongItemUs = 200;
  static constexpr int64_t kQuietAfterLongUs = 100'000;

  WriteBatch();
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  // The innermost batch open on the calling thread, or nullptr.
  static WriteBatch* current();
  // SystemClock's monotonic microseconds: the time base of afterItem.
  static int64_t nowUs();

  void defer(const void* key, std::function<void()> flush);
  void flush();

  // What afterItem found: no writes were held during the item; or they were, and the item was
  // short or long work. The loop can use it to flush before that kind of work next time.
  enum class Item { kNothingHeld, kShort, kLong };
  // One item of the loop's work ran from startUs to endUs (nowUs() readings): flushes now when
  // writes have been held long enough, behind a long item, or in a quiet period after one.
  Item afterItem(int64_t startUs, int64_t endUs);

 private:
  WriteBatch* outer_;
  std::vector<std::pair<const void*, std::function<void()>>> deferred_;
  int64_t heldSinceUs_ = 0;     // when the first deferred flush was registered (nowUs)
  int64_t heldSinceCpuUs_ = 0;  // the thread's CPU time then
};

}  // namespace parley
