// How many CPUs this process may run on: its scheduler affinity mask (taskset, cpusets in
// containers), not the machine's core count. Defaults of "one per core" use it, so a server
// pinned to one core runs one runtime worker and one I/O thread instead of fighting itself.
#pragma once

namespace parley {

// At least 1. Falls back to std::thread::hardware_concurrency() if the mask cannot be read.
int usableCpus();

}  // namespace parley
