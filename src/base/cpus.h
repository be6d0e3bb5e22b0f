// How many CPUs this process may run on: its scheduler affinity mask (taskset, cpusets in
// containers), not the machine's core count. The runtime's "one worker per CPU" default uses it,
// so a server pinned to one core runs one runtime worker process instead of two taking turns.
// (The HTTP server keeps one I/O thread per core of the machine: measured, two I/O threads on
// one pinned core serve more than one, as a thread blocked in a system call leaves the other.)
#pragma once

namespace parley {

// At least 1. Falls back to std::thread::hardware_concurrency() if the mask cannot be read.
int usableCpus();

// Puts the calling thread under SCHED_BATCH: same share of the CPU as any normal thread, but
// when it is woken it does not preempt the thread that is running; it runs when that one blocks
// or its time slice ends. For the threads that carry work from one stage to the next (the frame
// readers between the server and its runtime processes): woken per frame, they used to preempt
// the writer after each frame, so a busy CPU passed one request at a time through the pipeline.
// Left to finish, the writer hands over a burst that the reader takes in one read. Measured on
// one core, template function: 10.4k -> 14.9k requests/s (docs/performance.md).
// Returns false if the kernel refused (the thread keeps its policy).
bool setBatchScheduling();

}  // namespace parley
