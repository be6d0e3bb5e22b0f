// LivePerson's CSV export layout and the SSE framing of log lines.
#include "api/log_format.h"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

TEST(LogCsv, PlainFieldsAreNotQuoted) {
  store::LogLine l;
  l.functionUuid = "6f91f192-c1df-40e0-94f9-8765fd70fd02";
  l.invocationId = "d60d0fce-9970-8d8a-28ed-786c303573b6";
  l.log = {"Info", "Start syncing with my backend", "[]", 1645011935123};
  // The first line of the fact sheet's sample, byte for byte.
  EXPECT_EQ(csvLogLine(l),
            "6f91f192-c1df-40e0-94f9-8765fd70fd02;d60d0fce-9970-8d8a-28ed-786c303573b6;"
            "Wed, 16 Feb 2022 11:45:35 GMT;Info;Start syncing with my backend;[]\n");
}

TEST(LogCsv, QuotesSemicolonsQuotesAndNewlines) {
  store::LogLine l;
  l.functionUuid = "f";
  l.invocationId = "i";
  l.log = {"Warn", "a;b", R"([{"conversationID":"1234-5678-9000","userID":"12345678"}])", 0};
  // The fact sheet's second sample: extras quoted with doubled quotes.
  EXPECT_EQ(csvLogLine(l),
            "f;i;Thu, 01 Jan 1970 00:00:00 GMT;Warn;\"a;b\";"
            "\"[{\"\"conversationID\"\":\"\"1234-5678-9000\"\",\"\"userID\"\":\"\"12345678\"\"}]\"\n");
  EXPECT_EQ(csvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvField("plain, with comma"), "plain, with comma");
  EXPECT_EQ(std::string(kLogCsvHeader), "lambdaUUID;requestID;timestamp;level;message;extras\n");
}

TEST(LogSse, OneEventPerLineWithResumableId) {
  control::LogEvent e;
  e.id = 42;
  e.invocationId = "inv";
  e.log = {"Error", "multi\nline", "[1]", 5};
  EXPECT_EQ(sseLogEvent("boot", e),
            "id: boot.42\nevent: log\ndata: {\"extras\":[1],\"invocationId\":\"inv\",\"level\":"
            "\"Error\",\"message\":\"multi\\nline\",\"timestamp\":5}\n\n");
}

}  // namespace
}  // namespace parley::api
