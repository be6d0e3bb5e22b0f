// Test support: a real local HTTP server that answers the parts of Salesforce's REST API the
// toolbelt's SFClient uses, with records kept in memory (per sObject type). Every request must
// carry "Authorization: Bearer <token>" (else 401 INVALID_SESSION_ID). Under /services/data/vN.N:
//   GET    /query?q=SOQL             records of the type after "FROM" (case-insensitive), in
//                                   pages of 2 ({totalSize, done, records, nextRecordsUrl});
//                                   no FROM → 400 MALFORMED_QUERY
//   GET    /query/{cursor}           the next page of a query
//   POST   /sobjects/{type}/         201 {id, success: true, errors: []}; no Name → 400
//                                   REQUIRED_FIELD_MISSING
//   GET    /sobjects/{type}/{id}     the record with attributes and Id; unknown → 404 NOT_FOUND
//   PATCH  /sobjects/{type}/{id}     204, fields merged; DELETE → 204
// Errors answer Salesforce's shape [{message, errorCode, fields}].
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace parley::http {
class Server;
}

namespace parley::testing {

class FakeSalesforce {
 public:
  explicit FakeSalesforce(std::string token);
  ~FakeSalesforce();
  std::string base() const;  // "http://127.0.0.1:<port>"
  int queryPages() const;    // GET /query and /query/{cursor} answered so far

 private:
  struct Cursor {
    nlohmann::json records;
    size_t next = 0;
  };
  nlohmann::json page(const std::string& version, Cursor& c, const std::string& cursorId);

  std::string token_;
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, nlohmann::json>> records_;  // type -> id -> fields
  std::map<std::string, Cursor> cursors_;
  int nextId_ = 1;
  int queryPages_ = 0;
  std::unique_ptr<http::Server> server_;
};

}  // namespace parley::testing
