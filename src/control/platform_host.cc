#include "control/platform_host.h"

#include <nlohmann/json.hpp>

#include "base/threads.h"
#include "vault/redaction.h"

namespace parley::control {

namespace {

using nlohmann::json;
using runtime::HostResponse;

constexpr int64_t kLedgerTtlMs = 10 * 60 * 1000;

HostResponse failure(const std::string& code, const std::string& message) {
  return HostResponse{false, "null", {}, code, message};
}

HostResponse secretFailure(const Error& e) {
  switch (e.code()) {
    case ErrorCode::kNotFound:
      return failure("com.liveperson.faas.secret.not-found", e.message());
    case ErrorCode::kPermissionDenied:
      return failure("com.liveperson.faas.secret.forbidden", e.message());
    case ErrorCode::kInvalidArgument:
      return failure("com.liveperson.faas.secret.invalid-format", e.message());
    default:
      return failure("com.liveperson.faas.secret.op-failed", e.message());
  }
}

HostResponse secretResult(const SecretValue& v) {
  HostResponse r;
  r.resultJson = json{{"key", v.name}, {"value", v.value}, {"type", v.type}}.dump();
  return r;
}

}  // namespace

PlatformHostServices::PlatformHostServices(SecretService& secrets, const Clock& clock)
    : secrets_(secrets), clock_(clock), worker_([this] { run(); }) {
  nameThread(worker_, "parley-platform");
}

PlatformHostServices::~PlatformHostServices() {
  stop();
}

void PlatformHostServices::stop() {
  {
    std::lock_guard lock(queueMu_);
    stopping_ = true;
  }
  queueCv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void PlatformHostServices::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(queueMu_);
      queueCv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void PlatformHostServices::addService(std::string prefix, Handler handler) {
  services_.emplace_back(std::move(prefix), std::move(handler));
}

void PlatformHostServices::addAsyncService(std::string prefix, AsyncHandler handler) {
  asyncServices_.emplace_back(std::move(prefix), std::move(handler));
}

bool PlatformHostServices::enqueue(std::function<void()> task) {
  {
    std::lock_guard lock(queueMu_);
    if (stopping_) return false;
    queue_.push_back(std::move(task));
  }
  queueCv_.notify_one();
  return true;
}

void PlatformHostServices::call(const runtime::InvocationContext& context,
                                runtime::HostRequest request, Completion done) {
  for (const auto& [prefix, handler] : asyncServices_) {
    if (request.service.starts_with(prefix)) return handler(context, std::move(request), std::move(done));
  }
  for (const auto& [prefix, handler] : services_) {
    if (!request.service.starts_with(prefix)) continue;
    auto task = [&handler, context, request, done]() mutable { done(handler(context, request)); };
    if (!enqueue(std::move(task))) {
      done(failure("com.liveperson.faas.fm.unavailable", "The server is shutting down"));
    }
    return;
  }
  bool secrets = request.service.starts_with("secrets.");
  if (!secrets) {
    done(failure("com.liveperson.faas.fm.unavailable",
                 "The service '" + request.service + "' is not available here"));
    return;
  }
  json args = json::parse(request.argsJson, nullptr, false);
  if (args.is_object() && args.contains("key") && args["key"].is_string()) {
    noteUse(context.invocationId, {context.accountId, args["key"].get<std::string>()});
  }
  if (request.service == "secrets.used") {
    done(HostResponse{});
    return;
  }
  {
    std::lock_guard lock(queueMu_);
    if (stopping_) {
      done(failure("com.liveperson.faas.secret.op-failed", "The server is shutting down"));
      return;
    }
    queue_.push_back([this, context, request = std::move(request), done = std::move(done)] {
      done(handle(context, request));
    });
  }
  queueCv_.notify_one();
}

HostResponse PlatformHostServices::handle(const runtime::InvocationContext& context,
                                          const runtime::HostRequest& request) {
  json args = json::parse(request.argsJson, nullptr, false);
  if (!args.is_object() || !args.contains("key") || !args["key"].is_string()) {
    return failure("com.liveperson.faas.secret.invalid-format", "The secret key must be a string");
  }
  std::string key = args["key"].get<std::string>();
  if (request.service == "secrets.read") {
    auto v = secrets_.read(context.accountId, key);
    if (!v.ok()) return secretFailure(v.error());
    noteValue({context.accountId, key}, v->value, v->type == "json");
    return secretResult(*v);
  }
  if (request.service == "secrets.update") {
    if (!args.contains("value") || !args["value"].is_string()) {
      return failure("com.liveperson.faas.secret.invalid-format",
                     "The secret value must be a string (or a JSON-serialisable value)");
    }
    std::string value = args["value"].get<std::string>();
    std::string actor = "function " + context.functionName;
    auto v = secrets_.update(context.accountId, key, value, actor);
    if (!v.ok()) return secretFailure(v.error());
    noteValue({context.accountId, key}, v->value, v->type == "json");
    return secretResult(*v);
  }
  return failure("com.liveperson.faas.fm.unavailable",
                 "The service '" + request.service + "' is not available here");
}

void PlatformHostServices::noteUse(const std::string& invocationId, const SecretKey& key) {
  if (invocationId.empty()) return;
  int64_t now = clock_.nowMs();
  std::lock_guard lock(ledgerMu_);
  Used& u = used_[invocationId];
  u.atMs = now;
  u.keys.insert(key);
  pruneLocked(now);
}

void PlatformHostServices::noteValue(const SecretKey& key, const std::string& value, bool isJson) {
  int64_t now = clock_.nowMs();
  std::vector<std::string> values = vault::redactionValues(value, isJson);
  std::lock_guard lock(ledgerMu_);
  Seen& s = seen_[key][value];
  s.atMs = now;
  s.values = std::move(values);
  pruneLocked(now);
}

void PlatformHostServices::pruneLocked(int64_t now) {
  if (now - lastPruneMs_ < 60 * 1000) return;
  lastPruneMs_ = now;
  for (auto it = used_.begin(); it != used_.end();) {
    it = now - it->second.atMs > kLedgerTtlMs ? used_.erase(it) : std::next(it);
  }
  for (auto it = seen_.begin(); it != seen_.end();) {
    auto& byValue = it->second;
    for (auto v = byValue.begin(); v != byValue.end();) {
      v = now - v->second.atMs > kLedgerTtlMs ? byValue.erase(v) : std::next(v);
    }
    it = byValue.empty() ? seen_.erase(it) : std::next(it);
  }
}

std::vector<std::string> PlatformHostServices::takeSecretValues(const std::string& invocationId) {
  std::vector<std::string> out;
  std::vector<SecretKey> unseen;
  {
    std::lock_guard lock(ledgerMu_);
    auto it = used_.find(invocationId);
    if (it == used_.end()) return out;
    for (const SecretKey& key : it->second.keys) {
      auto s = seen_.find(key);
      if (s == seen_.end()) {
        unseen.push_back(key);
        continue;
      }
      for (const auto& [value, seen] : s->second) {
        out.insert(out.end(), seen.values.begin(), seen.values.end());
      }
    }
    used_.erase(it);
  }
  // Rare: served from a toolbelt cache older than the ledger (a custom cache TTL). Read the value
  // now rather than store the log unredacted.
  for (const SecretKey& key : unseen) {
    auto v = secrets_.read(key.first, key.second);
    if (!v.ok()) continue;
    std::vector<std::string> values = vault::redactionValues(v->value, v->type == "json");
    out.insert(out.end(), values.begin(), values.end());
  }
  return out;
}

}  // namespace parley::control
