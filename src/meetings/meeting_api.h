// The meetings module's HTTP routes for series, meetings, agendas, papers and attendance
// (issue 12; docs/api.md "Meetings"), declared as data in meeting_api.cc. Handlers parse and
// validate, call MeetingService, and write the JSON of meetings/meeting_json.h; the online link
// is left out for anonymous callers and stakeholders.
// Thread-safety: routes are added before serving; handlers run on any thread.
#pragma once

#include "http/router.h"
#include "meetings/meeting_service.h"

namespace gmg {

void AddMeetingRoutes(http::Router& router, MeetingService& service);

}  // namespace gmg
