#include "interop/time_zone.h"

#include <gtest/gtest.h>

#include "core/date.h"

namespace gmg::tz {
namespace {

int64_t Utc(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return int64_t{Date::FromCivil(y, m, d).days()} * 86400 + hour * 3600 + minute * 60;
}

LocalDateTime Local(std::string_view text) { return ParseLocalDateTime(text).value(); }

TEST(TimeZone, ParsesAndFormatsLocalTimes) {
  EXPECT_EQ(FormatLocalDateTime(Local("2026-05-09T10:00")), "2026-05-09T10:00:00");
  EXPECT_EQ(FormatLocalDateTime(Local("2028-02-29T23:59:58")), "2028-02-29T23:59:58");
  for (std::string_view bad : {"", "2026-05-09", "2026-05-09 10:00", "2026-02-30T10:00",
                               "2026-05-09T24:00", "2026-05-09T10:60", "1899-12-31T10:00",
                               "2026-5-09T10:00", "2026-05-09T10:00:0", "+026-05-09T10:00"}) {
    auto t = ParseLocalDateTime(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(TimeZone, KnowsTheZonesOfTheDatabase) {
  EXPECT_TRUE(IsKnownZone("Europe/Zurich"));
  EXPECT_TRUE(IsKnownZone("America/New_York"));
  EXPECT_TRUE(IsKnownZone("UTC"));
  EXPECT_FALSE(IsKnownZone("Europe/Atlantis"));
  EXPECT_FALSE(IsKnownZone(""));
  EXPECT_FALSE(IsKnownZone("../../etc/passwd"));
}

TEST(TimeZone, ZurichWinterAndSummer) {
  EXPECT_EQ(LocalToUtc("Europe/Zurich", Local("2027-01-15T10:00")).value(), Utc(2027, 1, 15, 9));
  EXPECT_EQ(LocalToUtc("Europe/Zurich", Local("2027-07-15T10:00")).value(), Utc(2027, 7, 15, 8));
  EXPECT_EQ(FormatLocalDateTime(UtcToLocal("Europe/Zurich", Utc(2027, 7, 15, 8)).value()),
            "2027-07-15T10:00:00");
}

TEST(TimeZone, SkippedTimeNamesTheNextValidTime) {
  auto t = LocalToUtc("Europe/Zurich", Local("2027-03-28T02:30"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(t.error().message.find("does not exist in Europe/Zurich"), std::string::npos)
      << t.error().message;
  EXPECT_NE(t.error().message.find("2027-03-28T03:00:00"), std::string::npos) << t.error().message;
  // Just before and at the end of the gap.
  EXPECT_EQ(LocalToUtc("Europe/Zurich", Local("2027-03-28T01:59")).value(),
            Utc(2027, 3, 28, 0, 59));
  EXPECT_EQ(LocalToUtc("Europe/Zurich", Local("2027-03-28T03:00")).value(), Utc(2027, 3, 28, 1));
}

TEST(TimeZone, RepeatedTimeResolvesToTheEarlierInstant) {
  // 2027-10-31: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice; the first is CEST.
  EXPECT_EQ(LocalToUtc("Europe/Zurich", Local("2027-10-31T02:30")).value(),
            Utc(2027, 10, 31, 0, 30));
  EXPECT_EQ(LocalToUtc("Europe/Zurich", Local("2027-10-31T03:00")).value(), Utc(2027, 10, 31, 2));
}

TEST(TimeZone, NewYork) {
  EXPECT_EQ(LocalToUtc("America/New_York", Local("2026-12-10T11:00")).value(),
            Utc(2026, 12, 10, 16));
  EXPECT_EQ(LocalToUtc("America/New_York", Local("2027-06-10T11:00")).value(),
            Utc(2027, 6, 10, 15));
  auto gap = LocalToUtc("America/New_York", Local("2027-03-14T02:15"));
  ASSERT_FALSE(gap.ok());
  EXPECT_NE(gap.error().message.find("2027-03-14T03:00:00"), std::string::npos);
}

TEST(TimeZone, Utc) {
  EXPECT_EQ(LocalToUtc("UTC", Local("2027-03-28T02:30")).value(), Utc(2027, 3, 28, 2, 30));
  EXPECT_EQ(FormatLocalDateTime(UtcToLocal("UTC", Utc(2027, 3, 28, 2, 30)).value()),
            "2027-03-28T02:30:00");
  auto p = Periods("UTC", Utc(2027, 1, 1, 0), Utc(2028, 1, 1, 0));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 1U);
  EXPECT_EQ((*p)[0].offset_after, 0);
  EXPECT_FALSE((*p)[0].daylight);
}

TEST(TimeZone, UnknownZoneIsAnError) {
  for (auto r : {LocalToUtc("Mars/Olympus", Local("2027-01-01T00:00")).ok(),
                 UtcToLocal("Mars/Olympus", 0).ok(), Periods("Mars/Olympus", 0, 1).ok()}) {
    EXPECT_FALSE(r);
  }
  EXPECT_NE(LocalToUtc("Mars/Olympus", Local("2027-01-01T00:00"))
                .error()
                .message.find("unknown time zone \"Mars/Olympus\""),
            std::string::npos);
  EXPECT_FALSE(Periods("UTC", 2, 1).ok());
}

TEST(TimeZone, PeriodsAcrossAYear) {
  auto p = Periods("Europe/Zurich", Utc(2027, 1, 1, 0), Utc(2027, 12, 31, 23));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 3U);
  // In force on 1 January: CET since the end of October 2026.
  EXPECT_EQ((*p)[0].begins_utc, Utc(2026, 10, 25, 1));
  EXPECT_EQ((*p)[0].offset_before, 7200);
  EXPECT_EQ((*p)[0].offset_after, 3600);
  EXPECT_FALSE((*p)[0].daylight);
  EXPECT_EQ((*p)[0].abbreviation, "CET");
  EXPECT_EQ((*p)[1].begins_utc, Utc(2027, 3, 28, 1));
  EXPECT_EQ((*p)[1].offset_before, 3600);
  EXPECT_EQ((*p)[1].offset_after, 7200);
  EXPECT_TRUE((*p)[1].daylight);
  EXPECT_EQ((*p)[1].abbreviation, "CEST");
  EXPECT_EQ((*p)[2].begins_utc, Utc(2027, 10, 31, 1));
  EXPECT_EQ((*p)[2].offset_after, 3600);
  EXPECT_FALSE((*p)[2].daylight);
}

TEST(TimeZone, PeriodsOfAZoneThatChangedItsRules) {
  // Samoa skipped 30 December 2011, moving from UTC-10 (-11 + DST) to UTC+14 (+13 + DST).
  auto p = Periods("Pacific/Apia", Utc(2011, 12, 1, 0), Utc(2012, 1, 31, 0));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 2U);
  EXPECT_EQ((*p)[1].offset_before, -10 * 3600);
  EXPECT_EQ((*p)[1].offset_after, 14 * 3600);
}

}  // namespace
}  // namespace gmg::tz
