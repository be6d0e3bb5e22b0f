// The runtime-worker wire format: frames through a real socket pair (several per read, split
// reads, oversized lengths), frames queued in a write batch, and the binary headers of the
// invoke and result frames.
#include "runtime/wire.h"

#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <thread>
#include <vector>

#include "base/write_batch.h"
#include "runtime/wire_hot.h"

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
  // Bytes written to the socket and not read yet.
  int unread() {
    int n = -1;
    EXPECT_EQ(ioctl(fds_[0], FIONREAD, &n), 0);
    return n;
  }
  int fds_[2] = {-1, -1};
};

TEST_F(WireTest, InvokeHeadersSurviveTheRoundTrip) {
  InvocationContext c;
  c.accountId = "acme";
  c.functionUuid = "0b9e-uuid";
  c.functionName = std::string("say \"hi\"\\\n\x01 \0 ünïcode", 21);
  c.invocationId = "01a20ada-2c00-7abc-8def-0123456789ab";
  c.trigger = Trigger::kOrchestrator;
  c.orchestrationDepth = 3;
  std::string h = encodeInvoke(0x0102030405060708, "acme/0b9e-uuid@7", c, true);
  EXPECT_EQ(h[0], kInvokeTag);
  InvokeHeader out;
  ASSERT_TRUE(decodeInvoke(h, out));
  EXPECT_EQ(out.id, 0x0102030405060708u);
  EXPECT_EQ(out.key, "acme/0b9e-uuid@7");
  EXPECT_EQ(out.context.accountId, "acme");
  EXPECT_EQ(out.context.functionUuid, "0b9e-uuid");
  EXPECT_EQ(out.context.functionName, c.functionName);  // any bytes, NUL included
  EXPECT_EQ(out.context.invocationId, c.invocationId);
  EXPECT_EQ(out.context.trigger, Trigger::kOrchestrator);
  EXPECT_EQ(out.context.orchestrationDepth, 3);
  EXPECT_TRUE(out.debug);
}

TEST_F(WireTest, ResultHeadersSurviveTheRoundTrip) {
  InvocationResult r;
  r.outcome = Outcome::kCodingFailure;
  r.durationUs = -5;  // whatever it holds comes back
  r.coldStart = true;
  r.errorCode = "com.liveperson.faas.handler.custom-failure";
  r.errorMessage = "boom";
  r.errorStack = "Error: boom\n    at lambda (index.js:1:7)";
  r.logs = {{LogLevel::kWarn, "first", "[1]", 1795478400000}, {LogLevel::kError, "", "[]", 7}};
  std::string h = encodeResult(42, r);
  uint64_t id = 0;
  InvocationResult out;
  ASSERT_TRUE(decodeResult(h, &id, out));
  EXPECT_EQ(id, 42u);
  EXPECT_EQ(out.outcome, Outcome::kCodingFailure);
  EXPECT_EQ(out.durationUs, -5);
  EXPECT_TRUE(out.coldStart);
  EXPECT_EQ(out.errorCode, r.errorCode);
  EXPECT_EQ(out.errorMessage, "boom");
  EXPECT_EQ(out.errorStack, r.errorStack);
  ASSERT_EQ(out.logs.size(), 2u);
  EXPECT_EQ(out.logs[0].level, LogLevel::kWarn);
  EXPECT_EQ(out.logs[0].message, "first");
  EXPECT_EQ(out.logs[0].extrasJson, "[1]");
  EXPECT_EQ(out.logs[0].timestampMs, 1795478400000);
  EXPECT_EQ(out.logs[1].level, LogLevel::kError);
}

TEST_F(WireTest, TruncatedOrPaddedBinaryHeadersAreRefused) {
  InvocationResult r;
  r.logs = {{LogLevel::kInfo, "line", "[]", 1}};
  std::string h = encodeResult(1, r);
  uint64_t id;
  InvocationResult out;
  for (size_t n = 0; n < h.size(); ++n) {
    EXPECT_FALSE(decodeResult(h.substr(0, n), &id, out)) << n;
  }
  EXPECT_FALSE(decodeResult(h + "x", &id, out));
  std::string lying = h;  // claims 2^32-1 log lines: refused without reading past the end
  size_t logsAt = h.size() - (4 + 8 + 4 + 4 + 4 + 2) - 4;
  lying.replace(logsAt, 4, std::string(4, '\xff'));
  EXPECT_FALSE(decodeResult(lying, &id, out));
  InvokeHeader invoke;
  std::string i = encodeInvoke(1, "k", {}, false);
  EXPECT_FALSE(decodeInvoke(i.substr(0, i.size() - 1), invoke));
  EXPECT_FALSE(decodeInvoke(h, invoke));  // a result is not an invoke
}

