// The parent side of process isolation (Isolation::kProcess): an Invoker whose functions run in
// `parley runtime-worker` child processes. This file does not touch V8.
//
// Each child is one slot with a reader thread. The reader spawns the child, reads its frames
// (results, host calls, fatal reports) until it dies, fails what was in flight, and spawns the
// next one. A monitor thread kills (SIGKILL) a child holding an invocation past its hard deadline
// (timeout + grace): the runtime's own watchdog stops JavaScript, this also stops code stuck
// inside V8's C++ runtime where termination is not checked.
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/clock.h"
#include "base/cpus.h"
#include "base/deadline_loop.h"
#include "base/threads.h"
#include "runtime/dispatch.h"
#include "runtime/invoker.h"
#include "runtime/wire.h"
#include "runtime/wire_hot.h"

extern char** environ;

namespace parley::runtime {

namespace {

using nlohmann::json;

constexpr int64_t kHardDeadlineGraceUs = 2'000'000;
// After an isolate reported reaching its heap limit, how long its invocation may take to end
// before the process is killed.
constexpr int64_t kOomGraceUs = 300'000;
constexpr auto kSpawnWait = std::chrono::seconds(10);

int64_t nowUs() { return SystemClock::instance().monotonicUs(); }

InvocationResult failure(Outcome outcome, const char* code, std::string message) {
  InvocationResult r;
  r.outcome = outcome;
  r.errorCode = code;
  r.errorMessage = std::move(message);
  return r;
}

class ProcessInvoker final : public Invoker {
 public:
  ProcessInvoker(InvokerOptions options, HostServices* host) : options_(std::move(options)), host_(*host) {
    if (options_.workers <= 0) {
      options_.workers = usableCpus();
    }
    for (int i = 0; i < options_.workers; ++i) {
      children_.push_back(std::make_unique<Child>());
      Child* c = children_.back().get();
      childList_.push_back(c);
      c->index = i;
      c->reader = std::thread([this, c] { superviseChild(*c); });
      nameThread(c->reader, "parley-rt" + std::to_string(i) + "-read");
      // It reads the child's frames: SCHED_BATCH (base/threads.h says why). The child itself
      // is spawned at the policy of the thread that made this invoker (spawnPolicy_).
      setBatchScheduling(c->reader);
    }
    monitor_ = std::thread(
        [this] { monitorLoop_.run([this](int64_t now) { return killOverdue(now); }); });
    nameThread(monitor_, "parley-rt-watch");
  }

  ~ProcessInvoker() override {
    stopping_ = true;
    monitorLoop_.stop();
    monitor_.join();
    for (auto& c : children_) {
      std::lock_guard lock(c->mu);
      if (c->fd >= 0) shutdown(c->fd, SHUT_RDWR);
      if (c->pid > 0) kill(c->pid, SIGKILL);
      c->cv.notify_all();
    }
    for (auto& c : children_) c->reader.join();
  }

  void invoke(InvocationRequest request, Completion done) override {
    if (!request.function) {
      done(failure(Outcome::kPlatformFailure, codes::kBadInput, "No function to invoke"));
      return;
    }
    const Limits& limits = request.function->limits;
    if (static_cast<int64_t>(request.inputJson.size()) > limits.maxPayloadBytes) {
      done(failure(Outcome::kPlatformFailure, codes::kBadInput,
                   "The input is larger than the limit of " +
                       std::to_string(limits.maxPayloadBytes) + " bytes"));
      return;
    }
    Child& c = pick(request.function->key);
    counters_.invocations++;
    Pending p;
    p.done = std::move(done);
    p.hardDeadlineUs = nowUs() + limits.timeoutMs * 1000 + kHardDeadlineGraceUs;
    send(c, *request.function, std::move(p),
         [&request](uint64_t id) {
           return wire::encodeInvoke(id, request.function->key, request.context,
                                     request.keepDebugLogs);
         },
         request.inputJson);
  }

