#include "core/date.h"

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

}  // namespace

Date Date::FromCivil(int y, unsigned m, unsigned d) {
  sys_days sd{chr::year{y} / chr::month{m} / chr::day{d}};
  return FromDays(static_cast<int32_t>(sd.time_since_epoch().count()));
}

std::optional<Date> Date::Parse(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  if (!Digits(t.substr(0, 4)) || !Digits(t.substr(5, 2)) || !Digits(t.substr(8, 2))) {
    return std::nullopt;
  }
  int y = std::stoi(std::string(t.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(t.substr(5, 2))));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(t.substr(8, 2))));
  year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!ymd.ok() || y < 1900 || y > 2200) return std::nullopt;
  return FromCivil(y, m, d);
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
  Date d = Date::FromDays(static_cast<int32_t>(unix_seconds / 86400));
  int64_t s = unix_seconds % 86400;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", d.ToString().c_str(),
                static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60));
  return buf;
}

}  // namespace gmg
