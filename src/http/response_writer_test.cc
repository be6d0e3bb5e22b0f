#include "http/response_writer.h"

#include <gtest/gtest.h>

namespace parley::http {
namespace {

TEST(ResponseWriter, WritesStatusFramingDateAndServer) {
  Response r = Response::text(200, "hello");
  ResponseHeadOptions o;
  o.contentLength = r.body.size();
  std::string head = serializeResponseHead(r, o);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nDate: "), std::string::npos);
  EXPECT_NE(head.find("Server: parley\r\n"), std::string::npos);
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
}

TEST(ResponseWriter, ServerOwnsFramingAndConnectionFields) {
  Response r = Response::text(200, "x");
  r.headers.emplace("Content-Length", "999");
  r.headers.emplace("Transfer-Encoding", "gzip");
  r.headers.emplace("connection", "keep-alive");
  ResponseHeadOptions o;
  o.framing = BodyFraming::kChunked;
  o.connection = ConnectionHeader::kClose;
  std::string head = serializeResponseHead(r, o);
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_EQ(head.find("gzip"), std::string::npos);
  EXPECT_EQ(head.find("keep-alive"), std::string::npos);
  EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
}

TEST(ResponseWriter, DropsFieldsThatWouldSplitTheResponse) {
  Response r;
  r.headers.emplace("X-Ok", "fine");
  r.headers.emplace("X-Evil", "a\r\nSet-Cookie: x=1");
  r.headers.emplace("Bad Name", "v");
  r.headers.emplace("X-Nul", std::string("a\0b", 3));
  std::string head = serializeResponseHead(r, {});
  EXPECT_NE(head.find("X-Ok: fine\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(head.find("Bad Name"), std::string::npos);
  EXPECT_EQ(head.find("X-Nul"), std::string::npos);
}

TEST(ResponseWriter, KeepsHandlerDateAndServerAndUnknownStatus) {
  Response r;
  r.status = 901;
  r.headers.emplace("Server", "other");
  r.headers.emplace("Date", "yesterday");
  std::string head = serializeResponseHead(r, {});
  EXPECT_EQ(head.rfind("HTTP/1.1 901 \r\n", 0), 0u) << head;
  EXPECT_EQ(head.find("parley"), std::string::npos);
  EXPECT_NE(head.find("Date: yesterday\r\n"), std::string::npos);
}

TEST(ResponseWriter, NoBodyStatusesHaveNoContentLength) {
  Response r;
  r.status = 204;
  ResponseHeadOptions o;
  o.framing = BodyFraming::kNone;
  EXPECT_EQ(serializeResponseHead(r, o).find("Content-Length"), std::string::npos);
  EXPECT_FALSE(statusAllowsBody(204));
  EXPECT_FALSE(statusAllowsBody(304));
  EXPECT_FALSE(statusAllowsBody(100));
  EXPECT_TRUE(statusAllowsBody(200));
}

TEST(ResponseWriter, ConnectionCloseDetection) {
  Response r;
  EXPECT_FALSE(responseWantsClose(r));
  r.headers.emplace("Connection", "TE, Close");
  EXPECT_TRUE(responseWantsClose(r));
}

TEST(ResponseWriter, ErrorJsonIsEscaped) {
  EXPECT_EQ(errorJson("bad_request", "a \"quoted\"\n\x01"),
            R"({"error":{"code":"bad_request","message":"a \"quoted\"\n\u0001"}})");
  Response r = errorResponse(413, "payload_too_large", "too big");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.headers.find("content-type")->second, "application/json");
}

TEST(ResponseWriter, SanitizesImpossibleStatuses) {
  Response r;
  r.status = 101;
  sanitizeStatus(r);
  EXPECT_EQ(r.status, 500);
  r.status = 901;
  sanitizeStatus(r);
  EXPECT_EQ(r.status, 901);
}

TEST(ResponseWriter, HttpDateAndChunks) {
  EXPECT_EQ(httpDate(std::chrono::system_clock::from_time_t(784111777)),
            "Sun, 06 Nov 1994 08:49:37 GMT");
  std::string out;
  appendChunk(out, "");
  EXPECT_EQ(out, "");
  appendChunk(out, std::string(26, 'x'));
  EXPECT_EQ(out, "1a\r\n" + std::string(26, 'x') + "\r\n");
}

}  // namespace
}  // namespace parley::http
