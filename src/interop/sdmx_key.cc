#include "interop/sdmx_key.h"

#include <charconv>
#include <cmath>
#include <optional>

#include "core/date.h"

namespace gmg::sdmx {

namespace {

constexpr size_t kMaxCodes = 1000;

Error KeyError(const std::string& message) {
  return MakeError(ErrorCode::kInvalidArgument, message);
}

bool IsCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '@' || c == '$' || c == '-';
}

// "BF+ML" at 1-based character `first` of the key → codes; "" and "*" → any (empty list).
Status ParsePosition(std::string_view text, size_t first, size_t dimension,
                     std::vector<std::string>* codes, size_t* total) {
  if (text.empty() || text == "*") return Ok();
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '+' && text[i] != ',') {
      if (!IsCodeChar(text[i])) {
        return KeyError("the key has a character not allowed in a code at position " +
                        std::to_string(first + i) + " (dimension " + std::to_string(dimension) +
                        ")");
      }
      continue;
    }
    if (i == start) {
      return KeyError("the key has an empty code at position " + std::to_string(first + i) +
                      " (dimension " + std::to_string(dimension) + ")");
    }
    if (++*total > kMaxCodes) {
      return KeyError("the key names more than " + std::to_string(kMaxCodes) + " codes");
    }
    codes->emplace_back(text.substr(start, i - start));
    start = i + 1;
  }
  return Ok();
}

struct OpName {
  std::string_view name;
  Op op;
};
constexpr OpName kOps[] = {
    {"eq", Op::kEq},         {"ne", Op::kNe},       {"lt", Op::kLt},       {"le", Op::kLe},
    {"gt", Op::kGt},         {"ge", Op::kGe},       {"co", Op::kContains}, {"nc", Op::kNotContains},
    {"sw", Op::kStartsWith}, {"ew", Op::kEndsWith},
};

Result<Condition> ParseCondition(std::string_view text) {
  Condition condition;
  size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    std::string_view name = text.substr(0, colon);
    bool known = false;
    for (const OpName& op : kOps) {
      if (op.name == name) {
        condition.op = op.op;
        known = true;
      }
    }
    if (!known) {
      return KeyError("unknown operator \"" + std::string(name) +
                      "\" (eq, ne, lt, le, gt, ge, co, nc, sw, ew)");
    }
    text.remove_prefix(colon + 1);
  }
  if (text.empty()) return KeyError("a filter condition has an empty value");
  condition.value = std::string(text);
  return condition;
}

bool ParseNumber(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(*out);
}

