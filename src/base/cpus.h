// How many CPUs this process may run on: its scheduler affinity mask (taskset, cpusets in
// containers), not the machine's core count. The runtime's "one worker per CPU" default uses it,
// so a server pinned to one core runs one runtime worker process instead of two taking turns.
// (The HTTP server keeps one I/O thread per core of the machine: measured, two I/O threads on
// one pinned core serve more than one, as a thread blocked in a system call leaves the other.)
#pragma once

namespace parley {

// At least 1. Falls back to std::thread::hardware_concurrency() if the mask cannot be read.
int usableCpus();

}  // namespace parley
