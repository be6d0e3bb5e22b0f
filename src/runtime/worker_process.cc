#include "runtime/worker_process.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <map>
#include <string_view>
#include <mutex>

#include "base/threads.h"
#include "runtime/v8_process.h"
#include "runtime/wire.h"
#include "runtime/wire_hot.h"

namespace parley::runtime {

namespace {

using nlohmann::json;

// Forwards host calls to the parent; the parent answers with a "host" frame.
class RemoteHost final : public HostServices {
 public:
  explicit RemoteHost(wire::FrameWriter& writer) : writer_(writer) {}

  void call(const InvocationContext& context, HostRequest request, Completion done) override {
    uint64_t id;
    {
      std::lock_guard lock(mu_);
      id = nextId_++;
      pending_[id] = std::move(done);
    }
    json header = {{"t", "host"}, {"call", id}, {"ctx", wire::toJson(context)},
                   {"service", request.service}, {"args", request.argsJson}};
    if (!writer_.write(header, request.body)) deliver(id, unavailable());
  }

  void deliver(uint64_t id, HostResponse response) {
    Completion done;
    {
      std::lock_guard lock(mu_);
      auto it = pending_.find(id);
      if (it == pending_.end()) return;
      done = std::move(it->second);
      pending_.erase(it);
    }
    done(std::move(response));
  }

 private:
  static HostResponse unavailable() {
    return HostResponse{false, "null", {}, "com.liveperson.faas.fm.unavailable",
                        "The server is not reachable from the function's runtime"};
  }

  wire::FrameWriter& writer_;
  std::mutex mu_;
  uint64_t nextId_ = 1;                         // Guarded by mu_
  std::map<uint64_t, Completion> pending_;      // Guarded by mu_
};

wire::FrameWriter* fatalWriter = nullptr;

// Runs on V8's fatal path, just before it aborts the process.
void reportFatal(uint64_t tag, const char* what) {
  bool heapLimit = std::string_view(what) == "heap limit";
  if (fatalWriter) fatalWriter->write({{"t", heapLimit ? "oom" : "fatal"}, {"id", tag}, {"what", what}});
}

}  // namespace

int runWorkerProcess(int fd, InvokerOptions options) {
  // Die with the parent, and be the kernel OOM killer's first choice rather than the server.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1) return 0;
  std::ofstream("/proc/self/oom_score_adj") << "1000";
  signal(SIGPIPE, SIG_IGN);

  wire::FrameWriter writer(fd);
  fatalWriter = &writer;
  setFatalErrorReporter(&reportFatal);
  RemoteHost host(writer);
  options.isolation = Isolation::kThread;
  options.workers = 1;
  std::unique_ptr<Invoker> invoker = Invoker::create(options, &host);
  std::map<std::string, std::shared_ptr<const FunctionSource>> functions;

  auto unknownFunction = [&writer](uint64_t id, const char* type) {
    writer.write({{"t", type}, {"id", id},
                  {"outcome", static_cast<int>(Outcome::kPlatformFailure)},
                  {"ok", false}, {"code", codes::kPlatformGeneral},
                  {"message", "The runtime process does not know this function version"}});
  };

  // Named for ps and perf (the process is otherwise "exe", after /proc/self/exe). Batch policy
  // for this thread only, set after the invoker's threads exist so they do not inherit it.
  nameThisThread("parley-runtime");
  setBatchScheduling();
  wire::FrameReader reader(fd);
  wire::Frame frame;
  wire::InvokeHeader invoke;
  while (reader.next(frame)) {
    if (!frame.binary.empty()) {
      if (!wire::decodeInvoke(frame.binary, invoke)) break;  // not from our parent: stop
      auto it = functions.find(invoke.key);
      if (it == functions.end()) {
        unknownFunction(invoke.id, "result");
        continue;
      }
      InvocationRequest request;
      request.function = it->second;
      request.inputJson = std::move(frame.body);
      request.context = std::move(invoke.context);
      request.keepDebugLogs = invoke.debug;
      request.tag = invoke.id;
      invoker->invoke(std::move(request), [&writer, id = invoke.id](InvocationResult r) {
        writer.queueSerialized(wire::encodeResult(id, r), r.resultJson);
      });
      continue;
    }
    const json& h = frame.header;
    std::string type = h.value("t", "");
    if (type == "define") {
      auto fn = std::make_shared<FunctionSource>();
      fn->key = h.value("key", "");
      fn->name = h.value("name", "index.js");
      fn->code = std::move(frame.body);
      fn->env = h.value("env", std::map<std::string, std::string>{});
      fn->limits = wire::limitsFromJson(h.value("limits", json::object()));
      fn->allowCodeGeneration = h.value("codegen", false);
      functions[fn->key] = fn;
    } else if (type == "validate") {
      uint64_t id = h.value("id", uint64_t{0});
      auto it = functions.find(h.value("key", ""));
      if (it == functions.end()) {
        unknownFunction(id, "validated");
        continue;
      }
      invoker->validate(*it->second, [&writer, id](Status s) {
        json out = {{"t", "validated"}, {"id", id}, {"ok", s.ok()}};
        if (!s.ok()) {
          out["message"] = s.error().message();
          out["details"] = s.error().details();
        }
        writer.write(out);
      });
    } else if (type == "evict") {
      std::string key = h.value("key", "");
      invoker->evict(key);
      functions.erase(key);
    } else if (type == "host") {
      HostResponse response;
      response.ok = h.value("ok", false);
      response.resultJson = h.value("result", "null");
      response.body = std::move(frame.body);
      response.errorCode = h.value("code", "");
      response.errorMessage = h.value("message", "");
      host.deliver(h.value("call", uint64_t{0}), std::move(response));
    }
  }
  // The parent is gone or closed the connection: nothing left to answer to.
  _exit(0);
}

}  // namespace parley::runtime
