// ContextService on a real SQLite file with a FakeClock: namespaces, sessions, merge and replace
// writes, the size limits, other accounts, and TTL expiry (lazy on read, then purged).
#include "control/context_service.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace parley::control {
namespace {

using nlohmann::json;

const Actor kActor{"u-1", "alice"};

template <typename T>
T val(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.error().message();
  return std::move(r).value();
}

class ContextServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->accounts().create({"acme", "Acme", 1}).ok());
    ASSERT_TRUE(store_->accounts().create({"other", "Other", 1}).ok());
    ContextLimits limits;
    limits.maxValueBytes = 100;
    limits.maxSessionBytes = 300;
    limits.maxNamespaceBytes = 500;
    limits.maxNamespacesPerAccount = 3;
    service_ = std::make_unique<ContextService>(*store_, clock_, limits);
  }
  void TearDown() override {
    service_.reset();
    StoreTest::TearDown();
  }
  std::unique_ptr<ContextService> service_;
};

TEST_F(ContextServiceTest, NamespacesAreIdempotentAndPerAccount) {
  auto a = service_->createNamespace("acme", "bots", std::nullopt, kActor);
  ASSERT_TRUE(a.ok()) << a.error().message();
  EXPECT_TRUE(a->created);
  auto again = service_->createNamespace("acme", "bots", 60, kActor);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_FALSE(again->ttlSeconds.has_value());  // unchanged by the second call
  ASSERT_TRUE(service_->createNamespace("acme", "ttl", 60, kActor).ok());
  auto list = service_->listNamespaces("acme");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "bots");
  EXPECT_EQ((*list)[1].ttlSeconds, 60);
  EXPECT_TRUE(service_->listNamespaces("other").value().empty());
  // The other account cannot see or write acme's namespace.
  auto foreign = service_->setProperties("other", "bots", json{{"a", 1}}, "", ContextWrite::kMerge);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code(), ErrorCode::kNotFound);

  EXPECT_EQ(service_->createNamespace("acme", "bad name", std::nullopt, kActor).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->createNamespace("acme", "t0", 0, kActor).error().code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(service_->createNamespace("acme", "third", std::nullopt, kActor).ok());
  auto fourth = service_->createNamespace("acme", "fourth", std::nullopt, kActor);
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(fourth.error().message().find("limit"), std::string::npos);

  EXPECT_TRUE(val(service_->deleteNamespace("acme", "third", kActor)));
  EXPECT_FALSE(val(service_->deleteNamespace("acme", "third", kActor)));
}

TEST_F(ContextServiceTest, PropertiesMergeReplaceSelectAndDelete) {
  ASSERT_TRUE(service_->createNamespace("acme", "ns", std::nullopt, kActor).ok());
  ASSERT_TRUE(service_->setProperties("acme", "ns", json{{"a", 1}, {"b", {{"x", true}}}}, "",
                                      ContextWrite::kMerge).ok());
  ASSERT_TRUE(
      service_->setProperties("acme", "ns", json{{"c", "three"}}, "", ContextWrite::kMerge).ok());
  EXPECT_EQ(val(service_->getProperties("acme", "ns", "", nullptr)),
            (json{{"a", 1}, {"b", {{"x", true}}}, {"c", "three"}}));
  // The default session is "__default__".
  EXPECT_EQ(val(service_->listSessions("acme", "ns")), std::vector<std::string>{"__default__"});
  std::vector<std::string> names{"a", "missing"};
  EXPECT_EQ(val(service_->getProperties("acme", "ns", "__default__", &names)), (json{{"a", 1}}));
  EXPECT_EQ(*val(service_->getProperty("acme", "ns", "", "b")), (json{{"x", true}}));
  EXPECT_FALSE(service_->getProperty("acme", "ns", "", "nope").value().has_value());

  ASSERT_TRUE(
      service_->setProperties("acme", "ns", json{{"z", nullptr}}, "", ContextWrite::kReplace).ok());
  EXPECT_EQ(val(service_->getProperties("acme", "ns", "", nullptr)), (json{{"z", nullptr}}));

  ASSERT_TRUE(service_->setProperties("acme", "ns", json{{"k", 1}}, "conv-1", ContextWrite::kMerge)
                  .ok());
  EXPECT_EQ(val(service_->listSessions("acme", "ns")),
            (std::vector<std::string>{"__default__", "conv-1"}));
  EXPECT_TRUE(val(service_->deleteProperty("acme", "ns", "conv-1", "k")));
  EXPECT_FALSE(val(service_->deleteProperty("acme", "ns", "conv-1", "k")));
  EXPECT_TRUE(val(service_->deleteSession("acme", "ns", "conv-1")));
  EXPECT_FALSE(val(service_->deleteSession("acme", "ns", "conv-1")));
  EXPECT_EQ(val(service_->listSessions("acme", "ns")), std::vector<std::string>{"__default__"});

  // Deleting the namespace takes its sessions with it.
  ASSERT_TRUE(val(service_->deleteNamespace("acme", "ns", kActor)));
  ASSERT_TRUE(service_->createNamespace("acme", "ns", std::nullopt, kActor).ok());
  EXPECT_TRUE(service_->listSessions("acme", "ns").value().empty());

  auto notObject = service_->setProperties("acme", "ns", json::array(), "", ContextWrite::kMerge);
  EXPECT_EQ(notObject.error().code(), ErrorCode::kInvalidArgument);
  auto missingNs = service_->getProperties("acme", "nope", "", nullptr);
  EXPECT_EQ(missingNs.error().code(), ErrorCode::kNotFound);
  auto badSession =
      service_->setProperties("acme", "ns", json{{"a", 1}}, "bad\nid", ContextWrite::kMerge);
  EXPECT_EQ(badSession.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ContextServiceTest, SizeLimitsNameTheLimit) {
  ASSERT_TRUE(service_->createNamespace("acme", "ns", std::nullopt, kActor).ok());
  auto big = service_->setProperties("acme", "ns", json{{"v", std::string(120, 'x')}}, "",
                                     ContextWrite::kMerge);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), ErrorCode::kTooLarge);
  EXPECT_NE(big.error().message().find("'v'"), std::string::npos);

  // Session: 300 bytes. Three values of ~90 bytes fit; a fourth does not; overwriting one does.
  std::string v(85, 'y');  // 87 bytes of JSON + 1-byte name
  for (const char* n : {"a", "b", "c"}) {
    ASSERT_TRUE(service_->setProperties("acme", "ns", json{{n, v}}, "s1", ContextWrite::kMerge).ok());
  }
  auto over = service_->setProperties("acme", "ns", json{{"d", v}}, "s1", ContextWrite::kMerge);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), ErrorCode::kTooLarge);
  EXPECT_NE(over.error().message().find("Session 's1'"), std::string::npos);
  EXPECT_TRUE(service_->setProperties("acme", "ns", json{{"a", v}}, "s1", ContextWrite::kMerge).ok());

  // Namespace: 500 bytes over all sessions.
  ASSERT_TRUE(service_->setProperties("acme", "ns", json{{"a", v}, {"b", v}}, "s2",
                                      ContextWrite::kMerge).ok());
  auto full = service_->setProperties("acme", "ns", json{{"c", v}}, "s3", ContextWrite::kMerge);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), ErrorCode::kTooLarge);
  EXPECT_NE(full.error().message().find("Namespace 'ns'"), std::string::npos);
}

