#include "meetings/recurrence.h"

#include <gtest/gtest.h>

namespace gmg::meetings {
namespace {

LocalSlot Slot(std::string_view text) {
  auto slot = ParseLocalSlot(text);
  EXPECT_TRUE(slot.has_value()) << text;
  return slot.value_or(LocalSlot{});
}

std::vector<std::string> Expand(std::string_view rule_text, std::string_view first,
                                std::vector<std::string_view> exceptions = {}) {
  auto rule = ParseRecurrenceRule(rule_text);
  EXPECT_TRUE(rule.ok()) << (rule.ok() ? "" : rule.error().message);
  if (!rule.ok()) return {};
  std::vector<LocalSlot> skipped;
  for (auto e : exceptions) skipped.push_back(Slot(e));
  auto slots = ExpandRecurrence(*rule, Slot(first), skipped);
  EXPECT_TRUE(slots.ok()) << (slots.ok() ? "" : slots.error().message);
  std::vector<std::string> out;
  if (slots.ok()) {
    for (const auto& s : *slots) out.push_back(FormatLocalSlot(s));
  }
  return out;
}

Error ParseError(std::string_view text) {
  auto rule = ParseRecurrenceRule(text);
  EXPECT_FALSE(rule.ok()) << text;
  return rule.ok() ? Error{} : rule.error();
}

std::string Arg(const Error& e, const std::string& name) {
  if (e.details.empty()) return "?";
  for (const auto& [k, v] : e.details[0].args) {
    if (k == name) return v;
  }
  return "?";
}

TEST(RecurrenceTest, LocalSlotsParseStrictlyAndFormatBack) {
  EXPECT_EQ(FormatLocalSlot(Slot("2027-05-09T10:00")), "2027-05-09T10:00");
  EXPECT_EQ(FormatLocalSlot(Slot("2027-05-09T23:59:00")), "2027-05-09T23:59");
  for (std::string_view bad :
       {"2027-05-09 10:00", "2027-02-30T10:00", "2027-05-09T24:00", "2027-05-09T10:60",
        "2027-05-09T10:00:30", "2027-05-09T1:00", "", "2027-05-09T10:00Z"}) {
    EXPECT_FALSE(ParseLocalSlot(bad).has_value()) << bad;
  }
}

TEST(RecurrenceTest, EverySixMonthsKeepsTheLocalTime) {
  EXPECT_EQ(Expand("FREQ=MONTHLY;INTERVAL=6;COUNT=4", "2027-03-15T10:00"),
            (std::vector<std::string>{"2027-03-15T10:00", "2027-09-15T10:00", "2028-03-15T10:00",
                                      "2028-09-15T10:00"}));
}

TEST(RecurrenceTest, WeeklyByDayWithUntilIsInclusive) {
  EXPECT_EQ(Expand("FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270118", "2027-01-04T09:30"),
            (std::vector<std::string>{"2027-01-04T09:30", "2027-01-07T09:30", "2027-01-11T09:30",
                                      "2027-01-14T09:30", "2027-01-18T09:30"}));
  EXPECT_EQ(Expand("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270201T093000", "2027-01-04T09:30"),
            (std::vector<std::string>{"2027-01-04T09:30", "2027-01-18T09:30", "2027-02-01T09:30"}));
}

TEST(RecurrenceTest, DailyAndYearly) {
  EXPECT_EQ(Expand("FREQ=DAILY;INTERVAL=3;COUNT=3", "2027-12-30T08:00"),
            (std::vector<std::string>{"2027-12-30T08:00", "2028-01-02T08:00", "2028-01-05T08:00"}));
  // 29 February exists only in leap years: the others are skipped, as RFC 5545 says.
  EXPECT_EQ(Expand("FREQ=YEARLY;UNTIL=20360301", "2028-02-29T10:00"),
            (std::vector<std::string>{"2028-02-29T10:00", "2032-02-29T10:00", "2036-02-29T10:00"}));
}

TEST(RecurrenceTest, MonthlyOnThe31stSkipsShortMonths) {
  EXPECT_EQ(Expand("FREQ=MONTHLY;COUNT=3", "2027-01-31T10:00"),
            (std::vector<std::string>{"2027-01-31T10:00", "2027-03-31T10:00", "2027-05-31T10:00"}));
}

TEST(RecurrenceTest, ExceptionsAreSkippedButStillCount) {
  EXPECT_EQ(Expand("FREQ=MONTHLY;INTERVAL=6;COUNT=3", "2027-03-15T10:00", {"2027-09-15T10:00"}),
            (std::vector<std::string>{"2027-03-15T10:00", "2028-03-15T10:00"}));
  // An exception that is not one of the rule's slots changes nothing.
  EXPECT_EQ(Expand("FREQ=YEARLY;COUNT=2", "2027-03-15T10:00", {"2027-03-15T11:00"}).size(), 2U);
}

TEST(RecurrenceTest, FormatReadsBackToTheSameRule) {
  for (std::string_view text :
       {"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10", "FREQ=MONTHLY;INTERVAL=6;UNTIL=20300101",
        "FREQ=DAILY;UNTIL=20270101T100000", "FREQ=YEARLY;COUNT=5"}) {
    auto rule = ParseRecurrenceRule(text);
    ASSERT_TRUE(rule.ok()) << text;
    EXPECT_EQ(FormatRecurrenceRule(*rule), text);
  }
  auto shuffled = ParseRecurrenceRule("COUNT=3;BYDAY=WE,MO;FREQ=WEEKLY");
  ASSERT_TRUE(shuffled.ok());
  EXPECT_EQ(FormatRecurrenceRule(*shuffled), "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3");
}

TEST(RecurrenceTest, ParseErrorsNameThePartAndThePosition) {
  Error e = ParseError("FREQ=HOURLY;COUNT=2");
  EXPECT_EQ(e.code, ErrorCode::kFailedPrecondition);
  ASSERT_EQ(e.details.size(), 1U);
  EXPECT_EQ(e.details[0].field, "rule");
  EXPECT_EQ(e.details[0].rule, "recurrence_rule");
  EXPECT_EQ(Arg(e, "part"), "FREQ");
  EXPECT_EQ(Arg(e, "position"), "5");
  EXPECT_EQ(e.message,
            "rule: FREQ at position 5: 'HOURLY' is not DAILY, WEEKLY, MONTHLY or YEARLY");

  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;COUNT=61"), "part"), "COUNT");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;COUNT=0"), "position"), "18");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;BYDAY=MO,XX;COUNT=2"), "position"), "21");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;BYDAY=MO,MO;COUNT=2"), "part"), "BYDAY");
  EXPECT_EQ(Arg(ParseError("FREQ=MONTHLY;BYDAY=MO;COUNT=2"), "part"), "BYDAY");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;COUNT=2;FREQ=DAILY"), "position"), "20");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;BYMONTH=1;COUNT=2"), "part"), "BYMONTH");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY"), "part"), "COUNT");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;COUNT=2;UNTIL=20270101"), "part"), "UNTIL");
  EXPECT_EQ(Arg(ParseError("COUNT=2"), "part"), "FREQ");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;;COUNT=2"), "position"), "12");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;UNTIL=20270230"), "part"), "UNTIL");
  EXPECT_EQ(Arg(ParseError("FREQ=WEEKLY;INTERVAL=-1;COUNT=2"), "part"), "INTERVAL");
  EXPECT_EQ(Arg(ParseError(""), "part"), "");
}

