// Identity and access (SPEC §4): the operator and first-start bootstrap, accounts, users with a
// role per account, API clients with scopes, bearer tokens (login, client credentials, revoke)
// and the one authorisation rule set.
//
// Access to an account the principal has nothing to do with is kNotFound (never reveals that
// the account or object exists); access with too little rights is kPermissionDenied.
//
// The hot path (authenticate + authorize on every request) is served from a small cache:
// principals by the exact token they were verified from (a token seen before skips the signature
// check, never the expiry), roles by (account, user), known accounts. Changes made
// through this service (revoke, revokeClient, createUser, createAccount) invalidate it at once;
// entries also expire after `cacheTtlMs` so changes made elsewhere (another node, later) are
// seen within that time.
// Thread-safety: thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "control/activity.h"
#include "control/tokens.h"
#include "store/store.h"

namespace parley::control {

struct Principal {
  enum class Kind { kUser, kClient };
  Kind kind = Kind::kUser;
  std::string id;    // user id or client id
  std::string name;  // username or client name
  bool isOperator = false;
  std::string clientAccountId;     // clients: their account
  std::vector<std::string> scopes;  // clients
  std::string tokenId;
  int64_t expiresAt = 0;  // seconds since epoch
};

// What a request wants to do in an account.
enum class Action {
  kRead,             // functions, versions, logs, metrics, schedules, events, activity
  kInvoke,           // invoke and test functions
  kManageFunctions,  // create, edit, deploy, undeploy, delete; schedules
  kPublishEvents,
  kManageSecrets,    // create, replace, delete secret values; allowlist
  kReadSecretNames,
  kManageAccess,     // users and API clients
  kReadContext,      // the context store (SPEC §8): read namespaces, sessions, properties
  kWriteContext,     // the context store: create and delete namespaces, write properties
};

struct IdentityOptions {
  int64_t userTokenTtlSeconds = 12 * 3600;
  int64_t clientTokenTtlSeconds = 3600;
  int64_t cacheTtlMs = 5000;
};

struct IssuedToken {
  std::string token;
  int64_t expiresAt = 0;   // seconds since epoch
  int64_t ttlSeconds = 0;  // lifetime from issue
  Principal principal;
};

struct CreatedClient {
  store::ApiClient client;
  std::string clientSecret;  // shown once
};

// The scopes an API client may hold. LivePerson's "faas.lambda.invoke" is accepted as an alias
// of functions.invoke so LivePerson's clients work unchanged.
const std::vector<std::string>& knownScopes();

class IdentityService {
 public:
  IdentityService(store::Store& store, const TokenSigner& signer, const Clock& clock,
                  IdentityOptions options = {});

  // First start: creates the operator "admin" (with `adminPassword`, or a generated one returned
  // in *generated) and the account "default" if they do not exist. Idempotent.
  Status bootstrap(const std::string& adminPassword, std::string* generated);

  Result<IssuedToken> login(const std::string& username, const std::string& password);
  Result<IssuedToken> clientCredentials(const std::string& accountId, const std::string& clientId,
                                        const std::string& clientSecret);
  Result<Principal> authenticate(const std::string& bearerToken);
  Status revoke(const Principal& principal);

  Result<store::Account> createAccount(const std::string& id, const std::string& name);
  Result<std::vector<store::Account>> accountsVisibleTo(const Principal& principal);

  // Adding users (with their role) and creating/revoking API clients are recorded in the
  // activity stream when a sink is set (names, ids and roles: never passwords or secrets).
  void setActivitySink(ActivitySink* sink) { activity_ = sink; }

  Result<store::User> createUser(const std::string& accountId, const std::string& username,
                                 const std::string& password, store::Role role,
                                 const Actor& actor);
  Result<std::vector<std::pair<store::User, store::Role>>> users(const std::string& accountId);

  Result<CreatedClient> createClient(const std::string& accountId, const std::string& name,
                                     const std::vector<std::string>& scopes,
                                     const Principal& creator);
  Result<std::vector<store::ApiClient>> clients(const std::string& accountId);
  Status revokeClient(const std::string& accountId, const std::string& clientId,
                      const Actor& actor);

  // ok, kNotFound (no access to the account at all) or kPermissionDenied.
  Status authorize(const Principal& principal, const std::string& accountId, Action action);
  // Operators only (creating accounts, server metrics).
  Status requireOperator(const Principal& principal);

 private:
  Result<std::optional<store::Role>> cachedRole(const std::string& accountId,
                                                 const std::string& userId);
  Result<bool> accountExists(const std::string& accountId);

  store::Store& store_;
  const TokenSigner& signer_;
  const Clock& clock_;
  ActivitySink* activity_ = nullptr;
  const IdentityOptions options_;

  template <typename T>
  struct Cached {
    T value;
    int64_t atMs;
  };
  std::mutex cacheMu_;
  // By the whole bearer token; Guarded by cacheMu_
  std::unordered_map<std::string, Cached<Principal>> principals_;
  std::map<std::pair<std::string, std::string>, Cached<std::optional<store::Role>>>
      roles_;                                             // Guarded by cacheMu_
  std::map<std::string, int64_t> accounts_;               // id → when seen; Guarded by cacheMu_
  // Bumped by every revocation: a principal read from the store while one happened is not
  // cached (it may be the one just revoked). Guarded by cacheMu_.
  uint64_t revocationGeneration_ = 0;
};

bool isValidAccountId(const std::string& id);

}  // namespace parley::control
