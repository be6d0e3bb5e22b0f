#include "runtime/spare_pool.h"

#include <sched.h>

#include <algorithm>
#include <chrono>

#include "base/clock.h"
#include "base/threads.h"
#include "runtime/instance.h"

namespace parley::runtime {

namespace {

constexpr auto kRetryAfterFailure = std::chrono::seconds(1);

int64_t nowUs() { return SystemClock::instance().monotonicUs(); }

}  // namespace

SparePool::SparePool(Factory factory, int target, int64_t memoryBytes,
                     std::chrono::microseconds settle)
    : factory_(std::move(factory)),
      target_(std::max(0, target)),
      memoryBytes_(memoryBytes),
      settleUs_(settle.count()) {
  if (target_ > 0) {
    thread_ = std::thread([this] { run(); });
    nameThread(thread_, "parley-spares");
  }
}

SparePool::~SparePool() { stop(); }

void SparePool::stop() {
  std::vector<std::unique_ptr<Instance>> discard;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    if (building_) setBuilderPolicy(SCHED_OTHER);
    discard.swap(ready_);
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  for (auto& spare : ready_) discard.push_back(std::move(spare));  // one finished while joining
  ready_.clear();
}

void SparePool::setBuilderPolicy(int policy) {
  if (policy_ == policy || !builderKnown_) return;
  sched_param param{};
  // Failure (a sandbox that forbids it) leaves the builder where it was: spares are then built
  // at normal priority, as before this pool existed, or awaited a little longer.
  if (pthread_setschedparam(builder_, policy, &param) == 0) policy_ = policy;
}

void SparePool::noteActivity() { lastActivityUs_.store(nowUs(), std::memory_order_relaxed); }

std::unique_ptr<Instance> SparePool::take(int64_t memoryBytes) {
  noteActivity();
  std::unique_lock lock(mu_);
  const int64_t now = nowUs();
  if (memoryBytes == memoryBytes_) {
    takeGapUs_ = lastTakeUs_ == 0 ? INT64_MAX : now - lastTakeUs_;
    lastTakeUs_ = now;
  }
  auto pick = [&]() -> std::unique_ptr<Instance> {
    auto it = std::find_if(ready_.begin(), ready_.end(),
                           [&](const auto& s) { return s->memoryLimit() == memoryBytes; });
    if (it == ready_.end()) return nullptr;
    std::unique_ptr<Instance> spare = std::move(*it);
    ready_.erase(it);
    return spare;
  };
  std::unique_ptr<Instance> spare = pick();
  if (!spare && building_ && !stop_) {
    // Raised whether or not this take waits for it: a caller that builds its own sandbox
    // meanwhile must not wait on a V8-wide lock held by a builder starved at idle priority.
    urgent_ = true;
    setBuilderPolicy(SCHED_OTHER);
    if (memoryBytes == memoryBytes_) {
      cv_.wait(lock, [&] { return !building_ || stop_; });
      spare = pick();
    }
  }
  if (!spare && memoryBytes == memoryBytes_) missed_ = true;
  lock.unlock();
  cv_.notify_all();  // the builder starts the next one (at once after a miss)
  return spare;
}

size_t SparePool::readyCount() const {
  std::lock_guard lock(mu_);
  return ready_.size();
}

bool SparePool::builderIsIdlePriority() const {
  std::lock_guard lock(mu_);
  return policy_ == SCHED_IDLE;
}

void SparePool::run() {
  std::unique_lock lock(mu_);
  builder_ = pthread_self();
  builderKnown_ = true;
  setBuilderPolicy(SCHED_IDLE);  // and back to it after each build a take() raised
  while (true) {
    cv_.wait(lock, [&] { return stop_ || static_cast<int>(ready_.size()) < target_; });
    // Wait for a lull: `settle` since the owner's last activity. Not when cold starts come
    // faster than lulls (the last take found no spare, or came sooner after the one before than
    // a lull and a build take): a spare soon matters more then.
    auto pressed = [&] { return missed_ || takeGapUs_ < settleUs_ + lastBuildUs_; };
    while (!stop_ && !pressed()) {
      int64_t quietUs = nowUs() - lastActivityUs_.load(std::memory_order_relaxed);
      if (quietUs >= settleUs_) break;
      cv_.wait_for(lock, std::chrono::microseconds(settleUs_ - quietUs));
    }
    if (stop_) return;
    building_ = true;
    missed_ = false;
    lock.unlock();
    const int64_t started = threadCpuUs();
    std::unique_ptr<Instance> spare = factory_(memoryBytes_);
    const int64_t built = threadCpuUs();
    lock.lock();
    lastBuildUs_ = built - started;  // CPU time: at idle priority the wall time says little
    building_ = false;
    // A raised build ends raised no longer: back to idle before the spare is handed over, so
    // that the builder never idles, or starts its next build, at normal priority.
    if (urgent_ && !stop_) setBuilderPolicy(SCHED_IDLE);
    urgent_ = false;
    bool failed = spare == nullptr;
    if (spare) ready_.push_back(std::move(spare));
    cv_.notify_all();  // a take() waiting on this build
    if (failed) cv_.wait_for(lock, kRetryAfterFailure, [&] { return stop_; });
  }
}

}  // namespace parley::runtime
