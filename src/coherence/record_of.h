// RecordOf: an activity of the activity map as the overlap engine compares it
// (coherence/overlap_engine.h: Record).
//
// Sectors are the publisher's own (ActivityInput::sectors, any vocabulary) as
// "vocabulary:code", e.g. "1:15190" (an unwritten vocabulary is 1, DAC 5-digit).
// Partners are the registry organisation's id, else the partner's name in lower case.
// Transactions (IATI imports) add what they say about the work: their sectors, their
// recipient countries when the activity names none (IATI lets a publisher give countries per
// transaction instead), and the organisations money came from or went to as partners (their
// IATI identifier in lower case, else their name), leaving out the publisher itself (an
// identifier the activity's IATI identifier starts with).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "activities/activity.h"
#include "coherence/overlap_engine.h"

namespace gmg {

// The activity's fields as the engine reads them (`id` and `version` 0 for a draft).
coherence::Record RecordOf(const ActivityInput& fields, int64_t id = 0, int64_t version = 0);
coherence::Record RecordOf(const Activity& activity);
// The activity's sectors as "vocabulary:code", each once, in the order first given.
std::vector<std::string> SectorsOf(const ActivityInput& fields);

}  // namespace gmg
