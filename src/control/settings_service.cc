#include "control/settings_service.h"

#include "control/function_rules.h"

namespace parley::control {

namespace {

std::string associatedData(const std::string& accountId) {
  return accountId + "/settings/resultWebhookSecret";
}

SettingsView viewOf(const std::optional<store::AccountSettingsRecord>& r) {
  SettingsView v;
  if (!r) return v;
  v.resultWebhookUrl = r->resultWebhookUrl;
  v.resultWebhookSecretSet = !r->resultWebhookSecretBlob.empty();
  v.updatedAt = r->updatedAt;
  v.updatedBy = r->updatedBy;
  return v;
}

bool validUrl(const std::string& url) {
  std::string rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return false;
  }
  if (rest.empty() || rest[0] == '/' || rest[0] == ':') return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

SettingsService::SettingsService(store::Store& store, vault::Vault& vault, const Clock& clock)
    : store_(store), vault_(vault), clock_(clock) {}

Result<SettingsView> SettingsService::get(const std::string& accountId) {
  auto r = store_.settings().get(accountId);
  if (!r.ok()) return r.error();
  return viewOf(*r);
}

namespace {

// Names the settings that changed; the webhook secret only as "changed" or "cleared".
Change settingsChange(const SettingsChanges& changes) {
  std::string what;
  auto add = [&what](const std::string& part) { what += (what.empty() ? "" : ", ") + part; };
  if (changes.resultWebhookUrl) {
    add(changes.resultWebhookUrl->empty() ? "cleared resultWebhookUrl" : "set resultWebhookUrl");
  }
  if (changes.resultWebhookSecret) {
    add(changes.resultWebhookSecret->empty() ? "cleared resultWebhookSecret"
                                              : "changed resultWebhookSecret");
  }
  if (what.empty()) what = "no fields";
  return {"settings.updated", "account", "settings", "", "Settings: " + what, ""};
}

}  // namespace

Result<SettingsView> SettingsService::update(const std::string& accountId,
                                             const SettingsChanges& changes,
                                             const Actor& actor) {
  std::vector<FieldError> errors;
  if (changes.resultWebhookUrl && !changes.resultWebhookUrl->empty() &&
      (changes.resultWebhookUrl->size() > 2000 || !validUrl(*changes.resultWebhookUrl))) {
    errors.push_back({"resultWebhookUrl", "must be an http:// or https:// URL (at most 2000 "
                                          "characters), or \"\" for none"});
  }
  if (changes.resultWebhookSecret && changes.resultWebhookSecret->size() > 200) {
    errors.push_back({"resultWebhookSecret", "must be at most 200 characters"});
  }
  if (!errors.empty()) return validationError(errors);
  std::optional<std::string> blob;
  if (changes.resultWebhookSecret && !changes.resultWebhookSecret->empty()) {
    auto sealed = vault_.encrypt(accountId, *changes.resultWebhookSecret, associatedData(accountId));
    if (!sealed.ok()) return sealed.error();
    blob = std::move(sealed).value();
  }
  store::AccountSettingsRecord saved;
  Status s = store_.transaction([&]() -> Status {
    auto current = store_.settings().get(accountId);
    if (!current.ok()) return current.error();
    store::AccountSettingsRecord r = current->value_or(store::AccountSettingsRecord{});
    r.accountId = accountId;
    if (changes.resultWebhookUrl) r.resultWebhookUrl = *changes.resultWebhookUrl;
    if (changes.resultWebhookSecret) r.resultWebhookSecretBlob = blob.value_or("");
    r.updatedAt = clock_.nowMs();
    r.updatedBy = actor.username;
    saved = r;
    if (Status p = store_.settings().put(r); !p.ok()) return p;
    return recordActivity(activity_, accountId, actor, settingsChange(changes));
  });
  if (!s.ok()) return s.error();
  return viewOf(saved);
}

Result<std::optional<WebhookTarget>> SettingsService::webhookTarget(const std::string& accountId) {
  auto r = store_.settings().get(accountId);
  if (!r.ok()) return r.error();
  if (!r->has_value() || (*r)->resultWebhookUrl.empty()) return std::optional<WebhookTarget>();
  WebhookTarget t;
  t.url = (*r)->resultWebhookUrl;
  if (!(*r)->resultWebhookSecretBlob.empty()) {
    auto secret = vault_.decrypt(accountId, (*r)->resultWebhookSecretBlob, associatedData(accountId));
    if (!secret.ok()) return secret.error();
    t.secret = std::move(secret).value();
  }
  return std::optional<WebhookTarget>(std::move(t));
}

}  // namespace parley::control
