#include "control/template_catalogue.h"

#include <gtest/gtest.h>

namespace parley::control {
namespace {

TEST(TemplateCatalogue, EveryEventOfTheCatalogueHasATemplate) {
  const TemplateCatalogue& t = TemplateCatalogue::builtin();
  for (const EventType& e : EventCatalogue::builtin().all()) {
    EXPECT_FALSE(t.forEvent(e.id).empty()) << "no template for " << e.id;
  }
}

TEST(TemplateCatalogue, HasTheTemplatesTheSpecNames) {
  const TemplateCatalogue& t = TemplateCatalogue::builtin();
  for (const char* id : {"hello-world", "http-request", "secret-storage", "logging",
                         "keyword-scanner", "route-to-last-agent", "csat-alert",
                         "bot-custom-integration"}) {
    const FunctionTemplate* f = t.find(id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_NE(f->code.find("lambda"), std::string::npos) << id;
    EXPECT_FALSE(f->name.empty());
    EXPECT_FALSE(f->description.empty());
  }
  EXPECT_EQ(t.find("no-such-template"), nullptr);
}

TEST(TemplateCatalogue, FiltersByEvent) {
  const TemplateCatalogue& t = TemplateCatalogue::builtin();
  std::vector<std::string> ids;
  for (const FunctionTemplate* f : t.forEvent("controllerbot_messaging_conversation_end")) {
    ids.push_back(f->id);
  }
  EXPECT_NE(std::find(ids.begin(), ids.end(), "keyword-scanner"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "automatic-message"), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "hello-world"), ids.end());
  EXPECT_TRUE(t.forEvent("no_such_event").empty());
}

TEST(TemplateCatalogue, RefusesBadData) {
  const EventCatalogue& events = EventCatalogue::builtin();
  auto unknownEvent = TemplateCatalogue::parse(
      R"([{"id":"a","name":"A","description":"d","code":"function lambda(){}","eventIds":["nope"]}])",
      events);
  ASSERT_FALSE(unknownEvent.ok());
  EXPECT_NE(unknownEvent.error().message().find("nope"), std::string::npos);
  auto noCode = TemplateCatalogue::parse(
      R"([{"id":"a","name":"A","description":"d","eventIds":["No Event"]}])", events);
  ASSERT_FALSE(noCode.ok());
  EXPECT_NE(noCode.error().message().find("'code'"), std::string::npos);
  auto duplicate = TemplateCatalogue::parse(
      R"([{"id":"a","name":"A","description":"d","code":"c","eventIds":["No Event"]},
          {"id":"a","name":"A","description":"d","code":"c","eventIds":["No Event"]}])",
      events);
  EXPECT_FALSE(duplicate.ok());
}

}  // namespace
}  // namespace parley::control
