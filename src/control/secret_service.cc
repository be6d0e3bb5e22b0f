#include "control/secret_service.h"

#include <nlohmann/json.hpp>

namespace parley::control {

namespace {

std::string associatedData(const std::string& accountId, const std::string& name) {
  return accountId + "/secret/" + name;
}

size_t codePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

SecretInfo infoOf(const store::SecretRecord& r) {
  return {r.name, r.type, r.createdAt, r.createdBy, r.updatedAt, r.updatedBy};
}

// A secret's activity entry names it only: never its value or type change details.
Change secretChange(const std::string& verb, const std::string& name) {
  return {"secret." + verb, "secret", name, "", "Secret '" + name + "' " + verb, ""};
}

}  // namespace

SecretService::SecretService(store::Store& store, vault::Vault& vault, const Clock& clock)
    : store_(store), vault_(vault), clock_(clock) {}

bool SecretService::validName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool SecretService::isSystemName(const std::string& name) {
  return name.starts_with("LIVEPERSON_DEFAULT_") || name.starts_with("PARLEY_");
}

Status SecretService::check(const std::string& name, const std::string& type,
                            const std::string& value) const {
  if (!validName(name)) {
    return Error::invalidArgument(
        "A secret name is 1 to 100 characters of A-Z, a-z, 0-9, '_' and '-'");
  }
  if (type != "plaintext" && type != "json") {
    return Error::invalidArgument("A secret's type is 'plaintext' or 'json'");
  }
  if (codePoints(value) > kMaxSecretValueChars) {
    return Error::invalidArgument("The value of secret '" + name + "' is over " +
                                  std::to_string(kMaxSecretValueChars) + " characters");
  }
  if (type == "json" && !nlohmann::json::accept(value)) {
    return Error::invalidArgument("The value of JSON secret '" + name + "' is not valid JSON");
  }
  return okStatus();
}

Result<store::SecretRecord> SecretService::seal(const std::string& accountId,
                                                const std::string& name, const std::string& type,
                                                const std::string& value,
                                                const std::string& actor) {
  if (Status s = check(name, type, value); !s.ok()) return s.error();
  auto blob = vault_.encrypt(accountId, value, associatedData(accountId, name));
  if (!blob.ok()) return blob.error();
  store::SecretRecord r;
  r.accountId = accountId;
  r.name = name;
  r.type = type;
  r.blob = std::move(blob).value();
  r.createdAt = r.updatedAt = clock_.nowMs();
  r.createdBy = r.updatedBy = actor;
  return r;
}

Result<SecretInfo> SecretService::create(const std::string& accountId, const std::string& name,
                                         const std::string& type, const std::string& value,
                                         const Actor& actor) {
  auto r = seal(accountId, name, type, value, actor.username);
  if (!r.ok()) return r.error();
  Status s = store_.transaction([&]() -> Status {
    if (Status c = store_.secrets().create(*r); !c.ok()) return c;
    return recordActivity(activity_, accountId, actor, secretChange("created", name));
  });
  if (!s.ok()) return s.error();
  return infoOf(*r);
}

Result<SecretInfo> SecretService::replace(const std::string& accountId, const std::string& name,
                                          const std::string& type, const std::string& value,
                                          const Actor& actor, bool* created) {
  auto r = seal(accountId, name, type, value, actor.username);
  if (!r.ok()) return r.error();
  bool isNew = false;
  Status s = store_.transaction([&]() -> Status {
    auto existing = store_.secrets().get(accountId, name);
    if (!existing.ok() && existing.error().code() != ErrorCode::kNotFound) return existing.error();
    isNew = !existing.ok();
    if (!isNew) {
      r->createdAt = existing->createdAt;
      r->createdBy = existing->createdBy;
    }
    if (Status p = store_.secrets().put(*r); !p.ok()) return p;
    return recordActivity(activity_, accountId, actor,
                          secretChange(isNew ? "created" : "replaced", name));
  });
  if (!s.ok()) return s.error();
  if (created) *created = isNew;
  return infoOf(*r);
}

Status SecretService::remove(const std::string& accountId, const std::string& name,
                            const Actor& actor) {
  return store_.transaction([&]() -> Status {
    if (Status r = store_.secrets().remove(accountId, name); !r.ok()) return r;
    return recordActivity(activity_, accountId, actor, secretChange("deleted", name));
  });
}

Result<std::vector<SecretInfo>> SecretService::list(const std::string& accountId) {
  auto rows = store_.secrets().list(accountId);
  if (!rows.ok()) return rows.error();
  std::vector<SecretInfo> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(infoOf(r));
  return out;
}

Result<SecretValue> SecretService::read(const std::string& accountId, const std::string& name) {
  if (!validName(name)) {
    return Error::invalidArgument("'" + name.substr(0, 100) + "' is not a valid secret name");
  }
  auto r = store_.secrets().get(accountId, name);
  if (!r.ok()) {
    if (r.error().code() == ErrorCode::kNotFound) {
      return Error::notFound("Secret '" + name + "' not found");
    }
    return r.error();
  }
  auto plain = vault_.decrypt(accountId, r->blob, associatedData(accountId, name));
  if (!plain.ok()) {
    // Not the caller's fault (tampered row, wrong master key): never "forbidden" or "not found".
    return Error::internal("Secret '" + name + "' cannot be decrypted: " + plain.error().message());
  }
  return SecretValue{name, r->type, std::move(plain).value()};
}

Result<SecretValue> SecretService::update(const std::string& accountId, const std::string& name,
                                          const std::string& value, const std::string& actor) {
  if (!validName(name)) {
    return Error::invalidArgument("'" + name.substr(0, 100) + "' is not a valid secret name");
  }
  if (isSystemName(name)) {
    return Error::permissionDenied("Secret '" + name +
                                   "' is a system secret: functions cannot change it");
  }
  auto notFound = [&] {
    return Error::notFound("Secret '" + name + "' not found; secrets are created by an Admin");
  };
  auto existing = store_.secrets().get(accountId, name);
  if (!existing.ok()) {
    if (existing.error().code() == ErrorCode::kNotFound) return notFound();
    return existing.error();
  }
  // Encrypted outside the transaction: the vault may write a data key, and must not wait for
  // the writer while holding its own lock.
  auto r = seal(accountId, name, existing->type, value, actor);
  if (!r.ok()) return r.error();
  Status s = store_.transaction([&]() -> Status {
    auto current = store_.secrets().get(accountId, name);
    if (!current.ok())
      return current.error().code() == ErrorCode::kNotFound ? notFound() : current.error();
    if (current->type != r->type) {
      return Error::failedPrecondition("Secret '" + name + "' changed meanwhile; retry");
    }
    if (Status p = store_.secrets().put(*r); !p.ok()) return p;
    // A function's change: `actor` names the function.
    return recordActivity(activity_, accountId, {"", actor}, secretChange("updated", name));
  });
  if (!s.ok()) return s.error();
  return SecretValue{name, existing->type, value};
}

}  // namespace parley::control
