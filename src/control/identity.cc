#include "control/identity.h"

#include <algorithm>

#include "base/strings.h"
#include "control/passwords.h"

namespace parley::control {

namespace {

using store::Role;

constexpr const char* kOperatorName = "admin";
constexpr const char* kDefaultAccount = "default";

bool allowedForRole(Role role, Action action) {
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kDeveloper:
      return action != Action::kManageSecrets && action != Action::kManageAccess;
    case Role::kInvoker:  // bots and systems: they share conversation context too
      return action == Action::kRead || action == Action::kInvoke ||
             action == Action::kReadContext || action == Action::kWriteContext;
    case Role::kViewer:
      return action == Action::kRead;
  }
  return false;
}

bool hasScope(const Principal& p, const std::string& scope) {
  return std::find(p.scopes.begin(), p.scopes.end(), scope) != p.scopes.end();
}

bool allowedForClient(const Principal& p, Action action) {
  bool manage = hasScope(p, "functions.manage");
  bool invoke = manage || hasScope(p, "functions.invoke") || hasScope(p, "faas.lambda.invoke");
  switch (action) {
    case Action::kRead: return invoke || hasScope(p, "functions.read");
    case Action::kInvoke: return invoke;
    case Action::kManageFunctions: return manage;
    case Action::kPublishEvents: return hasScope(p, "events.publish");
    case Action::kReadSecretNames: return manage;
    case Action::kReadContext:
      return hasScope(p, "context.read") || hasScope(p, "context.write");
    case Action::kWriteContext: return hasScope(p, "context.write");
    case Action::kManageSecrets:
    case Action::kManageAccess: return false;
  }
  return false;
}

// Same message whether the user does not exist or the password is wrong.
Error badCredentials() { return Error::unauthenticated("Wrong username or password"); }

}  // namespace

const std::vector<std::string>& knownScopes() {
  static const std::vector<std::string> scopes = {
      "functions.read", "functions.invoke", "functions.manage", "events.publish",
      "faas.lambda.invoke", "context.read", "context.write"};
  return scopes;
}

bool isValidAccountId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && c == '-');
    if (!ok) return false;
  }
  return true;
}

IdentityService::IdentityService(store::Store& store, const TokenSigner& signer,
                                 const Clock& clock, IdentityOptions options)
    : store_(store), signer_(signer), clock_(clock), options_(options) {}

Status IdentityService::bootstrap(const std::string& adminPassword, std::string* generated) {
  if (generated) generated->clear();
  auto existing = store_.users().getByUsername(kOperatorName);
  if (!existing.ok()) {
    if (existing.error().code() != ErrorCode::kNotFound) return existing.error();
    std::string password = adminPassword;
    if (password.empty()) {
      password = randomSecret(18);
      if (generated) *generated = password;
    }
    auto hash = hashPassword(password);
    if (!hash.ok()) return hash.error();
    store::User admin{randomUuid(), kOperatorName, *hash, true, clock_.nowMs()};
    if (Status s = store_.users().create(admin); !s.ok()) return s;
  } else if (!adminPassword.empty() && !verifyPassword(adminPassword, existing->passwordHash)) {
    // PARLEY_ADMIN_PASSWORD is the operator's password: a changed value takes effect.
    auto hash = hashPassword(adminPassword);
    if (!hash.ok()) return hash.error();
    if (Status s = store_.users().setPasswordHash(existing->id, *hash); !s.ok()) return s;
  }
  auto account = store_.accounts().get(kDefaultAccount);
  if (!account.ok()) {
    if (account.error().code() != ErrorCode::kNotFound) return account.error();
    Status s = store_.accounts().create({kDefaultAccount, "Default account", clock_.nowMs()});
    if (!s.ok() && s.error().code() != ErrorCode::kAlreadyExists) return s;
  }
  return okStatus();
}

