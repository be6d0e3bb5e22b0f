// The runtime-worker wire format: frames through a real socket pair (several per read, split
// reads, oversized lengths) and the hand-written invoke header against its json form.
#include "runtime/wire.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace parley::runtime::wire {
namespace {

using nlohmann::json;

class WireTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  int fds_[2] = {-1, -1};
};

TEST_F(WireTest, InvokeHeaderIsTheJsonObjectTheWorkerExpects) {
  InvocationContext c;
  c.accountId = "acme";
  c.functionUuid = "0b9e-uuid";
  c.functionName = "say \"hi\"\\\n\x01 ünïcode";
  c.invocationId = "01a20ada-2c00-7abc-8def-0123456789ab";
  c.trigger = Trigger::kOrchestrator;
  c.orchestrationDepth = 3;
  json parsed = json::parse(invokeHeader(42, "acme/0b9e-uuid@7", c, true));
  json expected = {{"t", "invoke"}, {"id", 42}, {"key", "acme/0b9e-uuid@7"},
                   {"ctx", toJson(c)}, {"debug", true}};
  EXPECT_EQ(parsed, expected);
  InvocationContext back = contextFromJson(parsed["ctx"]);
  EXPECT_EQ(back.functionName, c.functionName);
  EXPECT_EQ(back.trigger, Trigger::kOrchestrator);
  EXPECT_EQ(back.orchestrationDepth, 3);
  EXPECT_EQ(json::parse(invokeHeader(1, "k", {}, false))["debug"], false);
}

TEST_F(WireTest, FramesWrittenTogetherOrInPiecesAreReadWhole) {
  FrameWriter writer(fds_[1]);
  std::string big(200'000, 'x');  // larger than the reader's buffer and the socket's
  std::thread producer([&] {
    ASSERT_TRUE(writer.write({{"t", "a"}}, "one"));
    ASSERT_TRUE(writer.writeSerialized(R"({"t":"b"})", big));
    ASSERT_TRUE(writer.write({{"t", "c"}}));
  });
  FrameReader reader(fds_[0]);
  Frame f;
  ASSERT_TRUE(reader.next(f));
  EXPECT_EQ(f.header["t"], "a");
  EXPECT_EQ(f.body, "one");
  ASSERT_TRUE(reader.next(f));
  EXPECT_EQ(f.header["t"], "b");
  EXPECT_EQ(f.body, big);
  ASSERT_TRUE(reader.next(f));
  EXPECT_EQ(f.header["t"], "c");
  EXPECT_EQ(f.body, "");
  producer.join();
  close(fds_[1]);
  fds_[1] = -1;
  EXPECT_FALSE(reader.next(f));  // end of stream
}

TEST_F(WireTest, AFrameClaimingMoreThanTheLimitIsRefused) {
  unsigned char lengths[8] = {2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};  // body of 4 GiB - 1
  ASSERT_EQ(::write(fds_[1], lengths, 8), 8);
  FrameReader reader(fds_[0]);
  Frame f;
  EXPECT_FALSE(reader.next(f));
}

TEST_F(WireTest, AHeaderThatIsNotAJsonObjectIsRefused) {
  FrameWriter writer(fds_[1]);
  ASSERT_TRUE(writer.writeSerialized("[1,2]"));
  FrameReader reader(fds_[0]);
  Frame f;
  EXPECT_FALSE(reader.next(f));
}

}  // namespace
}  // namespace parley::runtime::wire
