// The dispatch policy shared by the in-process and the process invokers: which worker gets an
// invocation of a given version. Internal to the runtime.
#pragma once

#include <cstdint>
#include <vector>

namespace parley::runtime {

// A worker with a warm instance of the version that is idle; else an idle worker (a busy
// function scales out to another core, with its own instance); else the least loaded worker
// with a warm instance; else the least loaded one. `isWarm(w)` and `loadOf(w)` describe a worker.
template <typename W, typename IsWarm, typename LoadOf>
W& pickWorker(const std::vector<W*>& workers, IsWarm isWarm, LoadOf loadOf) {
  W* warmIdle = nullptr;
  W* idle = nullptr;
  W* warmLeast = nullptr;
  W* least = nullptr;
  int64_t warmLeastLoad = 0, leastLoad = 0;
  for (W* w : workers) {
    bool warm = isWarm(*w);
    int64_t load = loadOf(*w);
    if (warm && load == 0) {
      warmIdle = w;
      break;
    }
    if (load == 0 && !idle) idle = w;
    if (warm && (!warmLeast || load < warmLeastLoad)) {
      warmLeast = w;
      warmLeastLoad = load;
    }
    if (!least || load < leastLoad) {
      least = w;
      leastLoad = load;
    }
  }
  return *(warmIdle ? warmIdle : idle ? idle : warmLeast ? warmLeast : least);
}

}  // namespace parley::runtime
