#include "core/date.h"

#include <gtest/gtest.h>

namespace gmg {
namespace {

TEST(DateTest, ParsesRealDaysOnly) {
  EXPECT_EQ(Date::Parse("2006-05-09")->ToString(), "2006-05-09");
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_FALSE(Date::Parse("2023-02-29"));
  EXPECT_FALSE(Date::Parse("2006-13-01"));
  EXPECT_FALSE(Date::Parse("2006-5-9"));
  EXPECT_FALSE(Date::Parse("09/05/2006"));
  EXPECT_FALSE(Date::Parse("2006-05-09T00:00"));
  EXPECT_FALSE(Date::Parse("1066-10-14"));
  EXPECT_FALSE(Date::Parse(""));
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(Date::Parse("2006-05-09")->AddMonths(6).ToString(), "2006-11-09");
  EXPECT_EQ(Date::Parse("2007-01-31")->AddMonths(1).ToString(), "2007-02-28");
  EXPECT_EQ(Date::Parse("2008-01-31")->AddMonths(1).ToString(), "2008-02-29");
  EXPECT_EQ(Date::Parse("2006-11-09")->AddMonths(-6).ToString(), "2006-05-09");
}

TEST(DateTest, FormatsTimestampsAsRfc3339Utc) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(1147132800), "2006-05-09T00:00:00Z");
  // Before 1970 (found by fuzz/timestamp_fuzz.cc: -1 was "1970-01-01T00:00:-1Z").
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatTimestamp(-86400), "1969-12-31T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(kMinTimestamp), "1900-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(kMaxTimestamp), "2200-12-31T23:59:59Z");
  // Beyond what four digits of year can write: the nearest end.
  EXPECT_EQ(FormatTimestamp(INT64_MIN), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(INT64_MAX), "9999-12-31T23:59:59Z");
}

TEST(DateTest, ParsesInstantsOfTheYears1900To2200Only) {
  EXPECT_EQ(*ParseTimestamp("1900-01-01T00:00:00Z"), kMinTimestamp);
  EXPECT_EQ(*ParseTimestamp("1900-01-01T00:00-00:30"), kMinTimestamp + 1800);
  EXPECT_EQ(*ParseTimestamp("2200-12-31T23:59:59Z"), kMaxTimestamp);
  EXPECT_EQ(*ParseTimestamp("1969-12-31T23:59:59Z"), -1);
  // A date within the years whose offset moves the instant out of them.
  for (const char* outside : {"1900-01-01T00:00:00+00:01", "2200-12-31T23:00:00-01:00"}) {
    auto t = ParseTimestamp(outside);
    ASSERT_FALSE(t.ok()) << outside;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(t.error().message,
              "must be an instant between 1900-01-01T00:00:00Z and 2200-12-31T23:59:59Z");
  }
  for (const char* absurd : {"1899-12-31T23:59:59Z", "0000-01-01T00:00Z", "9999-12-31T23:59Z"}) {
    auto t = ParseTimestamp(absurd);
    ASSERT_FALSE(t.ok()) << absurd;
    EXPECT_EQ(t.error().message,
              "must be an instant between 1900-01-01T00:00:00Z and 2200-12-31T23:59:59Z");
  }
  auto bad = ParseTimestamp("2026-02-29T12:00:00Z");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            "must be an instant like 2026-12-10T16:00:00Z or 2026-12-10T17:00:00+01:00");
}

}  // namespace
}  // namespace gmg
