// JSON of the meetings module's records (the shared contract of issue 12: snake_case, instants
// RFC 3339 UTC, local times "YYYY-MM-DDTHH:MM" with an IANA time_zone). The same JSON goes into
// the audit log. `show_link`: the online link is shown (meetings/meeting_access.h).
// Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>

#include "meetings/meeting_service.h"

namespace gmg {

boost::json::object SeriesJson(const MeetingSeries& s, bool show_link);
boost::json::object MeetingJson(const Meeting& m, bool show_link);
boost::json::object PaperJson(const Paper& p);
// `with_papers`: the item's papers (an empty list otherwise).
boost::json::object AgendaItemJson(const AgendaItem& a, bool with_papers);
boost::json::object AttendeeJson(const Attendee& a);

}  // namespace gmg
