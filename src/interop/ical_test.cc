#include "interop/ical.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/date.h"

namespace gmg::ical {
namespace {

int64_t Utc(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return int64_t{Date::FromCivil(y, m, d).days()} * 86400 + hour * 3600 + minute * 60;
}

std::vector<std::string> Lines(const std::string& ical) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i + 1 < ical.size(); ++i) {
    if (ical[i] == '\r' && ical[i + 1] == '\n') {
      lines.push_back(ical.substr(start, i - start));
      start = i + 2;
    }
  }
  EXPECT_EQ(start, ical.size()) << "the output ends in CRLF";
  return lines;
}

bool Contains(const std::vector<std::string>& lines, std::string_view line) {
  for (const auto& l : lines) {
    if (l == line) return true;
  }
  return false;
}

Event Zurich(int64_t start, std::string_view summary = "GMG principals") {
  Event e;
  e.uid = "meeting-1@gmg-hub";
  e.starts_at = start;
  e.ends_at = start + 7200;
  e.time_zone = "Europe/Zurich";
  e.summary = summary;
  e.last_modified = Utc(2026, 11, 1, 12);
  return e;
}

TEST(Ical, WritesACalendarWithOneEvent) {
  Event e = Zurich(Utc(2027, 6, 15, 8));
  e.location = "Palais des Nations, Geneva";
  e.url = "https://example.org/meetings/1";
  e.chair = "IOM";
  e.status = EventStatus::kCancelled;
  e.sequence = 3;
  Calendar cal{"GMG meetings", "-//GMG Hub//Meetings//EN", Utc(2026, 11, 30, 17, 5)};
  auto out = WriteCalendar(cal, std::span<const Event>(&e, 1));
  ASSERT_TRUE(out.ok()) << out.error().message;
  auto lines = Lines(*out);
  ASSERT_GE(lines.size(), 10U);
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  for (std::string_view l :
       {"VERSION:2.0", "PRODID:-//GMG Hub//Meetings//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        "X-WR-CALNAME:GMG meetings", "BEGIN:VTIMEZONE", "TZID:Europe/Zurich",
        "UID:meeting-1@gmg-hub", "DTSTAMP:20261130T170500Z",
        "DTSTART;TZID=Europe/Zurich:20270615T100000", "DTEND;TZID=Europe/Zurich:20270615T120000",
        "SUMMARY:GMG principals", "LOCATION:Palais des Nations\\, Geneva",
        "URL:https://example.org/meetings/1", "STATUS:CANCELLED", "SEQUENCE:3",
        "LAST-MODIFIED:20261101T120000Z", "X-GMG-CHAIR:IOM"}) {
    EXPECT_TRUE(Contains(lines, l)) << l << "\n" << *out;
  }
  EXPECT_FALSE(Contains(lines, "DESCRIPTION:"));
}

TEST(Ical, TimeZoneHasTheExactPeriodsOfTheRange) {
  // A series crossing both changes of 2027.
  std::vector<Event> events = {Zurich(Utc(2027, 3, 1, 9)), Zurich(Utc(2027, 6, 1, 8)),
                               Zurich(Utc(2027, 11, 15, 9))};
  auto out = WriteCalendar(Calendar{"x"}, events);
  ASSERT_TRUE(out.ok());
  auto lines = Lines(*out);
  EXPECT_TRUE(Contains(lines, "DTSTART;TZID=Europe/Zurich:20270301T100000"));
  EXPECT_TRUE(Contains(lines, "DTSTART;TZID=Europe/Zurich:20270601T100000"));
  EXPECT_TRUE(Contains(lines, "DTSTART;TZID=Europe/Zurich:20271115T100000"));
  std::string tz = out->substr(out->find("BEGIN:VTIMEZONE"),
                               out->find("END:VTIMEZONE") - out->find("BEGIN:VTIMEZONE"));
  EXPECT_NE(tz.find("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\n"
                    "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n"),
            std::string::npos)
      << tz;
  EXPECT_NE(tz.find("BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\n"
                    "TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n"),
            std::string::npos)
      << tz;
  EXPECT_NE(tz.find("DTSTART:20261025T030000"), std::string::npos) << tz;  // in force on 1 March
  EXPECT_EQ(tz.find("RRULE"), std::string::npos);
}

