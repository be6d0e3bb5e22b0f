#include "base/threads.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <string>

namespace parley {

namespace {

void name(pthread_t thread, std::string_view name) {
  std::string truncated(name.substr(0, 15));
  pthread_setname_np(thread, truncated.c_str());
}

bool batch(pthread_t thread) {
  sched_param param{};
  param.sched_priority = 0;
  return pthread_setschedparam(thread, SCHED_BATCH, &param) == 0;
}

}  // namespace

void nameThread(std::thread& thread, std::string_view n) { name(thread.native_handle(), n); }
void nameThisThread(std::string_view n) { name(pthread_self(), n); }
bool setBatchScheduling(std::thread& thread) { return batch(thread.native_handle()); }
bool setBatchScheduling() { return batch(pthread_self()); }

int64_t threadCpuUs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

}  // namespace parley
