// A thread's name, scheduling policy and CPU time.
//
// Every long-lived thread of the server and of its runtime processes is named ("parley-http",
// "parley-recorder", "parley-w0", ...), so that ps -L, top -H and perf tell them apart; the
// runtime processes are "parley-runtime". The creator names a thread right after starting it,
// so the name is there from the moment anyone can see the thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <thread>

namespace parley {

// Linux keeps the first 15 bytes of a name.
void nameThread(std::thread& thread, std::string_view name);
void nameThisThread(std::string_view name);

// Puts a thread under SCHED_BATCH: same share of the CPU as any normal thread, but
// when it is woken it does not preempt the thread that is running; it runs when that one blocks
// or its time slice ends. For the threads that carry work from one stage to the next (the frame
// readers between the server and its runtime processes, the invocation recorder): woken per
// frame, the readers used to preempt the writer after each one, so a busy CPU passed one request
// at a time through the pipeline.
// Left to finish, the writer hands over a burst that the reader takes in one read. Measured on
// one core, template function: 10.4k -> 14.9k requests/s (docs/performance.md).
// Returns false if the kernel refused (the thread keeps its policy).
bool setBatchScheduling(std::thread& thread);
bool setBatchScheduling();  // the calling thread

// The CPU time the calling thread has used, in microseconds (a system call): for telling work
// from time spent preempted or waiting.
int64_t threadCpuUs();

}  // namespace parley
