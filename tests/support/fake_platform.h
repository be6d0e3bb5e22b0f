// Test support: a real local HTTP server playing the LivePerson platform for the toolbelt's
// CsdsClient/LpClient: every CSDS service ("sentinel", "msgHist", "smt", …) lives on this one
// server ("127.0.0.1:<port>").
//   GET  /api/account/{acct}/service/baseURI.json   {baseURIs: [{service, account, baseURI}]}
//   POST /sentinel/api/account/{acct}/token          form grant_type=client_credentials,
//        client_id, client_secret (must match) → {access_token: "tok-N", token_type: "Bearer",
//        expires_in: 3600}; wrong credentials → 401
//   ANY  /api/echo                                   with a live token: 200 {method, authorization,
//        requestId, body}; otherwise 401
//   POST /api/revoke                                 revokes every issued token (as revokeTokens())
//   POST /messaging_history/api/account/{acct}/conversations/conversation/search (token needed)
//        {conversationHistoryRecords: [the conversation set with setConversation]} when the body's
//        conversationId is its info.conversationId, else []; the last request body is kept
//   POST /api/account/{acct}/monitoring/visitors/{visitor}/visits/current/events?v=1&sid=S
//        (token needed) 200; visitor "broken" → 500; each request kept as {visitor, sid, body}
//   GET  /auth/v1.0 (swift) X-Auth-User "{acct}:gdpr", X-Auth-Key "pw" → X-Auth-Token,
//        X-Storage-Url {base}/v1/AUTH_{acct}; otherwise 401
//   PUT  /v1/AUTH_{acct}/{path} with that token → 201 (path "refuse/…" → 403); kept as
//        {path, contentType, size}
// revokeTokens() makes every issued token answer 401 (to exercise LpClient's retry).
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace parley::http {
class Server;
}

namespace parley::testing {

class FakePlatform {
 public:
  FakePlatform(std::string clientId, std::string clientSecret);
  ~FakePlatform();
  std::string base() const;  // "http://127.0.0.1:<port>"
  int csdsRequests() const;
  int tokensIssued() const;
  void revokeTokens();
  void setConversation(nlohmann::json conversation);
  nlohmann::json lastSearch() const;  // body of the last msgHist search
  nlohmann::json sdeRequests() const;
  nlohmann::json storedFiles() const;

 private:
  std::string clientId_;
  std::string clientSecret_;
  mutable std::mutex mu_;
  std::set<std::string> live_;  // Guarded by mu_
  nlohmann::json conversation_ = nlohmann::json::object();
  nlohmann::json lastSearch_;
  nlohmann::json sdes_ = nlohmann::json::array();
  nlohmann::json files_ = nlohmann::json::array();
  int csds_ = 0;
  int tokens_ = 0;
  std::unique_ptr<http::Server> server_;
};

}  // namespace parley::testing
