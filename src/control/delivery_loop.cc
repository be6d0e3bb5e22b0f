#include "control/delivery_loop.h"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "base/strings.h"
#include "control/cloud_events.h"
#include "control/event_service.h"

namespace parley::control {

using nlohmann::json;

namespace {
constexpr int64_t kPurgeEveryMs = 60'000;  // the dedupe table's expired entries
}  // namespace

struct DeliveryLoop::Attempt {
  struct Target {
    std::string uuid;
    std::optional<Result<InvocationOutcome>> result;
  };
  store::QueuedEvent event;
  bool automaticMessage = false;
  std::vector<Target> targets;
  std::mutex mu;
  size_t remaining = 0;
};

DeliveryLoop::DeliveryLoop(store::Store& store, FunctionService& functions,
                           EventTypeService& types, const Clock& clock, Invoke invoke,
                           DeliveryOptions options, std::function<uint64_t()> random)
    : store_(store),
      functions_(functions),
      types_(types),
      clock_(clock),
      invoke_(std::move(invoke)),
      options_(options),
      random_(std::move(random)) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return (*engine)(); };  // the loop thread only
  }
}

DeliveryLoop::~DeliveryLoop() { stop(); }

DeliveryLoop::Invoke DeliveryLoop::through(InvocationService& invocations) {
  return [&invocations](const std::string& accountId, const std::string& functionUuid,
                        std::string input, InvokeDone done) {
    invocations.invoke(accountId, functionUuid, std::move(input), runtime::Trigger::kEvent,
                       std::move(done));
  };
}

int64_t DeliveryLoop::inFlight() const {
  std::lock_guard lock(mu_);
  return inFlight_;
}

void DeliveryLoop::wake() { thread_.wake(); }

int DeliveryLoop::claimAndDispatch() {
  int64_t capacity;
  {
    std::lock_guard lock(mu_);
    capacity = options_.maxInFlight - inFlight_;
  }
  if (capacity <= 0) return 0;
  int64_t now = clock_.nowMs();
  auto claimed = store_.eventQueue().claim(now, now + options_.leaseMs, capacity);
  if (!claimed.ok()) {
    std::cerr << "parley: claiming queued events failed: " << claimed.error().message() << "\n";
    return 0;
  }
  {
    std::lock_guard lock(mu_);
    inFlight_ += static_cast<int64_t>(claimed->size());
  }
  for (store::QueuedEvent& e : *claimed) dispatch(std::move(e));
  return static_cast<int>(claimed->size());
}

void DeliveryLoop::dispatch(store::QueuedEvent e) {
  auto a = std::make_shared<Attempt>();
  a->event = std::move(e);
  const store::QueuedEvent& ev = a->event;
  auto finish = [this](std::shared_ptr<Attempt> done) {
    {
      std::lock_guard lock(mu_);
      completed_.push_back(std::move(done));
    }
    cv_.notify_all();
  };
  auto type = types_.find(ev.accountId, ev.type);
  auto bound = functions_.listBoundTo(ev.accountId, ev.type);
  if (!type.ok() || !bound.ok()) {
    // Leave it claimed-then-retried: a store failure is not the function's fault.
    a->targets.push_back({"", Result<InvocationOutcome>(type.ok() ? bound.error() : type.error())});
    return finish(a);
  }
  a->automaticMessage = type->has_value() && isAutomaticMessageCategory((*type)->category);
  std::optional<std::string> skill;
  if (!ev.skillId.empty()) skill = ev.skillId;
  for (auto& f : boundFunctions(std::move(bound).value(), skill)) {
    if (ev.pendingFunctions &&
        std::find(ev.pendingFunctions->begin(), ev.pendingFunctions->end(), f.uuid) ==
            ev.pendingFunctions->end()) {
      continue;
    }
    a->targets.push_back({f.uuid, std::nullopt});
  }
  if (a->targets.empty()) return finish(a);
  auto input = invocationInputFor(ev.eventJson, clock_.nowMs());
  if (!input.ok()) {
    for (auto& t : a->targets) t.result = Result<InvocationOutcome>(input.error());
    return finish(a);
  }
  a->remaining = a->targets.size();
  for (size_t i = 0; i < a->targets.size(); ++i) {
    invoke_(ev.accountId, a->targets[i].uuid, *input, [a, i, finish](Result<InvocationOutcome> r) {
      std::unique_lock lock(a->mu);
      a->targets[i].result = std::move(r);
      if (--a->remaining > 0) return;
      lock.unlock();
      finish(a);
    });
  }
}

