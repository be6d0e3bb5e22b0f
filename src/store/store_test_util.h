// Test support for the store tests: a fresh temporary directory per test, a store opened on a
// real file in it, and small builders for records.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "base/clock.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace parley::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parley-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "data" / "parley.db").string();
    open();
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void open() {
    store_.reset();
    auto opened = openSqliteStore(path_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    store_ = std::move(opened).value();
  }

  Store& store() { return *store_; }

  // Runs SQL on the file through a separate raw connection (to look behind the interfaces or to
  // tamper with the file); returns the first column of the first row as an integer, or -1.
  int64_t rawQuery(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    int64_t value = -1;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    EXPECT_TRUE(rc == SQLITE_ROW || rc == SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  // An account most tests build on.
  void seedAccount(const std::string& id = "acme") {
    ASSERT_TRUE(store().accounts().create({id, "Acme " + id, 1000}).ok());
  }

  static FunctionRecord makeFunction(const std::string& accountId, const std::string& name,
                                     const std::string& uuid) {
    FunctionRecord f;
    f.uuid = uuid;
    f.accountId = accountId;
    f.name = name;
    f.description = "the " + name + " function";
    f.skills = {"skill-a", "skill-b"};
    f.createdAt = 10;
    f.createdBy = "user-1";
    f.updatedAt = 11;
    f.updatedBy = "user-2";
    return f;
  }

  static InvocationRecord makeInvocation(const std::string& id, const std::string& accountId,
                                         const std::string& functionUuid, int64_t startedAt) {
    InvocationRecord r;
    r.id = id;
    r.accountId = accountId;
    r.functionUuid = functionUuid;
    r.version = 1;
    r.trigger = "http";
    r.status = "done";
    r.outcome = "SUCCEEDED";
    r.resultJson = R"({"ok":true})";
    r.durationUs = 1234;
    r.coldStart = true;
    r.startedAt = startedAt;
    r.finishedAt = startedAt + 2;
    return r;
  }

  FakeClock clock_;
  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

}  // namespace parley::store::testing
