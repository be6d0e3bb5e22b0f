// CloudEvents parsing and validation: each mode, each bad field, batch indexes.
#include "control/cloud_events.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace parley::control {
namespace {

using nlohmann::json;

const KnownEventType kKnown = [](const std::string& t) { return t == "crm.updated"; };

json event() {
  return {{"specversion", "1.0"}, {"id", "e1"}, {"source", "crm"}, {"type", "crm.updated"}};
}

// The fields named by a validation error, in order.
std::vector<std::string> fieldsOf(const Error& e) {
  std::vector<std::string> out;
  json d = json::parse(e.details());
  for (const auto& f : d["fields"]) out.push_back(f["field"]);
  return out;
}

Result<std::vector<CloudEvent>> structured(const json& j) {
  return parseCloudEvents("application/cloudevents+json; charset=utf-8", {}, j.dump(), kKnown);
}

TEST(CloudEvents, StructuredModeKeepsEveryAttribute) {
  json j = event();
  j["subject"] = "conv-1";
  j["time"] = "2024-05-01T10:00:00.123+02:00";
  j["datacontenttype"] = "application/json";
  j["skillid"] = 42;
  j["data"] = {{"a", 1}};
  auto r = structured(j);
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  const CloudEvent& e = (*r)[0];
  EXPECT_EQ(e.id, "e1");
  EXPECT_EQ(e.source, "crm");
  EXPECT_EQ(e.type, "crm.updated");
  EXPECT_EQ(e.subject, "conv-1");
  EXPECT_EQ(e.skillId, "42");
  EXPECT_EQ(json::parse(e.dataJson), json({{"a", 1}}));
  EXPECT_EQ(json::parse(e.structuredJson)["time"], "2024-05-01T10:00:00.123+02:00");
}

TEST(CloudEvents, EachBadFieldIsNamed) {
  struct Case {
    const char* field;
    json value;  // null: remove the field
    const char* named;
  };
  for (const Case& c : std::vector<Case>{
           {"specversion", "0.3", "specversion"},
           {"specversion", nullptr, "specversion"},
           {"id", nullptr, "id"},
           {"id", "", "id"},
           {"id", 7, "id"},
           {"source", nullptr, "source"},
           {"type", nullptr, "type"},
           {"type", "unknown.event", "type"},
           {"subject", 5, "subject"},
           {"time", "yesterday", "time"},
           {"time", "2024-05-01 10:00:00Z", "time"},
           {"datacontenttype", true, "datacontenttype"},
           {"skillid", json::array(), "skillid"},
           {"data_base64", "***", "data_base64"},
       }) {
    SCOPED_TRACE(std::string(c.field) + " = " + c.value.dump());
    json j = event();
    if (c.value.is_null()) {
      j.erase(c.field);
    } else {
      j[c.field] = c.value;
    }
    auto r = structured(j);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{c.named});
    EXPECT_NE(r.error().message().find(c.named), std::string::npos);
  }
}

TEST(CloudEvents, DataAndDataBase64AreExclusive) {
  json j = event();
  j["data"] = 1;
  j["data_base64"] = "aGk=";
  auto r = structured(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{"data_base64"});
  j.erase("data");
  r = structured(j);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].dataBase64, "aGk=");
}

TEST(CloudEvents, NotJsonOrNotAnObject) {
  auto r = parseCloudEvents("application/cloudevents+json", {}, "{nope", kKnown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{"body"});
  r = structured(json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{"body"});
}

TEST(CloudEvents, BatchNamesTheIndexOfEachBadEvent) {
  json bad = event();
  bad.erase("source");
  json worse = event();
  worse["type"] = "nope";
  worse["specversion"] = "2.0";
  json batch = json::array({event(), bad, worse});
  auto r = parseCloudEvents("application/cloudevents-batch+json", {}, batch.dump(), kKnown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()),
            (std::vector<std::string>{"[1].source", "[2].specversion", "[2].type"}));

  json good = json::array({event(), event()});
  good[1]["id"] = "e2";
  r = parseCloudEvents("application/cloudevents-batch+json", {}, good.dump(), kKnown);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].id, "e2");
}

TEST(CloudEvents, BatchMustBeANonEmptyArrayWithinTheLimit) {
  auto r = parseCloudEvents("application/cloudevents-batch+json", {}, event().dump(), kKnown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{"body"});
  r = parseCloudEvents("application/cloudevents-batch+json", {}, "[]", kKnown);
  ASSERT_FALSE(r.ok());
  json three = json::array({event(), event(), event()});
  r = parseCloudEvents("application/cloudevents-batch+json", {}, three.dump(), kKnown, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("at most 2"), std::string::npos);
}

std::map<std::string, std::string> ceHeaders() {
  return {{"ce-specversion", "1.0"},
          {"ce-id", "b1"},
          {"ce-source", "crm"},
          {"ce-type", "crm.updated"},
          {"ce-subject", "conv-9"}};
}

TEST(CloudEvents, BinaryModeJsonBodyIsTheData) {
  auto r = parseCloudEvents("application/json", ceHeaders(), R"({"x":[1,2]})", kKnown);
  ASSERT_TRUE(r.ok()) << r.error().message();
  const CloudEvent& e = (*r)[0];
  EXPECT_EQ(e.id, "b1");
  EXPECT_EQ(e.subject, "conv-9");
  EXPECT_EQ(json::parse(e.dataJson), json({{"x", {1, 2}}}));
  EXPECT_EQ(json::parse(e.structuredJson)["datacontenttype"], "application/json");
}

TEST(CloudEvents, BinaryModeOtherBodiesAreBase64) {
  auto r = parseCloudEvents("text/plain", ceHeaders(), "hello", kKnown);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].dataBase64, "aGVsbG8=");
  json input = json::parse(invocationInputFor((*r)[0], 5));
  EXPECT_EQ(input["payload"], "aGVsbG8=");
}

TEST(CloudEvents, BinaryModeNamesTheHeader) {
  auto h = ceHeaders();
  h.erase("ce-id");
  auto r = parseCloudEvents("application/json", h, "{}", kKnown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{"ce-id"});

  r = parseCloudEvents("application/json", {}, "{}", kKnown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{"ce-specversion"});

  r = parseCloudEvents("application/json", ceHeaders(), "{broken", kKnown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(fieldsOf(r.error()), std::vector<std::string>{"data"});
}

TEST(CloudEvents, InvocationInputIsLivePersonsShape) {
  json j = event();
  j["subject"] = "conv-1";
  j["data"] = {{"convId", "c"}};
  auto r = structured(j);
  ASSERT_TRUE(r.ok());
  json input = json::parse(invocationInputFor((*r)[0], 1234));
  EXPECT_EQ(input["timestamp"], 1234);
  EXPECT_EQ(input["payload"], json({{"convId", "c"}}));
  EXPECT_EQ(input["headers"][0], json({{"key", "ce-id"}, {"value", "e1"}}));
  auto again = invocationInputFor((*r)[0].structuredJson, 1234);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(json::parse(*again), input);
}

}  // namespace
}  // namespace parley::control