Result<IssuedToken> IdentityService::login(const std::string& username,
                                           const std::string& password) {
  auto user = store_.users().getByUsername(username);
  if (!user.ok()) {
    if (user.error().code() != ErrorCode::kNotFound) return user.error();
    verifyPassword(password, "");  // no timing difference worth measuring
    return badCredentials();
  }
  if (!verifyPassword(password, user->passwordHash)) return badCredentials();
  TokenClaims claims;
  claims.subject = user->id;
  claims.type = "user";
  IssuedToken out;
  out.token = signer_.issue(claims, options_.userTokenTtlSeconds);
  out.expiresAt = claims.expiresAt;
  out.ttlSeconds = options_.userTokenTtlSeconds;
  out.principal = Principal{Principal::Kind::kUser, user->id, user->username, user->isOperator,
                            {}, {}, claims.tokenId, claims.expiresAt};
  return out;
}

Result<IssuedToken> IdentityService::clientCredentials(const std::string& accountId,
                                                       const std::string& clientId,
                                                       const std::string& clientSecret) {
  auto client = store_.clients().get(clientId);
  if (!client.ok() || client->accountId != accountId || client->revoked ||
      !verifyPassword(clientSecret, client->secretHash)) {
    if (!client.ok() && client.error().code() != ErrorCode::kNotFound) return client.error();
    return Error::unauthenticated("Invalid client credentials");
  }
  TokenClaims claims;
  claims.subject = client->clientId;
  claims.type = "client";
  claims.accountId = client->accountId;
  claims.scopes = client->scopes;
  IssuedToken out;
  out.token = signer_.issue(claims, options_.clientTokenTtlSeconds);
  out.expiresAt = claims.expiresAt;
  out.ttlSeconds = options_.clientTokenTtlSeconds;
  out.principal = Principal{Principal::Kind::kClient, client->clientId, client->name, false,
                            client->accountId, client->scopes, claims.tokenId, claims.expiresAt};
  return out;
}

