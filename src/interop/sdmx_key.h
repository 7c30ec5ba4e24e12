// SDMX REST query syntax: v1.5 keys ("BF+ML..T", "all"), v2.0 component filters
// (c[REF_AREA]=BF,ML  c[TIME_PERIOD]=ge:2000+le:2010) and SDMX reporting periods ("2019",
// "2019-Q3", "2019-07", "2019-S1", "2019-W05", "2019-07-14") with their start and end days.
//
// Pure. Thread-safety: reentrant. Errors are kInvalidArgument with the position (1-based
// character of the key, or the dimension position) in the message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gmg::sdmx {

// One allowed-code list per dimension, in key order; an empty list means any code.
struct KeyFilter {
  std::vector<std::vector<std::string>> positions;
};

// Parses a v1.5 key against a structure of `dimension_count` dimensions. "all" and "" match
// everything. v2.0 forms are accepted too: "*" as a position means any code, and ',' separates
// alternatives as '+' does. Errors: wrong number of positions ("the key has 4 positions but the
// dataflow has 3 dimensions"), an empty code inside a `+` list, characters outside [A-Za-z0-9_@$-]
// (position named), over 1,000 codes in all.
Result<KeyFilter> ParseKey(std::string_view key, size_t dimension_count);

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kContains, kNotContains, kStartsWith, kEndsWith };

struct Condition {
  Op op = Op::kEq;
  std::string value;
};

// c[COMPONENT]=… : any_of is OR over ',' alternatives, each an AND over '+' conditions.
struct ComponentFilter {
  std::string component;
  std::vector<std::vector<Condition>> any_of;
};

// Parses the value of one `c[component]` parameter ("ge:2000+le:2010", "BF,ML", "sw:A").
// Errors: unknown operator, empty value, over 1,000 conditions.
Result<ComponentFilter> ParseComponentFilter(std::string_view component, std::string_view value);

// True when `value` satisfies the filter (lt/le/gt/ge compare as numbers when both sides are
// numbers, else as bytes; for the time dimension the caller compares ParsePeriod results
// instead). A condition without an operator is eq.
bool Matches(const ComponentFilter& filter, std::string_view value);

// A reporting period as days since 1970-01-01, first and last day included.
struct PeriodRange {
  int64_t first_day = 0;
  int64_t last_day = 0;
};

// Parses "2019", "2019-A1", "2019-S2", "2019-Q3", "2019-M07", "2019-07", "2019-W05",
// "2019-07-14", "2019-D195" (years 1000–9999). kInvalidArgument otherwise.
Result<PeriodRange> ParsePeriod(std::string_view period);

}  // namespace gmg::sdmx
