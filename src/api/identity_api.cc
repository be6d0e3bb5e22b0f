// Routes: login/logout, the current principal, accounts, users, API clients, OAuth2 tokens.
#include <algorithm>

#include "api/api.h"
#include "api/support.h"
#include "base/strings.h"
#include "control/passwords.h"

namespace parley::api {

namespace {

using control::Action;
using control::Principal;
using http::Request;
using http::Respond;

json principalJson(const Principal& p) {
  json j = {{"id", p.id}, {"name", p.name}, {"operator", p.isOperator},
            {"kind", p.kind == Principal::Kind::kUser ? "user" : "client"}};
  if (p.kind == Principal::Kind::kClient) {
    j["accountId"] = p.clientAccountId;
    j["scopes"] = p.scopes;
  }
  return j;
}

json clientJson(const store::ApiClient& c) {
  return {{"clientId", c.clientId}, {"name", c.name}, {"scopes", c.scopes},
          {"createdAt", isoTime(c.createdAt)}, {"revoked", c.revoked}};
}

// application/x-www-form-urlencoded (OAuth2) or JSON.
std::map<std::string, std::string> formOrJson(const Request& r) {
  std::map<std::string, std::string> out;
  auto type = r.header("Content-Type").value_or("");
  if (type.find("application/json") != std::string::npos) {
    json j = json::parse(r.body, nullptr, false);
    if (j.is_object()) {
      for (auto& [k, v] : j.items()) {
        if (v.is_string()) out[k] = v.get<std::string>();
      }
    }
    return out;
  }
  for (const std::string& pair : split(r.body, '&')) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    auto decode = [](std::string s) {
      std::string o;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
          o += ' ';
        } else if (s[i] == '%' && i + 2 < s.size()) {
          o += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          o += s[i];
        }
      }
      return o;
    };
    try {
      out[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
    } catch (...) {
      // malformed escape: the field is simply absent, and reported as missing
    }
  }
  for (auto& [k, v] : r.query) out.emplace(k, v);  // some clients send them in the query
  return out;
}

// OAuth2 client-credentials grant (native and LivePerson's sentinel path share it).
http::Response tokenGrant(ApiContext& ctx, const Request& r) {
  auto form = formOrJson(r);
  auto oauthError = [](int status, const char* error, const std::string& description) {
    return jsonResponse(status, {{"error", error}, {"error_description", description}});
  };
  if (form["grant_type"] != "client_credentials") {
    return oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
  }
  std::string id = form["client_id"], secret = form["client_secret"];
  if (auto basic = r.header("Authorization"); basic && basic->rfind("Basic ", 0) == 0) {
    std::string decoded;
    // client_secret_basic: base64(client_id:client_secret)
    static const std::string kB64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int val = 0, bits = -8;
    for (char c : basic->substr(6)) {
      size_t p = kB64.find(c);
      if (p == std::string::npos) break;
      val = (val << 6) + static_cast<int>(p);
      bits += 6;
      if (bits >= 0) {
        decoded += static_cast<char>((val >> bits) & 0xFF);
        bits -= 8;
      }
    }
    size_t colon = decoded.find(':');
    if (colon != std::string::npos) {
      id = decoded.substr(0, colon);
      secret = decoded.substr(colon + 1);
    }
  }
  if (id.empty() || secret.empty()) {
    return oauthError(400, "invalid_request", "client_id and client_secret are required");
  }
  auto issued = ctx.identity.clientCredentials(r.param("acct"), id, secret);
  if (!issued.ok()) {
    if (issued.error().code() == ErrorCode::kUnauthenticated) {
      return oauthError(401, "invalid_client", issued.error().message());
    }
    return errorResponse(issued.error());
  }
  return jsonResponse(200, {{"access_token", issued->token},
                            {"token_type", "Bearer"},
                            {"expires_in", issued->ttlSeconds}});
}

}  // namespace

