// The demonstration set `gmg demo load` adds to the training area: six "Demo:" courses, one per
// topic, co-organised by seeded members, with past sessions (registrations and attendance
// marked) and upcoming ones (some full, with a wait list). Dates are relative to `now`, so past
// stays past and upcoming stays upcoming. Made through TrainingService, audited as the CLI;
// past registrations are made by a service whose clock reads a day before their deadline.
// Thread-safety: a function of the database it is given.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "store/database.h"

namespace gmg {

// Nothing when a "Demo:" course exists. Returns how many courses were added.
Result<int> LoadDemoTraining(Database& db, int64_t now);

}  // namespace gmg