TEST(Ical, OneTimeZonePerZoneUsedAndUtcWithoutZone) {
  Event a = Zurich(Utc(2027, 1, 10, 9));
  Event b = a;
  b.time_zone = "America/New_York";
  Event c = a;
  c.time_zone = "";
  Event d = a;
  std::vector<Event> events = {a, b, c, d};
  auto out = WriteCalendar(Calendar{}, events);
  ASSERT_TRUE(out.ok());
  auto lines = Lines(*out);
  int zones = 0;
  for (const auto& l : lines) zones += l == "BEGIN:VTIMEZONE" ? 1 : 0;
  EXPECT_EQ(zones, 2);
  EXPECT_TRUE(Contains(lines, "DTSTART;TZID=America/New_York:20270110T040000"));
  EXPECT_TRUE(Contains(lines, "DTSTART:20270110T090000Z"));
}

TEST(Ical, ASummerRangeStartsWithTheStandardPeriodBefore) {
  Event e = Zurich(Utc(2027, 6, 10, 15));
  e.time_zone = "America/New_York";
  auto out = WriteCalendar(Calendar{}, std::span<const Event>(&e, 1));
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("TZID:America/New_York\r\nBEGIN:STANDARD\r\nDTSTART:20261101T020000\r\n"
                      "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\n"
                      "BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\n"),
            std::string::npos)
      << *out;
}

TEST(Ical, EscapesText) {
  EXPECT_EQ(EscapeText("a,b;c\\d\ne\r\nf\rg"), "a\\,b\\;c\\\\d\\ne\\nf\\ng");
  EXPECT_EQ(EscapeText("tab\there\x01"), "tab\there ");
  EXPECT_EQ(EscapeText("Zürich – 会议"), "Zürich – 会议");
  EXPECT_EQ(EscapeText("bad\xC3(\xFF\xED\xA0\x80"),
            "bad\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Ical, FoldsAt75OctetsNeverInsideAUtf8Sequence) {
  std::string summary;
  for (int i = 0; i < 60; ++i) summary += "é,ü会😀x";
  Event e = Zurich(Utc(2027, 1, 10, 9), summary);
  std::string description(500, 'd');
  e.description = description;
  auto out = WriteCalendar(Calendar{}, std::span<const Event>(&e, 1));
  ASSERT_TRUE(out.ok());
  auto lines = Lines(*out);
  for (const auto& l : lines) {
    EXPECT_LE(l.size(), 75U) << l;
    ASSERT_FALSE(l.empty());
    auto first = static_cast<unsigned char>(l[0] == ' ' && l.size() > 1 ? l[1] : l[0]);
    EXPECT_FALSE(first >= 0x80 && first < 0xC0) << "a line starts inside a UTF-8 sequence";
  }
  auto unfolded = Lines(Unfold(*out));
  EXPECT_TRUE(Contains(unfolded, "SUMMARY:" + EscapeText(summary)));
  EXPECT_TRUE(Contains(unfolded, "DESCRIPTION:" + std::string(500, 'd')));
}

TEST(Ical, RefusesBadEvents) {
  Event e = Zurich(Utc(2027, 1, 10, 9));
  e.time_zone = "Mars/Olympus";
  EXPECT_FALSE(WriteCalendar(Calendar{}, std::span<const Event>(&e, 1)).ok());
  e.time_zone = "Europe/Zurich:X";
  EXPECT_FALSE(WriteCalendar(Calendar{}, std::span<const Event>(&e, 1)).ok());
  e.time_zone = "Europe/Zurich";
  e.ends_at = e.starts_at - 1;
  EXPECT_FALSE(WriteCalendar(Calendar{}, std::span<const Event>(&e, 1)).ok());
}

TEST(Ical, EmptyCalendar) {
  auto out = WriteCalendar(Calendar{"Empty"}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//GMG Hub//Meetings//EN\r\n"
            "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Empty\r\nEND:VCALENDAR\r\n");
}

}  // namespace
}  // namespace gmg::ical
