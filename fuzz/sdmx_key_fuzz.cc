// Fuzz target: the SDMX REST query syntax (interop/sdmx_key.h): v1.5 keys, v2.0 component
// filters and reporting periods. Input: four lines — a key, a component id, a filter's value,
// a period — then any value to match; the first byte also gives the number of dimensions.
//
// Checks beyond "no crash, no sanitizer report":
// - ParseKey: an accepted key has one position per dimension, codes that are non-empty and
//   made of [A-Za-z0-9_@$-], at most 1,000 in all; joined again with '+' and '.', it parses to
//   the same filter; every error is kInvalidArgument;
// - ParseComponentFilter: an accepted filter names the component, has non-empty alternatives
//   of non-empty conditions (1,000 at most); Matches answers for any value; an alternative that
//   is one eq condition matches its own value, one ne condition does not;
// - ParsePeriod: first day <= last day, at most 366 days apart, within a day or a week of the
//   year the period names.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "fuzz_check.h"
#include "interop/sdmx_key.h"

namespace {

namespace sdmx = gmg::sdmx;

bool IsCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '@' || c == '$' || c == '-';
}

void CheckKey(std::string_view key, size_t dimensions) {
  auto filter = sdmx::ParseKey(key, dimensions);
  if (!filter.ok()) {
    GMG_FUZZ_CHECK(filter.error().code == gmg::ErrorCode::kInvalidArgument);
    return;
  }
  GMG_FUZZ_CHECK(filter->positions.size() == dimensions);
  size_t total = 0;
  std::string joined;
  for (size_t d = 0; d < dimensions; ++d) {
    if (d > 0) joined += '.';
    for (size_t i = 0; i < filter->positions[d].size(); ++i) {
      const std::string& code = filter->positions[d][i];
      GMG_FUZZ_CHECK(!code.empty());
      for (char c : code) GMG_FUZZ_CHECK(IsCodeChar(c));
      if (i > 0) joined += '+';
      joined += code;
      ++total;
    }
  }
  GMG_FUZZ_CHECK(total <= 1000);
  if (dimensions == 0) return;
  auto again = sdmx::ParseKey(joined, dimensions);
  GMG_FUZZ_CHECK(again.ok());
  GMG_FUZZ_CHECK(again->positions == filter->positions);
}

void CheckFilter(std::string_view component, std::string_view value, std::string_view probe) {
  auto filter = sdmx::ParseComponentFilter(component, value);
  if (!filter.ok()) {
    GMG_FUZZ_CHECK(filter.error().code == gmg::ErrorCode::kInvalidArgument);
    return;
  }
  GMG_FUZZ_CHECK(filter->component == component);
  GMG_FUZZ_CHECK(!filter->any_of.empty());
  size_t total = 0;
  for (const auto& all_of : filter->any_of) {
    GMG_FUZZ_CHECK(!all_of.empty());
    for (const sdmx::Condition& c : all_of) {
      GMG_FUZZ_CHECK(!c.value.empty());
      ++total;
    }
    if (all_of.size() != 1) continue;
    sdmx::ComponentFilter one{filter->component, {all_of}};
    if (all_of[0].op == sdmx::Op::kEq) GMG_FUZZ_CHECK(sdmx::Matches(one, all_of[0].value));
    if (all_of[0].op == sdmx::Op::kNe) GMG_FUZZ_CHECK(!sdmx::Matches(one, all_of[0].value));
  }
  GMG_FUZZ_CHECK(total <= 1000);
  (void)sdmx::Matches(*filter, probe);
}

void CheckPeriod(std::string_view period) {
  auto range = sdmx::ParsePeriod(period);
  if (!range.ok()) {
    GMG_FUZZ_CHECK(range.error().code == gmg::ErrorCode::kInvalidArgument);
    return;
  }
  GMG_FUZZ_CHECK(range->first_day <= range->last_day);
  GMG_FUZZ_CHECK(range->last_day - range->first_day <= 365);
  int year = std::stoi(std::string(period.substr(0, 4)));
  GMG_FUZZ_CHECK(year >= 1000 && year <= 9999);
  int64_t jan1 = gmg::Date::FromCivil(year, 1, 1).days();
  int64_t dec31 = gmg::Date::FromCivil(year, 12, 31).days();
  GMG_FUZZ_CHECK(range->first_day >= jan1 - 3 && range->last_day <= dec31 + 3);  // ISO weeks
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t dimensions = data[0] % 8;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string_view parts[5];
  for (size_t i = 0; i < 4; ++i) {
    size_t nl = rest.find('\n');
    parts[i] = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  }
  parts[4] = rest;
  CheckKey(parts[0], dimensions);
  CheckFilter(parts[1], parts[2], parts[4]);
  CheckPeriod(parts[3]);
  // Each line is also tried as each kind of input.
  CheckKey(parts[2], dimensions);
  CheckPeriod(parts[0]);
  CheckFilter("TIME_PERIOD", parts[0], parts[3]);
  return 0;
}
