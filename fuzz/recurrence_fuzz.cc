// Fuzz target: meeting series' recurrence rules (meetings/recurrence.h). Input: a first line
// with the first meeting's local time ("2027-01-04T10:00"), then the rule text; the parsed rule
// is expanded from that time with the first meeting as the one exception.
//
// Checks beyond "no crash, no sanitizer report":
// - ParseLocalSlot: an accepted slot formats back to the text (minus ":00" seconds);
// - ParseRecurrenceRule: every error is kFailedPrecondition with one detail naming the field,
//   the rule "recurrence_rule" and a position within the text; an accepted rule formats to a
//   text that parses to the same canonical text, and has exactly one of COUNT and UNTIL;
// - ExpandRecurrence: at most 60 slots, strictly increasing, none before the first or more
//   than 10 years after it, each at the first's time of day, none equal to an exception, and
//   no more than COUNT; a refusal is kFailedPrecondition "recurrence_bounds".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "meetings/recurrence.h"

namespace m = gmg::meetings;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string_view first_text = input.substr(0, newline);
  std::string_view rule_text = input.substr(newline + 1);

  auto first = m::ParseLocalSlot(first_text);
  if (first) {
    std::string formatted = m::FormatLocalSlot(*first);
    GMG_FUZZ_CHECK(formatted == first_text.substr(0, 16));
  }

  auto rule = m::ParseRecurrenceRule(rule_text);
  if (!rule.ok()) {
    const gmg::Error& e = rule.error();
    GMG_FUZZ_CHECK(e.code == gmg::ErrorCode::kFailedPrecondition);
    GMG_FUZZ_CHECK(e.details.size() == 1 && e.details[0].field == "rule");
    GMG_FUZZ_CHECK(e.details[0].rule == "recurrence_rule");
    GMG_FUZZ_CHECK(std::stoul(e.details[0].args.at(1).second) <= rule_text.size());
    return 0;
  }
  GMG_FUZZ_CHECK(rule->count.has_value() != rule->until.has_value());
  std::string canonical = m::FormatRecurrenceRule(*rule);
  auto again = m::ParseRecurrenceRule(canonical);
  GMG_FUZZ_CHECK(again.ok() && m::FormatRecurrenceRule(*again) == canonical);
  if (!first) return 0;

  auto slots = m::ExpandRecurrence(*rule, *first, {*first});
  if (!slots.ok()) {
    GMG_FUZZ_CHECK(slots.error().code == gmg::ErrorCode::kFailedPrecondition);
    GMG_FUZZ_CHECK(slots.error().details.at(0).rule == "recurrence_bounds");
    return 0;
  }
  GMG_FUZZ_CHECK(slots->size() <= static_cast<size_t>(m::kMaxOccurrences));
  if (rule->count) GMG_FUZZ_CHECK(slots->size() <= static_cast<size_t>(*rule->count));
  const gmg::Date horizon = first->date.AddMonths(12 * m::kMaxYears);
  for (size_t i = 0; i < slots->size(); ++i) {
    const m::LocalSlot& s = (*slots)[i];
    GMG_FUZZ_CHECK(s > *first);  // the first is the exception
    GMG_FUZZ_CHECK(s.date <= horizon);
    GMG_FUZZ_CHECK(s.minute_of_day == first->minute_of_day);
    if (i > 0) GMG_FUZZ_CHECK((*slots)[i - 1] < s);
  }
  return 0;
}