  void validate(const FunctionSource& function, std::function<void(Status)> done) override {
    Child& c = pick(function.key);
    Pending p;
    p.validated = std::move(done);
    p.hardDeadlineUs = nowUs() + function.limits.timeoutMs * 1000 + kHardDeadlineGraceUs;
    send(c, function, std::move(p), [&function](uint64_t id) {
      return json{{"t", "validate"}, {"key", function.key}, {"id", id}}.dump();
    });
  }

  void evict(const std::string& key) override {
    for (auto& c : children_) {
      std::unique_lock lock(c->mu);
      if (!c->defined.erase(key) || !c->writer) continue;
      wire::FrameWriter* w = c->writer.get();
      lock.unlock();
      w->write({{"t", "evict"}, {"key", key}});
    }
  }

  InvokerStats stats() const override {
    InvokerStats s;
    s.invocations = counters_.invocations.load();
    s.evictions = counters_.restarts.load();
    return s;
  }

 private:
  struct Pending {
    Completion done;                          // an invocation, or
    std::function<void(Status)> validated;    // a validation
    int64_t hardDeadlineUs = 0;
    bool outOfMemory = false;  // its isolate reported reaching the heap limit
  };

  struct Child {
    int index = 0;
    std::thread reader;
    std::mutex mu;
    std::condition_variable cv;                   // signalled when the child becomes alive
    pid_t pid = -1;                               // Guarded by mu
    int fd = -1;                                  // Guarded by mu
    std::unique_ptr<wire::FrameWriter> writer;    // Guarded by mu (the writer itself is safe)
    bool alive = false;                           // Guarded by mu
    std::map<uint64_t, Pending> pending;          // Guarded by mu
    std::set<std::string> defined;                // Guarded by mu: keys the child has the code of
    std::optional<uint64_t> fatalTag;             // Guarded by mu: reported before a fatal OOM
    std::optional<uint64_t> killedFor;            // Guarded by mu: killed over this invocation
    bool killedForMemory = false;                 // Guarded by mu
    std::atomic<int64_t> load{0};
  };

  struct Counters {
    std::atomic<int64_t> invocations{0};
    std::atomic<int64_t> restarts{0};
  };

  Child& pick(const std::string& key) {
    return pickWorker(
        childList_,
        [&](Child& c) {
          std::lock_guard lock(c.mu);
          return c.defined.count(key) > 0;
        },
        [](Child& c) { return c.load.load(); });
  }

  // `header(id)` makes the frame's serialised header once the frame has its id.
  void send(Child& c, const FunctionSource& fn, Pending p,
            const std::function<std::string(uint64_t)>& header, std::string_view body = {}) {
    std::unique_lock lock(c.mu);
    if (!c.alive) c.cv.wait_for(lock, kSpawnWait, [&] { return c.alive || stopping_; });
    if (!c.alive) {
      lock.unlock();
      settle(std::move(p), failure(Outcome::kPlatformFailure, codes::kPlatformGeneral,
                                   "The function runtime is not available"));
      return;
    }
    uint64_t id = nextId_++;
    bool needsDefine = c.defined.insert(fn.key).second;
    const int64_t deadlineUs = p.hardDeadlineUs;
    c.pending.emplace(id, std::move(p));
    c.load++;
    monitorLoop_.arm(deadlineUs);
    wire::FrameWriter* w = c.writer.get();
    // Frames for one child are queued under its lock and its writer sends them in that order,
    // whichever thread flushes, so a define always precedes its use. They wait in the writer
    // while the calling thread has a write batch open (an HTTP I/O thread's burst of requests
    // goes to the child in one write). A failed write means the child is dying: its reader
    // fails everything pending.
    if (needsDefine) {
      w->queue({{"t", "define"}, {"key", fn.key}, {"name", fn.name}, {"env", fn.env},
                {"limits", wire::toJson(fn.limits)}, {"codegen", fn.allowCodeGeneration}},
               fn.code);
    }
    w->queueSerialized(header(id), body);
  }

  static void settle(Pending p, InvocationResult r) {
    if (p.done) {
      p.done(std::move(r));
    } else if (p.validated) {
      p.validated(Error::internal(r.errorMessage));
    }
  }

