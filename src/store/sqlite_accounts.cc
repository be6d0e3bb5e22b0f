// Accounts, users and their memberships, API clients, revoked tokens.
#include "store/sqlite_store_impl.h"

namespace parley::store::sqlite {
namespace {

Result<Account> decodeAccount(Statement& row) {
  Account a;
  a.id = row.text(0);
  a.name = row.text(1);
  a.createdAt = row.integer(2);
  return a;
}

constexpr const char* kUserColumns = "id, username, password_hash, is_operator, created_at";

Result<User> decodeUser(Statement& row) {
  User u;
  u.id = row.text(0);
  u.username = row.text(1);
  u.passwordHash = row.text(2);
  u.isOperator = row.boolean(3);
  u.createdAt = row.integer(4);
  return u;
}

Result<Role> decodeRole(const std::string& name, const std::string& accountId,
                        const std::string& userId) {
  std::optional<Role> role = roleFromName(name);
  if (!role) {
    return Error::invalidArgument("unknown role " + quoted(name) + " stored for user " +
                                  quoted(userId) + " in account " + quoted(accountId));
  }
  return *role;
}

constexpr const char* kClientColumns =
    "client_id, account_id, name, secret_hash, scopes, created_at, created_by, revoked";

Result<ApiClient> decodeClient(Statement& row) {
  ApiClient c;
  c.clientId = row.text(0);
  c.accountId = row.text(1);
  c.name = row.text(2);
  c.secretHash = row.text(3);
  Result<std::vector<std::string>> scopes =
      decodeStringList(row.text(4), "the scopes of API client " + quoted(c.clientId));
  if (!scopes.ok()) return std::move(scopes).takeError();
  c.scopes = std::move(scopes).value();
  c.createdAt = row.integer(5);
  c.createdBy = row.text(6);
  c.revoked = row.boolean(7);
  return c;
}

Result<bool> exists(Connection& c, const char* sql, const std::string& key) {
  Result<std::optional<bool>> row =
      c.prepare(sql).bind(key).first<bool>([](Statement&) { return Result<bool>(true); });
  if (!row.ok()) return std::move(row).takeError();
  return row->has_value();
}

}  // namespace

// ---- accounts ----

Status SqliteAccounts::create(const Account& a) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare("INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)")
                            .bind(a.id, a.name, a.createdAt)
                            .run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 "account " + quoted(a.id) + " already exists");
    }
    return okStatus();
  });
}

Result<Account> SqliteAccounts::get(const std::string& id) {
  return store_.read([&](Connection& c) {
    return foundOr(c.prepare("SELECT id, name, created_at FROM accounts WHERE id = ?")
                       .bind(id)
                       .first<Account>(decodeAccount),
                   "account " + quoted(id) + " not found");
  });
}

Result<std::vector<Account>> SqliteAccounts::list() {
  return store_.read([&](Connection& c) {
    return c.prepare("SELECT id, name, created_at FROM accounts ORDER BY id")
        .all<Account>(decodeAccount);
  });
}

// ---- users ----

Status SqliteUsers::create(const User& u) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare(
             "INSERT INTO users (id, username, password_hash, is_operator, created_at) "
             "VALUES (?, ?, ?, ?, ?)")
            .bind(u.id, u.username, u.passwordHash, u.isOperator, u.createdAt)
            .run();
    if (r.ok()) return okStatus();
    Error e = std::move(r).takeError();
    // Two unique keys: SQLite's message names the column that collided.
    bool byName = e.message().find("users.username") != std::string::npos;
    return nameConstraintError(std::move(e),
                               byName ? "a user named " + quoted(u.username) + " already exists"
                                      : "a user with id " + quoted(u.id) + " already exists");
  });
}

Result<User> SqliteUsers::get(const std::string& id) {
  return store_.read([&](Connection& c) {
    return foundOr(c.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?")
                       .bind(id)
                       .first<User>(decodeUser),
                   "user " + quoted(id) + " not found");
  });
}

Result<User> SqliteUsers::getByUsername(const std::string& username) {
  return store_.read([&](Connection& c) {
    return foundOr(
        c.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?")
            .bind(username)
            .first<User>(decodeUser),
        "user " + quoted(username) + " not found");
  });
}

Status SqliteUsers::setPasswordHash(const std::string& userId, const std::string& hash) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> changed =
        c.prepare("UPDATE users SET password_hash = ? WHERE id = ?").bind(hash, userId).run();
    if (!changed.ok()) return std::move(changed).takeError();
    if (*changed == 0) return Error::notFound("user " + quoted(userId) + " not found");
    return okStatus();
  });
}

Status SqliteUsers::setRole(const Membership& m) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r = c.prepare(
                             "INSERT INTO memberships (account_id, user_id, role) VALUES (?, ?, ?) "
                             "ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role")
                            .bind(m.accountId, m.userId, roleName(m.role))
                            .run();
    if (r.ok()) return okStatus();
    Error e = std::move(r).takeError();
    if (e.code() != ErrorCode::kNotFound) return e;
    // A foreign key failed; say which row is missing.
    Result<bool> account = exists(c, "SELECT 1 FROM accounts WHERE id = ?", m.accountId);
    if (!account.ok()) return std::move(account).takeError();
    if (!*account) return Error::notFound("account " + quoted(m.accountId) + " not found");
    return Error::notFound("user " + quoted(m.userId) + " not found");
  });
}

