// The meetings part of `gmg demo load` (issue 12): two clearly labelled series — "Demo:
// Principals" every six months and "Demo: Working level" every two months — around today, the
// past meetings held with their agendas, the next ones planned with an agenda, so a newcomer
// sees a meeting cycle. Minutes, decisions and actions of the demo are added by their own
// function (the minutes part), called after this one by MeetingsModule::LoadDemoData.
// Thread-safety: as MeetingService.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "meetings/meeting_service.h"

namespace gmg {

// Adds the demo series once (nothing when a "Demo:" series exists); returns how many meetings
// it made. `now` decides which meetings are past (held) and which are planned.
Result<int> LoadDemoMeetings(MeetingService& meetings, int64_t now);

}  // namespace gmg
