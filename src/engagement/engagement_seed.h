// What every installation has (the regional consultative processes on migration the GMG works
// with) and the demonstration set `gmg demo load` adds.
// Thread-safety: functions of the database and service they are given.
#pragma once

#include "core/result.h"
#include "engagement/engagement_service.h"
#include "store/database.h"

namespace gmg {

// Inserts the regional consultative processes (Colombo, Puebla, Budapest, Bali, Abu Dhabi
// Dialogue, IGAD-RCP, …) whose names are absent (idempotent: runs at every start and never
// changes an edited row). `now` stamps created_at/updated_at. Returns how many were inserted.
Result<int> SeedStakeholders(Database& db, int64_t now);

// Through the service (audited as the CLI, "demo"): "Demo:" civil-society, employers' and
// workers' organisations, two states from the codelist (reused when present), interactions with
// the seeded processes (public, shared and internal), and two support requests (one answered by
// both routed members, one routed and waiting). Made once: nothing when the first demo
// organisation exists. Returns how many records were added.
Result<int> LoadDemoEngagement(EngagementService& engagement, int64_t now);

}  // namespace gmg
