#include "meetings/recurrence.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

namespace gmg::meetings {
namespace {

constexpr std::string_view kDayNames[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

Error RuleError(const std::string& field, std::string_view part, size_t position,
                const std::string& problem) {
  std::string text = part.empty() ? problem
                                  : std::string(part) + " at position " + std::to_string(position) +
                                        ": " + problem;
  return FieldError(ErrorCode::kFailedPrecondition, field, text, "recurrence_rule",
                    {{"part", std::string(part)}, {"position", std::to_string(position)}});
}

Error BoundsError(const std::string& field, const std::string& problem) {
  return FieldError(ErrorCode::kFailedPrecondition, field, problem, "recurrence_bounds",
                    {{"max_occurrences", std::to_string(kMaxOccurrences)},
                     {"max_years", std::to_string(kMaxYears)}});
}

// Digits only, no sign, within [min, max].
std::optional<int> ParseNumber(std::string_view text, int min, int max) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < min || value > max) return std::nullopt;
  return value;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// ISO weekday of a date: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
int IsoWeekday(Date d) {
  int r = (d.days() + 3) % 7;
  if (r < 0) r += 7;
  return r + 1;
}

// UNTIL=YYYYMMDD or YYYYMMDDTHHMMSS (local).
std::optional<LocalSlot> ParseUntil(std::string_view v) {
  if (v.size() != 8 && v.size() != 15) return std::nullopt;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i == 8 ? v[i] != 'T' : (v[i] < '0' || v[i] > '9')) return std::nullopt;
  }
  std::string iso = std::string(v.substr(0, 4)) + "-" + std::string(v.substr(4, 2)) + "-" +
                    std::string(v.substr(6, 2));
  auto date = Date::Parse(iso);
  if (!date) return std::nullopt;
  if (v.size() == 8) return LocalSlot{*date, 24 * 60 - 1};
  auto h = ParseNumber(v.substr(9, 2), 0, 23);
  auto m = ParseNumber(v.substr(11, 2), 0, 59);
  auto s = ParseNumber(v.substr(13, 2), 0, 59);
  if (!h || !m || !s) return std::nullopt;
  return LocalSlot{*date, *h * 60 + *m};
}

Status ParsePart(std::string_view name, std::string_view value, size_t value_at,
                 const std::string& field, RecurrenceRule* rule) {
  if (name == "FREQ") {
    if (value == "DAILY") {
      rule->frequency = Frequency::kDaily;
    } else if (value == "WEEKLY") {
      rule->frequency = Frequency::kWeekly;
    } else if (value == "MONTHLY") {
      rule->frequency = Frequency::kMonthly;
    } else if (value == "YEARLY") {
      rule->frequency = Frequency::kYearly;
    } else {
      return RuleError(field, name, value_at,
                       "'" + std::string(value) + "' is not DAILY, WEEKLY, MONTHLY or YEARLY");
    }
  } else if (name == "INTERVAL") {
    auto n = ParseNumber(value, 1, kMaxInterval);
    if (!n) return RuleError(field, name, value_at, "a whole number from 1 to 99");
    rule->interval = *n;
  } else if (name == "COUNT") {
    auto n = ParseNumber(value, 1, kMaxOccurrences);
    if (!n) return RuleError(field, name, value_at, "a whole number from 1 to 60");
    rule->count = *n;
  } else if (name == "UNTIL") {
    auto until = ParseUntil(value);
    if (!until) return RuleError(field, name, value_at, "a local date YYYYMMDD[THHMMSS]");
    rule->until = *until;
  } else if (name == "BYDAY") {
    size_t at = 0;
    while (true) {
      size_t comma = value.find(',', at);
      std::string_view day = value.substr(at, comma == std::string_view::npos ? comma : comma - at);
      auto it = std::find(std::begin(kDayNames), std::end(kDayNames), day);
      if (it == std::end(kDayNames)) {
        return RuleError(field, name, value_at + at,
                         "'" + std::string(day) + "' is not one of MO, TU, WE, TH, FR, SA, SU");
      }
      int weekday = static_cast<int>(it - std::begin(kDayNames)) + 1;
      if (std::find(rule->by_day.begin(), rule->by_day.end(), weekday) != rule->by_day.end()) {
        return RuleError(field, name, value_at + at, std::string(day) + " is given twice");
      }
      rule->by_day.push_back(weekday);
      if (comma == std::string_view::npos) break;
      at = comma + 1;
    }
    std::sort(rule->by_day.begin(), rule->by_day.end());
  } else {
    return RuleError(field, name, value_at - name.size() - 1,
                     "unknown part (FREQ, INTERVAL, COUNT, UNTIL and BYDAY are supported)");
  }
  return Ok();
}

