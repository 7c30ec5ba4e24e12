// The coherence queries read from a request's query string: the overlaps list's filters and
// the gap query (coherence/coherence_query.h). Errors are kInvalidArgument with the parameter
// named in the details (field, problem, rule), as every route answers them.
// Thread-safety: pure functions.
#pragma once

#include "coherence/coherence_query.h"
#include "core/result.h"
#include "http/message.h"

namespace gmg {

// organization, country (ISO 3166-1 alpha-2, any case), region (UN M49 or LDC/LLDC/SIDS),
// theme, class (duplication|synergy), min_score (0 to 1), from and to (YYYY-MM-DD), cluster
// (an activity id > 0), feedback (none|any|a verdict). Absent or empty = no filter.
Result<OverlapFilter> ParseOverlapFilter(const http::Request& request);

// level, region, theme, limit (1 to kMaxGapLimit). The level and region are checked by
// GapService (against the codelists), not here.
Result<GapQuery> ParseGapQuery(const http::Request& request);

}  // namespace gmg
