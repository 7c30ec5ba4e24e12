// iCalendar feeds of meetings (RFC 5545, interop/ical.h), read from the meetings module's own
// tables: every meeting, one series' or one organisation's (meetings it chairs or presents an
// agenda item at, and, asked for with ?attendance=1 by those who may see attendance, the ones it
// attends per meeting_attendance), starting in a range of UTC dates. Attendance is not public
// (meeting_access.h): the public feed of an organisation never reveals which meetings it
// attends, and no feed names who attends or at what level.
//
// Routes (public; docs/meetings.md "iCalendar feeds"): GET /ical/meetings.ics,
// /ical/series/{id}.ics, /ical/organizations/{id}.ics with ?from=&to= (YYYY-MM-DD, inclusive,
// UTC days; default today - 1 year .. today + 2 years; at most 10 years; 400 otherwise). More
// than kMaxFeedEvents meetings: 413 naming the limit. Unknown series or organisation: 404.
// ?attendance= on the organisation feed: 1/true (attended meetings too: staff and members'
// staff only, else 401 anonymous / 403), 0/false or absent (not); anything else 400.
// The answer is text/calendar; charset=utf-8 with an ETag (304 on If-None-Match) and
// Last-Modified (the latest change of a meeting in it). The online meeting link is written
// (URL and DESCRIPTION) only for signed-in users who are not stakeholders, as in the JSON API.
// The output depends only on the stored meetings (DTSTAMP = that latest change), so it caches.
// Thread-safety: stateless functions; the Database is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/result.h"
#include "http/router.h"
#include "store/database.h"

namespace gmg::meetings {

inline constexpr int64_t kMaxFeedEvents = 20000;

// Which meetings a feed holds.
struct FeedQuery {
  enum class Scope { kAll, kSeries, kOrganization } scope = Scope::kAll;
  int64_t series_id = 0;        // kSeries
  std::string organization_id;  // kOrganization
  // kOrganization: also the meetings it attends. Set only for callers who may see attendance.
  bool with_attendance = false;
  Date from, to;            // inclusive UTC days
  bool with_links = false;  // online meeting links (signed-in non-stakeholders)
};

struct Feed {
  std::string body;  // the VCALENDAR
  int64_t events = 0;
  int64_t last_modified = 0;  // UTC seconds; 0 for an empty feed
};

// The range of ?from=&to= (either may be missing) around `today`: kInvalidArgument naming the
// parameter for a malformed date, `to` before `from`, or a range over 10 years.
Result<std::pair<Date, Date>> ParseFeedRange(std::optional<std::string_view> from,
                                             std::optional<std::string_view> to, Date today);

// Reads the meetings of `query` and writes the calendar named `name`. kNotFound for an unknown
// series or organisation; kPayloadTooLarge beyond kMaxFeedEvents.
Result<Feed> BuildFeed(Tx& tx, const FeedQuery& query);

// The three routes above; `now` is the module's clock (UTC seconds: "today" for the defaults).
void AddIcalRoutes(http::Router& router, Database& db, std::function<int64_t()> now);

}  // namespace gmg::meetings
