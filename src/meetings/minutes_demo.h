// The minutes-and-actions part of `gmg demo load` (issue 12): approved minutes on the past
// demo meetings (titles "Demo: …", added by the meetings part first), circulated minutes on
// the latest past one, decisions against their agenda items, and open, overdue and done
// actions for several member organisations, every text labelled "Demo:". Written through the
// services (audited, as the CLI). Adds nothing when demo actions exist already.
// Thread-safety: one caller (the CLI).
#pragma once

#include <cstdint>
#include <functional>

#include "core/result.h"
#include "meetings/action_service.h"
#include "meetings/minutes_service.h"
#include "store/database.h"

namespace gmg {

// Returns how many records (minutes versions, decisions, actions) it added.
Result<int> LoadMinutesDemo(Database& db, MinutesService& minutes, ActionService& actions,
                            const std::function<int64_t()>& now);

}  // namespace gmg