TEST(RecurrenceTest, ExpansionIsBoundedAndRefusedBeyondTheBounds) {
  auto check = [](std::string_view text, std::string_view first, std::string_view want) {
    auto rule = ParseRecurrenceRule(text);
    ASSERT_TRUE(rule.ok()) << text;
    auto slots = ExpandRecurrence(*rule, Slot(first), {});
    ASSERT_FALSE(slots.ok()) << text;
    EXPECT_EQ(slots.error().details[0].rule, "recurrence_bounds");
    EXPECT_NE(slots.error().message.find(want), std::string::npos) << slots.error().message;
  };
  check("FREQ=DAILY;UNTIL=20280101", "2027-01-01T10:00", "more than 60 meetings");
  check("FREQ=YEARLY;UNTIL=20400101", "2027-01-01T10:00", "more than 10 years");
  check("FREQ=YEARLY;UNTIL=20260101", "2027-01-01T10:00", "before the first meeting");
  check("FREQ=YEARLY;INTERVAL=5;COUNT=5", "2027-01-01T10:00", "reaches beyond 10 years");
  check("FREQ=WEEKLY;BYDAY=TU;COUNT=2", "2027-01-04T10:00", "BYDAY");
  // Exactly 60 is allowed.
  EXPECT_EQ(Expand("FREQ=WEEKLY;COUNT=60", "2027-01-04T10:00").size(), 60U);
  EXPECT_EQ(Expand("FREQ=MONTHLY;INTERVAL=2;UNTIL=20361231", "2027-01-04T10:00").size(), 60U);
}

}  // namespace
}  // namespace gmg::meetings
