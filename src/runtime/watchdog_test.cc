// The watchdog stops a run at its deadline although it sleeps between deadlines: after a long
// idle time, and when a run with an earlier deadline starts while it sleeps towards a later one.
#include "runtime/watchdog.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "runtime/v8_process.h"

namespace parley::runtime {
namespace {

// A bare isolate whose JavaScript spins until it is terminated or `giveUpMs` passed (a safety
// net so that a broken watchdog fails the test instead of hanging it; no timing is asserted).
class Spinner {
 public:
  Spinner() {
    ensureV8();
    allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator_.get();
    isolate_ = v8::Isolate::New(params);
  }
  ~Spinner() { isolate_->Dispose(); }
  v8::Isolate* isolate() const { return isolate_; }

  // Runs the loop inside slot.enter()/leave(); true when the watchdog terminated it.
  bool spin(ExecutionSlot& slot, int64_t deadlineUs, int giveUpMs = 20000) {
    v8::Isolate::Scope isolateScope(isolate_);
    v8::HandleScope handles(isolate_);
    v8::Local<v8::Context> context = v8::Context::New(isolate_);
    v8::Context::Scope contextScope(context);
    std::string code = "const end = Date.now() + " + std::to_string(giveUpMs) +
                       "; while (Date.now() < end) {} 'not stopped'";
    v8::Local<v8::Script> script =
        v8::Script::Compile(context, v8::String::NewFromUtf8(isolate_, code.c_str()).ToLocalChecked())
            .ToLocalChecked();
    slot.enter(isolate_, deadlineUs);
    v8::TryCatch tc(isolate_);
    bool finished = !script->Run(context).IsEmpty();
    bool terminated = slot.leave();
    if (isolate_->IsExecutionTerminating()) isolate_->CancelTerminateExecution();
    return terminated && !finished;
  }

 private:
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
};

int64_t nowUs() { return SystemClock::instance().monotonicUs(); }

TEST(Watchdog, StopsARunThatStartsAfterALongIdleTime) {
  ExecutionSlot slot;
  Watchdog watchdog(SystemClock::instance(), {&slot});
  // Nothing armed: the watchdog sleeps until a run starts.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Spinner spinner;
  EXPECT_TRUE(spinner.spin(slot, nowUs() + 20'000));
  // And again, once it has gone back to sleep.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(spinner.spin(slot, nowUs() + 20'000));
}

TEST(Watchdog, AnEarlierDeadlineWakesItWhileItWaitsForALaterOne) {
  ExecutionSlot patient, hasty;
  Watchdog watchdog(SystemClock::instance(), {&patient, &hasty});
  // A run with a deadline an hour away (armed; its JavaScript does not matter here): the
  // watchdog sleeps towards that deadline...
  Spinner waiting;
  patient.enter(waiting.isolate(), nowUs() + 3'600'000'000LL);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // ...when a run with a 20 ms deadline starts on another slot.
  Spinner spinner;
  EXPECT_TRUE(spinner.spin(hasty, nowUs() + 20'000));
  EXPECT_FALSE(patient.leave());  // its deadline has not come
}

TEST(Watchdog, AFinishedRunIsNotStopped) {
  ExecutionSlot slot;
  Watchdog watchdog(SystemClock::instance(), {&slot});
  Spinner spinner;
  // Gives up (finishes) after 1 ms, long before its deadline.
  EXPECT_FALSE(spinner.spin(slot, nowUs() + 60'000'000, /*giveUpMs=*/1));
}

}  // namespace
}  // namespace parley::runtime
