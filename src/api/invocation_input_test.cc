// invocationInput: what reaches the runtime for each kind of body, and the errors for bad ones.
#include "api/invocation_input.h"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

Result<std::string> inputOf(std::string body) {
  http::Request r;
  r.body = std::move(body);
  return invocationInput(r);
}

std::string accepted(std::string body) {
  auto in = inputOf(std::move(body));
  EXPECT_TRUE(in.ok()) << in.error().message();
  return in.ok() ? *in : "";
}

TEST(InvocationInput, PassesTheBodyOnByteForByteKeepingKeyOrder) {
  std::string body = R"({"payload":{"z":1,"a":[1,2,{"b":"ü\n"}],"m":null},"headers":[{"key":"k","value":"v"}],"timestamp":5})";
  auto in = inputOf(body);
  ASSERT_TRUE(in.ok()) << in.error().message();
  EXPECT_EQ(*in, body);
}

TEST(InvocationInput, WrapsABarePayloadAndMakesAnEmptyBodyAnEmptyObject) {
  EXPECT_EQ(accepted(R"({"n": 41})"), R"({"payload":{"n": 41}})");
  EXPECT_EQ(accepted("  \r\n"), "{}");
  EXPECT_EQ(accepted("{}"), "{}");
  // A nested "payload" key does not count as the top-level one.
  EXPECT_EQ(accepted(R"({"x":{"payload":1}})"), R"({"payload":{"x":{"payload":1}}})");
}

TEST(InvocationInput, KnowsTopLevelKeysWrittenWithEscapes) {
  std::string body = R"({"pay\u006coad":{"n":1},"\u0068eaders":[]})";
  EXPECT_EQ(accepted(body), body);  // not wrapped: it has a payload and headers
  EXPECT_FALSE(inputOf(R"({"\u0068eaders":5})").ok());
}

TEST(InvocationInput, AcceptsHeadersAsAListAnObjectOrNull) {
  EXPECT_TRUE(inputOf(R"({"headers":[],"payload":1})").ok());
  EXPECT_TRUE(inputOf(R"({"headers":{"a":"b"}})").ok());
  EXPECT_TRUE(inputOf(R"({"headers":null,"payload":{"headers":5}})").ok());
}

TEST(InvocationInput, RefusesHeadersOfAnotherType) {
  for (const char* body : {R"({"headers":"x"})", R"({"headers":5,"payload":{}})", R"({"headers":true})"}) {
    auto in = inputOf(body);
    ASSERT_FALSE(in.ok()) << body;
    EXPECT_EQ(in.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(in.error().message().find("'headers'"), std::string::npos);
  }
}

TEST(InvocationInput, RefusesWhatIsNotAJsonObjectWithThePosition) {
  auto bad = inputOf(R"({"payload": {"n": 1,}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("not valid JSON"), std::string::npos);
  EXPECT_NE(bad.error().message().find("line 1, column 21"), std::string::npos) << bad.error().message();
  EXPECT_FALSE(inputOf(R"({"payload":1} trailing)").ok());
  EXPECT_FALSE(inputOf("{\"payload\":\"\xff\"}").ok());  // not UTF-8
  auto array = inputOf("[1,2]");
  ASSERT_FALSE(array.ok());
  EXPECT_NE(array.error().message().find("must be a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace parley::api
