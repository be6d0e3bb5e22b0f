#include "base/write_batch.h"

#include "base/clock.h"
#include "base/threads.h"

namespace parley {

namespace {
thread_local WriteBatch* innermost = nullptr;
// When an item of this thread's work last took kLongItemUs or more (any batch).
thread_local int64_t lastLongItemUs = INT64_MIN / 2;
}  // namespace

WriteBatch::WriteBatch() : outer_(innermost) { innermost = this; }

WriteBatch::~WriteBatch() {
  flush();
  innermost = outer_;
}

WriteBatch* WriteBatch::current() { return innermost; }

int64_t WriteBatch::nowUs() { return SystemClock::instance().monotonicUs(); }

void WriteBatch::defer(const void* key, std::function<void()> flush) {
  for (const auto& [k, fn] : deferred_) {
    if (k == key) return;
  }
  if (deferred_.empty()) {
    heldSinceUs_ = nowUs();
    heldSinceCpuUs_ = threadCpuUs();
  }
  deferred_.emplace_back(key, std::move(flush));
}

void WriteBatch::flush() {
  // A flush may queue more (it should not, but then it runs in the next round, not never).
  while (!deferred_.empty()) {
    std::vector<std::pair<const void*, std::function<void()>>> due;
    due.swap(deferred_);
    for (auto& [key, fn] : due) fn();
  }
}

WriteBatch::Item WriteBatch::afterItem(int64_t startUs, int64_t endUs) {
  if (deferred_.empty()) return Item::kNothingHeld;
  bool now = endUs - heldSinceUs_ >= kMaxHoldUs || endUs - lastLongItemUs < kQuietAfterLongUs;
  Item item = Item::kShort;
  if (endUs - startUs >= kLongItemUs) {
    // This thread's work, or time it spent preempted? The CPU time it used since the writes
    // were held, less the wall time that passed before the item began, is at most what the item
    // used itself.
    const int64_t cpu = threadCpuUs() - heldSinceCpuUs_;
    const int64_t before = startUs > heldSinceUs_ ? startUs - heldSinceUs_ : 0;
    if (cpu - before >= kLongItemUs) {
      lastLongItemUs = endUs;
      item = Item::kLong;
      now = true;
    }
  }
  if (now) flush();
  return item;
}

}  // namespace parley