void addIdentityRoutes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/auth/login", [&ctx](Request& r, Respond respond) {
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    auto username = stringField(*body, "username", true);
    if (!username.ok()) return respond(errorResponse(username.error()));
    auto password = stringField(*body, "password", true);
    if (!password.ok()) return respond(errorResponse(password.error()));
    auto issued = ctx.identity.login(*username, *password);
    if (!issued.ok()) return respond(errorResponse(issued.error()));
    http::Response resp = jsonResponse(200, {{"token", issued->token},
                                             {"expiresAt", isoTime(issued->expiresAt * 1000)},
                                             {"user", principalJson(issued->principal)}});
    // The console authenticates with an HttpOnly session cookie plus a CSRF cookie it echoes
    // in X-CSRF-Token; API clients use the token and ignore the cookies.
    std::string attrs = "; Path=/; Max-Age=" + std::to_string(issued->ttlSeconds) +
                        "; SameSite=Strict" + (ctx.secure ? "; Secure" : "");
    resp.headers.emplace("Set-Cookie", "parley_session=" + issued->token + attrs + "; HttpOnly");
    resp.headers.emplace("Set-Cookie", "parley_csrf=" + control::randomSecret(16) + attrs);
    respond(std::move(resp));
  }, "Log in with a username and password; returns a bearer token");

  router.add("POST", "/api/v1/auth/logout", [&ctx](Request& r, Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(errorResponse(p.error()));
    if (Status s = ctx.identity.revoke(*p); !s.ok()) return respond(errorResponse(s.error()));
    http::Response resp = jsonResponse(200, {{"loggedOut", true}});
    resp.headers.emplace("Set-Cookie", "parley_session=; Path=/; Max-Age=0");
    resp.headers.emplace("Set-Cookie", "parley_csrf=; Path=/; Max-Age=0");
    respond(std::move(resp));
  }, "Revoke the current token");

  router.add("GET", "/api/v1/me", [&ctx](Request& r, Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(errorResponse(p.error()));
    auto accounts = ctx.identity.accountsVisibleTo(*p);
    if (!accounts.ok()) return respond(errorResponse(accounts.error()));
    json list = json::array();
    for (const auto& a : *accounts) list.push_back({{"id", a.id}, {"name", a.name}});
    json out = principalJson(*p);
    out["accounts"] = list;
    respond(jsonResponse(200, out));
  }, "Who the token belongs to, and the accounts it can see");

  router.add("GET", "/api/v1/accounts", [&ctx](Request& r, Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(errorResponse(p.error()));
    auto accounts = ctx.identity.accountsVisibleTo(*p);
    if (!accounts.ok()) return respond(errorResponse(accounts.error()));
    json list = json::array();
    for (const auto& a : *accounts) {
      list.push_back({{"id", a.id}, {"name", a.name}, {"createdAt", isoTime(a.createdAt)}});
    }
    respond(jsonResponse(200, list));
  }, "List the accounts visible to the caller");

  router.add("POST", "/api/v1/accounts", [&ctx](Request& r, Respond respond) {
    auto p = authenticate(ctx.identity, r);
    if (!p.ok()) return respond(errorResponse(p.error()));
    if (Status s = ctx.identity.requireOperator(*p); !s.ok()) return respond(errorResponse(s.error()));
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    auto id = stringField(*body, "id", true);
    if (!id.ok()) return respond(errorResponse(id.error()));
    auto name = stringField(*body, "name", false);
    if (!name.ok()) return respond(errorResponse(name.error()));
    auto a = ctx.identity.createAccount(*id, *name);
    if (!a.ok()) return respond(errorResponse(a.error()));
    respond(jsonResponse(201, {{"id", a->id}, {"name", a->name}, {"createdAt", isoTime(a->createdAt)}}));
  }, "Create an account (operator)");

  router.add("GET", "/api/v1/accounts/{acct}/users", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageAccess, respond);
    if (!p) return;
    auto users = ctx.identity.users(r.param("acct"));
    if (!users.ok()) return respond(errorResponse(users.error()));
    json list = json::array();
    for (const auto& [u, role] : *users) {
      list.push_back({{"id", u.id}, {"username", u.username}, {"role", store::roleName(role)}});
    }
    respond(jsonResponse(200, list));
  }, "List the account's users and their roles (Admin)");

  router.add("POST", "/api/v1/accounts/{acct}/users", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageAccess, respond);
    if (!p) return;
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    auto username = stringField(*body, "username", true);
    auto password = stringField(*body, "password", false);
    auto roleName = stringField(*body, "role", true);
    for (auto* f : {&username, &password, &roleName}) {
      if (!f->ok()) return respond(errorResponse(f->error()));
    }
    auto role = store::roleFromName(*roleName);
    if (!role) {
      return respond(errorResponse(
          Error::invalidArgument("role must be one of Admin, Developer, Invoker, Viewer")));
    }
    auto u = ctx.identity.createUser(r.param("acct"), *username, *password, *role,
                                     actorOf(*p));
    if (!u.ok()) return respond(errorResponse(u.error()));
    respond(jsonResponse(201, {{"id", u->id}, {"username", u->username},
                               {"role", store::roleName(*role)}}));
  }, "Add a user with a role to the account (Admin)");

  router.add("GET", "/api/v1/accounts/{acct}/clients", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageAccess, respond);
    if (!p) return;
    auto clients = ctx.identity.clients(r.param("acct"));
    if (!clients.ok()) return respond(errorResponse(clients.error()));
    json list = json::array();
    for (const auto& c : *clients) list.push_back(clientJson(c));
    respond(jsonResponse(200, list));
  }, "List API clients (Admin)");

  router.add("POST", "/api/v1/accounts/{acct}/clients", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageAccess, respond);
    if (!p) return;
    auto body = jsonBody(r);
    if (!body.ok()) return respond(errorResponse(body.error()));
    auto name = stringField(*body, "name", true);
    if (!name.ok()) return respond(errorResponse(name.error()));
    std::vector<std::string> scopes;
    if (body->contains("scopes")) {
      const json& s = (*body)["scopes"];
      bool ok = s.is_array() && std::all_of(s.begin(), s.end(), [](const json& x) { return x.is_string(); });
      if (!ok) return respond(errorResponse(Error::invalidArgument("'scopes' must be an array of strings")));
      scopes = s.get<std::vector<std::string>>();
    }
    auto created = ctx.identity.createClient(r.param("acct"), *name, scopes, *p);
    if (!created.ok()) return respond(errorResponse(created.error()));
    json out = clientJson(created->client);
    out["clientSecret"] = created->clientSecret;
    respond(jsonResponse(201, out));
  }, "Create an API client; the secret is shown once (Admin)");

  router.add("DELETE", "/api/v1/accounts/{acct}/clients/{clientId}", [&ctx](Request& r, Respond respond) {
    auto p = allow(ctx.identity, r, Action::kManageAccess, respond);
    if (!p) return;
    if (Status s = ctx.identity.revokeClient(r.param("acct"), r.param("clientId"), actorOf(*p));
        !s.ok()) {
      return respond(errorResponse(s.error()));
    }
    respond(jsonResponse(200, {{"revoked", true}}));
  }, "Revoke an API client and its tokens (Admin)");

  router.add("POST", "/api/v1/accounts/{acct}/oauth/token", [&ctx](Request& r, Respond respond) {
    respond(tokenGrant(ctx, r));
  }, "OAuth2 client-credentials token for an API client");
  router.add("POST", "/sentinel/api/account/{acct}/app/token", [&ctx](Request& r, Respond respond) {
    respond(tokenGrant(ctx, r));
  }, "OAuth2 client-credentials token (LivePerson sentinel path)");
}

}  // namespace parley::api
