#include "control/scheduler_loop.h"

#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>

#include "control/invocation_service.h"
#include "scheduler/firing.h"

namespace parley::control {

SchedulerLoop::SchedulerLoop(store::Store& store, const Clock& clock, Invoke invoke,
                             SchedulerOptions options)
    : store_(store), clock_(clock), invoke_(std::move(invoke)), options_(options) {}

SchedulerLoop::~SchedulerLoop() { stop(); }

std::string SchedulerLoop::inputFor(const store::ScheduleRecord& s, int64_t dueMs) {
  nlohmann::json input;
  input["timestamp"] = dueMs;
  input["headers"] = s.headers;
  nlohmann::json payload = nlohmann::json::parse(s.payloadJson, nullptr, false);
  input["payload"] = payload.is_discarded() ? nlohmann::json(s.payloadJson) : payload;
  return input.dump();
}

int SchedulerLoop::tick(int64_t nowMs) {
  auto due = store_.schedules().due(nowMs, options_.batch);
  if (!due.ok()) return 0;
  int started = 0;
  for (const store::ScheduleRecord& s : *due) {
    auto cron = scheduler::parseCron(s.cron);
    if (!cron.ok()) {
      (void)store_.schedules().setNextFire(s.id, std::nullopt);
      continue;
    }
    scheduler::ScheduleState state;
    state.cron = *cron;
    state.timeZone = s.timeZone;
    state.isActive = s.isActive && !s.pausedByUndeploy;
    state.lastFireMs = s.lastFireMs;
    state.nextFireMs = s.nextFireMs;
    auto decision = scheduler::decideFiring(state, nowMs, options_.graceMs);
    if (!decision.ok()) continue;
    if (decision->action != scheduler::FiringAction::kFire) {
      if (decision->nextFireMs != s.nextFireMs) {
        (void)store_.schedules().setNextFire(s.id, decision->nextFireMs);
      }
      continue;
    }
    auto won = store_.schedules().claimFire(s.id, s.lastFireMs, decision->dueMs,
                                            decision->nextFireMs);
    if (!won.ok() || !*won) continue;  // another loop fired it
    ++started;
    int64_t dueMs = decision->dueMs;
    std::string id = s.id;
    store::Store* store = &store_;
    invoke_(s, inputFor(s, dueMs), [store, id, dueMs](std::string outcome, std::string invId) {
      (void)store->schedules().recordOutcome(id, dueMs, outcome, invId);
    });
  }
  return started;
}

void SchedulerLoop::start() {
  thread_.start("parley-scheduler", [this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!thread_.stopping()) {
      lock.unlock();
      try {
        tick(clock_.nowMs());
      } catch (const std::exception&) {
        // A bad row must not end the server; the next tick tries again.
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(options_.intervalMs),
                   [this] { return thread_.stopping(); });
    }
  });
}

void SchedulerLoop::stop() { thread_.stop(); }

SchedulerLoop::Invoke SchedulerLoop::through(InvocationService& invocations) {
  return [&invocations](const store::ScheduleRecord& s, std::string input, Done done) {
    invocations.invoke(s.accountId, s.functionUuid, std::move(input), runtime::Trigger::kSchedule,
                       [done](Result<InvocationOutcome> r) {
                         if (!r.ok()) {
                           done(errorCodeName(r.error().code()), "");
                           return;
                         }
                         done(r->record.outcome, r->record.id);
                       });
  };
}

}  // namespace parley::control
