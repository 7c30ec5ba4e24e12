#include "interop/time_zone.h"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>

namespace gmg::tz {
namespace {

using std::chrono::seconds;

// Instants handed to the tz database are clamped to years 1800-2400: far outside, the
// library's arithmetic would overflow, and no meeting lives there.
constexpr int64_t kMinUtc = -5364662400;  // 1800-01-01
constexpr int64_t kMaxUtc = 13569465600;  // 2400-01-01

int64_t Clamp(int64_t t) { return t < kMinUtc ? kMinUtc : (t > kMaxUtc ? kMaxUtc : t); }

// The zone of the tz database, or nullptr. locate_zone throws for an unknown name.
const date::time_zone* FindZone(std::string_view zone) {
  if (zone.empty() || zone.size() > 64) return nullptr;
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

Error UnknownZone(std::string_view zone) {
  return MakeError(ErrorCode::kInvalidArgument, "unknown time zone \"" + std::string(zone) +
                                                    "\" (an IANA name such as " +
                                                    "\"Europe/Zurich\")");
}

bool ReadInt(std::string_view text, size_t pos, size_t len, int* out) {
  if (pos + len > text.size()) return false;
  for (size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + len, *out);
  return true;
}

date::local_seconds ToLocalSeconds(const LocalDateTime& t) {
  auto day = date::local_days{date::year{t.year} / t.month / t.day};
  return day + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} + seconds{t.second};
}

LocalDateTime FromLocalSeconds(date::local_seconds s) {
  auto day = date::floor<date::days>(s);
  date::year_month_day ymd{day};
  date::hh_mm_ss<seconds> hms{s - day};
  return LocalDateTime{static_cast<int>(ymd.year()),
                       static_cast<int>(unsigned(ymd.month())),
                       static_cast<int>(unsigned(ymd.day())),
                       static_cast<int>(hms.hours().count()),
                       static_cast<int>(hms.minutes().count()),
                       static_cast<int>(hms.seconds().count())};
}

ZonePeriod ToPeriod(const date::sys_info& info, int32_t offset_before) {
  return ZonePeriod{Clamp(info.begin.time_since_epoch().count()), offset_before,
                    static_cast<int32_t>(info.offset.count()), info.save.count() != 0, info.abbrev};
}

}  // namespace

Result<LocalDateTime> ParseLocalDateTime(std::string_view text) {
  LocalDateTime t;
  bool shape = (text.size() == 16 || text.size() == 19) && text[4] == '-' && text[7] == '-' &&
               text[10] == 'T' && text[13] == ':' && (text.size() == 16 || text[16] == ':');
  if (!shape || !ReadInt(text, 0, 4, &t.year) || !ReadInt(text, 5, 2, &t.month) ||
      !ReadInt(text, 8, 2, &t.day) || !ReadInt(text, 11, 2, &t.hour) ||
      !ReadInt(text, 14, 2, &t.minute) || (text.size() == 19 && !ReadInt(text, 17, 2, &t.second))) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a local time must look like 2026-05-09T10:00 (YYYY-MM-DDTHH:MM[:SS])");
  }
  date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                           date::day{static_cast<unsigned>(t.day)}};
  if (t.year < 1900 || t.year > 2200 || !ymd.ok()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "\"" + std::string(text) + "\" is not a real date between 1900 and 2200");
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 59) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "\"" + std::string(text) + "\" is not a real time of day (00:00-23:59)");
  }
  return t;
}

std::string FormatLocalDateTime(const LocalDateTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  return buf;
}

bool IsKnownZone(std::string_view zone) { return FindZone(zone) != nullptr; }

Result<int64_t> LocalToUtc(std::string_view zone, const LocalDateTime& local) {
  const date::time_zone* z = FindZone(zone);
  if (z == nullptr) return UnknownZone(zone);
  date::local_seconds ls = ToLocalSeconds(local);
  date::local_info info = z->get_info(ls);
  int64_t wall = ls.time_since_epoch().count();
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // first = the earlier instant (the offset before)
      return wall - info.first.offset.count();
    case date::local_info::nonexistent: {
      // The gap ends at the transition; on the new offset's clock that is the next valid time.
      int64_t next_utc = info.second.begin.time_since_epoch().count();
      LocalDateTime next =
          FromLocalSeconds(date::local_seconds{seconds{next_utc + info.second.offset.count()}});
      return MakeError(ErrorCode::kInvalidArgument,
                       FormatLocalDateTime(local) + " does not exist in " + std::string(zone) +
                           " (the clocks are put forward for daylight saving time); the next " +
                           "valid time is " + FormatLocalDateTime(next));
    }
  }
  return MakeError(ErrorCode::kInternal, "unexpected result from the time-zone database");
}

Result<LocalDateTime> UtcToLocal(std::string_view zone, int64_t utc) {
  const date::time_zone* z = FindZone(zone);
  if (z == nullptr) return UnknownZone(zone);
  date::sys_seconds s{seconds{Clamp(utc)}};
  date::sys_info info = z->get_info(s);
  return FromLocalSeconds(date::local_seconds{s.time_since_epoch() + info.offset});
}

Result<std::vector<ZonePeriod>> Periods(std::string_view zone, int64_t from_utc, int64_t to_utc) {
  const date::time_zone* z = FindZone(zone);
  if (z == nullptr) return UnknownZone(zone);
  if (from_utc > to_utc) {
    return MakeError(ErrorCode::kInvalidArgument, "the range's start is after its end");
  }
  from_utc = Clamp(from_utc);
  to_utc = Clamp(to_utc);
  date::sys_info info = z->get_info(date::sys_seconds{seconds{from_utc}});
  int64_t begin = info.begin.time_since_epoch().count();
  auto before = static_cast<int32_t>(info.offset.count());
  if (begin > kMinUtc) {
    before = static_cast<int32_t>(z->get_info(info.begin - seconds{1}).offset.count());
  }
  std::vector<ZonePeriod> out;
  out.push_back(ToPeriod(info, before));
  // Each step moves to the strictly later end of the current period: the loop ends.
  while (info.end.time_since_epoch().count() <= to_utc) {
    auto prev = static_cast<int32_t>(info.offset.count());
    info = z->get_info(info.end);
    out.push_back(ToPeriod(info, prev));
  }
  return out;
}

}  // namespace gmg::tz