// <0, 0, >0: numerically when both are numbers, else by bytes.
int Compare(std::string_view a, std::string_view b) {
  double x = 0;
  double y = 0;
  if (ParseNumber(a, &x) && ParseNumber(b, &y)) return x < y ? -1 : (x > y ? 1 : 0);
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool Holds(const Condition& condition, std::string_view value) {
  std::string_view want = condition.value;
  switch (condition.op) {
    case Op::kEq:
      return value == want;
    case Op::kNe:
      return value != want;
    case Op::kLt:
      return Compare(value, want) < 0;
    case Op::kLe:
      return Compare(value, want) <= 0;
    case Op::kGt:
      return Compare(value, want) > 0;
    case Op::kGe:
      return Compare(value, want) >= 0;
    case Op::kContains:
      return value.find(want) != std::string_view::npos;
    case Op::kNotContains:
      return value.find(want) == std::string_view::npos;
    case Op::kStartsWith:
      return value.substr(0, want.size()) == want;
    case Op::kEndsWith:
      return value.size() >= want.size() && value.substr(value.size() - want.size()) == want;
  }
  return false;
}

// Digits only, all of `s`, as an int; false when empty, too long or not digits.
bool Digits(std::string_view s, int* out) {
  if (s.empty() || s.size() > 4) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

int64_t DaysOf(int year, unsigned month, unsigned day) {
  return Date::FromCivil(year, month, day).days();
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

PeriodRange Months(int year, unsigned first, unsigned count) {
  unsigned last = first + count - 1;
  return {DaysOf(year, first, 1), DaysOf(year, last, DaysInMonth(year, last))};
}

// ISO 8601 week `week` of `year` (Monday to Sunday; week 1 holds 4 January); nullopt when the
// year has no such week.
std::optional<PeriodRange> IsoWeek(int year, int week) {
  auto week1_monday = [](int y) {
    int64_t jan4 = DaysOf(y, 1, 4);
    int64_t weekday = ((jan4 % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
    return jan4 - weekday;
  };
  int64_t first = week1_monday(year) + 7 * int64_t{week - 1};
  if (week < 1 || first >= week1_monday(year + 1)) return std::nullopt;
  return PeriodRange{first, first + 6};
}

Error PeriodError(std::string_view period) {
  return KeyError("\"" + std::string(period.substr(0, 40)) +
                  "\" is not an SDMX reporting period (2019, 2019-Q3, 2019-07, 2019-W05, "
                  "2019-07-14…)");
}

std::optional<PeriodRange> ParseSubPeriod(int year, std::string_view rest) {
  int n = 0;
  if (rest.size() == 2 && Digits(rest, &n)) {  // 2019-07
    if (n >= 1 && n <= 12) return Months(year, n, 1);
    return std::nullopt;
  }
  if (rest.size() == 5 && rest[2] == '-') {  // 2019-07-14
    int m = 0;
    int d = 0;
    if (!Digits(rest.substr(0, 2), &m) || !Digits(rest.substr(3), &d)) return std::nullopt;
    if (m < 1 || m > 12 || d < 1 || d > static_cast<int>(DaysInMonth(year, m))) {
      return std::nullopt;
    }
    int64_t day = DaysOf(year, m, d);
    return PeriodRange{day, day};
  }
  if (rest.size() < 2 || !Digits(rest.substr(1), &n)) return std::nullopt;
  switch (rest[0]) {
    case 'A':
      if (rest.size() == 2 && n == 1) return Months(year, 1, 12);
      break;
    case 'S':
      if (rest.size() == 2 && n >= 1 && n <= 2) return Months(year, 6 * (n - 1) + 1, 6);
      break;
    case 'T':
      if (rest.size() == 2 && n >= 1 && n <= 3) return Months(year, 4 * (n - 1) + 1, 4);
      break;
    case 'Q':
      if (rest.size() == 2 && n >= 1 && n <= 4) return Months(year, 3 * (n - 1) + 1, 3);
      break;
    case 'M':
      if (rest.size() == 3 && n >= 1 && n <= 12) return Months(year, n, 1);
      break;
    case 'W':
      if (rest.size() == 3) return IsoWeek(year, n);
      break;
    case 'D':
      if (rest.size() == 4 && n >= 1 && n <= (IsLeap(year) ? 366 : 365)) {
        int64_t day = DaysOf(year, 1, 1) + n - 1;
        return PeriodRange{day, day};
      }
      break;
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

Result<KeyFilter> ParseKey(std::string_view key, size_t dimension_count) {
  KeyFilter filter;
  filter.positions.resize(dimension_count);
  if (key.empty() || key == "all" || (key == "*" && dimension_count == 1)) return filter;
  size_t parts = 1;
  for (char c : key) parts += c == '.' ? 1 : 0;
  if (parts != dimension_count) {
    return KeyError("the key has " + std::to_string(parts) + " position" + (parts == 1 ? "" : "s") +
                    " but the dataflow has " + std::to_string(dimension_count) + " dimension" +
                    (dimension_count == 1 ? "" : "s"));
  }
  size_t total = 0;
  size_t start = 0;
  for (size_t d = 0; d < dimension_count; ++d) {
    size_t end = key.find('.', start);
    if (end == std::string_view::npos) end = key.size();
    GMG_RETURN_IF_ERROR(ParsePosition(key.substr(start, end - start), start + 1, d + 1,
                                      &filter.positions[d], &total));
    start = end + 1;
  }
  return filter;
}

Result<ComponentFilter> ParseComponentFilter(std::string_view component, std::string_view value) {
  if (component.empty()) return KeyError("a filter names no component: c[]");
  for (char c : component) {
    if (!IsCodeChar(c)) {
      return KeyError("the filter's component \"" + std::string(component.substr(0, 40)) +
                      "\" is not an SDMX id");
    }
  }
  ComponentFilter filter;
  filter.component = std::string(component);
  if (value.empty()) return KeyError("the filter c[" + filter.component + "] has no value");
  size_t total = 0;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view alternative = value.substr(start, comma - start);
    std::vector<Condition>& all_of = filter.any_of.emplace_back();
    size_t from = 0;
    while (from <= alternative.size()) {
      size_t plus = alternative.find('+', from);
      if (plus == std::string_view::npos) plus = alternative.size();
      if (++total > kMaxCodes) {
        return KeyError("the filter c[" + filter.component + "] has more than " +
                        std::to_string(kMaxCodes) + " conditions");
      }
      auto condition = ParseCondition(alternative.substr(from, plus - from));
      if (!condition.ok()) {
        return KeyError("c[" + filter.component + "]: " + condition.error().message);
      }
      all_of.push_back(std::move(condition).value());
      from = plus + 1;
    }
    start = comma + 1;
  }
  return filter;
}

bool Matches(const ComponentFilter& filter, std::string_view value) {
  if (filter.any_of.empty()) return true;
  for (const auto& all_of : filter.any_of) {
    bool ok = true;
    for (const Condition& condition : all_of) {
      if (!Holds(condition, value)) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

Result<PeriodRange> ParsePeriod(std::string_view period) {
  int year = 0;
  if (period.size() < 4 || !Digits(period.substr(0, 4), &year) || year < 1000) {
    return PeriodError(period);
  }
  if (period.size() == 4) return Months(year, 1, 12);
  if (period[4] != '-') return PeriodError(period);
  auto range = ParseSubPeriod(year, period.substr(5));
  if (!range) return PeriodError(period);
  return *range;
}

}  // namespace gmg::sdmx
