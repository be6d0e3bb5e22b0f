#include "control/event_catalogue.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace parley::control {
namespace {

// The fact sheet's §3.1 table, verbatim: id, name, per-event limit.
const std::vector<std::tuple<std::string, std::string, int64_t>> kLivePersonEvents = {
    {"bot_connectors_custom_integration", "Third-Party Bots Custom Integration", 15},
    {"bot_connectors_error_hook", "Third-Party Bots Error-Hook", 15},
    {"bot_connectors_post_hook", "Third-Party Bots Post-Hook", 15},
    {"bot_connectors_pre_hook", "Third-Party Bots Pre-Hook", 15},
    {"controllerbot_messaging_conversation_end", "Messaging Conversation End", 1},
    {"controllerbot_messaging_conversation_idle", "Messaging Conversation Idle", 1},
    {"controllerbot_messaging_conversation_routing", "Messaging Conversation Routing", 1},
    {"controllerbot_messaging_mid_conversation_msg", "Messaging Line in Off-Hours", 1},
    {"controllerbot_messaging_new_conversation", "Messaging New Conversation", 1},
    {"controllerbot_messaging_participants_change", "Messaging Participants Change", 1},
    {"controllerbot_messaging_ttr", "Messaging TTR", 1},
    {"conversational_command", "Conversational Command", 30},
    {"denver_post_survey_email_transcript", "Chat Post Survey E-Mail Transcript", 10},
    {"surveybot_messaging_survey_ended", "Messaging Survey Ended", 1},
    {"surveybot_messaging_survey_started", "Messaging Survey Started", 1},
};

TEST(EventCatalogue, HasEveryLivePersonEventWithItsNameAndLimit) {
  const EventCatalogue& c = EventCatalogue::builtin();
  for (const auto& [id, name, limit] : kLivePersonEvents) {
    const EventType* e = c.find(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_EQ(e->name, name);
    EXPECT_EQ(e->lambdaLimit, limit) << id;
    EXPECT_FALSE(e->description.empty()) << id;
  }
  const EventType* none = c.find(kNoEvent);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->lambdaLimit, 0);
  EXPECT_FALSE(none->skillsSupported);
  EXPECT_TRUE(c.find("controllerbot_messaging_new_conversation")->skillsSupported);
  EXPECT_FALSE(c.find("conversational_command")->skillsSupported);
}

TEST(EventCatalogue, EverySamplePayloadIsAnInvocationInput) {
  for (const EventType& e : EventCatalogue::builtin().all()) {
    nlohmann::json sample = nlohmann::json::parse(e.samplePayloadJson);
    EXPECT_TRUE(sample["timestamp"].is_number()) << e.id;
    EXPECT_TRUE(sample["headers"].is_array()) << e.id;
    EXPECT_TRUE(sample.contains("payload")) << e.id;
  }
  nlohmann::json command = nlohmann::json::parse(
      EventCatalogue::builtin().find("conversational_command")->samplePayloadJson);
  EXPECT_TRUE(command["payload"]["arguments"].is_array());
}

TEST(EventCatalogue, RejectsMalformedCatalogues) {
  EXPECT_FALSE(EventCatalogue::parse("{}").ok());
  EXPECT_FALSE(EventCatalogue::parse(R"([{"eventName":"x"}])").ok());
  EXPECT_EQ(EventCatalogue::parse(R"([{"eventId":"a"},{"eventId":"a"}])").error().message(),
            "duplicate event id 'a'");
}

}  // namespace
}  // namespace parley::control
