#include "http/request_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace parley::http {
namespace {

ParseLimits smallLimits() {
  ParseLimits l;
  l.maxHeaderBytes = 1024;
  l.maxBodyBytes = 100;
  return l;
}

// Feeds `input` in pieces of `step` bytes as a connection would (keeping unused bytes) and
// returns the requests, plus the failure if the input is refused.
struct Outcome {
  std::vector<ParsedRequest> requests;
  std::optional<ParseFailure> failure;
};
Outcome feedInSteps(std::string_view input, size_t step, ParseLimits limits = {}) {
  Outcome out;
  RequestParser parser(limits);
  std::string buffer;
  for (size_t pos = 0; pos < input.size();) {
    buffer.append(input.substr(pos, step));
    pos += step;
    while (!buffer.empty()) {
      size_t used = parser.feed(buffer);
      buffer.erase(0, used);
      if (parser.status() == RequestParser::Status::kComplete) {
        out.requests.push_back(parser.take());
        continue;
      }
      if (parser.status() == RequestParser::Status::kFailed) {
        out.failure = parser.failure();
        return out;
      }
      break;
    }
  }
  return out;
}

TEST(RequestParser, ParsesAGetRequest) {
  auto r = parseRequest(
      "get /api/v1/a%20b/c?x=1&y=a+b HTTP/1.1\r\nHost: h\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\n", {});
  ASSERT_TRUE(r.ok()) << r.error().message();
  const Request& req = r->request;
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.target, "/api/v1/a%20b/c?x=1&y=a+b");
  EXPECT_EQ(req.path, "/api/v1/a b/c");
  EXPECT_EQ(req.queryParam("x"), "1");
  EXPECT_EQ(req.queryParam("y"), "a b");
  EXPECT_EQ(req.header("HOST"), "h");
  EXPECT_EQ(req.headers.count("X-MULTI"), 2u);
  EXPECT_TRUE(r->keepAlive);
  EXPECT_EQ(r->version, 11u);
}

TEST(RequestParser, ParsesBodiesByLengthAndChunked) {
  auto r = parseRequest("POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->request.body, "hello");

  auto c = parseRequest(
      "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n"
      "0\r\n\r\n",
      {});
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->request.body, "hello world");
}

TEST(RequestParser, KeepAliveFollowsVersionAndConnection) {
  EXPECT_FALSE(parseRequest("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", {})->keepAlive);
  EXPECT_FALSE(parseRequest("GET / HTTP/1.0\r\n\r\n", {})->keepAlive);
  auto ka = parseRequest("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", {});
  EXPECT_TRUE(ka->keepAlive);
  EXPECT_EQ(ka->version, 10u);
}

TEST(RequestParser, SameResultWhateverTheStepSize) {
  const std::string input =
      "\r\nPOST /a?q=%41 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "GET /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
      "DELETE /c HTTP/1.1\r\n\r\n";
  for (size_t step : {1u, 2u, 7u, 64u, 4096u}) {
    Outcome o = feedInSteps(input, step);
    ASSERT_FALSE(o.failure) << step;
    ASSERT_EQ(o.requests.size(), 3u) << step;
    EXPECT_EQ(o.requests[0].request.body, "abc");
    EXPECT_EQ(o.requests[0].request.queryParam("q"), "A");
    EXPECT_EQ(o.requests[1].request.body, "xy");
    EXPECT_EQ(o.requests[2].request.method, "DELETE");
  }
}

TEST(RequestParser, RefusesGarbageWith400) {
  for (std::string_view bad : {
           "\x01\x02\x03 garbage\r\n\r\n",
           "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
           "GET / HTTP/9.9\r\n\r\n",
           "GET /%zz HTTP/1.1\r\n\r\n",
           "GET /a%00b HTTP/1.1\r\n\r\n",
           "GET /?a=%4 HTTP/1.1\r\n\r\n",
           "GET relative HTTP/1.1\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       }) {
    Outcome o = feedInSteps(bad, 4096);
    ASSERT_TRUE(o.failure) << bad;
    EXPECT_EQ(o.failure->status, 400) << bad;
    EXPECT_EQ(o.failure->code, "bad_request");
  }
}

TEST(RequestParser, BodyLimitFromContentLengthBeforeTheBody) {
  Outcome o = feedInSteps("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 4096, smallLimits());
  ASSERT_TRUE(o.failure);
  EXPECT_EQ(o.failure->status, 413);
  EXPECT_EQ(o.failure->code, "payload_too_large");
  // Exactly at the limit is fine.
  std::string ok = "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x');
  EXPECT_EQ(feedInSteps(ok, 4096, smallLimits()).requests.size(), 1u);
}

TEST(RequestParser, BodyLimitForChunkedBodies) {
  std::string input = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 11; ++i) input += "a\r\n0123456789\r\n";
  for (size_t step : {1u, 4096u}) {
    Outcome o = feedInSteps(input, step, smallLimits());
    ASSERT_TRUE(o.failure) << step;
    EXPECT_EQ(o.failure->status, 413);
  }
}

TEST(RequestParser, HeaderLimitCountsTheWholeHeader) {
  // A long request line and long fields, each under the limit, together over it.
  std::string input =
      "GET /" + std::string(600, 'a') + " HTTP/1.1\r\nX: " + std::string(600, 'b') + "\r\n\r\n";
  for (size_t step : {1u, 100u, 4096u}) {
    Outcome o = feedInSteps(input, step, smallLimits());
    ASSERT_TRUE(o.failure) << step;
    EXPECT_EQ(o.failure->status, 431) << step;
    EXPECT_EQ(o.failure->code, "headers_too_large");
  }
  // An endless header line is refused once the limit is reached, before its end.
  Outcome o = feedInSteps("GET / HTTP/1.1\r\nX: " + std::string(2000, 'c'), 50, smallLimits());
  ASSERT_TRUE(o.failure);
  EXPECT_EQ(o.failure->status, 431);
}

TEST(RequestParser, ExpectContinueIsOfferedOnceBeforeTheBody) {
  RequestParser parser({});
  std::string head = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  EXPECT_EQ(parser.feed(head), head.size());
  EXPECT_TRUE(parser.inProgress());
  EXPECT_TRUE(parser.takeContinue());
  EXPECT_FALSE(parser.takeContinue());
  parser.feed("ok");
  ASSERT_EQ(parser.status(), RequestParser::Status::kComplete);
  EXPECT_EQ(parser.take().request.body, "ok");
  EXPECT_FALSE(parser.inProgress());
}

TEST(RequestParser, EndOfInputFailsOnlyARequestInProgress) {
  RequestParser idle({});
  idle.endOfInput();
  EXPECT_EQ(idle.status(), RequestParser::Status::kNeedMore);
  RequestParser cut({});
  cut.feed("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  cut.endOfInput();
  EXPECT_EQ(cut.status(), RequestParser::Status::kFailed);
  EXPECT_EQ(cut.failure().status, 400);
}

TEST(RequestParser, OneShotReportsConsumedBytesAndErrors) {
  size_t consumed = 0;
  std::string two = "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n";
  auto r = parseRequest(two, {}, &consumed);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(consumed, two.size() / 2);
  EXPECT_EQ(parseRequest("GET / HTTP/1.1\r\n", {}).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      parseRequest("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", smallLimits()).error().code(),
      ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace parley::http
