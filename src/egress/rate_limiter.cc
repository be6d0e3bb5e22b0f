#include "egress/rate_limiter.h"

#include <algorithm>

namespace parley::egress {

namespace {
constexpr int64_t kIdleUs = 60'000'000;
}

RateLimiter::RateLimiter(const Clock& clock, double perSecond, double burst)
    : clock_(clock), perSecond_(perSecond), burst_(std::max(1.0, burst)) {}

bool RateLimiter::tryTake(const std::string& key) {
  if (perSecond_ <= 0) return true;
  int64_t now = clock_.monotonicUs();
  std::lock_guard lock(mu_);
  pruneLocked(now);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!inserted) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now - b.lastUs) * perSecond_ / 1e6);
    b.lastUs = now;
  }
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

void RateLimiter::pruneLocked(int64_t nowUs) {
  if (nowUs - lastPruneUs_ < kIdleUs) return;
  lastPruneUs_ = nowUs;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = nowUs - it->second.lastUs > kIdleUs ? buckets_.erase(it) : std::next(it);
  }
}

}  // namespace parley::egress
