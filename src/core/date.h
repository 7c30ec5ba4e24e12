// Calendar dates (proleptic Gregorian, no time zone) and UTC timestamps.
//
// Date is a value type: days since 1970-01-01. Parsing is strict (YYYY-MM-DD, a real day,
// years 1900-2200) because every date in the GMG's records is typed by a person or a file.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gmg {

class Date {
 public:
  Date() = default;
  static Date FromDays(int32_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // The UTC calendar day of a Unix time (floored: -1 is 1969-12-31).
  static Date FromUnix(int64_t unix_seconds) {
    int64_t days = unix_seconds / 86400 - (unix_seconds % 86400 < 0 ? 1 : 0);
    return FromDays(static_cast<int32_t>(days));
  }
  static Date FromCivil(int year, unsigned month, unsigned day);
  // Strict YYYY-MM-DD; nullopt when malformed or not a real calendar day.
  static std::optional<Date> Parse(std::string_view text);
  static Date Today();  // UTC

  int32_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  std::string ToString() const;

  // Adds calendar months; the day is clamped to the month's last day (Jan 31 + 1 = Feb 28/29).
  Date AddMonths(int months) const;
  Date AddDays(int days) const { return FromDays(days_ + days); }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>.
  auto operator<=>(const Date&) const = default;

 private:
  int32_t days_ = 0;
};

// Seconds since the Unix epoch, UTC.
int64_t UnixNow();
// RFC 3339 UTC, e.g. "2026-11-28T18:55:05Z"; instants before 1970 too ("1969-12-31T23:59:59Z"
// for -1). Outside the years 0000-9999 (which RFC 3339 cannot write) the nearest end of that
// range is written.
std::string FormatTimestamp(int64_t unix_seconds);
// The instants ParseTimestamp accepts: 1900-01-01T00:00:00Z to 2200-12-31T23:59:59Z.
inline constexpr int64_t kMinTimestamp = -2208988800;
inline constexpr int64_t kMaxTimestamp = 7289654399;
// An instant written RFC 3339 with Z or an offset: "2026-12-10T16:00:00Z",
// "2026-12-10T17:00+01:00" (seconds optional), "2026-12-10T16:00:00.5Z" (fraction dropped), as
// UTC seconds. kInvalidArgument, its message a problem to show beside the field ("must be …"),
// for anything else (a date that does not exist, an offset beyond ±18:00) and for an instant
// outside kMinTimestamp-kMaxTimestamp (the years 1900-2200 UTC: nothing the GMG records lies
// elsewhere, and every instant accepted formats back to itself).
Result<int64_t> ParseTimestamp(std::string_view text);

}  // namespace gmg