// The rule's candidate slots in order, at most `limit` of them, none after `last`.
std::vector<LocalSlot> Candidates(const RecurrenceRule& rule, const LocalSlot& first,
                                  const LocalSlot& last, size_t limit) {
  std::vector<LocalSlot> out;
  auto push = [&](Date d) {
    LocalSlot slot{d, first.minute_of_day};
    if (slot < first || slot > last || out.size() >= limit) return false;
    out.push_back(slot);
    return true;
  };
  // Each loop is bounded: `last` is at most kMaxYears after `first` (≈ 3,653 days).
  switch (rule.frequency) {
    case Frequency::kDaily:
      for (Date d = first.date; LocalSlot{d, first.minute_of_day} <= last && out.size() < limit;
           d = d.AddDays(rule.interval)) {
        push(d);
      }
      break;
    case Frequency::kWeekly: {
      Date monday = first.date.AddDays(1 - IsoWeekday(first.date));
      std::vector<int> days = rule.by_day;
      if (days.empty()) days.push_back(IsoWeekday(first.date));
      for (Date week = monday; week <= last.date && out.size() < limit;
           week = week.AddDays(7 * rule.interval)) {
        for (int weekday : days) push(week.AddDays(weekday - 1));
      }
      break;
    }
    case Frequency::kMonthly:
    case Frequency::kYearly: {
      int step = rule.frequency == Frequency::kMonthly ? rule.interval : 12 * rule.interval;
      int months = first.date.year() * 12 + static_cast<int>(first.date.month()) - 1;
      unsigned day = first.date.day();
      for (int k = 0; out.size() < limit; ++k) {
        int index = months + k * step;
        int y = index / 12;
        unsigned m = static_cast<unsigned>(index % 12) + 1;
        if (Date::FromCivil(y, m, 1) > last.date) break;
        if (day <= DaysInMonth(y, m)) push(Date::FromCivil(y, m, day));
      }
      break;
    }
  }
  return out;
}

}  // namespace

std::optional<LocalSlot> ParseLocalSlot(std::string_view text) {
  if (text.size() == 19) {
    if (text.substr(16) != ":00") return std::nullopt;
    text = text.substr(0, 16);
  }
  if (text.size() != 16 || text[10] != 'T' || text[13] != ':') return std::nullopt;
  auto date = Date::Parse(text.substr(0, 10));
  auto h = ParseNumber(text.substr(11, 2), 0, 23);
  auto m = ParseNumber(text.substr(14, 2), 0, 59);
  if (!date || !h || !m || text.substr(11, 2).size() != 2) return std::nullopt;
  return LocalSlot{*date, *h * 60 + *m};
}

std::string FormatLocalSlot(const LocalSlot& slot) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", slot.minute_of_day / 60, slot.minute_of_day % 60);
  return slot.date.ToString() + "T" + buf;
}

