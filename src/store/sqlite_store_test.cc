// The store as a whole: files, schema versions, reopening, transactions, concurrency.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "store/store_test_util.h"

namespace parley::store {
namespace {

using testing::StoreTest;

mode_t modeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST_F(StoreTest, FilesArePrivate) {
  seedAccount();  // makes sure the -wal file exists
  EXPECT_EQ(modeOf(path_), 0600u);
  EXPECT_EQ(modeOf(path_ + "-wal"), 0600u);
  EXPECT_EQ(modeOf((dir_ / "data").string()), 0700u);
}

TEST_F(StoreTest, UsesWalAndRecordsTheSchemaVersion) {
  EXPECT_EQ(rawQuery("SELECT MAX(version) FROM schema_version"), sqliteSchemaVersion());
  // Migration numbers are assigned ahead of time and may land out of order: count, not max.
  int64_t applied = rawQuery("SELECT COUNT(*) FROM schema_version");
  EXPECT_GE(applied, 1);
  EXPECT_EQ(rawQuery("SELECT applied_at FROM schema_version WHERE version = 1"), clock_.nowMs());
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
  // Opening again applies nothing new.
  open();
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM schema_version"), applied);
}

// A migration that landed after a higher-numbered one (parallel branches) is still applied to a
// database that already has the higher one.
TEST_F(StoreTest, AppliesAMissingLowerMigration) {
  store_.reset();
  rawQuery("DROP TABLE domains");
  rawQuery("DELETE FROM schema_version WHERE version = 5");
  ASSERT_EQ(rawQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'domains'"), 0);
  open();
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM schema_version WHERE version = 5"), 1);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'domains'"), 1);
}

TEST_F(StoreTest, RefusesASchemaNewerThanTheCode) {
  store_.reset();
  rawQuery("INSERT INTO schema_version (version, applied_at) VALUES (" +
           std::to_string(sqliteSchemaVersion() + 1) + ", 0)");
  auto reopened = openSqliteStore(path_, clock_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code(), ErrorCode::kFailedPrecondition);
  const std::string& message = reopened.error().message();
  EXPECT_NE(message.find("schema version " + std::to_string(sqliteSchemaVersion() + 1)),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("newer"), std::string::npos) << message;
  EXPECT_NE(message.find(path_), std::string::npos) << message;
}

TEST_F(StoreTest, RefusesAFileThatIsNotADatabase) {
  store_.reset();
  std::filesystem::remove(path_ + "-wal");
  std::filesystem::remove(path_ + "-shm");
  FILE* f = fopen(path_.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("this is not a database, just some text long enough to look like a header.......", f);
  fclose(f);
  auto reopened = openSqliteStore(path_, clock_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code(), ErrorCode::kInternal);
  EXPECT_NE(reopened.error().message().find("not a database"), std::string::npos)
      << reopened.error().message();
}

TEST_F(StoreTest, RefusesAnInMemoryPath) {
  auto mem = openSqliteStore(":memory:", clock_);
  ASSERT_FALSE(mem.ok());
  EXPECT_EQ(mem.error().code(), ErrorCode::kInvalidArgument);
}

// Checkpoints run in the background (checkpointer.h): the database file grows while the store is
// open, though no commit reached the inline limit.
TEST_F(StoreTest, CheckpointsRunWhileOpen) {
  auto fileSize = [&](const std::string& p) {
    std::error_code ec;
    auto n = std::filesystem::file_size(p, ec);
    return ec ? uintmax_t{0} : n;
  };
  uintmax_t before = fileSize(path_);
  // About 9 WAL pages per put: past the 1000-page threshold, well short of the inline limit.
  for (int i = 0; i < 300; ++i) {
    InvocationRecord r = makeInvocation("i-" + std::to_string(i), "acme", "f-1", i);
    r.logs = {{"Info", std::string(200, 'x'), "[]", i}};
    ASSERT_TRUE(store().invocations().put(r).ok());
  }
  uintmax_t after = before;
  for (int waited = 0; waited < 10'000 && after <= before + 64 * 1024; waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    after = fileSize(path_);
  }
  EXPECT_GT(after, before + 64 * 1024) << "the database file did not grow: no checkpoint ran";
  EXPECT_LT(fileSize(path_ + "-wal"), uintmax_t{8000} * 4200);
}

TEST_F(StoreTest, ReopeningKeepsEverything) {
  seedAccount("acme");
  ASSERT_TRUE(store().users().create({"u-1", "alice", "h", true, 3}).ok());
  ASSERT_TRUE(store().users().setRole({"acme", "u-1", Role::kDeveloper}).ok());
  ASSERT_TRUE(store()
                  .clients()
                  .create({"c-1", "acme", "ci", "h", {"functions.invoke"}, 4, "u-1", false})
                  .ok());
  ASSERT_TRUE(store().revocations().revoke("jti", 99).ok());
  ASSERT_TRUE(store().functions().create(makeFunction("acme", "greet", "f-1")).ok());
  VersionRecord v{"f-1", 1, "code", {{"K", "V"}}, {5, 64}, 7, "u-1"};
  ASSERT_TRUE(store().functions().addVersion(v).ok());
  ASSERT_TRUE(
      store().functions().addDeployment({0, "f-1", "deploy", 1, "successful", "", 8, "u-1"}).ok());
  InvocationRecord r = makeInvocation("i-1", "acme", "f-1", 9);
  r.logs = {{"Info", "hello", "[]", 9}};
  ASSERT_TRUE(store().invocations().put(r).ok());

  open();

  EXPECT_EQ(store().accounts().get("acme")->name, "Acme acme");
  EXPECT_EQ(store().users().getByUsername("alice")->id, "u-1");
  EXPECT_EQ(store().users().roleIn("acme", "u-1").value(), std::optional<Role>(Role::kDeveloper));
  EXPECT_EQ(store().clients().get("c-1")->scopes, (std::vector<std::string>{"functions.invoke"}));
  EXPECT_TRUE(store().revocations().isRevoked("jti").value());
  EXPECT_EQ(store().functions().getByName("acme", "greet")->uuid, "f-1");
  auto version = store().functions().version("f-1", 1);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->environment.at("K"), "V");
  EXPECT_EQ(version->settings.timeoutSeconds, 5);
  EXPECT_EQ(version->settings.memoryMb, 64);
  EXPECT_EQ(store().functions().deployments("f-1")->size(), 1u);
  auto inv = store().invocations().get("acme", "i-1");
  ASSERT_TRUE(inv.ok());
  ASSERT_EQ(inv->logs.size(), 1u);
  EXPECT_EQ(inv->logs[0].message, "hello");
}

TEST_F(StoreTest, TransactionCommits) {
  Status s = store().transaction([&]() -> Status {
    Status a = store().accounts().create({"acme", "Acme", 1});
    if (!a.ok()) return a;
    return store().functions().create(makeFunction("acme", "greet", "f-1"));
  });
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_TRUE(store().accounts().get("acme").ok());
  EXPECT_TRUE(store().functions().get("acme", "f-1").ok());
}

TEST_F(StoreTest, AnErrorFromTheBodyRollsEverythingBack) {
  seedAccount("acme");
  Status s = store().transaction([&]() -> Status {
    EXPECT_TRUE(store().accounts().create({"beta", "Beta", 1}).ok());
    EXPECT_TRUE(store().functions().create(makeFunction("acme", "greet", "f-1")).ok());
    EXPECT_TRUE(store().invocations().put(makeInvocation("i-1", "acme", "f-1", 1)).ok());
    return Error::failedPrecondition("changed my mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(s.error().message(), "changed my mind");
  EXPECT_EQ(store().accounts().get("beta").error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(store().functions().get("acme", "f-1").ok());
  EXPECT_FALSE(store().invocations().get("acme", "i-1").ok());
  EXPECT_EQ(store().functions().count("acme").value(), 0);
}

TEST_F(StoreTest, AFailedCallInsideTheBodyRollsBackEarlierWrites) {
  seedAccount("acme");
  ASSERT_TRUE(store().functions().create(makeFunction("acme", "taken", "f-0")).ok());
  Status s = store().transaction([&]() -> Status {
    Status first = store().functions().create(makeFunction("acme", "greet", "f-1"));
    if (!first.ok()) return first;
    return store().functions().create(makeFunction("acme", "taken", "f-2"));
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(s.error().message(), "a function named 'taken' already exists in account 'acme'");
  EXPECT_FALSE(store().functions().get("acme", "f-1").ok());
  EXPECT_EQ(store().functions().count("acme").value(), 1);
}

TEST_F(StoreTest, AnExceptionFromTheBodyRollsBackAndTheStoreStaysUsable) {
  seedAccount("acme");
  EXPECT_THROW((void)store().transaction([&]() -> Status {
    EXPECT_TRUE(store().functions().create(makeFunction("acme", "greet", "f-1")).ok());
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_FALSE(store().functions().get("acme", "f-1").ok());
  EXPECT_TRUE(store().functions().create(makeFunction("acme", "greet", "f-1")).ok());
  EXPECT_TRUE(store().functions().get("acme", "f-1").ok());
}

TEST_F(StoreTest, TheBodySeesItsOwnWritesAndOthersDoNot) {
  seedAccount("acme");
  Status s = store().transaction([&]() -> Status {
    EXPECT_TRUE(store().functions().create(makeFunction("acme", "greet", "f-1")).ok());
    FunctionRecord f = makeFunction("acme", "greet", "f-1");
    f.latestVersion = 1;
    EXPECT_TRUE(store().functions().update(f).ok());
    EXPECT_TRUE(store().functions().addVersion({"f-1", 1, "code", {}, {}, 1, "u"}).ok());
    InvocationRecord r = makeInvocation("i-1", "acme", "f-1", 1);
    r.logs = {{"Info", "x", "[]", 1}};
    EXPECT_TRUE(store().invocations().put(r).ok());

    // Reads on this thread join the transaction.
    EXPECT_EQ(store().functions().get("acme", "f-1")->latestVersion, 1);
    EXPECT_EQ(store().functions().getByName("acme", "greet")->uuid, "f-1");
    EXPECT_EQ(store().functions().count("acme").value(), 1);
    EXPECT_EQ(store().functions().versions("f-1")->size(), 1u);
    EXPECT_EQ(store().invocations().get("acme", "i-1")->logs.size(), 1u);
    InvocationQuery q;
    q.accountId = "acme";
    EXPECT_EQ(store().invocations().query(q)->size(), 1u);

    // Another thread reads the last committed state, without waiting for this transaction.
    std::thread reader([&] {
      auto other = store().functions().get("acme", "f-1");
      ASSERT_FALSE(other.ok());
      EXPECT_EQ(other.error().code(), ErrorCode::kNotFound);
      EXPECT_EQ(store().functions().count("acme").value(), 0);
    });
    reader.join();
    return okStatus();
  });
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(store().functions().get("acme", "f-1")->latestVersion, 1);
}

TEST_F(StoreTest, NestedTransactionsJoinTheOuterOne) {
  seedAccount("acme");
  Status outer = store().transaction([&]() -> Status {
    EXPECT_TRUE(store().functions().create(makeFunction("acme", "one", "f-1")).ok());
    Status inner = store().transaction(
        [&]() -> Status { return store().functions().create(makeFunction("acme", "two", "f-2")); });
    EXPECT_TRUE(inner.ok());
    // A failed inner transaction undoes only its own writes; the outer body decides.
    Status failed = store().transaction([&]() -> Status {
      EXPECT_TRUE(store().functions().create(makeFunction("acme", "three", "f-3")).ok());
      EXPECT_TRUE(store().functions().get("acme", "f-3").ok());
      return Error::invalidArgument("inner failure");
    });
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().message(), "inner failure");
    EXPECT_FALSE(store().functions().get("acme", "f-3").ok());
    EXPECT_EQ(store().functions().count("acme").value(), 2);
    return okStatus();
  });
  ASSERT_TRUE(outer.ok()) << outer.error().message();
  EXPECT_TRUE(store().functions().get("acme", "f-1").ok());
  EXPECT_TRUE(store().functions().get("acme", "f-2").ok());
  EXPECT_FALSE(store().functions().get("acme", "f-3").ok());

  // And when the outer one fails, the inner one's committed-looking writes go too.
  Status rolledBack = store().transaction([&]() -> Status {
    EXPECT_TRUE(store()
                    .transaction([&]() -> Status {
                      return store().functions().create(makeFunction("acme", "four", "f-4"));
                    })
                    .ok());
    return Error::internal("outer failure");
  });
  ASSERT_FALSE(rolledBack.ok());
  EXPECT_FALSE(store().functions().get("acme", "f-4").ok());
}

TEST_F(StoreTest, WritesFromOtherThreadsWaitForATransaction) {
  seedAccount("acme");
  std::atomic<bool> started{false};
  std::thread writer;
  Status s = store().transaction([&]() -> Status {
    writer = std::thread([&] {
      started = true;
      // Blocks on the writer until the transaction ends; must not fail with SQLITE_BUSY.
      Status w = store().accounts().create({"beta", "Beta", 1});
      EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message());
    });
    while (!started) std::this_thread::yield();
    return store().accounts().create({"gamma", "Gamma", 1});
  });
  writer.join();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(store().accounts().list()->size(), 3u);
}

// Four threads increment one counter with read-modify-write transactions while others put
// invocations and read: no update may be lost and no SQLITE_BUSY may surface.
TEST_F(StoreTest, ConcurrentWritersLoseNothing) {
  seedAccount("acme");
  ASSERT_TRUE(store().functions().create(makeFunction("acme", "counter", "f-1")).ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Status s = store().transaction([&]() -> Status {
          auto f = store().functions().get("acme", "f-1");
          if (!f.ok()) return std::move(f).takeError();
          f->latestVersion += 1;
          return store().functions().update(*f);
        });
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << s.error().message();
        }
        InvocationRecord r =
            makeInvocation("t" + std::to_string(t) + "-" + std::to_string(i), "acme", "f-1", i);
        r.logs = {{"Info", "a", "[]", i}, {"Info", "b", "[]", i}};
        Status p = store().invocations().put(r);
        if (!p.ok()) {
          ++failures;
          ADD_FAILURE() << p.error().message();
        }
        InvocationQuery q;
        q.accountId = "acme";
        q.limit = 5;
        auto rows = store().invocations().query(q);
        if (!rows.ok()) {
          ++failures;
          ADD_FAILURE() << rows.error().message();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store().functions().get("acme", "f-1")->latestVersion, kThreads * kPerThread);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocations"), kThreads * kPerThread);
  EXPECT_EQ(rawQuery("SELECT COUNT(*) FROM invocation_logs"), 2 * kThreads * kPerThread);
}

TEST_F(StoreTest, TwoStoresOnOneThreadDoNotShareTransactions) {
  seedAccount("acme");
  std::string otherPath = (dir_ / "other.db").string();
  auto other = openSqliteStore(otherPath, clock_);
  ASSERT_TRUE(other.ok());
  Status s = store().transaction([&]() -> Status {
    EXPECT_TRUE(store().accounts().create({"beta", "Beta", 1}).ok());
    // Not part of this transaction: commits on its own.
    EXPECT_TRUE((*other)->accounts().create({"zeta", "Zeta", 1}).ok());
    return Error::internal("roll back the first store only");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(store().accounts().get("beta").ok());
  EXPECT_TRUE((*other)->accounts().get("zeta").ok());
}

}  // namespace
}  // namespace parley::store