Status SqliteUsers::removeRole(const std::string& accountId, const std::string& userId) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> removed =
        c.prepare("DELETE FROM memberships WHERE account_id = ? AND user_id = ?")
            .bind(accountId, userId)
            .run();
    if (!removed.ok()) return std::move(removed).takeError();
    if (*removed == 0) {
      return Error::notFound("user " + quoted(userId) + " has no role in account " +
                             quoted(accountId));
    }
    return okStatus();
  });
}

Result<std::optional<Role>> SqliteUsers::roleIn(const std::string& accountId,
                                                const std::string& userId) {
  return store_.read([&](Connection& c) -> Result<std::optional<Role>> {
    Result<std::optional<Role>> role =
        c.prepare("SELECT role FROM memberships WHERE account_id = ? AND user_id = ?")
            .bind(accountId, userId)
            .first<Role>(
                [&](Statement& row) { return decodeRole(row.text(0), accountId, userId); });
    if (!role.ok()) return std::move(role).takeError();
    return std::move(role).value();
  });
}

Result<std::vector<std::pair<User, Role>>> SqliteUsers::listInAccount(
    const std::string& accountId) {
  return store_.read([&](Connection& c) {
    return c
        .prepare(
            "SELECT u.id, u.username, u.password_hash, u.is_operator, u.created_at, m.role "
            "FROM memberships m JOIN users u ON u.id = m.user_id "
            "WHERE m.account_id = ? ORDER BY u.username")
        .bind(accountId)
        .all<std::pair<User, Role>>([&](Statement& row) -> Result<std::pair<User, Role>> {
          Result<User> user = decodeUser(row);
          if (!user.ok()) return std::move(user).takeError();
          Result<Role> role = decodeRole(row.text(5), accountId, user->id);
          if (!role.ok()) return std::move(role).takeError();
          return std::make_pair(std::move(user).value(), *role);
        });
  });
}

// ---- API clients ----

Status SqliteClients::create(const ApiClient& a) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> r =
        c.prepare(
             "INSERT INTO api_clients (client_id, account_id, name, secret_hash, scopes, "
             "created_at, created_by, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(a.clientId, a.accountId, a.name, a.secretHash, encodeStringList(a.scopes),
                  a.createdAt, a.createdBy, a.revoked)
            .run();
    if (!r.ok()) {
      return nameConstraintError(std::move(r).takeError(),
                                 "an API client with id " + quoted(a.clientId) + " already exists",
                                 "account " + quoted(a.accountId) + " not found");
    }
    return okStatus();
  });
}

Result<ApiClient> SqliteClients::get(const std::string& clientId) {
  return store_.read([&](Connection& c) {
    return foundOr(
        c.prepare(std::string("SELECT ") + kClientColumns + " FROM api_clients WHERE client_id = ?")
            .bind(clientId)
            .first<ApiClient>(decodeClient),
        "API client " + quoted(clientId) + " not found");
  });
}

Result<std::vector<ApiClient>> SqliteClients::list(const std::string& accountId) {
  return store_.read([&](Connection& c) {
    return c
        .prepare(std::string("SELECT ") + kClientColumns +
                 " FROM api_clients WHERE account_id = ? ORDER BY created_at, client_id")
        .bind(accountId)
        .all<ApiClient>(decodeClient);
  });
}

Status SqliteClients::revoke(const std::string& accountId, const std::string& clientId) {
  return store_.write([&](Connection& c) -> Status {
    Result<int64_t> changed =
        c.prepare("UPDATE api_clients SET revoked = 1 WHERE client_id = ? AND account_id = ?")
            .bind(clientId, accountId)
            .run();
    if (!changed.ok()) return std::move(changed).takeError();
    if (*changed == 0) {
      return Error::notFound("API client " + quoted(clientId) + " not found in account " +
                             quoted(accountId));
    }
    return okStatus();
  });
}

// ---- revoked tokens ----

Status SqliteRevocations::revoke(const std::string& tokenId, int64_t expiresAt) {
  return store_.write([&](Connection& c) -> Status {
    // Revoking twice keeps the later expiry: the entry must outlive every copy of the token.
    Result<int64_t> r =
        c.prepare(
             "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) "
             "ON CONFLICT (jti) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)")
            .bind(tokenId, expiresAt)
            .run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

Result<bool> SqliteRevocations::isRevoked(const std::string& tokenId) {
  return store_.read([&](Connection& c) {
    return exists(c, "SELECT 1 FROM revoked_tokens WHERE jti = ?", tokenId);
  });
}

Status SqliteRevocations::purgeExpired(int64_t now) {
  return store_.write([&](Connection& c) -> Status {
    // Strictly before `now`: kept until no token check, however it compares, can accept it.
    Result<int64_t> r =
        c.prepare("DELETE FROM revoked_tokens WHERE expires_at < ?").bind(now).run();
    if (!r.ok()) return std::move(r).takeError();
    return okStatus();
  });
}

}  // namespace parley::store::sqlite
