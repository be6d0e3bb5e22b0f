// Clock: the one source of time. Injected everywhere so that tests can use a fake clock in
// milliseconds instead of sleeping. Implementations must be thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace parley {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (wall clock; may jump).
  virtual int64_t nowMs() const = 0;
  // Monotonic microseconds from an arbitrary origin (never goes backwards).
  virtual int64_t monotonicUs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t nowMs() const override;
  int64_t monotonicUs() const override;
  // A process-wide instance, for composition roots.
  static SystemClock& instance();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t startMs = 1'700'000'000'000) : ms_(startMs), us_(0) {}
  int64_t nowMs() const override { return ms_.load(); }
  int64_t monotonicUs() const override { return us_.load(); }
  void advanceMs(int64_t ms) {
    ms_ += ms;
    us_ += ms * 1000;
  }
  void setNowMs(int64_t ms) { ms_ = ms; }

 private:
  std::atomic<int64_t> ms_;
  std::atomic<int64_t> us_;
};

}  // namespace parley
