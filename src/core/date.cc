#include "core/date.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace gmg {
namespace {

namespace chr = std::chrono;
using chr::sys_days;
using chr::year_month_day;

year_month_day Civil(int32_t days) { return year_month_day{sys_days{std::chrono::days{days}}}; }

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// YYYY-MM-DD of any year 0000-9999, or nullopt when malformed or not a real day.
std::optional<year_month_day> ParseCivil(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  if (!Digits(t.substr(0, 4)) || !Digits(t.substr(5, 2)) || !Digits(t.substr(8, 2))) {
    return std::nullopt;
  }
  int y = std::stoi(std::string(t.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(t.substr(5, 2))));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(t.substr(8, 2))));
  year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

Date Date::FromCivil(int y, unsigned m, unsigned d) {
  sys_days sd{chr::year{y} / chr::month{m} / chr::day{d}};
  return FromDays(static_cast<int32_t>(sd.time_since_epoch().count()));
}

std::optional<Date> Date::Parse(std::string_view t) {
  std::optional<year_month_day> ymd = ParseCivil(t);
  if (!ymd || ymd->year() < chr::year{1900} || ymd->year() > chr::year{2200}) return std::nullopt;
  return FromDays(static_cast<int32_t>(sys_days{*ymd}.time_since_epoch().count()));
}

Date Date::Today() { return FromDays(static_cast<int32_t>(UnixNow() / 86400)); }

int Date::year() const { return static_cast<int>(Civil(days_).year()); }
unsigned Date::month() const { return static_cast<unsigned>(Civil(days_).month()); }
unsigned Date::day() const { return static_cast<unsigned>(Civil(days_).day()); }

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

Date Date::AddMonths(int months) const {
  year_month_day ymd = Civil(days_);
  std::chrono::year_month ym = ymd.year() / ymd.month();
  ym += std::chrono::months{months};
  std::chrono::year_month_day_last last{ym.year(), std::chrono::month_day_last{ym.month()}};
  chr::day d = ymd.day() > last.day() ? last.day() : ymd.day();
  return FromCivil(static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()),
                   static_cast<unsigned>(d));
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatTimestamp(int64_t unix_seconds) {
  constexpr int64_t kYear0 = -62167219200;        // 0000-01-01T00:00:00Z
  constexpr int64_t kYear9999End = 253402300799;  // 9999-12-31T23:59:59Z
  unix_seconds = std::clamp(unix_seconds, kYear0, kYear9999End);
  // Floor division: the day of -1 is 1969-12-31, its second 86399.
  int64_t days = unix_seconds / 86400 - (unix_seconds % 86400 < 0 ? 1 : 0);
  int64_t s = unix_seconds - days * 86400;
  Date d = Date::FromDays(static_cast<int32_t>(days));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", d.ToString().c_str(),
                static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60));
  return buf;
}

namespace {

bool TimestampDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, *out);
  return ec == std::errc() && end == s.data() + pos + n;
}

// The instant of an RFC 3339 text (any year 0000-9999), or nullopt.
std::optional<int64_t> ParseRfc3339(std::string_view s) {
  if (s.size() < 17 || (s[10] != 'T' && s[10] != 't') || s[13] != ':') return std::nullopt;
  std::optional<year_month_day> date = ParseCivil(s.substr(0, 10));
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!date || !TimestampDigits(s, 11, 2, &hour) || !TimestampDigits(s, 14, 2, &minute))
    return std::nullopt;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!TimestampDigits(s, pos + 1, 2, &second)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 59 || pos >= s.size()) return std::nullopt;
  int offset = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0;
    int om = 0;
    if (!TimestampDigits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !TimestampDigits(s, pos + 4, 2, &om) || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = sys_days{*date}.time_since_epoch().count();
  return days * 86400 + int64_t{hour} * 3600 + int64_t{minute} * 60 + second - offset;
}

}  // namespace

Result<int64_t> ParseTimestamp(std::string_view s) {
  std::optional<int64_t> t = ParseRfc3339(s);
  if (!t) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "must be an instant like 2026-12-10T16:00:00Z or 2026-12-10T17:00:00+01:00");
  }
  if (*t < kMinTimestamp || *t > kMaxTimestamp) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "must be an instant between 1900-01-01T00:00:00Z and 2200-12-31T23:59:59Z");
  }
  return *t;
}

}  // namespace gmg
