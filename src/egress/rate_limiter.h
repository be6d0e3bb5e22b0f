// RateLimiter: token buckets keyed by a string (the function's uuid). A bucket holds up to
// `burst` tokens and refills at `perSecond`; each request takes one. Buckets idle for a minute
// are forgotten. Thread-safe; time comes from the injected clock.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"

namespace parley::egress {

class RateLimiter {
 public:
  // perSecond <= 0: unlimited.
  RateLimiter(const Clock& clock, double perSecond, double burst);

  // Takes a token for `key`; false when its bucket is empty.
  bool tryTake(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t lastUs = 0;
  };
  void pruneLocked(int64_t nowUs);

  const Clock& clock_;
  const double perSecond_;
  const double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // Guarded by mu_
  int64_t lastPruneUs_ = 0;                          // Guarded by mu_
};

}  // namespace parley::egress