  bool spawn(Child& c) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
    std::string budget = std::to_string(options_.instanceMemoryBudgetBytes / options_.workers);
    std::string ttl = std::to_string(options_.idleInstanceTtlMs);
    std::string spares = std::to_string(options_.sparePerWorker);
    const char* argv[] = {"parley-runtime", "runtime-worker", "--fd", "3",
                          "--memory-budget", budget.c_str(), "--idle-ttl-ms", ttl.c_str(),
                          "--spares", spares.c_str(), nullptr};
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sched_param param{};
    posix_spawnattr_setschedpolicy(&attr, spawnPolicy_);
    posix_spawnattr_setschedparam(&attr, &param);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSCHEDULER);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, options_.workerExecutable.c_str(), &actions, &attr,
                         const_cast<char* const*>(argv), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      return false;
    }
    std::lock_guard lock(c.mu);
    if (stopping_) {  // the destructor already went through the children: do not leave one behind
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      close(fds[0]);
      return false;
    }
    c.pid = pid;
    c.fd = fds[0];
    c.writer = std::make_unique<wire::FrameWriter>(fds[0]);
    c.alive = true;
    c.defined.clear();
    c.fatalTag.reset();
    c.killedFor.reset();
    c.cv.notify_all();
    return true;
  }

  void superviseChild(Child& c) {
    while (!stopping_) {
      if (!spawn(c)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      readFrames(c);
      reap(c);
      if (!stopping_) counters_.restarts++;
    }
  }

  void readFrames(Child& c) {
    int fd;
    {
      std::lock_guard lock(c.mu);
      fd = c.fd;
    }
    wire::FrameReader reader(fd);
    wire::Frame frame;
    while (reader.next(frame)) {
      if (!frame.binary.empty()) {
        uint64_t id = 0;
        InvocationResult result;
        if (!wire::decodeResult(frame.binary, &id, result)) break;  // a broken child: restart it
        result.resultJson = std::move(frame.body);
        if (std::optional<Pending> p = take(c, id)) settle(std::move(*p), std::move(result));
        continue;
      }
      const json& h = frame.header;
      std::string type = h.value("t", "");
      uint64_t id = h.value("id", uint64_t{0});
      if (type == "result" || type == "validated") {
        std::optional<Pending> p = take(c, id);
        if (!p) continue;
        if (type == "result") {
          settle(std::move(*p), wire::resultFromJson(h, std::move(frame.body)));
        } else if (p->validated) {
          Status s = okStatus();
          if (!h.value("ok", false)) {
            s = Error::invalidArgument(h.value("message", "invalid function"))
                    .withDetails(h.value("details", ""));
          }
          p->validated(std::move(s));
        }
      } else if (type == "host") {
        handleHostCall(c, h, std::move(frame.body));
      } else if (type == "fatal") {
        std::lock_guard lock(c.mu);
        c.fatalTag = id;
      } else if (type == "oom") {
        std::lock_guard lock(c.mu);
        auto it = c.pending.find(id);
        if (it != c.pending.end()) {
          it->second.hardDeadlineUs = std::min(it->second.hardDeadlineUs, nowUs() + kOomGraceUs);
          it->second.outOfMemory = true;
          monitorLoop_.arm(it->second.hardDeadlineUs);
        }
      }
    }
  }

  std::optional<Pending> take(Child& c, uint64_t id) {
    std::lock_guard lock(c.mu);
    auto it = c.pending.find(id);
    if (it == c.pending.end()) return std::nullopt;
    Pending p = std::move(it->second);
    c.pending.erase(it);
    c.load--;
    return p;
  }

  void handleHostCall(Child& c, const json& h, std::string body) {
    uint64_t call = h.value("call", uint64_t{0});
    HostRequest request{h.value("service", ""), h.value("args", "{}"), std::move(body)};
    InvocationContext context = wire::contextFromJson(h.value("ctx", json::object()));
    wire::FrameWriter* w;
    pid_t pid;
    {
      std::lock_guard lock(c.mu);
      w = c.writer.get();
      pid = c.pid;
    }
    host_.call(context, std::move(request), [this, &c, w, pid, call](HostResponse r) {
      std::lock_guard lock(c.mu);
      if (c.pid != pid || c.writer.get() != w || !c.alive) return;  // that child is gone
      w->write({{"t", "host"}, {"call", call}, {"ok", r.ok}, {"result", r.resultJson},
                {"code", r.errorCode}, {"message", r.errorMessage}},
               r.body);
    });
  }

  // The child is gone: collect it and fail what it had in flight, blaming the invocation that
  // caused it when known.
  void reap(Child& c) {
    std::map<uint64_t, Pending> pending;
    std::optional<uint64_t> fatalTag, killedFor;
    bool killedForMemory;
    pid_t pid;
    {
      std::lock_guard lock(c.mu);
      c.alive = false;
      pending.swap(c.pending);
      c.load = 0;
      fatalTag = c.fatalTag;
      killedFor = c.killedFor;
      killedForMemory = c.killedForMemory;
      c.killedForMemory = false;
      pid = c.pid;
      if (c.writer) c.writer->close();  // frames still queued in a batch go nowhere
      if (c.fd >= 0) close(c.fd);
      c.fd = -1;
      c.pid = -1;
      c.defined.clear();
    }
    int status = 0;
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    {
      // Writers captured by host-call completions compare against c.writer; drop it only now.
      std::lock_guard lock(c.mu);
      c.writer.reset();
    }
    for (auto& [id, p] : pending) {
      if ((fatalTag && *fatalTag == id) || (killedFor && *killedFor == id && killedForMemory)) {
        settle(std::move(p), failure(Outcome::kCodingFailure, codes::kMemoryExceeded,
                                     "The function ran out of memory: one allocation was larger "
                                     "than its memory limit allows"));
      } else if (killedFor && *killedFor == id) {
        settle(std::move(p), failure(Outcome::kTimeout, codes::kExecutionTimeExceeded,
                                     "Lambda Execution is taking too long: the function did not "
                                     "stop at its timeout and its runtime process was killed"));
      } else if (stopping_) {
        settle(std::move(p), failure(Outcome::kPlatformFailure, codes::kPlatformGeneral,
                                     "The server is shutting down"));
      } else {
        std::string why = fatalTag || killedFor
                              ? "another invocation on the same runtime process exhausted it"
                              : WIFSIGNALED(status)
                                    ? "it stopped on signal " + std::to_string(WTERMSIG(status))
                                    : "it exited with status " +
                                          std::to_string(WEXITSTATUS(status));
        settle(std::move(p), failure(Outcome::kPlatformFailure, codes::kPlatformGeneral,
                                     "The function's runtime process stopped while this "
                                     "invocation was in flight (" + why + "); it was not retried"));
      }
    }
  }

  // The monitor's look (a DeadlineLoop: it sleeps until the earliest hard deadline in flight,
  // indefinitely when none is, and send() and an out-of-memory report arm it). Kills each child
  // with an invocation past its hard deadline; returns the earliest deadline of the others
  // (INT64_MAX when none is in flight).
  int64_t killOverdue(int64_t now) {
    int64_t earliest = INT64_MAX;
    for (auto& c : children_) {
      std::lock_guard childLock(c->mu);
      if (!c->alive || c->killedFor) continue;
      for (auto& [id, p] : c->pending) {
        if (now >= p.hardDeadlineUs) {
          c->killedFor = id;
          c->killedForMemory = p.outOfMemory;
          kill(c->pid, SIGKILL);
          break;
        }
        earliest = std::min(earliest, p.hardDeadlineUs);
      }
    }
    return earliest;
  }

  InvokerOptions options_;
  HostServices& host_;
  const int spawnPolicy_ = sched_getscheduler(0);  // the creating thread's, before the readers
  std::vector<std::unique_ptr<Child>> children_;
  std::vector<Child*> childList_;  // the same, for pickWorker
  std::atomic<uint64_t> nextId_{1};
  std::atomic<bool> stopping_{false};
  Counters counters_;
  DeadlineLoop monitorLoop_{SystemClock::instance()};  // runs on monitor_
  std::thread monitor_;
};

}  // namespace

std::unique_ptr<Invoker> createProcessInvoker(InvokerOptions options, HostServices* host) {
  return std::make_unique<ProcessInvoker>(std::move(options), host);
}

}  // namespace parley::runtime