TEST_F(WireTest, FramesWrittenTogetherOrInPiecesAreReadWhole) {
  FrameWriter writer(fds_[1]);
  std::string big(200'000, 'x');  // larger than the reader's buffer and the socket's
  std::thread producer([&] {
    ASSERT_TRUE(writer.write({{"t", "a"}}, "one"));
    ASSERT_TRUE(writer.writeSerialized(encodeInvoke(7, "key", {}, false), big));
    ASSERT_TRUE(writer.write({{"t", "c"}}));
  });
  FrameReader reader(fds_[0]);
  Frame f;
  ASSERT_TRUE(reader.next(f));
  EXPECT_EQ(f.header["t"], "a");
  EXPECT_EQ(f.body, "one");
  ASSERT_TRUE(reader.next(f));
  EXPECT_TRUE(f.header.is_null());  // a binary header is handed over as is
  InvokeHeader invoke;
  ASSERT_TRUE(decodeInvoke(f.binary, invoke));
  EXPECT_EQ(invoke.id, 7u);
  EXPECT_EQ(f.body, big);
  ASSERT_TRUE(reader.next(f));
  EXPECT_TRUE(f.binary.empty());
  EXPECT_EQ(f.header["t"], "c");
  EXPECT_EQ(f.body, "");
  producer.join();
  close(fds_[1]);
  fds_[1] = -1;
  EXPECT_FALSE(reader.next(f));  // end of stream
}

TEST_F(WireTest, QueuedFramesWaitForTheBatchAndLeaveInOrderWithFramesWrittenMeanwhile) {
  FrameWriter writer(fds_[1]);
  writer.queueSerialized(encodeInvoke(1, "key", {}, false), "no batch: sent at once");
  const int first = unread();
  EXPECT_GT(first, 0);
  {
    WriteBatch batch;
    writer.queueSerialized(encodeInvoke(2, "key", {}, false), "two");
    writer.queueSerialized(encodeInvoke(3, "key", {}, false), "three");
    EXPECT_EQ(unread(), first);  // held by the batch
    std::thread other([&] { ASSERT_TRUE(writer.write({{"t", "from another thread"}})); });
    other.join();  // a frame written now goes out after the queued ones, and takes them along
    const int afterWrite = unread();
    EXPECT_GT(afterWrite, first);
    writer.queueSerialized(encodeInvoke(4, "key", {}, false), "four");
    EXPECT_EQ(unread(), afterWrite);
  }  // the batch closes: "four" goes out
  ASSERT_GT(unread(), 0);
  FrameReader reader(fds_[0]);
  Frame f;
  InvokeHeader invoke;
  std::vector<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(reader.next(f));
    if (f.binary.empty()) {
      seen.push_back(f.header.value("t", ""));
    } else {
      ASSERT_TRUE(decodeInvoke(f.binary, invoke));
      seen.push_back(std::to_string(invoke.id) + ":" + f.body);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1:no batch: sent at once", "2:two", "3:three",
                                            "from another thread", "4:four"}));
  EXPECT_EQ(unread(), 0);
}

TEST_F(WireTest, AClosedWriterDropsWhatItQueuedAndABatchOutlivingItWritesNothing) {
  {
    WriteBatch batch;
    {
      FrameWriter writer(fds_[1]);
      writer.queueSerialized(encodeInvoke(1, "key", {}, false), "dropped");
      writer.close();  // as the parent does before closing a dead child's socket
      EXPECT_FALSE(writer.write({{"t", "after close"}}));
      auto gone = std::make_unique<FrameWriter>(fds_[1]);
      gone->queueSerialized(encodeInvoke(2, "key", {}, false), "also dropped");
      gone.reset();  // destroyed with a flush still deferred to the batch
    }
  }
  EXPECT_EQ(unread(), 0);
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