TEST_F(ContextServiceTest, SessionsExpireAfterTheNamespaceTtlSinceTheirLastWrite) {
  ASSERT_TRUE(service_->createNamespace("acme", "short", 60, kActor).ok());
  ASSERT_TRUE(service_->createNamespace("acme", "forever", std::nullopt, kActor).ok());
  ASSERT_TRUE(service_->setProperties("acme", "short", json{{"a", 1}}, "s", ContextWrite::kMerge).ok());
  ASSERT_TRUE(service_->setProperties("acme", "forever", json{{"a", 1}}, "s", ContextWrite::kMerge)
                  .ok());
  clock_.advanceMs(50'000);
  // A write refreshes the session's lifetime.
  ASSERT_TRUE(service_->setProperties("acme", "short", json{{"b", 2}}, "s", ContextWrite::kMerge).ok());
  clock_.advanceMs(50'000);  // 100 s after the first write, 50 s after the last
  EXPECT_EQ(val(service_->getProperties("acme", "short", "s", nullptr)), (json{{"a", 1}, {"b", 2}}));
  clock_.advanceMs(10'000);  // exactly 60 s after the last write: gone
  EXPECT_EQ(val(service_->getProperties("acme", "short", "s", nullptr)), json::object());
  EXPECT_TRUE(service_->listSessions("acme", "short").value().empty());
  EXPECT_FALSE(service_->getProperty("acme", "short", "s", "a").value().has_value());
  EXPECT_EQ(val(service_->getProperties("acme", "forever", "s", nullptr)), (json{{"a", 1}}));
  // Writing again starts an empty session, not the expired one.
  ASSERT_TRUE(service_->setProperties("acme", "short", json{{"c", 3}}, "s", ContextWrite::kMerge).ok());
  EXPECT_EQ(val(service_->getProperties("acme", "short", "s", nullptr)), (json{{"c", 3}}));

  // Purge removes expired sessions only.
  ASSERT_TRUE(service_->setProperties("acme", "short", json{{"x", 1}}, "old", ContextWrite::kMerge)
                  .ok());
  clock_.advanceMs(30'000);
  ASSERT_TRUE(service_->setProperties("acme", "short", json{{"x", 1}}, "new", ContextWrite::kMerge)
                  .ok());
  clock_.advanceMs(30'000);  // "s" and "old" are 60 s old, "new" 30 s
  auto purged = service_->purgeExpired();
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(val(service_->listSessions("acme", "short")), std::vector<std::string>{"new"});
  EXPECT_EQ(val(service_->purgeExpired()), 0);
}

}  // namespace
}  // namespace parley::control
