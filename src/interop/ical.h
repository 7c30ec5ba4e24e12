// An RFC 5545 iCalendar writer for meeting feeds: one VCALENDAR (METHOD:PUBLISH) with a
// VTIMEZONE for every zone its events use and one VEVENT per event.
//
// Time zones: each VTIMEZONE lists the zone's exact periods over the feed's range (tz::Periods),
// one STANDARD or DAYLIGHT sub-component per period with its own DTSTART, TZOFFSETFROM,
// TZOFFSETTO and TZNAME and no RRULE, so it is right for any zone, including zones that changed
// their rules; events carry DTSTART;TZID=<zone> with the wall-clock time there.
// Text: TEXT values are escaped (\\ \; \, and \n for CR, LF or CRLF), other control characters
// become spaces, bytes that are not valid UTF-8 become U+FFFD; lines are folded at 75 octets
// (CRLF then a space), never inside a UTF-8 sequence or an escape pair; every line ends in CRLF.
// Speed: the output is one std::string, reserved once and appended to; no allocation per line.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gmg::ical {

enum class EventStatus { kConfirmed, kTentative, kCancelled };

// Views into the caller's strings, which must outlive the call.
struct Event {
  std::string_view uid;
  int64_t starts_at = 0;       // UTC seconds
  int64_t ends_at = 0;         // UTC seconds, >= starts_at
  std::string_view time_zone;  // IANA name; "" writes UTC times ("…Z") without a VTIMEZONE
  std::string_view summary;
  std::string_view location;     // omitted when empty
  std::string_view description;  // omitted when empty
  std::string_view url;          // omitted when empty (a URI: control characters removed)
  std::string_view chair;        // X-GMG-CHAIR (the chairing organisation), omitted when empty
  EventStatus status = EventStatus::kConfirmed;
  int64_t sequence = 0;
  int64_t last_modified = 0;  // UTC seconds; LAST-MODIFIED
};

struct Calendar {
  std::string_view name;                                  // X-WR-CALNAME
  std::string_view product = "-//GMG Hub//Meetings//EN";  // PRODID
  int64_t stamp = 0;                                      // DTSTAMP of every event (UTC seconds)
};

// The whole calendar. kInvalidArgument when an event names an unknown time zone, a TZID that
// is not a plain IANA name, or ends before it starts.
Result<std::string> WriteCalendar(const Calendar& calendar, std::span<const Event> events);

// A TEXT value as WriteCalendar escapes it (before folding): for tests and the fuzz target.
std::string EscapeText(std::string_view text);
// Undoes the folding of `ical` (removes every CRLF followed by a space or tab).
std::string Unfold(std::string_view ical);

}  // namespace gmg::ical
