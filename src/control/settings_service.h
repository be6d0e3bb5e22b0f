// SettingsService: per-account settings (SPEC §14 /settings): today the result webhook.
//
// - resultWebhookUrl: "" (none) or an http(s) URL of at most 2000 characters.
// - resultWebhookSecret: write-only. Sealed by the vault under the account's data key with
//   associated data "<account>/settings/resultWebhookSecret" before it reaches the store; views
//   only say whether one is set. At most 200 characters; "" clears it.
// - webhookTarget(): the URL and the secret in clear, for the webhook sender only.
// Violations: kInvalidArgument naming the field. Thread-safety: thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "control/activity.h"
#include "store/store.h"
#include "vault/vault.h"

namespace parley::control {

struct SettingsView {
  std::string resultWebhookUrl;
  bool resultWebhookSecretSet = false;
  int64_t updatedAt = 0;
  std::string updatedBy;
};

struct SettingsChanges {
  std::optional<std::string> resultWebhookUrl;
  std::optional<std::string> resultWebhookSecret;
};

struct WebhookTarget {
  std::string url;
  std::string secret;  // "" when none: the body is then not signed
};

class SettingsService {
 public:
  SettingsService(store::Store& store, vault::Vault& vault, const Clock& clock);

  Result<SettingsView> get(const std::string& accountId);
  // Recorded in the activity stream when a sink is set: which settings changed, never the
  // webhook secret's value.
  Result<SettingsView> update(const std::string& accountId, const SettingsChanges& changes,
                              const Actor& actor);
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }
  // nullopt when the account has no webhook URL.
  Result<std::optional<WebhookTarget>> webhookTarget(const std::string& accountId);

 private:
  store::Store& store_;
  vault::Vault& vault_;
  const Clock& clock_;
  ActivitySink* activity_ = nullptr;
};

}  // namespace parley::control
