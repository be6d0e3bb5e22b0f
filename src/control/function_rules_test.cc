#include "control/function_rules.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace parley::control {
namespace {

std::vector<FieldError> nameErrors(const std::string& name) {
  std::vector<FieldError> e;
  checkName(name, e);
  return e;
}

TEST(FunctionRules, Names) {
  EXPECT_TRUE(nameErrors("greet_User_2").empty());
  EXPECT_TRUE(nameErrors(std::string(50, 'a')).empty());
  EXPECT_FALSE(nameErrors("").empty());
  EXPECT_FALSE(nameErrors(std::string(51, 'a')).empty());
  EXPECT_FALSE(nameErrors("has space").empty());
  EXPECT_FALSE(nameErrors("dash-ed").empty());
  EXPECT_EQ(nameErrors("dash-ed")[0].field, "name");
}

TEST(FunctionRules, DescriptionAndCodeCountCharactersNotBytes) {
  std::vector<FieldError> e;
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "é";  // 400 bytes, 200 characters
  checkDescription(accents, e);
  EXPECT_TRUE(e.empty());
  checkDescription(accents + "x", e);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "description");
  e.clear();
  checkCode(std::string(100'000, 'x'), e);
  EXPECT_TRUE(e.empty());
  checkCode(std::string(100'001, 'x'), e);
  checkCode("  \n ", e);
  EXPECT_EQ(e.size(), 2u);
}

TEST(FunctionRules, Environment) {
  std::vector<FieldError> e;
  checkEnvironment({{"API_URL", "https://x"}, {"_private", "1"}}, e);
  EXPECT_TRUE(e.empty());
  checkEnvironment({{"1BAD", "x"}, {"BAD-NAME", "x"}, {"BRAND_ID", "x"},
                    {"LONG", std::string(1025, 'v')}},
                   e);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].field, "environment.1BAD");
  EXPECT_NE(e[2].message.find("platform"), std::string::npos);
  EXPECT_EQ(e[3].field, "environment.LONG");
  std::map<std::string, std::string> many;
  for (int i = 0; i < 513; ++i) many["V" + std::to_string(i)] = "x";
  e.clear();
  checkEnvironment(many, e);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "environment");
}

TEST(FunctionRules, SettingsWithinAccountMaxima) {
  FunctionLimits limits;
  limits.maxTimeoutSeconds = 60;
  limits.maxMemoryMb = 256;
  std::vector<FieldError> e;
  checkSettings({30, 128}, limits, e);
  EXPECT_TRUE(e.empty());
  checkSettings({0, 512}, limits, e);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].field, "settings.timeoutSeconds");
  EXPECT_EQ(e[1].field, "settings.memoryMb");
}

TEST(FunctionRules, ValidationErrorListsEveryField) {
  Error err = validationError({{"name", "is bad"}, {"code", "is empty"}});
  EXPECT_EQ(err.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(err.message(), "name is bad; code is empty");
  auto d = nlohmann::json::parse(err.details());
  ASSERT_EQ(d["fields"].size(), 2u);
  EXPECT_EQ(d["fields"][1]["field"], "code");
}

}  // namespace
}  // namespace parley::control

namespace parley::control {
namespace {

store::FunctionRecord bound(const std::string& uuid, const std::string& name,
                            const std::string& event, std::vector<std::string> skills) {
  store::FunctionRecord f;
  f.uuid = uuid;
  f.name = name;
  f.eventId = event;
  f.skills = std::move(skills);
  return f;
}

std::vector<FieldError> binding(const store::FunctionRecord& candidate,
                                const std::vector<store::FunctionRecord>& others) {
  std::vector<FieldError> e;
  checkBinding(EventCatalogue::builtin(), candidate, others, e);
  return e;
}

const char* kNewConversation = "controllerbot_messaging_new_conversation";

TEST(BindingRules, UnknownEventsAndSkillsWhereTheyDoNotApply) {
  auto e = binding(bound("1", "f", "no_such_event", {}), {});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "eventId");
  e = binding(bound("1", "f", "conversational_command", {"123"}), {});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "skills");
  EXPECT_TRUE(binding(bound("1", "f", kNoEvent, {}), {}).empty());
}

TEST(BindingRules, PerEventLimit) {
  std::vector<store::FunctionRecord> commands;
  for (int i = 0; i < 30; ++i) {
    commands.push_back(bound(std::to_string(i), "c" + std::to_string(i), "conversational_command", {}));
  }
  auto e = binding(bound("new", "c30", "conversational_command", {}), commands);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].message.find("allows 30"), std::string::npos);
  // Re-saving one of the thirty is not a 31st.
  EXPECT_TRUE(binding(commands[3], commands).empty());
  // No Event is unlimited.
  std::vector<store::FunctionRecord> plain(600, bound("x", "x", kNoEvent, {}));
  EXPECT_TRUE(binding(bound("y", "y", kNoEvent, {}), plain).empty());
}

TEST(BindingRules, SkillSetsMustNotOverlap) {
  // The fact sheet's examples, on a limit-1 event: [1,2] + [3,4] is fine; adding a function
  // without skills is not.
  std::vector<store::FunctionRecord> existing = {bound("a", "f1", kNewConversation, {"1", "2"})};
  EXPECT_TRUE(binding(bound("b", "f2", kNewConversation, {"3", "4"}), existing).empty());
  existing.push_back(bound("b", "f2", kNewConversation, {"3", "4"}));
  auto e = binding(bound("c", "f3", kNewConversation, {}), existing);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].message.find("without skills"), std::string::npos);
  e = binding(bound("c", "f3", kNewConversation, {"5", "2"}), existing);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].message, "skill 2 of 'controllerbot_messaging_new_conversation' is taken by 'f1'");
  // A function without skills blocks everyone else.
  std::vector<store::FunctionRecord> greedy = {bound("g", "all", kNewConversation, {})};
  EXPECT_FALSE(binding(bound("h", "one", kNewConversation, {"9"}), greedy).empty());
  // A function is not in conflict with itself.
  EXPECT_TRUE(binding(existing[0], existing).empty());
}

}  // namespace
}  // namespace parley::control