Result<Principal> IdentityService::authenticate(const std::string& bearerToken) {
  int64_t now = clock_.nowMs();
  uint64_t generation;
  {
    // The exact token string was verified when it was cached: only its expiry is checked again.
    std::lock_guard lock(cacheMu_);
    auto it = principals_.find(bearerToken);
    if (it != principals_.end() && now - it->second.atMs < options_.cacheTtlMs &&
        now / 1000 < it->second.value.expiresAt) {
      return it->second.value;
    }
    generation = revocationGeneration_;
  }
  auto claims = signer_.verify(bearerToken);  // signature and expiry
  if (!claims.ok()) return claims.error();
  auto revoked = store_.revocations().isRevoked(claims->tokenId);
  if (!revoked.ok()) return revoked.error();
  if (*revoked) return Error::unauthenticated("The token has been revoked");
  Principal p;
  p.id = claims->subject;
  p.tokenId = claims->tokenId;
  p.expiresAt = claims->expiresAt;
  if (claims->type == "user") {
    auto user = store_.users().get(claims->subject);
    if (!user.ok()) return Error::unauthenticated("The token's user no longer exists");
    p.kind = Principal::Kind::kUser;
    p.name = user->username;
    p.isOperator = user->isOperator;
  } else {
    auto client = store_.clients().get(claims->subject);
    if (!client.ok() || client->revoked) {
      return Error::unauthenticated("The token's API client has been revoked");
    }
    p.kind = Principal::Kind::kClient;
    p.name = client->name;
    p.clientAccountId = client->accountId;
    p.scopes = client->scopes;
  }
  std::lock_guard lock(cacheMu_);
  if (generation != revocationGeneration_) return p;
  if (principals_.size() > 100'000) principals_.clear();  // bounded; refills from the store
  principals_[bearerToken] = {p, now};
  return p;
}

Result<std::optional<Role>> IdentityService::cachedRole(const std::string& accountId,
                                                         const std::string& userId) {
  int64_t now = clock_.nowMs();
  auto key = std::pair{accountId, userId};
  {
    std::lock_guard lock(cacheMu_);
    auto it = roles_.find(key);
    if (it != roles_.end() && now - it->second.atMs < options_.cacheTtlMs) return it->second.value;
  }
  auto role = store_.users().roleIn(accountId, userId);
  if (!role.ok()) return role.error();
  std::lock_guard lock(cacheMu_);
  if (roles_.size() > 100'000) roles_.clear();
  roles_[key] = {*role, now};
  return *role;
}

Result<bool> IdentityService::accountExists(const std::string& accountId) {
  int64_t now = clock_.nowMs();
  {
    std::lock_guard lock(cacheMu_);
    auto it = accounts_.find(accountId);
    if (it != accounts_.end() && now - it->second < options_.cacheTtlMs) return true;
  }
  auto account = store_.accounts().get(accountId);
  if (!account.ok()) {
    if (account.error().code() == ErrorCode::kNotFound) return false;
    return account.error();
  }
  std::lock_guard lock(cacheMu_);
  if (accounts_.size() > 100'000) accounts_.clear();
  accounts_[accountId] = now;
  return true;
}

Status IdentityService::revoke(const Principal& principal) {
  Status s = store_.revocations().revoke(principal.tokenId, principal.expiresAt);
  // Revoked tokens past their expiry are dead anyway: keep the list short as we go.
  (void)store_.revocations().purgeExpired(clock_.nowMs() / 1000);
  std::lock_guard lock(cacheMu_);
  ++revocationGeneration_;
  std::erase_if(principals_,
                [&](const auto& e) { return e.second.value.tokenId == principal.tokenId; });
  return s;
}

Result<store::Account> IdentityService::createAccount(const std::string& id,
                                                      const std::string& name) {
  if (!isValidAccountId(id)) {
    return Error::invalidArgument(
        "id must match [a-z0-9][a-z0-9-]{0,63} (lower-case letters, digits and dashes)");
  }
  if (name.size() > 200) return Error::invalidArgument("name must be at most 200 characters");
  store::Account a{id, name.empty() ? id : name, clock_.nowMs()};
  if (Status s = store_.accounts().create(a); !s.ok()) return s.error();
  std::lock_guard lock(cacheMu_);
  accounts_[id] = clock_.nowMs();
  return a;
}

Result<std::vector<store::Account>> IdentityService::accountsVisibleTo(const Principal& p) {
  auto all = store_.accounts().list();
  if (!all.ok() || p.isOperator) return all;
  std::vector<store::Account> visible;
  for (auto& a : *all) {
    if (p.kind == Principal::Kind::kClient) {
      if (a.id == p.clientAccountId) visible.push_back(a);
      continue;
    }
    auto role = store_.users().roleIn(a.id, p.id);
    if (!role.ok()) return role.error();
    if (*role) visible.push_back(a);
  }
  return visible;
}

Result<store::User> IdentityService::createUser(const std::string& accountId,
                                                const std::string& username,
                                                const std::string& password, Role role,
                                                const Actor& actor) {
  if (username.empty() || username.size() > 100 ||
      username.find_first_of(" \t\r\n/") != std::string::npos) {
    return Error::invalidArgument("username must be 1 to 100 characters without spaces or '/'");
  }
  auto account = store_.accounts().get(accountId);
  if (!account.ok()) return account.error();
  store::User user;
  Status s = store_.transaction([&]() -> Status {
    auto existing = store_.users().getByUsername(username);
    if (existing.ok()) {
      // An existing user (of another account) is given a role here, with their own password;
      // a different password given for them is a mistake worth reporting.
      if (!password.empty() && !verifyPassword(password, existing->passwordHash)) {
        return Error::alreadyExists("A user named '" + username +
                                    "' already exists (omit the password to add them here)");
      }
      user = *existing;
    } else if (existing.error().code() != ErrorCode::kNotFound) {
      return existing.error();
    } else {
      if (password.size() < 8) {
        return Error::invalidArgument("password must be at least 8 characters");
      }
      auto hash = hashPassword(password);
      if (!hash.ok()) return hash.error();
      user = store::User{randomUuid(), username, *hash, false, clock_.nowMs()};
      if (Status c = store_.users().create(user); !c.ok()) return c;
    }
    if (Status r = store_.users().setRole({accountId, user.id, role}); !r.ok()) return r;
    return recordActivity(activity_, accountId, actor,
                          {"user.added", "user", user.id, user.username,
                           "Added user '" + user.username + "' as " + store::roleName(role), ""});
  });
  {
    std::lock_guard lock(cacheMu_);
    roles_.erase(std::pair{accountId, user.id});
  }
  if (!s.ok()) return s.error();
  return user;
}

Result<std::vector<std::pair<store::User, Role>>> IdentityService::users(
    const std::string& accountId) {
  return store_.users().listInAccount(accountId);
}

Result<CreatedClient> IdentityService::createClient(const std::string& accountId,
                                                    const std::string& name,
                                                    const std::vector<std::string>& scopes,
                                                    const Principal& creator) {
  if (name.empty() || name.size() > 100) {
    return Error::invalidArgument("name must be 1 to 100 characters");
  }
  if (scopes.empty()) {
    return Error::invalidArgument("scopes must list at least one of: " + join(knownScopes(), ", "));
  }
  for (const std::string& s : scopes) {
    if (std::find(knownScopes().begin(), knownScopes().end(), s) == knownScopes().end()) {
      return Error::invalidArgument("unknown scope '" + s + "'; known scopes: " +
                                    join(knownScopes(), ", "));
    }
  }
  CreatedClient out;
  out.clientSecret = randomSecret(32);
  auto hash = hashPassword(out.clientSecret);
  if (!hash.ok()) return hash.error();
  out.client = store::ApiClient{randomUuid(), accountId, name, *hash, scopes,
                                clock_.nowMs(), creator.id, false};
  Status s = store_.transaction([&]() -> Status {
    if (Status c = store_.clients().create(out.client); !c.ok()) return c;
    return recordActivity(activity_, accountId, {creator.id, creator.name},
                          {"client.created", "client", out.client.clientId, name,
                           "Created API client '" + name + "' (" + join(scopes, ", ") + ")", ""});
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<std::vector<store::ApiClient>> IdentityService::clients(const std::string& accountId) {
  return store_.clients().list(accountId);
}

Status IdentityService::revokeClient(const std::string& accountId, const std::string& clientId,
                                     const Actor& actor) {
  Status s = store_.transaction([&]() -> Status {
    if (Status r = store_.clients().revoke(accountId, clientId); !r.ok()) return r;
    return recordActivity(activity_, accountId, actor,
                          {"client.revoked", "client", clientId, "", "Revoked API client", ""});
  });
  std::lock_guard lock(cacheMu_);
  ++revocationGeneration_;
  std::erase_if(principals_, [&](const auto& e) {
    return e.second.value.kind == Principal::Kind::kClient && e.second.value.id == clientId;
  });
  return s;
}

Status IdentityService::authorize(const Principal& p, const std::string& accountId,
                                  Action action) {
  auto notFound = [&] { return Error::notFound("No account '" + accountId + "'"); };
  if (p.kind == Principal::Kind::kClient) {
    if (p.clientAccountId != accountId) return notFound();
    if (!allowedForClient(p, action)) {
      return Error::permissionDenied("This API client's scopes do not allow this");
    }
    return okStatus();
  }
  auto exists = accountExists(accountId);
  if (!exists.ok()) return exists.error();
  if (!*exists) return notFound();
  if (p.isOperator) return okStatus();
  auto role = cachedRole(accountId, p.id);
  if (!role.ok()) return role.error();
  if (!*role) return notFound();
  if (!allowedForRole(**role, action)) {
    return Error::permissionDenied(std::string("The ") + store::roleName(**role) +
                                   " role does not allow this");
  }
  return okStatus();
}

Status IdentityService::requireOperator(const Principal& p) {
  if (p.isOperator) return okStatus();
  return Error::permissionDenied("Only the server operator can do this");
}

}  // namespace parley::control
