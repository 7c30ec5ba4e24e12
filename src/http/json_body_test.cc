#include "http/json_body.h"

#include <gtest/gtest.h>

namespace gmg::http {
namespace {

TEST(JsonBodyTest, ReportsEveryProblemWithItsField) {
  auto body = JsonBody::ParseText(R"({"name": 5, "joined_on": "2006-02-30", "colour": "red"})");
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(body->String("name", true));
  EXPECT_FALSE(body->DateField("joined_on", true));
  EXPECT_FALSE(body->String("mandate", true));
  Status s = body->Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(s.error().details.size(), 4u);
  std::vector<std::string> fields;
  for (const auto& d : s.error().details) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "joined_on", "mandate", "colour"}));
  std::vector<std::string> rules;
  for (const auto& d : s.error().details) rules.push_back(d.rule);
  EXPECT_EQ(rules,
            (std::vector<std::string>{"wrong_type", "invalid_date", "required", "unknown_field"}));
}

TEST(JsonBodyTest, TheMessageNamesTheFirstProblemsAndCountsTheRest) {
  std::string text = "{";
  for (int i = 0; i < 500; ++i) text += (i ? ",\"f" : "\"f") + std::to_string(i) + "\": 1";
  auto body = JsonBody::ParseText(text + "}");
  ASSERT_TRUE(body.ok());
  Status s = body->Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details.size(), 500u);  // all kept; the answer lists 20 (message.h)
  EXPECT_NE(s.error().message.find("; and 480 more"), std::string::npos);
  EXPECT_LT(s.error().message.size(), 1000u);
}

TEST(JsonBodyTest, MalformedJsonNamesLineAndColumn) {
  auto body = JsonBody::ParseText("{\n  \"name\": \"x\",\n  oops\n}");
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.error().message.find("line 3"), std::string::npos) << body.error().message;
}

TEST(JsonBodyTest, RejectsAKeyNamedTwiceInOneObject) {
  auto top = JsonBody::ParseText("{\"role\": \"member\",\n \"role\": \"admin\"}");
  ASSERT_FALSE(top.ok());
  EXPECT_NE(top.error().message.find("line 2"), std::string::npos) << top.error().message;
  EXPECT_NE(top.error().message.find("\"role\" appears twice"), std::string::npos);
  EXPECT_FALSE(JsonBody::ParseText(R"({"a": [{"b": 1, "b": 2}]})").ok());
  EXPECT_FALSE(JsonBody::ParseText(R"({"": 1, "": 2})").ok());
  EXPECT_FALSE(JsonBody::ParseText(R"({"key": 1, "key": 2})").ok());  // same key, escaped
  // The same key in different objects, or in sibling objects, is fine.
  EXPECT_TRUE(JsonBody::ParseText(R"({"a": {"id": 1}, "b": {"id": 2}, "id": 3})").ok());
  EXPECT_TRUE(JsonBody::ParseText(R"({"list": [{"id": 1}, {"id": 2}]})").ok());
}

TEST(JsonBodyTest, RejectsNonObjectsDeepNestingAndControlCharacters) {
  EXPECT_FALSE(JsonBody::ParseText("[1,2]").ok());
  EXPECT_FALSE(JsonBody::ParseText(std::string(100, '[') + std::string(100, ']')).ok());
  auto body = JsonBody::ParseText(R"({"name": "a\u0000b"})");
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(body->String("name", true));
  EXPECT_FALSE(body->Finish().ok());
}

TEST(JsonBodyTest, TrimsStringsAndChecksLimits) {
  auto body = JsonBody::ParseText(R"({"name": "  IOM  ", "n": 70, "ok": true, "list": ["a","b"]})");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body->String("name", true), "IOM");
  EXPECT_FALSE(body->Int("n", true, 1, 60));
  EXPECT_TRUE(*body->Bool("ok", true));
  EXPECT_EQ(body->StringArray("list", true, 5)->size(), 2u);
  EXPECT_FALSE(body->Finish().ok());  // n out of range
}

TEST(JsonBodyTest, IdArraysHoldAtMostSoManyPositiveWholeNumbers) {
  auto body = JsonBody::ParseText(
      R"({"ok": [3, 1], "many": [1, 2, 3], "zero": [0], "text": ["1"], "one": 1})");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body->IdArray("ok", true, 2), (std::vector<int64_t>{3, 1}));
  EXPECT_FALSE(body->IdArray("many", true, 2));
  EXPECT_FALSE(body->IdArray("zero", true, 2));
  EXPECT_FALSE(body->IdArray("text", true, 2));
  EXPECT_FALSE(body->IdArray("one", true, 2));
  EXPECT_FALSE(body->IdArray("absent", false, 2));
  auto status = body->Finish();
  ASSERT_FALSE(status.ok());
  std::vector<std::string> rules;
  for (const auto& d : status.error().details) rules.push_back(d.field + ":" + d.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"many:too_many", "zero:wrong_type", "text:wrong_type",
                                             "one:wrong_type"}));
}

TEST(JsonBodyTest, RequiresJsonContentType) {
  Request req;
  req.body = "{}";
  auto body = JsonBody::Parse(req);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::kUnsupportedMediaType);
  req.headers.emplace_back("content-type", "application/json; charset=utf-8");
  EXPECT_TRUE(JsonBody::Parse(req).ok());
}

}  // namespace
}  // namespace gmg::http
