// Fuzz target: local times of meetings and their time zones (interop/time_zone.h: the
// conversions meetings/meeting_service.cc makes between a series' wall-clock slots and UTC,
// and the periods an iCalendar VTIMEZONE lists), with the meetings' own slot parser
// (meetings/recurrence.h ParseLocalSlot). Input: lines "zone", "local time", "instant",
// "span" (decimal seconds; missing lines are empty or 0).
//
// Checks beyond "no crash, no sanitizer report":
// - ParseLocalDateTime: an accepted text is a real date of 1900-2200 and time of day that
//   formats back to the text (":00" added when it had no seconds); a refusal is
//   kInvalidArgument; ParseLocalSlot accepts exactly the texts ParseLocalDateTime reads with
//   seconds ":00" or none, at the same date and minute;
// - an unknown zone: every conversion is kInvalidArgument naming it;
// - LocalToUtc in a known zone: the instant converts back to the same wall-clock time (an
//   ambiguous time gives the earlier instant, which still reads as that time); a time the
//   clocks skip is refused naming the next valid time, which exists in the zone and is later
//   by less than a day;
// - UtcToLocal of any instant: a real date and time of day (years 1799-2400: the library
//   clamps instants to 1800-2400 UTC); of an instant of 1900-2200, converting it back
//   gives the instant, or the earlier one of an ambiguous time (less than a day before);
// - Periods over [instant, instant + span]: never empty; transitions in increasing order after
//   the first, each period's offset before equal to the previous one's offset after, offsets
//   within ±26 hours.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "fuzz_check.h"
#include "interop/time_zone.h"
#include "meetings/recurrence.h"

namespace {

namespace tz = gmg::tz;

std::vector<std::string_view> Lines(std::string_view input, size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    size_t end = input.find('\n');
    if (end == std::string_view::npos) break;
    out.push_back(input.substr(0, end));
    input.remove_prefix(end + 1);
  }
  out.push_back(input);
  out.resize(n);
  return out;
}

int64_t Number(std::string_view text) {
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

bool RealLocal(const tz::LocalDateTime& t, int min_year, int max_year) {
  return t.year >= min_year && t.year <= max_year && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
         t.day <= 31 && t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 &&
         t.second >= 0 && t.second <= 59;
}

bool Same(const tz::LocalDateTime& a, const tz::LocalDateTime& b) {
  return tz::FormatLocalDateTime(a) == tz::FormatLocalDateTime(b);
}

void CheckParse(std::string_view text) {
  auto local = tz::ParseLocalDateTime(text);
  auto slot = gmg::meetings::ParseLocalSlot(text);
  if (!local.ok()) {
    GMG_FUZZ_CHECK(local.error().code == gmg::ErrorCode::kInvalidArgument);
    GMG_FUZZ_CHECK(!slot);
    return;
  }
  GMG_FUZZ_CHECK(RealLocal(*local, 1900, 2200));
  std::string formatted = tz::FormatLocalDateTime(*local);
  GMG_FUZZ_CHECK(formatted == (text.size() == 16 ? std::string(text) + ":00" : std::string(text)));
  GMG_FUZZ_CHECK(slot.has_value() == (local->second == 0));
  if (slot) {
    GMG_FUZZ_CHECK(slot->date ==
                   gmg::Date::FromCivil(local->year, unsigned(local->month), unsigned(local->day)));
    GMG_FUZZ_CHECK(slot->minute_of_day == local->hour * 60 + local->minute);
  }
}

void CheckLocalToUtc(std::string_view zone, const tz::LocalDateTime& local) {
  auto utc = tz::LocalToUtc(zone, local);
  if (utc.ok()) {
    auto back = tz::UtcToLocal(zone, *utc);
    GMG_FUZZ_CHECK(back.ok() && Same(*back, local));
    return;
  }
  // Skipped by the clocks: "… the next valid time is YYYY-MM-DDTHH:MM:SS".
  const std::string& m = utc.error().message;
  GMG_FUZZ_CHECK(utc.error().code == gmg::ErrorCode::kInvalidArgument);
  size_t at = m.rfind("the next valid time is ");
  GMG_FUZZ_CHECK(at != std::string::npos);
  auto next = tz::ParseLocalDateTime(std::string_view(m).substr(at + 23));
  GMG_FUZZ_CHECK(next.ok());
  auto next_utc = tz::LocalToUtc(zone, *next);
  GMG_FUZZ_CHECK(next_utc.ok());
  auto plain = tz::LocalToUtc("UTC", local);
  auto next_plain = tz::LocalToUtc("UTC", *next);
  GMG_FUZZ_CHECK(plain.ok() && next_plain.ok());
  // A whole day may be skipped (Pacific/Apia, 2011-12-30): up to 24 h later.
  GMG_FUZZ_CHECK(*next_plain > *plain && *next_plain - *plain <= 86400);
}

void CheckUtcToLocal(std::string_view zone, int64_t utc) {
  auto local = tz::UtcToLocal(zone, utc);
  GMG_FUZZ_CHECK(local.ok());
  GMG_FUZZ_CHECK(RealLocal(*local, 1799, 2400));  // clamped to 1800-2400 UTC, then offset
  if (utc < gmg::kMinTimestamp || utc > gmg::kMaxTimestamp) return;
  auto back = tz::LocalToUtc(zone, *local);
  GMG_FUZZ_CHECK(back.ok());
  GMG_FUZZ_CHECK(*back <= utc && utc - *back < 86400);
}

void CheckPeriods(std::string_view zone, int64_t from, int64_t span) {
  int64_t to = 0;
  if (__builtin_add_overflow(from, span, &to)) return;
  auto periods = tz::Periods(zone, from, to);
  if (from > to) {
    GMG_FUZZ_CHECK(!periods.ok());
    return;
  }
  GMG_FUZZ_CHECK(periods.ok() && !periods->empty());
  for (size_t i = 0; i < periods->size(); ++i) {
    const tz::ZonePeriod& p = (*periods)[i];
    GMG_FUZZ_CHECK(p.offset_after > -26 * 3600 && p.offset_after < 26 * 3600);
    GMG_FUZZ_CHECK(p.offset_before > -26 * 3600 && p.offset_before < 26 * 3600);
    if (i > 0) {
      GMG_FUZZ_CHECK(p.begins_utc > (*periods)[i - 1].begins_utc);
      GMG_FUZZ_CHECK(p.offset_before == (*periods)[i - 1].offset_after);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string_view> line =
      Lines(std::string_view(reinterpret_cast<const char*>(data), size), 4);
  std::string_view zone = line[0];
  CheckParse(line[1]);
  auto local = tz::ParseLocalDateTime(line[1]);
  int64_t instant = Number(line[2]);
  int64_t span = Number(line[3]) % (50LL * 366 * 86400);  // at most 50 years of transitions

  if (!tz::IsKnownZone(zone)) {
    tz::LocalDateTime any;
    GMG_FUZZ_CHECK(!tz::LocalToUtc(zone, local.ok() ? *local : any).ok());
    GMG_FUZZ_CHECK(!tz::UtcToLocal(zone, instant).ok());
    GMG_FUZZ_CHECK(!tz::Periods(zone, instant, instant).ok());
    return 0;
  }
  if (local.ok()) CheckLocalToUtc(zone, *local);
  CheckUtcToLocal(zone, instant);
  CheckPeriods(zone, instant, span);
  return 0;
}
