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
}

}  // namespace
}  // namespace gmg
