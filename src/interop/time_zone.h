// IANA time zones (the system's tz database, /usr/share/zoneinfo, through Howard Hinnant's date
// library built on it): local wall-clock times of meetings to UTC instants and back, and the
// offsets and transitions an iCalendar VTIMEZONE needs (interop/ical.h).
// Thread-safety: every function may be called from any thread (the database is loaded once).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gmg::tz {

// A wall-clock time without zone: "2026-05-09T10:00" (seconds optional, ":00").
struct LocalDateTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};
// kInvalidArgument naming the problem for anything but YYYY-MM-DDTHH:MM[:SS] with a real date
// and time (years 1900–2200).
Result<LocalDateTime> ParseLocalDateTime(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS".
std::string FormatLocalDateTime(const LocalDateTime& t);

// True when `zone` names a zone of the tz database ("Europe/Zurich", "UTC").
bool IsKnownZone(std::string_view zone);

// The UTC instant (seconds since 1970) of `local` in `zone`. kInvalidArgument when the zone is
// unknown, or the local time does not exist there (skipped by a daylight-saving change: the
// message says so and names the next valid time); an ambiguous time (repeated when clocks go
// back) resolves to the earlier instant.
Result<int64_t> LocalToUtc(std::string_view zone, const LocalDateTime& local);
// The wall-clock time in `zone` at `utc`; kInvalidArgument for an unknown zone.
Result<LocalDateTime> UtcToLocal(std::string_view zone, int64_t utc);

// One period of constant offset, as iCalendar's STANDARD / DAYLIGHT sub-components describe it.
struct ZonePeriod {
  int64_t begins_utc = 0;     // the transition into this period (1800-01-01 at the earliest)
  int32_t offset_before = 0;  // seconds east of UTC before it (TZOFFSETFROM)
  int32_t offset_after = 0;   // and from it on (TZOFFSETTO)
  bool daylight = false;      // DAYLIGHT (summer time) or STANDARD
  std::string abbreviation;   // TZNAME: "CEST"
};
// Every transition of `zone` in [from_utc, to_utc], oldest first, preceded by the period in
// force at from_utc (so an answer is never empty for a known zone). kInvalidArgument for an
// unknown zone or from_utc > to_utc.
Result<std::vector<ZonePeriod>> Periods(std::string_view zone, int64_t from_utc, int64_t to_utc);

}  // namespace gmg::tz
