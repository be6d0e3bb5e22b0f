// The child side of process isolation: `parley runtime-worker --fd N` runs this. It reads frames
// (see wire.h) from the parent on `fd`, runs invocations on an in-process Invoker with one worker
// thread, forwards host calls to the parent and sends results back. When V8 is about to abort on
// a fatal out-of-memory, it tells the parent which invocation was running first.
// Returns the process exit code; exits when the parent closes the connection (or dies).
#pragma once

#include "runtime/invoker.h"

namespace parley::runtime {

int runWorkerProcess(int fd, InvokerOptions options);

}  // namespace parley::runtime
