// The GMG as it stands in its information note: profile, the 12 purposes of the Terms of
// Reference, the issues of current interest, its history, the ten members and the first
// rotation plan. Texts are written in our own words from the note's facts.
#pragma once

#include "core/result.h"
#include "store/database.h"

namespace gmg {

// Seeds an empty database in one transaction; does nothing when organisations exist.
// Returns whether it seeded.
Result<bool> SeedGmg(Database& db);

}  // namespace gmg
