// What every installation has (the two initiatives the GMG's Terms of Reference name, as
// records of its history), and the demonstration set `gmg demo load` adds.
// Descriptions are written in our own words from the facts of the GMG's information note.
// Thread-safety: functions of the database and service they are given.
#pragma once

#include "core/result.h"
#include "initiatives/initiative_service.h"
#include "initiatives/link_describer.h"
#include "store/database.h"

namespace gmg {

// Inserts the High-level Dialogue (2006) and the follow-up to the Global Commission's report
// (2005) when their slugs are absent (idempotent: runs at every start; never changes an edited
// row). `now` stamps created_at/updated_at. Returns how many were inserted.
Result<int> SeedInitiatives(Database& db, int64_t now);

// The demo set, through the service (audited as the CLI): a "Demo: Joint work on migration data"
// initiative (slug demo-migration-data) linked to the demo's meetings and positions, with a
// contribution and three "Demo:" follow-up actions (one overdue), made once (nothing when the
// slug exists; `demo` finds the linked items and records the actions); and "Demo:"-labelled
// contributions (papers, events, commitments of several members) to the seeded initiatives,
// once (nothing when a "Demo:" contribution exists). `now` dates the demo initiative and its
// actions. Returns how many contributions were added.
Result<int> LoadDemoInitiatives(InitiativeService& initiatives, const InitiativeDemoSources& demo,
                                int64_t now);

}  // namespace gmg