Result<RecurrenceRule> ParseRecurrenceRule(std::string_view text, const std::string& field) {
  if (text.empty()) return RuleError(field, "", 0, "an empty rule");
  if (text.size() > 500) return RuleError(field, "", 500, "longer than 500 characters");
  RecurrenceRule rule;
  std::set<std::string_view> seen;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find(';', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(at, end - at);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return RuleError(field, "", at, "'" + std::string(part) + "' is not NAME=VALUE");
    }
    std::string_view name = part.substr(0, eq);
    if (!seen.insert(name).second) {
      return RuleError(field, name, at, "given twice");
    }
    GMG_RETURN_IF_ERROR(ParsePart(name, part.substr(eq + 1), at + eq + 1, field, &rule));
    at = end + 1;
  }
  if (!seen.contains("FREQ")) return RuleError(field, "FREQ", 0, "required");
  if (!rule.by_day.empty() && rule.frequency != Frequency::kWeekly) {
    return RuleError(field, "BYDAY", text.find("BYDAY"), "only with FREQ=WEEKLY");
  }
  if (rule.count.has_value() == rule.until.has_value()) {
    return RuleError(field, rule.count ? "UNTIL" : "COUNT", text.size(),
                     "exactly one of COUNT and UNTIL bounds the series");
  }
  return rule;
}

std::string FormatRecurrenceRule(const RecurrenceRule& rule) {
  static constexpr const char* kFreq[] = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"};
  std::string out = "FREQ=" + std::string(kFreq[static_cast<int>(rule.frequency)]);
  if (rule.interval != 1) out += ";INTERVAL=" + std::to_string(rule.interval);
  if (!rule.by_day.empty()) {
    out += ";BYDAY=";
    for (size_t i = 0; i < rule.by_day.size(); ++i) {
      if (i > 0) out += ",";
      out += kDayNames[rule.by_day[i] - 1];
    }
  }
  if (rule.count) out += ";COUNT=" + std::to_string(*rule.count);
  if (rule.until) {
    std::string date = rule.until->date.ToString();
    date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
    char time[8];
    std::snprintf(time, sizeof time, "%02d%02d00", rule.until->minute_of_day / 60,
                  rule.until->minute_of_day % 60);
    out += ";UNTIL=" + date +
           (rule.until->minute_of_day == 24 * 60 - 1 ? "" : "T" + std::string(time));
  }
  return out;
}

Result<std::vector<LocalSlot>> ExpandRecurrence(const RecurrenceRule& rule, const LocalSlot& first,
                                                const std::vector<LocalSlot>& exceptions,
                                                const std::string& field) {
  LocalSlot horizon{first.date.AddMonths(12 * kMaxYears), first.minute_of_day};
  if (rule.frequency == Frequency::kWeekly && !rule.by_day.empty() &&
      std::find(rule.by_day.begin(), rule.by_day.end(), IsoWeekday(first.date)) ==
          rule.by_day.end()) {
    return BoundsError(field, "the first meeting (" + FormatLocalSlot(first) +
                                  ") is not on one of the rule's BYDAY days");
  }
  LocalSlot last = horizon;
  if (rule.until) {
    if (*rule.until < first) {
      return BoundsError(field, "UNTIL is before the first meeting " + FormatLocalSlot(first));
    }
    if (*rule.until > horizon) {
      return BoundsError(field, "UNTIL is more than " + std::to_string(kMaxYears) +
                                    " years after the first meeting");
    }
    last = *rule.until;
  }
  size_t limit = rule.count ? static_cast<size_t>(*rule.count) : kMaxOccurrences + 1;
  std::vector<LocalSlot> slots = Candidates(rule, first, last, limit);
  if (slots.size() > static_cast<size_t>(kMaxOccurrences)) {
    return BoundsError(field,
                       "the rule makes more than " + std::to_string(kMaxOccurrences) + " meetings");
  }
  if (rule.count && slots.size() < static_cast<size_t>(*rule.count)) {
    return BoundsError(field, "COUNT=" + std::to_string(*rule.count) + " reaches beyond " +
                                  std::to_string(kMaxYears) + " years after the first meeting");
  }
  std::erase_if(slots, [&](const LocalSlot& s) {
    return std::find(exceptions.begin(), exceptions.end(), s) != exceptions.end();
  });
  return slots;
}

}  // namespace gmg::meetings