namespace {

enum class Verdict { kDelivered, kFailed, kDropped, kQuota };

struct Judged {
  Verdict verdict = Verdict::kFailed;
  std::string error;  // for kFailed
};

Judged judge(const Result<InvocationOutcome>& r, bool automaticMessage) {
  if (!r.ok()) {
    switch (r.error().code()) {
      case ErrorCode::kFailedPrecondition:
      case ErrorCode::kNotFound:
        return {Verdict::kDropped, r.error().message()};
      case ErrorCode::kResourceExhausted:
        return {Verdict::kQuota, r.error().message()};
      default:
        return {Verdict::kFailed, r.error().message()};
    }
  }
  const runtime::InvocationResult& res = r->result;
  if (!res.ok()) return {Verdict::kFailed, res.errorCode + ": " + res.errorMessage};
  if (automaticMessage) {
    if (Status s = validateCommands(res.resultJson); !s.ok()) {
      return {Verdict::kFailed, "invalid result: " + s.error().message()};
    }
  }
  return {Verdict::kDelivered, ""};
}

json webhookBody(const store::QueuedEvent& e, const std::string& functionUuid,
                 const Result<InvocationOutcome>& r, const Judged& j, int64_t attempt,
                 bool final, int64_t now) {
  json body = {{"eventId", e.eventId},       {"source", e.source},
               {"type", e.type},             {"subject", e.subject},
               {"functionUuid", functionUuid}, {"attempt", attempt},
               {"acceptedAt", e.acceptedAt}, {"final", final},
               {"deliveredAt", now}};
  body["invocationId"] = r.ok() ? json(r->record.id) : json(nullptr);
  body["startedAt"] = r.ok() ? json(r->record.startedAt) : json(nullptr);
  body["finishedAt"] = r.ok() ? json(r->record.finishedAt) : json(now);
  if (j.verdict == Verdict::kDelivered) {
    body["outcome"] = "SUCCEEDED";
    const std::string& text = r->result.resultJson;
    json result = text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
    body["result"] = result.is_discarded() ? json(text) : result;
    body["error"] = nullptr;
  } else {
    std::string code = r.ok() ? (r->result.ok() ? "INVALID_RESULT" : r->record.outcome)
                              : std::string(errorCodeName(r.error().code()));
    body["outcome"] = code;
    body["result"] = nullptr;
    body["error"] = {{"code", r.ok() && !r->result.ok() ? r->result.errorCode : code},
                     {"message", j.error}};
  }
  return body;
}

}  // namespace

