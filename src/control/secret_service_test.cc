// SecretService rules and PlatformHostServices answers, on a real SQLite store.
#include "control/secret_service.h"

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>

#include "control/activity.h"
#include "control/platform_host.h"
#include "store/store_test_util.h"

namespace parley::control {
namespace {

using nlohmann::json;

class SecretServiceTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->accounts().create({"acme", "Acme", 1}).ok());
    vault_ = std::make_unique<vault::Vault>(vault::MasterKey::generate(), store_->dataKeys());
    secrets_ = std::make_unique<SecretService>(*store_, *vault_, clock_);
  }
  void TearDown() override {
    secrets_.reset();
    vault_.reset();
    StoreTest::TearDown();
  }
  runtime::HostResponse callHost(PlatformHostServices& host, const std::string& service,
                                 const json& args, const std::string& invocationId = "inv-1") {
    runtime::InvocationContext ctx;
    ctx.accountId = "acme";
    ctx.functionName = "fn";
    ctx.invocationId = invocationId;
    std::promise<runtime::HostResponse> p;
    host.call(ctx, {service, args.dump(), {}},
              [&p](runtime::HostResponse r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  std::unique_ptr<vault::Vault> vault_;
  std::unique_ptr<SecretService> secrets_;
};

TEST_F(SecretServiceTest, Rules) {
  EXPECT_TRUE(SecretService::validName("A-z_09"));
  EXPECT_FALSE(SecretService::validName(""));
  EXPECT_FALSE(SecretService::validName("a.b"));
  EXPECT_FALSE(SecretService::validName(std::string(101, 'a')));
  EXPECT_TRUE(SecretService::isSystemName("LIVEPERSON_DEFAULT_APP_KEY"));
  EXPECT_TRUE(SecretService::isSystemName("PARLEY_X"));
  EXPECT_FALSE(SecretService::isSystemName("LIVEPERSON_X"));

  EXPECT_EQ(secrets_->create("acme", "a b", "plaintext", "v", {"u", "u"}).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(secrets_->create("acme", "K", "yaml", "v", {"u", "u"}).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(secrets_->create("acme", "K", "json", "{", {"u", "u"}).error().code(),
            ErrorCode::kInvalidArgument);
  // 16,384 characters, counted as code points, not bytes.
  std::string accents;
  for (int i = 0; i < 16384; ++i) accents += "\xc3\xa9";
  EXPECT_TRUE(secrets_->create("acme", "LONG", "plaintext", accents, {"u", "u"}).ok());
  EXPECT_EQ(secrets_->create("acme", "LONGER", "plaintext", accents + "x", {"u", "u"}).error().code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(secrets_->create("acme", "K", "plaintext", "value-1", {"u", "u"}).ok());
  EXPECT_EQ(secrets_->create("acme", "K", "plaintext", "value-2", {"u", "u"}).error().code(),
            ErrorCode::kAlreadyExists);
}

TEST_F(SecretServiceTest, ValuesAreSealedAndReadBack) {
  ASSERT_TRUE(secrets_->create("acme", "K", "plaintext", "the-value-1", {"alice", "alice"}).ok());
  auto stored = store_->secrets().get("acme", "K");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->blob.find("the-value-1"), std::string::npos);
  EXPECT_EQ(stored->blob.size(), std::string("the-value-1").size() + vault::kBlobOverhead);
  auto v = secrets_->read("acme", "K");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value, "the-value-1");
  EXPECT_EQ(secrets_->read("acme", "NOPE").error().code(), ErrorCode::kNotFound);

  bool created = true;
  ASSERT_TRUE(secrets_->replace("acme", "K", "json", "{\"a\":1}", {"bob", "bob"}, &created).ok());
  EXPECT_FALSE(created);
  auto list = secrets_->list("acme");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].type, "json");
  EXPECT_EQ((*list)[0].createdBy, "alice");
  EXPECT_EQ((*list)[0].updatedBy, "bob");

  // A blob copied to another name does not decrypt there.
  auto original = store_->secrets().get("acme", "K");
  ASSERT_TRUE(original.ok());
  store::SecretRecord moved = *original;
  moved.name = "OTHER";
  ASSERT_TRUE(store_->secrets().put(moved).ok());
  EXPECT_EQ(secrets_->read("acme", "OTHER").error().code(), ErrorCode::kInternal);
}

TEST_F(SecretServiceTest, FunctionsUpdateOnlyExistingNonSystemSecrets) {
  ASSERT_TRUE(secrets_->create("acme", "K", "json", "{\"a\":1}", {"u", "u"}).ok());
  ASSERT_TRUE(
      secrets_->create("acme", "LIVEPERSON_DEFAULT_APP_KEY", "plaintext", "x1234", {"u", "u"}).ok());
  auto u = secrets_->update("acme", "K", "{\"a\":2}", "function fn");
  ASSERT_TRUE(u.ok());
  auto after = secrets_->read("acme", "K");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->value, "{\"a\":2}");
  EXPECT_EQ(secrets_->update("acme", "K", "not json", "f").error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(secrets_->update("acme", "LIVEPERSON_DEFAULT_APP_KEY", "y", "f").error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(secrets_->update("acme", "MISSING", "y", "f").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(secrets_->remove("acme", "K", {"u", "u"}).ok(), true);
  EXPECT_EQ(secrets_->remove("acme", "K", {"u", "u"}).error().code(), ErrorCode::kNotFound);
}

TEST_F(SecretServiceTest, HostAnswersWithToolbeltCodesAndRemembersValuesForRedaction) {
  ASSERT_TRUE(secrets_->create("acme", "K", "plaintext", "host-value-1", {"u", "u"}).ok());
  ASSERT_TRUE(secrets_->create("acme", "PARLEY_SYS", "plaintext", "sys-value", {"u", "u"}).ok());
  PlatformHostServices host(*secrets_, clock_);

  auto read = callHost(host, "secrets.read", {{"key", "K"}});
  ASSERT_TRUE(read.ok) << read.errorMessage;
  EXPECT_EQ(json::parse(read.resultJson),
            (json{{"key", "K"}, {"value", "host-value-1"}, {"type", "plaintext"}}));
  auto values = host.takeSecretValues("inv-1");
  EXPECT_NE(std::find(values.begin(), values.end(), "host-value-1"), values.end());
  EXPECT_TRUE(host.takeSecretValues("inv-1").empty());  // forgotten once taken

  // A cache hit in the toolbelt still counts for redaction.
  EXPECT_TRUE(callHost(host, "secrets.used", {{"key", "K"}}, "inv-2").ok);
  EXPECT_FALSE(host.takeSecretValues("inv-2").empty());

  EXPECT_EQ(callHost(host, "secrets.read", {{"key", "NOPE"}}).errorCode,
            "com.liveperson.faas.secret.not-found");
  EXPECT_EQ(callHost(host, "secrets.read", json::object()).errorCode,
            "com.liveperson.faas.secret.invalid-format");
  EXPECT_EQ(callHost(host, "secrets.update", {{"key", "PARLEY_SYS"}, {"value", "x"}}).errorCode,
            "com.liveperson.faas.secret.forbidden");
  EXPECT_EQ(callHost(host, "secrets.update", {{"key", "NOPE"}, {"value", "x"}}).errorCode,
            "com.liveperson.faas.secret.not-found");
  EXPECT_EQ(callHost(host, "secrets.update", {{"key", "K"}, {"value", 5}}).errorCode,
            "com.liveperson.faas.secret.invalid-format");
  auto updated =
      callHost(host, "secrets.update", {{"key", "K"}, {"value", "host-value-2"}}, "inv-3");
  ASSERT_TRUE(updated.ok);
  values = host.takeSecretValues("inv-3");
  EXPECT_NE(std::find(values.begin(), values.end(), "host-value-2"), values.end());
  EXPECT_EQ(callHost(host, "http.fetch", json::object()).errorCode,
            "com.liveperson.faas.fm.unavailable");
  host.stop();
  EXPECT_EQ(callHost(host, "secrets.read", {{"key", "K"}}).errorCode,
            "com.liveperson.faas.secret.op-failed");
}

// A sink that refuses every entry: the change it would record must not be made.
class RefusingSink final : public ActivitySink {
 public:
  Status record(const std::string&, const Actor&, const Change&) override {
    return Error::unavailable("activity store down");
  }
};

TEST_F(SecretServiceTest, ChangesAreRecordedInTheActivityStreamWithoutTheirValues) {
  ActivityLog activity(*store_, clock_);
  secrets_->setActivitySink(&activity);
  Actor alice{"u-1", "alice"};
  ASSERT_TRUE(secrets_->create("acme", "K", "plaintext", "value-one-xyz", alice).ok());
  clock_.advanceMs(1000);
  ASSERT_TRUE(secrets_->replace("acme", "K", "plaintext", "value-two-xyz", {"u-2", "bob"}).ok());
  ASSERT_TRUE(secrets_->update("acme", "K", "value-three-xyz", "function fn").ok());
  ASSERT_TRUE(secrets_->replace("acme", "NEW", "json", "{\"v\":\"value-four-xyz\"}", alice).ok());
  ASSERT_TRUE(secrets_->remove("acme", "K", alice).ok());
  EXPECT_FALSE(secrets_->remove("acme", "K", alice).ok());  // nothing removed, nothing recorded

  store::ActivityQuery q;
  q.accountId = "acme";
  auto list = activity.list(q);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 5u);
  std::vector<std::string> got;
  for (auto it = list->rbegin(); it != list->rend(); ++it) {
    got.push_back(it->action + " " + it->targetId + " by " + it->actorId + "/" + it->actorName);
    for (const std::string& field : {it->description, it->diff, it->targetName}) {
      EXPECT_EQ(field.find("value-"), std::string::npos) << field;
    }
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "secret.created K by u-1/alice", "secret.replaced K by u-2/bob",
                     "secret.updated K by /function fn", "secret.created NEW by u-1/alice",
                     "secret.deleted K by u-1/alice"}));
  EXPECT_EQ(list->back().at, (*list)[3].at - 1000);  // when: the clock at the change

  RefusingSink refusing;
  secrets_->setActivitySink(&refusing);
  EXPECT_FALSE(secrets_->create("acme", "UNRECORDED", "plaintext", "v", alice).ok());
  EXPECT_FALSE(secrets_->remove("acme", "NEW", alice).ok());
  auto names = secrets_->list("acme");
  ASSERT_EQ(names->size(), 1u);  // the refused create rolled back, the refused remove too
  EXPECT_EQ((*names)[0].name, "NEW");
}

}  // namespace
}  // namespace parley::control
