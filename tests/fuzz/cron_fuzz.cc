// Fuzz target: bytes → parseCron → nextFireMs. The input is `expression[|zone[|afterMs]]`, so
// that seeds stay readable and the fuzzer can reach time zones and DST days; without an afterMs
// one is derived from the input. Checks: no crash or hang; a due time is a whole minute strictly
// after the input, and asking again just before it gives it again; failures are "never fires".
//
// Built two ways (tests/fuzz/CMakeLists.txt): with libFuzzer under clang, and as a plain program
// (corpus_driver.cc) that runs the seed corpus in ctest.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scheduler/cron.h"
#include "scheduler/firing.h"
#include "scheduler/schedule_time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parley::scheduler;
  if (size > 4096) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view expression = input;
  std::string zone = "UTC";
  int64_t after = 0;
  bool haveAfter = false;
  if (size_t bar = input.find('|'); bar != std::string_view::npos) {
    expression = input.substr(0, bar);
    std::string_view rest = input.substr(bar + 1);
    size_t bar2 = rest.find('|');
    zone = std::string(rest.substr(0, bar2));
    if (bar2 != std::string_view::npos) {
      std::string_view digits = rest.substr(bar2 + 1);
      if (!digits.empty() && digits.size() <= 13) {
        haveAfter = true;
        for (char c : digits) {
          if (c < '0' || c > '9') haveAfter = false;
          after = after * 10 + (c - '0');
        }
      }
    }
  }
  if (!haveAfter) {  // 2000-01-01 plus up to ~136 years, from the bytes
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ull;
    after = 946'684'800'000 + static_cast<int64_t>(h % 4'294'967'296ull) * 1000;
  }

  auto cron = parseCron(expression);
  auto valid = validateSchedule(expression, zone);
  if (!cron.ok()) {
    if (cron.error().message().empty() || valid.ok()) __builtin_trap();
    return 0;
  }
  auto next = nextFireMs(*cron, zone, after);
  if (!next.ok()) {
    const std::string& m = next.error().message();
    bool expected = m.find("never fires") != std::string::npos ||
                    m.find("unknown time zone") != std::string::npos;
    if (!expected) __builtin_trap();
    return 0;
  }
  if (*next <= after || *next % 60'000 != 0 || !valid.ok()) __builtin_trap();
  auto again = nextFireMs(*cron, zone, *next - 1);
  if (!again.ok() || *again != *next) __builtin_trap();

  // The firing decision at and after the due time agrees.
  ScheduleState state{*cron, zone, true, std::nullopt, *next};
  auto decision = decideFiring(state, *next, 60'000);
  if (!decision.ok() || decision->action != FiringAction::kFire || decision->dueMs != *next ||
      !decision->nextFireMs || *decision->nextFireMs <= *next) {
    __builtin_trap();
  }
  return 0;
}
