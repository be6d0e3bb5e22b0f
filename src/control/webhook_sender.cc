#include "control/webhook_sender.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <climits>
#include <iostream>
#include <map>
#include <random>

#include "base/strings.h"

namespace parley::control {

std::string webhookSignature(const std::string& secret, int64_t unixSeconds,
                             const std::string& body) {
  std::string t = std::to_string(unixSeconds);
  std::string signedText = t + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signedText.data()), signedText.size(), mac, &len);
  return "t=" + t + ",v1=" + toHex(std::string_view(reinterpret_cast<char*>(mac), len));
}

WebhookSender::WebhookSender(store::Store& store, SettingsService& settings, const Clock& clock,
                             WebhookOptions options)
    : store_(store), settings_(settings), clock_(clock), options_(options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

WebhookSender::~WebhookSender() {
  stop();
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

namespace {
size_t discard(char*, size_t size, size_t n, void*) { return size * n; }
}  // namespace

long WebhookSender::post(const std::string& url, const std::string& body,
                         const std::string& signature, int64_t seq, std::string& error) {
  if (!curl_) curl_ = curl_easy_init();
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) {
    error = "cannot initialise libcurl";
    return 0;
  }
  curl_easy_reset(c);
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, ("X-Parley-Delivery: " + std::to_string(seq)).c_str());
  if (!signature.empty()) {
    headers = curl_slist_append(headers, ("X-Parley-Signature: " + signature).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeoutMs));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Parley-Webhook/1");
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    error = curl_easy_strerror(rc);
    return 0;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) error = "HTTP " + std::to_string(status);
  return status;
}

int WebhookSender::sendDue() {
  auto due = store_.eventQueue().dueWebhooks(clock_.nowMs(), options_.batch);
  if (!due.ok()) return 0;
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::map<std::string, std::optional<WebhookTarget>> targets;  // per account, this pass
  int settled = 0;
  for (const store::WebhookMessage& m : *due) {
    {
      std::lock_guard lock(mu_);
      if (thread_.stopping()) break;
    }
    auto it = targets.find(m.accountId);
    if (it == targets.end()) {
      auto t = settings_.webhookTarget(m.accountId);
      if (!t.ok()) {
        std::cerr << "parley: result webhook of account '" << m.accountId
                  << "' unusable: " << t.error().message() << "\n";
        continue;  // retried on the next pass
      }
      it = targets.emplace(m.accountId, std::move(t).value()).first;
    }
    ++settled;  // from here on, each message is sent, dropped or rescheduled
    if (!it->second) {  // no webhook any more
      (void)store_.eventQueue().webhookSent(m.seq);
      continue;
    }
    std::string signature;
    if (!it->second->secret.empty()) {
      signature = webhookSignature(it->second->secret, clock_.nowMs() / 1000, m.body);
    }
    std::string error;
    long status = post(it->second->url, m.body, signature, m.seq, error);
    if (status >= 200 && status <= 299) {
      (void)store_.eventQueue().webhookSent(m.seq);
      continue;
    }
    int64_t attempts = m.attempts + 1;
    if (attempts >= options_.retry.maxAttempts) {
      std::cerr << "parley: dropping a result for the webhook of account '" << m.accountId
                << "' after " << attempts << " attempts (" << error << ")\n";
      (void)store_.eventQueue().webhookSent(m.seq);
      continue;
    }
    (void)store_.eventQueue().webhookRetry(
        m.seq, attempts, clock_.nowMs() + backoffDelayMs(options_.retry, attempts, random()));
  }
  return settled;
}

void WebhookSender::wake() { thread_.wake(); }

void WebhookSender::start() {
  thread_.start("parley-webhooks", [this] {
    std::unique_lock lock(mu_);
    while (!thread_.stopping()) {
      thread_.clearWoken();
      lock.unlock();
      int settled = 0;
      try {
        settled = sendDue();
      } catch (const std::exception& ex) {
        std::cerr << "parley: webhook pass failed: " << ex.what() << "\n";
      }
      int64_t sleepMs = options_.maxSleepMs;
      if (settled == 0) {  // else there may be more due: look again at once
        const int64_t now = clock_.nowMs();
        sleepMs = sleepBeforeNextMs(store_.eventQueue().nextWebhookAfter(now), now, INT64_MAX,
                                    options_.maxSleepMs);
      }
      lock.lock();
      if (settled > 0) continue;
      cv_.wait_for(lock, std::chrono::milliseconds(sleepMs),
                   [this] { return thread_.stopping() || thread_.woken(); });
    }
  });
}

void WebhookSender::stop() { thread_.stop(); }

}  // namespace parley::control
