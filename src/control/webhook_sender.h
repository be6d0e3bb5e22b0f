// WebhookSender: POSTs queued delivery results (webhook_outbox) to each account's result
// webhook (SPEC §3), one thread, libcurl's easy interface with connection reuse.
//
// Signature: with a secret set, header `X-Parley-Signature: t=<unix seconds>,v1=<hex>` where
// hex = HMAC-SHA256(secret, "<t>.<body>"). Receivers recompute it and compare in constant time
// (and may reject old t). Also `X-Parley-Delivery: <outbox seq>` (stable across retries).
// A 2xx answer removes the message; anything else (or no answer in `timeoutMs`) retries with
// exponential backoff and full jitter; after `retry.maxAttempts` the message is dropped with a
// log line. An account without a webhook URL any more drops its messages. Between passes the
// thread sleeps until the outbox's next retry (EventQueueRepository::nextWebhookAfter), woken
// sooner by wake() when the delivery loop queues results: no polling while idle.
// Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/loop_thread.h"
#include "control/delivery_rules.h"
#include "control/settings_service.h"
#include "store/store.h"

namespace parley::control {

struct WebhookOptions {
  RetryPolicy retry{12, 1000, 10 * 60'000};
  int64_t timeoutMs = 10'000;
  // The longest the sender sleeps: it sleeps until the outbox's next retry, woken sooner by
  // wake() (new messages); this is a safety net (a clock stepped back, a lost wake-up).
  int64_t maxSleepMs = 5'000;
  int64_t batch = 200;
};

// "t=<t>,v1=<hex of HMAC-SHA256(secret, t + "." + body)>".
std::string webhookSignature(const std::string& secret, int64_t unixSeconds,
                             const std::string& body);

class WebhookSender {
 public:
  WebhookSender(store::Store& store, SettingsService& settings, const Clock& clock,
                WebhookOptions options = {});
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void start();
  void stop();  // joins; a POST in progress finishes (bounded by timeoutMs)
  void wake();
  // One pass over due messages; returns how many it settled (sent, dropped or rescheduled):
  // when some were, more may be due. Messages of an account whose webhook cannot be read stay
  // due and are not counted (no spinning on them).
  int sendDue();

 private:
  // HTTP status, or 0 when there was no answer (error says why).
  long post(const std::string& url, const std::string& body, const std::string& signature,
            int64_t seq, std::string& error);

  store::Store& store_;
  SettingsService& settings_;
  const Clock& clock_;
  const WebhookOptions options_;
  void* curl_ = nullptr;  // CURL*, reused for keep-alive; sender thread only
  std::mutex mu_;
  std::condition_variable cv_;
  LoopThread thread_{mu_, cv_};
};

}  // namespace parley::control
