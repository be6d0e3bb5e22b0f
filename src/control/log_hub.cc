#include "control/log_hub.h"

#include <algorithm>
#include <chrono>

#include "base/strings.h"
#include "base/threads.h"

namespace parley::control {

namespace {
size_t sizeOf(const LogEvent& e) {
  return sizeof(LogEvent) + e.log.message.size() + e.log.extrasJson.size() + e.invocationId.size();
}
}  // namespace

LogHub::LogHub(int64_t keepAliveMs, size_t maxKept, size_t maxKeptBytes)
    : bootId_(randomUuid().substr(0, 8)),
      keepAliveMs_(keepAliveMs),
      maxKept_(maxKept),
      maxKeptBytes_(maxKeptBytes),
      keepAlive_([this] { keepAliveLoop(); }) {
  nameThread(keepAlive_, "parley-loghub");
}

LogHub::~LogHub() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  keepAlive_.join();
}

bool LogHub::matches(const Filter& f, const LogEvent& e) {
  if (e.accountId != f.accountId || e.functionUuid != f.functionUuid) return false;
  return f.levels.empty() ||
         std::find(f.levels.begin(), f.levels.end(), e.log.level) != f.levels.end();
}

uint64_t LogHub::subscribe(Filter filter, std::optional<uint64_t> afterId, Callback callback) {
  std::lock_guard lock(mu_);
  if (afterId) {
    for (const LogEvent& e : kept_) {
      if (e.id <= *afterId || !matches(filter, e)) continue;
      if (!callback(&e)) return 0;
    }
  }
  uint64_t id = nextSubscriber_++;
  subscribers_.emplace(id, Subscriber{std::move(filter), std::move(callback)});
  return id;
}

void LogHub::unsubscribe(uint64_t subscription) {
  std::lock_guard lock(mu_);
  subscribers_.erase(subscription);
}

size_t LogHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

void LogHub::onRecord(const store::InvocationRecord& r) {
  if (r.status != "done" || r.logs.empty()) return;
  std::lock_guard lock(mu_);
  for (const store::LogRecord& l : r.logs) {
    LogEvent e{nextEvent_++, r.accountId, r.functionUuid, r.id, r.trigger, l};
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
      if (matches(it->second.filter, e) && !it->second.callback(&e)) {
        it = subscribers_.erase(it);
      } else {
        ++it;
      }
    }
    keptBytes_ += sizeOf(e);
    kept_.push_back(std::move(e));
    while (!kept_.empty() && (kept_.size() > maxKept_ || keptBytes_ > maxKeptBytes_)) {
      keptBytes_ -= sizeOf(kept_.front());
      kept_.pop_front();
    }
  }
}

void LogHub::keepAliveLoop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::milliseconds(keepAliveMs_), [&] { return stop_; });
    if (stop_) return;
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
      if (!it->second.callback(nullptr)) {
        it = subscribers_.erase(it);
      } else {
        ++it;
      }
    }
  }
}

}  // namespace parley::control