void DeliveryLoop::settle(Attempt& a) {
  const store::QueuedEvent& e = a.event;
  int64_t now = clock_.nowMs();
  std::vector<std::string> failed;
  std::vector<std::string> quota;
  std::string lastError;
  std::vector<std::pair<size_t, Judged>> reported;
  for (size_t i = 0; i < a.targets.size(); ++i) {
    const auto& t = a.targets[i];
    Judged j = judge(*t.result, a.automaticMessage);
    if (t.uuid.empty()) {  // the store failed before anything ran
      quota.push_back("");
      lastError = j.error;
      continue;
    }
    switch (j.verdict) {
      case Verdict::kDelivered: break;
      case Verdict::kDropped: continue;
      case Verdict::kQuota: quota.push_back(t.uuid); continue;
      case Verdict::kFailed:
        failed.push_back(t.uuid);
        lastError = "function " + t.uuid + ": " + j.error;
        break;
    }
    reported.emplace_back(i, std::move(j));
  }
  store::Settlement s;
  s.seq = e.seq;
  int64_t attempts = e.attempts + (failed.empty() ? 0 : 1);
  if (failed.empty() && quota.empty()) {
    s.kind = store::Settlement::Kind::kDelivered;
  } else if (!failed.empty() && attempts >= options_.retry.maxAttempts) {
    s.kind = store::Settlement::Kind::kDead;
    store::DeadLetterRecord& d = s.deadLetter;
    d.id = randomUuid();
    d.accountId = e.accountId;
    d.eventId = e.eventId;
    d.source = e.source;
    d.type = e.type;
    d.subject = e.subject;
    d.skillId = e.skillId;
    d.eventJson = e.eventJson;
    d.functions = failed;
    for (auto& q : quota) {
      if (!q.empty()) d.functions.push_back(q);
    }
    d.attempts = attempts;
    d.lastError = lastError;
    d.acceptedAt = e.acceptedAt;
    d.deadAt = now;
  } else {
    s.kind = store::Settlement::Kind::kRetry;
    bool storeFailure = std::find(quota.begin(), quota.end(), "") != quota.end();
    if (storeFailure) {
      s.pendingFunctions = e.pendingFunctions.value_or(std::vector<std::string>{});
    } else {
      s.pendingFunctions = failed;
      for (auto& q : quota) s.pendingFunctions.push_back(q);
    }
    s.attempts = attempts;
    s.lastError = lastError;
    s.nextAttemptMs = now + (failed.empty() ? 1000
                                            : backoffDelayMs(options_.retry, attempts, random_()));
    // Nothing resolved yet: keep the targets unresolved, retry as a whole.
    s.resolveAgain = storeFailure && !e.pendingFunctions;
  }
  if (!reported.empty()) {
    auto settings = store_.settings().get(e.accountId);
    if (settings.ok() && settings->has_value() && !(*settings)->resultWebhookUrl.empty()) {
      bool final = s.kind != store::Settlement::Kind::kRetry;
      for (auto& [i, j] : reported) {
        const auto& t = a.targets[i];
        store::WebhookMessage m;
        m.accountId = e.accountId;
        m.body = webhookBody(e, t.uuid, *t.result, j, attempts == 0 ? 1 : attempts,
                             final || j.verdict == Verdict::kDelivered, now)
                     .dump();
        m.nextAttemptMs = now;
        m.createdAt = now;
        s.webhooks.push_back(std::move(m));
      }
    }
  }
  if (Status st = store_.eventQueue().settle(s); !st.ok()) {
    std::cerr << "parley: settling event " << e.eventId << " failed (it will be delivered again "
              << "when its lease expires): " << st.error().message() << "\n";
  } else if (!s.webhooks.empty() && options_.onSettled) {
    options_.onSettled();
  }
}

void DeliveryLoop::settleCompleted() {
  for (;;) {
    std::shared_ptr<Attempt> a;
    {
      std::lock_guard lock(mu_);
      if (completed_.empty()) return;
      a = std::move(completed_.front());
      completed_.pop_front();
    }
    settle(*a);
    std::lock_guard lock(mu_);
    --inFlight_;
  }
}

int DeliveryLoop::tickForTest() {
  int n = claimAndDispatch();
  settleCompleted();
  return n;
}

void DeliveryLoop::settleCompletedForTest() { settleCompleted(); }

void DeliveryLoop::start() {
  thread_.start("parley-delivery", [this] { run(); });
}

void DeliveryLoop::run() {
  if (Status s = store_.eventQueue().releaseLeases(); !s.ok()) {
    std::cerr << "parley: releasing event leases failed: " << s.error().message() << "\n";
  }
  std::unique_lock lock(mu_);
  while (!thread_.stopping()) {
    thread_.clearWoken();
    lock.unlock();
    int64_t sleepMs = options_.maxSleepMs;
    try {
      settleCompleted();
      claimAndDispatch();
      int64_t now = clock_.nowMs();
      if (now - lastPurgeMs_ > kPurgeEveryMs) {
        lastPurgeMs_ = now;
        (void)store_.eventQueue().purgeDedupe(now - options_.dedupeWindowMs);
      }
      // Until the next retry or lease expiry, or the next purge. (Events due already but not
      // claimed wait for a delivery to settle, which wakes the loop.)
      sleepMs = sleepBeforeNextMs(store_.eventQueue().nextDueAfter(now), now,
                                  lastPurgeMs_ + kPurgeEveryMs + 1, options_.maxSleepMs);
    } catch (const std::exception& ex) {
      std::cerr << "parley: event delivery pass failed: " << ex.what() << "\n";
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(sleepMs),
                 [this] { return thread_.stopping() || thread_.woken() || !completed_.empty(); });
  }
  // Stopping: claim nothing more; let the deliveries in flight settle.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.stopWaitMs);
  while (inFlight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    lock.unlock();
    settleCompleted();
    lock.lock();
    if (inFlight_ == 0) break;
    cv_.wait_until(lock, deadline, [this] { return !completed_.empty(); });
  }
}

void DeliveryLoop::stop() { thread_.stop(); }

}  // namespace parley::control
