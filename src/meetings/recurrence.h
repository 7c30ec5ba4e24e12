// Recurrence rules of meeting series: a subset of iCalendar's RRULE (RFC 5545 §3.3.10) and its
// expansion into the local start times of the meetings it makes (docs/meetings.md).
//
// The subset: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL=n (1–99), COUNT=n (1–60) or
// UNTIL=YYYYMMDD[THHMMSS] (local wall-clock time, inclusive; one of the two is required),
// BYDAY=MO,TU,… (WEEKLY only, no ordinal prefixes). Parts are separated by ';', each at most
// once, names and values upper-case as RFC 5545 writes them. Every occurrence keeps the first
// one's time of day; a monthly or yearly slot on a day the month lacks (the 31st, 29 February)
// is skipped, as RFC 5545 says. Expansion is bounded: at most kMaxOccurrences meetings within
// kMaxYears of the first, else the rule is refused rather than cut short.
// Times here are wall-clock times without zone; turning them into instants is the caller's
// business (interop/time_zone.h), so a daylight-saving change never moves a meeting's local time.
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace gmg::meetings {

inline constexpr int kMaxOccurrences = 60;
inline constexpr int kMaxYears = 10;
inline constexpr int kMaxInterval = 99;

// A wall-clock start time: "2027-05-09T10:00" (minutes; no seconds, no zone).
struct LocalSlot {
  Date date;
  int minute_of_day = 0;  // 0–1439
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>.
  auto operator<=>(const LocalSlot&) const = default;
};
// Strict "YYYY-MM-DDTHH:MM" (":SS" accepted only as ":00"); nullopt otherwise.
std::optional<LocalSlot> ParseLocalSlot(std::string_view text);
// "YYYY-MM-DDTHH:MM".
std::string FormatLocalSlot(const LocalSlot& slot);

enum class Frequency { kDaily, kWeekly, kMonthly, kYearly };

struct RecurrenceRule {
  Frequency frequency = Frequency::kWeekly;
  int interval = 1;
  std::optional<int> count;
  std::optional<LocalSlot> until;  // inclusive; a date-only UNTIL is the end of that day
  std::vector<int> by_day;         // ISO weekdays 1 (MO) … 7 (SU), ascending, WEEKLY only
};

// The rule in `text`. kFailedPrecondition with one detail whose field is `field`, rule
// "recurrence_rule" and args {"part", "position"}: the part (FREQ, INTERVAL, …, or "" for the
// text as a whole) and the 0-based character position of the problem; the message names both
// ("COUNT at position 17: …"). Problems: empty text, a part without '=', an unknown or repeated
// part, a bad value, BYDAY without FREQ=WEEKLY, neither or both of COUNT and UNTIL.
Result<RecurrenceRule> ParseRecurrenceRule(std::string_view text,
                                           const std::string& field = "rule");
// The rule in the canonical text ParseRecurrenceRule reads back to the same rule.
std::string FormatRecurrenceRule(const RecurrenceRule& rule);

// The local start times the rule makes from `first` (the series' first meeting, DTSTART),
// oldest first, without the `exceptions` (RFC 5545 EXDATE: they still count towards COUNT).
// kFailedPrecondition (field `field`, rule "recurrence_bounds") when the rule makes more than
// kMaxOccurrences meetings, UNTIL is more than kMaxYears after `first` or before it, or a
// WEEKLY rule's BYDAY does not include `first`'s weekday (the first meeting would not be one of
// the rule's).
Result<std::vector<LocalSlot>> ExpandRecurrence(const RecurrenceRule& rule, const LocalSlot& first,
                                                const std::vector<LocalSlot>& exceptions,
                                                const std::string& field = "rule");

}  // namespace gmg::meetings
