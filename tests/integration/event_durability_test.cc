// Durability of async events: 10,000 events published to the real server, which is killed with
// SIGKILL at random moments during delivery four times and restarted on the same data
// directory each time. In the end every accepted event reached the result webhook (a local
// sink) at least once. The seed is printed so a failing run can be repeated.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

#include "support/server_process.h"
#include "support/webhook_sink.h"

namespace parley::testing {
namespace {

using nlohmann::json;

class Delivered {
 public:
  explicit Delivered(const WebhookSink& sink) : sink_(sink) {}
  // Distinct event ids the sink has seen a successful result for.
  size_t update() {
    for (const SinkRequest& r : sink_.requestsSince(seen_)) {
      ++seen_;
      json b = json::parse(r.body, nullptr, false);
      if (b.is_object() && b.value("outcome", "") == "SUCCEEDED") ids_.insert(b["eventId"]);
    }
    return ids_.size();
  }
  const std::set<std::string>& ids() const { return ids_; }

 private:
  const WebhookSink& sink_;
  size_t seen_ = 0;
  std::set<std::string> ids_;
};

TEST(EventDurability, EveryAcceptedEventIsDeliveredAtLeastOnceAcrossKill9) {
  constexpr int kEvents = 10'000;
  constexpr int kBatch = 500;
  constexpr int kKills = 4;
  unsigned seed = std::random_device{}();
  std::cout << "seed " << seed << "\n";
  std::mt19937 rng(seed);

  char tmpl[] = "/tmp/parley-durability-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::vector<std::string> args = {"--workers", "2", "--max-invocations-per-second",
                                         "1000000", "--max-concurrent-invocations", "1000"};
  WebhookSink sink;
  Delivered delivered(sink);
  std::set<std::string> accepted;
  {
    auto server = std::make_unique<ServerProcess>(args, dir);
    server->addAccountWithUsers("acme", {"Admin"});
    HttpClient admin = server->loginAs("acme", "Admin");
    const std::string acct = "/api/v1/accounts/acme";
    ASSERT_EQ(admin.call("POST", acct + "/event-types", {{"id", "load.tick"}}).status, 201);
    ASSERT_EQ(admin.call("POST", acct + "/functions",
                         {{"name", "count"}, {"eventId", "load.tick"},
                          {"code", "async function lambda(input) { return input.payload.n; }"}})
                  .status,
              201);
    ASSERT_EQ(admin.call("POST", acct + "/functions/count/deploy").status, 200);
    ASSERT_EQ(admin.call("PUT", acct + "/settings", {{"resultWebhookUrl", sink.url()}}).status,
              200);

    int next = 0;
    auto publish = [&](int upTo) {
      for (; next < upTo; next += kBatch) {
        json batch = json::array();
        for (int i = next; i < next + kBatch; ++i) {
          batch.push_back({{"specversion", "1.0"},
                           {"id", "ev-" + std::to_string(i)},
                           {"source", "load"},
                           {"type", "load.tick"},
                           {"subject", "conv-" + std::to_string(i % 64)},
                           {"data", {{"n", i}}}});
        }
        HttpResult r = admin.raw("POST", acct + "/events", batch.dump(),
                                 "application/cloudevents-batch+json");
        ASSERT_EQ(r.status, 202) << r.body;
        json body = r.json();
        for (const auto& id : body["accepted"]) accepted.insert(id);
      }
    };
    publish(kEvents / 2);
    for (int kill = 0; kill < kKills; ++kill) {
      // Let delivery make some progress, then kill -9 at a random point of it.
      size_t target = std::min<size_t>(delivered.update() +
                                           std::uniform_int_distribution<size_t>(100, 1200)(rng),
                                       accepted.size());
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (delivered.update() < target && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(
            std::uniform_int_distribution<int>(1, 30)(rng)));
      }
      server->stop(/*kill=*/true);
      server = std::make_unique<ServerProcess>(args, dir);
      admin = server->loginAs("acme", "Admin");
      if (kill == 0) publish(kEvents);  // the second half goes to a restarted server
    }
    ASSERT_EQ(accepted.size(), static_cast<size_t>(kEvents));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (delivered.update() < accepted.size() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::vector<std::string> missing;
    for (const auto& id : accepted) {
      if (!delivered.ids().contains(id)) missing.push_back(id);
    }
    EXPECT_TRUE(missing.empty()) << missing.size() << " accepted events never delivered, e.g. "
                                 << missing.front() << " (seed " << seed << ")";
    std::cout << "delivered " << delivered.ids().size() << " distinct events in "
              << sink.count() << " webhook calls\n";
  }
  std::system(("rm -rf '" + dir + "'").c_str());
}

}  // namespace
}  // namespace parley::testing
